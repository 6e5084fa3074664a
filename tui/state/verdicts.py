"""What the checklist shows of a session at one moment: each step's status and flag, each section's
progress. Made once per change (one pass over the steps) and handed down to the widgets, which
never hold the Session: attributes down, messages up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.state.checklist import StepRef

if TYPE_CHECKING:
    from tui.state.session import Session


@dataclass(frozen=True)
class Verdicts:
    refs: tuple[StepRef, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    flagged: frozenset[str] = frozenset()  # closed steps a later check run did not pass
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # section id -> (closed, steps)

    @property
    def shape(self) -> tuple[str, ...]:
        """The step list's keys: it changes when administraties are added or removed."""
        return tuple(ref.key for ref in self.refs)

    def status(self, key: str) -> str:
        return self.statuses.get(key, "todo")

    def section(self, section_id: str) -> tuple[int, int]:
        return self.sections.get(section_id, (0, 0))


def verdicts(session: Session) -> Verdicts:
    refs = tuple(session.refs())
    statuses = {ref.key: session.status(ref.key) for ref in refs}
    flagged = frozenset(ref.key for ref in refs if session.step_state(ref.key).check_since is not None)
    sections = {section.id: session.section_progress(section.id) for section in session.playbook.sections}
    return Verdicts(refs, statuses, flagged, sections)
