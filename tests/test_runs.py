"""The step runner is the one road of a check run: the TUI, headless ``koppel check`` and a run
without any UI leave the same state and the same log file; one user action is one save, never
written on the event loop; a check never lowers a status the admin set."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from pathlib import Path

import pytest

from tests import ui_flood_check
from tests.ui_helpers import go, make_app, settle, wait_until
from tui.checks.engine import LogFile
from tui.runs import StepRunner
from tui.state import store as store_module
from tui.state.session import open_session

STEP = "vooraf.visma_bereikbaar"  # a check that waits for no other step (the https stand-in)
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ")


@pytest.fixture
def short(flood, monkeypatch: pytest.MonkeyPatch):
    """The https stand-in writes six lines (two progress steps) and passes."""
    monkeypatch.setattr(ui_flood_check, "LINES", 6)
    monkeypatch.setattr(ui_flood_check, "CHUNK", 3)
    return ui_flood_check


class Writes:
    """Every state file write, with the thread it ran on."""

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.data: list[bytes] = []

    def __len__(self) -> int:
        return len(self.threads)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> Writes:
    seen = Writes()
    real = store_module.StateStore._write

    def counted(self, data: bytes) -> None:
        seen.threads.append(threading.current_thread().name)
        seen.data.append(data)
        real(self, data)

    monkeypatch.setattr(store_module.StateStore, "_write", counted)
    return seen


def recorded(session, key: str = STEP) -> dict:
    """What a run leaves in the state, without the moments it happened."""
    entry = session.step_state(key)
    return {"status": entry.status, "attempts": entry.attempts, "log_tail": entry.log_tail,
            "result": entry.result.model_dump(exclude={"at", "duration_ms"}) if entry.result else None}


def logged(path: Path) -> list[str]:
    return [STAMP.sub("", line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_a_run_without_ui_leaves_what_the_tui_run_leaves(short, koppel_home: Path) -> None:
    tui_log = koppel_home / "tui.log"
    app = make_app(log_file=LogFile(tui_log))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        await pilot.press("r")
        await wait_until(pilot, lambda: STEP in app.main_screen.runs and not app.main_screen.runs[STEP].active)
        await wait_until(pilot, tui_log.exists)
        await settle(pilot)
        by_tui = recorded(app.session)

    session = open_session(server="srv02")
    events: list[object] = []
    bare_log = koppel_home / "bare.log"
    outcome = await StepRunner(session, log_file=LogFile(bare_log)).run(STEP, events.append)
    session.close()

    assert outcome.result is not None and outcome.result.status == "ok" and outcome.status == "done"
    assert recorded(session) == by_tui
    assert by_tui["status"] == "done" and by_tui["log_tail"][-1] == "line 5"
    assert logged(bare_log) == logged(tui_log) == [f"[{STEP}] line {n}" for n in range(6)] + [f"[{STEP}] = ok: 6 lines"]
    assert len(events) == 6 + 2  # every line and both progress steps reached the caller's sink


def test_headless_check_logs_in_the_runners_format(short, koppel_home: Path, capsys) -> None:
    from tui.cli import main
    from tui.state.paths import log_dir

    assert main(["check", "--only", STEP, "--server", "srv03"]) == 0
    session = open_session(server="srv04")
    asyncio.run(StepRunner(session, log_file=LogFile(koppel_home / "bare.log")).run(STEP))
    session.close()

    assert logged(log_dir(koppel_home) / "srv03.log") == logged(koppel_home / "bare.log")
    headless = open_session(server="srv03", read_only=True)
    assert recorded(headless) == recorded(session)  # marked running and recorded as the app does
    assert headless.step_state(STEP).attempts == 1


async def test_run_with_a_form_is_one_save_and_never_on_the_event_loop(hang, writes: Writes) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        await pilot.press("enter")
        await pilot.press(*"https://example.nl", "escape")  # typed, then back to the list
        await settle(pilot)
        app.session.store.SAVE_DELAY = 60  # the saver's safety net stays out of the count
        app.session.flush()  # the draft and the cursor: written before the action counted here
        before = len(writes)
        await pilot.press("r")  # the form's value recorded + the step marked running
        run = app.main_screen.runs[STEP]
        await wait_until(pilot, lambda: run.total >= 1)
        await settle(pilot)
        assert len(writes) - before == 1  # before the runner: 3 (two for the submit, one for the mark)
        assert app.session.answers(STEP)["extra_urls"] == ["https://example.nl"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: not run.active)
        await settle(pilot)
        assert len(writes) - before == 2  # and one for the cancellation
        assert threading.main_thread().name not in writes.threads[before:]  # fsync off the event loop


async def test_a_check_never_lowers_a_status_the_admin_set(not_applicable, koppel_home: Path) -> None:
    session = open_session(server="srv01")
    session.confirm(STEP)  # by hand: the check cannot run here
    assert session.status(STEP) == "confirmed"
    before = session.progress()

    outcome = await StepRunner(session).run(STEP)

    entry = session.step_state(STEP)
    assert outcome.result.status == "na" and session.status(STEP) == "confirmed"
    assert entry.result.status == "na" and entry.check_since == "na"  # the evidence, and a flag
    assert session.progress() == before
    session.reopen(STEP)  # the admin's say
    assert session.status(STEP) == "todo" and session.step_state(STEP).check_since is None
    session.close()


async def test_a_run_of_a_step_the_admin_closed_survives_a_crash_closed(not_applicable) -> None:
    session = open_session(server="srv01")
    session.confirm(STEP)
    session.mark_running(STEP)  # and then koppel was killed
    session.store._release()  # the OS drops the lock of a dead process

    again = open_session(server="srv01")
    assert again.status(STEP) == "confirmed" and again.interrupted == [STEP]
    again.close()


async def test_run_all_checks_at_full_progress_keeps_it(not_applicable) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        session = app.session
        checks = [r.key for r in session.refs() if r.step.kind == "check" and session.status(r.key) != "blocked"]
        for key in checks:
            session.confirm(key)
        before = session.progress()
        assert app.main_screen.run_all_checks() == len(checks)
        await wait_until(pilot, lambda: not app.main_screen.runs.running())
        await settle(pilot)
        assert session.progress() == before
        # what did not pass keeps the admin's "confirmed"; a pass (on Windows the elevation check
        # runs for real) makes it done, which counts the same
        passed = {key for key in checks if session.state.steps[key].result.status in ("ok", "warn")}
        assert all(session.status(key) == ("done" if key in passed else "confirmed") for key in checks)
        assert len(passed) < len(checks)


async def test_run_all_checks_is_one_save_for_all_the_marks(hang, writes: Writes) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.session.store.SAVE_DELAY = 60
        app.session.flush()
        before = len(writes)
        started = app.main_screen.run_all_checks()
        run = app.main_screen.runs[STEP]
        await wait_until(pilot, lambda: run.total >= 1)  # the hanging check runs: its mark was saved
        assert started > 1 and app.session.status(STEP) == "running"
        first = json.loads(writes.data[before])["steps"]  # the first save holds every mark
        assert sorted(k for k, v in first.items() if v["status"] == "running") == sorted(app.main_screen.runs)
        assert threading.main_thread().name not in writes.threads[before:]
