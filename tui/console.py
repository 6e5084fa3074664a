"""What koppel writes to a console, a pipe or a file: safe streams on any code page, ASCII marks where
Unicode cannot show, JSON and documents as UTF-8, and the progress line of ``koppel check``.

koppel runs in Windows Terminal and over OpenSSH (UTF-8), but also in an old conhost (cp850 or
cp437) and with output redirected (the ANSI code page, or whatever PYTHONIOENCODING says). What
the stream cannot encode is shown as its nearest ASCII, never a UnicodeEncodeError.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
import unicodedata
from datetime import datetime
from typing import Any

from tui.text import t

_ascii_requested = False  # --ascii on the command line (ask_for_ascii)


def ask_for_ascii(requested: bool) -> None:
    """--ascii given to a headless command: its marks are ASCII whatever the console can show."""
    global _ascii_requested
    _ascii_requested = requested


_LOOKALIKES = {"–": "-", "—": "-", "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "…": "...",
               "•": "*", "·": "*", "→": "->", "←": "<-", "×": "x", "€": "EUR"}
LOOKALIKE_ERRORS = "koppel-lookalike"


def _lookalike(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: "—" -> "-", "é" -> "e", anything else -> "?"."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    shown = []
    for char in error.object[error.start:error.end]:
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        shown.append(_LOOKALIKES.get(char) or plain or "?")
    return "".join(shown), error.end


codecs.register_error(LOOKALIKE_ERRORS, _lookalike)


def _is_utf(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "").startswith("utf")


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream and stream.isatty())
    except (AttributeError, ValueError):  # no stream (pythonw) or a closed one
        return False


def pipe_encoding(console_output_cp: int) -> str:
    """The encoding of koppel's text in a pipe or file on Windows: the console's output code page,
    which cmd's ``type`` and PowerShell's pipeline decode it with; UTF-8 when there is no console
    (a service, CI: GetConsoleOutputCP is 0) or the console is UTF-8 (65001). JSON is UTF-8 always."""
    if console_output_cp in (0, 65001):
        return "utf-8"
    name = f"cp{console_output_cp}"
    try:
        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


def _console_output_cp() -> int:
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetConsoleOutputCP())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return 0


def make_streams_safe() -> None:
    """stdout and stderr show what they cannot encode as ASCII lookalikes instead of raising; on
    Windows a pipe or file gets pipe_encoding(), not the ANSI code page Python would pick."""
    redirected = None
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        if os.name == "nt" and not is_terminal(stream) and "PYTHONIOENCODING" not in os.environ:
            redirected = redirected or pipe_encoding(_console_output_cp())
            stream.reconfigure(encoding=redirected)
        if not _is_utf(stream):
            stream.reconfigure(errors=LOOKALIKE_ERRORS)


def plain_console(explicit: bool = False) -> bool:
    """ASCII marks: when asked (--ascii, KOPPEL_ASCII=1), on a terminal type without Unicode glyphs,
    or when stdout is not UTF-8 (a cp850/cp437 console, a redirect in the ANSI code page)."""
    if explicit or _ascii_requested or os.environ.get("KOPPEL_ASCII") == "1":
        return True
    if os.environ.get("TERM", "") in ("linux", "vt100", "vt102", "vt220", "dumb"):
        return True
    return not _is_utf(sys.stdout)


def mark(status: str) -> str:
    from tui.marks import mark as status_mark

    return status_mark(status, plain_console())


def print_json(data: Any) -> None:
    """JSON in a pipe or file is UTF-8 always (JSON's own encoding), whatever the code page; on a
    console that is not UTF-8, or with PYTHONIOENCODING naming another encoding, it is \\u-escaped:
    pure ASCII, valid UTF-8 still and lossless there."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or is_terminal(sys.stdout) or "PYTHONIOENCODING" in os.environ:
        print(json.dumps(data, indent=2, ensure_ascii=not _is_utf(sys.stdout), default=str))
        return
    sys.stdout.flush()
    buffer.write((json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
    buffer.flush()


def write_document(text: str) -> None:
    """A file's text (answers TOML, a report) on stdout. Redirected to a file or a pipe it is UTF-8,
    whatever the console's code page (TOML must be UTF-8); on a console it is shown as text."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or is_terminal(sys.stdout):
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def local_time(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


class ProgressLine:
    """One line on stderr, "3/7 controles...", rewritten in place with \\r for a person watching a
    terminal. Plain ASCII, so every console shows it; never written when not ``enabled``."""

    def __init__(self, total: int, lang: str, *, enabled: bool) -> None:
        self.total, self.done = total, 0
        self.enabled = enabled and total > 0
        self.word = t("progress.checks", lang)
        self.width = 0

    def show(self) -> None:
        if not self.enabled:
            return
        text = f"{self.done}/{self.total} {self.word}..."
        self.width = max(self.width, len(text))
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()

    def advance(self) -> None:
        self.done += 1
        self.show()

    def clear(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
