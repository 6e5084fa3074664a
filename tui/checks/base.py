"""What every check and action shares: events it emits, the result it returns, its context.

A check is a module in ``tui.checks`` with:

    TITLE = Text-like dict {"nl": ..., "en": ...}
    KIND = "check" | "action"
    DEFAULT_TIMEOUT = 10.0           # seconds, the total deadline the engine enforces
    DEADLINE_PARAM = "timeout"       # optional: a parameter that, when set, replaces DEFAULT_TIMEOUT
    class Params(pydantic.BaseModel) # its parameters, validated before it runs
    async def run(params: Params, ctx: CheckContext) -> CheckResult

It never imports Textual; heavy libraries are imported inside ``run``. A secret parameter is a
``pydantic.SecretStr``: the engine then masks its value in every log line and in the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, Field, ValidationInfo

from tui.text import t

ResultStatus = Literal["ok", "warn", "fail", "na"]

# worst last: several results (several URLs, several checks) combine to the worst one
SEVERITY: dict[str, int] = {"ok": 0, "na": 1, "warn": 2, "fail": 3}


def refusal(info: ValidationInfo, key: str, **values: object) -> str:
    """A parameter's refusal, from the text tables, in the language the engine validates in."""
    return t(key, (info.context or {}).get("lang", "nl"), **values)


def worst(statuses: Iterable[ResultStatus]) -> ResultStatus:
    """The most severe status; ``ok`` for none."""
    return max(statuses, key=SEVERITY.__getitem__, default="ok")


class CheckResult(BaseModel):
    status: ResultStatus
    message: str
    hint: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)
    duration_ms: int = 0


@dataclass(frozen=True)
class LogLine:
    text: str
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Progress:
    """Replaces the previous progress of the same run (never queued up)."""

    done: float
    total: float | None = None
    text: str = ""


Event = LogLine | Progress


@dataclass
class CheckContext:
    """Handed to every check: language, emitters and the deadline it runs under."""

    lang: str = "nl"
    emit: Callable[[Event], None] = lambda event: None
    deadline: float | None = None  # time.monotonic() value; the engine enforces it as well
    clipboard: Callable[[str], None] | None = None  # set by the UI (OSC 52); None headless
    extras: dict[str, Any] = field(default_factory=dict)

    def log(self, text: str) -> None:
        for line in str(text).splitlines() or [""]:
            self.emit(LogLine(line))

    def progress(self, done: float, total: float | None = None, text: str = "") -> None:
        self.emit(Progress(done, total, text))

    def remaining(self, default: float = 10.0) -> float:
        """Seconds left before the deadline (never negative)."""
        if self.deadline is None:
            return default
        return max(0.0, self.deadline - time.monotonic())

    def budget(self, default: float = 10.0) -> float:
        """Seconds a check may give its own timeouts: a little less than ``remaining()``.

        So a check's own timeout fires first and it can say what hung (DNS, TLS handshake, ...)
        instead of the engine's generic "deadline reached".
        """
        left = self.remaining(default)
        return max(0.0, left - min(0.25, left * 0.1))
