"""AccountView versions: read them, compare them, judge them. The note: "AccountView 9.8 en hoger".

The one implementation of version reading, with two doors over one number pattern:

- ``parse_av_version(answer)``: a form answer, strictly. The answer is the version, written as
  AccountView shows it under Help > Info ("9.8", "9.8a", "10.1", "9.8.1"), optionally after
  "AccountView" / "versie" and before more words ("9.8a (build 1234)"). A Dutch decimal comma
  ("9,8") or a year ("2024") is no answer: the admin is asked to copy what Help > Info says.
- ``find_av_version(text)``: free text (a licence PDF): the first version-like number anywhere,
  a decimal comma allowed ("Versie 9,8 SP1").

``judge_version`` gives the verdict that the playbook rule ``version_min`` and the version check
(tui/checks/version.py) both show; the licence reader compares with ``meets_minimum``. A ground
module: the playbook and the checks both use it, so it imports nothing of koppel but the text tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.text import t

MIN_AV_VERSION: tuple[int, ...] = (9, 8)


def _number(separators: str) -> str:
    # a major of one or two digits (so a year is never a version), up to three more parts
    return rf"(\d{{1,2}}(?:[{separators}]\d{{1,4}}){{0,3}})"


_ANSWER_PREFIX = re.compile(r"\s*(?:accountview\s*)?(?:(?:versie|version)\s*)?", re.IGNORECASE)
# after the number: a release letter, then the end, a space, "(" or ";" — or a comma that starts no digit
_ANSWER = re.compile(_number(".") + r"[a-z]?(?=$|[\s;(]|,(?!\d))", re.IGNORECASE)
_IN_TEXT = re.compile(r"(?<![\d.,])" + _number(".,") + r"(?!\d)")


def _parts(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.split(r"[.,]", number))


def parse_av_version(answer: str) -> tuple[int, ...] | None:
    """(9, 8) from the answer "9.8", "9.8a" or "AccountView 9.8"; None when the answer is no version."""
    text = str(answer or "")
    match = _ANSWER.match(text, _ANSWER_PREFIX.match(text).end())  # type: ignore[union-attr]
    return _parts(match.group(1)) if match else None


def find_av_version(text: str) -> tuple[int, ...] | None:
    """(9, 8) from "Versie 9,8 SP1" or "AccountView Team 9.8"; None when the text holds no version."""
    match = _IN_TEXT.search(text or "")
    return _parts(match.group(1)) if match else None


def format_version(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def meets_minimum(version: tuple[int, ...], minimum: tuple[int, ...] = MIN_AV_VERSION) -> bool:
    """Numeric per part, shorter padded with zeros: 10.0 > 9.8, 9.10 > 9.8, 9.8 == 9.8.0."""
    width = max(len(version), len(minimum))
    return version + (0,) * (width - len(version)) >= minimum + (0,) * (width - len(minimum))


@dataclass(frozen=True)
class VersionVerdict:
    ok: bool
    message: str
    hint: str = ""
    evidence: dict[str, str] = field(default_factory=dict)


def judge_version(answer: str, minimum: str, lang: str) -> VersionVerdict:
    """Is the answered version at least ``minimum`` (as a playbook writes it, "9.8"; empty or unreadable:
    MIN_AV_VERSION)? Said in ``lang``."""
    where = t("version.where", lang)
    version = parse_av_version(answer)
    if version is None:
        return VersionVerdict(False, t("version.unreadable", lang, answer=answer), where)
    lowest = parse_av_version(minimum) or MIN_AV_VERSION
    shown, needed = format_version(version), format_version(lowest)
    evidence = {"version": shown, "minimum": needed}
    if meets_minimum(version, lowest):
        return VersionVerdict(True, t("version.fine", lang, version=shown, minimum=needed), evidence=evidence)
    return VersionVerdict(False, t("version.too_old", lang, version=shown, minimum=needed),
                          t("version.request_update", lang, where=where), evidence)
