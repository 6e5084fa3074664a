"""What a playbook answers besides its data: a text in the admin's language, the tree's labels,
finding a step or section. Plain mixins without pydantic: the validated models
(tui.playbook.model) and the plain playbook read back from its cache (tui.playbook.plain) share
them, so both answer alike."""

from __future__ import annotations

from functools import cached_property
from typing import Any

WARNING_LABELS: dict[str, dict[str, str]] = {
    "let_op": {"nl": "Let op", "en": "Caution"},
    "opmerking": {"nl": "Opmerking", "en": "Note"},
}


class TextMethods:
    """A text in Dutch (the source, always present) and English (falls back to Dutch)."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.nl


class WarningMethods:
    kind: str

    def label(self, lang: str) -> str:
        return WARNING_LABELS[self.kind]["en" if lang == "en" else "nl"]


class Labelled:
    """A step or section: the tree shows its short title if the playbook gives one."""

    title: Any
    short: Any

    def label(self, lang: str) -> str:
        return (self.short or self.title).get(lang)


class PlaybookMethods:
    sections: Any
    administraties_field: str | None

    def steps(self) -> list[Any]:
        return [step for section in self.sections for step in section.steps]

    @cached_property
    def steps_by_id(self) -> dict[str, Any]:
        """Made once: a status asks for a step by id, and a listing asks for every status."""
        return {step.id: step for step in self.steps()}

    def step(self, step_id: str) -> Any | None:
        return self.steps_by_id.get(step_id)

    def section(self, section_id: str) -> Any:
        return next(s for s in self.sections if s.id == section_id)

    def section_of(self, step_id: str) -> Any | None:
        return next((sec for sec in self.sections for s in sec.steps if s.id == step_id), None)

    def administraties_ref(self) -> tuple[str, str] | None:
        """(step id, field id) of the administraties list, if the playbook has scoped steps."""
        if not self.administraties_field:
            return None
        step_id, _, field_id = self.administraties_field.partition(":")
        return step_id, field_id
