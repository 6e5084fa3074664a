"""Check and action names -> their modules, without importing them (start-up stays fast).

The names live in tui.check_names (the playbook loader validates ``check.name`` against them); the
engine imports a module only when its check runs.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from tui.check_names import CHECKS

__all__ = ["CHECKS", "UnknownCheck", "load"]


class UnknownCheck(KeyError):
    pass


def load(name: str) -> ModuleType:
    try:
        return importlib.import_module(CHECKS[name])
    except KeyError:
        raise UnknownCheck(name) from None
