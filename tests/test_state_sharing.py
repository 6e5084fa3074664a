"""The state file shared with other handles, on both OSes for real (the Windows leg runs these too).

On Windows a handle opened without FILE_SHARE_DELETE (Python's open, `type`, most editors, a virus
scanner) refuses a rename over its file; on POSIX the rename happens under the reader. The lock
(msvcrt on Windows, fcntl on POSIX) held by another process: tests/test_state_store.py::
test_lock_of_another_process_refuses_and_dies_with_it, which runs in both legs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.state.atomic import replace_retrying, write_temp
from tui.state.store import StateStore

SERVER = "av-srv01"


def cursor_on_disk(store: StateStore) -> str:
    return json.loads(store.path.read_bytes())["cursor"]


def test_a_save_while_a_reader_holds_the_state_open(koppel_home: Path) -> None:
    with StateStore(koppel_home, SERVER, app_version="0.1.0") as store:
        state = store.open()
        state.cursor = "one"
        store.save(state)
        with open(store.path, "rb") as reader:
            state.cursor = "two"
            if os.name == "nt":  # refused, retried briefly, then said: the old file stays whole
                with pytest.raises(PermissionError):
                    store.save(state)
                assert cursor_on_disk(store) == "one"
            else:
                store.save(state)
                assert cursor_on_disk(store) == "two"
            assert json.loads(reader.read())["cursor"] == "one"  # the reader reads what it opened
        assert not [name for name in os.listdir(store.path.parent) if name.endswith(".tmp")]
        store.save(state)  # the reader let go: the next save goes through
        assert cursor_on_disk(store) == "two"


def test_a_reader_that_lets_go_during_the_retry(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    reader = open(target, "rb")
    refused = []

    def replace_then_let_go(source: Path, destination: Path) -> None:
        try:
            os.replace(source, destination)
        except PermissionError:  # Windows, for real: the reader's handle is in the way
            refused.append(destination)
            reader.close()  # as a virus scanner does a moment later
            raise

    try:
        replace_retrying(write_temp(target, b"new"), target, replace=replace_then_let_go)
    finally:
        reader.close()
    assert target.read_bytes() == b"new"
    assert refused == ([target] if os.name == "nt" else [])


def test_the_lock_is_the_os_lock() -> None:
    from filelock import FileLock, UnixFileLock, WindowsFileLock

    assert FileLock is (WindowsFileLock if os.name == "nt" else UnixFileLock)  # msvcrt.locking on Windows
