"""-o FILE writes into what is there, replaces only a regular file, and keeps that file's mode.

Found as root: `koppel answers export -o /dev/null` turned /dev/null into a regular 0600 file. These
tests run as root here, so the device test is the real fault.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.output_file import OutputRefused, write_output

posix_only = pytest.mark.skipif(os.name == "nt", reason="devices, FIFOs and modes are POSIX here")


def export(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    done = subprocess.run([sys.executable, "-m", "tui", "answers", "export", "--server", "out", *args],
                          env=env, timeout=60, **streams)
    assert b"Traceback" not in done.stderr, done.stderr
    return done


@posix_only
def test_answers_export_onto_dev_null_leaves_the_device_a_device(subprocess_env: dict[str, str]) -> None:
    before = os.stat("/dev/null")
    done = export(subprocess_env, "-o", "/dev/null")
    after = os.stat("/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode)


@posix_only
def test_dev_stdout_is_written_into_whatever_stdout_is(subprocess_env: dict[str, str], tmp_path: Path) -> None:
    into = tmp_path / "stdout.toml"
    with open(into, "wb") as stdout:
        done = export(subprocess_env, "-o", "/dev/stdout", stdout=stdout)
    assert done.returncode == 0, done.stderr
    assert into.read_text(encoding="utf-8").startswith("#") and not os.path.islink(into)
    piped = export(subprocess_env, "-o", "/dev/stdout")
    assert piped.returncode == 0 and piped.stdout.startswith(b"#")


@posix_only
def test_a_fifo_is_written_into_for_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(fifo, b"report\n" * 10_000)  # more than a pipe's buffer
    reader.join(timeout=10)
    assert received == [b"report\n" * 10_000] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


@posix_only
def test_a_symlink_stays_a_link_and_its_file_is_replaced_whole(tmp_path: Path) -> None:
    real = tmp_path / "real" / "answers.toml"
    real.parent.mkdir()
    real.write_bytes(b"old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "answers.toml"
    link.symlink_to(real)
    write_output(link, b"new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new\n" and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["answers.toml"]  # no temp file left


@posix_only
def test_an_existing_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "report.md"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o644)
    write_output(kept, b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o644
    mask = os.umask(0o022)
    try:
        write_output(tmp_path / "fresh.md", b"x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "fresh.md").stat().st_mode) == 0o644


def test_a_folder_a_missing_folder_and_a_file_as_folder_are_refused_by_path(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match=f"^{re.escape(str(tmp_path))}.* is a folder"):
        write_output(tmp_path, b"x")
    with pytest.raises(OutputRefused) as missing:
        write_output(tmp_path / "nope" / "a.toml", b"x")
    assert str(missing.value) == f"folder not found: {tmp_path / 'nope'}"
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputRefused) as not_folder:
        write_output(tmp_path / "file" / "a.toml", b"x")
    assert str(not_folder.value).endswith(str(tmp_path / "file"))


@posix_only
def test_a_missing_device_is_refused_not_created(subprocess_env: dict[str, str]) -> None:
    done = export(subprocess_env, "-o", "/dev/koppel-no-such-device")
    assert done.returncode == 2 and done.stderr == b"koppel: no such device: /dev/koppel-no-such-device\n"
    assert not os.path.exists("/dev/koppel-no-such-device")
