"""Validation rules and type coercion: the right values pass, the wrong ones get a clear message."""

from __future__ import annotations

from typing import Any

import pytest

from tui.playbook.loader import load_builtin
from tui.playbook.model import FormField, RuleRef, Step
from tui.versions import parse_av_version
from tui.playbook.rules import RULES, Finding, validate_field, validate_values


def one_field_step(field_type: str = "text", rule: str | None = None, *, params: dict | None = None, **extra: Any) -> Step:
    rules = [RuleRef(name=rule, params=params or {})] if rule else []
    return Step(id="s", title="S", kind="form", fields=[FormField(id="v", label="Veld", type=field_type, rules=rules, **extra)])


def findings_for(step: Step, raw: Any, lang: str = "nl") -> list[Finding]:
    return validate_values(step, {"v": raw}, lang)[1]


def errors(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.level == "error"]


def warnings(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.level == "warning"]


def builtin_step(step_id: str) -> Step:
    step = load_builtin().step(step_id)
    assert step is not None
    return step


# --- AccountView version and edition ------------------------------------------------------


@pytest.mark.parametrize("raw", ["9.8", "9.8a", "10.1", "AccountView 9.9", "versie 9.8b", "9.10", " 11 ", "9.8.1", "9.8a (build 1234)"])
def test_version_min_accepts(raw: str) -> None:
    assert findings_for(one_field_step(rule="version_min", params={"min": "9.8"}), raw) == []


@pytest.mark.parametrize("raw", ["9.7", "9.7z", "AccountView 9.6", "9", "8.9", "garbage", "2024", "9,8", "v9.x"])
def test_version_min_rejects_and_says_where_to_look(raw: str) -> None:
    [message] = errors(findings_for(one_field_step(rule="version_min", params={"min": "9.8"}), raw))
    assert "Help > Info" in message
    [message_en] = errors(findings_for(one_field_step(rule="version_min", params={"min": "9.8"}), raw, "en"))
    assert "Help > Info" in message_en and message_en != message


def test_version_parser_reads_a_form_answer_strictly() -> None:
    assert parse_av_version("AccountView 9.8a") == (9, 8)
    assert parse_av_version("10.1") == (10, 1)
    assert parse_av_version("versie 9.8.1 (build 1234)") == (9, 8, 1)
    for not_an_answer in ("geen versie", "9,8", "2024", "v9.8", "Team 9.8"):
        assert parse_av_version(not_an_answer) is None, not_an_answer


def test_version_messages_of_the_rule() -> None:
    step = one_field_step(rule="version_min", params={"min": "9.8"})
    [too_old] = errors(findings_for(step, "AccountView 9.7z", "en"))
    assert too_old.startswith("AccountView 9.7 is too old: at least 9.8 is required. Request the update.")
    [unreadable] = errors(findings_for(step, "9,8"))
    assert unreadable.startswith("'9,8' is geen versienummer zoals 9.8 of 10.1.")


def test_version_min_does_not_repeat_the_fields_help() -> None:
    # the form shows the help "U vindt de versie in AccountView via Help > Info." right above the error
    step = builtin_step("vereisten.editie")
    versie = step.field("versie")
    assert versie is not None and versie.help is not None
    for lang, too_old in (("nl", "AccountView 9.7 is te oud: minimaal 9.8 is nodig. Vraag de update aan."),
                          ("en", "AccountView 9.7 is too old: at least 9.8 is required. Request the update.")):
        assert "Help > Info" in versie.help.get(lang)
        assert [f.message for f in validate_field(step, "versie", "9.7", {}, lang)] == [too_old]
    assert [f.message for f in validate_field(step, "versie", "9,8", {}, "nl")] == [
        "'9,8' is geen versienummer zoals 9.8 of 10.1."]


@pytest.mark.parametrize("raw", ["Team", "Business", "business", "AccountView Business", "AccountView Team"])
def test_edition_accepts_team_and_business(raw: str) -> None:
    assert findings_for(one_field_step(rule="edition"), raw) == []


