"""Small modal questions: yes/no, and the reason for skipping a step."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.await_complete import AwaitComplete
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.text import t
from tui.widgets.keyed import bindings, install

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{
    width: 60; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} .question {{ margin: 1 0; }}
{name} .problem {{ color: $text-error; height: auto; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin-left: 2; }}
"""


class DismissOnce:
    """A screen dismissed at most once: Escape between a queued Enter and its dismiss would
    otherwise pop the screen under it too (the checklist), leaving a blank dead end."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:  # type: ignore[attr-defined]
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]


class ConfirmDialog(DismissOnce, ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = bindings("confirm")

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        install(self, "confirm", lang)
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.question), classes="question")
            with Horizontal():
                yield Button(t("dlg.yes", self.lang), id="yes", compact=True, variant="primary")
                yield Button(t("dlg.no", self.lang), id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes").focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class SkipDialog(DismissOnce, ModalScreen[str | None]):
    """Asks why an optional step is skipped; ``None`` when the admin changes their mind."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SkipDialog")
    BINDINGS = bindings("skip")

    def __init__(self, title: str, lang: str) -> None:
        super().__init__()
        install(self, "skip", lang)
        self.step_title = title
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(t("dlg.skip_title", self.lang, title=self.step_title)), classes="question")
            yield Input(placeholder=t("dlg.skip_reason", self.lang), compact=True, id="reason")
            yield Static("", classes="problem")
            with Horizontal():
                yield Button(t("dlg.ok", self.lang), id="ok", compact=True, variant="primary")
                yield Button(t("dlg.cancel", self.lang), id="cancel", compact=True)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one(".problem", Static).update(t("dlg.skip_empty", self.lang))
            self.query_one("#reason").focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
