"""The SSH link drops: the real koppel in a real pseudo-terminal gets SIGHUP and leaves its state saved."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.pty_harness import drain, pty_koppel

pytestmark = pytest.mark.skipif(os.name == "nt", reason="pseudo-terminals and SIGHUP are POSIX; Windows gets SIGBREAK")


@pytest.mark.parametrize("signame", ["SIGHUP", "SIGTERM"])
def test_a_dropped_link_flushes_the_state_before_koppel_exits(
        signame: str, subprocess_env: dict[str, str], koppel_home: Path) -> None:
    with pty_koppel([sys.executable, "-m", "tui", "--server", "hup"], subprocess_env) as (app, master):
        drain(master, until=b"Checklist")
        drain(master, timeout=1.0)  # let it settle on the introduction
        os.write(master, b"n")  # to the first open step: the cursor moves, its save is only scheduled
        drain(master, timeout=0.4)
        app.send_signal(getattr(signal, signame))
        drain(master, timeout=3.0)
        assert app.wait(timeout=10) is not None
    state = json.loads((koppel_home / "state" / "hup.json").read_text(encoding="utf-8"))
    assert state["cursor"] == "vereisten.editie", state["cursor"]
