"""Every test runs with KOPPEL_HOME in its own temp folder: never the real user dirs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def koppel_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "koppel-home"
    home.mkdir()
    monkeypatch.setenv("KOPPEL_HOME", str(home))
    # a stable language and no proxy from the developer's shell
    monkeypatch.setenv("KOPPEL_LANG", "nl")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def koppel_cmd() -> list[str]:
    """The koppel command as a real subprocess (same interpreter, this checkout)."""
    return [sys.executable, "-m", "tui"]


@pytest.fixture
def subprocess_env(koppel_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
