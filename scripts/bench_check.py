"""A check for scripts/bench.py: a real child process pours lines into the log through koppel's
own road (``procutil.stream_process``), as setup.exe or PowerShell would.

bench.py registers it in place of the https check (``registry.CHECKS["https"]``), so the step
``vooraf.visma_bereikbaar`` runs it. ``KOPPEL_BENCH_LINES`` lines, ``KOPPEL_BENCH_PACE`` seconds of
sleep per 1,000 lines (0: as fast as the pipe takes them).
"""

from __future__ import annotations

import os
import sys

from tui.checks.base import CheckContext, CheckResult
from tui.checks.https import Params  # the parameters of the check it stands in for
from tui.checks.procutil import stream_process

TITLE = {"nl": "Benchmark-stroom", "en": "Benchmark flood"}
KIND = "check"
DEFAULT_TIMEOUT = 600.0

# the same text for koppel and for the bare baseline
FLOOD = """
import sys, time
lines, pace = int(sys.argv[1]), float(sys.argv[2])
write = sys.stdout.write
for start in range(0, lines, 1000):
    write("".join(f"line {n}: TCP 127.0.0.1:443 verbonden in 0,4 ms\\n" for n in range(start, min(lines, start + 1000))))
    if pace:
        sys.stdout.flush()
        time.sleep(pace)
write("the last line\\n")
"""


def argv() -> list[str]:
    lines = os.environ.get("KOPPEL_BENCH_LINES", "1000000")
    pace = os.environ.get("KOPPEL_BENCH_PACE", "0")
    return [sys.executable, "-c", FLOOD, lines, pace]


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    code = await stream_process(argv(), ctx)
    return CheckResult(status="ok" if code == 0 else "fail", message=f"exit {code}")
