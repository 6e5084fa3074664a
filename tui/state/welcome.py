"""The greeting of a resumed session: how far the server is, and when and by whom it was last worked on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.state.schema import now


@dataclass(frozen=True)
class WelcomeBack:
    done: int
    total: int
    last_at: datetime
    last_by: str | None
    cursor_title: str | None

    def message(self, lang: str, at: datetime | None = None) -> str:
        ago = humanize_ago((at or now()) - self.last_at, lang)
        by = f" door {self.last_by}" if lang != "en" else f" by {self.last_by}"
        if lang == "en":
            return f"Welcome back: {self.done}/{self.total} done, last worked {ago}{by if self.last_by else ''}"
        return f"Welkom terug: {self.done}/{self.total} gereed, laatst gewerkt {ago}{by if self.last_by else ''}"


def humanize_ago(delta: Any, lang: str) -> str:
    seconds = max(0, int(delta.total_seconds()))
    units = [(86400, "dag", "dagen", "day", "days"), (3600, "uur", "uur", "hour", "hours"),
             (60, "minuut", "minuten", "minute", "minutes")]
    for size, nl_one, nl_many, en_one, en_many in units:
        if seconds >= size:
            count = seconds // size
            if lang == "en":
                return f"{count} {en_one if count == 1 else en_many} ago"
            return f"{count} {nl_one if count == 1 else nl_many} geleden"
    return "just now" if lang == "en" else "zojuist"
