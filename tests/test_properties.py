"""Property-based tests (Hypothesis) for every parser and validator that takes outside input.

Each property says what must hold for ANY input: never an unhandled exception; a refusal is a clear
message (short, located where the format allows, no raw control characters); round-trips hold
where they exist. Run time stays modest (the "koppel" profile, all properties together well under
30 s on 2 cores); KOPPEL_HYPOTHESIS_PROFILE=long runs many more examples.
"""

from __future__ import annotations

import json
import os
import tomllib
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from tui.checks.gateway_zip import ZipRejected, entry_parts
from tui.checks.licence_pdf import parse_licence_text
from tui.limits import MESSAGE_MAX_CHARS, NESTING_MAX
from tui.playbook.answers import import_answers, toml_string
from tui.playbook.loader import PlaybookError, builtin_playbook_path, load_builtin, load_playbook, parse_toml
from tui.safe_text import first_unsafe, safe
from tui.state.migration import Unusable, decode
from tui.state.model import SCHEMA_VERSION, ServerState
from tui.state.paths import MAX_SERVER_NAME, BadServerName, safe_server_name

settings.register_profile("koppel", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("KOPPEL_HYPOTHESIS_PROFILE", "koppel"))

PLAYBOOK = builtin_playbook_path().read_text(encoding="utf-8")
# text that looks like TOML: its punctuation, keys koppel knows, escapes, controls and far Unicode
TOMLISH = st.text(alphabet=st.sampled_from(list('[]{}="\'\\,.#\n\t :-_0123456789abcdeftrusn@\x1b\u202e\U0001f600'))
                  | st.characters(), max_size=300)
KNOWN_KEYS = st.sampled_from(["steps", "administraties", '"wizard.beheerder"', "email", '"vooraf.visma_bereikbaar"',
                              "proxy", "extra_urls", '"onderneming.aanmaken@Demo BV"', "ondernemingcode"])
VALUES = st.recursive(st.one_of(st.text(max_size=30).map(toml_string), st.integers().map(str), st.just("true")),
                      lambda inner: st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
                      max_leaves=8)


def answers_documents() -> st.SearchStrategy[str]:
    line = st.one_of(st.tuples(KNOWN_KEYS, VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
                     st.lists(KNOWN_KEYS, min_size=1, max_size=3).map(lambda keys: "[" + ".".join(keys) + "]"))
    return st.lists(line, max_size=12).map("\n".join)


def clear_message(message: str) -> None:
    assert isinstance(message, str) and message.strip()
    assert len(message) <= MESSAGE_MAX_CHARS
    assert first_unsafe(message, multiline=False) is None, repr(message)


# --- answers files -------------------------------------------------------------------------------


@given(st.one_of(TOMLISH, answers_documents()))
def test_answers_import_never_raises_and_says_each_problem_clearly(text: str) -> None:
    values, problems = import_answers(load_builtin(), text, "en")
    assert isinstance(values, dict)
    for problem in problems:
        clear_message(problem)


@given(st.text())
def test_a_toml_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


@given(st.integers(min_value=1, max_value=3 * NESTING_MAX), st.sampled_from(["[", "{a = "]))
def test_nesting_is_refused_beyond_the_limit_and_parsed_within(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    document = "x = " + opener * depth + ("1" if opener != "[" else "") + closer * depth
    try:
        parse_toml(document)
    except tomllib.TOMLDecodeError as error:
        assert depth >= NESTING_MAX and "nested more than" in str(error)  # the document itself is one level
    else:
        assert depth < NESTING_MAX


# --- playbooks (the TOML loader) -----------------------------------------------------------------


def mutated_playbook() -> st.SearchStrategy[str]:
    lines = PLAYBOOK.splitlines()
    return st.tuples(st.integers(0, len(lines) - 1), st.integers(0, len(lines) - 1), TOMLISH).map(
        lambda cut: "\n".join(lines[: cut[0]] + [cut[2]] + lines[cut[0] + 1: max(cut[0] + 1, cut[1])]))


@settings(max_examples=settings().max_examples // 3)
@given(st.one_of(TOMLISH, mutated_playbook()))
def test_playbook_loader_never_raises_anything_but_a_located_playbook_error(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("pb") / "p.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_playbook(path)
    except PlaybookError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.strip() and "\x1b" not in problem
    except UnicodeEncodeError:  # a lone surrogate cannot even be written: not an input koppel can get
        pass


# --- server names --------------------------------------------------------------------------------


@given(st.text(max_size=100))
def test_server_names_are_safe_file_names_or_refused_in_one_line(name: str) -> None:
    try:
        safe = safe_server_name(name)
    except BadServerName as refusal:
        assert "\n" not in str(refusal) and len(str(refusal)) < 300
        return
    assert safe == safe.lower() and len(safe) <= MAX_SERVER_NAME and safe.isascii()
    assert "/" not in safe and "\\" not in safe and ".." != safe and not safe.endswith(".")
    assert safe_server_name(safe) == safe  # canonical


# --- zip entry names -----------------------------------------------------------------------------


@given(st.text(alphabet=st.characters() | st.sampled_from(list("/\\.:*?<> ")), min_size=1, max_size=60))
def test_zip_entry_names_stay_inside_or_are_refused_with_an_inert_message(name: str) -> None:
    try:
        parts = entry_parts(zipfile.ZipInfo(name), "en")
    except ZipRejected as refusal:
        clear_message(str(refusal))
        return
    assert parts and all(part not in ("", ".", "..") for part in parts)
    assert all(first_unsafe(part) is None and ":" not in part for part in parts)
    assert not Path(*parts).is_absolute()


# --- state files ---------------------------------------------------------------------------------

JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                       max_leaves=20)


@given(st.one_of(st.binary(max_size=200), JSONISH.map(lambda data: json.dumps(data).encode()),
                 st.dictionaries(st.sampled_from(["schema_version", "server", "steps", "cursor", "status", "answers"]),
                                 JSONISH, max_size=6).map(lambda data: json.dumps(data).encode())))
def test_state_decode_loads_or_calls_it_damage(raw: bytes) -> None:
    try:
        state, version = decode(raw)
    except Unusable as damage:
        assert str(damage).strip() and len(str(damage)) <= 400
        return
    assert isinstance(version, int) and (state is None or isinstance(state, ServerState))


@given(st.text(max_size=30), st.dictionaries(st.text(max_size=20), st.text(max_size=20), max_size=4))
def test_state_round_trips_through_its_file_form(cursor: str, answers: dict[str, str]) -> None:
    state = ServerState(server="srv", cursor=cursor)
    state.step("wizard.beheerder").answers.update(answers)
    again, version = decode(state.model_dump_json(indent=2).encode())
    assert again == state and version == SCHEMA_VERSION


# --- licence text, and the safe-text filter itself -----------------------------------------------


@given(st.one_of(st.text(), st.lists(st.sampled_from(["Editie", "Versie", "Klant", "Modules", ":", "Team", "9.8",
                                                      "AutoReport-koppeling", "\n", " ", "\x1b[2J"])).map("".join)))
def test_licence_text_parsing_never_raises(text: str) -> None:
    assert isinstance(parse_licence_text(text), dict)


@given(st.text(), st.booleans())
def test_safe_text_leaves_nothing_a_terminal_would_execute(text: str, multiline: bool) -> None:
    shown = safe(text, multiline=multiline)
    assert first_unsafe(shown, multiline=multiline) is None
    if first_unsafe(text, multiline=multiline) is None:
        assert shown == text  # harmless text is left as it was
