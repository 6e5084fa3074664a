"""Scale (issue 11): no per-key or per-step path is quadratic in the size of a custom playbook.

Not timed (speed lives in scripts/bench.py): the real app under Pilot runs a generated playbook of
40 and of 400 steps, and the work is counted as the lines of koppel's own code run, per function,
for the start-up, one ``j`` and marking a step done. A function that does linear work grows about
tenfold between the two; one that loops over the steps inside a loop over the steps grows about a
hundredfold. The bound is twice the step list's growth, per function (a whole-run total would hide
a quadratic loop behind the linear work around it until the playbook is thousands of steps long).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, Callable

import pytest

from tests.conftest import ROOT
from tests.ui_helpers import go, settle
from tui.app import KoppelApp
from tui.state.session import open_session

SECTIONS = 4
KOPPEL = str(ROOT / "tui")
NOISE = 200  # lines: a function this small at 400 steps is not a scale question


def playbook_text(steps_per_section: int) -> str:
    """Sections of manual steps, each waiting for the one before it (so every status asks a blocker)."""
    lines = ['id = "scale"', 'source = "SCALE-1"', 'title.nl = "Schaal"', 'title.en = "Scale"']
    for s in range(SECTIONS):
        lines += ["[[sections]]", f'id = "s{s}"', f'title.nl = "Sectie {s}"', f'title.en = "Section {s}"']
        for n in range(steps_per_section):
            lines += ["[[sections.steps]]", f'id = "s{s}.stap{n}"', f'title.nl = "Stap {n}"', f'title.en = "Step {n}"']
            if n:
                lines.append(f'requires = ["s{s}.stap{n - 1}"]')
            lines += ["[[sections.steps.instructions]]", f'text.nl = "Doe {n}"', f'text.en = "Do {n}"']
    return "\n".join(lines) + "\n"


class KoppelLines:
    """Counts the lines of koppel's code run, per function, while ``on``."""

    def __init__(self) -> None:
        self.lines: Counter[CodeType] = Counter()

    def _line(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        if event == "line":
            self.lines[frame.f_code] += 1
        return self._line

    def _call(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        return self._line if frame.f_code.co_filename.startswith(KOPPEL) else None

    def on(self) -> None:
        sys.settrace(self._call)

    def take(self) -> Counter[str]:
        sys.settrace(None)
        taken = Counter({f"{Path(code.co_filename).relative_to(ROOT)}:{code.co_firstlineno} {code.co_name}": n
                         for code, n in self.lines.items()})
        self.lines = Counter()
        return taken


async def measure(steps_per_section: int, tmp_path: Path) -> dict[str, Counter[str]]:
    path = tmp_path / f"scale{steps_per_section}.toml"
    path.write_text(playbook_text(steps_per_section), encoding="utf-8")
    counter = KoppelLines()
    work: dict[str, Counter[str]] = {}
    counter.on()
    session = open_session(server=f"scale{steps_per_section}", lang="nl", playbook_path=path)
    assert len(session.refs()) == SECTIONS * steps_per_section
    app = KoppelApp(session=session, lang="nl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            work["start-up"] = counter.take()
            counter.on()
            await pilot.press("j")
            await settle(pilot)
            work["one j"] = counter.take()
            await go(pilot, app, "s1.stap0")
            counter.on()
            await pilot.press("space")
            await settle(pilot)
            work["marking a step done"] = counter.take()
            assert session.status("s1.stap0") == "done" and session.status("s1.stap1") == "todo"
    finally:
        sys.settrace(None)
    return work


def too_fast(small: dict[str, Counter[str]], large: dict[str, Counter[str]], growth: float) -> list[str]:
    return [f"{moment}: {where} {small[moment][where]} -> {lines} lines"
            for moment, counts in large.items() for where, lines in counts.items()
            if lines > NOISE and lines > 2 * growth * max(small[moment][where], 1)]


async def test_work_grows_linearly_with_the_playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = await measure(10, tmp_path), await measure(100, tmp_path)
    assert sum(large["start-up"].values()) > 10 * NOISE  # the counter sees koppel's work
    quadratic = too_fast(small, large, growth=10)
    assert not quadratic, "grows faster than the playbook:\n" + "\n".join(quadratic)
