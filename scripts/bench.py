"""koppel's speed and scale (issue 11), each figure beside a baseline measured in the same run.

    python scripts/bench.py            # every figure (under ten minutes on 2 cores)
    python scripts/bench.py --quick    # fewer repetitions, smaller floods

Runs of koppel and of its baseline alternate (interleaved), and a figure is the median. What a
terminal shows is read from a real tmux at 80x24 on a private server socket (``tmux -L perf-<pid>``)
by polling ``capture-pane``: a frame counts as full when the header (with its progress), the tree
and the detail are all drawn. The baselines are the best use of the same library: a bare Textual
app laid out alike (a Static header, a Tree with as many nodes, a Static detail, a Footer) and, for
floods, a Log fed by ``Log.write_lines`` per 1,000 lines (never ``write_line`` per line). A flood
comes from a real child process (scripts/bench_check.py) through koppel's own road.

Every figure prints its target from the issue and whether it meets it; a miss says by how much.
Internally the script also runs its own pieces (``--child NAME``) in fresh processes.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
PY = sys.executable
STEP = "vooraf.visma_bereikbaar"  # the https check's step: it waits for no other step
FLOOD_PACE = "0.04"  # seconds per 1,000 lines in the keypress-during-a-flood runs (25,000 lines/s)
SCALE_TIMEOUT = 60.0  # a first frame slower than this is reported as such, not waited for
SCALE_KEYS = 6  # j, k, j, ... per launch in the scale rows: the median of 2 was one noisy press
ROWS: list[tuple[str, str, float | None, float | None, float | None, str]] = []  # the summary


# ------------------------------------------------------------------------------------- reporting
def ms(seconds: float | None) -> str:
    return "      -" if seconds is None else f"{seconds * 1000:7.1f} ms"


def figure(label: str, ours: float | None, base: float | None, limit: float | None, *, unit: str = "ms",
           base_label: str = "") -> None:
    """One line: koppel, the baseline, the ratio and the verdict against ``limit`` (a ratio)."""
    ratio = ours / base if ours is not None and base else None
    verdict = ""
    if ratio is not None and limit is not None:
        verdict = "meets" if ratio <= limit else f"MISSES by {ratio / limit:.2f}x"
        verdict += f" (target {limit:g}x)"
    show = ms if unit == "ms" else (lambda v: "      -" if v is None else f"{v / 1e6:7.1f} MB")
    print(f"   {label:<38} {show(ours)}  vs {show(base)}  ratio {ratio if ratio is None else f'{ratio:5.2f}'}  {verdict}")
    ROWS.append((label, base_label, ours, base, ratio, verdict))


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# ------------------------------------------------------------------------------------- the homes
def make_home(root: Path, administraties: int, *, cursor: str | None = None) -> tuple[Path, int]:
    """A KOPPEL_HOME whose server "bench" has ``administraties`` names; returns it and the number
    of tree nodes koppel shows for it (for the bare app's tree of the same size)."""
    from tui.state.session import open_session
    from tui.state.store import StateStore

    home = root / f"home-{administraties}-{cursor or 'start'}"
    if not home.exists():
        store = StateStore(home, "bench", app_version="bench")
        state = store.open()
        state.administraties = [f"Administratie {n:03d} BV" for n in range(administraties)]
        state.cursor = cursor
        store.save(state)
        store.close()
    session = open_session(home=home, server="bench", read_only=True)
    refs = session.refs()
    scoped = {r.step.id for r in refs if r.administratie}
    nodes = 1 + len(session.playbook.sections) + len(refs) + len(scoped)
    session.close()
    return home, nodes


# ------------------------------------------------------------------------------------- tmux
class Tmux:
    """A private tmux server (its own -L socket) whose windows are 80x24 terminals."""

    def __init__(self) -> None:
        self.socket = f"perf-{os.getpid()}"
        self.tmux("new-session", "-d", "-s", "bench", "-x", "80", "-y", "24", "sleep 100000")
        self.tmux("set-option", "-g", "remain-on-exit", "off")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True).stdout

    def close(self) -> None:
        self.tmux("kill-server")

    def start(self, argv: list[str], env: dict[str, str]) -> tuple[str, int, float]:
        """Open a window running argv; (pane id, pid, the moment just before tmux was asked)."""
        wanted = {k: v for k, v in env.items() if k.startswith("KOPPEL_") or k in ("PYTHONPATH", "TERM", "LANG")}
        command = "exec env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in wanted.items()) + " " + shlex.join(argv)
        started = time.perf_counter()
        out = self.tmux("new-window", "-d", "-t", "bench:", "-c", str(ROOT), "-P", "-F", "#{pane_id} #{pane_pid}", command)
        pane, pid = out.split()
        return pane, int(pid), started

    def screen(self, pane: str) -> list[str]:
        lines = self.tmux("capture-pane", "-p", "-t", pane).splitlines()
        return lines + [""] * (24 - len(lines))

    def wait(self, pane: str, condition: Callable[[list[str]], bool], timeout: float) -> float | None:
        """Poll the pane until condition holds; the perf_counter moment it was seen, None on timeout."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if condition(self.screen(pane)):
                return time.perf_counter()
            time.sleep(0.003)
        return None

    def stop(self, pane: str, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and _alive(pid):
            time.sleep(0.02)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.tmux("kill-pane", "-t", pane)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return True


PROGRESS = re.compile(r"\d+/\d+")


def full_screen(lines: list[str]) -> bool:
    """Header with its progress, the tree (a section name) and the detail (text right of the tree)
    and the footer are all drawn."""
    header = PROGRESS.search(lines[0]) is not None
    tree = any("Vereisten" in line[:34] for line in lines[1:23])
    detail = any(re.search(r"[A-Za-z]{3}", line[34:78]) for line in lines[2:6])
    return header and tree and detail and bool(lines[23].strip())


def detail_head(lines: list[str]) -> str:
    return "\n".join(line[32:] for line in lines[1:4])


def streaming(lines: list[str]) -> bool:
    """The check runs: koppel's tree marks it running (at 80x24 its log is below the fold of the
    detail), the bare app's Log shows lines."""
    return any("◔" in line or ("line " in line and "TCP" in line) for line in lines)


