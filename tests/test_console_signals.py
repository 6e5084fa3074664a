"""The console closing or Ctrl+Break (Windows: SIGBREAK), SIGTERM or an SSH drop (POSIX: SIGHUP): koppel's
handler saves and releases the state, then the process ends. Real signals in a real child on both
OSes. What the Windows leg cannot do: deliver a console control event itself; Wine without a
display has no console (AllocConsole fails, GenerateConsoleCtrlEvent has none to send through), so
the child raises SIGBREAK, the signal the C runtime turns CTRL_BREAK_EVENT and CTRL_CLOSE_EVENT into.
The terminal that really hangs up: tests/test_hangup.py (tmux, POSIX).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.cli import hangup_signals
from tui.state.session import open_session

CHILD = textwrap.dedent("""
    import signal, sys
    sys.path.insert(0, sys.argv[1])
    from tui.cli import _flush_on_hangup
    from tui.state.session import open_session

    session = open_session(server="srv01")
    session.set_cursor(session.refs()[3].key)

    class App:  # the two things the handler asks of KoppelApp
        def close_session(self):
            session.close()
            print("closed", flush=True)

        def exit(self):
            pass

    _flush_on_hangup(App())
    print("ready", flush=True)
    signal.raise_signal(getattr(signal, sys.argv[2]))
    print("still running", flush=True)
""")


def test_the_hangup_signals_of_this_os() -> None:
    names = {signal.Signals(number).name for number in hangup_signals(signal)}
    assert names == ({"SIGTERM", "SIGBREAK"} if sys.platform == "win32" else {"SIGHUP", "SIGTERM"})


@pytest.mark.parametrize("name", [name for name in ("SIGBREAK", "SIGHUP", "SIGTERM") if hasattr(signal, name)])
def test_a_hangup_saves_and_releases_the_state(name: str, subprocess_env: dict[str, str], koppel_home: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), name], env=subprocess_env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["ready", "closed"], done.stderr
    assert done.returncode == 128 + getattr(signal, name)
    again = open_session(server="srv01")  # the lock was let go, the cursor written
    try:
        assert again.state.cursor == again.refs()[3].key  # a delayed save: written by the handler
    finally:
        again.close()
