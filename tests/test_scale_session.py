"""No per-step or per-key path of the session is quadratic: counted, never timed (issue 11).

With 10 and with 100 administraties the checklist grows about tenfold; the work of a status listing
(what `koppel status`, the tree and the header read) and of the footer's next-open question may grow
as much, not a hundredfold. Work is counted as step-state lookups and checklist entries made."""

from __future__ import annotations

import pytest

from tui.state import model
from tui.state import session as session_module
from tui.state.session import open_session


def work(monkeypatch: pytest.MonkeyPatch, administraties: int) -> tuple[int, int]:
    """(steps in the checklist, work) for one status listing plus the footer's next-open question
    asked once per binding; work: step-state lookups plus checklist entries made."""
    session = open_session(server=f"scale{administraties}")
    session.state.administraties = [f"Administratie {n}" for n in range(administraties)]
    counts = {"work": 0}
    peek = model.ServerState.peek

    def counted_peek(self, key):
        counts["work"] += 1
        return peek(self, key)

    make_ref = session_module.StepRef

    def counted_ref(*args):
        counts["work"] += 1
        return make_ref(*args)

    monkeypatch.setattr(model.ServerState, "peek", counted_peek)
    monkeypatch.setattr(session_module, "StepRef", counted_ref)
    refs = session.refs()
    session.progress()
    for ref in refs:
        session.status(ref.key)
    for section in session.playbook.sections:
        session.section_progress(section.id)
    for _ in range(12):  # check_action asks once per binding
        session.next_open(refs[0].key)
    session.close()
    return len(refs), counts["work"]


def test_status_and_next_open_grow_linearly_with_the_administraties(monkeypatch: pytest.MonkeyPatch) -> None:
    small_steps, small_work = work(monkeypatch, 10)
    monkeypatch.undo()
    large_steps, large_work = work(monkeypatch, 100)
    growth = large_steps / small_steps
    assert growth > 5  # the checklist really grew: this test would prove nothing otherwise
    assert large_work / small_work < 1.5 * growth, (small_steps, small_work, large_steps, large_work)
