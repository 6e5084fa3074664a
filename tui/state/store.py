"""Per-server state on disk: atomic saves with a .bak, quarantine of damaged files, migration of
older schemas, a lock so that one koppel at a time works on a server, coalesced background saves.

Files in ``state_dir(home)`` for server ``s`` (names from ``safe_server_name``, so never outside):

- ``s.json``: the state, ``ServerState`` as indented JSON.
- ``s.json.bak``: the version before the last save (a hard link to it where the file system has
  them, else a copy).
- ``s.json.corrupt-<UTC time>``: a damaged file moved aside; kept (also by ``reset``) for support.
- ``s.json.schema-<N>``: the file as it was before it was migrated from schema N; kept likewise.
- ``s.lock``: the OS lock (filelock: fcntl / msvcrt), released by the OS when its process dies.
- ``s.lock.json``: who holds the lock (owner user@host, pid, since), for the "in use" message.
- ``.s.json.<hex>.tmp`` and the like: a write in progress; removed by the next writable open.

Secrets never get here: ``tui.state.session`` drops secret fields before they reach ServerState.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from pydantic import ValidationError

from tui.state.model import SCHEMA_VERSION, ServerState, now
from tui.state.paths import BadServerName, safe_server_name, state_dir, who

LOCK_WAIT = 0.25  # s: rides out list_servers' momentary probe; a real owner holds the lock far longer
OWNER_INFO_WAIT = 0.5  # s: a new owner writes its .lock.json just after taking the lock
REPLACE_ATTEMPTS = 8  # 10 ms doubling: gives a virus scanner or indexer about 1.3 s to let go


class StateInUse(Exception):
    """Another koppel holds this server's state."""

    def __init__(self, server: str, owner: str, pid: int, since: datetime) -> None:
        self.server, self.owner, self.pid, self.since = server, owner, pid, since
        shown = since.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        super().__init__(f"state of server {server} is in use by {owner}, pid {pid}, since {shown}")


class _Unusable(Exception):
    """A state file that cannot be loaded; str() says why, in a few words."""


# --- migration -----------------------------------------------------------------------------------


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 0 (koppel 0.0.x) kept ``current_step`` instead of ``cursor``, all answers in one
    flat dict keyed ``"<step key>/<field>"``, statuses in a ``status`` dict with "open" for todo,
    and ``saved_at`` / ``saved_by`` for updated_at / updated_by."""
    new = dict(data)
    steps: dict[str, dict[str, Any]] = {}
    for key, status in (new.pop("status", None) or {}).items():
        steps.setdefault(key, {})["status"] = "todo" if status == "open" else status
    for flat, value in (new.pop("answers", None) or {}).items():
        key, _, field = flat.rpartition("/")
        if not key or not field:
            raise ValueError(f"answer {flat!r} is not named '<step>/<field>'")
        steps.setdefault(key, {}).setdefault("answers", {})[field] = value
    new["steps"] = steps
    new["cursor"] = new.pop("current_step", None)
    new["updated_at"] = new.pop("saved_at", None)
    new["updated_by"] = new.pop("saved_by", None)
    new["schema_version"] = 1
    return new


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` of an older schema_version brought to SCHEMA_VERSION, one step at a time (the
    input is not changed). Raises ValueError when a step is missing or the data does not fit it."""
    version = data.get("schema_version")
    while isinstance(version, int) and version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"no migration from schema {version}")
        data = step(data)
        version = data["schema_version"]
    return data


