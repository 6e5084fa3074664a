"""Load a playbook TOML file into the model, with every problem located.

A problem reads like ``sections[2].steps[3].requires: unknown step 'wizard.licnse' (did you mean
'wizard.licentie'?)``: the path into the TOML document, then what is wrong. All problems of a file
are collected before ``PlaybookError`` is raised, so an author fixes them in one go.
"""

from __future__ import annotations

import functools
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tui.check_names import CHECKS
from tui.limits import NESTING_MAX, PLAYBOOK_FILE_MAX_BYTES, nesting_depth, quote
from tui.playbook import textrefs
from tui.playbook.names import did_you_mean
from tui.playbook.model import ADMINISTRATIE_REF, FormField, Playbook, Step
from tui.playbook.rules import RULES, InvalidValue, coerce
from tui.safe_text import describe, first_unsafe, safe

BUILTIN_PLAYBOOK = "av638111.toml"


class PlaybookError(Exception):
    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.path.name}: {problem}" for problem in self.problems)


# --- TOML and pydantic errors --------------------------------------------------------------


def toml_error_parts(error: tomllib.TOMLDecodeError, document: str = "") -> tuple[int | None, int | None, str]:
    """(line, column, message without the position) of a TOML syntax error in ``document``."""
    message = str(error)
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    if match := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
        line, column = line or int(match.group(1)), column or int(match.group(2))
        message = message[: match.start()]
    elif match := re.search(r"\s*\(at end of document\)$", message):
        message = message[: match.start()] + " at end of document"
        if line is None and document.strip():
            line, column = _end_of_content(document)
    return line, column, message


def _end_of_content(document: str) -> tuple[int, int]:
    """(line, column) just after the last non-blank character: where a document that ends too
    soon (an unclosed string, array or table header, a key without value) runs out."""
    content = document.rstrip()
    return content.count("\n") + 1, len(content) - content.rfind("\n")


def _toml_problem(error: tomllib.TOMLDecodeError, document: str) -> str:
    line, column, message = toml_error_parts(error, document)
    where = f"line {line}, column {column}: " if line else ""
    return f"{where}TOML syntax error: {message}"


_PYDANTIC_TAG = re.compile(r"[\w-]+\[.*\]")  # "function-before[...]": not part of the TOML path


