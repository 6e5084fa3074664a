"""The SSH link drops: the real koppel in a real pseudo-terminal gets SIGHUP and leaves its state saved."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="pseudo-terminals and SIGHUP are POSIX; Windows gets SIGBREAK")


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


@pytest.mark.parametrize("signame", ["SIGHUP", "SIGTERM"])
def test_a_dropped_link_flushes_the_state_before_koppel_exits(
        signame: str, subprocess_env: dict[str, str], koppel_home: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(subprocess_env, TERM="xterm-256color", KOPPEL_LANG="nl")
    app = subprocess.Popen([sys.executable, "-m", "tui", "--server", "hup"], stdin=slave, stdout=slave,
                           stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    try:
        drain(master, until=b"Checklist")
        drain(master, timeout=1.0)  # let it settle on the introduction
        os.write(master, b"n")  # to the first open step: the cursor moves, its save is only scheduled
        drain(master, timeout=0.4)
        app.send_signal(getattr(signal, signame))
        drain(master, timeout=3.0)
        assert app.wait(timeout=10) is not None
    finally:
        if app.poll() is None:
            app.kill()
        os.close(master)
    state = json.loads((koppel_home / "state" / "hup.json").read_text(encoding="utf-8"))
    assert state["cursor"] == "vereisten.editie", state["cursor"]
