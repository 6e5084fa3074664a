"""How far a checklist is: the one count that `koppel status`, `servers`, the report and the app's
header all show, so they never disagree.

A step counts as done when it is closed: done (its check passed or its form was saved), confirmed
by the admin's hand, or skipped. Skipped and confirmed steps are counted in ``done`` and said
apart, and so are closed steps whose later check did not pass (``check_since``, flagged). A step
being re-checked counts as what it was before the run, so a run never lowers the count.

Plain Python on plain data: ``tally`` takes anything with the attributes of a StepState (the
headless fast path can hand it the state file's raw JSON through ``StepView``).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, NamedTuple, Protocol

from tui.text import status_word, t

CLOSED = ("done", "confirmed", "skipped")


class StepLike(Protocol):
    status: str
    before_run: str | None
    check_since: str | None


class StepView(NamedTuple):  # not a dataclass: the headless commands never import dataclasses (issue 11)
    """A step's stored state read from plain JSON (a state file's ``steps`` entry)."""

    status: str = "todo"
    before_run: str | None = None
    check_since: str | None = None

    @classmethod
    def of(cls, raw: Mapping[str, Any] | None) -> StepView:
        raw = raw or {}
        return cls(raw.get("status") or "todo", raw.get("before_run"), raw.get("check_since"))


UNSEEN = StepView()  # a step nobody touched yet


def counted_status(entry: StepLike) -> str:
    """The status a step counts as: a running re-check of a closed step counts as that status."""
    if entry.status == "running" and entry.before_run in CLOSED:
        return entry.before_run
    return entry.status


class Tally(NamedTuple):
    done: int  # closed: done, confirmed by hand or skipped
    total: int
    skipped: int = 0
    confirmed: int = 0  # closed by the admin's hand although the check failed, could not run or never ran
    flagged: int = 0  # closed, but a check run since did not pass

    @property
    def ratio(self) -> str:
        return f"{self.done}/{self.total}"

    def as_json(self) -> dict[str, int]:
        return {"done": self.done, "total": self.total, "skipped": self.skipped,
                "confirmed": self.confirmed, "flagged": self.flagged}

    def details(self, lang: str) -> str:
        """What ``done`` holds besides plain done steps, said: "2 overgeslagen, 1 met de hand
        bevestigd"; empty when there is nothing to say."""
        parts = [f"{n} {status_word(status, lang)}" for n, status in
                 ((self.skipped, "skipped"), (self.confirmed, "confirmed")) if n]
        if self.flagged:
            parts.append(t("count.flagged", lang, n=self.flagged))
        return ", ".join(parts)

    def text(self, lang: str) -> str:
        """ "23/25 gereed (2 overgeslagen, 1 met de hand bevestigd)" """
        details = self.details(lang)
        return f"{self.ratio} {status_word('done', lang)}" + (f" ({details})" if details else "")


def tally(entries: Iterable[StepLike]) -> Tally:
    """The count of the checklist's steps, one entry per step in the list (UNSEEN for a step with
    no state yet)."""
    done = total = skipped = confirmed = flagged = 0
    for entry in entries:
        total += 1
        status = counted_status(entry)
        if status in CLOSED:
            done += 1
            skipped += status == "skipped"
            confirmed += status == "confirmed"
            flagged += entry.check_since is not None
    return Tally(done, total, skipped, confirmed, flagged)
