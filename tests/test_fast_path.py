"""The headless fast path (tui/headless/fast.py, issue 11): `koppel status` and `playbook show`
answered from plain JSON print byte for byte what the full road prints, for states of every kind,
and never from a stale cache. Real subprocesses of koppel: the first run takes the full road (and
fills the caches), the next is answered without pydantic - both outputs compared."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.test_scale_playbook import playbook_text
from tui import __version__
from tui.state.paths import default_server
from tui.state.session import Session, open_session

# what a fast command must never load (issue 11: each costs more than the command's own work):
# pydantic, and the modules the fast road was cut free of (dataclasses pulls inspect, hashlib
# OpenSSL, shutil bz2 and lzma, filelock asyncio-era machinery, tui.secrets traceback and threading)
# socket too where the kernel says the host name (uname); Windows has no uname: "this machine" asks socket there
HEAVY = ("pydantic", "dataclasses", *(("socket",) if hasattr(os, "uname") else ()), "hashlib", "secrets", "shutil",
         "filelock", "tui.secrets", "markdown_it")

# runs koppel as `python -m tui` does, then says which of HEAVY were ever imported
RUN = ("import sys, runpy\nsys.argv = ['koppel', *sys.argv[1:]]\n"
       "try:\n    runpy.run_module('tui', run_name='__main__')\n"
       f"finally:\n    sys.stderr.write('heavy=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n")


def koppel(env: dict[str, str], *args: str) -> tuple[int, bytes, bytes, set[str]]:
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, env=env, timeout=120)
    stderr, _, heavy = done.stderr.rpartition(b"heavy=")
    return done.returncode, done.stdout, stderr, set(filter(None, heavy.decode().split(",")))


def full_then_fast(env: dict[str, str], home: Path, *args: str) -> None:
    """The same command by both roads: the same exit code, stdout and stderr."""
    shutil.rmtree(home / "cache", ignore_errors=True)
    *full, full_heavy = koppel(env, *args)
    *fast, fast_heavy = koppel(env, *args)
    assert "pydantic" in full_heavy and not fast_heavy, (args, fast_heavy)  # the second run really took the fast road
    assert fast == full, args
    assert full[0] == 0 and full[1], full


def test_version_loads_nothing_of_koppel(subprocess_env: dict[str, str]) -> None:
    code = ("import runpy, sys\nsys.argv = ['koppel', '--version']\ntry:\n    runpy.run_module('tui', run_name='__main__')\n"
            "finally:\n    sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('tui') or m == 'argparse')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"koppel {__version__}\n", "tui")


def seeded(change: Callable[[Session], None], server: str = "srv01", **kwargs: object) -> None:
    session = open_session(server=server, **kwargs)
    change(session)
    session._changed()
    session.close()


def mixed(session: Session) -> None:
    """Done, skipped, confirmed by hand, flagged, failed, running (read back as interrupted),
    administraties, the admin's language and who did it."""
    session.state.administraties = ["Demo BV", "Test & Co"]
    session.state.lang = "en"
    refs = session.refs()
    statuses = ["done", "done", "skipped", "confirmed", "failed", "running", "done"]
    for ref, status in zip(refs, statuses):
        entry = session.state.step(ref.key)
        entry.status = status
        session._stamp(entry)
    session.state.step(refs[0].key).check_since = "fail"
    session.state.step(refs[5].key).before_run = "done"
    scoped = next(ref for ref in refs if ref.administratie)
    session.state.step(scoped.key).status = "done"


def all_closed(session: Session) -> None:
    for ref in session.refs():
        session.state.step(ref.key).status = "done"


STATES: dict[str, Callable[[Session], None]] = {"new": lambda session: None, "mixed": mixed, "all closed": all_closed}


@pytest.mark.parametrize("name", STATES)
@pytest.mark.parametrize("extra", [(), ("--json",), ("--lang", "en")], ids=["text", "json", "en"])
def test_status_is_the_same_by_both_roads(name: str, extra: tuple[str, ...], koppel_home: Path,
                                          subprocess_env: dict[str, str]) -> None:
    seeded(STATES[name])
    full_then_fast(subprocess_env, koppel_home, "status", "--server", "srv01", *extra)


