"""Built-in playbooks as data files (TOML); loaded by tui.playbook.loader."""

from __future__ import annotations

from pathlib import Path

BUILTIN_PLAYBOOK = "av638111.toml"


def builtin_playbook_path() -> Path:
    """Where the built-in playbook is (without loading it, or pydantic)."""
    return Path(__file__).resolve().parent / BUILTIN_PLAYBOOK
