"""Headless commands on a hostile machine (issue 9 items 11 and 12): each fault by name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_robustness import POSIX_ONLY, launcher_for_modes, run

CHECK = ["check", "--only", "wizard.gateway_rechten", "--server", "srv", "--lang", "en"]


def started(home: Path, subprocess_env: dict[str, str], tmp_path: Path) -> Path:
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert run(["answers", "import", str(empty), "--server", "srv"], subprocess_env).returncode == 0
    return home / "logs"


def test_check_shows_its_results_when_the_log_path_is_a_folder(
    koppel_home: Path, subprocess_env: dict[str, str], tmp_path: Path
) -> None:
    logs = started(koppel_home, subprocess_env, tmp_path)
    (logs / "srv.log").mkdir(parents=True)
    done = run(CHECK, subprocess_env)
    assert done.returncode in (0, 1) and done.stdout.strip(), done.stderr  # the row is printed
    assert "could not write the log" in done.stderr and "srv.log" in done.stderr
    as_json = run([*CHECK, "--json"], subprocess_env)
    assert json.loads(as_json.stdout)[0]["id"] == "wizard.gateway_rechten"


@POSIX_ONLY
def test_check_shows_its_results_when_the_log_folder_is_read_only(
    koppel_home: Path, subprocess_env: dict[str, str], tmp_path: Path, writable_again: list[Path]
) -> None:
    logs = started(koppel_home, subprocess_env, tmp_path)
    logs.mkdir(exist_ok=True)
    logs.chmod(0o555)
    writable_again.append(logs)
    done = run(CHECK, subprocess_env, prefix=launcher_for_modes())
    assert done.returncode in (0, 1) and done.stdout.strip(), done.stderr
    assert "could not write the log" in done.stderr


@POSIX_ONLY
def test_symlinked_log_file_is_not_followed_outside_the_home(
    koppel_home: Path, subprocess_env: dict[str, str], tmp_path: Path
) -> None:
    logs = started(koppel_home, subprocess_env, tmp_path)
    logs.mkdir(exist_ok=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    (logs / "srv.log").symlink_to(outside)
    done = run(CHECK, subprocess_env)
    assert done.returncode in (0, 1) and done.stdout.strip(), done.stderr
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert "symbolic link" in done.stderr


@POSIX_ONLY
@pytest.mark.parametrize("command", [["status"], ["servers"], ["status", "--json"]], ids=" ".join)
def test_status_with_stdout_closed_is_no_internal_error(
    command: list[str], koppel_home: Path, subprocess_env: dict[str, str], tmp_path: Path
) -> None:
    started(koppel_home, subprocess_env, tmp_path)
    # as a shell runs `koppel status >&-`: the process starts with no stdout at all
    done = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', sys.executable, "-m", "tui", *command],
                          capture_output=False, stderr=subprocess.PIPE, text=True, env=subprocess_env, timeout=60)
    assert done.returncode == 0 and "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
