"""Which field has the keys: kept with the cursor, given back on resume, and given to the form Enter
opened once the pane shows it.

Mixed into MainScreen (tui/screens/main.py); Textual finds the handlers by their names.
"""

from __future__ import annotations

from typing import Any

from textual.events import DescendantFocus

from tui.state.session import NOTE_DRAFT
from tui.widgets.step_form import FieldRow, StepForm

SHOWN_WAIT = 0.01  # s: how often the pane is asked whether it shows the step yet
SHOWN_TRIES = 200  # ... and how often at most (2 s): then the focus goes where it can


class Focusing:
    session: Any
    detail: Any
    app: Any
    key: str | None
    _resume_focus: tuple[str, str] | None  # (step key, field id) that had the keys last time

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Which field has the keys, kept with the cursor: a form's field, or a manual step's note."""
        row = next((w for w in event.widget.ancestors_with_self if isinstance(w, FieldRow)), None)
        field_id = row.field.id if row is not None else NOTE_DRAFT if event.widget.id == "manual-note" else None
        if not self.session.read_only:
            self.session.set_focus(field_id)

    def on_step_form_shown(self, event: StepForm.Shown) -> None:
        if self.session.read_only:  # fields shown, not typed in: nothing would be kept
            event.form.disabled = True
        resume, self._resume_focus = self._resume_focus, None
        if resume is not None and resume[0] == self.key:
            event.form.focus_field(resume[1])

    def _pane_shows_it(self) -> bool:
        detail = self.detail
        return not detail._busy and detail.view == detail._wanted

    def _focus_form(self, tries: int = SHOWN_TRIES) -> None:
        """Enter from the list: the first field of the step landed on, once the pane shows it (a burst
        of arrows and Enter came while it still drew a step passed on the way); the keys stay held."""
        if tries and not self._pane_shows_it():
            self.set_timer(SHOWN_WAIT, lambda: self._focus_form(tries - 1))  # type: ignore[attr-defined]
            return
        self.detail.focus_first()
        self.app.call_later(self.app.keys.release)  # behind the focus change, which focus() queues on the app

    def _give_back_note(self, tries: int = SHOWN_TRIES) -> None:
        """Resume on a manual step whose note had the keys: the note gets them back, once it is there."""
        resume = self._resume_focus
        if resume is None or resume[0] != self.key or resume[1] != NOTE_DRAFT:
            return
        if tries and not (self._pane_shows_it() and self.detail.query("#manual-note")):
            self.set_timer(SHOWN_WAIT, lambda: self._give_back_note(tries - 1))  # type: ignore[attr-defined]
            return
        self._resume_focus = None
        for note in self.detail.query("#manual-note"):
            note.focus()
