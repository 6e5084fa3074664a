"""When and how a session's changes reach the disk: an action's change at once (or, inside
``one_save()``, once at the action's end, written off the event loop), a draft or the cursor soon
(the store's saver thread); a failed write is one clear SaveFailed and the change stays in memory."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from tui.state.errors import SaveFailed
from tui.text import Phrase, t

if TYPE_CHECKING:  # types only: a status read from plain JSON never loads pydantic (tui.headless.fast)
    from tui.state.model import ServerState
    from tui.state.store import StateStore


class Saves:
    def __init__(self, store: StateStore | None, state: ServerState, lang: Callable[[], str]) -> None:
        self.store = store
        self.state = state
        self._lang = lang  # the session's language when a failure is said
        self._holding = 0  # inside one_save(): changes wait for the action's one save
        self._dirty = False  # changed since the last save of an action

    @property
    def writable(self) -> bool:
        return self.store is not None and not self.store.read_only

    def changed(self, *, soon: bool = False) -> None:
        """The state changed: saved now (raises SaveFailed), at the end of one_save(), or ``soon``."""
        if self.store is None or not self.writable:
            return
        if soon:
            self.store.schedule_save(self.state)
            return
        self._dirty = True
        if self._holding:  # one_save(): the action's one save comes at its end
            return
        self._dirty = False
        try:
            with self._saving():
                self.store.save(self.state)
        except SaveFailed:
            self.store.schedule_save(self.state)  # written as soon as the disk lets it (at the latest: close)
            raise

    @contextmanager
    def one_save(self) -> Iterator[None]:
        """Everything changed inside is one action and gets one save: the caller's save_off_loop()
        (or the next save); meanwhile the store's saver has it, so nothing is ever left unsaved."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._dirty and self.store is not None and self.writable:
                self.store.schedule_save(self.state)

    async def save_off_loop(self) -> None:
        """Write the changes of one action: serialized here, written and fsynced in a worker thread,
        so the event loop never waits for the disk. Raises SaveFailed (the change stays in memory
        and is written again later)."""
        if not self._dirty or self.store is None or not self.writable:
            return
        import asyncio  # only the app saves off its loop: headless commands never load asyncio

        self._dirty = False
        write = self.store.prepare_save(self.state)
        # the write runs even when the caller is cancelled while it waits for a thread (a check
        # cancelled as it starts): its snapshot is numbered, and flush() waits for every number to
        # settle; a write cancelled before it ran made the next flush, at quit, wait for ever
        # (the walker's long run, seed 209: koppel hung on q and kept the lock)
        pending = asyncio.get_running_loop().run_in_executor(None, write)
        pending.add_done_callback(lambda done: done.cancelled() or done.exception())  # said below, or not at all
        try:
            with self._saving():
                await asyncio.shield(pending)
        except SaveFailed:
            self._dirty = True
            self.store.schedule_save(self.state)
            raise

    def flush(self) -> None:
        if self.store is not None:
            with self._saving():
                self.store.flush()

    def close(self) -> None:
        if self.store is not None:
            with self._saving(closing=True):
                self.store.close()

    @contextmanager
    def _saving(self, closing: bool = False) -> Iterator[None]:
        """A failed write (full disk, read-only folder, a file held open) as one clear SaveFailed."""
        try:
            yield
        except OSError as error:
            assert self.store is not None
            lang = self._lang()
            reason = describe_os_error(error, self.store.path.parent, lang)
            kept = t("save.kept_closing" if closing else "save.kept_running", lang)
            raise SaveFailed(t("save.failed", lang, server=self.state.server, reason=reason, kept=kept)) from None


class OsReason:
    """``describe_os_error`` said once the language is known (tui.text.in_lang): in a Phrase made
    before the admin's language is (opening a state)."""

    def __init__(self, error: OSError, folder: Path | None = None) -> None:
        self.error, self.folder = error, folder

    def said(self, lang: str) -> str:
        return describe_os_error(self.error, self.folder, lang)


def describe_os_error(error: OSError, folder: Path | None = None, lang: str = "en") -> str:
    """One line for a file-system failure that names what the admin can act on: the file that is in
    the way of a folder, the folder rather than a temp file koppel was writing in it."""
    reason = error.strerror or type(error).__name__
    where = Path(error.filename) if error.filename else None
    if where is not None and isinstance(error, (NotADirectoryError, FileExistsError)):
        in_the_way = next((p for p in (where, *where.parents) if p.exists() and not p.is_dir()), None)
        if in_the_way is not None:
            return Phrase("os.file_not_folder", path=in_the_way).said(lang)
    if where is not None and isinstance(error, PermissionError) and where.is_dir():
        reason = "Is a directory"  # Windows refuses to open a folder as a file with "Permission denied"
    if where is not None and where.name.endswith(".tmp"):
        where = where.parent  # a write in progress: the folder is what refuses it
    if where is None:
        where = folder
    return f"{reason}: {where}" if where is not None else reason
