"""State that tried to lock a server out (issue 9 items 8 and 12): each fault by name, run as the
admin runs koppel (a real process) on real files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from filelock import FileLock

from tests.test_robustness import POSIX_ONLY, launcher_for_modes, run
from tui.state.model import ServerState
from tui.state.session import open_session

SERVER = "srv"


def state_folder(home: Path) -> Path:
    folder = home / "state"
    folder.mkdir(exist_ok=True)
    return folder


def good_state(home: Path, server: str = SERVER, cursor: str = "wizard.licentie") -> bytes:
    data = ServerState(server=server, cursor=cursor).model_dump_json(indent=2).encode()
    (state_folder(home) / f"{server}.json").write_bytes(data)
    return data


def damaged_with_a_good_bak(home: Path, damage: bytes) -> None:
    good_state(home)
    folder = state_folder(home)
    os.replace(folder / f"{SERVER}.json", folder / f"{SERVER}.json.bak")
    (folder / f"{SERVER}.json").write_bytes(damage)


DAMAGE = {
    "nested_200k_brackets": b"[" * 200_000,
    "nested_200k_objects": b'{"a":' * 200_000,
    "integer_of_5000_digits": b'{"schema_version": 1, "server": "srv", "n": ' + b"9" * 5000 + b"}",
    "nested_40_deep_inside_a_valid_state": b'{"schema_version": 1, "server": "srv", "extra": '
                                           + b"[" * 40 + b"]" * 40 + b"}",
}


@pytest.mark.parametrize("damage", DAMAGE, ids=str)
def test_state_file_that_cannot_be_loaded_is_quarantined_and_bak_restored(
    damage: str, koppel_home: Path, subprocess_env: dict[str, str]
) -> None:
    damaged_with_a_good_bak(koppel_home, DAMAGE[damage])
    for command in (["status", "--json"], ["answers", "export"]):  # both only look: nothing moved yet
        done = run([*command, "--server", SERVER], subprocess_env)
        assert done.returncode == 0, done.stderr
        assert "beschadigd" in done.stderr and len(done.stderr) < 1000  # in the admin's language (KOPPEL_LANG=nl)
    session = open_session(koppel_home, SERVER)  # the app's road, taking the lock
    try:
        assert session.state.cursor == "wizard.licentie"
        assert any("opzijgezet" in notice for notice in session.store.notices)
    finally:
        session.close()
    assert list(state_folder(koppel_home).glob(f"{SERVER}.json.corrupt-*"))


def test_one_bad_server_never_breaks_the_listing_of_the_others(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    good_state(koppel_home, "good")
    folder = state_folder(koppel_home)
    (folder / "deep.json").write_bytes(DAMAGE["nested_200k_brackets"])
    (folder / "digits.json").write_bytes(DAMAGE["integer_of_5000_digits"])
    (folder / "folder.json").mkdir()
    listed = run(["servers", "--json"], subprocess_env)
    assert listed.returncode == 0, listed.stderr
    rows = {row["server"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {"good", "deep", "digits", "folder"}
    assert rows["good"]["problem"] is None and rows["good"]["cursor"] == "wizard.licentie"
    assert all(rows[name]["problem"] for name in ("deep", "digits", "folder"))
    plain = run(["servers", "--lang", "en"], subprocess_env)
    assert plain.returncode == 0 and "good" in plain.stdout and "nested" in plain.stdout


@POSIX_ONLY
def test_servers_on_a_read_only_home(koppel_home: Path, subprocess_env: dict[str, str], writable_again: list[Path]) -> None:
    bind = launcher_for_modes()
    good_state(koppel_home)
    (state_folder(koppel_home) / f"{SERVER}.lock").touch()  # a koppel ran here before
    for path in (state_folder(koppel_home) / f"{SERVER}.lock", state_folder(koppel_home), koppel_home):
        path.chmod(0o555)
        writable_again.append(path)
    listed = run(["servers", "--json"], subprocess_env, prefix=bind)
    assert listed.returncode == 0, listed.stderr
    assert [row["server"] for row in json.loads(listed.stdout)] == [SERVER]


@POSIX_ONLY
def test_servers_on_a_read_only_home_without_a_state_folder(
    tmp_path: Path, subprocess_env: dict[str, str], writable_again: list[Path]
) -> None:
    home = tmp_path / "empty-home"
    home.mkdir(mode=0o555)
    writable_again.append(home)
    listed = run(["servers"], subprocess_env, prefix=launcher_for_modes(), home=home)
    assert listed.returncode == 0 and listed.stdout.strip() == "nog geen servers", listed.stderr


def test_servers_when_a_lock_is_a_folder(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    good_state(koppel_home)
    good_state(koppel_home, "other")
    (state_folder(koppel_home) / f"{SERVER}.lock").mkdir()
    listed = run(["servers", "--json"], subprocess_env)
    assert listed.returncode == 0, listed.stderr
    rows = {row["server"]: row for row in json.loads(listed.stdout)}
    assert "not a file" in rows[SERVER]["in_use_by"] and rows["other"]["in_use_by"] is None


def test_migration_temp_left_by_a_kill_is_cleaned(koppel_home: Path) -> None:
    good_state(koppel_home)
    leftover = state_folder(koppel_home) / f".{SERVER}.json.schema-0.0123456789ab.tmp"
    leftover.write_bytes(b"{half a copy")
    other = state_folder(koppel_home) / ".srv.json.json.0123456789ab.tmp"  # server "srv.json"'s, not ours
    other.write_bytes(b"{")
    session = open_session(koppel_home, SERVER)
    session.close()
    assert not leftover.exists() and other.exists()


def test_foreign_lock_holder_is_not_an_unknown_user_pid_0(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    good_state(koppel_home)
    with FileLock(state_folder(koppel_home) / f"{SERVER}.lock"):  # held, but no .lock.json: not a koppel
        done = run(["answers", "export", "--server", SERVER], subprocess_env)
        imported = run(["reset", "--yes", "--server", SERVER], subprocess_env)
    assert imported.returncode == 3, imported.stderr
    assert "pid 0" not in imported.stderr and "unknown user" not in imported.stderr
    assert "niet zegt wie het is" in imported.stderr  # "left no owner information", in the admin's language
    assert done.returncode in (0, 2)  # export only reads


async def test_a_save_cancelled_while_it_waits_for_a_thread_still_settles_and_quitting_does_not_hang(
        koppel_home: Path) -> None:
    """Was (the walker's long run, seed 209): a check cancelled as it started cancelled its mark's
    write while the write waited for a worker thread; the snapshot was numbered but never written,
    and the flush at quit waited for it for ever, holding the lock."""
    import asyncio
    import threading
    from concurrent.futures import ThreadPoolExecutor

    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=1))  # one thread, kept busy below
    session = open_session(koppel_home, SERVER)
    key = next(ref.key for ref in session.refs() if ref.step.kind != "form" and session.status(ref.key) != "blocked")
    gate = threading.Event()
    busy = loop.run_in_executor(None, gate.wait)  # the write has to wait for the thread
    with session.one_save():
        session.confirm(key)
    save = asyncio.create_task(session.save_off_loop())
    await asyncio.sleep(0)  # the write is handed to the busy thread
    save.cancel()
    with pytest.raises(asyncio.CancelledError):
        await save
    gate.set()
    await busy
    quitting = threading.Thread(target=session.flush, daemon=True)  # daemon: a hang must not hold pytest
    quitting.start()
    await asyncio.to_thread(quitting.join, 15)
    assert not quitting.is_alive(), "flush() waits for a write that will never come"
    session.close()
    on_disk = json.loads((state_folder(koppel_home) / f"{SERVER}.json").read_text())
    assert on_disk["steps"][key]["status"] == "confirmed"  # the change is written, not lost
