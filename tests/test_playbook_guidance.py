"""The built-in playbook uses the public facts found since the note (shared/reference/README.md)."""

from __future__ import annotations

from tui.checks.windows_service import matches
from tui.playbook.loader import load_builtin


def _default(step_id: str, field_id: str) -> str:
    step = load_builtin().step(step_id)
    assert step is not None and step.field(field_id) is not None
    return step.field(field_id).default  # type: ignore[union-attr]


def test_the_gateway_service_search_finds_the_older_and_the_newer_name() -> None:
    pattern = _default("wizard.gateway_dienst", "patroon")
    assert matches(pattern, "Visma On Premises Gateway")
    assert matches(pattern, "Visma Cloud Gateway")
    assert matches(pattern, "Visma Cloud Gateway (tidl. Visma On Premises Gateway)")
    assert not matches(pattern, "AccountView Communication Service")
