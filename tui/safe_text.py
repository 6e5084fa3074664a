"""Untrusted text made harmless where it enters koppel: what a server, a file or another program
says is shown, never executed by the terminal.

A proxy's reason phrase, a certificate's subject, a zip entry's name or a line of a licence PDF may
hold an escape sequence (ESC ] 0 ; title BEL sets the window title, ESC [ 2 J clears the screen,
OSC 52 writes the clipboard), a carriage return that overwrites what came before, or a bidi
override that shows a name backwards. ``safe`` writes each such character as a visible escape
(``\\x1b``, ``\\r``, ``\\u202e``), so the TUI, the headless output, the log file and the reports all
show the same inert text, on any console (the escapes are plain ASCII).

A ground module: imports nothing of koppel.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline (those are layout; newline only where text may span lines), DEL,
# C1 controls (0x9b is a one-byte CSI on some terminals), bidi embeddings/overrides/isolates (they
# reorder what follows; the plain marks U+200E/U+200F belong to right-to-left text and stay), and
# the Unicode line/paragraph separators.
_UNSAFE_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029"
)
_UNSAFE = re.compile(f"[{_UNSAFE_CHARS}]")
_UNSAFE_OR_NEWLINE = re.compile(f"[{_UNSAFE_CHARS}\n]")
_NAMED = {"\r": "\\r", "\n": "\\n"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control character, escape sequence introducer and bidi control shown as
    a visible escape. Newlines are kept only when ``multiline``; tabs always are."""
    if not isinstance(text, str):
        text = str(text)
    return (_UNSAFE if multiline else _UNSAFE_OR_NEWLINE).sub(_shown, text)


def safe_bytes(data: bytes, *, multiline: bool = False) -> str:
    """Bytes from the wire (a status line, a header): decoded leniently, then made safe."""
    return safe(data.decode("utf-8", "backslashreplace"), multiline=multiline)


def first_unsafe(text: str, *, multiline: bool = True) -> str | None:
    """The first character ``safe`` would escape (for a refusal that names it), else None."""
    found = (_UNSAFE if multiline else _UNSAFE_OR_NEWLINE).search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """'U+001B' for a message naming a refused character."""
    return f"U+{ord(char):04X}"
