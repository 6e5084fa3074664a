"""tui.state.store with real files, real locks and real (killed) subprocesses."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.state.model import SCHEMA_VERSION, ServerState, StepResult
from tui.state.paths import state_dir, who
from tui.state.atomic import REPLACE_ATTEMPTS, replace_retrying
from tui.state.migration import migrate
from tui.state.store import StateInUse, StateStore, list_servers, reset

SERVER = "av-srv01"
LOCK_LEFT = {f"{SERVER}.lock"}  # the lock file stays after release on POSIX; Windows removes it (filelock)
AT = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def realistic_state(server: str = SERVER, *, marker: str = "a", steps: int = 40) -> ServerState:
    """About what a finished run holds: 40 steps with answers, results and 200-line log tails."""
    state = ServerState(server=server, playbook_id="av638111", cursor=f"step{steps // 2}",
                        administraties=["Demo BV"], updated_at=AT, updated_by="beheerder@AV-SRV01")
    for index in range(steps):
        entry = state.step(f"section{index // 8}.step{index}@Demo BV")
        entry.status = "done" if index < steps * 2 // 3 else "todo"
        entry.answers = {"email": f"beheer{index}@example.nl", "pad": f"D:\\AccountView\\{marker}{index}",
                         "poort": 443, "lijst": ["a", "b"], "marker": marker}
        entry.updated_at, entry.by, entry.attempts = AT, "beheerder@AV-SRV01", 1
        entry.result = StepResult(status="ok", message="verbinding gelukt", evidence={"port": 443},
                                  duration_ms=120, at=AT)
        entry.log_tail = [f"12:00:{line % 60:02d} [{marker}] connect.visma.net:443 TLS ok, line {line}"
                          for line in range(200)]
    return state


def dumped(state: ServerState) -> bytes:
    return state.model_dump_json(indent=2).encode()


def store_for(home: Path, server: str = SERVER, **kwargs: object) -> StateStore:
    return StateStore(home, server, app_version="0.1.0", **kwargs)


def saved_twice(home: Path) -> tuple[bytes, bytes]:
    """A state saved twice (so there is a .bak); returns (bak bytes, file bytes)."""
    with store_for(home) as store:
        state = store.open()
        state.cursor = "first"
        store.save(state)
        first = store.path.read_bytes()
        state.cursor = "second"
        store.save(state)
        return first, store.path.read_bytes()


def names_in(home: Path) -> set[str]:
    return {path.name for path in state_dir(home).iterdir()}


# --- round trip, .bak -----------------------------------------------------------------------------


def test_round_trip_and_fresh_state(koppel_home: Path) -> None:
    store = store_for(koppel_home, "AV-SRV01")
    assert store.path == state_dir(koppel_home) / "av-srv01.json"
    assert not store.exists()
    fresh = store.open()
    assert fresh.server == SERVER and fresh.steps == {} and store.notices == []
    assert not store.exists()  # nothing is written until there is something to keep
    state = realistic_state()
    store.save(state)
    store.close()
    assert store.exists()
    with store_for(koppel_home, read_only=True) as reader:
        again = reader.open()
    assert again == state
    assert json.loads(store.path.read_text("utf-8"))["schema_version"] == SCHEMA_VERSION


def test_bak_is_always_the_previous_version(koppel_home: Path) -> None:
    first, second = saved_twice(koppel_home)
    folder = state_dir(koppel_home)
    assert (folder / f"{SERVER}.json.bak").read_bytes() == first
    with store_for(koppel_home) as store:
        state = store.open()
        state.cursor = "third"
        store.save(state)
        assert store.bak_path.read_bytes() == second
        assert b'"third"' in store.path.read_bytes()
    assert names_in(koppel_home) - LOCK_LEFT == {f"{SERVER}.json", f"{SERVER}.json.bak"}


def test_leftover_temp_files_of_this_server_only_are_removed(koppel_home: Path) -> None:
    folder = state_dir(koppel_home)
    mine = [f".{SERVER}.json.0123456789ab.tmp", f".{SERVER}.json.bak.0123456789ab.tmp",
            f".{SERVER}.lock.json.0123456789ab.tmp"]
    other = f".{SERVER}.json.x.json.0123456789ab.tmp"  # a save in progress of server "av-srv01.json.x"
    for name in [*mine, other]:
        (folder / name).write_text("half")
    with store_for(koppel_home) as store:
        store.open()
    assert not any((folder / name).exists() for name in mine)
    assert (folder / other).exists()


# --- damaged files ---------------------------------------------------------------------------------

DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: bytes(random.Random(7).randrange(256) for _ in range(500)),
    "empty": lambda good: b"",
    "array": lambda good: b"[1, 2, 3]",
    "no schema_version": lambda good: b'{"server": "av-srv01"}',
    "wrong schema": lambda good: json.dumps(
        {"schema_version": SCHEMA_VERSION, "server": SERVER, "steps": {"x": {"status": "gedaan"}}}
    ).encode(),
    "bad v0": lambda good: json.dumps({"schema_version": 0, "server": SERVER, "answers": {"noslash": 1}}).encode(),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_file_is_quarantined_and_bak_restored(koppel_home: Path, damage) -> None:
    first, second = saved_twice(koppel_home)
    store_path = state_dir(koppel_home) / f"{SERVER}.json"
    damaged = damage(second)
    store_path.write_bytes(damaged)
    with store_for(koppel_home) as store:
        state = store.open()
        assert state.cursor == "first" and not store.read_only
        [notice] = store.notices
    [corrupt] = [path for path in state_dir(koppel_home).iterdir() if ".corrupt-" in path.name]
    assert corrupt.read_bytes() == damaged
    assert corrupt.name.startswith(f"{SERVER}.json.corrupt-20") and corrupt.name.endswith("Z")
    assert corrupt.name in notice and f"{SERVER}.json.bak" in notice and "restored" in notice
    assert store_path.read_bytes() == first


def test_damaged_file_and_bak_give_a_fresh_state_and_keep_both(koppel_home: Path) -> None:
    saved_twice(koppel_home)
    folder = state_dir(koppel_home)
    (folder / f"{SERVER}.json").write_bytes(b"{")
    (folder / f"{SERVER}.json.bak").write_bytes(b"")
    with store_for(koppel_home) as store:
        state = store.open()
        [notice] = store.notices
    assert state.cursor is None and state.steps == {}
    corrupt = [name for name in names_in(koppel_home) if ".corrupt-" in name]
    assert {name.split(".corrupt-")[0] for name in corrupt} == {f"{SERVER}.json", f"{SERVER}.json.bak"}
    assert all(name in notice for name in corrupt) and "afresh" in notice


def test_damaged_file_without_bak_starts_afresh(koppel_home: Path) -> None:
    (state_dir(koppel_home) / f"{SERVER}.json").write_bytes(b"\xff\xfe garbage")
    with store_for(koppel_home) as store:
        assert store.open().steps == {}
        assert "not UTF-8" in store.notices[0] and "afresh" in store.notices[0]


def test_missing_file_is_restored_from_bak(koppel_home: Path) -> None:
    first, _ = saved_twice(koppel_home)
    (state_dir(koppel_home) / f"{SERVER}.json").unlink()
    with store_for(koppel_home) as store:
        assert store.open().cursor == "first"
        assert "missing" in store.notices[0] and ".bak" in store.notices[0]
        assert store.path.read_bytes() == first


def test_read_only_open_of_a_damaged_file_moves_nothing(koppel_home: Path) -> None:
    saved_twice(koppel_home)
    (state_dir(koppel_home) / f"{SERVER}.json").write_bytes(b"{broken")
    before = {path.name: path.read_bytes() for path in state_dir(koppel_home).iterdir()}
    with store_for(koppel_home, read_only=True) as store:
        assert store.open().cursor == "first"
        assert "showing the previous copy" in store.notices[0]
    assert {path.name: path.read_bytes() for path in state_dir(koppel_home).iterdir()} == before


def test_a_bom_from_notepad_is_no_damage(koppel_home: Path) -> None:
    _, second = saved_twice(koppel_home)
    (state_dir(koppel_home) / f"{SERVER}.json").write_bytes(b"\xef\xbb\xbf" + second)
    with store_for(koppel_home) as store:
        assert store.open().cursor == "second" and store.notices == []


# --- schema versions -----------------------------------------------------------------------------


@pytest.mark.parametrize("understood", [True, False], ids=["readable", "unreadable"])
def test_newer_schema_opens_read_only_and_is_never_written(koppel_home: Path, understood: bool) -> None:
    newer = {"schema_version": SCHEMA_VERSION + 1, "server": SERVER, "cursor": "x", "new_field": [1]}
    if not understood:
        newer["steps"] = ["a list where a dict was"]
    path = state_dir(koppel_home) / f"{SERVER}.json"
    path.write_bytes(json.dumps(newer).encode())
    original = path.read_bytes()
    store = store_for(koppel_home)
    state = store.open()
    assert store.read_only
    [notice] = store.notices
    assert f"schema {SCHEMA_VERSION + 1}" in notice and "read-only" in notice
    assert (state.cursor == "x") is understood
    state.cursor = "changed"
    store.save(state)
    store.schedule_save(state)
    store.flush()
    store.close()
    assert path.read_bytes() == original
    assert names_in(koppel_home) <= {f"{SERVER}.json", f"{SERVER}.lock"}  # no .bak, no quarantine
    assert list_servers(koppel_home)[0]["in_use_by"] is None  # a read-only look holds no lock


V0 = {
    "schema_version": 0,
    "server": SERVER,
    "current_step": "wizard.beheerder",
    "saved_at": "2024-11-02T09:30:00Z",
    "saved_by": "beheerder@AV-SRV01",
    "status": {"wizard.licentie": "done", "wizard.beheerder": "open", "onderneming.aanmaken@Demo BV": "skipped"},
    "answers": {"wizard.beheerder/email": "beheer@example.nl", "onderneming.aanmaken@Demo BV/code": "DEMO",
                "wizard.licentie/pad": "D:\\AV\\licentie.pdf"},
}


def test_migrate_v0_to_current() -> None:
    new = migrate(V0)
    assert new["schema_version"] == SCHEMA_VERSION and V0["schema_version"] == 0  # input untouched
    state = ServerState.model_validate(new)
    assert state.cursor == "wizard.beheerder"
    assert state.updated_by == "beheerder@AV-SRV01" and state.updated_at == datetime(2024, 11, 2, 9, 30, tzinfo=timezone.utc)
    assert {key: step.status for key, step in state.steps.items()} == {
        "wizard.licentie": "done", "wizard.beheerder": "todo", "onderneming.aanmaken@Demo BV": "skipped"}
    assert state.steps["wizard.beheerder"].answers == {"email": "beheer@example.nl"}
    assert state.steps["onderneming.aanmaken@Demo BV"].answers == {"code": "DEMO"}
    assert state.steps["wizard.licentie"].answers == {"pad": "D:\\AV\\licentie.pdf"}
    with pytest.raises(ValueError, match="no migration from schema -1"):
        migrate({"schema_version": -1})


def test_open_migrates_v0_saves_it_and_keeps_the_original(koppel_home: Path) -> None:
    path = state_dir(koppel_home) / f"{SERVER}.json"
    original = json.dumps(V0, indent=2).encode()
    path.write_bytes(original)
    with store_for(koppel_home) as store:
        state = store.open()
        [notice] = store.notices
    assert state.cursor == "wizard.beheerder" and state.steps["wizard.licentie"].status == "done"
    assert "schema 0" in notice and f"{SERVER}.json.schema-0" in notice
    assert (path.parent / f"{SERVER}.json.schema-0").read_bytes() == original
    assert json.loads(path.read_bytes())["schema_version"] == SCHEMA_VERSION
    with store_for(koppel_home) as again:
        assert again.open().cursor == "wizard.beheerder" and again.notices == []


# --- the lock --------------------------------------------------------------------------------------


def test_second_open_in_this_process_is_refused(koppel_home: Path) -> None:
    with store_for(koppel_home) as first:
        first.open()
        started = datetime.now(timezone.utc)
        with pytest.raises(StateInUse) as caught:
            store_for(koppel_home, "AV-SRV01").open()
        error = caught.value
        assert (error.owner, error.pid) == (who(), os.getpid())
        assert abs(error.since - started) < timedelta(seconds=5)
        assert str(error).startswith(f"state of server {SERVER} is in use by {who()}, pid {os.getpid()}, since 20")
        with store_for(koppel_home, read_only=True) as reader:
            assert reader.open().server == SERVER  # a look is always possible
        with pytest.raises(StateInUse):
            reset(koppel_home, SERVER)
        other = store_for(koppel_home, "av-srv02")
        other.open()  # another server is not affected
        other.close()
    with store_for(koppel_home) as second:
        second.open()
    assert not (state_dir(koppel_home) / f"{SERVER}.lock.json").exists()


def test_holder_without_owner_info_is_still_reported(koppel_home: Path) -> None:
    """A koppel that took the lock but died before (or is just about to be) writing its .lock.json."""
    from filelock import FileLock

    lock_path = state_dir(koppel_home) / f"{SERVER}.lock"
    with FileLock(lock_path):
        taken = datetime.fromtimestamp(lock_path.stat().st_mtime, timezone.utc)
        with pytest.raises(StateInUse) as caught:
            store_for(koppel_home).open()
    assert (caught.value.owner, caught.value.pid, caught.value.since) == (None, None, taken)
    assert "pid" not in str(caught.value) and "no owner information" in str(caught.value)


HOLDER = """
import sys
from pathlib import Path
from tui.state.store import StateStore
store = StateStore(Path(sys.argv[1]), sys.argv[2], app_version="test")
state = store.open()
state.cursor = "held"
store.save(state)
print("locked", flush=True)
sys.stdin.read()
"""


def test_lock_of_another_process_refuses_and_dies_with_it(koppel_home: Path, subprocess_env: dict) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(koppel_home), SERVER], env=subprocess_env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StateInUse) as caught:
            store_for(koppel_home).open()
        assert (caught.value.owner, caught.value.pid) == (who(), holder.pid)
        [summary] = list_servers(koppel_home)
        assert summary["in_use_by"] == f"{who()}, pid {holder.pid}"
        with store_for(koppel_home, read_only=True) as reader:
            assert reader.open().cursor == "held"
    finally:
        holder.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no cleanup code runs
        holder.wait(timeout=10)
    assert (state_dir(koppel_home) / f"{SERVER}.lock.json").exists()  # the dead owner's info stays...
    assert list_servers(koppel_home)[0]["in_use_by"] is None  # ...but does not count
    with store_for(koppel_home) as store:
        assert store.open().cursor == "held" and store.notices == []


def test_reset_removes_state_and_bak_but_keeps_quarantined_copies(koppel_home: Path) -> None:
    saved_twice(koppel_home)
    folder = state_dir(koppel_home)
    (folder / f"{SERVER}.json.corrupt-20250101T000000Z").write_text("{")
    assert reset(koppel_home, "AV-SRV01") == [f"{SERVER}.json", f"{SERVER}.json.bak"]
    assert names_in(koppel_home) - LOCK_LEFT == {f"{SERVER}.json.corrupt-20250101T000000Z"}
    assert reset(koppel_home, SERVER) == []


def test_list_servers(koppel_home: Path) -> None:
    with store_for(koppel_home, "av-srv02") as store:
        state = store.open()
        state.step("a").status = "done"
        state.step("b").status = "done"
        state.step("c").status = "failed"
        state.updated_by = "beheerder@AV-SRV02"
        store.save(state)
    folder = state_dir(koppel_home)
    (folder / "kapot.json").write_text("[")
    (folder / "Upper.json").write_text("{}")  # not a name koppel writes
    with store_for(koppel_home) as held:
        held.save(held.open())
        summaries = list_servers(koppel_home, count=lambda state: sorted(step.status for step in state.steps.values()))
    assert [summary["server"] for summary in summaries] == [SERVER, "av-srv02", "kapot"]
    mine, other, broken = summaries
    assert mine["in_use_by"] == f"{who()}, pid {os.getpid()}" and mine["count"] == []
    assert other["count"] == ["done", "done", "failed"]  # the caller's count of the state (it has the playbook)
    assert other["updated_by"] == "beheerder@AV-SRV02" and other["in_use_by"] is None
    assert broken["problem"].startswith("not valid JSON") and broken["in_use_by"] is None and broken["count"] is None
    assert "count" not in list_servers(koppel_home)[0]


# --- saving: crashes, coalescing, retries --------------------------------------------------------

SAVER = """
import sys
from pathlib import Path
from tui.state.model import ServerState
from tui.state.store import StateStore
home, server, a, b = sys.argv[1:]
states = [ServerState.model_validate_json(Path(a).read_bytes()), ServerState.model_validate_json(Path(b).read_bytes())]
store = StateStore(Path(home), server, app_version=states[0].app_version)
store.open()
store.save(states[0]); store.save(states[1])
print("saving", flush=True)
while True:
    store.save(states[0]); store.save(states[1])
