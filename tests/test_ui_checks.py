"""Checks in the UI: a flood of output never stalls the keys, escape cancels, n/a falls back to manual."""

from __future__ import annotations

import asyncio

from textual import events
from textual.widgets import Log

from tests import ui_flood_check
from tests.ui_helpers import current_key, footer_keys, go, make_app, said, settle, wait_until

STEP = "vooraf.visma_bereikbaar"  # a check that waits for no other step


def send_key(app, key: str) -> None:
    """A key as the terminal driver delivers it, without waiting for the app to go idle."""
    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)


async def test_flood_streams_while_keys_keep_working(flood) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        flood.keep_pouring_until = pouring = asyncio.Event()
        await pilot.press("r")
        run = app.main_screen.runs[STEP]
        await wait_until(pilot, lambda: run.total > 2_000)
        assert run.active and app.session.status(STEP) == "running"

        # the tree answers while the lines pour in (an order, not a time: the flood pours until the
        # keys were handled, so a loop that the flood blocks would never answer them)
        send_key(app, "down")
        await wait_until(pilot, lambda: current_key(app) != STEP, timeout=15)
        send_key(app, "up")
        await wait_until(pilot, lambda: current_key(app) == STEP, timeout=15)
        assert run.active, "the flood should still be running: this test would prove nothing"
        pouring.set()

        await wait_until(pilot, lambda: not run.active, timeout=90)  # a guard against a hang, not a speed bound (the CI machine may be loaded)
        await settle(pilot)
        log = app.screen.query_one("#log", Log)
        assert log.line_count <= 5000
        assert log.lines[-1] == "line 49999"
        assert app.session.status(STEP) == "done"
        assert app.main_screen.detail.border_title == "Vooraf 1/4"  # the section's count, updated
        entry = app.session.step_state(STEP)
        assert entry.result.status == "ok" and entry.log_tail[-1] == "line 49999"

        await pilot.press("c")  # the result's text, not the menu path, goes to the clipboard
        assert app.clipboard == "LICENCE-TEXT-123"


async def test_escape_cancels_a_running_check_and_otherwise_goes_back(hang) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        assert "esc" not in footer_keys(app)  # in the list: nothing to go back to
        app.main_screen.detail.focus()
        await settle(pilot)
        assert footer_keys(app)["esc"] == ("Terug", False)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is app.main_screen.tree

        await pilot.press("r")
        await wait_until(pilot, lambda: app.main_screen.runs[STEP].total >= 1)
        await settle(pilot)
        assert footer_keys(app)["esc"] == ("Annuleren", False)
        assert footer_keys(app)["r"] == ("Uitvoeren", True)  # greyed out while it runs
        app.action_switch_lang()
        await settle(pilot)
        assert footer_keys(app)["esc"] == ("Cancel", False)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.main_screen.runs[STEP].active)
        assert hang.cleaned_up
        assert app.session.status(STEP) == "interrupted"
        await settle(pilot)
        assert "again" in str(app.screen.query_one("#run").label).lower()
        app.main_screen.detail.focus()
        await settle(pilot)
        assert footer_keys(app)["esc"] == ("Back", False)


async def test_not_applicable_falls_back_to_manual_confirmation(not_applicable) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        await pilot.press("r")
        await wait_until(pilot, lambda: not app.main_screen.runs[STEP].active)
        await settle(pilot)
        assert app.session.status(STEP) == "todo"
        assert "handmatig" in str(app.screen.query_one("#result").render())
        await pilot.press("space")  # no dialog: n/a asks the admin to confirm by hand
        await settle(pilot)
        assert app.session.status(STEP) == "confirmed"  # by hand, the check could not run here: its own status


async def test_run_all_checks_runs_unblocked_checks_side_by_side(flood) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        session = app.session
        free = {r.key for r in session.refs() if r.step.kind == "check" and session.status(r.key) != "blocked"}
        app.main_screen.action_run_all()
        runs = app.main_screen.runs
        # every check that waits for nothing, at once (the real ones too); no actions, nothing blocked
        assert set(runs) == free and STEP in free and len(free) > 1
        assert all(session.ref(k).step.kind == "check" for k in runs)
        assert all(run.active for run in runs.values())
        # said on the status line by the action itself, when the runs start
        assert said(app) == f"{len(free)} controles gestart", (len(free), said(app))
        await wait_until(pilot, lambda: not any(run.active for run in runs.values()), timeout=15)
        assert session.status(STEP) == "done"
        assert all(session.status(k) in ("done", "failed", "todo") for k in runs)
