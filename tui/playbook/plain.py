"""A playbook read back from plain JSON (the validated model's dump, cached by the headless fast
path): the same attributes and methods as tui.playbook.model, without pydantic.

Only a dump that the models wrote is read here; nothing is validated again."""

from __future__ import annotations

from typing import Any

from tui.playbook.methods import Labelled, PlaybookMethods, TextMethods, WarningMethods

TEXTS = frozenset({"title", "short", "intro", "outro", "product", "text", "result", "label", "help", "placeholder"})


class Plain:
    """A model's fields as attributes: texts as PlainText, nested models by the key that holds them."""

    def __init__(self, data: dict[str, Any]) -> None:
        for name, value in data.items():
            setattr(self, name, _wrap(name, value))


class PlainText(Plain, TextMethods):
    pass


class PlainWarning(Plain, WarningMethods):
    pass


class PlainStep(Plain, Labelled):
    pass


class PlainSection(Plain, Labelled):
    pass


class PlainPlaybook(Plain, PlaybookMethods):
    pass


NESTED: dict[str, type[Plain]] = {  # the key a list of models (or one model) sits under
    "sections": PlainSection, "steps": PlainStep, "warnings": PlainWarning,
    "instructions": Plain, "context": Plain, "fields": Plain, "rules": Plain, "check": Plain,
}


def _wrap(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in TEXTS and isinstance(value, dict):
        return PlainText(value)
    kind = NESTED.get(name)
    if kind is None:
        return value
    return [kind(item) for item in value] if isinstance(value, list) else kind(value)


def plain_playbook(data: dict[str, Any]) -> PlainPlaybook:
    return PlainPlaybook(data)
