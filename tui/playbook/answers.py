"""The answers file: the admin's form answers as TOML, to prepare offline or carry to a server.

    administraties = ["Demo BV"]

    [steps."wizard.beheerder"]
    email = "beheer@bedrijf.nl"

    [steps."onderneming.aanmaken@Demo BV"]
    ondernemingcode = "DEMO"

Secret fields never leave koppel and are refused on import. Exporting a fresh state gives a full
template: every field as a commented line, with its label, type and choices.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, Protocol

from tui.limits import quote
from tui.safe_text import safe
from tui.playbook.loader import parse_toml, toml_error_parts
from tui.playbook.names import did_you_mean
from tui.playbook.model import FormField, Playbook, Step
from tui.playbook.rules import is_empty, validate_values
from tui.text import t

ADMINISTRATIES_KEY = "administraties"
SCOPE_SEPARATOR = "@"
_EXAMPLE_ADMINISTRATIE = {"nl": "Naam administratie", "en": "Administratie name"}


class _StepStateLike(Protocol):
    answers: dict[str, Any]
    draft: dict[str, Any] | None


class StateLike(Protocol):
    """What export reads of a ``tui.state.model.ServerState`` (the playbook wing does not
    import the state wing)."""

    server: str
    administraties: list[str]

    def peek(self, key: str) -> _StepStateLike: ...


# --- Writing TOML (tomllib only reads) -------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, unicode kept."""

    def escape(char: str) -> str:
        if char in _ESCAPES:
            return _ESCAPES[char]
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"\\u{ord(char):04X}"
        return char

    return '"' + "".join(escape(char) for char in text) + '"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return toml_string(str(value))


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines() or [""]]


# --- Export --------------------------------------------------------------------------------


def _field_comment(form_field: FormField, lang: str) -> str:
    parts = [form_field.label.get(lang), form_field.type]
    if form_field.required:
        parts.append(t("detail.required", lang))
    if form_field.choices:
        parts.append(" | ".join(form_field.choices))
    if form_field.help:
        parts.append(form_field.help.get(lang))
    return " — ".join(parts)


def _template_value(form_field: FormField) -> str:
    """What a commented template line shows: the default, else an empty value of the right
    TOML shape (none for bool/int: any value there would read as an answer)."""
    if form_field.default is not None:
        return toml_value(form_field.default)
    return {"list": "[]", "bool": "", "int": ""}.get(form_field.type, '""')


def _step_lines(
    step: Step, key: str, answers: dict[str, Any], skip: set[str], lang: str, *, commented: bool
) -> list[str]:
    prefix = "# " if commented else ""
    lines = ["", *_comment(f"{step.title.get(lang)} ({step.id})"), f"{prefix}[steps.{toml_string(key)}]"]
    for form_field in step.fields:
        if form_field.id in skip:
            continue
        lines.extend(_comment(_field_comment(form_field, lang)))
        if form_field.secret:
            lines.append(t("answers.secret_never_stored_exported", lang))
            continue
        value = answers.get(form_field.id)
        if is_empty(value):
            lines.append(f"# {toml_key(form_field.id)} = {_template_value(form_field)}".rstrip())
        else:
            lines.append(f"{prefix}{toml_key(form_field.id)} = {toml_value(value)}")
    return lines


def _stored_answers(state: StateLike, key: str) -> dict[str, Any]:
    """The step's saved answers, completed with its unsaved draft (what the admin last typed)."""
    step_state = state.peek(key)
    return {**(step_state.draft or {}), **step_state.answers}


def export_answers(playbook: Playbook, state: StateLike, lang: str) -> str:
    """The answers in ``state`` (a ServerState) as TOML text; never a secret."""
    ref = playbook.administraties_ref()
    administraties = list(state.administraties)
    if ref and not administraties:
        administraties = list(_stored_answers(state, ref[0]).get(ref[1]) or [])

    lines = _comment(t("answers.file_heading", lang, title=playbook.title.get(lang), source=playbook.source, server=state.server))
    lines.append("")
    if ref:
        lines.extend(_comment(t("answers.administraties_per_administratie_steps", lang)))
        lines.append(f"{ADMINISTRATIES_KEY} = {toml_value(administraties)}" if administraties
                     else f"# {ADMINISTRATIES_KEY} = []")
    for step in playbook.steps():
        skip = {ref[1]} if ref and step.id == ref[0] else set()
        if not [f for f in step.fields if f.id not in skip]:
            continue
        if step.scope == "administratie":
            if not administraties:
                example = f"{step.id}{SCOPE_SEPARATOR}{_EXAMPLE_ADMINISTRATIE['en' if lang == 'en' else 'nl']}"
                lines.extend(_step_lines(step, example, {}, skip, lang, commented=True))
            for name in administraties:
                key = f"{step.id}{SCOPE_SEPARATOR}{name}"
                lines.extend(_step_lines(step, key, _stored_answers(state, key), skip, lang, commented=False))
        else:
            lines.extend(_step_lines(step, step.id, _stored_answers(state, step.id), skip, lang, commented=False))
    return "\n".join(lines) + "\n"


