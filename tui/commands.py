"""Ctrl+P: every action of koppel, and "go to step" for every step, in the admin's language."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.ui_text import t

if TYPE_CHECKING:
    from tui.app import KoppelApp

Command = tuple[str, str, Callable[[], object]]
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
            commands += [
                (t("key.next", lang), "n", main.action_next_open),
                (t("key.prev", lang), "p", partial(main.action_next_open, True)),
                (t("cmd.run_all", lang), t("cmd.run_all.help", lang), app.action_run_all),
                (t("key.run", lang), "r", main.action_run),
                (t("key.cancel", lang), "esc", main.action_cancel),
                (t("key.confirm", lang), "space", main.action_confirm),
                (t("key.skip", lang), "s", main.action_skip),
                (t("key.copy", lang), "c", main.action_copy),
                (t("key.tree", lang), "t", main.action_toggle_tree),
            ]
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
