"""The checklist a session walks: the playbook's steps in order (once, or once per administratie when
scoped), which step waits for which, each step's status and the progress. It reads the state and
never changes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple

from tui.state.counts import CLOSED, UNSEEN, Tally, tally

if TYPE_CHECKING:  # types only: a status read from plain JSON never loads pydantic (tui.headless.fast)
    from tui.playbook.model import Playbook, Section, Step
    from tui.state.model import ServerState


class UnknownStep(KeyError):
    """A step key that is not in the checklist."""


class StepRef(NamedTuple):  # not a dataclass: the headless commands never import dataclasses (issue 11)
    """A step as it appears in the checklist: once, or once per administratie when scoped."""

    step: Step
    section: Section
    administratie: str | None = None

    @property
    def key(self) -> str:
        return f"{self.step.id}@{self.administratie}" if self.administratie else self.step.id

    def title(self, lang: str) -> str:
        title = self.step.title.get(lang)
        return f"{title} ({self.administratie})" if self.administratie else title


class Checklist:
    """The steps of ``playbook`` for ``state``'s administraties, with indexes by key, step and section,
    built once (again only when the administraties list changes), so no per-step path is quadratic."""

    def __init__(self, playbook: Playbook, state: ServerState) -> None:
        self.playbook = playbook
        self.state = state
        self._refs: list[StepRef] = []
        self._refs_of: list[str] | None = None  # the administraties list the refs were built for
        self._by_key: dict[str, StepRef] = {}
        self._position: dict[str, int] = {}
        self._by_step: dict[str, list[StepRef]] = {}
        self._by_section: dict[str, list[StepRef]] = {}

    def refs(self) -> list[StepRef]:
        if self._refs_of is not self.state.administraties:
            self._build()
        return self._refs

    def _build(self) -> None:
        administraties = self.state.administraties
        refs: list[StepRef] = []
        for section in self.playbook.sections:
            for step in section.steps:
                if step.scope == "administratie" and administraties:
                    refs.extend(StepRef(step, section, adm) for adm in administraties)
                else:
                    refs.append(StepRef(step, section))
        self._refs, self._refs_of = refs, administraties
        self._by_key = {ref.key: ref for ref in refs}
        self._position = {ref.key: i for i, ref in enumerate(refs)}
        self._by_step, self._by_section = {}, {}
        for ref in refs:
            self._by_step.setdefault(ref.step.id, []).append(ref)
            self._by_section.setdefault(ref.section.id, []).append(ref)

    def ref(self, key: str) -> StepRef:
        self.refs()
        try:
            return self._by_key[key]
        except KeyError:
            raise UnknownStep(key) from None

    def has(self, key: str) -> bool:
        self.refs()
        return key in self._by_key

    def administraties_step(self) -> Step | None:
        source = self.playbook.administraties_ref()
        return self.playbook.step(source[0]) if source else None

    def blockers(self, key: str) -> list[StepRef]:
        ref = self.ref(key)
        waiting: list[StepRef] = []
        required = list(ref.step.requires)
        source = self.administraties_step()
        if ref.step.scope == "administratie" and not self.state.administraties and source:
            required.append(source.id)
        for step_id in required:
            for other in self._by_step.get(step_id, ()):
                same_scope = other.administratie in (None, ref.administratie) or ref.administratie is None
                if same_scope and self.state.peek(other.key).status not in CLOSED:
                    waiting.append(other)
        return waiting

    def status(self, key: str) -> str:
        stored = self.state.peek(key).status
        if stored in CLOSED or stored == "running":
            return stored
        return "blocked" if self.blockers(key) else stored

    def count(self, refs: Iterable[StepRef] | None = None) -> Tally:
        """How far the checklist (or ``refs`` of it) is: the one count everything shows (tui.state.counts)."""
        steps = self.state.steps
        return tally(steps.get(r.key, UNSEEN) for r in (self.refs() if refs is None else refs))

    def section_count(self, section_id: str) -> Tally:
        self.refs()
        return self.count(self._by_section.get(section_id, ()))

    def next_open(self, from_key: str | None = None, backwards: bool = False) -> str | None:
        """The next step still to do (unblocked first), going round the list once: one pass that
        stops at the first unblocked open step."""
        refs = self.refs()
        count = len(refs)
        here = self._position.get(from_key) if from_key is not None else None
        start = here if here is not None else (-1 if not backwards else count)
        step = -1 if backwards else 1
        first_blocked = None
        for i in range(1, count + 1):
            key = refs[(start + i * step) % count].key
            status = self.status(key)
            if status in CLOSED:
                continue
            if status != "blocked":
                return key
            first_blocked = first_blocked or key
        return first_blocked
