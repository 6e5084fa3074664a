"""The hand-over report reads as a person reads it: the fields' labels in the admin's language,
ja/nee and "—" for values, one word per status (the app's), confirmed and flagged steps said, and
the count everything shows."""

from __future__ import annotations

import re

import pytest

from tests.worked_state import CONFIRMED, DONE, FLAGGED, SKIPPED, TOTAL, work
from tui.report import report_data, report_markdown
from tui.state.session import open_session
from tui.text import status_word


@pytest.fixture(params=["nl", "en"])
def worked(request):
    session = work(open_session(server="av-srv01", lang=request.param))
    yield session
    session.close()


def step_block(markdown: str, title: str) -> str:
    """The lines of one step in the report: its own line and the indented ones under it."""
    match = re.search(rf"^- \*\*{re.escape(title)}\*\*.*\n(?:  .*\n)*", markdown, re.M)
    assert match, f"no step {title!r} in the report"
    return match.group(0)


def test_fields_are_shown_by_label_with_values_as_a_person_reads_them(worked) -> None:
    lang = worked.lang
    markdown = report_markdown(worked)
    authorisation = step_block(markdown, worked.ref("wizard.autorisatie").title(lang))
    step = worked.ref("wizard.autorisatie").step
    label = {f.id: f.label.get(lang) for f in step.fields}
    assert f"  - {label['email']}: beheer@example.nl\n" in authorisation
    assert f"  - {label['sso']}: {'nee' if lang == 'nl' else 'no'}\n" in authorisation
    assert f"  - {label['voornaam']}: —\n" in authorisation  # not answered
    edition = step_block(markdown, worked.ref("vereisten.editie").title(lang))
    assert f": {'ja' if lang == 'nl' else 'yes'}\n" in edition
    assert ": DEMO, HOLD\n" in step_block(markdown, worked.ref("autoreport.administraties").title(lang))
    # no Python values, no field ids, no result ids
    for internal in ("True", "False", "None", "module_autoreport", "sso:", "voornaam:", "- ok:", "- fail:"):
        assert internal not in markdown, internal


def test_every_status_is_the_apps_word_and_confirmed_and_flagged_are_said(worked) -> None:
    lang = worked.lang
    markdown = report_markdown(worked)
    for ref in worked.refs():
        line = step_block(markdown, ref.title(lang)).splitlines()[0]
        assert line.startswith(f"- **{ref.title(lang)}**: {status_word(worked.status(ref.key), lang)}"), line
    assert "te doen" not in markdown  # the report's own word of before: the app says "open"
    licence = step_block(markdown, worked.ref("vooraf.licentie").title(lang))
    assert status_word("confirmed", lang) in licence and "zelf bekeken in AccountView" in licence
    reachable = step_block(markdown, worked.ref("vooraf.visma_bereikbaar").title(lang)).splitlines()[0]
    assert reachable.endswith(")") and ("controle sindsdien: mislukt" if lang == "nl" else "check since: failed") in reachable


def test_the_report_says_the_one_count_with_skipped_and_confirmed(worked) -> None:
    lang = worked.lang
    data = report_data(worked)
    assert (data["done"], data["total"], data["skipped"], data["confirmed"], data["flagged"]) == (
        DONE, TOTAL, SKIPPED, CONFIRMED, FLAGGED)
    said = {"nl": f"**{DONE}/{TOTAL} gereed** (1 overgeslagen, 1 met de hand bevestigd, 1 met een controle "
                  "sindsdien die niet slaagde)",
            "en": f"**{DONE}/{TOTAL} done** (1 skipped, 1 confirmed by hand, 1 with a check since that did not pass)"}
    assert said[lang] in report_markdown(worked)


def test_the_json_keeps_ids_and_raw_values_for_tools(worked) -> None:
    steps = {step["id"]: step for step in report_data(worked)["steps"]}
    assert steps["wizard.autorisatie"]["answers"] == {"email": "beheer@example.nl", "sso": False}
    assert steps["vooraf.licentie"]["status"] == "confirmed"
    assert steps["vooraf.visma_bereikbaar"]["check_since"] == "fail"
