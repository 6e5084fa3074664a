"""koppel's own lines in playbook text name the admin's earlier answers: checked at load time,
filled in from the session, and an unanswered one says so instead of leaving a blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tests.test_playbook_loader import BASE, load_playbook, problems_of, write
from tui.playbook.loader import load_builtin
from tui.playbook.textrefs import render
from tui.state.session import open_session

SECRET = """
[[sections.steps]]
id = "a.geheim"
title = "Geheim"
kind = "form"
[[sections.steps.fields]]
id = "wachtwoord"
label = "Wachtwoord"
type = "secret"
"""


def with_line(text: str, after: int | None = None, extra: str = "") -> str:
    where = f"after = {after}\n" if after else ""
    return (BASE + extra + '\n[[sections.steps]]\nid = "a.three"\ntitle = "Three"\n'
            '[[sections.steps.instructions]]\ntext = "Doe iets."\n'
            f'[[sections.steps.context]]\n{where}text.nl = "{text}"\ntext.en = "{text}"\n')


@pytest.mark.parametrize("text, expected", [
    ("{a.onw:naam}", "sections[0].steps[2].context[0].text.nl: unknown step 'a.onw' (did you mean 'a.one'?)"),
    ("{a.one:nam}", "sections[0].steps[2].context[0].text.nl: step 'a.one' has no field 'nam' (did you mean 'naam'?)"),
    ("{section:b}", "sections[0].steps[2].context[0].text.nl: unknown section 'b'"),
    ("{naam}", "sections[0].steps[2].context[0].text.nl: unknown reference '{naam}' (use {step_id:field}, "
               "{section:id} or {administratie})"),
    ("{administratie}", "sections[0].steps[2].context[0].text.nl: '{administratie}' only exists in a step with "
                        "scope 'administratie'"),
])
def test_a_wrong_reference_is_a_located_loader_error(tmp_path: Path, text: str, expected: str) -> None:
    problems = problems_of(tmp_path, with_line(text))
    assert expected in problems
    assert expected.replace("text.nl", "text.en") in problems


def test_a_secret_field_may_never_be_referenced(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, with_line("{a.geheim:wachtwoord}", extra=SECRET))
    assert "sections[0].steps[3].context[0].text.nl: '{a.geheim:wachtwoord}' is a secret field, which koppel " \
           "never shows" in problems


def test_a_line_after_an_instruction_that_does_not_exist(tmp_path: Path) -> None:
    assert "sections[0].steps[2].context[0].after: instruction 2 does not exist (the step has 1)" in \
        problems_of(tmp_path, with_line("{a.one:naam}", after=2))


def test_a_good_reference_loads(tmp_path: Path) -> None:
    step = load_playbook(write(tmp_path, with_line("Naam: {a.one:naam}, {section:a}", after=1))).step("a.three")
    assert step is not None and step.context[0].after == 1


def _session():
    session = open_session(server="srv01")
    session.state.administraties = ["Demo BV", "Holding BV"]
    return session


def test_an_answer_is_shown_and_an_unanswered_one_says_so() -> None:
    session = _session()
    text = "Map: {vooraf.gateway_uitpakken:doel}; beheerder: {wizard.beheerder:email}"
    assert render(text, session, "nl") == ("Map: ‹Map om in uit te pakken: nog niet ingevuld›; "
                                           "beheerder: ‹E-mailadres van de beheerder: nog niet ingevuld›")
    assert render(text, session, "en", ascii_mode=True) == (
        "Map: <Folder to extract into: not filled in yet>; beheerder: <Administrator's e-mail address: not filled in yet>")
    session.record_answers("vooraf.gateway_uitpakken", {"doel": "C:\\Visma\\opg"})
    session.record_answers("wizard.beheerder", {"email": "beheer@example.nl", "email_stappen_uitgevoerd": True})
    assert render(text, session, "nl") == "Map: C:\\Visma\\opg; beheerder: beheer@example.nl"
    assert render("{wizard.beheerder:email_stappen_uitgevoerd}", session, "nl") == "ja"


def test_a_field_per_administratie_reads_per_administratie() -> None:
    session = _session()
    session.record_answers("onderneming.aanmaken@Demo BV", {"ondernemingcode": "DEMO", "omschrijving": "Demo"})
    listed = render("{onderneming.aanmaken:ondernemingcode}", session, "nl")
    assert listed == "Demo BV: DEMO; Holding BV: ‹Ondernemingcode: nog niet ingevuld›"
    assert render("{onderneming.aanmaken:ondernemingcode} in {administratie}", session, "nl", "Demo BV") == \
        "DEMO in Demo BV"


def test_a_section_reference_names_its_progress_and_next_open_step() -> None:
    session = _session()
    assert render("{section:vooraf}", session, "nl") == "Vooraf (0/4; volgende: AccountView-licentie downloaden)"


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_an_answer_with_braces_or_markup_is_shown_as_typed(typed: str) -> None:
    session = open_session(server="srv-h")
    session.record_answers("aangifteprofiel.aanmaken", {"naam": typed})
    shown = render("Profiel: {aangifteprofiel.aanmaken:naam}", session, "nl")
    assert shown == f"Profiel: {typed}" if typed else "nog niet ingevuld" in shown
    session.close()


def test_every_line_of_the_builtin_playbook_renders_without_a_blank() -> None:
    playbook = load_builtin()
    session = _session()
    lines = [line for line in playbook.context] + [line for step in playbook.steps() for line in step.context]
    assert len(lines) >= 10
    for line in lines:
        for lang in ("nl", "en"):
            shown = render(line.text.get(lang), session, lang, "Demo BV")
            assert "{" not in shown and ": ;" not in shown and not shown.rstrip().endswith(":")
