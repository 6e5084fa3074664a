"""Every server koppel has state for, summarised without taking any lock for longer than a probe.

Apart from the store (tui.state.store re-exports it) so that `koppel servers` can list from plain
JSON without loading the models (tui.headless.fast, issue 11): the decoding is the caller's.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.limits import STATE_FILE_MAX_BYTES
from tui.state.atomic import read_if_exists
from tui.state.paths import BadServerName, safe_server_name, state_dir
from tui.text import Phrase, in_lang


def _decode(raw: bytes, server: str) -> tuple[Any, int]:
    from tui.state.migration import decode

    return decode(raw)


def _unusable() -> type[Exception]:
    """tui.state.migration.Unusable, looked up when a read fails (the models load only then)."""
    from tui.state.migration import Unusable

    return Unusable


def list_servers(home: Path, count: Callable[[Any], Any] | None = None, lang: str = "en",
                 decode: Callable[[bytes, str], tuple[Any, int]] | None = None) -> list[dict[str, Any]]:
    """One summary per state file, sorted by server, without taking any lock for longer than a probe:

    ``server``; ``cursor``; ``updated_at``; ``updated_by``; ``schema_version``; ``in_use_by``
    ("user@host, pid N" or None); ``problem`` (why the file could not be read, in ``lang``, else None); with
    ``count``, ``count``: what it returns for the state (None when the file cannot be read). The
    count needs the playbook, so the caller gives it (tui.state.counts through a Session).
    ``decode(raw, server)``: the state and its schema version as tui.state.migration.decode gives
    them (the default; raising its Unusable alike); the fast road reads states accepted before as
    plain JSON (tui.headless.fast).
    """
    from tui.state.lock import holder

    decode = decode or _decode
    folder = state_dir(Path(home), create=False)  # a reader: a read-only home is no obstacle
    if not folder.is_dir():
        if any(part.exists() and not part.is_dir() for part in (folder, *folder.parents)):  # said plainly
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        return []  # nothing was ever saved here
    summaries = []
    for path in sorted(folder.glob("*.json")):
        server = path.name.removesuffix(".json")
        try:
            if safe_server_name(server) != server:  # not a file koppel wrote (upper case, ...)
                continue
        except BadServerName:  # also skips the .lock.json owner files
            continue
        summary: dict[str, Any] = {
            "server": server, "cursor": None, "updated_at": None, "updated_by": None, "schema_version": None,
            "in_use_by": holder(folder, server), "problem": None, **({"count": None} if count else {}),
        }
        try:  # each file on its own: one damaged or unreadable server never hides the others
            raw = read_if_exists(path, STATE_FILE_MAX_BYTES)
            if raw is None:  # removed since the listing began
                continue
            state, summary["schema_version"] = decode(raw, server)
        except (OSError, _unusable()) as bad:
            summary["problem"] = (bad.strerror or type(bad).__name__) if isinstance(bad, OSError) else in_lang(bad, lang)
            state = None
        if state is not None:
            summary.update(cursor=state.cursor, updated_at=state.updated_at, updated_by=state.updated_by)
            if count is not None:
                summary["count"] = count(state)
        elif summary["problem"] is None:
            summary["problem"] = Phrase("servers.newer", version=summary["schema_version"]).said(lang)
        summaries.append(summary)
    return summaries
