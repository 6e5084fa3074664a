"""Model helpers the session relies on: resolving ``{step_id:field}`` check params, and the
playbook wing staying light (no check modules, no Textual)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from tui.playbook.loader import load_builtin
from tui.playbook.model import CheckRef, FormField, Playbook, Text


def answers_lookup(answers: dict[str, dict[str, Any]]):
    return lambda step_id, field_id: answers.get(step_id, {}).get(field_id)


def test_a_whole_reference_keeps_the_answers_type() -> None:
    step = load_builtin().step("wizard.communicatie")
    params = step.check.resolve(answers_lookup({"wizard.communicatie": {"acs_host": "srv", "acs_poort": 50123}}))
    assert params == {"host": "srv", "port": 50123}


def test_unanswered_references_are_left_out_so_the_check_default_applies() -> None:
    step = load_builtin().step("vooraf.visma_bereikbaar")
    params = step.check.resolve(answers_lookup({"vooraf.visma_bereikbaar": {"extra_urls": [], "proxy": ""}}))
    assert params == {"url": "https://connect.visma.com/.well-known/openid-configuration"}


EXAMPLE_ANSWERS = {
    "vereisten.editie": {"versie": "9.9"},
    "vooraf.licentie": {"pad": "C:\\Users\\beheer\\Downloads\\licentie.pdf"},
    "vooraf.gateway_uitpakken": {"zip": "C:\\Downloads\\opg_Installer.zip", "doel": "C:\\OPG"},
    "vooraf.visma_bereikbaar": {"extra_urls": ["https://a.example"], "proxy": "http://proxy:8080",
                                "proxy_gebruiker": "svc", "proxy_wachtwoord": "geheim"},
    "wizard.communicatie": {"acs_host": "srv", "acs_poort": 50123},
    "wizard.gateway_installer": {"setup": "C:\\OPG\\setup.exe"},
}


def test_resolved_params_fit_every_builtin_checks_own_params_model() -> None:
    # the check modules' Params are the contract: a renamed or mistyped param fails here
    from pydantic import ValidationError

    from tui.checks.registry import load

    defaults = {s.id: {f.id: f.default for f in s.fields} for s in load_builtin().steps()}
    for step in load_builtin().steps():
        if step.check is None:
            continue
        model = load(step.check.name).Params
        answered = step.check.resolve(answers_lookup({k: {**defaults[k], **EXAMPLE_ANSWERS.get(k, {})} for k in defaults}))
        model.model_validate(answered)
        unanswered = step.check.resolve(answers_lookup(defaults))
        try:
            model.model_validate(unanswered)
        except ValidationError as error:
            # only what the admin must give (the AccountView version, the ACS port) may be missing
            assert {e["type"] for e in error.errors()} == {"missing"}, (step.id, error)
            assert {e["loc"][0] for e in error.errors()} <= {"version", "port"}, step.id


def test_references_inside_text_lists_and_the_administratie() -> None:
    check = CheckRef(name="tcp", params={
        "label": "{a:x} op {administratie}", "items": ["{a:y}", "vast"], "n": 3, "unknown": "{b}", "scope": "{administratie}",
    })
    params = check.resolve(answers_lookup({"a": {"x": 1, "y": ["p", "q"]}}), administratie="Demo BV")
    assert params == {"label": "1 op Demo BV", "items": [["p", "q"], "vast"], "n": 3, "unknown": "{b}", "scope": "Demo BV"}
    assert check.resolve(answers_lookup({})) == {"label": " op ", "items": [None, "vast"], "n": 3, "unknown": "{b}"}
    assert sorted(check.references()) == [("items", "a", "y"), ("label", "a", "x"), ("label", "administratie", None),
                                          ("scope", "administratie", None), ("unknown", "b", None)]


def test_text_falls_back_to_dutch() -> None:
    assert Text.model_validate("Kies OK.").get("en") == "Kies OK."
    assert Text(nl="Kies OK.", en="Choose OK.").get("en") == "Choose OK."


def test_product_and_placeholders_follow_the_language() -> None:
    playbook = load_builtin()
    assert playbook.product.get("nl") == "AccountView 9.8 en hoger"  # the note's "Product:" line
    assert playbook.product.get("en") == "AccountView 9.8 and later"
    placeholders = {f.id: f.placeholder for step in playbook.steps() for f in step.fields}
    assert placeholders["proxy"].get("en") == "http://proxy.company.local:8080"
    dutch_words = ("bedrijf", " en ", "hoger")
    english = [text.get("en") for text in placeholders.values()]
    assert [text for text in english if any(word in text for word in dutch_words)] == []
    # a plain string (an example that reads the same in both languages) still loads, and so does none
    field = FormField.model_validate({"id": "v", "label": "Versie", "placeholder": "9.8"})
    assert field.placeholder.get("en") == field.placeholder.get("nl") == "9.8"
    assert FormField(id="v", label="V").placeholder.get("en") == ""
    assert Playbook(id="p", title="P", sections=[]).product.get("en") == ""


def test_loading_the_playbook_imports_no_check_module_and_no_textual() -> None:
    code = (
        "import sys; from tui.playbook.loader import load_builtin; from tui.playbook import answers; load_builtin(); "
        "bad = [m for m in sys.modules if m.startswith(('textual', 'httpx', 'pypdf', 'tui.checks.', 'tui.cli')) "
        "and m != 'tui.checks.registry']; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
