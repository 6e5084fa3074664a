"""Writing a document where the admin asked for it (-o FILE), without replacing what is there.

A regular file (or a new name) is written atomically (tui.state.atomic): a complete file or the
old one, and an existing file keeps its permissions. Anything else is written into, never
replaced: a character device (/dev/null, a terminal), a FIFO, the same file as stdout
(/dev/stdout, ``-o out.md > out.md``), and every path under /dev and /proc. A symbolic link stays:
the file it points to is written. A folder, a disk device or a missing folder is refused with a
message that names the path.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from tui.state.atomic import fsync_dir, replace_retrying, write_temp

WINDOWS_DEVICES = {"NUL", "CON", "PRN", "AUX", "CONOUT$", *(f"COM{n}" for n in range(1, 10)),
                   *(f"LPT{n}" for n in range(1, 10))}


class OutputRefused(Exception):
    """The path cannot take the document; str() says which path and why."""


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as the module docstring says; OutputRefused when it cannot."""
    try:
        status = os.stat(path)  # follows links: what a write would reach
    except (FileNotFoundError, NotADirectoryError):  # a new file; a wrong folder is said below
        status = None
    except OSError as error:
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputRefused(f"{path} is a folder: give a file name")
    if status is not None and stat.S_ISBLK(status.st_mode):
        raise OutputRefused(f"{path} is a disk device, not a file")
    if status is not None and _is_stdout(status):
        _write_stdout(data)
    elif _is_special(path, status):
        if status is None:
            raise OutputRefused(f"no such device: {path}")
        _write_into(path, data)
    else:
        _replace(Path(os.path.realpath(path)), data, status)


def _is_stdout(status: os.stat_result) -> bool:
    try:
        return os.path.samestat(status, os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no stdout, or not a real file
        return False


def _is_special(path: Path, status: os.stat_result | None) -> bool:
    if status is not None and not stat.S_ISREG(status.st_mode):
        return True  # a character device, a FIFO, a socket
    if os.name == "nt":
        return path.stem.upper() in WINDOWS_DEVICES or str(path).startswith("\\\\.\\")
    else:  # devices and descriptors: written into, never replaced (as root the rename would
        # turn /dev/null into a regular file)
        return os.path.abspath(path).startswith(("/dev/", "/proc/"))


def _write_stdout(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", sys.stdout)
    buffer.write(data)
    buffer.flush()


def _write_into(path: Path, data: bytes) -> None:
    """Into what is there (a FIFO waits for its reader, as a shell's > does)."""
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as error:
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _replace(target: Path, data: bytes, status: os.stat_result | None) -> None:
    """A regular file (or a new one) replaced in one rename, keeping its permissions; a new file
    gets what any program's new file gets (0666 less the umask)."""
    folder = target.parent
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "folder not found"
        raise OutputRefused(f"{what}: {folder}")
    try:
        tmp = write_temp(target, data, mode=0o666)
    except OSError as error:
        raise OutputRefused(f"cannot write in {folder}: {error.strerror or error}") from None
    try:
        if status is not None:
            _keep_owner_and_mode(tmp, status)
        replace_retrying(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise OutputRefused(f"cannot write {target}: {error.strerror or error}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def _keep_owner_and_mode(path: Path, status: os.stat_result) -> None:
    if os.name != "nt":
        if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.chown(path, status.st_uid, status.st_gid)  # root writing another admin's file
            except OSError:
                pass  # not allowed: the new file is ours, with the old permissions
    os.chmod(path, stat.S_IMODE(status.st_mode))
