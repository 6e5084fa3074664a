"""The words of koppel, one table per language (tui/text/nl.py, tui/text/en.py), and the one
vocabulary of step statuses. Ground: imports nothing of koppel but the marks.

Playbook texts come from the playbook (``Text.get(lang)``); AccountView menu paths stay Dutch.
"""

from __future__ import annotations

from typing import Any

from tui.marks import mark
from tui.text import en, nl

__all__ = ["LANGS", "STATUSES", "Phrase", "answer_text", "in_lang", "mark", "status_said", "status_word", "t"]

# the order the help lists them in; "blocked" is derived, never stored
STATUSES = ("todo", "running", "done", "confirmed", "failed", "skipped", "interrupted", "blocked")
LANGS = {"nl": nl.TEXT, "en": en.TEXT}


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Dutch unless English), with ``{name}`` values filled in."""
    text = LANGS.get(lang, nl.TEXT)[key]
    return text.format(**values) if values else text


class Phrase(str):
    """Words said later, in the language of whoever reads them: a row of the text tables and its
    values (a value may be a Phrase too). An error made deep down (a damaged state file, a playbook
    that cannot be read) carries one, and the command or screen that says it picks the language
    (``said``, ``in_lang``). As a str it is the English text, for logs, tracebacks and code that
    only compares or joins it."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Phrase:
        phrase = super().__new__(cls, _fill(key, values, "en"))
        phrase.key, phrase.values = key, values
        return phrase

    def said(self, lang: str) -> str:
        return _fill(self.key, self.values, lang)

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.values!r})"


def _fill(key: str, values: dict[str, object], lang: str) -> str:
    return t(key, lang, **{name: in_lang(value, lang) for name, value in values.items()})


def in_lang(thing: object, lang: str) -> object:
    """``thing`` said in ``lang``: a Phrase, an object with ``said(lang)``, or an exception made
    with a Phrase; anything else as it is."""
    if isinstance(thing, Phrase) or (not isinstance(thing, type) and callable(getattr(thing, "said", None))):
        return thing.said(lang)  # type: ignore[union-attr]
    if isinstance(thing, BaseException) and len(thing.args) == 1 and isinstance(thing.args[0], Phrase):
        return thing.args[0].said(lang)
    return thing


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
