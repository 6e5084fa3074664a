"""What a state file says when koppel opens it, set right before anyone reads it: runs that were
still going when koppel stopped, and hand confirmations an older koppel recorded as plain done.
Plain Python on the state and the playbook; the Session saves what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the fast path's plain-JSON state goes through here too, without pydantic
    from tui.playbook.model import Playbook
    from tui.state.model import ServerState


def end_interrupted_runs(state: ServerState) -> list[str]:
    """The keys of the steps that were running: a step the admin had closed stays closed (the run's
    result would not have lowered it); any other run was interrupted."""
    keys = [key for key, entry in state.steps.items() if entry.status == "running"]
    for key in keys:
        entry = state.steps[key]
        entry.status, entry.before_run = entry.before_run or "interrupted", None
    return keys


def confirm_done_checks_without_result(state: ServerState, playbook: Playbook) -> list[str]:
    """A check step that is done without any result was closed by the admin's hand (koppel 0.1.0
    recorded that as plain done; the schema migration catches the ones whose check failed or could
    not run, this needs the playbook to know the check steps): confirmed. Returns their keys."""
    keys = [key for key, entry in state.steps.items() if entry.status == "done" and entry.result is None
            and (step := playbook.step(key.partition("@")[0])) is not None and step.check is not None]
    for key in keys:
        state.steps[key].status = "confirmed"
    return keys
