"""The words of koppel, one table per language (tui/text/nl.py, tui/text/en.py), and the one
vocabulary of step statuses. Ground: imports nothing of koppel but the marks.

Playbook texts come from the playbook (``Text.get(lang)``); AccountView menu paths stay Dutch.
"""

from __future__ import annotations

from typing import Any

from tui.marks import mark
from tui.text import en, nl

__all__ = ["LANGS", "STATUSES", "answer_text", "mark", "status_said", "status_word", "t"]

# the order the help lists them in; "blocked" is derived, never stored
STATUSES = ("todo", "running", "done", "confirmed", "failed", "skipped", "interrupted", "blocked")
LANGS = {"nl": nl.TEXT, "en": en.TEXT}


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Dutch unless English), with ``{name}`` values filled in."""
    text = LANGS.get(lang, nl.TEXT)[key]
    return text.format(**values) if values else text


def status_word(status: str, lang: str) -> str:
    """One word per status everywhere: the app, ``koppel status`` and the report."""
    return t(f"status.{status}", lang)


def status_said(status: str, lang: str, check_since: str | None = None) -> str:
    """A step's status as words, with the result of a check run since the admin closed it when that
    did not pass: "gereed; controle sindsdien: mislukt"."""
    said = status_word(status, lang)
    if check_since:
        said += "; " + t("status.check_since", lang, result=t(f"result.{check_since}", lang).lower())
    return said


def answer_text(value: Any, lang: str) -> str:
    """An answer as a person reads it: ja/nee (yes/no), a list joined with commas, "" for nothing."""
    if isinstance(value, bool):
        return t("value.yes" if value else "value.no", lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(answer_text(item, lang) for item in value)
    return "" if value is None else str(value)