@pytest.mark.parametrize("raw", ["Compact", "Basis", "Overig", "AccountView Compact", "Teams"])
def test_edition_rejects_others(raw: str) -> None:
    [message] = errors(findings_for(one_field_step(rule="edition"), raw))
    assert "AccountView Team of AccountView Business" in message


def test_edition_choice_of_the_builtin_step() -> None:
    step = builtin_step("vereisten.editie")
    values = {"versie": "9.9", "editie": "compact", "module_autoreport": "ja"}
    cleaned, findings = validate_values(step, values, "nl")
    assert cleaned["editie"] == "Compact"  # the choice's own spelling
    assert [f.field for f in findings] == ["editie"]
    cleaned, findings = validate_values(step, {**values, "editie": "Business"}, "nl")
    assert findings == [] and cleaned == {"versie": "9.9", "editie": "Business", "module_autoreport": True}


# --- Onderneming --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["DEMO", "Demo BV", "BV123", "ABC12345", "Code 3000", "Afdeling 18", "1234"])
def test_no_year_accepts(raw: str) -> None:
    assert findings_for(one_field_step(rule="no_year"), raw) == []


@pytest.mark.parametrize("raw", ["DEMO2024", "Demo BV 1999", "2024", "Demo 2023-2024", "BV_2010"])
def test_no_year_rejects_with_the_notes_warning(raw: str) -> None:
    [message] = errors(findings_for(one_field_step(rule="no_year"), raw))
    assert "Let op: Gebruik hiervoor geen jaartallen, want de onderneming bevat alle boekjaren." in message


@pytest.mark.parametrize("raw", ["Demo '24", "Demo ’99"])
def test_no_year_warns_about_short_years(raw: str) -> None:
    findings = findings_for(one_field_step(rule="no_year"), raw)
    assert errors(findings) == [] and len(warnings(findings)) == 1


# --- E-mail -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["beheer@bedrijf.nl", "it@sub.bedrijf.co.uk", "a.b+c@x-y.nl", "ADMIN@BEDRIJF.NL"])
def test_email_accepts(raw: str) -> None:
    assert findings_for(one_field_step(rule="email"), raw) == []
    assert findings_for(one_field_step("email"), raw) == []


@pytest.mark.parametrize("raw", ["beheer", "beheer@", "@bedrijf.nl", "beheer@bedrijf", "be heer@bedrijf.nl", "a@@b.nl", "a@b..nl", "a@-b.nl"])
def test_email_rejects(raw: str) -> None:
    assert len(errors(findings_for(one_field_step(rule="email"), raw))) == 1
    assert len(errors(findings_for(one_field_step("email", rule="email"), raw))) == 1  # one message, not two


@pytest.mark.parametrize("raw", ["jan.jansen@bedrijf.nl", "j.de-vries@bedrijf.nl", "piet_pietersen@bedrijf.nl", "beheer@gmail.com", "jan@bedrijf.nl"])
def test_general_email_warns_about_personal_addresses(raw: str) -> None:
    findings = findings_for(one_field_step(rule="general_email"), raw)
    assert errors(findings) == []
    [message] = warnings(findings)
    assert "algemeen e-mailadres" in message


@pytest.mark.parametrize("raw", ["beheer@bedrijf.nl", "it@bedrijf.nl", "admin@bedrijf.nl", "info@bedrijf.nl",
                                 "administratie@bedrijf.nl", "ict@bedrijf.nl", "it.beheer@bedrijf.nl", "accountview-admin@bedrijf.nl"])
def test_general_email_accepts_general_addresses(raw: str) -> None:
    assert findings_for(one_field_step(rule="general_email"), raw) == []


def test_beheerder_step_a_personal_address_is_a_soft_warning() -> None:
    step = builtin_step("wizard.beheerder")
    cleaned, findings = validate_values(step, {"email": "jan.jansen@bedrijf.nl", "email_stappen_uitgevoerd": "ja"}, "nl")
    assert [(f.field, f.level) for f in findings] == [("email", "warning")]
    assert cleaned["email"] == "jan.jansen@bedrijf.nl"
    _, findings = validate_values(step, {"email": "beheer@bedrijf.nl", "email_stappen_uitgevoerd": "nee"}, "nl")
    assert [(f.field, f.level) for f in findings] == [("email_stappen_uitgevoerd", "error")]


