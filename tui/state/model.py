"""Per-server state: what the admin did, step by step. Plain pydantic, JSON on disk.

``blocked`` is never stored: it is derived from the playbook's ``requires`` (see tui.session).
Secrets never enter these models: tui.session drops secret fields before they get here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tui.state.schema import SCHEMA_VERSION, now  # here too for the model's users

# confirmed: closed by the admin's hand although the check failed, could not run here or never ran
StepStatus = Literal["todo", "running", "done", "confirmed", "failed", "skipped", "interrupted"]
ResultStatus = Literal["ok", "warn", "fail", "na"]


class StepResult(BaseModel):
    """The last result of a check/action run."""

    status: ResultStatus
    message: str = ""
    hint: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)
    duration_ms: int = 0
    at: datetime = Field(default_factory=now)


class StepState(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    status: StepStatus = "todo"
    answers: dict[str, Any] = Field(default_factory=dict)
    draft: dict[str, Any] | None = None  # unsaved form input, restored on resume
    note: str = ""  # the admin's note when confirming a manual step
    skip_reason: str = ""
    started_at: datetime | None = None
    updated_at: datetime | None = None
    by: str | None = None  # user@host
    attempts: int = 0
    result: StepResult | None = None
    # a run of a step the admin had closed: the status it had (restored when the run ends) ...
    before_run: StepStatus | None = None
    # ... and the result of that run when it did not pass: the step keeps its status and says this
    check_since: ResultStatus | None = None
    log_tail: list[str] = Field(default_factory=list)
    log_lines: int = 0  # lines the last run wrote in all: the tail keeps the last LOG_TAIL_LINES of them


class ServerState(BaseModel):
    """One file per server. Keys of ``steps`` are step ids, or ``id@administratie`` when scoped."""

    model_config = ConfigDict(validate_assignment=True)

    schema_version: int = SCHEMA_VERSION
    app_version: str = ""
    server: str
    playbook_id: str = ""
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime | None = None
    updated_by: str | None = None
    cursor: str | None = None  # the step key the admin was on
    focus: str | None = None  # the field of the cursor's step that had the keys (its id), restored on resume
    administraties: list[str] = Field(default_factory=list)
    lang: str | None = None
    steps: dict[str, StepState] = Field(default_factory=dict)

    def step(self, key: str) -> StepState:
        """The state of a step key, created on first use."""
        if key not in self.steps:
            self.steps[key] = StepState()
        return self.steps[key]

    def peek(self, key: str) -> StepState:
        """The state of a step key without creating it."""
        return self.steps.get(key) or StepState()
