"""``c`` on a step whose text is never stored (the licence): copied by running another step's check.

Mixed into MainScreen (tui/screens/main.py).
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker

from tui.runs import StepRunner
from tui.screens.dialogs import ConfirmDialog
from tui.text import t

# what a step's "c" copies by running another step's check, by check name (else just "Tekst")
COPIED_WHAT = {"licence_pdf": "copy.licence_text"}


class CopyByCheck:
    """Runs the ``copy_from`` step's check again with the clipboard; when it copies nothing, says
    which step the text comes from and offers to go there."""

    app: Any
    session: Any
    runs: Any
    lang: str
    _copying: Worker[None] | None

    def copy_by_check(self, key: str) -> None:
        """Text that is never stored (the licence): run the ``copy_from`` step's check again with
        the clipboard, in a worker; the check puts the text there."""
        ref = self.session.ref(key)
        source_id = ref.step.copy_from
        assert source_id is not None
        scoped = f"{source_id}@{ref.administratie}"  # a scoped source: the same administratie's
        source_key = scoped if ref.administratie and self.session.has(scoped) else source_id
        self._copying = self.app.run_worker(
            self._run_copy_check(source_key), group="copy", exclusive=True, exit_on_error=False,
            description=f"copy for {key} by the check of {source_key}")
        self.refresh_bindings()

    async def _run_copy_check(self, source_key: str) -> None:
        check = self.session.ref(source_key).step.check
        assert check is not None
        copied: list[str] = []

        def clipboard(text: str) -> None:
            self.app.copy_to_clipboard(text)
            copied.append(text)

        runner = StepRunner(self.session, log_file=self.app.log_file, clipboard=clipboard, runs=self.runs)
        try:  # a run that only looks: the source step's record stays as it is
            outcome = await runner.run(source_key, record=False)
        finally:
            self._copying = None
            self.refresh_bindings()
        result = outcome.result
        assert result is not None
        what = t(COPIED_WHAT.get(check.name, "copy.text"), self.lang)
        if copied:
            self.say(t("msg.copied_by_check", self.lang, what=what, n=len(copied[-1])))
            return
        # what the copy needs is on another step: say which, and offer to go there
        problem = "\n".join(filter(None, (result.message, result.hint))) if result.status == "fail" else ""
        question = t("dlg.copy_from", self.lang, what=what, title=self.session.ref(source_key).title(self.lang))
        self.app.push_screen(ConfirmDialog(f"{problem}\n\n{question}".strip(), self.lang),
                             lambda yes: yes and self.goto(source_key))
