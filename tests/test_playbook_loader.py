"""Loading playbooks: the built-in one, and broken ones with located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.checks.registry import CHECKS
from tui.playbook.loader import PlaybookError, builtin_playbook_path, load_builtin, load_playbook
from tui.playbook.rules import RULES

BASE = """\
id = "test"
title = "Test"

[[sections]]
id = "a"
title = "A"

[[sections.steps]]
id = "a.one"
title = "One"
kind = "form"
[[sections.steps.fields]]
id = "naam"
label = "Naam"
[[sections.steps.fields]]
id = "poort"
label = "Poort"
type = "int"

[[sections.steps]]
id = "a.two"
title = "Two"
requires = ["a.one"]
"""


def write(tmp_path: Path, text: str, name: str = "test.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        load_playbook(write(tmp_path, text))
    return caught.value.problems


def step_with(extra: str) -> str:
    """BASE plus a third step a.three with ``extra`` TOML lines."""
    return BASE + '\n[[sections.steps]]\nid = "a.three"\ntitle = "Three"\n' + extra


# --- the built-in playbook ----------------------------------------------------------------

EXPECTED_STEPS = [
    "vereisten.editie", "vereisten.versie",
    "vooraf.licentie", "vooraf.gateway_download", "vooraf.gateway_uitpakken", "vooraf.visma_bereikbaar",
    "wizard.welkom", "wizard.licentie", "wizard.communicatie", "wizard.communicatie_dienst",
    "wizard.beheerder", "wizard.gateway_rechten", "wizard.gateway_installer", "wizard.gateway",
    "wizard.gateway_dienst", "wizard.autorisatie",
    "autoreport.administraties", "onderneming.aanmaken", "onderneming.controle",
    "aangifteprofiel.aanmaken", "aangifteprofiel.vastleggen", "visma_gebruiker.autoreport",
    "autoreport.certificaat",
]


def test_builtin_playbook_loads_with_the_stable_step_ids() -> None:
    playbook = load_builtin()
    assert builtin_playbook_path().name == "av638111.toml"
    assert [s.id for s in playbook.sections] == ["vereisten", "vooraf", "wizard", "autoreport"]
    assert [s.id for s in playbook.steps()] == EXPECTED_STEPS
    assert load_builtin() is playbook  # cached


def test_builtin_playbook_shape_that_ui_and_checks_rely_on() -> None:
    playbook = load_builtin()
    scoped = {s.id for s in playbook.steps() if s.scope == "administratie"}
    assert scoped == {"onderneming.aanmaken", "aangifteprofiel.vastleggen"}
    assert playbook.administraties_ref() == ("autoreport.administraties", "administraties")
    checks = {s.id: s.check.name for s in playbook.steps() if s.check}
    assert checks == {
        "vereisten.versie": "version", "vooraf.licentie": "licence_pdf", "vooraf.gateway_uitpakken": "gateway_zip",
        "vooraf.visma_bereikbaar": "https", "wizard.communicatie": "tcp", "wizard.communicatie_dienst": "windows_service",
        "wizard.gateway_rechten": "elevated", "wizard.gateway_installer": "installer",
        "wizard.gateway_dienst": "windows_service",
    }
    assert set(checks.values()) <= set(CHECKS)
    # the ACS port is not public: no default, the admin has to give it
    port = playbook.step("wizard.communicatie").field("acs_poort")
    assert port.required and port.default is None and port.type == "int"
    # koppel never asks for the Visma.net password; the only secret is the proxy's
    secrets = {(s.id, f.id) for s in playbook.steps() for f in s.fields if f.secret}
    assert secrets == {("vooraf.visma_bereikbaar", "proxy_wachtwoord")}
    assert playbook.step("wizard.gateway_installer").optional and playbook.step("onderneming.aanmaken").optional
    # "c" on the wizard's licence step copies the licence text by running the licence check again
    assert playbook.step("wizard.licentie").copy_from == "vooraf.licentie"
    assert [s.id for s in playbook.steps() if s.copy_from] == ["wizard.licentie"]


def test_every_step_of_the_autoreport_part_comes_after_the_wizard() -> None:
    playbook = load_builtin()
    graph = {s.id: s.requires for s in playbook.steps()}

    def ancestors(step_id: str) -> set[str]:
        found: set[str] = set()
        todo = list(graph[step_id])
        while todo:
            if (node := todo.pop()) not in found:
                found.add(node)
                todo += graph[node]
        return found

    for step in playbook.section_of("autoreport.certificaat").steps:
        assert "wizard.autorisatie" in ancestors(step.id), step.id


# --- broken playbooks ---------------------------------------------------------------------


def test_minimal_playbook_loads(tmp_path: Path) -> None:
    playbook = load_playbook(write(tmp_path, BASE))
    assert playbook.step("a.two").requires == ["a.one"]


def test_plain_strings_are_short_for_texts_and_rules(tmp_path: Path) -> None:
    text = step_with('[[sections.steps.fields]]\nid = "f"\nlabel = "Veld"\nrules = ["email", { name = "version_min", params = { min = "9.9" } }]')
    field = load_playbook(write(tmp_path, text)).step("a.three").field("f")
    assert field.label.get("en") == "Veld"
    assert [(r.name, r.params) for r in field.rules] == [("email", {}), ("version_min", {"min": "9.9"})]


def test_error_message_in_the_contract_format(tmp_path: Path) -> None:
    text = builtin_playbook_path().read_text(encoding="utf-8")
    broken = text.replace('requires = ["wizard.licentie"]', 'requires = ["wizard.licnse"]')
    assert broken != text
    problems = problems_of(tmp_path, broken)
    assert problems == [
        "sections[2].steps[2].requires: unknown step 'wizard.licnse' (did you mean 'wizard.licentie'?)"
    ]


def test_str_prefixes_every_problem_with_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, step_with('requires = ["a.three", "nope"]'), name="mine.toml")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2 and all(line.startswith("mine.toml: sections[0].steps[2].requires: ") for line in lines)


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, BASE + 'broken = "no end\n')
    line = BASE.count("\n") + 1
    assert problem.startswith(f"line {line}, column 17: TOML syntax error: ")


@pytest.mark.parametrize(
    ("end", "column", "message"),
    [("broken = [1,\n  2,\n\n", 5, "Invalid value at end of document"),
     ('broken = "no end', 17, "Unterminated string at end of document"),
     ("[broken", 8, "Expected ']' at the end of a table declaration at end of document")],
)
def test_toml_syntax_error_at_the_end_of_the_document_is_located(
    tmp_path: Path, end: str, column: int, message: str
) -> None:
    # tomllib gives no line for these: the location is where the document's content runs out
    [problem] = problems_of(tmp_path, BASE + end)
    line = BASE.count("\n") + 1 + end.rstrip().count("\n")
    assert problem == f"line {line}, column {column}: TOML syntax error: {message}"


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="cannot read the file"):
        load_playbook(tmp_path / "missing.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('id = "t"\ntitle = "geïnstalleerd"\n'.encode("latin-1"))
    with pytest.raises(PlaybookError, match="not UTF-8"):
        load_playbook(path)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('titel = "x"', "sections[0].steps[2].titel: unknown key 'titel' (did you mean 'title'?)"),
        ('menu-path = "x"', "sections[0].steps[2].menu-path: unknown key 'menu-path' (did you mean 'menu_path'?)"),
        ('"menu path" = "x"', "sections[0].steps[2].\"menu path\": unknown key 'menu path' (did you mean 'menu_path'?)"),
        ('kind = "manul"', "sections[0].steps[2].kind: Input should be 'manual', 'form', 'check' or 'action', got 'manul'"),
        ("optional = 3", "sections[0].steps[2].optional: Input should be a valid boolean"),
        ("intro = 5", 'sections[0].steps[2].intro: expected a text: "..." or { nl = "...", en = "..." }, got 5'),
        ('check = "tcp"', "sections[0].steps[2].check: expected a table, got 'tcp'"),
        ('[[sections.steps.fields]]\nlabel = "L"', "sections[0].steps[2].fields[0].id: missing (required)"),
        ('[[sections.steps.instructions]]\ntext = { nl = "x", eng = "y" }',
         "sections[0].steps[2].instructions[0].text.eng: unknown key 'eng' (did you mean 'en'?)"),
    ],
)
def test_model_errors_are_located_in_the_toml(tmp_path: Path, extra: str, expected: str) -> None:
    problems = problems_of(tmp_path, step_with(extra))
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_top_level_key(tmp_path: Path) -> None:
    assert "title: missing (required)" in problems_of(tmp_path, BASE.replace('title = "Test"\n', "", 1))


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('requires = ["a.three"]', "sections[0].steps[2].requires: step 'a.three' requires itself"),
        ('requires = ["a.tow"]', "sections[0].steps[2].requires: unknown step 'a.tow' (did you mean 'a.two'?)"),
        ('requires = ["xyz"]', "sections[0].steps[2].requires: unknown step 'xyz'"),
        ('requires = ["a.one", "a.one"]', "sections[0].steps[2].requires: a step is listed twice"),
        ('kind = "check"', "sections[0].steps[2].check: a check step needs a check"),
        ('kind = "form"', "sections[0].steps[2].fields: a form step needs fields"),
        ('check.name = "tcp"', "sections[0].steps[2].check: a manual step has no check (use kind 'check' or 'action')"),
        ('kind = "check"\ncheck.name = "tpc"', "sections[0].steps[2].check.name: unknown check 'tpc' (did you mean 'tcp'?)"),
        ('kind = "check"\ncheck.name = "tcp"\ncheck.timeout = 0', "sections[0].steps[2].check.timeout: must be more than 0 seconds"),
        ('menu_path = "Opties >  > Licentie"', "sections[0].steps[2].menu_path: 'Opties >  > Licentie' is not like"),
        ('[[sections.steps.warnings]]\nkind = "let_op"\nafter = 2\ntext = "x"',
         "sections[0].steps[2].warnings[0].after: instruction 2 does not exist (the step has 0)"),
        ('[[sections.steps.fields]]\nid = "f"\nlabel = "F"\n[[sections.steps.fields]]\nid = "f"\nlabel = "G"',
         "sections[0].steps[2].fields[1].id: duplicate field id 'f'"),
    ],
)
def test_cross_checks_on_a_step(tmp_path: Path, extra: str, expected: str) -> None:
    problems = problems_of(tmp_path, step_with(extra))
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ('type = "choice"\nchoices = ["Team", "Business"]\ndefault = "Tema"',
         "sections[0].steps[2].fields[0].default: 'Tema' is not one of the choices ('Team', 'Business') (did you mean 'Team'?)"),
        ('type = "choice"', "sections[0].steps[2].fields[0].choices: a choice field needs choices"),
        ('choices = ["a"]', "sections[0].steps[2].fields[0].choices: only a choice field has choices (type is 'text')"),
        ('type = "int"\ndefault = "veel"', "sections[0].steps[2].fields[0].default: 'veel' is not a whole number."),
        ('type = "secret"\ndefault = "hunter2"', "sections[0].steps[2].fields[0].default: a secret field cannot have a default"),
        ('rules = [{ name = "emial" }]', "sections[0].steps[2].fields[0].rules[0].name: unknown rule 'emial' (did you mean 'email'?)"),
        ('rules = [{ name = "version_min", params = { minimum = "9.8" } }]',
         "sections[0].steps[2].fields[0].rules[0].params: unknown parameter 'minimum' of rule 'version_min' (did you mean 'min'?)"),
        ('rules = [{ name = "version_min", params = { min = 9 } }]',
         "sections[0].steps[2].fields[0].rules[0].params.min: expected str, got 9"),
        ('rules = [{ name = "required_if" }]',
         "sections[0].steps[2].fields[0].rules[0].params: rule 'required_if' needs parameter 'field'"),
        ('rules = [{ name = "required_if", params = { field = "ssso" } }]',
         "sections[0].steps[2].fields[0].rules[0].params.field: unknown field 'ssso' in step 'a.three' (did you mean 'sso'?)"),
    ],
)
def test_cross_checks_on_a_field(tmp_path: Path, field: str, expected: str) -> None:
    extra = f'[[sections.steps.fields]]\nid = "f"\nlabel = "F"\n{field}\n[[sections.steps.fields]]\nid = "sso"\nlabel = "S"\ntype = "bool"'
    problems = problems_of(tmp_path, step_with(extra))
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ('{ port = "{a.on:poort}" }', "sections[0].steps[2].check.params.port: unknown step 'a.on' (did you mean 'a.one'?)"),
        ('{ port = "{a.one:port}" }', "sections[0].steps[2].check.params.port: step 'a.one' has no field 'port' (did you mean 'poort'?)"),
        ('{ host = "x{naam}" }', "sections[0].steps[2].check.params.host: unknown placeholder '{naam}'"),
        ('{ host = "{administratie}" }', "sections[0].steps[2].check.params.host: '{administratie}' only exists in a step with scope 'administratie'"),
        ('{ hosts = ["ok", "{a.one:nope}"] }', "sections[0].steps[2].check.params.hosts: step 'a.one' has no field 'nope'"),
    ],
)
def test_param_references_are_checked(tmp_path: Path, params: str, expected: str) -> None:
    extra = f'kind = "check"\nrequires = ["a.two"]\ncheck.name = "tcp"\ncheck.params = {params}'
    problems = problems_of(tmp_path, step_with(extra))
    assert any(p.startswith(expected) for p in problems), problems


def test_param_reference_needs_the_step_it_reads_to_be_required(tmp_path: Path) -> None:
    extra = 'kind = "check"\ncheck.name = "tcp"\ncheck.params = { port = "{a.one:poort}" }'
    assert problems_of(tmp_path, step_with(extra)) == [
        "sections[0].steps[2].check.params.port: reads 'a.one:poort' but the step does not require 'a.one'"
    ]
    # through a.two, which requires a.one, it is fine
    load_playbook(write(tmp_path, step_with(extra + '\nrequires = ["a.two"]')))


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('copy_from = "a.tow"', "sections[0].steps[2].copy_from: unknown step 'a.tow' (did you mean 'a.two'?)"),
        ('copy_from = "a.two"\nrequires = ["a.two"]', "sections[0].steps[2].copy_from: step 'a.two' has no check to copy from"),
        ('copy_from = "a.four"', "sections[0].steps[2].copy_from: copies from 'a.four' but the step does not require 'a.four'"),
    ],
)
def test_copy_from_names_a_required_step_with_a_check(tmp_path: Path, extra: str, expected: str) -> None:
    four = '\n[[sections.steps]]\nid = "a.four"\ntitle = "Four"\nkind = "check"\ncheck.name = "licence_pdf"\n'
    assert problems_of(tmp_path, step_with(extra) + four) == [expected]


def test_copy_from_a_required_check_loads(tmp_path: Path) -> None:
    four = '[[sections.steps]]\nid = "a.four"\ntitle = "Four"\nkind = "check"\ncheck.name = "licence_pdf"\n'
    text = BASE + four + '\n[[sections.steps]]\nid = "a.three"\ntitle = "Three"\nrequires = ["a.four"]\ncopy_from = "a.four"\n'
    assert load_playbook(write(tmp_path, text)).step("a.three").copy_from == "a.four"


def test_suggestions_work_in_both_directions(tmp_path: Path) -> None:
    # difflib alone scores 'licnse' -> 'licentie' below its cutoff
    text = BASE.replace('id = "a.one"', 'id = "licentie"').replace('"a.one"', '"licnse"')
    assert problems_of(tmp_path, text) == [
        "sections[0].steps[1].requires: unknown step 'licnse' (did you mean 'licentie'?)"
    ]


def test_cycle_is_named(tmp_path: Path) -> None:
    text = BASE.replace('title = "One"', 'title = "One"\nrequires = ["a.three"]') + (
        '\n[[sections.steps]]\nid = "a.three"\ntitle = "Three"\nrequires = ["a.two"]\n'
    )
    assert problems_of(tmp_path, text) == ["sections[0].steps[0].requires: cycle a.one -> a.three -> a.two -> a.one"]


def test_duplicate_step_and_section_ids(tmp_path: Path) -> None:
    text = BASE + '\n[[sections]]\nid = "a"\ntitle = "A again"\n[[sections.steps]]\nid = "a.two"\ntitle = "Two again"\n'
    assert problems_of(tmp_path, text) == [
        "sections[1].id: duplicate section id 'a'",
        "sections[1].steps[0].id: duplicate step id 'a.two' (first at sections[0].steps[1])",
    ]


def test_scoped_steps_need_an_administraties_list(tmp_path: Path) -> None:
    assert problems_of(tmp_path, step_with('scope = "administratie"')) == [
        "administraties_field: missing; scoped steps need it (a.three)"
    ]
    text = 'administraties_field = "a.one:nam"\n' + step_with('scope = "administratie"')
    assert problems_of(tmp_path, text) == ["administraties_field: step 'a.one' has no field 'nam' (did you mean 'naam'?)"]
    text = 'administraties_field = "a.one:naam"\n' + step_with('scope = "administratie"')
    assert problems_of(tmp_path, text) == ["administraties_field: field 'a.one:naam' must be of type 'list'"]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    extra = 'requires = ["a.tow"]\nkind = "check"\ncheck.name = "tpc"'
    assert len(problems_of(tmp_path, step_with(extra))) == 2


def test_registries_are_what_the_loader_validates_against() -> None:
    # the names the built-in playbook uses must exist; a renamed rule or check breaks loading
    playbook = load_builtin()
    used_rules = {r.name for s in playbook.steps() for f in s.fields for r in f.rules}
    assert used_rules <= set(RULES)
    assert used_rules >= {"version_min", "edition", "no_year", "email", "general_email", "port", "hostname", "url",
                          "blk_after_opening_balance", "restart_after_visma_changes", "required_if"}


def test_a_playbook_saved_by_notepad_with_a_bom_loads(tmp_path) -> None:
    from tui.playbook.loader import builtin_playbook_path, load_playbook

    copy = tmp_path / "bom.toml"
    copy.write_bytes(b"\xef\xbb\xbf" + builtin_playbook_path().read_bytes())
    assert load_playbook(copy).id == "av638111"