# --- Cross-field rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("beginbalans", "blk", "ok"),
    [(False, True, False), ("", "ja", False), (True, True, True), (False, False, True), ("nee", "", True)],
)
def test_blk_only_after_the_opening_balance(beginbalans: Any, blk: Any, ok: bool) -> None:
    step = builtin_step("onderneming.aanmaken")
    values = {"ondernemingcode": "DEMO", "omschrijving": "Demo BV", "beginbalans_overgenomen": beginbalans, "blk_gedemarkeerd": blk}
    _, findings = validate_values(step, values, "nl")
    assert (findings == []) is ok
    if not ok:
        [finding] = findings
        assert finding.field == "blk_gedemarkeerd" and "nadat de beginbalans is overgenomen" in finding.message
        assert "(kies eerst 'ja' bij 'De beginbalans is overgenomen')" in finding.message  # a ja/nee choice, no box


@pytest.mark.parametrize(
    ("opened", "restarted", "ok"),
    [(True, False, False), (True, "", False), (True, True, True), (False, False, True), ("", "", True)],
)
def test_restart_after_visma_changes(opened: Any, restarted: Any, ok: bool) -> None:
    step = builtin_step("visma_gebruiker.autoreport")
    values = {"gebruiker": "beheer@bedrijf.nl", "geopend_vanuit_accountview": opened, "accountview_herstart": restarted}
    _, findings = validate_values(step, values, "nl")
    assert (findings == []) is ok
    if not ok:
        assert [f.field for f in findings] == ["accountview_herstart"]
        assert "AccountView sluiten en opnieuw starten" in findings[0].message


def test_required_if_sso() -> None:
    step = builtin_step("wizard.autorisatie")
    base = {"email": "beheer@bedrijf.nl"}
    assert validate_values(step, {**base, "sso": "nee"}, "nl")[1] == []
    _, findings = validate_values(step, {**base, "sso": "ja", "voornaam": "Jan"}, "en")
    assert [(f.field, f.level) for f in findings] == [("achternaam", "error")]
    assert findings[0].message == (
        "Required when 'De huidige AccountView-gebruiker ook koppelen aan deze beheerder (Single Sign On)' is filled in or set to 'yes'."
    )
    assert validate_values(step, {**base, "sso": True, "voornaam": "Jan", "achternaam": "Jansen"}, "nl")[1] == []


def test_required_if_a_text_field_is_filled_in() -> None:
    fields = [FormField(id="gebruiker", label="Gebruiker"),
              FormField(id="wachtwoord", label="Wachtwoord", type="secret", rules=[RuleRef(name="required_if", params={"field": "gebruiker"})])]
    step = Step(id="s", title="S", kind="form", fields=fields)
    assert [f.field for f in validate_values(step, {"gebruiker": "svc"}, "nl")[1]] == ["wachtwoord"]
    assert validate_values(step, {"gebruiker": "svc", "wachtwoord": "x"}, "nl")[1] == []
    assert validate_values(step, {}, "nl")[1] == []


def test_autorisatie_never_asks_for_the_visma_password() -> None:
    assert [f.id for f in builtin_step("wizard.autorisatie").fields] == ["email", "sso", "voornaam", "achternaam"]


# --- Check parameters ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "65535", "8080", " 443 "])
def test_port_accepts(raw: str) -> None:
    assert findings_for(one_field_step("int", "port"), raw) == []
    assert findings_for(one_field_step(rule="port"), raw) == []


@pytest.mark.parametrize("raw", ["0", "65536", "-1", "99999"])
def test_port_rejects(raw: str) -> None:
    [message] = errors(findings_for(one_field_step("int", "port"), raw))
    assert "1 tot en met 65535" in message


