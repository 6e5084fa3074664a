"""Ctrl+P: every action of koppel, and "go to step" for every step, in the admin's language."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider, SearchIcon

from tui.ui_text import t

if TYPE_CHECKING:
    from tui.app import KoppelApp

Command = tuple[str, str, Callable[[], object]]
# the step commands of the main screen: (text, key shown, action name); offered only where they apply
STEP_COMMANDS = (("key.run", "r", "run"), ("key.cancel", "esc", "cancel"), ("key.confirm", "space", "confirm"),
                 ("key.reopen", "space", "reopen"), ("key.skip", "s", "skip"), ("key.copy", "c", "copy"))
# what only the palette offers (no key of its own): the help screen lists these too
PALETTE_ONLY = ("cmd.run_all", "cmd.goto", "cmd.lang", "cmd.ascii", "cmd.ansi")


class KoppelCommands(Provider):
    @property
    def koppel(self) -> KoppelApp:
        return self.app  # type: ignore[return-value]

    def commands(self) -> list[Command]:
        app = self.koppel
        lang = app.lang
        main = app.main_screen
        commands: list[Command] = []
        if main is not None:
            if app.session.next_open(main.key) is not None:  # with every step done there is none
                commands += [(t("key.next", lang), "n", main.action_next_open),
                             (t("key.prev", lang), "p", partial(main.action_next_open, True))]
            commands.append((t("cmd.run_all", lang), t("cmd.run_all.help", lang), app.action_run_all))
            # asked with the list focused: what the step allows, not what the focused field hides
            commands += [(t(text, lang), key, getattr(main, f"action_{action}"))
                         for text, key, action in STEP_COMMANDS if main.step_action_applies(action)]
            commands.append((t("key.tree", lang), "t", main.action_toggle_tree))
        commands += [
            (t("cmd.lang", lang), "", app.action_switch_lang),
            (t("cmd.ascii", lang), "", app.action_toggle_ascii),
            (t("cmd.ansi", lang), "", app.action_ansi_theme),
            (t("key.help", lang), "f1", app.action_help),
            (t("key.quit", lang), "q / ctrl+q / f10", app.action_quit),
        ]
        if main is not None:
            goto = t("cmd.goto", lang)
            for ref in app.session.refs():
                status = t(f"status.{app.session.status(ref.key)}", lang)
                commands.append((f"{goto}: {ref.title(lang)}", f"{ref.section.title.get(lang)} · {status}",
                                 partial(main.goto, ref.key)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class KoppelPalette(CommandPalette):
    """Ctrl+P in the admin's language; in ASCII mode without the emoji magnifier."""

    def __init__(self, lang: str, ascii_mode: bool) -> None:
        super().__init__(placeholder=t("cmd.search", lang), id="--command-palette")
        self.ascii_mode = ascii_mode

    def on_mount(self) -> None:
        if self.ascii_mode:
            self.query_one(SearchIcon).icon = ">"
