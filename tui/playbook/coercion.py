"""A raw answer (mostly typed text) made the value of its field's type: bool, int, choice, e-mail,
path, list; values beyond tui.limits and control characters are refused before any rule reads them."""

from __future__ import annotations

import re
from typing import Any

from tui.limits import FIELD_MAX_CHARS, LIST_MAX_ITEMS
from tui.playbook.model import FormField
from tui.playbook.named_rules import email_problem
from tui.safe_text import describe, first_unsafe
from tui.text import t

_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "on", "aan", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", "off", "uit"}


class InvalidValue(ValueError):
    """A raw input that does not fit its field type: the text tables' ``key`` with its values."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def _within_limits(raw: Any) -> None:
    """Refuse a value beyond tui.limits before any rule reads it (or quotes it in a message)."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    if len(items) > LIST_MAX_ITEMS:
        raise InvalidValue("value.too_many_items", count=len(items), limit=LIST_MAX_ITEMS)
    longest = max((len(item) for item in items if isinstance(item, str)), default=0)
    if longest > FIELD_MAX_CHARS:
        raise InvalidValue("value.too_long", length=longest, limit=FIELD_MAX_CHARS)


def _printable(raw: Any) -> None:
    """Refuse escape sequences and other controls in a value (an administratie name reaches the tree,
    the reports and the log): they are refused where they enter, never stored."""
    for item in raw if isinstance(raw, (list, tuple)) else [raw]:
        if isinstance(item, str) and (char := first_unsafe(item)):
            raise InvalidValue("value.control_character", char=describe(char))


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
        if email_problem(text, "nl"):
            raise InvalidValue("rule.email_invalid", value=text)
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
    raise InvalidValue("value.not_yes_or_no", value=raw)


def _coerce_int(raw: Any, text: str) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise InvalidValue("value.not_whole_number", value=text)


def _coerce_choice(form_field: FormField, text: str) -> str:
    for choice in form_field.choices:
        if choice.casefold() == text.casefold():
            return choice
    listed = ", ".join(form_field.choices)
    raise InvalidValue("value.not_a_choice", value=text, choices=listed)


def _coerce_path(text: str) -> str:
    # Windows Explorer's "Copy as path" wraps the path in double quotes
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if "\0" in text:
        raise InvalidValue("value.path_with_nul")
    return text
