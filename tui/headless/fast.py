"""`koppel status` and `koppel playbook show` without pydantic: the same command bodies, fed a
playbook and a state read as plain JSON (issue 11: tens of milliseconds, not a second).

Never stale: the playbook's plain copy is keyed on the hash of the TOML file's bytes (and koppel's
version), and a state file is read this way only when its exact bytes (by hash) were accepted by
the models before. Anything else - a first run, a changed or damaged file, an older schema, a server
chosen among several, an unreadable cache - takes the full road, which prints as it always did and
leaves the caches for the next time. The caches live in koppel's home (``cache/``); a home that
cannot be written only means no cache.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tui.limits import PLAYBOOK_FILE_MAX_BYTES, STATE_FILE_MAX_BYTES
from tui.state.playbook_copy import CACHE, copy_path
from tui.state.playbook_copy import digest as _digest
from tui.state.playbook_copy import keep as _keep
from tui.state.playbook_copy import read_file as _read


def run(args: argparse.Namespace) -> int | None:
    """The command's exit code, or None: take the full road (the caches are filled for next time)."""
    try:
        if args.command == "status":
            return _status(args)
        if args.command == "playbook" and args.playbook_command == "show":
            return _playbook_show(args)
        if args.command == "servers":
            return _servers(args)
    except (OSError, ValueError):  # a cache or file that cannot be read this way: the full road says it
        return None
    return None


def _status(args: argparse.Namespace) -> int | None:
    from tui.headless.state_commands import show_status
    from tui.server_choice import ServerChoice
    from tui.state.paths import default_server, safe_server_name, state_dir
    from tui.state.raw import read_state
    from tui.state.language import default_lang
    from tui.state.session import Session

    playbook = _playbook(args)  # on a miss, still on: both caches are filled by this one full run
    home = _home(args)
    if args.server is not None:
        choice = ServerChoice(safe_server_name(args.server), "given", ())
    else:  # this machine's own state; choosing among the others reads them all: the full road
        choice = ServerChoice(default_server(), "this_machine", ())
    raw = _read(state_dir(home, create=False) / f"{choice.name}.json", STATE_FILE_MAX_BYTES)
    if raw is None or not _accepted_before(home, choice.name, raw) or playbook is None:
        return None
    state = read_state(raw, choice.name)
    if said := choice.said(default_lang(args.lang)):
        print(f"koppel: {said}", file=sys.stderr)
    if not state.playbook_id:
        state.playbook_id = playbook.id
    return show_status(Session(playbook, state, lang=default_lang(args.lang or state.lang)), args.json)


def _playbook_show(args: argparse.Namespace) -> int | None:
    from tui.headless.playbook_commands import show_playbook
    from tui.state.language import default_lang

    playbook = _playbook(args)
    return None if playbook is None else show_playbook(playbook, default_lang(args.lang), args.json)


def _servers(args: argparse.Namespace) -> int | None:
    """Every server's row as the full road lists it; each state accepted before is read as plain
    JSON, any other through the models (which remember it when they accept it)."""
    from tui.headless.state_commands import show_servers
    from tui.state.language import default_lang
    from tui.state.listing import list_servers
    from tui.state.session import Session

    playbook = _playbook(args)
    if playbook is None:
        return None
    home, lang = _home(args), default_lang(args.lang)
    rows = list_servers(home, count=lambda state: Session(playbook, state, None, lang=lang).count(), lang=lang,
                        decode=lambda raw, server: _decoded(home, server, raw))
    return show_servers(rows, lang, args.json)


def _decoded(home: Path, server: str, raw: bytes) -> tuple[Any, int]:
    """What tui.state.migration.decode gives for ``raw`` (its Unusable raised alike): read as plain
    JSON when these exact bytes were accepted before, else by the models."""
    from tui.state.raw import read_state
    from tui.state.schema import SCHEMA_VERSION

    memo = home / CACHE / f"state-{server}.sha256"
    digest = _digest(raw)
    try:
        if memo.read_text(encoding="ascii") == digest:
            return read_state(raw, server), SCHEMA_VERSION
    except OSError:
        pass
    from tui.state.migration import decode

    state, version = decode(raw)
    if state is not None and version == SCHEMA_VERSION:
        _keep(memo, digest.encode("ascii"))
    return state, version


# -- the caches ----------------------------------------------------------------------------------
def _home(args: argparse.Namespace) -> Path:
    from tui.state.paths import koppel_home

    return koppel_home(args.home)


def _playbook(args: argparse.Namespace) -> Any | None:
    """The playbook's plain copy; on a miss the models load it (a broken playbook: None, and the
    full road says why) and leave the copy for the next command."""
    from tui.playbook.plain import plain_playbook
    from tui.playbooks import builtin_playbook_path

    source = Path(args.playbook) if args.playbook else builtin_playbook_path()
    data = _read(source, PLAYBOOK_FILE_MAX_BYTES)
    if data is None:
        return None
    cached = copy_path(_home(args), data)
    try:
        return plain_playbook(json.loads(cached.read_bytes()))
    except (OSError, ValueError):
        pass
    from tui.playbook.loader import PlaybookError, load_playbook

    try:
        playbook = load_playbook(source)
    except PlaybookError:
        return None
    _keep(cached, playbook.model_dump_json().encode())
    return None


def _accepted_before(home: Path, server: str, raw: bytes) -> bool:
    """Whether these exact bytes were accepted by the models at the current schema; on a miss the
    models judge them now, and a file they accept is remembered (by hash) for the next command."""
    memo = home / CACHE / f"state-{server}.sha256"
    digest = _digest(raw)
    try:
        if memo.read_text(encoding="ascii") == digest:
            return True
    except OSError:
        pass
    from tui.state.migration import Unusable, decode
    from tui.state.schema import SCHEMA_VERSION

    try:
        state, version = decode(raw)
    except Unusable:
        return False
    if state is not None and version == SCHEMA_VERSION:
        _keep(memo, digest.encode("ascii"))
    return False
