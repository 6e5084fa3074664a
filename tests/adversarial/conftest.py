"""Shared by the adversarial tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def writable_again(tmp_path: Path):
    """Paths a test made read-only, made writable again afterwards so the temp folder can go."""
    import stat

    paths: list[Path] = []
    yield paths
    for path in paths:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | stat.S_IWUSR | stat.S_IXUSR * path.is_dir())
