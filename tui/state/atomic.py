"""Files that are complete at every instant: a temp file fsynced, then one rename over the target.

Used for the state, its .bak, the lock's owner info and the files the admin asks for (-o FILE).
A temp file is named ``.<target name>.<12 hex>.tmp`` next to its target (the same folder, so the
rename is atomic); ``TEMP_NAME`` finds the ones a killed koppel left.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

REPLACE_ATTEMPTS = 8  # 10 ms doubling: gives a virus scanner or indexer about 1.3 s to let go
TEMP_NAME = r"\.{target}\.[0-9a-f]{{12}}\.tmp"  # .format(target=re.escape(name)) for a regex


def _token() -> str:
    """12 random hex digits for a temp name (what secrets.token_hex(6) returns, without importing
    the secrets module and its random/hashlib/base64 on every start of koppel)."""
    return os.urandom(6).hex()


def read_if_exists(path: Path, max_bytes: int | None = None) -> bytes | None:
    """The file's bytes, None when there is no file. With ``max_bytes``, at most that many plus one
    are read: the caller sees a file is too large without holding all of it."""
    try:
        with open(path, "rb") as handle:
            return handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        return None


def write_temp(beside: Path, data: bytes, mode: int = 0o600) -> Path:
    """A new temp file next to ``beside`` (same folder, so a rename is atomic), data on disk;
    created with ``mode`` (less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    while True:
        tmp = beside.with_name(f".{beside.name}.{_token()}.tmp")
        try:
            fd = os.open(tmp, flags, mode)
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


def replace_retrying(src: Path, dst: Path, *, replace: Callable[[Path, Path], None] = os.replace,
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


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable. POSIX only: Windows cannot open a folder with os.open
    (PermissionError), and NTFS journals the rename itself."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems (network shares) refuse fsync on a folder; nothing to do
        pass
    finally:
        os.close(fd)


def _hard_linked(current: Path, link: Path) -> bool:
    """A hard link to ``current`` at ``link`` (cheap: no data copied; current is never written in
    place), where that is safe. Not on Windows: a link shares its file's open handles, so a reader
    holding ``current`` open (without FILE_SHARE_DELETE, as most programs open) would pin the link
    too, neither renamed over the backup nor deleted."""
    if os.name == "nt":
        return False
    try:
        os.link(current, link)
    except OSError:  # no hard links here (FAT, some shares)
        return False
    return True


def keep_backup(current: Path, backup: Path) -> None:
    """``backup`` becomes a complete copy of ``current``, replacing the old one in one rename."""
    link = backup.with_name(f".{backup.name}.{_token()}.tmp")
    if not _hard_linked(current, link):  # a real copy
        link = write_temp(backup, current.read_bytes())
    try:
        replace_retrying(link, backup)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes, *, backup: Path | None = None) -> None:
    """Write ``target`` so that at every instant it is a complete file: the old one or the new one.

    Order: new data in a temp file and fsynced; then (when asked) the current file hard-linked or
    copied to ``backup`` (so .bak is always a complete earlier version too); then the temp file
    renamed over ``target``; then the folder fsynced so the renames survive a power cut.
    """
    tmp = write_temp(target, data)
    try:
        if backup is not None and target.exists():
            keep_backup(target, backup)
        replace_retrying(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
