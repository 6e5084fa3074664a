"""Headless commands: the same playbook, state and checks as the app, without Textual.

``dispatch`` sends each command to its body: the state's (status, servers, reset, report, answers)
in ``state_commands``, the playbook's in ``playbook_commands``, the checks' (check, probe, licence,
extract) in ``check_commands``; what they share is in ``common``, what they print through tui.console.
"""

from __future__ import annotations

import argparse
import os
import sys

from tui.console import ask_for_ascii
from tui.exit_codes import EXIT_IN_USE, EXIT_PROBLEM, EXIT_USAGE
from tui.headless import fast
from tui.headless.common import UsageError
from tui.text import in_lang, t


def explain(error: BaseException, lang: str = "nl") -> tuple[int, str]:
    """An exit code and one line for any failure, in the admin's language, so no traceback ever
    reaches the admin."""
    from tui.playbook.loader import PlaybookError
    from tui.state.paths import BadServerName
    from tui.state.errors import SessionError
    from tui.state.saving import describe_os_error
    from tui.server_choice import NoState
    from tui.state.store import StateInUse

    if isinstance(error, NoState):
        return EXIT_PROBLEM, str(error)
    if isinstance(error, StateInUse):
        return EXIT_IN_USE, error.said(lang)
    if isinstance(error, BadServerName):
        return EXIT_USAGE, error.said(lang)
    if isinstance(error, (PlaybookError, SessionError, UsageError)):
        return EXIT_USAGE, str(in_lang(error, lang))
    if isinstance(error, FileNotFoundError):
        return EXIT_USAGE, t("error.file_not_found", lang, path=error.filename)
    if isinstance(error, OSError):
        return EXIT_USAGE, describe_os_error(error, lang=lang)
    from tui.secrets import scrub_text

    return EXIT_PROBLEM, scrub_text(t("error.internal", lang, kind=type(error).__name__, error=error))


def _closed_streams_to_null() -> None:
    """``koppel status >&-``: with stdout (or stderr) closed Python has None there; the command still
    runs and its output goes where ``>/dev/null`` would send it, instead of an internal error."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def dispatch(args: argparse.Namespace) -> int:
    _closed_streams_to_null()
    ask_for_ascii(bool(getattr(args, "ascii", False)))
    answered = fast.run(args)  # status and playbook show from plain JSON, when the caches have them
    if answered is not None:
        return answered
    from tui.headless import check_commands, playbook_commands, state_commands  # here: --version and the fast path skip them

    command = args.command
    if command == "answers":
        answers = {"import": state_commands.answers_import, "export": state_commands.answers_export}
        return answers[args.answers_command](args)
    if command == "playbook":
        playbook = {"show": playbook_commands.playbook_show, "validate": playbook_commands.playbook_validate}
        return playbook[args.playbook_command](args)
    if command == "probe":
        return check_commands.probe(args)
    if command in ("license", "licentie"):
        return check_commands.licence(args)
    return {"status": state_commands.status, "servers": state_commands.servers, "check": check_commands.check,
            "reset": state_commands.reset, "extract": check_commands.extract,
            "report": state_commands.report}[command](args)
