"""The names of koppel's checks and actions and the module of each: data only, so the playbook
(which validates ``check.name``) and the checks' registry (which imports the module when it runs)
share it without the playbook importing the checks."""

from __future__ import annotations

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
