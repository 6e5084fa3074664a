"""The headless fast path (tui/headless/fast.py, issue 11): `koppel status` and `playbook show`
answered from plain JSON print byte for byte what the full road prints, for states of every kind,
and never from a stale cache. Real subprocesses of koppel: the first run takes the full road (and
fills the caches), the next is answered without pydantic - both outputs compared."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.test_scale_playbook import playbook_text
from tui.state.paths import default_server
from tui.state.session import Session, open_session

# runs koppel as `python -m tui` does, then says whether pydantic was ever imported
RUN = ("import sys, runpy\nsys.argv = ['koppel', *sys.argv[1:]]\n"
       "try:\n    runpy.run_module('tui', run_name='__main__')\n"
       "finally:\n    sys.stderr.write('pydantic=%s' % ('pydantic' in sys.modules))\n")


def koppel(env: dict[str, str], *args: str) -> tuple[int, bytes, bytes, bool]:
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, env=env, timeout=120)
    stderr, _, used = done.stderr.rpartition(b"pydantic=")
    return done.returncode, done.stdout, stderr, used == b"True"


def full_then_fast(env: dict[str, str], home: Path, *args: str) -> None:
    """The same command by both roads: the same exit code, stdout and stderr."""
    shutil.rmtree(home / "cache", ignore_errors=True)
    *full, full_pydantic = koppel(env, *args)
    *fast, fast_pydantic = koppel(env, *args)
    assert full_pydantic and not fast_pydantic, args  # the second run really took the fast road
    assert fast == full, args
    assert full[0] == 0 and full[1], full


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
    code, out, _, used_pydantic = koppel(subprocess_env, "status", "--server", "srv01", "--json")
    assert used_pydantic  # new bytes: the models judge them first
    assert json.loads(out)["steps"][0]["status"] == "skipped"
    custom = tmp_path / "custom.toml"
    custom.write_text(playbook_text(1), encoding="utf-8")
    koppel(subprocess_env, "playbook", "show", "--playbook", str(custom))
    custom.write_text(playbook_text(2), encoding="utf-8")
    code, out, _, used_pydantic = koppel(subprocess_env, "playbook", "show", "--playbook", str(custom), "--json")
    assert used_pydantic and len(json.loads(out)["sections"][0]["steps"]) == 2


def test_a_damaged_state_takes_the_full_road(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    seeded(lambda session: None)
    koppel(subprocess_env, "status", "--server", "srv01")  # remembers the good file
    path = koppel_home / "state" / "srv01.json"
    path.write_bytes(path.read_bytes()[:-20])
    code, out, err, used_pydantic = koppel(subprocess_env, "status", "--server", "srv01")
    assert used_pydantic and "beschadigd".encode() in err  # the full road says so (KOPPEL_LANG nl)
