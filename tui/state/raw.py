"""A state file read as plain JSON, for the read-only headless fast path: the parts a status
listing reads, with the models' defaults, without pydantic.

Only bytes that the models accepted before are read here (the fast path keeps their hash), so
nothing is validated again."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class RawStep:
    """A step's entry (plain attributes, not a dataclass: the headless commands never import
    dataclasses, issue 11)."""

    __slots__ = ("status", "updated_at", "by", "before_run", "check_since", "result")

    def __init__(self, status: str = "todo", updated_at: datetime | None = None, by: str | None = None,
                 before_run: str | None = None, check_since: str | None = None,
                 result: dict[str, Any] | None = None) -> None:  # result: as stored; the Session only asks whether there is one
        self.status = status
        self.updated_at = updated_at
        self.by = by
        self.before_run = before_run
        self.check_since = check_since
        self.result = result

    @classmethod
    def of(cls, data: dict[str, Any]) -> RawStep:
        return cls(data.get("status", "todo"), _when(data.get("updated_at")), data.get("by"),
                   data.get("before_run"), data.get("check_since"), data.get("result"))


class RawState:
    __slots__ = ("server", "playbook_id", "updated_at", "updated_by", "cursor", "administraties", "lang", "steps")

    def __init__(self, server: str, playbook_id: str = "", updated_at: datetime | None = None,
                 updated_by: str | None = None, cursor: str | None = None, administraties: list[str] | None = None,
                 lang: str | None = None, steps: dict[str, RawStep] | None = None) -> None:
        self.server = server
        self.playbook_id = playbook_id
        self.updated_at = updated_at
        self.updated_by = updated_by
        self.cursor = cursor
        self.administraties = [] if administraties is None else administraties
        self.lang = lang
        self.steps = {} if steps is None else steps

    def peek(self, key: str) -> RawStep:
        return self.steps.get(key) or RawStep()


def read_state(raw: bytes, server: str) -> RawState:
    """``server``: the file's name decides, as the store has it."""
    data = json.loads(raw.decode("utf-8-sig"))
    return RawState(server, data.get("playbook_id", ""), _when(data.get("updated_at")), data.get("updated_by"),
                    data.get("cursor"), list(data.get("administraties", [])), data.get("lang"),
                    {key: RawStep.of(entry) for key, entry in data.get("steps", {}).items()})
