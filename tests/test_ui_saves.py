"""A save that fails (a full disk) is said plainly, marked in the header, and never kills a worker
or the app; once the disk has room again the progress is written and the mark goes.

The full disk: the store's low-level write fails with ENOSPC, the one thing of this test not real
(a full disk cannot be made in-process; tests/test_robustness.py fills one for real, headless).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import time
from pathlib import Path

import pytest

from tests.ui_helpers import band, go, make_app, said, screen_lines, settle, wait_until
from tui.state import atomic

STEP = "vooraf.visma_bereikbaar"  # a check that waits for no other step
MANUAL = "vooraf.gateway_download"  # a manual step, once vereisten.editie is done
SAID = "Kon de voortgang van srv01 niet opslaan: No space left on device"


class Disk:
    full = False


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    disk = Disk()
    real = atomic.write_temp

    def write_temp(beside: Path, data: bytes) -> Path:
        if disk.full:
            tmp = beside.with_name(f".{beside.name}.0123456789ab.tmp")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
        return real(beside, data)

    monkeypatch.setattr(atomic, "write_temp", write_temp)
    return disk


async def settled_when(pilot, condition, timeout: float = 5.0) -> None:
    await wait_until(pilot, condition, timeout)
    await settle(pilot)


def spy(app) -> list[str]:
    """Every error the band under the header is told, in order: to count how often a failure is said."""
    told: list[str] = []
    real = app.main_screen.tell

    def tell(text: str, error: bool = False) -> None:
        told.append(text) if error else None
        real(text, error)

    app.main_screen.tell = tell
    return told


def header(app) -> str:
    return screen_lines(app)[0]


def on_disk(koppel_home: Path, key: str) -> dict:
    return json.loads((koppel_home / "state" / "srv01.json").read_text(encoding="utf-8"))["steps"].get(key, {})


async def test_a_full_disk_when_a_check_ends_is_said_and_the_step_still_shows_it(
    disk: Disk, hang: None, koppel_home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        errors = spy(app)
        await go(pilot, app, STEP)
        await pilot.press("r")
        run = app.main_screen.runs[STEP]
        await settled_when(pilot, lambda: run.total >= 1)
        disk.full = True
        await pilot.press("escape")  # cancelled: recording "interrupted" fails to save
        await settled_when(pilot, lambda: not run.active)

        assert len(errors) == 1 and SAID in errors[0], errors
        assert not any("SaveFailed" in e for e in errors)  # no dead worker's report
        assert "Niet opgeslagen: " + SAID in " ".join(band(app).split())  # above the step, covering none of it
        assert app.session.status(STEP) == "interrupted"
        assert "onderbroken" in str(app.screen.query_one("#step-state").render())  # the view caught up
        assert not app.screen.query("#cancel")  # the run is over on screen too
        assert "NIET OPGESLAGEN" in header(app)
        assert on_disk(koppel_home, STEP)["status"] == "running"  # the previous version, whole

        disk.full = False  # room again: written within a second, the mark goes
        await settled_when(pilot, lambda: "NIET OPGESLAGEN" not in header(app))
        assert on_disk(koppel_home, STEP)["status"] == "interrupted" and band(app) == ""  # said till saved
        assert said(app).startswith("Weer opgeslagen")  # on the status line


async def test_done_and_run_on_a_full_disk_are_errors_not_crashes(disk: Disk, koppel_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.session.submit("vereisten.editie", {"versie": "9.8", "editie": "Business", "module_autoreport": "ja"})
        app.session.flush()
        await settle(pilot)
        errors = spy(app)
        await go(pilot, app, MANUAL)
        disk.full = True
        await pilot.press("space")
        await settle(pilot)
        assert errors and SAID in errors[0]
        assert "NIET OPGESLAGEN" in header(app)
        assert app.session.status(MANUAL) == "done"  # kept in memory, and shown so
        assert on_disk(koppel_home, MANUAL) == {}
        await go(pilot, app, STEP)
        await pilot.press("r")  # a run that cannot be recorded does not start
        await settle(pilot)
        assert STEP not in app.main_screen.runs and app.session.status(STEP) == "todo"
        assert len(errors) == 1  # the same failure again: said once
        assert SAID in " ".join(band(app).split())  # and still there, keys pressed since: until saved

        disk.full = False
        await settled_when(pilot, lambda: "NIET OPGESLAGEN" not in header(app))
        assert on_disk(koppel_home, MANUAL)["status"] == "done"


async def test_a_failed_background_save_of_a_draft_is_said_once(disk: Disk, koppel_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.session.store.SAVE_DELAY = 0.05  # the saver retries often: each try fails anew
        await settle(pilot)
        errors = spy(app)
        await go(pilot, app, STEP)
        disk.full = True
        await pilot.press("enter")
        await pilot.press(*"https://example.nl")
        await settled_when(pilot, lambda: "NIET OPGESLAGEN" in header(app))
        await asyncio.sleep(0.3)
        await settle(pilot)
        assert len(errors) == 1 and SAID in errors[0], errors
        assert app.focused is not None and app.focused.id == "field-extra_urls"  # typing goes on undisturbed

        disk.full = False
        await settled_when(pilot, lambda: "NIET OPGESLAGEN" not in header(app))
        assert on_disk(koppel_home, STEP)["draft"]["extra_urls"] == "https://example.nl"


async def test_quit_on_a_full_disk_stays_once_then_leaves_saying_what_was_lost(
    disk: Disk, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        errors = spy(app)
        disk.full = True
        app.main_screen.goto(STEP)  # the cursor moved: a save is pending
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running
        assert errors and "nogmaals" in errors[-1] and "nogmaals" in band(app)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 1
    said = " ".join(capsys.readouterr().err.split())  # printed as koppel ends, wrapped to the terminal
    assert said.startswith(SAID) and said.endswith("de laatste wijzigingen zijn niet bewaard.")


async def test_a_retry_while_the_saver_is_failing_too_keeps_the_failure_said_once(
    disk: Disk, koppel_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RED on main under load: the failure was said twice. The once-a-second retry came while the
    background saver was itself trying (and failing) to write: flush waited for that try, found
    nothing of its own to write and returned, so the screen took it for a success, cleared the mark
    and said the next failure again. Now flush writes what a failed try put back, and fails too."""
    import threading

    saver_writing = threading.Event()
    real = atomic.write_temp

    def slow_on_the_saver(beside: Path, data: bytes) -> Path:
        if disk.full and threading.current_thread().name.startswith("koppel-save"):
            saver_writing.set()
            time.sleep(0.3)  # the saver is mid-write when the screen's retry comes
        return real(beside, data)

    monkeypatch.setattr(atomic, "write_temp", slow_on_the_saver)  # then the fixture's full disk
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.session.store.SAVE_DELAY = 0.05
        await settle(pilot)
        errors = spy(app)
        await go(pilot, app, STEP)
        disk.full = True
        await pilot.press("enter", *"https://example.nl")  # drafts: the background saver writes them
        await wait_until(pilot, saver_writing.is_set)
        app.main_screen.retry_saves()  # the once-a-second retry, while the saver's try is under way
        await settle(pilot)
        assert "NIET OPGESLAGEN" in header(app), "the retry was taken for a success"
        assert len(errors) == 1 and SAID in errors[0], errors
