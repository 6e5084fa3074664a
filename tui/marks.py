"""The marks of step statuses and check results: one set for the app and the headless commands.

Each has a Unicode form and an ASCII form (for `--ascii`, TERM=linux and consoles that are not UTF-8).
"""

from __future__ import annotations

MARKS: dict[str, tuple[str, str]] = {
    # step statuses (the tree, the step, koppel status)
    "todo": ("○", "[ ]"),
    "running": ("◔", "[>]"),
    "done": ("✔", "[x]"),
    "confirmed": ("☑", "[v]"),  # done by the admin's hand although the check failed or could not run
    "failed": ("✘", "[!]"),
    "skipped": ("↷", "[-]"),
    "interrupted": ("↯", "[~]"),
    "blocked": ("⊘", "[#]"),
    # after a step's mark: a check run since the admin closed it did not pass (see check_since)
    "flagged": ("⚑", "[?]"),
    # check results (koppel check, probe, license, extract)
    "ok": ("✔", "[ok]"),
    "warn": ("⚠", "[warn]"),
    "fail": ("✘", "[FAIL]"),
    "na": ("–", "[n/a]"),
}


def mark(status: str, ascii_mode: bool) -> str:
    unicode_mark, ascii_mark = MARKS.get(status, MARKS["todo"])
    return ascii_mark if ascii_mode else unicode_mark
