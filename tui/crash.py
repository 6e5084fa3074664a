"""koppel's last resort: a bug nobody caught ends koppel in order, and never shows a secret.

An unhandled exception: the details (the traceback without locals, scrubbed of every secret) go to
the server's log file, the state is written and its lock released, and the admin reads one line
saying where the details are. Textual's own handler would print a Rich traceback with the locals of
every frame, a typed password among them; ``tui.app`` hands the exception here instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from tui import __version__
from tui.checks.engine import LogFile
from tui.secrets import scrub_text, scrub_traceback

LINE = {"nl": "koppel stopte door een interne fout; details in {where}",
        "en": "koppel stopped because of an internal error; details in {where}"}
NOWHERE = {"nl": "koppel stopte door een interne fout (de details konden niet worden weggeschreven: {why})",
           "en": "koppel stopped because of an internal error (the details could not be written: {why})"}


def record_crash(error: BaseException, *, log_path: Path | None, close: Callable[[], object], lang: str) -> str:
    """Write the details of ``error`` to ``log_path`` (else a file in the temp folder), then
    ``close`` (write the state, release its lock); the one line for the admin (with why the state
    could not be written, if so)."""
    details = f"koppel {__version__} stopped because of an internal error:\n{scrub_traceback(error)}"
    unsaved = ""
    try:
        close()
    except Exception as failure:  # the state could not be written either: the admin must know
        details += f"closing the state failed as well:\n{scrub_traceback(failure)}"
        unsaved = " " + scrub_text(" ".join(str(failure).split()))
    words = "en" if lang == "en" else "nl"
    candidates = [log_path] if log_path is not None else []
    candidates.append(Path(tempfile.gettempdir()) / f"koppel-crash-{os.getpid()}.log")
    why = ""
    for path in candidates:
        try:
            LogFile(path).write([details])
        except OSError as failure:
            why = scrub_text(f"{failure.strerror or failure}")
            continue
        return LINE[words].format(where=path) + unsaved
    return NOWHERE[words].format(why=why) + unsaved