def test_port_field_of_the_builtin_step_is_required_without_default() -> None:
    step = builtin_step("wizard.communicatie")
    cleaned, findings = validate_values(step, {}, "nl")
    assert cleaned == {"acs_host": "localhost", "acs_poort": None}
    assert [(f.field, f.message) for f in findings] == [("acs_poort", "Verplicht veld.")]
    cleaned, findings = validate_values(step, {"acs_host": "srv-av01", "acs_poort": "abc"}, "nl")
    assert [(f.field, f.message) for f in findings] == [("acs_poort", "'abc' is geen geheel getal.")]


@pytest.mark.parametrize("raw", ["http://proxy:8080", "https://proxy.bedrijf.local", "http://10.0.0.1:3128/", "http://[::1]:8080"])
def test_url_accepts(raw: str) -> None:
    assert findings_for(one_field_step(rule="url"), raw) == []


@pytest.mark.parametrize("raw", ["ftp://proxy", "proxy:8080", "http://", "http://bad host", "http://proxy:99999", "www.visma.com"])
def test_url_rejects(raw: str) -> None:
    assert len(errors(findings_for(one_field_step(rule="url"), raw))) == 1


@pytest.mark.parametrize("raw", ["http://jan:Geheim123@proxy:8080", "https://:Geheim123@proxy.bedrijf.local",
                                 "http://svc:Geh%40eim123@10.0.0.1:3128/"])
def test_url_refuses_a_password_without_quoting_it(raw: str) -> None:
    for lang, words in (("nl", "Laat het wachtwoord weg"), ("en", "Leave the password out")):
        [message] = errors(findings_for(one_field_step(rule="url"), raw, lang))
        assert words in message and "Geh" not in message and "proxy" not in message


def test_url_with_only_a_user_name_is_fine() -> None:
    assert findings_for(one_field_step(rule="url"), "http://jan@proxy:8080") == []


def test_the_live_check_of_the_proxy_field_refuses_a_password() -> None:
    step = builtin_step("vooraf.visma_bereikbaar")
    [finding] = validate_field(step, "proxy", "http://jan:Geheim123@proxy.bedrijf.local:8080", {}, "nl")
    assert finding.level == "error" and "Geheim123" not in finding.message
    [finding] = validate_field(step, "extra_urls", "https://a.example, https://u:Geheim123@b.example", {}, "en")
    assert finding.level == "error" and "Geheim123" not in finding.message


def test_url_rule_judges_every_item_of_a_list() -> None:
    step = one_field_step("list", "url", params={"schemes": ["https"]})
    findings = findings_for(step, "https://a.example, http://b.example\nnot a url")
    assert len(errors(findings)) == 2


@pytest.mark.parametrize("raw", ["localhost", "srv-av01", "srv-01.corp.local", "10.0.0.1", "::1", "fe80::1", "SERVER."])
def test_hostname_accepts(raw: str) -> None:
    assert findings_for(one_field_step(rule="hostname"), raw) == []


@pytest.mark.parametrize(
    ("raw", "hint"),
    [("http://srv", "zonder http://"), ("srv:1234", "poort apart"), ("bad_host", ""), ("-srv", ""), ("a..b", ""),
     ("300.1.1.1", ""), ("x" * 64, "")],
)
def test_hostname_rejects(raw: str, hint: str) -> None:
    [message] = errors(findings_for(one_field_step(rule="hostname"), raw))
    assert "geen geldige servernaam" in message and hint in message


# --- Coercion per type --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_type", "raw", "expected"),
    [
        ("bool", "ja", True), ("bool", "Nee", False), ("bool", "yes", True), ("bool", "FALSE", False), ("bool", True, True),
        ("bool", "", None), ("int", " 42 ", 42), ("int", 7, 7), ("int", "-3", -3),
        ("list", "Demo BV, Holding BV\nDemo BV\n", ["Demo BV", "Holding BV"]), ("list", ["a", " ", "b"], ["a", "b"]),
        ("list", " , ", None), ("text", "  x  ", "x"), ("text", "   ", None),
        ("path", '"C:\\Program Files\\OPG\\setup.exe"', "C:\\Program Files\\OPG\\setup.exe"), ("path", " /tmp/x ", "/tmp/x"),
        ("secret", " pass word ", " pass word "), ("email", " beheer@x.nl ", "beheer@x.nl"),
    ],
)
def test_coercion(field_type: str, raw: Any, expected: Any) -> None:
    cleaned, findings = validate_values(one_field_step(field_type), {"v": raw}, "nl")
    assert findings == [] and cleaned == {"v": expected}


