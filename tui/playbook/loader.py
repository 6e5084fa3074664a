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

from tui.limits import NESTING_MAX, PLAYBOOK_FILE_MAX_BYTES, nesting_depth, quote
from tui.playbook.names import did_you_mean
from tui.playbook.cross_checks import cross_check
from tui.playbook.model import Playbook
from tui.playbooks import builtin_playbook_path
from tui.safe_text import describe, first_unsafe, safe
from tui.text import Phrase, in_lang



class PlaybookError(Exception):
    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        """The problems in ``lang`` where they are koppel's words (the file cannot be read, is no
        UTF-8, too large, no TOML); a schema problem names keys, in the playbook's own terms."""
        return "\n".join(f"{self.path.name}: {in_lang(problem, lang)}" for problem in self.problems)


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
    return Phrase("playbook.toml_at", line=line, column=column, why=message) if line else Phrase("playbook.toml", why=message)


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


# --- Entry points --------------------------------------------------------------------------


_SCANNED = re.compile(r"""[\n"'#\[\]{}]""")  # what too_deep_at looks at outside a string
_IN_STRING = {'"': re.compile(r'[\n"\\]'), "'": re.compile(r"[\n']")}  # ... and inside one


def too_deep_at(document: str, limit: int = NESTING_MAX) -> int | None:
    """The line where arrays and inline tables first nest more than ``limit`` deep, or None. A
    plain scan (strings and comments skipped) that tells where a document too deep for the TOML
    parser goes wrong. It jumps from one character that matters to the next (issue 11: a loop over
    every character was a tenth of opening the app)."""
    depth, line, quote_char, index, size = 0, 1, "", 0, len(document)
    while index < size:
        found = (_IN_STRING[quote_char] if quote_char else _SCANNED).search(document, index)
        if found is None:
            return None
        index = found.start()
        char = document[index]
        if char == "\n":
            line += 1
        elif quote_char:
            if char == "\\":  # in a basic string: the next character is escaped (a newline too: not counted)
                index += 1
            else:
                quote_char = ""
        elif char in "\"'":
            quote_char = char
        elif char == "#":
            end = document.find("\n", index)
            index = size if end < 0 else end - 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        else:
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
        raise ValueError(Phrase("file.too_large", kib=f"{max_bytes // 1024:,}"))
    return data


def load_playbook(path: Path) -> Playbook:
    path = Path(path)
    try:
        # utf-8-sig: Notepad saves UTF-8 with a byte order mark
        document = read_limited(path, PLAYBOOK_FILE_MAX_BYTES).decode("utf-8-sig")
    except OSError as error:
        raise PlaybookError(path, [Phrase("playbook.unreadable", why=error.strerror or error)]) from None
    except UnicodeDecodeError as error:
        raise PlaybookError(path, [Phrase("playbook.not_utf8", byte=error.start)]) from None
    except ValueError as error:
        raise PlaybookError(path, [error.args[0] if error.args else str(error)]) from None
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
    if problems := cross_check(playbook):
        raise PlaybookError(path, problems)
    return playbook


@functools.cache
def load_builtin() -> Playbook:
    return load_playbook(builtin_playbook_path())
