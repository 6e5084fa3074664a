"""Ctrl+P: every command of the keys table that applies now, and "go to step" for every step."""

from __future__ import annotations

from functools import partial
from typing import Callable

from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider, SearchIcon

from tui import keys
from tui.keys import Key, key_names
from tui.screens.dialogs import DismissOnce
from tui.screens.host import Host
from tui.text import t

Command = tuple[str, str, Callable[[], object]]


def keys_text(k: Key) -> str:
    """The line under a command: every key that does the same ("q / ctrl+q / f10"), else its hint."""
    same = [key_names(other) for other in keys.KEYS if other.keys and other.words == k.words and other.scope in ("main", "app")]
    return " / ".join(same)


class KoppelCommands(Provider):
    @property
    def koppel(self) -> Host:
        return self.app  # type: ignore[return-value]

    def commands(self) -> list[Command]:
        app = self.koppel
        lang = app.lang
        main = app.main_screen
        commands: list[Command] = []
        for k in keys.KEYS:
            if not k.palette:
                continue
            if k.scope == "main":
                # asked with the list focused: what the step allows, not what the focused field hides
                if main is not None and main.verdict(k.id).shown:
                    commands.append((k.word(lang), keys_text(k) or k.hint_text(lang), partial(main.perform, k.id)))
            elif k.scope == "app" and (main is None or main.verdict(k.id).shown):
                commands.append((k.word(lang), keys_text(k) or k.hint_text(lang),
                                 partial(app.run_action, k.action.removeprefix("app."))))
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


class KoppelPalette(DismissOnce, CommandPalette):
    """Ctrl+P in the admin's language; in ASCII mode without the emoji magnifier."""

    def __init__(self, lang: str, ascii_mode: bool) -> None:
        # no fixed id: a palette just dismissed stays the app's child until it is removed, and a
        # Ctrl+P typed right behind the Escape gave a second one the same id (DuplicateIds)
        super().__init__(placeholder=t("cmd.search", lang))
        self.ascii_mode = ascii_mode

    def on_mount(self) -> None:
        if self.ascii_mode:
            self.query_one(SearchIcon).icon = ">"

    def _action_command_list(self, action: str) -> None:
        """Textual's OptionList pages by its laid-out lines: PageUp/PageDown between hits arriving
        and the frame that lays them out (type-ahead, a loaded machine) raised KeyError. Such a key
        has no page to move by yet and does nothing. (Overrides Textual's private action, here only.)"""
        if action.startswith("page_") and not self.query_one(CommandList).scrollable_content_region:
            return
        super()._action_command_list(action)
