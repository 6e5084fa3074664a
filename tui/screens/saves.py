"""Saves that fail (a full disk, a read-only folder): said once, marked in the header, retried.

Mixed into MainScreen (tui/screens/main.py).
"""

from __future__ import annotations

from typing import Any

from tui.state.session import SaveFailed, SessionError
from tui.text import t


class SaveWatch:
    """Every write of the screen passes ``_guard``; a failure is said, the header's ``unsaved``
    mark stays until a save succeeds (``retry_saves`` runs every SAVE_WATCH seconds)."""

    session: Any
    _unsaved: str | None
    unsaved: bool  # the screen's reactive: the header binds to it
    said: str  # the status line (the header's message)
    notice: str  # the band under the header (tui.widgets.header.NoticeBand)
    notice_kind: str  # "warning", "error", or "said" (the status line's, too long for it)

    def tell(self, text: str, error: bool = False, said: bool = False) -> None:
        """What takes more than a line, in the band under the header: it pushes the step down
        instead of covering it, and goes with the next key as the status line does."""
        self.notice, self.notice_kind = text, "error" if error else "said" if said else "warning"

    def heard(self) -> None:
        """A key from the terminal: what was said has been seen (KoppelApp.on_event). Why a save
        fails stays in the band until a save succeeds."""
        self.said = ""
        if not self.unsaved:
            self.notice = ""

    def _guard(self, action: Any, *args: Any) -> bool:
        try:
            action(*args)
        except SessionError as error:
            self.refused(error)
            return False
        return True

    def refused(self, error: SessionError) -> None:
        """What the checklist does not allow (a warning), or a save that failed (an error; the
        change may be kept in memory, so the views show what the session now holds)."""
        if isinstance(error, SaveFailed):
            self.save_failed(error)
            self.step_changed()
        else:
            self.say(str(error))  # the status line: a toast would cover the step it is about

    def save_failed(self, error: SessionError, then: str = "") -> None:
        """Said once per distinct failure (and whenever there is ``then`` to add), in the band under
        the header, which stays (and the header says "not saved") until a save succeeds."""
        if str(error) != self._unsaved or then:
            self.tell(f"{t('msg.not_saved', self.lang)}: {error}\n{then}".strip(), error=True)
        self._unsaved = str(error)
        self.unsaved = True

    def retry_saves(self) -> None:
        """A failed background save (drafts, the cursor) is said too; while anything is unsaved,
        each call writes it again, so the header clears once the disk lets it."""
        if self.session.read_only or (self._unsaved is None and not self.session.save_error):
            return
        try:
            self.session.flush()
        except SaveFailed as error:  # not refused(): no redraw under the admin's typing
            self.save_failed(error)
            return
        if self._unsaved is not None:
            self._unsaved = None
            self.unsaved = False
            self.tell("")
            self.say(t("msg.saved_again", self.lang))
