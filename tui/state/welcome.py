"""The greeting of a resumed session: how far the server is, and when and by whom it was last worked on."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from tui.state.schema import now
from tui.text import t


class WelcomeBack(NamedTuple):  # not a dataclass: the headless commands never import dataclasses (issue 11)
    done: int
    total: int
    last_at: datetime
    last_by: str | None
    cursor_title: str | None

    def greeting(self, lang: str, at: datetime | None = None) -> str:
        """"Welkom terug" for the status line: when and by whom (the header shows the progress)."""
        ago = humanize_ago((at or now()) - self.last_at, lang)
        if self.last_by:
            return t("msg.welcome_by", lang, ago=ago, by=self.last_by)
        return t("msg.welcome", lang, ago=ago)


def humanize_ago(delta: Any, lang: str) -> str:
    """ "3 uur geleden", "1 day ago", "zojuist": rows of the text tables, one and many apart."""
    seconds = max(0, int(delta.total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return t(f"ago.{unit}_{'one' if count == 1 else 'many'}", lang, n=count)
    return t("ago.now", lang)