def _location(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not _PYDANTIC_TAG.fullmatch(str(part)):
            key = str(part) if re.fullmatch(r"[A-Za-z0-9_-]+", str(part)) else f'"{safe(str(part))}"'
            path += f".{key}" if path else key
    return path or "(top level)"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose keys live at ``loc`` (for "did you mean" on unknown keys)."""
    model: Any = Playbook
    for part in loc:
        if not isinstance(part, str) or not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        if part not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[Step] -> Step, Text | None -> Text."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _validation_problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        if item["type"] == "extra_forbidden":
            *parent, key = loc
            model = _model_at(tuple(parent))
            hint = did_you_mean(str(key), model.model_fields) if model else ""
            problems.append(f"{_location(loc)}: unknown key '{safe(str(key))}'{hint}")
        elif item["type"] == "missing":
            problems.append(f"{_location(loc)}: missing (required)")
        elif item["type"] in ("model_type", "dict_type"):
            is_text = item.get("ctx", {}).get("class_name") == "Text"
            wanted = 'a text: "..." or { nl = "...", en = "..." }' if is_text else "a table"
            problems.append(f"{_location(loc)}: expected {wanted}, got {quote(item.get('input'))}")
        else:
            shown = item.get("input")
            suffix = f", got {quote(shown)}" if isinstance(shown, (str, int, float, bool)) else ""
            problems.append(f"{_location(loc)}: {item['msg']}{suffix}")
    return list(dict.fromkeys(problems))


def _unsafe_text(data: dict[str, Any]) -> list[str]:
    """Every text of the playbook reaches the screen: one with an escape sequence or another
    control character (newlines and tabs are fine) is refused where it enters, located."""
    problems = []
    todo: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while todo:
        item, loc = todo.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if char := first_unsafe(key):
                    problems.append(f"{_location(loc)}: a key contains a control character ({describe(char)})")
                todo.append((value, (*loc, key)))
        elif isinstance(item, list):
            todo.extend((value, (*loc, index)) for index, value in enumerate(item))
        elif isinstance(item, str) and (char := first_unsafe(item)):
            problems.append(f"{_location(loc)}: contains a control character ({describe(char)}); "
                            "escape sequences are not allowed in a playbook")
    return sorted(problems)


# --- Cross checks on a valid model ---------------------------------------------------------


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None. Depth first with an explicit stack, so a
    requires chain of any length is walked without Python's recursion limit."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in graph:
        if start in state:
            continue
        path: list[str] = [start]
        branches = [iter(graph.get(start, []))]
        state[start] = 1
        while branches:
            nxt = next(branches[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                branches.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt in graph and nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                branches.append(iter(graph.get(nxt, [])))
    return None


def _ancestors(graph: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, []))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, []))
    return seen


def _field_problems(where: str, form_field: FormField, step: Step) -> list[str]:
    problems = []
    if form_field.type == "choice" and not form_field.choices:
        problems.append(f"{where}.choices: a choice field needs choices")
    if form_field.choices and form_field.type != "choice":
        problems.append(f"{where}.choices: only a choice field has choices (type is '{form_field.type}')")
    if form_field.default is not None:
        if form_field.secret:
            problems.append(f"{where}.default: a secret field cannot have a default")
        elif form_field.type == "choice" and form_field.default not in form_field.choices:
            listed = ", ".join(repr(c) for c in form_field.choices)
            problems.append(
                f"{where}.default: {form_field.default!r} is not one of the choices ({listed})"
                f"{did_you_mean(str(form_field.default), form_field.choices)}"
            )
        else:
            try:
                coerce(form_field, form_field.default)
            except InvalidValue as invalid:
                problems.append(f"{where}.default: {invalid.en}")
    field_ids = [f.id for f in step.fields]
    for r, ref in enumerate(form_field.rules):
        at = f"{where}.rules[{r}]"
        registered = RULES.get(ref.name)
        if registered is None:
            problems.append(f"{at}.name: unknown rule '{ref.name}'{did_you_mean(ref.name, RULES)}")
            continue
        for name, value in ref.params.items():
            if name not in registered.params:
                hint = did_you_mean(name, registered.params)
                problems.append(f"{at}.params: unknown parameter '{name}' of rule '{ref.name}'{hint}")
            elif not isinstance(value, registered.params[name][0]):
                wanted = registered.params[name][0].__name__
                problems.append(f"{at}.params.{name}: expected {wanted}, got {value!r}")
        for name, (_, default) in registered.params.items():
            if default is None and name not in ref.params:
                problems.append(f"{at}.params: rule '{ref.name}' needs parameter '{name}'")
        for name in registered.field_params:
            other = registered.with_defaults(ref.params).get(name)
            if isinstance(other, str) and other not in field_ids:
                problems.append(
                    f"{at}.params.{name}: unknown field '{other}' in step '{step.id}'"
                    f"{did_you_mean(other, field_ids)}"
                )
    return problems


def _cross_check(playbook: Playbook) -> list[str]:
    problems: list[str] = []
    steps = {}
    where_step: dict[str, str] = {}
    section_ids: set[str] = set()
    for s, section in enumerate(playbook.sections):
        if section.id in section_ids:
            problems.append(f"sections[{s}].id: duplicate section id '{section.id}'")
        section_ids.add(section.id)
        for t, step in enumerate(section.steps):
            where = f"sections[{s}].steps[{t}]"
            if step.id in steps:
                problems.append(f"{where}.id: duplicate step id '{step.id}' (first at {where_step[step.id]})")
                continue
            steps[step.id] = step
            where_step[step.id] = where

    graph = {step_id: list(step.requires) for step_id, step in steps.items()}
    for step_id, step in steps.items():
        where = where_step[step_id]
        problems.extend(_step_problems(where, step, steps, graph))

    if cycle := _cycle({k: [r for r in v if r in steps and r != k] for k, v in graph.items()}):
        first = cycle[0]
        problems.append(f"{where_step[first]}.requires: cycle {' -> '.join(cycle)}")

    problems.extend(_administraties_problems(playbook, steps))
    problems.extend(textrefs.playbook_problems(playbook))  # koppel's own lines: their {step:field}s
    return problems


def _step_problems(where: str, step: Step, steps: dict[str, Step], graph: dict[str, list[str]]) -> list[str]:
    problems = []
    for required in step.requires:
        if required == step.id:
            problems.append(f"{where}.requires: step '{step.id}' requires itself")
        elif required not in steps:
            problems.append(f"{where}.requires: unknown step '{required}'{did_you_mean(required, steps)}")
    if len(set(step.requires)) != len(step.requires):
        problems.append(f"{where}.requires: a step is listed twice")

    seen_fields: set[str] = set()
    for f, form_field in enumerate(step.fields):
        if form_field.id in seen_fields:
            problems.append(f"{where}.fields[{f}].id: duplicate field id '{form_field.id}'")
        seen_fields.add(form_field.id)
        problems.extend(_field_problems(f"{where}.fields[{f}]", form_field, step))

    if step.kind in ("check", "action") and step.check is None:
        problems.append(f"{where}.check: a {step.kind} step needs a check")
    if step.kind in ("manual", "form") and step.check is not None:
        problems.append(f"{where}.check: a {step.kind} step has no check (use kind 'check' or 'action')")
    if step.kind == "form" and not step.fields:
        problems.append(f"{where}.fields: a form step needs fields")
    for w, warning in enumerate(step.warnings):
        if warning.after is not None and not 1 <= warning.after <= len(step.instructions):
            problems.append(
                f"{where}.warnings[{w}].after: instruction {warning.after} does not exist "
                f"(the step has {len(step.instructions)})"
            )
    if step.menu_path is not None and not all(part.strip() for part in step.menu_path.split(">")):
        problems.append(f"{where}.menu_path: '{step.menu_path}' is not like 'Opties > Licentie downloaden'")
    if step.check is not None:
        problems.extend(_check_problems(where, step, steps, graph))
    if step.copy_from is not None:
        problems.extend(_copy_from_problems(where, step, steps, graph))
    return problems


def _copy_from_problems(where: str, step: Step, steps: dict[str, Step], graph: dict[str, list[str]]) -> list[str]:
    source = step.copy_from
    assert source is not None
    at = f"{where}.copy_from"
    if source not in steps:
        return [f"{at}: unknown step '{source}'{did_you_mean(source, steps)}"]
    if steps[source].check is None:
        return [f"{at}: step '{source}' has no check to copy from"]
    if source != step.id and source not in _ancestors(graph, step.id):
        return [f"{at}: copies from '{source}' but the step does not require '{source}'"]
    return []


def _check_problems(where: str, step: Step, steps: dict[str, Step], graph: dict[str, list[str]]) -> list[str]:
    assert step.check is not None
    problems = []
    if step.check.name not in CHECKS:
        problems.append(f"{where}.check.name: unknown check '{step.check.name}'{did_you_mean(step.check.name, CHECKS)}")
    if step.check.timeout is not None and step.check.timeout <= 0:
        problems.append(f"{where}.check.timeout: must be more than 0 seconds")
    readable = _ancestors(graph, step.id) | {step.id}
    for param, step_id, field_id in step.check.references():
        at = f"{where}.check.params.{param}"
        if field_id is None:
            if step_id != ADMINISTRATIE_REF:
                problems.append(
                    f"{at}: unknown placeholder '{{{step_id}}}' (use {{step_id:field}} or {{administratie}})"
                )
            elif step.scope != "administratie":
                problems.append(f"{at}: '{{administratie}}' only exists in a step with scope 'administratie'")
        elif step_id not in steps:
            problems.append(f"{at}: unknown step '{step_id}'{did_you_mean(step_id, steps)}")
        elif steps[step_id].field(field_id) is None:
            known = [f.id for f in steps[step_id].fields]
            problems.append(f"{at}: step '{step_id}' has no field '{field_id}'{did_you_mean(field_id, known)}")
        elif step_id not in readable:
            problems.append(f"{at}: reads '{step_id}:{field_id}' but the step does not require '{step_id}'")
    return problems


def _administraties_problems(playbook: Playbook, steps: dict[str, Step]) -> list[str]:
    scoped = [step.id for step in steps.values() if step.scope == "administratie"]
    ref = playbook.administraties_ref()
    if ref is None:
        return [f"administraties_field: missing; scoped steps need it ({', '.join(scoped)})"] if scoped else []
    step_id, field_id = ref
    at = "administraties_field"
    step = steps.get(step_id)
    if step is None:
        return [f"{at}: unknown step '{step_id}'{did_you_mean(step_id, steps)}"]
    form_field = step.field(field_id)
    if form_field is None:
        known = [f.id for f in step.fields]
        return [f"{at}: step '{step_id}' has no field '{field_id}'{did_you_mean(field_id, known)}"]
    problems = []
    if form_field.type != "list":
        problems.append(f"{at}: field '{step_id}:{field_id}' must be of type 'list'")
    if step.scope != "server":
        problems.append(f"{at}: step '{step_id}' cannot itself be scoped per administratie")
    return problems


# --- Entry points --------------------------------------------------------------------------


def too_deep_at(document: str, limit: int = NESTING_MAX) -> int | None:
    """The line where arrays and inline tables first nest more than ``limit`` deep, or None. A
    plain scan (strings and comments skipped) that tells where a document too deep for the TOML
    parser goes wrong."""
    depth, line, quote_char, index = 0, 1, "", 0
    while index < len(document):
        char = document[index]
        if char == "\n":
            line += 1
        if quote_char:
            if char == "\\" and quote_char == '"':
                index += 1
            elif char == quote_char:
                quote_char = ""
        elif char in "\"'":
            quote_char = char
        elif char == "#":
            end = document.find("\n", index)
            index = len(document) if end < 0 else end - 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return None


def parse_toml(document: str) -> dict[str, Any]:
    """tomllib.loads, with nesting deeper than NESTING_MAX refused as a TOMLDecodeError that says
    where (the parser itself would run out of stack on a few hundred levels)."""
    line = too_deep_at(document)
    if line is None:
        try:
            data = tomllib.loads(document)
        except RecursionError:
            line = 1
        else:
            if nesting_depth(data) <= NESTING_MAX:
                return data
            line = 1
    raise tomllib.TOMLDecodeError(f"arrays or tables nested more than {NESTING_MAX} levels deep (at line {line}, column 1)")


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused (ValueError saying the limit) beyond ``max_bytes``: never more
    than that read, whatever the file is (/dev/zero included)."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"larger than {max_bytes // 1024:,} KiB, the limit for this kind of file")
    return data


def load_playbook(path: Path) -> Playbook:
    path = Path(path)
    try:
        # utf-8-sig: Notepad saves UTF-8 with a byte order mark
        document = read_limited(path, PLAYBOOK_FILE_MAX_BYTES).decode("utf-8-sig")
    except OSError as error:
        raise PlaybookError(path, [f"cannot read the file: {error.strerror or error}"]) from None
    except UnicodeDecodeError as error:
        raise PlaybookError(path, [f"not UTF-8 text (byte {error.start})"]) from None
    except ValueError as error:
        raise PlaybookError(path, [str(error)]) from None
    try:
        data = parse_toml(document)
    except tomllib.TOMLDecodeError as error:
        raise PlaybookError(path, [_toml_problem(error, document)]) from None
    if problems := _unsafe_text(data):
        raise PlaybookError(path, problems)
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as error:
        raise PlaybookError(path, _validation_problems(error)) from None
    if problems := _cross_check(playbook):
        raise PlaybookError(path, problems)
    return playbook


def builtin_playbook_path() -> Path:
    return Path(__file__).resolve().parent.parent / "playbooks" / BUILTIN_PLAYBOOK


@functools.cache
def load_builtin() -> Playbook:
    return load_playbook(builtin_playbook_path())
