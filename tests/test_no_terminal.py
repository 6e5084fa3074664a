"""No terminal (`koppel </dev/null >file`, `ssh host koppel` without -t): one line on stderr, exit 2.

Found: the UI was drawn into the file, Textual's input thread spun at ~85% CPU for ever at EOF and
the server's lock stayed held; with stdin a pipe, q did nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.state.session import open_session

KOPPEL = [sys.executable, "-m", "tui", "--server", "noterm"]


def said_how_to_run_it(done: subprocess.CompletedProcess, out: bytes = b"") -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count(b"\n") == 1 and b"ssh -t" in done.stderr and b"koppel status" in done.stderr
    assert out == b""  # nothing drawn


@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
def test_without_a_terminal_koppel_says_how_to_run_it_and_exits_2(
        stdin: str, subprocess_env: dict[str, str], koppel_home: Path, tmp_path: Path) -> None:
    into = tmp_path / "out"
    with open(into, "wb") as stdout:
        feed = {"stdin": subprocess.DEVNULL} if stdin == "devnull" else {"input": b"q"}  # input: a pipe
        done = subprocess.run(KOPPEL, **feed, stdout=stdout, stderr=subprocess.PIPE, env=subprocess_env, timeout=30)
    said_how_to_run_it(done, into.read_bytes())
    assert not (koppel_home / "state" / "noterm.json").exists()  # the state was never opened
    open_session(server="noterm").close()  # nor locked


@pytest.mark.skipif(os.name == "nt", reason="a pseudo-terminal is POSIX")
def test_a_terminal_on_stdin_but_stdout_a_file_is_no_terminal_either(
        subprocess_env: dict[str, str], tmp_path: Path) -> None:
    import pty

    master, slave = pty.openpty()
    into = tmp_path / "out"
    try:
        with open(into, "wb") as stdout:
            done = subprocess.run(KOPPEL, stdin=slave, stdout=stdout, stderr=subprocess.PIPE,
                                  env={**subprocess_env, "KOPPEL_LANG": "en"}, timeout=30)
    finally:
        os.close(slave)
        os.close(master)
    said_how_to_run_it(done, into.read_bytes())
    assert done.stderr.startswith(b"koppel: no terminal;")
