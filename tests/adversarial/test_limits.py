"""Recursion and size (issue 9 item 9): each fault by name. Answers files and playbooks nested
hundreds deep, a requires chain of 5,000 steps, values and files far beyond tui.limits: a located
message and exit 2, never an internal error, never a message as large as the input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_robustness import POSIX_ONLY, run
from tui.limits import ANSWERS_FILE_MAX_BYTES, FIELD_MAX_CHARS, MESSAGE_MAX_CHARS
from tui.playbook.loader import PlaybookError, load_builtin, load_playbook
from tui.playbook.rules import validate_values

SERVER = ["--server", "srv", "--lang", "en"]


def answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(done, *, located: str = "") -> str:
    assert done.returncode == 2, (done.returncode, done.stderr[:500])
    assert "internal error" not in done.stderr and len(done.stderr) < 20_000, done.stderr[:500]
    assert located in done.stderr, done.stderr[:500]
    return done.stderr


DEEP = {
    "arrays_800_deep": "[steps.\"wizard.beheerder\"]\nemail = " + "[" * 800 + "]" * 800 + "\n",
    "inline_tables_800_deep": "x = " + "{a = " * 800 + "1" + "}" * 800 + "\n",
    "arrays_30_deep": "administraties = " + "[" * 30 + "]" * 30 + "\n",
    "arrays_100k_deep": "administraties = " + "[" * 100_000 + "\n",
}


@pytest.mark.parametrize("shape", DEEP, ids=str)
def test_answers_file_nested_deep_is_a_located_message(shape: str, tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    done = run(["answers", "import", str(answers(tmp_path, DEEP[shape])), *SERVER], subprocess_env)
    assert "nested more than" in refused(done, located="line ")


@pytest.mark.parametrize("shape", ["arrays_800_deep", "inline_tables_800_deep"], ids=str)
def test_playbook_nested_deep_is_a_located_message(shape: str, tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('id = "x"\ntitle = "X"\n' + DEEP[shape].replace("[steps.\"wizard.beheerder\"]\n", ""), encoding="utf-8")
    done = run(["playbook", "validate", "--lang", "en", str(path)], subprocess_env)
    assert "deep.toml: line 3" in refused(done)


def chain_playbook(steps: int, *, cycle: bool = False) -> str:
    lines = ['id = "chain"', 'title = "Chain"', "[[sections]]", 'id = "s"', 'title = "S"']
    for index in range(steps):
        # each step requires the next: walking from the first goes 5,000 deep
        requires = f'["s{index + 1}"]' if index < steps - 1 else ('["s0"]' if cycle else "[]")
        lines += ["[[sections.steps]]", f'id = "s{index}"', f'title = "Step {index}"', f"requires = {requires}"]
    return "\n".join(lines) + "\n"


def test_requires_chain_of_5000_steps_loads(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    path = tmp_path / "chain.toml"
    path.write_text(chain_playbook(5000), encoding="utf-8")
    assert len(load_playbook(path).steps()) == 5000
    done = run(["playbook", "validate", str(path)], subprocess_env)
    assert done.returncode == 0 and "5000 stappen" in done.stdout, done.stderr[:500]


def test_requires_chain_of_5000_steps_with_a_cycle_is_located(tmp_path: Path) -> None:
    path = tmp_path / "cycle.toml"
    path.write_text(chain_playbook(5000, cycle=True), encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert caught.value.problems[0].startswith("sections[0].steps[0].requires: cycle s0 -> s1 -> s2")


@POSIX_ONLY
def test_answers_import_of_dev_zero_is_refused(subprocess_env: dict[str, str]) -> None:
    assert "larger than" in refused(run(["answers", "import", "/dev/zero", *SERVER], subprocess_env))


def test_answers_file_beyond_the_file_limit_is_refused(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    big = answers(tmp_path, "# " + "x" * ANSWERS_FILE_MAX_BYTES + "\n")
    assert "larger than 1,024 KiB" in refused(run(["answers", "import", str(big), *SERVER], subprocess_env))


def test_playbook_beyond_the_file_limit_is_refused(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.truncate(5 * 1024 * 1024)  # sparse: 5 MiB of NUL bytes
    assert "larger than" in refused(run(["playbook", "validate", "--lang", "en", str(big)], subprocess_env))


def test_a_field_value_beyond_the_field_limit_is_refused_on_import(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    text = f'[steps."wizard.beheerder"]\nemail = "{"a" * 200_000}@example.nl"\n'
    said = refused(run(["answers", "import", str(answers(tmp_path, text)), *SERVER], subprocess_env), located="email")
    assert f"at most {FIELD_MAX_CHARS:,}" in said and len(said) < 1000
    assert not (Path(subprocess_env["KOPPEL_HOME"]) / "state" / "srv.json").exists() or "a" * 5000 not in (
        Path(subprocess_env["KOPPEL_HOME"]) / "state" / "srv.json").read_text(encoding="utf-8")


def test_a_10_MB_bad_email_never_becomes_a_10_MB_error_line() -> None:
    step = load_builtin().step("wizard.beheerder")
    field = next(f for f in step.fields if f.type == "email")
    _, findings = validate_values(step, {field.id: "not an e-mail " * 800_000}, "en")
    messages = [finding.message for finding in findings if finding.field == field.id]
    assert messages and all(len(message) < MESSAGE_MAX_CHARS for message in messages)


def test_many_unknown_keys_give_a_bounded_report(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    text = "".join(f"unknown{index} = 1\n" for index in range(5000))
    said = refused(run(["answers", "import", str(answers(tmp_path, text)), *SERVER], subprocess_env))
    assert said.count("\n") <= 51 and "more problems" in said


def test_an_unknown_key_of_100k_characters_is_quoted_short(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    text = f'[steps."{"x" * 100_000}"]\na = 1\n'
    said = refused(run(["answers", "import", str(answers(tmp_path, text)), *SERVER], subprocess_env))
    assert len(said) < 1000 and "100,000 characters" in said


@pytest.fixture(autouse=True)
def _home(subprocess_env: dict[str, str], koppel_home: Path) -> None:
    subprocess_env.setdefault("KOPPEL_HOME", os.fspath(koppel_home))