def bare_argv(nodes: int, flood: bool = False) -> list[str]:
    return [PY, __file__, "--child", "bare", str(nodes), "flood" if flood else "idle"]


def koppel_argv(flood: bool = False) -> list[str]:
    return [PY, __file__, "--child", "koppel-flood"] if flood else [PY, "-m", "tui", "--lang", "nl", "--server", "bench"]


def launch(tmux: Tmux, argv: list[str], env: dict[str, str], *, keys: int = 0, flood: bool = False,
           timeout: float = 120.0) -> tuple[float | None, list[float]]:
    """Seconds to the first full screen, and the seconds of ``keys`` presses (j, k, j, ...), each
    from send-keys until the detail shows the step it moved to."""
    pane, pid, started = tmux.start(argv, env)
    presses: list[float] = []
    try:
        seen = tmux.wait(pane, full_screen, timeout)
        if seen is None:
            return None, []
        first = seen - started
        if flood:
            tmux.tmux("send-keys", "-t", pane, "r")
            if tmux.wait(pane, streaming, 30) is None:
                return first, []
        time.sleep(0.3)  # the first frame's follow-ups settle
        for number in range(keys):
            before = detail_head(tmux.screen(pane))
            sent = time.perf_counter()
            tmux.tmux("send-keys", "-t", pane, "j" if number % 2 == 0 else "k")
            moved = tmux.wait(pane, lambda lines: detail_head(lines) != before, 10)
            if moved is not None:
                presses.append(moved - sent)
            time.sleep(0.15)
        return first, presses
    finally:
        tmux.stop(pane, pid)


# ------------------------------------------------------------------------------------- the figures
def machine() -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    textual = __import__("importlib.metadata").metadata.version("textual")
    print(f"koppel benchmarks, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, "
          f"Textual {textual}, load average {load}")