@pytest.mark.parametrize(("field_type", "raw"), [("bool", "misschien"), ("int", "4.2"), ("int", "12a"), ("path", "a\0b")])
def test_coercion_rejects(field_type: str, raw: str) -> None:
    cleaned, findings = validate_values(one_field_step(field_type), {"v": raw}, "nl")
    assert cleaned == {"v": None} and len(errors(findings)) == 1


def test_choice_is_case_insensitive_and_canonical() -> None:
    step = builtin_step("autoreport.certificaat")
    cleaned, findings = validate_values(step, {"certificaat": "eigen CERTIFICAAT", "opslaan_voor": "alle administraties"}, "nl")
    assert findings == [] and cleaned == {"certificaat": "Eigen certificaat", "opslaan_voor": "Alle administraties"}
    cleaned, findings = validate_values(step, {"opslaan_voor": "Alles"}, "nl")
    assert cleaned["certificaat"] == "Visma-certificaat"  # the default
    assert errors(findings) == ["'Alles' is geen keuze uit: Alle administraties, Huidige administratie."]


def test_required_bool_asks_to_choose_yes() -> None:
    # the form offers ja/nee (yes/no) to choose from, not a box to tick
    step = one_field_step("bool", required=True)
    for raw in ("nee", ""):
        assert errors(findings_for(step, raw)) == ["Kies 'ja' om verder te gaan."]
        assert errors(findings_for(step, raw, "en")) == ["Choose 'yes' to continue."]
    assert errors(findings_for(step, "ja")) == []


def test_unknown_keys_are_dropped_and_missing_keys_take_the_default() -> None:
    step = one_field_step(default="standaard")
    assert validate_values(step, {"other": 1}, "nl") == ({"v": "standaard"}, [])


def test_a_secret_never_appears_in_a_message() -> None:
    secret = "hunter2 geheim"
    step = one_field_step("secret", "email")
    findings = findings_for(step, secret)
    assert len(errors(findings)) == 1
    assert "hunter2" not in errors(findings)[0] and "********" in errors(findings)[0]


def test_messages_follow_the_language() -> None:
    step = one_field_step("int", required=True)
    assert errors(findings_for(step, "")) == ["Verplicht veld."]
    assert errors(findings_for(step, "", "en")) == ["Required."]


def test_validate_field_reports_only_that_field_but_sees_the_others() -> None:
    step = builtin_step("onderneming.aanmaken")
    values = {"ondernemingcode": "", "omschrijving": "Demo 2024", "beginbalans_overgenomen": "nee"}
    assert [f.field for f in validate_field(step, "blk_gedemarkeerd", "ja", values, "nl")] == ["blk_gedemarkeerd"]
    assert validate_field(step, "blk_gedemarkeerd", "nee", values, "nl") == []
    assert [f.field for f in validate_field(step, "omschrijving", "Demo 2024", values, "nl")] == ["omschrijving"]


def test_every_rule_has_both_languages() -> None:
    # each rule, given a value it rejects, answers differently in nl and en
    bad = {"version_min": "9.7", "edition": "Compact", "no_year": "2024", "email": "x", "general_email": "jan.jansen@x.nl",
           "port": "0", "url": "ftp://x", "hostname": "a_b"}
    for name, raw in bad.items():
        step = one_field_step(rule=name)
        nl, en = findings_for(step, raw, "nl"), findings_for(step, raw, "en")
        assert nl and en and nl[0].message != en[0].message, name
    assert set(bad) | {"blk_after_opening_balance", "restart_after_visma_changes", "required_if"} == set(RULES)