"""


@pytest.mark.skipif(os.name == "nt", reason="checks the POSIX rename guarantee; MoveFileEx is not documented atomic")
def test_sigkill_while_saving_never_leaves_a_torn_file(
    koppel_home: Path, subprocess_env: dict, tmp_path: Path
) -> None:
    contents = [realistic_state(marker=marker) for marker in "ab"]
    for state in contents:
        state.app_version = "0.1.0"
    expected = {dumped(state) for state in contents}
    for name, state in zip("ab", contents):
        (tmp_path / name).write_bytes(dumped(state))
    rounds, parallel, kills, mid_write = 5, 5, 0, 0
    chance = random.Random()
    for round_ in range(rounds):
        servers = [f"srv{round_}-{index}" for index in range(parallel)]
        savers = [subprocess.Popen([sys.executable, "-c", SAVER, str(koppel_home), server, str(tmp_path / "a"),
                                    str(tmp_path / "b")], env=subprocess_env, stdout=subprocess.PIPE, text=True)
                  for server in servers]
        try:
            for saver in savers:
                assert saver.stdout.readline().strip() == "saving"
            for saver in savers:
                time.sleep(chance.uniform(0, 0.02))
                os.kill(saver.pid, signal.SIGKILL)
        finally:
            for saver in savers:
                saver.kill()
                saver.wait(timeout=10)
                saver.stdout.close()
        for saver, server in zip(savers, servers):
            assert saver.returncode == -signal.SIGKILL
            kills += 1
            folder = state_dir(koppel_home)
            mid_write += any(name.startswith(f".{server}.") for name in os.listdir(folder))
            assert (folder / f"{server}.json").read_bytes() in expected
            assert (folder / f"{server}.json.bak").read_bytes() in expected
            with store_for(koppel_home, server) as store:  # the dead saver's lock is gone
                assert dumped(store.open().model_copy(update={"server": SERVER})) in expected
                assert store.notices == []
    assert kills == rounds * parallel
    print(f"{kills} kills, {mid_write} left a temp file (killed mid-write)")


class CountingStore(StateStore):
    SAVE_DELAY = 0.2

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.writes = 0

    def _write(self, data: bytes) -> None:
        self.writes += 1
        super()._write(data)


def wait_for(condition, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_thousand_scheduled_saves_coalesce(koppel_home: Path) -> None:
    store = CountingStore(koppel_home, SERVER, app_version="0.1.0")
    state = store.open()
    started = time.monotonic()
    for index in range(1000):
        state.cursor = f"step{index}"
        store.schedule_save(state)
    spent = time.monotonic() - started
    assert spent < 0.1 and store.writes == 0  # cheap: no I/O per call
    wait_for(lambda: store.writes >= 1)
    written_after = time.monotonic() - started
    time.sleep(store.SAVE_DELAY + 0.1)
    assert store.writes == 1, store.writes
    assert store.SAVE_DELAY <= written_after < store.SAVE_DELAY + 0.5
    assert json.loads(store.path.read_bytes())["cursor"] == "step999"
    store.close()
    assert store.writes == 1  # nothing pending any more
    print(f"1000 schedule_save calls in {spent * 1000:.1f} ms -> {store.writes} write(s)")


def test_steady_typing_is_saved_at_most_save_delay_behind(koppel_home: Path) -> None:
    with CountingStore(koppel_home, SERVER, app_version="0.1.0") as store:
        state = store.open()
        end = time.monotonic() + 3 * store.SAVE_DELAY + 0.1
        while time.monotonic() < end:  # a change every 10 ms never postpones the save
            state.cursor = str(time.monotonic())
            store.schedule_save(state)
            time.sleep(0.01)
        assert 2 <= store.writes <= 5


def test_flush_writes_now_and_close_writes_what_is_pending(koppel_home: Path) -> None:
    store = CountingStore(koppel_home, SERVER, app_version="0.1.0")
    state = store.open()
    state.cursor = "flushed"
    store.schedule_save(state)
    store.flush()
    assert store.writes == 1 and json.loads(store.path.read_bytes())["cursor"] == "flushed"
    time.sleep(store.SAVE_DELAY + 0.1)
    assert store.writes == 1  # the flush took the pending save
    store.flush()
    assert store.writes == 1
    state.cursor = "closed"
    store.schedule_save(state)
    store.close()
    assert store.writes == 2 and json.loads(store.path.read_bytes())["cursor"] == "closed"
    with pytest.raises(RuntimeError, match="not open"):
        store.save(state)
    with pytest.raises(RuntimeError, match="not open"):
        store_for(koppel_home).schedule_save(state)  # never written without the lock
    with store_for(koppel_home) as again:  # the lock was released
        assert again.open().cursor == "closed"


def test_snapshot_is_taken_under_the_mutex(koppel_home: Path) -> None:
    with CountingStore(koppel_home, SERVER, app_version="0.1.0") as store:
        state = store.open()
        with store.mutex:  # a change in two parts: the saver must not write between them
            state.cursor = "half"
            store.schedule_save(state)
            time.sleep(store.SAVE_DELAY + 0.1)
            assert store.writes == 0 and not store.exists()
            state.lang = "en"
            store.flush()  # allowed while holding the mutex: the waiting saver holds nothing flush needs
            assert store.writes == 1
            state.cursor = "whole"
            store.schedule_save(state)
            time.sleep(store.SAVE_DELAY + 0.1)  # the saver waits for the mutex again...
            store.close()  # ...and close() does not wait for the saver
            assert store.writes == 2
        time.sleep(0.05)
        assert store.writes == 2  # the saver found nothing left to write
        saved = json.loads(store.path.read_bytes())
        assert (saved["cursor"], saved["lang"]) == ("whole", "en")


def test_background_save_failure_is_reported_and_retried(koppel_home: Path) -> None:
    store = CountingStore(koppel_home, SERVER, app_version="0.1.0")
    state = store.open()
    held_lock = store.lock.path
    parked = store.folder.with_name("state-away")
    store.folder.rename(parked)  # the folder disappears (e.g. a share went away)
    try:
        state.cursor = "kept"
        store.schedule_save(state)
        wait_for(lambda: store.save_error is not None)
        assert store.save_error.startswith(f"could not save {SERVER}.json")
    finally:
        parked.rename(store.folder)
    wait_for(lambda: store.save_error is None)
    assert json.loads(store.path.read_bytes())["cursor"] == "kept"
    assert held_lock.exists()
    store.close()


def test_replace_rides_out_a_windows_sharing_violation(tmp_path: Path) -> None:
    """Recorded Windows behaviour: a scanner holding the target makes MoveFileEx fail with
    PermissionError (WinError 32) for a moment; here the real os.replace follows two refusals."""
    src, dst = tmp_path / "new", tmp_path / "target"
    src.write_text("new")
    dst.write_text("old")
    calls = []

    def held_twice(a: Path, b: Path) -> None:
        calls.append(a)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        os.replace(a, b)

    replace_retrying(src, dst, replace=held_twice)
    assert dst.read_text() == "new" and len(calls) == 3

    def always_held(a: Path, b: Path) -> None:
        calls.append(a)
        raise PermissionError(13, "Access is denied")

    calls.clear()
    src.write_text("newer")
    with pytest.raises(PermissionError):
        replace_retrying(src, dst, replace=always_held, attempts=3)
    assert len(calls) == 3 and dst.read_text() == "new"
    assert REPLACE_ATTEMPTS >= 5


def test_save_of_a_realistic_state_is_fast(koppel_home: Path) -> None:
    state = realistic_state()
    with store_for(koppel_home) as store:
        store.open()
        timings = []
        for _ in range(10):
            started = time.perf_counter()
            store.save(state)
            timings.append(time.perf_counter() - started)
        size = store.path.stat().st_size
    timings.sort()
    print(f"save of {size // 1024} KiB: median {timings[5] * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms")
    assert timings[5] < 0.5  # generous: a slow CI disk, not a benchmark


def test_threads_scheduling_concurrently_lose_nothing(koppel_home: Path) -> None:
    with CountingStore(koppel_home, SERVER, app_version="0.1.0") as store:
        state = store.open()

        def typist(key: str) -> None:
            for index in range(200):
                with store.mutex:
                    state.step(key).draft = {"n": index}
                store.schedule_save(state)

        typists = [threading.Thread(target=typist, args=(f"k{n}",)) for n in range(4)]
        for thread in typists:
            thread.start()
        for thread in typists:
            thread.join()
    saved = json.loads(store.path.read_bytes())
    assert {key: step["draft"] for key, step in saved["steps"].items()} == {f"k{n}": {"n": 199} for n in range(4)}
