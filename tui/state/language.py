"""The admin's language: --lang, then KOPPEL_LANG, then the locale; Dutch when in doubt."""

from __future__ import annotations

import locale
import os


def default_lang(explicit: str | None = None) -> str:
    """--lang, then KOPPEL_LANG, then the admin's locale; Dutch when in doubt."""
    for candidate in (explicit, os.environ.get("KOPPEL_LANG")):
        if candidate in ("nl", "en"):
            return candidate
    return "en" if _locale_name().lower().startswith("en") else "nl"


def _locale_name() -> str:
    if os.name == "nt":  # "English_United States" / "Dutch_Netherlands", from the user's settings
        try:
            return locale.getlocale()[0] or ""
        except ValueError:
            return ""
    # POSIX: the variables themselves, as Python maps C/POSIX (no language chosen) to en_US
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return value
    return ""
