"""The state file's plain facts, without pydantic: its schema version, the log tail's length, the
clock. tui.state.model builds its models on them; the headless fast path reads them too."""

from __future__ import annotations

from datetime import datetime, timezone

SCHEMA_VERSION = 2
LOG_TAIL_LINES = 200


def now() -> datetime:
    return datetime.now(timezone.utc)
