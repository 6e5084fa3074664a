"""Speed (issue 11): a key that comes back to a running step mounts a new log pane; it writes the
rows the run's last pane wrapped (kept by the detail, per run and width) and wraps only the lines
that came since, not up to 5,000 lines again. The rows are the same as a pane wrapping everything."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

import tui.widgets.log_pane as log_pane
from tests.ui_helpers import wait_until
from tui.runs import MAX_LINES, Run
from tui.widgets.log_pane import KeptRows, LogPane, WrappingLog


def emit(run: Run, count: int) -> None:
    for _ in range(count):
        number = run.total
        run.lines.append(f"regel {number}: GET https://connect.visma.com/pad/{number}?x={'y' * (number % 90)} 200 OK")
        run.total += 1


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("boven")


@pytest.fixture
def wraps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = log_pane.wrap_line

    def counted(line: str, width: int) -> list[str]:
        calls.append(line)
        return real(line, width)

    monkeypatch.setattr(log_pane, "wrap_line", counted)
    return calls


async def mounted_rows(app: App[None], pilot, run: Run, kept: KeptRows | None) -> list[str]:
    pane = LogPane(run, [], kept=kept)
    await app.screen.mount(pane)
    log = pane.query_one(WrappingLog)
    await wait_until(pilot, lambda: bool(log.lines), timeout=10)  # laid out: its first resize wrote them
    rows = list(log.lines)
    await pane.remove()
    return rows


async def test_a_pane_mounted_again_wraps_only_the_lines_that_came_since(wraps: list[str]) -> None:
    run, kept = Run("wizard.gateway_dienst"), KeptRows()
    emit(run, MAX_LINES + 300)  # more than the run keeps
    app = Holder()
    async with app.run_test(size=(80, 24)) as pilot:
        first = await mounted_rows(app, pilot, run, kept)
        assert len(wraps) > MAX_LINES // 2  # the first pane wrapped what it was given
        emit(run, 40)
        wraps.clear()
        again = await mounted_rows(app, pilot, run, kept)
        wrapped_again = len(wraps)
        wraps.clear()
        whole = await mounted_rows(app, pilot, run, None)  # a pane that keeps nothing: wraps it all
    assert wrapped_again <= 40 < len(wraps)
    assert again == whole and again != first and len(again) == MAX_LINES


async def test_kept_rows_of_another_width_are_not_used(wraps: list[str]) -> None:
    run, kept = Run("wizard.gateway_dienst"), KeptRows()
    emit(run, 2_000)
    app = Holder()
    async with app.run_test(size=(80, 24)) as pilot:
        await mounted_rows(app, pilot, run, kept)
        await pilot.resize_terminal(60, 24)
        wraps.clear()
        narrow = await mounted_rows(app, pilot, run, kept)
        assert len(wraps) > 1_000  # wrapped anew at the new width
        whole = await mounted_rows(app, pilot, run, None)
    assert narrow == whole


async def test_rows_written_while_the_pane_shows_the_run_are_kept_too(wraps: list[str]) -> None:
    """The frames' writes (flush) extend the kept rows: the next pane wraps nothing of them."""
    run, kept = Run("wizard.gateway_dienst"), KeptRows()
    emit(run, 100)
    app = Holder()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = LogPane(run, [], kept=kept)
        await app.screen.mount(pane)
        await wait_until(pilot, lambda: bool(pane.query_one(WrappingLog).lines), timeout=10)
        emit(run, 500)
        pane.flush()
        await pilot.pause()
        await pane.remove()
        wraps.clear()
        again = await mounted_rows(app, pilot, run, kept)
        assert wraps == []
        whole = await mounted_rows(app, pilot, run, None)
    assert again == whole
