"""Which server a headless command acts on when the admin does not say, and saying so.

Without ``--server``: this machine's own state if it has one, else the only server known, else the
one used last; with nothing known, this machine (a new server). A command that only reads (status,
report, reset) refuses a server without state: "no state for X; known: A, B", exit 1, never an
empty 0/25. The TUI does not come here: it starts on this machine's host name, new or not.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from tui.text import t

_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


class NoState(Exception):
    """The admin named a server koppel has no state for; str() lists the known ones."""


class ServerChoice(NamedTuple):  # not a dataclass: the headless commands never import dataclasses (issue 11)
    name: str
    why: str  # "given", "this_machine", "only", "last_used" or "new"
    known: tuple[str, ...]

    def said(self, lang: str) -> str | None:
        """The line that says which server was taken and why; None when the admin named it."""
        if self.why == "given":
            return None
        return t(f"server.{self.why}", lang, name=self.name, n=len(self.known), known=", ".join(self.known))


def known_servers(home: Path) -> list[dict]:
    from tui.state.store import list_servers

    return list_servers(home)


def no_state(name: str, known: list[str] | tuple[str, ...], lang: str) -> NoState:
    listed = ", ".join(known) if known else t("server.none_known", lang)
    return NoState(t("server.no_state", lang, name=name, known=listed))


def choose_server(home: str | Path | None, given: str | None, lang: str, *, must_exist: bool) -> ServerChoice:
    """The server to act on. Raises BadServerName for a name that cannot be a file, and NoState
    when ``must_exist`` and there is no state for it."""
    from tui.state.paths import default_server, koppel_home, safe_server_name

    rows = known_servers(koppel_home(home))
    known = tuple(row["server"] for row in rows)
    if given is not None:
        name = safe_server_name(given)
        if must_exist and name not in known:
            raise no_state(name, known, lang)
        return ServerChoice(name, "given", known)
    host = default_server()
    if host in known:
        return ServerChoice(host, "this_machine", known)
    if len(known) == 1:
        return ServerChoice(known[0], "only", known)
    if known:
        last = max(rows, key=lambda row: row["updated_at"] or _EPOCH)
        return ServerChoice(last["server"], "last_used", known)
    if must_exist:
        raise no_state(host, known, lang)
    return ServerChoice(host, "new", known)
