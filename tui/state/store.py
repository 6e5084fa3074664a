"""Per-server state on disk: atomic saves with a .bak, quarantine of damaged files, migration of
older schemas, a lock so that one koppel at a time works on a server, coalesced background saves.

Files in ``state_dir(home)`` for server ``s`` (names from ``safe_server_name``, so never outside):

- ``s.json``: the state, ``ServerState`` as indented JSON.
- ``s.json.bak``: the version before the last save (a hard link to it where the file system has
  them, else a copy).
- ``s.json.corrupt-<UTC time>``: a damaged file moved aside; kept (also by ``reset``) for support.
- ``s.json.schema-<N>``: the file as it was before it was migrated from schema N; kept likewise.
- ``s.lock``, ``s.lock.json``: the lock and who holds it (``tui.state.lock``).
- ``.s.json.<hex>.tmp`` and the like: a write in progress (``tui.state.atomic``); removed by the
  next writable open.

The parts: ``tui.state.atomic`` (complete files at every instant), ``tui.state.lock`` (one koppel per
server), ``tui.state.migration`` (decoding, damage, older schemas); this module puts them together.

Secrets never get here: ``tui.state.session`` drops secret fields before they reach ServerState.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from tui.limits import STATE_FILE_MAX_BYTES
from tui.state.atomic import TEMP_NAME, read_if_exists, replace_retrying, write_atomically
from tui.state.listing import list_servers  # its home since the fast `koppel servers` (issue 11)
from tui.state.lock import ServerLock, StateInUse
from tui.state.migration import Unusable, decode
from tui.state.model import SCHEMA_VERSION, ServerState
from tui.state.paths import safe_server_name, state_dir
from tui.text import Phrase

__all__ = ["StateInUse", "StateStore", "list_servers", "reset", "write_atomically"]


def _read(path: Path) -> bytes | None:
    return read_if_exists(path, STATE_FILE_MAX_BYTES)


# --- the store -----------------------------------------------------------------------------------


class StateStore:
    """The state file of one server. Usage::

        with StateStore(home, "av-srv01", app_version=__version__) as store:
            state = store.open()            # takes the lock, or raises StateInUse
            ...; store.schedule_save(state)  # per keystroke; written within SAVE_DELAY

    Threads: the background saver serializes the state under ``mutex``; a caller that changes
    several fields from another thread and must never see them saved half-way holds ``mutex``.
    """

    SAVE_DELAY = 1.0  # s: a scheduled save is written at most this long after the first change

    def __init__(self, home: Path, server: str, *, read_only: bool = False, app_version: str, lang: str = "en") -> None:
        self.server = safe_server_name(server)
        self.folder = state_dir(Path(home))
        self.path = self.folder / f"{self.server}.json"
        self.bak_path = self.folder / f"{self.server}.json.bak"
        self.lock = ServerLock(self.folder, self.server, app_version)
        self.read_only = read_only
        self.app_version = app_version
        self.phrases: list[Phrase] = []  # what opening the file found, said in whatever language reads it
        self.lang = lang
        self.save_error: str | None = None  # the last background save failure; cleared by a good save
        self.mutex = threading.RLock()
        self._opened = self._closed = False
        self._io = threading.Lock()  # one file write at a time: saver thread vs save()/flush()
        self._cond = threading.Condition()
        self._pending: ServerState | None = None
        self._due = 0.0
        self._taken = self._written = self._settled = 0  # snapshot numbers: taken, on disk, attempted
        self._stopping = False
        self._saver: threading.Thread | None = None
        # every file koppel writes atomically for this server, the .schema-N copy included
        companions = rf"{re.escape(self.server)}\.(json|json\.bak|json\.schema-\d+|lock\.json)"
        self._leftovers = re.compile(TEMP_NAME.format(target=companions))

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def exists(self) -> bool:
        return self.path.exists()

    # --- open ---

    def open(self) -> ServerState:
        """The server's state: loaded, recovered, migrated or fresh. Takes the lock unless read_only
        (and drops it again when the file turns out to come from a newer koppel)."""
        if self._opened:
            raise RuntimeError(f"the state store of {self.server} is already open")
        if not self.read_only:
            self._acquire()
        try:
            state = self._load()
        except BaseException:
            self._release()
            raise
        self._opened = True
        if self.read_only:
            self._release()
        else:
            state.app_version = self.app_version
        state.server = self.server  # the file name decides; a copied file keeps no foreign name
        return state

    def _acquire(self) -> None:
        self.lock.acquire()

    def _release(self) -> None:
        self.lock.release()

    def _load(self) -> ServerState:
        if not self.read_only:
            self._remove_leftovers()
        damage = None
        raw = _read(self.path)
        if raw is not None:
            try:
                return self._accept(*decode(raw), raw, self.path)
            except Unusable as bad:
                damage = Phrase("store.damaged", name=self.path.name, why=bad)
                if not self.read_only:
                    damage = Phrase("store.moved_aside", what=damage, target=self._quarantine(self.path))
        bak = self.bak_path.name
        backup = _read(self.bak_path)
        if backup is None:
            if damage:
                self.phrases.append(Phrase("store.no_backup", damage=damage, bak=bak))
            return ServerState(server=self.server, app_version=self.app_version)
        damage = damage or Phrase("store.missing", name=self.path.name)
        try:
            decoded = decode(backup)
        except Unusable as bad:
            note = Phrase("store.backup_damaged", bak=bak, why=bad)
            if not self.read_only:
                note = Phrase("store.moved_aside", what=note, target=self._quarantine(self.bak_path))
            self.phrases.append(Phrase("store.starts_afresh", damage=damage, note=note))
            return ServerState(server=self.server, app_version=self.app_version)
        if not self.read_only:
            write_atomically(self.path, backup)
        said = "store.showing_backup" if self.read_only else "store.restored_backup"
        self.phrases.append(Phrase(said, damage=damage, bak=bak))
        return self._accept(*decoded, backup, self.bak_path)

    def _accept(self, state: ServerState | None, version: int, raw: bytes, source: Path) -> ServerState:
        """A decoded file: a newer schema makes the store read-only; an older one is migrated,
        the original kept as .schema-N, and saved in the current schema."""
        if version > SCHEMA_VERSION:
            self.read_only = True
            unreadable = "" if state else Phrase("store.newer_unreadable")
            self.phrases.append(Phrase("store.newer", name=source.name, version=version, known=SCHEMA_VERSION,
                                        unreadable=unreadable))
            return state or ServerState(server=self.server)
        assert state is not None  # only a newer schema can leave it undecoded
        if version == SCHEMA_VERSION:
            return state
        if self.read_only:
            self.phrases.append(Phrase("store.older_shown", name=source.name, version=version))
            return state
        original = self.path.with_name(f"{self.path.name}.schema-{version}")
        write_atomically(original, raw)
        state.server = self.server
        state.app_version = self.app_version
        self.save(state)
        self.phrases.append(Phrase("store.converted", name=source.name, version=version, known=SCHEMA_VERSION,
                                    original=original.name))
        return state

    @property
    def notices(self) -> list[str]:
        """What opening the file found, in the store's ``lang``; a caller that knows the admin's
        language better (one saved only in the state) says ``phrases`` in it instead."""
        return [phrase.said(self.lang) for phrase in self.phrases]

    def _quarantine(self, path: Path) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        count = 1
        while target.exists():
            count += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{count}")
        replace_retrying(path, target)
        return target.name

    def _remove_leftovers(self) -> None:
        """Temp files of a koppel that died mid-write (only while holding the lock: none is live)."""
        for entry in os.scandir(self.folder):
            if self._leftovers.fullmatch(entry.name):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

    # --- save ---
    #
    # A save is a snapshot (serialized under ``mutex``, numbered) then a write (under ``_io``,
    # skipped when a newer snapshot is already on disk). The saver thread never holds ``_io``
    # while it waits for ``mutex``, so a caller holding ``mutex`` may call save() or flush().

    def _snapshot(self, state: ServerState | None = None) -> tuple[int, bytes, ServerState] | None:
        """Serialize ``state`` (or the pending state, taking it) as the next numbered snapshot."""
        with self.mutex:
            with self._cond:
                if state is None:
                    state = self._pending
                if state is None:
                    return None
                if state is self._pending:
                    self._pending = None
            data = state.model_dump_json(indent=2).encode("utf-8")
            with self._cond:  # numbered only once serialized: flush() waits for every number to settle
                self._taken += 1
                return self._taken, data, state

    def _store(self, number: int, data: bytes, *, retry: ServerState | None = None) -> None:
        """Write snapshot ``number`` unless a newer one is on disk. On failure ``retry`` (the saver's
        state) becomes pending again, in the same step that settles the number, so flush() sees it."""
        failed = True
        try:
            with self._io:
                if number > self._written:
                    self._write(data)
                    self._written = number
                    self.save_error = None
            failed = False
        finally:
            with self._cond:
                if failed and retry is not None and self._pending is None:
                    self._pending = retry
                    self._due = time.monotonic() + self.SAVE_DELAY
                self._settled = max(self._settled, number)
                self._cond.notify_all()

    def _write(self, data: bytes) -> None:
        write_atomically(self.path, data, backup=self.bak_path)

    def _check_usable(self) -> None:
        if self._stopping or not self.lock.held:  # never write without holding the lock
            raise RuntimeError(f"the state store of {self.server} is not open (or already closed)")

    def save(self, state: ServerState) -> None:
        """Write ``state`` now, atomically; the previous version becomes .bak. No-op when read-only."""
        if self.read_only:
            return
        self._check_usable()
        number, data, _ = self._snapshot(state)
        self._store(number, data)

    def prepare_save(self, state: ServerState) -> Callable[[], None]:
        """``state`` serialized now (no I/O), and the write of it (atomic, fsynced) to be run in a
        worker thread: an event loop never waits for the disk, and the snapshot is of one moment."""
        if self.read_only:
            return lambda: None
        self._check_usable()
        number, data, _ = self._snapshot(state)
        return lambda: self._store(number, data)

    def schedule_save(self, state: ServerState) -> None:
        """Save ``state`` within SAVE_DELAY, coalescing all calls until then. Cheap: no I/O here."""
        if self.read_only:
            return
        self._check_usable()
        with self._cond:
            if self._pending is None:
                self._due = time.monotonic() + self.SAVE_DELAY
                self._cond.notify_all()
            self._pending = state
            if self._saver is None:
                self._saver = threading.Thread(target=self._save_later, name=f"koppel-save-{self.server}", daemon=True)
                self._saver.start()

    def _save_later(self) -> None:
        while True:
            with self._cond:
                while not self._stopping:
                    if self._pending is None:
                        self._cond.wait()
                        continue
                    left = self._due - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(left)
                if self._stopping:
                    return
            try:
                snapshot = self._snapshot()
                if snapshot is not None:  # else flush() or save() took it meanwhile
                    number, data, state = snapshot
                    self._store(number, data, retry=state)
            except Exception as error:  # retried after SAVE_DELAY; the ui can show save_error
                self.save_error = f"could not save {self.path.name}: {error}"

    def flush(self) -> None:
        """Write a scheduled save now, if there is one, and wait for a background write under way."""
        if self.read_only or self._closed:
            return
        for _ in range(2):  # twice: the saver's own try, waited for here, may fail and put it back
            snapshot = self._snapshot()
            if snapshot is not None:
                number, data, state = snapshot
                self._store(number, data, retry=state)  # a failure raises: the caller says it
            with self._cond:
                while self._settled < self._taken:
                    self._cond.wait()
                if self._pending is None:
                    return

    def close(self) -> None:
        """Write what is pending, stop the saver, release the lock. Safe to call twice.

        The saver thread is not joined: once stopping, with nothing pending and every snapshot
        settled, it has nothing left to write and ends by itself; so close() may be called while
        holding ``mutex`` (a join could then wait for a saver waiting for that mutex).
        """
        if self._closed:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        try:
            self.flush()
            if self._pending is not None:  # a background write failed during the flush: try once more, loudly
                self.flush()
        finally:
            self._closed = True
            self._release()


# --- all servers ---------------------------------------------------------------------------------


def reset(home: Path, server: str) -> list[str]:
    """Forget a server: remove its state file and .bak (the names removed are returned). Copies
    kept for support (.corrupt-*, .schema-*) stay. Raises StateInUse while a koppel has it open."""
    store = StateStore(home, server, app_version="")
    store._acquire()
    try:
        removed = []
        for path in (store.path, store.bak_path):
            if path.exists():
                path.unlink()
                removed.append(path.name)
        store._remove_leftovers()
        return removed
    finally:
        store._release()
