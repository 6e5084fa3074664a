"""F1: help for what has focus, every key with what it does, and the status marks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.commands import PALETTE_ONLY
from tui.ui_text import STATUSES, mark, t
from tui.widgets.footer import KoppelFooter


class HelpScreen(Screen[None]):
    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { padding: 0 2; border: round $primary; }
    HelpScreen .help-heading { text-style: bold; color: $text-primary; margin-top: 1; }
    HelpScreen #help-context { color: $foreground; }
    HelpScreen .help-foot { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Close", id="help.close")]

    def __init__(self, context: str, keys: list[tuple[str, str]], lang: str, ascii_mode: bool) -> None:
        super().__init__()
        self.context = context
        self.keys = keys
        self.lang = lang
        self.ascii_mode = ascii_mode

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(can_focus=True) as scroll:
            scroll.border_title = t("help.title", lang)
            yield Static(t("help.here", lang), classes="help-heading")
            yield Static(Content(self.context), id="help-context")
            yield Static(t("help.keys", lang), classes="help-heading")
            width = max((len(k) for k, _ in self.keys), default=8) + 2
            yield Static(Content.assemble(*(
                item for key, text in self.keys for item in ((key.ljust(width), "bold $text-accent"), (text + "\n", ""))
            )).rstrip(), id="help-keys")
            yield Static(t("help.palette", lang), classes="help-heading")
            yield Static(Content("\n".join(f"- {t(name, lang)}" for name in PALETTE_ONLY)), id="help-palette")
            yield Static(t("help.statuses", lang), classes="help-heading")
            yield Static(Content("\n".join(
                f"{mark(status, self.ascii_mode):<4}{t(f'status.{status}', lang)}" for status in STATUSES)))
            yield Static(t("help.close", lang), classes="help-foot")
        yield KoppelFooter(("app.pop_screen", "help"))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
