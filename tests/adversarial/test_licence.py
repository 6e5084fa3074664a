"""The licence reader's child process (issue 9 item 10): a child that floods its output must not
grow koppel's memory without limit, and a deadline kill leaves no "Event loop is closed" noise."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from tests.conftest import ROOT
from tui.checks.procutil import capture
from tui.limits import CHILD_OUTPUT_MAX_BYTES

FLOOD = "import sys\nfor _ in range(3000):\n    sys.stderr.write('x' * 65535 + '\\n')\nprint('{}')\n"  # ~200 MB


def test_child_flooding_stderr_keeps_memory_bounded() -> None:
    tracemalloc.start()
    try:
        code, out, err = asyncio.run(capture([sys.executable, "-c", FLOOD]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0 and out.strip() == "{}"
    assert len(err) <= CHILD_OUTPUT_MAX_BYTES and err.endswith("x" + os.linesep)  # the tail: where an error would be
    assert peak < 10 * CHILD_OUTPUT_MAX_BYTES, f"peak {peak:,} bytes"


# the child leaves a grandchild in a session of its own holding the pipes: the pipes may outlive the
# event loop (the kill reaches the grandchild through the parent links while the child lives, not
# through the child's process group)
DEADLINE_KILL = textwrap.dedent("""
    import asyncio, gc, sys
    from tui.checks.procutil import capture

    CHILD = ("import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3)'],"
             " start_new_session=True); time.sleep(30)")

    async def main():
        try:
            await asyncio.wait_for(capture([sys.executable, "-c", CHILD]), 0.5)
        except TimeoutError:
            print("deadline")

    asyncio.run(main())
    gc.collect()
""")


@pytest.mark.skipif(os.name == "nt", reason="a grandchild escaping the tree kill needs a POSIX session")
def test_deadline_kill_leaves_no_event_loop_is_closed_message() -> None:
    done = subprocess.run([sys.executable, "-c", DEADLINE_KILL], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "deadline", done.stderr
    assert "Exception ignored" not in done.stderr and "Event loop is closed" not in done.stderr, done.stderr