def time_process(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def headless(env: dict[str, str], runs: int) -> None:
    rows = {
        "pass": [PY, "-c", "pass"],
        "koppel --version": [PY, "-m", "tui", "--version"],
        # the console script installed by pip calls tui.cli:main, past the shortcut in tui/__main__.py
        "koppel --version (console script)": [PY, "-c", "import sys; from tui.cli import main; sys.exit(main())", "--version"],
        "koppel status": [PY, "-m", "tui", "status", "--server", "bench"],
        "koppel status --json": [PY, "-m", "tui", "status", "--server", "bench", "--json"],
        "koppel playbook show": [PY, "-m", "tui", "playbook", "show"],
        "koppel servers": [PY, "-m", "tui", "servers"],
        # the fast path's caches (tui/headless/fast.py) cleared before each run: the full road
        "koppel status, caches cleared (full road)": [PY, "-m", "tui", "status", "--server", "bench"],
    }
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(runs):  # interleaved: every command once per round
        for name, argv in rows.items():
            if "caches cleared" in name:
                shutil.rmtree(Path(env["KOPPEL_HOME"]) / "cache", ignore_errors=True)
            samples[name].append(time_process(argv, env))
    base = median(samples.pop("pass"))
    print(f"\n1. headless commands, process start to exit, median of {runs} interleaved runs (baseline: python -c pass)")
    for name, values in samples.items():
        figure(name, median(values), base, 3 if "--version" in name else 5, base_label="python -c pass")


def first_frame_and_keys(tmux: Tmux, root: Path, env: dict[str, str], runs: int) -> None:
    home, nodes = make_home(root, 1)
    env = dict(env, KOPPEL_HOME=str(home))
    ours: list[float] = []
    base: list[float] = []
    ours_keys: list[float] = []
    base_keys: list[float] = []
    for _ in range(runs):
        first, keys = launch(tmux, koppel_argv(), env, keys=4)
        ours.append(first)
        ours_keys.extend(keys)
        first, keys = launch(tmux, bare_argv(nodes), env, keys=4)
        base.append(first)
        base_keys.extend(keys)
    print(f"\n2. tmux 80x24, built-in playbook ({nodes} tree nodes), median of {runs} interleaved launches")
    print("   baseline: bare Textual app, Static header + Tree of as many nodes + Static detail + Footer")
    figure("launch to first full screen", median(ours), median(base), 1.25, base_label="bare app")
    figure(f"keypress to screen, idle ({len(ours_keys)} keys)", median(ours_keys), median(base_keys), 1.2,
           base_label="bare app")

    flood_home, nodes = make_home(root, 1, cursor=STEP)
    env = dict(env, KOPPEL_HOME=str(flood_home), KOPPEL_BENCH_LINES="100000000", KOPPEL_BENCH_PACE=FLOOD_PACE)
    ours_keys, base_keys = [], []
    for _ in range(max(2, runs // 2)):
        ours_keys.extend(launch(tmux, koppel_argv(flood=True), env, keys=6, flood=True)[1])
        base_keys.extend(launch(tmux, bare_argv(nodes, flood=True), env, keys=6, flood=True)[1])
    print("   while a check streams 25,000 lines/s from a child process (baseline: the bare app's Log, write_lines per 1,000)")
    figure(f"keypress to screen, flood ({len(ours_keys)} keys)", median(ours_keys), median(base_keys), 1.2,
           base_label="bare app + Log")


def scale(tmux: Tmux, root: Path, env: dict[str, str], quick: bool) -> None:
    print("\n3. scale: administraties (each repeats the scoped steps), tmux 80x24; baseline: bare app, as many tree nodes")
    print(f"   {'administraties':>14} {'nodes':>6}  {'first frame':>10}  {'bare':>10}  ratio  {'one j':>10}  {'bare j':>10}")
    sizes = (1, 10, 100) if quick else (1, 10, 100, 500)
    for count in sizes:
        home, nodes = make_home(root, count)
        here = dict(env, KOPPEL_HOME=str(home))
        runs = 1 if count >= 100 or quick else 2
        ours, base, ours_j, base_j = [], [], [], []
        for _ in range(runs):
            first, keys = launch(tmux, koppel_argv(), here, keys=SCALE_KEYS, timeout=SCALE_TIMEOUT)
            ours.append(first)
            ours_j.extend(keys)
            first, keys = launch(tmux, bare_argv(nodes), here, keys=SCALE_KEYS)
            base.append(first)
            base_j.extend(keys)
        o, b = median(ours), median(base)
        ratio = f"{o / b:5.2f}" if o and b else "    -"
        shown = ms(o) if o is not None else f"> {SCALE_TIMEOUT:.0f} s"
        print(f"   {count:>14} {nodes:>6}  {shown:>10}  {ms(b)}  {ratio}  {ms(median(ours_j))}  {ms(median(base_j))}")
        if count == sizes[-1]:
            figure(f"first frame, {count} administraties", o, b, 1.5, base_label="bare app, as many nodes")
            j = median(ours_j)
            verdict = "" if j is None else ("meets" if j <= 0.05 else f"MISSES by {j / 0.05:.2f}x") + " (target 50 ms)"
            print(f"   {'one j, ' + str(count) + ' administraties':<38} {ms(j)}  {verdict}")
            ROWS.append((f"one j, {count} administraties", "50 ms", j, 0.05, None, verdict))


def in_process(kind: str, env: dict[str, str], *args: str, timeout: float = 180) -> dict[str, Any]:
    try:
        out = subprocess.run([PY, __file__, "--child", kind, *args], env=env, capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"   ({kind} did not finish in {timeout:.0f} s)")
        return {}
    if out.returncode:
        print(f"   ({kind} failed: {out.stderr.strip().splitlines()[-1:]})")
        return {}
    return json.loads(out.stdout.strip().splitlines()[-1])


def floods(root: Path, env: dict[str, str], quick: bool) -> None:
    lines = 200_000 if quick else 1_000_000
    home, _ = make_home(root, 1, cursor=STEP)
    paced = dict(env, KOPPEL_HOME=str(home), KOPPEL_BENCH_LINES="50000" if quick else "100000",
                 KOPPEL_BENCH_PACE=FLOOD_PACE)
    here = dict(paced, KOPPEL_BENCH_LINES=str(lines), KOPPEL_BENCH_PACE="0")
    print("\n4. a check's child process floods the log (headless, 80x24, in-process), median of the runs")
    print("   baseline: bare app, the child's stdout read in chunks by a task, Log.write_lines per 1,000 lines")
    for title, flood_env, limit in ((f"at 25,000 lines/s ({paced['KOPPEL_BENCH_LINES']} lines)", paced, 1.5),
                                    (f"as fast as the pipe goes ({lines:,} lines)", here, None)):
        ours, base = [], []
        for _ in range(1 if quick else 2):
            ours.append(in_process("stream-koppel", flood_env))
            base.append(in_process("stream-bare", flood_env))
        print(f"   {title}:")
        for label, runs in (("koppel", ours), ("bare Log.write_lines", base)):
            runs = [r for r in runs if r]
            if runs:
                print(f"     {label:<22} read {median([r['read'] for r in runs]):>10,.0f}  reached the Log "
                      f"{median([r['shown'] for r in runs]):>10,.0f}  in {median([r['seconds'] for r in runs]):5.1f} s  "
                      f"timer's worst lateness {ms(median([r['late'] for r in runs]))}")
        figure("50 ms timer's worst lateness" + ("" if limit else ", unpaced"), median([r.get("late") for r in ours if r]),
               median([r.get("late") for r in base if r]), limit, base_label="bare Log.write_lines")

    big, _ = make_home(root, 500, cursor=STEP)
    here = dict(here, KOPPEL_HOME=str(big))
    ours = in_process("stream-koppel", here)
    print(f"\n5. memory: peak RSS with 500 administraties while the {lines:,}-line check streams (target 150 MB)")
    rss = ours.get("rss")
    verdict = "" if rss is None else ("meets" if rss <= 150e6 else f"MISSES by {rss / 150e6:.2f}x") + " (target 150 MB)"
    print(f"   {'koppel, peak RSS':<38} {'-' if rss is None else f'{rss / 1e6:7.1f} MB'}  lines reached the Log "
          f"{ours.get('shown', 0):,}  {verdict}")
    ROWS.append(("peak RSS, 500 administraties + flood", "150 MB", rss, 150e6, None, verdict))


def summary() -> None:
    misses = [row for row in ROWS if "MISSES" in row[5] or row[2] is None]
    meets = sum("meets" in row[5] for row in ROWS)
    print(f"\nsummary: {meets} of {len(ROWS)} figures meet their target"
          + (": misses: " + "; ".join(f"{row[0]} ({row[5] or 'not measured'})" for row in misses) if misses else ""))


# ------------------------------------------------------------------------------------- children
def child_bare(nodes: int, flood: bool) -> None:
    """The baseline app: laid out like koppel, doing the least a Textual app can do."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, Vertical
    from textual.widgets import Footer, Log, Static, Tree

    paragraph = ("Support ID: AV-638111 · Product: AccountView 9.8 en hoger. Met Visma.net AutoReport "
                 "verstuurt u eenvoudig uw BTW- en ICP-aangiften naar de Belastingdienst. ") * 3

    class Bare(App[None]):
        CSS = """
        #head { height: 1; } #tree { width: 32; border: round $accent; }
        #right { border: round $accent; } #log { height: 10; }
        """
        BINDINGS = [Binding("j", "down", "Omlaag", id="down"), Binding("k", "up", "Omhoog", id="up"),
                    Binding("n", "down", "Volgende open", id="next"), Binding("q", "quit", "Stoppen", id="quit")]

        def compose(self) -> ComposeResult:
            yield Static(f" koppel │ bench │ AV-638111      0/{nodes} gereed", id="head")
            tree: Tree[None] = Tree("checklist", id="tree")
            tree.show_root = False
            tree.root.add_leaf("≡ Inleiding")
            sections = ["Vereisten", *(f"Sectie {n}" for n in range(1, 8))]
            per = max(1, (nodes - 1 - len(sections)) // len(sections))
            made = 1 + len(sections)
            for number, name in enumerate(sections):
                section = tree.root.add(f"{name} 0/{per}", expand=True)
                leaves = per if number < len(sections) - 1 else max(0, nodes - made)
                for leaf in range(leaves):
                    section.add_leaf(f"○ Stap {number}.{leaf}")
                made += leaves
            with Horizontal():
                yield tree
                with Vertical(id="right"):
                    yield Static(paragraph, id="detail")
                    if flood:
                        yield Log(max_lines=5000, id="log")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one(Tree).focus()

        def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[None]) -> None:
            self.query_one("#detail", Static).update(f"{event.node.label}\n\n{paragraph}")

        def action_down(self) -> None:
            self.query_one(Tree).action_cursor_down()

        def action_up(self) -> None:
            self.query_one(Tree).action_cursor_up()

        def on_key(self, event: Any) -> None:
            if event.key == "r" and flood:
                self.run_worker(pour(self.query_one(Log)), exclusive=True)

    Bare().run()


async def pour(log: Any, on_line: Callable[[int], None] | None = None) -> tuple[int, int]:
    """The bare baseline's flood: the bench check's child process, read by a task, its lines
    written with Log.write_lines per 1,000. (lines read, lines written)"""
    import bench_check

    proc = await asyncio.create_subprocess_exec(*bench_check.argv(), stdout=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    read, rest = 0, b""
    while chunk := await proc.stdout.read(64 * 1024):  # chunks, never a readline per line
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for start in range(0, len(lines), 1000):
            log.write_lines([line.decode() for line in lines[start:start + 1000]])
            await asyncio.sleep(0)
        read += len(lines)
    await proc.wait()
    return read, read


def koppel_app() -> Any:
    """The app as the CLI builds it, with the bench check in place of the https check."""
    from tui.app import KoppelApp
    from tui.checks import registry
    from tui.state.session import open_session

    registry.CHECKS["https"] = "bench_check"
    session = open_session(server="bench", lang="nl")
    return KoppelApp(session=session, lang=session.lang)


def child_koppel_flood() -> None:
    koppel_app().run()


class Lateness:
    """A 50 ms timer on the app: how late it fires at worst once lines reach the Log (the check's
    start - imports, the child's spawn - is not the stream)."""

    def __init__(self, app: Any, shown: list[int]) -> None:
        self.shown = shown
        self.worst = 0.0
        self.expected = time.perf_counter() + 0.05
        app.set_interval(0.05, self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        if self.shown[0]:
            self.worst = max(self.worst, now - self.expected)
        self.expected = now + 0.05


class PeakRss:
    def __init__(self) -> None:
        import psutil

        self.peak = 0
        self.process = psutil.Process()
        self.done = False
        threading.Thread(target=self.sample, daemon=True).start()

    def sample(self) -> None:
        while not self.done:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.05)


def count_log_writes() -> list[int]:
    """Lines that reach a Log (any Log of the app) through write_lines."""
    from textual.widgets import Log

    shown = [0]
    original = Log.write_lines

    def write_lines(self: Any, lines: Any, scroll_end: Any = None) -> Any:
        lines = list(lines)
        shown[0] += len(lines)
        return original(self, lines, scroll_end)

    Log.write_lines = write_lines  # type: ignore[method-assign]
    return shown


def child_stream(kind: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Log, Static, Tree

    rss = PeakRss()
    shown = count_log_writes()
    result: dict[str, Any] = {}

    async def koppel() -> None:
        app = koppel_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            late = Lateness(app, shown)
            started = time.perf_counter()
            await pilot.press("r")
            session = app.session
            await asyncio.sleep(0.2)
            while session.status(STEP) == "running":
                await asyncio.sleep(0.05)
            await pilot.pause(0.2)
            result.update(seconds=time.perf_counter() - started, late=late.worst,
                          read=int(os.environ["KOPPEL_BENCH_LINES"]) + 1)

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Tree("checklist")
            yield Static("detail")
            yield Log(max_lines=5000)

    async def bare() -> None:
        app = Bare()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            late = Lateness(app, shown)
            started = time.perf_counter()
            read, _ = await pour(app.query_one(Log))
            await pilot.pause(0.2)
            result.update(seconds=time.perf_counter() - started, late=late.worst, read=read)

    asyncio.run(koppel() if kind == "koppel" else bare())
    rss.done = True
    result.update(shown=shown[0], rss=rss.peak)
    print(json.dumps(result))


def run_child(args: list[str]) -> None:
    kind = args[0]
    if kind == "bare":
        child_bare(int(args[1]), args[2] == "flood")
    elif kind == "koppel-flood":
        child_koppel_flood()
    elif kind.startswith("stream-"):
        child_stream(kind.removeprefix("stream-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller floods (a minute or two)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return
    if shutil.which("tmux") is None:
        sys.exit("bench.py needs tmux for what a terminal shows")
    began = time.perf_counter()
    # bytecode first: a fresh checkout would otherwise compile the modules a check imports lazily
    # on the event loop during the first flood (a 0.5-1.5 s stall that is no part of koppel's speed)
    compileall.compile_dir(ROOT / "tui", quiet=1)
    machine()
    runs = 3 if args.quick else 9
    root = Path(tempfile.mkdtemp(prefix="koppel-bench-"))
    tmux = Tmux()
    try:
        home, _ = make_home(root, 1)
        env = dict(os.environ, KOPPEL_HOME=str(home), PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "scripts")]),
                   TERM="tmux-256color")
        headless(env, runs * 2)
        first_frame_and_keys(tmux, root, env, 3 if args.quick else 7)
        scale(tmux, root, env, args.quick)
        floods(root, env, args.quick)
        summary()
    finally:
        tmux.close()
        shutil.rmtree(root, ignore_errors=True)
    print(f"({time.perf_counter() - began:.0f} s in all)")


if __name__ == "__main__":
    main()
