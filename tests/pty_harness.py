"""A real koppel in a real pseudo-terminal (POSIX): what an SSH session gives it."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


def drain(master: int, until: bytes | None = None, timeout: float = 20.0) -> bytes:
    """Read what the app draws (it must never block on a full terminal) until ``until`` shows."""
    import select

    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:  # the app closed the terminal
                break
        if until is not None and until in seen:
            return seen
    if until is not None:
        raise AssertionError(f"{until!r} never appeared; last output: {seen[-400:]!r}")
    return seen


def until_quiet(master: int, quiet: float = 0.5, timeout: float = 15.0) -> bytes:
    """Read until the app has drawn nothing for ``quiet`` seconds: the last key is handled (a key
    typed before that could land elsewhere, as type-ahead does)."""
    import select

    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], quiet)
        if not ready:
            break
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
    return seen


@contextmanager
def pty_koppel(command: list[str], env: dict[str, str], size: tuple[int, int] = (24, 80),
               ) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``command`` on a new pseudo-terminal of ``size`` (rows, columns), in its own session as an
    SSH login would start it; yields the process and the terminal's master end. Killed if still
    running afterwards."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave,
                               env=dict(env, TERM="xterm-256color", KOPPEL_LANG="nl"), start_new_session=True)
    os.close(slave)
    try:
        yield process, master
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
