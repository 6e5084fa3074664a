"""The check's log (issue 8 §3): in view while the check runs, even at 80x24 and 60x20, and what it
does not show it says: how many lines, and where the server's log file is."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Log, Static

from tests import ui_flood_check
from tests.ui_helpers import go, make_app, screen_lines, settle, wait_until
from tui.runs import MAX_LINES
from tui.state.schema import LOG_TAIL_LINES
from tui.widgets.log_pane import LogPane, WrappingLog

STEP = "vooraf.visma_bereikbaar"  # a check that waits for no other step, long enough to scroll at 80x24


def skipped_line(app) -> str:
    label = app.screen.query_one("#log-skipped", Static)
    return str(label.render()) if label.has_class("-shown") else ""


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_the_log_of_a_running_check_comes_into_view(hang, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        assert app.main_screen.detail.max_scroll_y > 0  # the step is taller than its pane: a real test
        await pilot.press("r")
        run = app.main_screen.runs[STEP]
        await wait_until(pilot, lambda: run.total >= 1)
        await settle(pilot, 5)
        assert run.active
        assert any("waiting for ever" in line for line in screen_lines(app)), "\n".join(screen_lines(app))
        run.worker.cancel()
        await wait_until(pilot, lambda: not run.active)


async def test_the_log_pane_says_how_many_lines_it_skipped_and_where_the_log_is(flood) -> None:
    app = make_app()
    log_path = app.session.log_path
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        await pilot.press("r")
        run = app.main_screen.runs[STEP]
        await wait_until(pilot, lambda: not run.active, timeout=30)
        await settle(pilot)
        skipped = ui_flood_check.LINES - MAX_LINES
        assert skipped_line(app) == (f"{skipped:,}".replace(",", ".") + " eerdere regels staan hier niet. "
                                     f"Het log van deze server: {log_path}")
        assert app.session.step_state(STEP).log_lines == ui_flood_check.LINES
    again = make_app(lang="en")  # the state keeps the last lines and how many there were
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await go(pilot, again, STEP)
        skipped = ui_flood_check.LINES - LOG_TAIL_LINES
        assert skipped_line(again) == f"{skipped:,} earlier lines are not shown here. This server's log: {log_path}"


async def test_a_log_shown_whole_says_nothing_about_skipping(hang) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        await pilot.press("r")
        run = app.main_screen.runs[STEP]
        await wait_until(pilot, lambda: run.total >= 1)
        await settle(pilot)
        assert skipped_line(app) == ""
        run.worker.cancel()
        await wait_until(pilot, lambda: not run.active)


async def test_a_log_pane_writes_its_lines_once_when_it_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    # was: written whole before the pane was laid out, then cleared and written again wrapped at its first
    # resize; every key back to a running step (a new pane) did it twice for up to 5,000 lines (issue 11)
    written: list[int] = []
    real = Log.write_lines

    def counted(self, lines, scroll_end=None):
        lines = list(lines)
        written.append(len(lines))
        return real(self, lines, scroll_end)

    monkeypatch.setattr(Log, "write_lines", counted)
    tail = [f"regel {n} " + "woord " * 12 for n in range(1000)]  # each wraps at the pane's width

    class OnePane(App[None]):
        def compose(self) -> ComposeResult:
            yield LogPane(None, tail, total=len(tail))

    app = OnePane()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.query_one(WrappingLog)
        assert len(log.lines) > len(tail)  # wrapped
        assert sum(written) == len(log.lines)  # every row written once
