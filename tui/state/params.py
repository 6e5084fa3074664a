"""A check step's parameters: its check's ``{step:field}`` and ``{administratie}`` references filled
in from the answers, the secrets typed in this session and the step's own unsubmitted input;
unanswered ones are left out, so the check's own default applies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a status read from plain JSON never loads pydantic (tui.headless.fast)
    from tui.playbook.model import Playbook
    from tui.state.checklist import StepRef
    from tui.state.model import ServerState
    from tui.state.typed_secrets import TypedSecrets


def check_params(playbook: Playbook, state: ServerState, secrets: TypedSecrets, ref: StepRef) -> dict[str, Any]:
    if ref.step.check is None:
        return {}

    def answer(step_id: str, field_id: str) -> Any:
        keys = [f"{step_id}@{ref.administratie}", step_id] if ref.administratie else [step_id]
        for key in keys:
            typed = secrets.of(key)
            if field_id in typed:
                return typed[field_id]
            stored = state.peek(key)
            # the step's own unsubmitted input counts: the admin may run a check straight away
            sources = [stored.draft or {}, stored.answers] if key == ref.key else [stored.answers]
            for source in sources:
                if field_id in source:
                    return source[field_id]
        step = playbook.step(step_id)
        field = step.field(field_id) if step else None
        return field.default if field else None

    return ref.step.check.resolve(answer, ref.administratie)
