"""Answers files: export (a full template for a fresh server, never a secret), import (validated,
located problems), and round trips through real TOML text."""

from __future__ import annotations

import tomllib

import pytest

from tui.playbook.answers import export_answers, import_answers, toml_key, toml_string, toml_value
from tui.playbook.loader import load_builtin
from tui.state.model import ServerState

TRICKY = 'Demo "BV" \\ C:\\pad\\ — ünïcödé ✓ 𝄞\nregel twee\ttab'


@pytest.fixture
def playbook():
    return load_builtin()


def filled_state() -> ServerState:
    state = ServerState(server="srv-av01", administraties=["Demo BV", 'Holding "H" BV'])
    state.step("wizard.beheerder").answers = {"email": "beheer@bedrijf.nl", "email_stappen_uitgevoerd": True}
    state.step("wizard.communicatie").answers = {"acs_host": "srv-av01", "acs_poort": 50123}
    state.step("vooraf.visma_bereikbaar").answers = {
        "extra_urls": ["https://a.example/x?y=1", "https://b.example"], "proxy": "http://proxy:8080",
        "proxy_gebruiker": "svc_koppel", "proxy_wachtwoord": "hunter2-should-never-leak",
    }
    state.step("onderneming.aanmaken@Demo BV").answers = {
        "ondernemingcode": "DEMO", "omschrijving": TRICKY, "beginbalans_overgenomen": True, "blk_gedemarkeerd": False,
    }
    state.step('aangifteprofiel.aanmaken').draft = {"naam": "AutoReport 'BTW'"}
    return state


# --- writing TOML -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "plain", 'quote " and \\ backslash', "tab\there", "new\nline\r\n", "ünïcödé ✓ 𝄞 €", "\x00\x01\x1f\x7f", '"""', "'''", "#not a comment"],
)
def test_toml_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"k = {toml_string(text)}")["k"] == text


@pytest.mark.parametrize("key", ["plain_key-1", "onderneming.aanmaken@Demo BV", 'with "quotes"', "ü", ""])
def test_toml_key_round_trips(key: str) -> None:
    assert tomllib.loads(f"{toml_key(key)} = 1") == {key: 1}


def test_toml_values() -> None:
    values = {"a": True, "b": False, "c": 65535, "d": ["x", 'y"'], "e": []}
    document = "\n".join(f"{key} = {toml_value(value)}" for key, value in values.items())
    assert tomllib.loads(document) == values


# --- export -------------------------------------------------------------------------------


def test_fresh_export_is_a_full_commented_template(playbook) -> None:
    text = export_answers(playbook, ServerState(server="nieuw"), "nl")
    assert tomllib.loads(text) == {"steps": {key: {} for key in tomllib.loads(text)["steps"]}}  # no answers in it
    assert "# administraties = []" in text
    for step in playbook.steps():
        for field in step.fields:
            if field.secret or (step.id, field.id) == playbook.administraties_ref():
                continue
            assert f"\n# {field.id} =" in text, (step.id, field.id)
    assert '# [steps."onderneming.aanmaken@Naam administratie"]' in text
    assert '# acs_host = "localhost"' in text  # defaults shown
    assert "# acs_poort =\n" in text  # the ACS port: nothing invented
    assert import_answers(playbook, text, "nl") == ({}, [])


def test_export_never_contains_a_secret(playbook) -> None:
    state = filled_state()
    for lang in ("nl", "en"):
        text = export_answers(playbook, state, lang)
        assert "hunter2" not in text
        assert "proxy_wachtwoord =" not in text
        assert "\n# Wachtwoord proxyserver" in text or "\n# Proxy server password" in text


def test_export_import_round_trip(playbook) -> None:
    state = filled_state()
    text = export_answers(playbook, state, "en")
    values, problems = import_answers(playbook, text, "en")
    assert problems == []
    assert values == {
        "autoreport.administraties": {"administraties": ["Demo BV", 'Holding "H" BV']},
        "wizard.beheerder": {"email": "beheer@bedrijf.nl", "email_stappen_uitgevoerd": True},
        "wizard.communicatie": {"acs_host": "srv-av01", "acs_poort": 50123},
        "vooraf.visma_bereikbaar": {
            "extra_urls": ["https://a.example/x?y=1", "https://b.example"], "proxy": "http://proxy:8080",
            "proxy_gebruiker": "svc_koppel",
        },
        "onderneming.aanmaken@Demo BV": {
            "ondernemingcode": "DEMO", "omschrijving": TRICKY, "beginbalans_overgenomen": True, "blk_gedemarkeerd": False,
        },
        "aangifteprofiel.aanmaken": {"naam": "AutoReport 'BTW'"},
    }
    # the second administratie has a table ready to fill in
    assert '[steps."onderneming.aanmaken@Holding \\"H\\" BV"]' in text
    # and exporting what was imported gives the same file again
    again = ServerState(server="srv-av01", administraties=values.pop("autoreport.administraties")["administraties"])
    for key, answers in values.items():
        again.step(key).answers = answers
    again.step("vooraf.visma_bereikbaar").answers["proxy_wachtwoord"] = "x"
    assert export_answers(playbook, again, "en") == text


