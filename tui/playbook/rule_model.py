"""What a rule of a playbook field is, what it sees and what it finds (tui.playbook.named_rules holds
the rules themselves, tui.playbook.rules applies them)."""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, Callable, Literal

from tui.playbook.model import FormField, Step

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    field: str
    level: Level
    message: str


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees besides the value: its params, the step's cleaned values, the language."""

    step: Step
    field: FormField
    params: dict[str, Any]
    values: dict[str, Any]
    lang: str

    def label(self, field_id: str) -> str:
        other = self.step.field(field_id)
        return other.label.get(self.lang) if other else field_id

    def warning(self, message: str) -> Finding:
        return Finding(self.field.id, "warning", message)


RuleResult = str | Finding | None  # a str is an error on the rule's field
RuleFn = Callable[[Any, RuleContext], RuleResult]


@dataclass(frozen=True)
class Rule:
    fn: RuleFn
    # param name -> (type, default); a param without default (default None) is required
    params: dict[str, tuple[type, Any]] = dataclass_field(default_factory=dict)
    field_params: tuple[str, ...] = ()  # params that name another field of the same step
    on_empty: bool = False  # run even when the value is empty (cross-field rules)

    def with_defaults(self, given: dict[str, Any]) -> dict[str, Any]:
        return {name: given.get(name, default) for name, (_, default) in self.params.items()}


def is_empty(value: Any) -> bool:
    """No answer: None, an empty string or an empty list (False and 0 are answers)."""
    return value is None or value == "" or value == []
