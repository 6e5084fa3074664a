"""One count everywhere: `koppel status` (text and JSON), `servers --json`, the app's header and the
report agree on done/total for the same state, skipped, confirmed and flagged steps counted the same
way in each and said."""

from __future__ import annotations

import json

import pytest

from tests.ui_helpers import make_app, settle
from tests.worked_state import CONFIRMED, DONE, FLAGGED, SKIPPED, TOTAL, work, worked_server
from tui.app import KoppelApp
from tui.cli import main
from tui.state.counts import StepView, Tally, tally
from tui.state.session import open_session
from tui.text import status_word
from tui.widgets.header import StatusHeader


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


def koppel_out(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def header_text(app: KoppelApp) -> str:
    return app.main_screen.query_one(StatusHeader).render().plain


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_status_servers_the_header_and_the_report_say_the_same_count(capsys, lang: str) -> None:
    worked_server("av-srv01", lang)
    expected = Tally(DONE, TOTAL, SKIPPED, CONFIRMED, FLAGGED)
    said = expected.text(lang)  # "7/25 gereed (1 overgeslagen, 1 met de hand bevestigd, 1 ...)"
    counts = {"done": DONE, "total": TOTAL, "skipped": SKIPPED, "confirmed": CONFIRMED, "flagged": FLAGGED}

    status = json.loads(koppel_out(capsys, "--lang", lang, "status", "--server", "av-srv01", "--json"))
    assert {k: status[k] for k in counts} == counts
    assert koppel_out(capsys, "--lang", lang, "status", "--server", "av-srv01").splitlines()[0] == f"av-srv01: {said}"
    [listed] = json.loads(koppel_out(capsys, "--lang", lang, "servers", "--json"))
    assert {k: listed[k] for k in counts} == counts
    assert koppel_out(capsys, "--lang", lang, "servers").startswith(f"av-srv01  {said}  ")
    report = json.loads(koppel_out(capsys, "--lang", lang, "report", "--server", "av-srv01", "--json", "-o", "-"))
    assert {k: report[k] for k in counts} == counts
    assert f"**{expected.ratio} {status_word('done', lang)}** ({expected.details(lang)})" in koppel_out(
        capsys, "--lang", lang, "report", "--server", "av-srv01", "-o", "-")

    app = make_app(server="av-srv01", lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert f"{expected.ratio} {status_word('done', lang)}" in header_text(app)
        app.session.mark_running("vereisten.versie")  # a closed step checked again: the header stays
        app.main_screen.update_header()
        await settle(pilot)
        assert f"{expected.ratio} {status_word('done', lang)}" in header_text(app)


def test_koppel_status_says_confirmed_by_hand_and_the_newer_check_result(capsys) -> None:
    worked_server("av-srv01")
    lines = koppel_out(capsys, "--ascii", "status", "--server", "av-srv01").splitlines()
    assert any(line.startswith("  [v] AccountView-licentie downloaden: met de hand bevestigd  ") for line in lines)
    assert any(line.startswith("  [x] Visma.net bereikbaar vanaf deze server [?]: gereed; controle sindsdien: mislukt  ")
               for line in lines)
    assert "  [-] Onderneming aanmaken (DEMO): overgeslagen  " in "\n".join(lines)
    steps = {step["id"]: step for step in json.loads(koppel_out(capsys, "status", "--server", "av-srv01", "--json"))["steps"]}
    assert steps["vooraf.licentie"]["status"] == "confirmed" and steps["vooraf.licentie"]["check_since"] is None
    assert steps["vooraf.visma_bereikbaar"]["status"] == "done" and steps["vooraf.visma_bereikbaar"]["check_since"] == "fail"


def test_reset_says_the_count_it_forgets(capsys) -> None:
    worked_server("av-srv01")
    out = koppel_out(capsys, "reset", "--server", "av-srv01", "--yes")
    assert out.startswith(f"vergeten: av-srv01 ({Tally(DONE, TOTAL, SKIPPED, CONFIRMED, FLAGGED).text('nl')}; verwijderd: ")