# --- Import --------------------------------------------------------------------------------


def _toml_error(error: tomllib.TOMLDecodeError, document: str, lang: str) -> str:
    line, column, message = toml_error_parts(error, document)
    where = t("answers.line_column", lang, line=line, column=column) if line else ""
    return f"{where}{t('answers.not_valid_toml', lang)}: {message}"


def _shown(name: str) -> str:
    """A key from the file as a message shows it: itself when short, else its start and length."""
    name = safe(name)  # the file's text: an escape sequence in a key is shown, not executed
    return name if len(name) <= 80 else quote(name, 80)


def _import_step(
    step: Step, where: str, given: dict[str, Any], lang: str, problems: list[str]
) -> dict[str, Any] | None:
    """Cleaned values of the fields present in ``given``; problems appended, located as
    ``{where}{field}: ...`` (``where`` = "[step key] ", or "" for top-level keys)."""
    known = [f.id for f in step.fields]
    provided: dict[str, Any] = {}
    for field_id, value in given.items():
        form_field = step.field(field_id)
        if form_field is None:
            unknown = t("answers.unknown_field", lang)
            problems.append(f"{where}{_shown(field_id)}: {unknown}{did_you_mean(field_id, known)}")
        elif form_field.secret:
            problems.append(f"{where}{field_id}: " + t("answers.secret_field_never_read", lang))
        elif isinstance(value, dict):
            expected = t("answers.expected_value_not_table", lang)
            problems.append(f"{where}{field_id}: {expected}")
        elif not is_empty(value):
            provided[field_id] = value
    if not provided:
        return None
    cleaned, findings = validate_values(step, provided, lang)
    rejected: set[str] = set()
    for finding in findings:
        if finding.field not in provided:
            continue  # e.g. "required" on a field this file leaves out: the form asks later
        label = t("answers.warning", lang) + ": " if finding.level == "warning" else ""
        problems.append(f"{where}{finding.field}: {label}{finding.message}")
        if finding.level == "error":
            rejected.add(finding.field)
    return {field_id: cleaned[field_id] for field_id in provided if field_id not in rejected} or None


def import_answers(
    playbook: Playbook, text: str, lang: str
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Step key -> cleaned values from an answers file, and the problems found (located as
    ``[step key] field: message``). Values with an error are left out; warnings keep them.
    Top-level ``administraties`` lands on the playbook's administraties field."""
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as error:
        return {}, [_toml_error(error, text, lang)]

    problems: list[str] = []
    result: dict[str, dict[str, Any]] = {}
    ref = playbook.administraties_ref()
    for key in data:
        if key not in ("steps", ADMINISTRATIES_KEY) or (key == ADMINISTRATIES_KEY and not ref):
            known = ["steps", ADMINISTRATIES_KEY] if ref else ["steps"]
            problems.append(f"{_shown(key)}: {t('answers.unknown_key', lang)}{did_you_mean(key, known)}")

    administraties: list[str] | None = None
    if ref and ADMINISTRATIES_KEY in data:
        step = playbook.step(ref[0])
        assert step is not None  # the loader guarantees the reference
        given = {ref[1]: data[ADMINISTRATIES_KEY]}
        cleaned = _import_step(step, "", given, lang, problems)
        if cleaned:
            result[ref[0]] = cleaned
            administraties = cleaned[ref[1]]

    steps = data.get("steps", {})
    if not isinstance(steps, dict):
        expected = t("answers.expected_tables_steps_step", lang)
        return result, problems + [f"steps: {expected}"]
    step_ids = [s.id for s in playbook.steps()]
    for raw_key, given in steps.items():
        key = _shown(raw_key)
        step_id, separator, administratie = raw_key.partition(SCOPE_SEPARATOR)
        step = playbook.step(step_id)
        if step is None:
            problems.append(f"[{key}] {t('answers.unknown_step', lang)}{did_you_mean(step_id, step_ids)}")
        elif not isinstance(given, dict):
            problems.append(f"[{key}] {t('answers.expected_table_fields', lang)}")
        elif step.scope == "administratie" and not (separator and administratie.strip()):
            problems.append(f"[{key}] " + t("answers.applies_per_administratie_write", lang, step_id=step_id))
        elif step.scope != "administratie" and separator:
            problems.append(f"[{key}] " + t("answers.does_not_apply_per", lang, step_id=step_id))
        elif administraties is not None and separator and administratie not in administraties:
            problems.append(f"[{key}] " + t("answers.administratie_not_listed_administraties", lang, administratie=_shown(administratie)))
        elif cleaned := _import_step(step, f"[{key}] ", given, lang, problems):
            result[raw_key] = cleaned
    return result, problems
