"""What the step's form and buttons report (messages up): drafts, a submitted form, a pressed button.

Mixed into MainScreen (tui/screens/main.py); Textual finds these handlers by their names.
"""

from __future__ import annotations

from typing import Any

from tui.state.session import DONE, NOTE_DRAFT, SessionError
from tui.text import t
from tui.widgets.step_detail import StepDetail
from tui.widgets.step_form import StepForm


class FormHandlers:
    session: Any

    def _form_key(self, form: StepForm) -> str | None:
        """The step whose form reported. A report that arrives after the screen moved on (type-ahead:
        the burst's next key was handled first) is its own step's, never the step shown now's."""
        key = self.key
        if key is not None and self.session.has(key) and self.session.ref(key).step.id == form.step.id:
            return key
        return form.step.id if self.session.has(form.step.id) else None

    def on_step_form_changed(self, event: StepForm.Changed) -> None:
        key = self._form_key(event.form)
        if key is None or self.session.read_only:
            return
        shown = self.session.form_values(key)
        if any(str(shown.get(k, "") or "") != v for k, v in event.values.items()):
            self._guard(self.session.save_draft, key, event.values)

    def on_step_detail_note_changed(self, event: StepDetail.NoteChanged) -> None:
        if self.key is not None and not self.session.read_only:
            self._guard(self.session.save_draft, self.key, {NOTE_DRAFT: event.note})

    def on_step_form_submitted(self, event: StepForm.Submitted) -> None:
        key = self.key
        if key is None or self._form_key(event.form) != key:  # a form left before its Enter arrived
            return
        step = self.session.ref(key).step
        if step.kind != "form":
            self.perform("step.run")
            return
        try:
            findings = self.session.submit(key, event.values)
        except SessionError as error:
            self.refused(error)
            return
        errors = [f for f in findings if f.level == "error"]
        event.form.show_findings(findings, t("msg.form_errors", self.lang) if errors else "")
        if errors:
            event.form.focus_first(only_invalid=True)
            return
        self._completed(key, stay=bool(findings))  # a warning stays in view, beside its field
        self.say(t("msg.saved_warned" if findings else "msg.saved", self.lang))

    def on_step_detail_confirm_pressed(self, event: StepDetail.ConfirmPressed) -> None:
        self.perform("step.reopen" if self.session.status(self._at()) in DONE else "step.confirm", event.note)

    def on_step_detail_run_pressed(self) -> None:
        self.perform("step.run")

    def on_step_detail_cancel_pressed(self) -> None:
        self.perform("step.cancel")
