"""Reading a state file of any schema: decoding, judging damage, migrating older schemas.

Damage is anything that cannot be loaded, whatever the reason (not UTF-8, not JSON, nested too
deeply, an integer too long for Python, larger than the limit, not a koppel state): ``decode``
raises ``Unusable`` for all of them, so the store quarantines the file and never fails with an
internal error. A file from a newer koppel is not damage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from tui.limits import NESTING_MAX, STATE_FILE_MAX_BYTES, nesting_depth
from tui.state.model import SCHEMA_VERSION, ServerState
from tui.text import Phrase


class Unusable(Exception):
    """A state file that cannot be loaded; its Phrase says why in a few words (str(): English,
    tui.text.in_lang: the admin's language)."""


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 0 (koppel 0.0.x) kept ``current_step`` instead of ``cursor``, all answers in one
    flat dict keyed ``"<step key>/<field>"``, statuses in a ``status`` dict with "open" for todo,
    and ``saved_at`` / ``saved_by`` for updated_at / updated_by."""
    new = dict(data)
    steps: dict[str, dict[str, Any]] = {}
    for key, status in (new.pop("status", None) or {}).items():
        steps.setdefault(key, {})["status"] = "todo" if status == "open" else status
    for flat, value in (new.pop("answers", None) or {}).items():
        key, _, field = flat.rpartition("/")
        if not key or not field:
            raise ValueError(f"answer {flat!r} is not named '<step>/<field>'")
        steps.setdefault(key, {}).setdefault("answers", {})[field] = value
    new["steps"] = steps
    new["cursor"] = new.pop("current_step", None)
    new["updated_at"] = new.pop("saved_at", None)
    new["updated_by"] = new.pop("saved_by", None)
    new["schema_version"] = 1
    return new


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 (koppel 0.1.0) recorded a check step the admin closed by hand after its check failed
    or could not run as plain "done": that is "confirmed" now, so it is never shown as a passed
    check. A done step whose check failed *since* (``check_since`` set) stays done and flagged."""
    new = dict(data)
    steps = new.get("steps")
    if isinstance(steps, dict):
        new["steps"] = {key: _confirmed_by_hand(entry) for key, entry in steps.items()}
    new["schema_version"] = 2
    return new


def _confirmed_by_hand(entry: Any) -> Any:
    if not isinstance(entry, dict) or entry.get("status") != "done" or entry.get("check_since") is not None:
        return entry
    result = entry.get("result")
    if isinstance(result, dict) and result.get("status") in ("fail", "na"):
        return {**entry, "status": "confirmed"}
    return entry


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1, 1: _v1_to_v2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` of an older schema_version brought to SCHEMA_VERSION, one step at a time (the
    input is not changed). Raises ValueError when a step is missing or the data does not fit it."""
    version = data.get("schema_version")
    while isinstance(version, int) and version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"no migration from schema {version}")
        data = step(data)
        version = data["schema_version"]
    return data


def _parse(raw: bytes) -> Any:
    if len(raw) > STATE_FILE_MAX_BYTES:
        raise Unusable(Phrase("unusable.too_large", mib=STATE_FILE_MAX_BYTES // (1024 * 1024)))
    if not raw.strip():
        raise Unusable(Phrase("unusable.empty"))
    try:
        data = json.loads(raw.decode("utf-8-sig"))  # -sig: a BOM from Notepad is no damage
    except UnicodeDecodeError:
        raise Unusable(Phrase("unusable.not_utf8")) from None
    except json.JSONDecodeError as error:
        raise Unusable(Phrase("unusable.json_at", why=error.msg, line=error.lineno, column=error.colno)) from None
    except RecursionError:
        raise Unusable(Phrase("unusable.too_deep", n=NESTING_MAX)) from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits (int_max_str_digits)
        raise Unusable(Phrase("unusable.json", why=str(error)[:200])) from None
    if nesting_depth(data) > NESTING_MAX:
        raise Unusable(Phrase("unusable.too_deep", n=NESTING_MAX))
    return data


def decode(raw: bytes) -> tuple[ServerState | None, int]:
    """The state in ``raw`` and the schema it was written with. Newer schemas are returned as far
    as this koppel understands them (None when not at all): they are never judged damaged."""
    data = _parse(raw)
    if not isinstance(data, dict):
        raise Unusable(Phrase("unusable.not_object"))
    version = data.get("schema_version")
    if type(version) is not int or version < 0:
        raise Unusable(Phrase("unusable.no_schema"))
    if version < SCHEMA_VERSION:
        try:
            data = migrate(data)
        except (ValueError, TypeError, AttributeError) as error:
            raise Unusable(Phrase("unusable.no_conversion", version=version, why=error)) from None
    try:
        return ServerState.model_validate(data), version
    except ValidationError as error:
        if version > SCHEMA_VERSION:
            return None, version
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise Unusable(Phrase("unusable.not_state", why=f"{where}: {first['msg']}"[:300], n=error.error_count() - 1)
                       if error.error_count() > 1 else Phrase("unusable.not_state_one", why=f"{where}: {first['msg']}"[:300])) from None