def test_status_of_this_machine_says_so_alike(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    seeded(mixed, server=default_server())
    seeded(mixed, server="other")  # another server known besides: this machine's own still wins
    full_then_fast(subprocess_env, koppel_home, "status")


def test_status_with_a_custom_playbook_and_playbook_show(koppel_home: Path, tmp_path: Path,
                                                         subprocess_env: dict[str, str]) -> None:
    custom = tmp_path / "custom.toml"
    custom.write_text(playbook_text(3), encoding="utf-8")
    seeded(lambda session: setattr(session.state.step("s0.stap0"), "status", "done"), playbook_path=custom)
    full_then_fast(subprocess_env, koppel_home, "status", "--server", "srv01", "--playbook", str(custom))
    for extra in ((), ("--json",), ("--lang", "en")):
        full_then_fast(subprocess_env, koppel_home, "playbook", "show", *extra)
        full_then_fast(subprocess_env, koppel_home, "playbook", "show", "--playbook", str(custom), *extra)


def test_a_changed_state_or_playbook_is_never_read_from_the_cache(koppel_home: Path, tmp_path: Path,
                                                                  subprocess_env: dict[str, str]) -> None:
    seeded(lambda session: None)
    full_then_fast(subprocess_env, koppel_home, "status", "--server", "srv01", "--json")
    seeded(lambda session: setattr(session.state.step(session.refs()[0].key), "status", "skipped"))
    code, out, _, heavy = koppel(subprocess_env, "status", "--server", "srv01", "--json")
    assert "pydantic" in heavy  # new bytes: the models judge them first
    assert json.loads(out)["steps"][0]["status"] == "skipped"
    custom = tmp_path / "custom.toml"
    custom.write_text(playbook_text(1), encoding="utf-8")
    koppel(subprocess_env, "playbook", "show", "--playbook", str(custom))
    custom.write_text(playbook_text(2), encoding="utf-8")
    code, out, _, heavy = koppel(subprocess_env, "playbook", "show", "--playbook", str(custom), "--json")
    assert "pydantic" in heavy and len(json.loads(out)["sections"][0]["steps"]) == 2


def test_a_damaged_state_takes_the_full_road(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    seeded(lambda session: None)
    koppel(subprocess_env, "status", "--server", "srv01")  # remembers the good file
    path = koppel_home / "state" / "srv01.json"
    path.write_bytes(path.read_bytes()[:-20])
    code, out, err, heavy = koppel(subprocess_env, "status", "--server", "srv01")
    assert "pydantic" in heavy and "beschadigd".encode() in err  # the full road says so (KOPPEL_LANG nl)


@pytest.mark.parametrize("extra", [(), ("--json",), ("--lang", "en")], ids=["text", "json", "en"])
def test_servers_is_the_same_by_both_roads(extra: tuple[str, ...], koppel_home: Path,
                                           subprocess_env: dict[str, str]) -> None:
    seeded(mixed)
    seeded(all_closed, server="av-srv02")
    seeded(lambda session: None, server="nieuw")
    damaged = koppel_home / "state" / "kapot.json"
    damaged.write_text("{not json", encoding="utf-8")  # its problem is said alike (the models say it)
    for listing in ("with a damaged file", "without"):
        shutil.rmtree(koppel_home / "cache", ignore_errors=True)
        *full, full_heavy = koppel(subprocess_env, "servers", *extra)
        koppel(subprocess_env, "servers", *extra)  # the models judge each state once and remember it
        *fast, fast_heavy = koppel(subprocess_env, "servers", *extra)
        assert "pydantic" in full_heavy and fast == full and full[0] == 0 and b"av-srv02" in full[1], (listing, full)
        assert (b"kapot" in full[1]) == (listing != "without")
        damaged.unlink(missing_ok=True)
    # filelock probes each server's lock, with its own dataclasses, hashlib and secrets
    assert not fast_heavy - {"filelock", "dataclasses", "hashlib", "secrets"}, fast_heavy
    (koppel_home / "state" / "nieuw.json").write_bytes((koppel_home / "state" / "srv01.json").read_bytes())
    *changed, changed_heavy = koppel(subprocess_env, "servers", *extra)  # new bytes: the models read them
    assert "pydantic" in changed_heavy and changed[1] != full[1]


def test_the_app_and_the_full_road_read_the_playbook_from_its_copy(koppel_home: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """open_session (the app, check, report...) parses a playbook's TOML once; after that its
    validated copy gives the same model, until the file changes or the copy is damaged."""
    from tui.playbook import loader

    parsed: list[str] = []
    real_parse = loader.parse_toml
    monkeypatch.setattr(loader, "parse_toml", lambda document: parsed.append(document) or real_parse(document))
    custom = tmp_path / "custom.toml"
    custom.write_text(playbook_text(3), encoding="utf-8")

    def opened() -> object:
        session = open_session(server="srv01", playbook_path=custom)
        session.close()
        return session.playbook

    first, second = opened(), opened()
    assert len(parsed) == 1 and second == first == loader.load_playbook(custom)  # the copy gave the second
    parsed.clear()
    custom.write_text(playbook_text(4), encoding="utf-8")
    changed = opened()
    assert len(parsed) == 1 and changed != first and changed == loader.load_playbook(custom)
    for copy in (koppel_home / "cache").glob("playbook-*.json"):
        copy.write_text("{damaged", encoding="utf-8")
    parsed.clear()
    assert opened() == changed and len(parsed) == 1  # a damaged copy: the TOML again
    for _ in range(2):  # the built-in one alike
        session = open_session(server="srv02")
        session.close()
        assert session.playbook == loader.load_builtin()
