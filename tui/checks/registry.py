"""Check and action names -> their modules, without importing them (start-up stays fast).

The playbook loader validates ``check.name`` against ``CHECKS``; the engine imports the module
only when the check runs.
"""

from __future__ import annotations

import importlib
from types import ModuleType

CHECKS: dict[str, str] = {
    "tcp": "tui.checks.tcp",
    "https": "tui.checks.https",
    "windows_service": "tui.checks.windows_service",
    "elevated": "tui.checks.elevated",
    "licence_pdf": "tui.checks.licence_pdf",
    "gateway_zip": "tui.checks.gateway_zip",
    "installer": "tui.checks.installer",
    "version": "tui.checks.version",
}


class UnknownCheck(KeyError):
    pass


def load(name: str) -> ModuleType:
    try:
        return importlib.import_module(CHECKS[name])
    except KeyError:
        raise UnknownCheck(name) from None
