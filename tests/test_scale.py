"""Scale (issue 11): no per-key or per-step path is quadratic in the number of administraties.

Not timed (speed lives in scripts/bench.py): the real app under Pilot counts the work it does -
step refs built, step statuses computed, tree nodes added - at 10 and at 100 administraties, for
the start-up, one ``j`` and marking a step done. The step list grows 5.4x between the two (41 to
221 steps); linear work grows about as much, quadratic work about 29x. The bound is twice the
step list's growth.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterator

import pytest
from textual.widgets import Tree

from tests.ui_helpers import go, settle
from tui.app import KoppelApp
from tui.state import checklist as checklist_module
from tui.state.session import Session, open_session

SCOPED_MANUAL = "aangifteprofiel.vastleggen"  # a manual step repeated per administratie


class Counts:
    """Counters wrapped around the functions whose calls measure the work."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        real_ref = checklist_module.StepRef  # built by the checklist since session.py was split

        def counted_ref(*args: Any, **kwargs: Any) -> Any:
            self.calls["step refs built"] += 1
            return real_ref(*args, **kwargs)

        monkeypatch.setattr(checklist_module, "StepRef", counted_ref)
        self._wrap(monkeypatch, Session, "status", "statuses computed")
        self._wrap(monkeypatch, Tree, "_add_node", "tree nodes added")

    def _wrap(self, monkeypatch: pytest.MonkeyPatch, owner: type, name: str, label: str) -> None:
        real: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[label] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    def take(self) -> Counter[str]:
        taken, self.calls = self.calls, Counter()
        return taken


def make_session(administraties: int) -> Session:
    """A server whose shared steps are all done: the per-administratie steps are open."""
    session = open_session(server=f"scale{administraties}", lang="nl")
    session.state.administraties = [f"Administratie {n:03d} BV" for n in range(administraties)]
    for ref in session.refs():
        if ref.administratie is None:
            session.state.step(ref.key).status = "done"
    session.state.cursor = f"{SCOPED_MANUAL}@Administratie 000 BV"
    session.flush()
    return session


async def measure(administraties: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Counter[str]]:
    session = make_session(administraties)
    assert len(session.refs()) == 21 + 2 * administraties
    with monkeypatch.context() as patch:
        counts = Counts(patch)
        app = KoppelApp(session=session, lang="nl")
        work: dict[str, Counter[str]] = {}
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            work["start-up"] = counts.take()
            await pilot.press("j")
            await settle(pilot)
            work["one j"] = counts.take()
            key = f"{SCOPED_MANUAL}@Administratie 001 BV"
            await go(pilot, app, key)
            counts.take()
            await pilot.press("space")
            await settle(pilot)
            work["marking a step done"] = counts.take()
            assert session.status(key) == "done"
    return work


def growth(small: dict[str, Counter[str]], large: dict[str, Counter[str]]) -> Iterator[tuple[str, str, int, int]]:
    for moment, counts in large.items():
        for what, many in counts.items():
            yield moment, what, small[moment][what], many


async def test_work_grows_linearly_with_the_administraties(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = await measure(10, monkeypatch), await measure(100, monkeypatch)
    steps_ratio = (21 + 2 * 100) / (21 + 2 * 10)
    report = [f"{moment}: {what} {few} -> {many}" for moment, what, few, many in growth(small, large)]
    assert large["start-up"]["tree nodes added"] > 0, report  # the counters see the work
    quadratic = [line for (moment, what, few, many), line in zip(growth(small, large), report)
                 if many > 2 * steps_ratio * max(few, 1)]
    assert not quadratic, "grows faster than the step list:\n" + "\n".join(quadratic) + "\nall:\n" + "\n".join(report)
