"""A raw answer (mostly typed text) made the value of its field's type: bool, int, choice, e-mail,
path, list; values beyond tui.limits and control characters are refused before any rule reads them."""

from __future__ import annotations

import re
from typing import Any

from tui.limits import FIELD_MAX_CHARS, LIST_MAX_ITEMS
from tui.playbook.model import FormField
from tui.playbook.named_rules import email_problem
from tui.safe_text import describe, first_unsafe

_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "on", "aan", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", "off", "uit"}


class InvalidValue(ValueError):
    """A raw input that does not fit its field type; carries the message in both languages."""

    def __init__(self, nl: str, en: str) -> None:
        super().__init__(nl)
        self.nl, self.en = nl, en


def _within_limits(raw: Any) -> None:
    """Refuse a value beyond tui.limits before any rule reads it (or quotes it in a message)."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    if len(items) > LIST_MAX_ITEMS:
        raise InvalidValue(f"te veel items ({len(items):,}; hoogstens {LIST_MAX_ITEMS})",
                           f"too many items ({len(items):,}; at most {LIST_MAX_ITEMS})")
    longest = max((len(item) for item in items if isinstance(item, str)), default=0)
    if longest > FIELD_MAX_CHARS:
        raise InvalidValue(f"te lang ({longest:,} tekens; hoogstens {FIELD_MAX_CHARS:,})",
                           f"too long ({longest:,} characters; at most {FIELD_MAX_CHARS:,})")


def _printable(raw: Any) -> None:
    """Refuse escape sequences and other controls in a value (an administratie name reaches the tree,
    the reports and the log): they are refused where they enter, never stored."""
    for item in raw if isinstance(raw, (list, tuple)) else [raw]:
        if isinstance(item, str) and (char := first_unsafe(item)):
            raise InvalidValue(f"bevat een stuurteken ({describe(char)}): typ alleen gewone tekens",
                               f"contains a control character ({describe(char)}): type plain characters only")


def coerce(form_field: FormField, raw: Any) -> Any:
    """The typed value of a raw input (mostly a string); None when empty. Raises InvalidValue."""
    _within_limits(raw)
    kind = form_field.type
    if kind != "secret":  # a password is never shown, so any character may be part of it
        _printable(raw)
    if kind == "list":
        items = raw if isinstance(raw, (list, tuple)) else re.split(r"[,\n]", str(raw or ""))
        cleaned = [str(item).strip() for item in items if item is not None and str(item).strip()]
        return list(dict.fromkeys(cleaned)) or None
    if raw is None:
        return None
    if kind == "bool":
        return _coerce_bool(raw)
    if kind == "secret":
        return str(raw) or None  # spaces may belong to a password: never strip
    text = str(raw).strip()
    if text == "":
        return None
    if kind == "int":
        return _coerce_int(raw, text)
    if kind == "choice":
        return _coerce_choice(form_field, text)
    if kind == "email":
        if problem := email_problem(text, "nl"):
            raise InvalidValue(problem, email_problem(text, "en") or problem)
        return text
    if kind == "path":
        return _coerce_path(text)
    return text


def _coerce_bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValue(f"'{raw}' is geen ja of nee.", f"'{raw}' is not yes or no.")


def _coerce_int(raw: Any, text: str) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise InvalidValue(f"'{text}' is geen geheel getal.", f"'{text}' is not a whole number.")


def _coerce_choice(form_field: FormField, text: str) -> str:
    for choice in form_field.choices:
        if choice.casefold() == text.casefold():
            return choice
    listed = ", ".join(form_field.choices)
    raise InvalidValue(f"'{text}' is geen keuze uit: {listed}.", f"'{text}' is not one of: {listed}.")


def _coerce_path(text: str) -> str:
    # Windows Explorer's "Copy as path" wraps the path in double quotes
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if "\0" in text:
        raise InvalidValue("Een pad mag geen NUL-teken bevatten.", "A path cannot contain a NUL character.")
    return text
