"""One count everywhere: `koppel status` (text and JSON), `servers --json`, the app's header and the
report agree on done/total for the same state, skipped, confirmed and flagged steps counted the same
way in each and said."""

from __future__ import annotations

from tests.worked_state import CONFIRMED, DONE, FLAGGED, SKIPPED, TOTAL, work
from tui.state.counts import StepView, Tally, tally
from tui.state.session import open_session


def test_closed_steps_count_and_what_they_hold_is_said() -> None:
    count = tally([StepView("done"), StepView("confirmed"), StepView("skipped"), StepView("failed"),
                   StepView("todo"), StepView("done", check_since="fail"), StepView("interrupted")])
    assert count == Tally(done=4, total=7, skipped=1, confirmed=1, flagged=1)
    assert count.text("nl") == "4/7 gereed (1 overgeslagen, 1 met de hand bevestigd, 1 met een controle sindsdien die niet slaagde)"
    assert count.text("en") == "4/7 done (1 skipped, 1 confirmed by hand, 1 with a check since that did not pass)"
    assert tally([StepView("done"), StepView("todo")]).text("nl") == "1/2 gereed"  # nothing more to say


def test_a_closed_step_being_checked_again_still_counts() -> None:
    assert tally([StepView("running", before_run="confirmed")]) == Tally(done=1, total=1, confirmed=1)
    assert tally([StepView("running")]) == Tally(done=0, total=1)  # a first run: not done yet


def test_the_session_counts_the_worked_state() -> None:
    session = work(open_session(server="av-srv01"))
    try:
        assert session.state.steps["vereisten.versie"].status == "running"  # mid re-check
        assert session.count() == Tally(DONE, TOTAL, SKIPPED, CONFIRMED, FLAGGED)
        assert session.progress() == (DONE, TOTAL)
    finally:
        session.close()
