"""F1: help for what has focus, every key with what it does, and the status marks."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Log, Select, Static, Tree

from tui import keys
from tui.keys import key_names
from tui.marks import MARKS
from tui.screens.too_small import covers
from tui.text import STATUSES, mark, status_word, t
from tui.widgets.footer import KoppelFooter
from tui.widgets.keyed import bindings, install
from tui.widgets.step_form import FieldRow

LISTED_SCOPES = ("main", "app", "tree", "form")  # what the help lists; the rest are obvious where they show


def key_list(lang: str) -> list[tuple[str, str]]:
    """Every key koppel knows, with what it does, in the admin's language."""
    return [(key_names(k), k.word(lang)) for scope in LISTED_SCOPES for k in keys.KEYS
            if k.scope == scope and k.keys and not k.system]


def palette_only(lang: str) -> list[str]:
    """What only the palette offers (no key of its own)."""
    return [k.word(lang) for k in keys.KEYS if k.palette and not k.keys] + [t("cmd.goto", lang)]


def context_help(focused: Widget | None, where: str, lang: str) -> str:
    """What the focused part is and how it is used; ``where``: the step's title, if any."""
    where = f"{where}\n" if where else ""
    if isinstance(focused, Tree):
        return where + t("help.tree", lang)
    around = [focused, *focused.ancestors] if focused is not None else []
    in_select = any(isinstance(node, Select) for node in around)  # the choice list or its open list
    if in_select or isinstance(focused, Input):
        row = next((node for node in around if isinstance(node, FieldRow)), None)
        field_help = f"{row.field.label.get(lang)}: {row.field.help.get(lang)}\n" \
            if row is not None and row.field.help else ""
        return where + field_help + t("help.select" if in_select else "help.input", lang)
    if isinstance(focused, Log):
        return where + t("help.log", lang)
    return where + t("help.other", lang)


class HelpScreen(Screen[None]):
    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { padding: 0 2; border: round $primary; }
    HelpScreen .help-heading { text-style: bold; color: $text-primary; margin-top: 1; }
    HelpScreen #help-context { color: $foreground; }
    HelpScreen .help-foot { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: list[BindingType] = bindings("help")

    def __init__(self, context: str, lang: str, ascii_mode: bool) -> None:
        super().__init__()
        install(self, "help", lang)
        self.context = context
        self.lang = lang
        self.ascii_mode = ascii_mode

    def compose(self) -> ComposeResult:
        lang = self.lang
        keys = key_list(lang)
        with VerticalScroll(can_focus=True) as scroll:
            scroll.border_title = t("help.title", lang)
            yield Static(t("help.here", lang), classes="help-heading")
            yield Static(Content(self.context), id="help-context")
            yield Static(t("help.keys", lang), classes="help-heading")
            width = max((len(k) for k, _ in keys), default=8) + 2
            yield Static(Content.assemble(*(
                item for key, text in keys for item in ((key.ljust(width), "bold $text-accent"), (text + "\n", ""))
            )).rstrip(), id="help-keys")
            yield Static(t("help.palette", lang), classes="help-heading")
            yield Static(Content("\n".join(f"- {name}" for name in palette_only(lang))), id="help-palette")
            yield Static(t("help.statuses", lang), classes="help-heading")
            yield Static(Content("\n".join(
                [f"{mark(status, self.ascii_mode):<4}{status_word(status, lang)}"
                 for status in STATUSES if status in MARKS]  # a status gets listed once it has its mark
                + [f"{mark('flagged', self.ascii_mode):<4}{t('help.flagged', lang)}"])))
            yield Static(t("help.close", lang), classes="help-foot")
        yield KoppelFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


def toggle_help(app: App[None], where: str, lang: str, ascii_mode: bool) -> None:
    """F1: the help of what has the focus and where (never over the too-small notice), or back from it."""
    if covers(app):
        return
    if isinstance(app.screen, HelpScreen):
        app.pop_screen()
    else:
        app.push_screen(HelpScreen(context_help(app.focused, where, lang), lang, ascii_mode))