def test_export_falls_back_to_the_administraties_answer(playbook) -> None:
    state = ServerState(server="s")
    state.step("autoreport.administraties").answers = {"administraties": ["Alpha"]}
    text = export_answers(playbook, state, "nl")
    assert 'administraties = ["Alpha"]' in text and '[steps."aangifteprofiel.aanmaken"]' in text
    assert '[steps."onderneming.aanmaken@Alpha"]' in text


# --- import problems ----------------------------------------------------------------------


def test_secrets_are_refused_on_import(playbook) -> None:
    text = '[steps."vooraf.visma_bereikbaar"]\nproxy_gebruiker = "svc"\nproxy_wachtwoord = "hunter2"\n'
    values, problems = import_answers(playbook, text, "nl")
    assert values == {"vooraf.visma_bereikbaar": {"proxy_gebruiker": "svc"}}
    assert len(problems) == 1 and problems[0].startswith("[vooraf.visma_bereikbaar] proxy_wachtwoord: geheim veld")
    assert "hunter2" not in problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[steps."wizard.beheerder"]\nemail = "beheer"\n', "[wizard.beheerder] email: 'beheer' is geen geldig e-mailadres"),
        ('[steps."wizard.beheerdr"]\nemail = "a@b.nl"\n', "[wizard.beheerdr] onbekende stap (did you mean 'wizard.beheerder'?)"),
        ('[steps."wizard.beheerder"]\nemial = "a@b.nl"\n', "[wizard.beheerder] emial: onbekend veld (did you mean 'email'?)"),
        ('[steps."onderneming.aanmaken"]\nondernemingcode = "X"\n', '[onderneming.aanmaken] geldt per administratie: schrijf [steps."onderneming.aanmaken@Naam administratie"]'),
        ('[steps."wizard.beheerder@Demo"]\nemail = "a@b.nl"\n', '[wizard.beheerder@Demo] geldt niet per administratie'),
        ('administraties = ["Demo"]\n[steps."onderneming.aanmaken@Other"]\nondernemingcode = "X"\n', "[onderneming.aanmaken@Other] administratie 'Other' staat niet in administraties"),
        ('[steps."onderneming.aanmaken@Demo"]\nondernemingcode = "DEMO2024"\n', "[onderneming.aanmaken@Demo] ondernemingcode: '2024' lijkt een jaartal"),
        ('[steps."wizard.communicatie"]\nacs_poort = 70000\n', "[wizard.communicatie] acs_poort: '70000' is geen geldige poort"),
        ('[steps."wizard.communicatie"]\nacs_poort = { a = 1 }\n', "[wizard.communicatie] acs_poort: verwacht een waarde, geen tabel"),
        ('[steps]\n"wizard.beheerder" = "x"\n', "[wizard.beheerder] verwacht een tabel met velden"),
        ("steps = 3\n", "steps: verwacht tabellen"),
        ('administratie = ["Demo"]\n', "administratie: onbekende sleutel (did you mean 'administraties'?)"),
        ('[steps."wizard.beheerder"]\nemail = "a@b.nl\n', "regel 2, kolom "),
        # a document that ends too soon: tomllib names no line, koppel points at where it runs out
        ('[steps."wizard.beheerder"]\nemail = [\n\n', "regel 2, kolom 10: geen geldige TOML: Invalid value at end of document"),
    ],
)
def test_import_problems_are_located(playbook, text: str, expected: str) -> None:
    values, problems = import_answers(playbook, text, "nl")
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_import_leaves_out_values_with_errors_but_keeps_warnings(playbook) -> None:
    text = '[steps."wizard.beheerder"]\nemail = "jan.jansen@bedrijf.nl"\n[steps."wizard.communicatie"]\nacs_host = "srv"\nacs_poort = "veel"\n'
    values, problems = import_answers(playbook, text, "en")
    assert values == {"wizard.beheerder": {"email": "jan.jansen@bedrijf.nl"}, "wizard.communicatie": {"acs_host": "srv"}}
    assert [p.split(":")[0] for p in problems] == ["[wizard.beheerder] email", "[wizard.communicatie] acs_poort"]
    assert problems[0].startswith("[wizard.beheerder] email: warning: ")


def test_import_judges_cross_field_rules_within_the_file(playbook) -> None:
    text = 'administraties = ["Demo"]\n[steps."onderneming.aanmaken@Demo"]\nbeginbalans_overgenomen = false\nblk_gedemarkeerd = true\n'
    values, problems = import_answers(playbook, text, "nl")
    assert values["onderneming.aanmaken@Demo"] == {"beginbalans_overgenomen": False}
    assert len(problems) == 1 and problems[0].startswith("[onderneming.aanmaken@Demo] blk_gedemarkeerd: ")


def test_import_coerces_like_the_form(playbook) -> None:
    text = 'administraties = "Demo BV, Holding BV"\n[steps."wizard.communicatie"]\nacs_poort = "50123"\n[steps."vereisten.editie"]\neditie = "business"\nmodule_autoreport = "ja"\n'
    values, problems = import_answers(playbook, text, "nl")
    assert problems == []
    assert values == {
        "autoreport.administraties": {"administraties": ["Demo BV", "Holding BV"]},
        "wizard.communicatie": {"acs_poort": 50123},
        "vereisten.editie": {"editie": "Business", "module_autoreport": True},
    }
