"""What the checklist shows of a session at one moment: each step's status and flag, each section's
progress (``Verdicts``, made once per change in one pass over the steps), and one step's facts on
request (``SessionFacts``). Handed down to the widgets, which never hold the Session: attributes
down, messages up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.state.checklist import StepRef

if TYPE_CHECKING:
    from tui.playbook.rules import Finding
    from tui.state.session import Session


@dataclass(frozen=True)
class Verdicts:
    refs: tuple[StepRef, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    flagged: frozenset[str] = frozenset()  # closed steps a later check run did not pass
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # section id -> (closed, steps)
    progress: tuple[int, int] = (0, 0)  # the whole checklist: (closed, steps)

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
    return Verdicts(refs, statuses, flagged, sections, session.progress())


@dataclass(frozen=True)
class StepFacts:
    """What the detail pane shows of one step besides the playbook: the screen's reply when the
    pane asks (it composes only the last step asked for, so it asks at compose time)."""

    ref: StepRef
    status: str
    entry: Any  # the step's stored state (tui.state.model.StepState), read, never changed
    waits_for: tuple[str, ...]  # the titles of the steps it waits for
    values: dict[str, Any]  # what its form shows


class SessionFacts:
    """The session's answers to the widgets' questions, and nothing else of it: a widget that
    holds this reads what it shows and cannot change the record (its messages go up)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.log_path = session.log_path  # the server's full check log, named under the log tail

    def step(self, key: str, lang: str) -> StepFacts | None:
        session = self._session
        if not session.has(key):
            return None
        return StepFacts(session.ref(key), session.status(key), session.step_state(key),
                         tuple(b.title(lang) for b in session.blockers(key)), session.form_values(key))

    def koppel_line(self, text: str, administratie: str | None, lang: str, ascii_mode: bool) -> str:
        """koppel's own line with the admin's earlier answers filled in (tui.playbook.textrefs)."""
        from tui.playbook.textrefs import render

        return render(text, self._session, lang, administratie, ascii_mode=ascii_mode)

    def validate(self, key: str, values: dict[str, Any]) -> list[Finding]:
        return self._session.validate(key, values)[1]
