"""One koppel at a time per server: an OS lock (filelock: fcntl / msvcrt, released by the OS when
its process dies) on ``<server>.lock``, and ``<server>.lock.json`` saying who holds it (owner
user@host, pid, since) for the "in use" message.
"""

from __future__ import annotations

import errno
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from tui.state.atomic import write_atomically
from tui.state.schema import now
from tui.state.paths import who

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_WAIT = 0.25  # s: rides out list_servers' momentary probe; a real owner holds the lock far longer
OWNER_INFO_WAIT = 0.5  # s: a new owner writes its .lock.json just after taking the lock


class StateInUse(Exception):
    """Another koppel holds this server's state. ``pid`` is None when the holder left no owner
    information (it is not a koppel, or one that could not write it)."""

    def __init__(self, server: str, owner: str | None, pid: int | None, since: datetime) -> None:
        self.server, self.owner, self.pid, self.since = server, owner, pid, since
        shown = since.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if owner is None or pid is None:
            holder = "another program that left no owner information (not a koppel, or one that could not say who it is)"
        else:
            holder = f"{owner}, pid {pid}"
        super().__init__(f"state of server {server} is in use by {holder}, since {shown}")

    def said(self, lang: str) -> str:
        """The same in the admin's language (tui.text.in_lang, as ``koppel check`` says it)."""
        from tui.text import t

        holder = t("error.in_use_unknown", lang) if self.owner is None or self.pid is None else f"{self.owner}, pid {self.pid}"
        return t("error.in_use", lang, server=self.server, holder=holder, since=f"{self.since.astimezone():%Y-%m-%d %H:%M}")


def _read_owner(info_path: Path) -> tuple[str, int, datetime] | None:
    try:
        info = json.loads(info_path.read_bytes()[:4096])
        return str(info["owner"])[:200], int(info["pid"]), datetime.fromisoformat(info["since"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


class ServerLock:
    """The lock of one server's state in ``folder``."""

    def __init__(self, folder: Path, server: str, app_version: str) -> None:
        self.server = server
        self.path = folder / f"{server}.lock"
        self.owner_path = folder / f"{server}.lock.json"
        self.app_version = app_version
        self._lock: FileLock | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None

    def acquire(self) -> None:
        """Take the lock, or raise StateInUse naming the holder."""
        from filelock import FileLock, Timeout  # here, not at import: `koppel servers` probes without it (POSIX)

        lock = FileLock(self.path, thread_local=False)
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except Timeout:
            raise self._in_use() from None
        self._lock = lock
        info = {"owner": who(), "pid": os.getpid(), "since": now().isoformat(), "app_version": self.app_version}
        try:
            write_atomically(self.owner_path, json.dumps(info, indent=2).encode())
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if self._lock is None:
            return
        try:  # while the lock is still ours, so never someone else's info
            self.owner_path.unlink(missing_ok=True)
        except OSError:  # a reader has it open (Windows); a stale info file is harmless
            pass
        self._lock.release()
        self._lock = None

    def _in_use(self) -> StateInUse:
        deadline = time.monotonic() + OWNER_INFO_WAIT
        while (owner := _read_owner(self.owner_path)) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if owner is not None:
            return StateInUse(self.server, *owner)
        try:
            since = datetime.fromtimestamp(self.path.stat().st_mtime, timezone.utc)
        except OSError:
            since = now()
        return StateInUse(self.server, None, None, since)


def _flock_probe(lock_path: Path) -> bool | None:
    """POSIX: is ``lock_path`` locked (flock, as filelock takes it)? True/False; None when this cannot
    tell (then filelock's own probe decides and says why). Spares ``koppel servers`` importing
    filelock (about 3x a bare Python start) for each listing."""
    if os.name == "nt":
        return None
    import fcntl

    try:
        fd = os.open(lock_path, os.O_RDWR)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            return True if error.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES) else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _named_holder(folder: Path, server: str) -> str:
    owner = _read_owner(folder / f"{server}.lock.json")
    return f"{owner[0]}, pid {owner[1]}" if owner else "another program (no owner information)"


def holder(folder: Path, server: str) -> str | None:
    """``"user@host, pid N"`` of the koppel holding ``server``'s lock, else None. Probes the OS lock
    (taken and dropped at once) rather than trusting a .lock.json a killed koppel may have left.
    A lock that cannot even be probed (a folder in its place, a read-only folder) is said so."""
    lock_path = folder / f"{server}.lock"
    if not lock_path.exists():
        return None
    if not lock_path.is_file():
        return f"unknown: {lock_path.name} is not a file"
    held = _flock_probe(lock_path)
    if held is not None:
        return _named_holder(folder, server) if held else None
    from filelock import FileLock, Timeout  # Windows (msvcrt), or a lock the quick probe could not open

    probe = FileLock(lock_path, thread_local=False)
    try:
        probe.acquire(blocking=False)
    except Timeout:
        return _named_holder(folder, server)
    except OSError as error:  # e.g. a read-only folder or lock file: the lock cannot be probed
        return f"unknown: {lock_path.name} cannot be opened ({error.strerror or type(error).__name__})"
    probe.release()
    return None
