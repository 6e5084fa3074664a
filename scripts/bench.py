"""koppel's speed, side by side with baselines measured in the same run.

    python scripts/bench.py            # all of it (about a minute)
    python scripts/bench.py --quick    # fewer repetitions

1. start-up of whole processes: the bare interpreter and a bare ``import textual`` against koppel's
   headless commands (which must not import Textual, httpx or pypdf);
2. time to the first frame: a bare Textual app against koppel with the built-in playbook;
3. the log pane under a flood: koppel's batched pane against ``Log.write_line`` per line (the trap),
   measured as lines per second and the longest stall of the event loop;
4. one atomic state save (fsync, .bak) against a plain ``json.dumps`` + write of the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.1f} ms"


def time_process(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - started)
    return samples


def startup(env: dict[str, str], runs: int) -> None:
    py = sys.executable
    rows = [
        ("baseline: python -c pass", [py, "-c", "pass"]),
        ("baseline: python -c 'import textual.app'", [py, "-c", "import textual.app"]),
        ("koppel --version", [py, "-m", "tui", "--version"]),
        ("koppel status (built-in playbook)", [py, "-m", "tui", "status", "--server", "bench"]),
        ("koppel playbook show --json", [py, "-m", "tui", "playbook", "show", "--json"]),
    ]
    print(f"\n1. start-up, median of {runs} runs")
    for label, argv in rows:
        print(f"   {label:<44} {median_ms(time_process(argv, env, runs))}")


FIRST_FRAME = """
import sys, time
started = time.perf_counter()
kind = sys.argv[1]
if kind == "bare":
    from textual.app import App
    from textual.widgets import Footer, Static, Tree

    class Bare(App):
        def compose(self):
            tree = Tree("root")
            for n in range(30):
                tree.root.add_leaf(f"step {n}")
            yield tree
            yield Static("detail")
            yield Footer()

        def on_mount(self):
            self.call_after_refresh(self.exit)

    Bare().run(headless=True, size=(80, 24))
else:
    from tui.app import KoppelApp
    from tui.state.session import open_session

    session = open_session(server="bench")
    app = KoppelApp(session=session)
    async def leave(pilot):
        await pilot.pause()
        app.exit()
    app.run(headless=True, size=(80, 24), auto_pilot=leave)
print(time.perf_counter() - started)
"""


def first_frame(env: dict[str, str], runs: int) -> None:
    print(f"\n2. process start to first frame at 80x24 (headless), median of {runs} runs")
    for label, kind in (("baseline: bare Textual app (tree + footer)", "bare"), ("koppel, built-in playbook", "koppel")):
        samples = time_process([sys.executable, "-c", FIRST_FRAME, kind], env, runs)
        print(f"   {label:<44} {median_ms(samples)}")


async def flood(lines: int, batched: bool) -> tuple[float, float]:
    """(lines per second, longest event-loop stall in seconds) for one way of feeding a Log."""
    from textual.app import App
    from textual.widgets import Log

    from tui.checks.base import LogLine
    from tui.runs import Run as CheckRun
    from tui.widgets.log_pane import LogPane

    run = CheckRun("bench")

    class Flood(App[None]):
        def compose(self):
            yield LogPane(run, []) if batched else Log(max_lines=5000)

    app = Flood()
    async with app.run_test(size=(80, 24)) as pilot:
        stalls: list[float] = []

        async def ticker() -> None:
            last = time.perf_counter()
            while True:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                stalls.append(now - last)
                last = now

        tick = asyncio.create_task(ticker())
        started = time.perf_counter()
        log = app.query_one(Log)
        for number in range(lines):
            if batched:
                run.emit(LogLine(f"line {number}: TCP 127.0.0.1:443 verbonden in 0,4 ms"))
            else:
                log.write_line(f"line {number}: TCP 127.0.0.1:443 verbonden in 0,4 ms")
            if number % 1000 == 999:
                await asyncio.sleep(0)  # a real check yields now and then
        run.active = False
        await pilot.pause(0.1)
        elapsed = time.perf_counter() - started
        tick.cancel()
    return lines / elapsed, max(stalls, default=0.0)


def log_pane(quick: bool) -> None:
    naive_lines, batched_lines = (2_000, 100_000) if quick else (5_000, 300_000)
    print("\n3. log pane under a flood (a 5 ms ticker measures the event loop)")
    for label, lines, batched in (("baseline: Log.write_line per line", naive_lines, False),
                                  ("koppel LogPane (write_lines per frame)", batched_lines, True)):
        rate, stall = asyncio.run(flood(lines, batched))
        print(f"   {label:<44} {lines:>8,} lines  {rate:>10,.0f} lines/s  longest stall {stall * 1000:6.1f} ms")


def state_save(runs: int) -> None:
    from tui.state.model import StepResult
    from tui.state.store import StateStore

    with tempfile.TemporaryDirectory() as home:
        store = StateStore(Path(home), "bench", app_version="bench")
        state = store.open()
        for number in range(40):
            entry = state.step(f"step.{number}")
            entry.status, entry.answers = "done", {"email": "beheer@example.nl", "port": 8080 + number}
            entry.result = StepResult(status="ok", message="ok")
            entry.log_tail = [f"12:00:{n % 60:02d} TCP 127.0.0.1:{8080 + number} verbonden" for n in range(200)]
        samples_store, samples_plain = [], []
        plain = Path(home) / "plain.json"
        for _ in range(runs):
            started = time.perf_counter()
            store.save(state)
            samples_store.append(time.perf_counter() - started)
            started = time.perf_counter()
            plain.write_text(state.model_dump_json(indent=2), encoding="utf-8")
            samples_plain.append(time.perf_counter() - started)
        size = store.path.stat().st_size
        store.close()
    print(f"\n4. one state save ({size / 1024:.0f} KiB: 40 steps, 200-line log tails), median of {runs}")
    print(f"   {'baseline: json dump + write, no fsync':<44} {median_ms(samples_plain)}")
    print(f"   {'koppel StateStore.save (atomic, fsync, .bak)':<44} {median_ms(samples_store)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 9
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, KOPPEL_HOME=home, PYTHONPATH=str(ROOT))
        print(f"koppel benchmarks: Python {sys.version.split()[0]}, {os.cpu_count()} cores, {sys.platform}")
        startup(env, runs)
        first_frame(env, max(3, runs // 2))
    log_pane(args.quick)
    state_save(runs * 3)


if __name__ == "__main__":
    main()