def _decode(raw: bytes) -> tuple[ServerState | None, int]:
    """The state in ``raw`` and the schema it was written with. Newer schemas are returned as far
    as this koppel understands them (None when not at all): they are never judged damaged."""
    if not raw.strip():
        raise _Unusable("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8-sig"))  # -sig: a BOM from Notepad is no damage
    except UnicodeDecodeError:
        raise _Unusable("it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise _Unusable(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if not isinstance(data, dict):
        raise _Unusable("it is not a JSON object")
    version = data.get("schema_version")
    if type(version) is not int or version < 0:
        raise _Unusable("it has no valid schema_version")
    if version < SCHEMA_VERSION:
        try:
            data = migrate(data)
        except (ValueError, TypeError, AttributeError) as error:
            raise _Unusable(f"cannot convert it from schema {version}: {error}") from None
    try:
        return ServerState.model_validate(data), version
    except ValidationError as error:
        if version > SCHEMA_VERSION:
            return None, version
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise _Unusable(f"not a koppel state: {where}: {first['msg']}{more}") from None


# --- file primitives -----------------------------------------------------------------------------


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_temp(beside: Path, data: bytes) -> Path:
    """A new temp file next to ``beside`` (same folder, so a rename is atomic), data on disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    while True:
        tmp = beside.with_name(f".{beside.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _replace(src: Path, dst: Path, *, replace: Callable[[Path, Path], None] = os.replace,
             attempts: int = REPLACE_ATTEMPTS) -> None:
    """os.replace, retried briefly: on Windows a virus scanner, the indexer or a reader holding
    ``dst`` open makes it fail with PermissionError for a moment."""
    for attempt in range(attempts):
        try:
            replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * 2**attempt)


def _fsync_dir(folder: Path, *, is_windows: bool = os.name == "nt") -> None:
    """Make renames in ``folder`` durable. POSIX only: Windows cannot open a folder with os.open,
    and NTFS journals the rename itself."""
    if is_windows:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems (network shares) refuse fsync on a folder; nothing to do
        pass
    finally:
        os.close(fd)


def _keep_backup(current: Path, backup: Path) -> None:
    """``backup`` becomes a complete copy of ``current``, replacing the old one in one rename."""
    link = backup.with_name(f".{backup.name}.{secrets.token_hex(6)}.tmp")
    try:
        os.link(current, link)  # cheap: no data copied; current is never written in place
    except OSError:  # no hard links here (FAT, some shares): a real copy
        link = _write_temp(backup, current.read_bytes())
    try:
        _replace(link, backup)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes, *, backup: Path | None = None) -> None:
    """Write ``target`` so that at every instant it is a complete file: the old one or the new one.

    Order: new data in a temp file and fsynced; then (when asked) the current file hard-linked or
    copied to ``backup`` (so .bak is always a complete earlier version too); then the temp file
    renamed over ``target``; then the folder fsynced so the renames survive a power cut.
    """
    tmp = _write_temp(target, data)
    try:
        if backup is not None and target.exists():
            _keep_backup(target, backup)
        _replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


# --- the lock ------------------------------------------------------------------------------------


def _read_owner(info_path: Path) -> tuple[str, int, datetime] | None:
    try:
        info = json.loads(info_path.read_bytes())
        return str(info["owner"]), int(info["pid"]), datetime.fromisoformat(info["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _in_use(server: str, info_path: Path, lock_path: Path) -> StateInUse:
    deadline = time.monotonic() + OWNER_INFO_WAIT
    while (owner := _read_owner(info_path)) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if owner is None:
        try:
            since = datetime.fromtimestamp(lock_path.stat().st_mtime, timezone.utc)
        except OSError:
            since = now()
        owner = ("an unknown user", 0, since)
    return StateInUse(server, *owner)


def _holder(folder: Path, server: str) -> str | None:
    """``"user@host, pid N"`` of the koppel holding ``server``'s lock, else None. Probes the OS lock
    (taken and dropped at once) rather than trusting a .lock.json a killed koppel may have left."""
    lock_path = folder / f"{server}.lock"
    if not lock_path.exists():
        return None
    probe = FileLock(lock_path, thread_local=False)
    try:
        probe.acquire(blocking=False)
    except Timeout:
        owner = _read_owner(folder / f"{server}.lock.json")
        return f"{owner[0]}, pid {owner[1]}" if owner else "an unknown user"
    probe.release()
    return None


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

    def __init__(self, home: Path, server: str, *, read_only: bool = False, app_version: str) -> None:
        self.server = safe_server_name(server)
        self.folder = state_dir(Path(home))
        self.path = self.folder / f"{self.server}.json"
        self.bak_path = self.folder / f"{self.server}.json.bak"
        self.lock_path = self.folder / f"{self.server}.lock"
        self.owner_path = self.folder / f"{self.server}.lock.json"
        self.read_only = read_only
        self.app_version = app_version
        self.notices: list[str] = []
        self.save_error: str | None = None  # the last background save failure; cleared by a good save
        self.mutex = threading.RLock()
        self._lock: FileLock | None = None
        self._opened = self._closed = False
        self._io = threading.Lock()  # one file write at a time: saver thread vs save()/flush()
        self._cond = threading.Condition()
        self._pending: ServerState | None = None
        self._due = 0.0
        self._taken = self._written = self._settled = 0  # snapshot numbers: taken, on disk, attempted
        self._stopping = False
        self._saver: threading.Thread | None = None
        self._leftovers = re.compile(
            rf"\.{re.escape(self.server)}\.(json|json\.bak|lock\.json)\.[0-9a-f]{{12}}\.tmp"
        )

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
        lock = FileLock(self.lock_path, thread_local=False)
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except Timeout:
            raise _in_use(self.server, self.owner_path, self.lock_path) from None
        self._lock = lock
        info = {"owner": who(), "pid": os.getpid(), "since": now().isoformat(), "app_version": self.app_version}
        try:
            write_atomically(self.owner_path, json.dumps(info, indent=2).encode())
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if self._lock is None:
            return
        try:  # while the lock is still ours, so never someone else's info
            self.owner_path.unlink(missing_ok=True)
        except OSError:  # a reader has it open (Windows); a stale info file is harmless
            pass
        self._lock.release()
        self._lock = None

    def _load(self) -> ServerState:
        if not self.read_only:
            self._remove_leftovers()
        damage = None
        raw = _read(self.path)
        if raw is not None:
            try:
                return self._accept(*_decode(raw), raw, self.path)
            except _Unusable as bad:
                damage = f"{self.path.name} is damaged ({bad})"
                if not self.read_only:
                    damage += f" and was moved aside as {self._quarantine(self.path)}"
        backup = _read(self.bak_path)
        if backup is None:
            if damage:
                self.notices.append(f"{damage}; there is no {self.bak_path.name}, so koppel starts afresh")
            return ServerState(server=self.server, app_version=self.app_version)
        damage = damage or f"{self.path.name} is missing"
        try:
            decoded = _decode(backup)
        except _Unusable as bad:
            note = f"{self.bak_path.name} is damaged too ({bad})"
            if not self.read_only:
                note += f" and was moved aside as {self._quarantine(self.bak_path)}"
            self.notices.append(f"{damage}; {note}; koppel starts afresh")
            return ServerState(server=self.server, app_version=self.app_version)
        if not self.read_only:
            write_atomically(self.path, backup)
        verb = "showing" if self.read_only else "restored"
        self.notices.append(f"{damage}; {verb} the previous copy from {self.bak_path.name}")
        return self._accept(*decoded, backup, self.bak_path)

    def _accept(self, state: ServerState | None, version: int, raw: bytes, source: Path) -> ServerState:
        """A decoded file: a newer schema makes the store read-only; an older one is migrated,
        the original kept as .schema-N, and saved in the current schema."""
        if version > SCHEMA_VERSION:
            self.read_only = True
            understood = "" if state else "; its contents cannot be shown"
            self.notices.append(
                f"{source.name} was written by a newer koppel (schema {version}; this koppel knows up to "
                f"{SCHEMA_VERSION}); opened read-only, nothing will be saved{understood}"
            )
            return state or ServerState(server=self.server)
        assert state is not None  # only a newer schema can leave it undecoded
        if version == SCHEMA_VERSION:
            return state
        if self.read_only:
            self.notices.append(f"{source.name} uses the older schema {version}; shown converted, not saved")
            return state
        original = self.path.with_name(f"{self.path.name}.schema-{version}")
        write_atomically(original, raw)
        state.server = self.server
        state.app_version = self.app_version
        self.save(state)
        self.notices.append(
            f"{source.name} was converted from schema {version} to {SCHEMA_VERSION}; "
            f"the original is kept as {original.name}"
        )
        return state

    def _quarantine(self, path: Path) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        count = 1
        while target.exists():
            count += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{count}")
        _replace(path, target)
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
        if self._stopping or self._lock is None:  # never write without holding the lock
            raise RuntimeError(f"the state store of {self.server} is not open (or already closed)")

    def save(self, state: ServerState) -> None:
        """Write ``state`` now, atomically; the previous version becomes .bak. No-op when read-only."""
        if self.read_only:
            return
        self._check_usable()
        number, data, _ = self._snapshot(state)
        self._store(number, data)

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
        snapshot = self._snapshot()
        if snapshot is not None:
            number, data, state = snapshot
            self._store(number, data, retry=state)
        with self._cond:
            while self._settled < self._taken:
                self._cond.wait()

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


def list_servers(home: Path) -> list[dict[str, Any]]:
    """One summary per state file, sorted by server, without taking any lock for longer than a probe:

    ``server``; ``statuses`` (count per stored step status) and ``done`` (count of done steps: the
    total needs the playbook, so the caller computes "done of total"); ``cursor``; ``updated_at``;
    ``updated_by``; ``schema_version``; ``in_use_by`` ("user@host, pid N" or None); ``problem``
    (why the file could not be read, else None).
    """
    folder = state_dir(Path(home))
    summaries = []
    for path in sorted(folder.glob("*.json")):
        server = path.name.removesuffix(".json")
        try:
            if safe_server_name(server) != server:  # not a file koppel wrote (upper case, ...)
                continue
        except BadServerName:  # also skips the .lock.json owner files
            continue
        summary: dict[str, Any] = {
            "server": server, "statuses": {}, "done": 0, "cursor": None, "updated_at": None,
            "updated_by": None, "schema_version": None, "in_use_by": _holder(folder, server), "problem": None,
        }
        try:
            state, summary["schema_version"] = _decode(path.read_bytes())
        except (OSError, _Unusable) as bad:
            summary["problem"] = str(bad)
            state = None
        if state is not None:
            statuses = Counter(step.status for step in state.steps.values())
            summary.update(statuses=dict(statuses), done=statuses["done"], cursor=state.cursor,
                           updated_at=state.updated_at, updated_by=state.updated_by)
        elif summary["problem"] is None:
            summary["problem"] = f"written by a newer koppel (schema {summary['schema_version']})"
        summaries.append(summary)
    return summaries


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
