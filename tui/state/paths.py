"""Where koppel keeps its files, and server names that are safe as file names on every OS.

Server names policy (one state file per server, ``<name>.json`` in ``state_dir``):

- allowed: ASCII letters, digits, ``.``, ``-`` and ``_``; first character a letter or digit, no
  trailing dot. Host names (``AV-SRV01``) and DNS names (``av-srv01.corp.local``) pass.
- normalised to lower case: Windows file names ignore case, so ``AV-SRV01`` and ``av-srv01`` must
  be one state, not two that overwrite each other.
- at most 64 characters: a DNS label is 63, a NetBIOS name 15; with the home folder and the
  longest companion file (``.json.corrupt-<timestamp>``) it stays far below Windows' 260-character
  path limit. Longer names are refused, not shortened: shortening could merge two servers.
- refused, never transliterated: non-ASCII (``sérveur``; the message suggests ``serveur``),
  path separators, drive colons, spaces, control characters, Windows device names (``CON``,
  ``nul.txt``, ``COM1``...), and names ending in ``.lock`` (those are koppel's lock files).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Callable

from tui.text import t

MAX_SERVER_NAME = 64
_ALLOWED = re.compile(r"[a-z0-9][a-z0-9._-]*")
_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{n}" for n in range(1, 10)]
    + [f"lpt{n}" for n in range(1, 10)]
)


class BadServerName(ValueError):
    """A server name that cannot safely be a file name; ``said(lang)`` is one line for the admin in
    their language (str(): English). A value may itself be words: a function of the language."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        words = {name: value(lang) if callable(value) else value for name, value in self.values.items()}
        return t(f"server_name.{self.key}", lang, **words)


def koppel_home(override: str | Path | None = None) -> Path:
    """The folder for state, logs and reports: ``override``, else KOPPEL_HOME, else the OS's
    per-user state folder (e.g. %LOCALAPPDATA%\\koppel, ~/.local/state/koppel)."""
    chosen = override or os.environ.get("KOPPEL_HOME")
    if chosen:
        return Path(chosen).expanduser().absolute()
    from platformdirs import user_state_dir

    return Path(user_state_dir("koppel", appauthor=False))


def _subdir(home: Path | None, name: str, *, create: bool = True) -> Path:
    folder = (home or koppel_home()) / name
    if create:  # 0o700: the state names servers and people; other local users have no business there
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def state_dir(home: Path | None = None, *, create: bool = True) -> Path:
    """The state folder; ``create=False`` for readers (``koppel servers``) on a home they may not change."""
    return _subdir(home, "state", create=create)


def log_dir(home: Path | None = None) -> Path:
    return _subdir(home, "logs")


def report_dir(home: Path | None = None) -> Path:
    return _subdir(home, "reports")


def _ascii_suggestion(name: str) -> str:
    """The nearest allowed spelling: accents dropped, other characters become '-'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_ALLOWED.sub("-", plain).strip(".-_")[:MAX_SERVER_NAME].rstrip(".-_")


def _shown(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "...")


def _describe(char: str) -> Callable[[str], str]:
    """What is wrong with ``char``, in words of the admin's language."""
    if char in "/\\":
        key, values = "separator", {}
    elif char == ":":
        key, values = "colon", {}
    elif unicodedata.category(char).startswith("C"):
        key, values = "control", {"code": f"{ord(char):04X}"}
    elif char.isspace():
        key, values = "space", {}
    else:
        key, values = ("non_ascii" if not char.isascii() else "other"), {"char": repr(char)}
    return lambda lang: t(f"char.{key}", lang, **values)


def safe_server_name(name: str) -> str:
    """``name`` in canonical form (lower case), or BadServerName saying what is wrong."""
    if not isinstance(name, str) or not name:
        raise BadServerName("empty")
    lowered = name.lower()
    shown = _shown(name)
    bad = _NOT_ALLOWED.search(lowered)
    if bad:
        hint = _ascii_suggestion(name)
        example = (lambda lang: t("server_name.example", lang, hint=repr(hint))) if hint else ""
        raise BadServerName("contains", name=shown, what=_describe(bad.group()[0]), example=example)
    if len(name) > MAX_SERVER_NAME:
        raise BadServerName("too_long", name=shown, n=len(name), max=MAX_SERVER_NAME)
    if not _ALLOWED.fullmatch(lowered):
        raise BadServerName("start", name=shown)
    if lowered.endswith("."):
        raise BadServerName("dot_end", name=shown)
    if lowered.split(".", 1)[0] in _WINDOWS_DEVICES:
        raise BadServerName("device", name=shown)
    if lowered.endswith(".lock"):
        raise BadServerName("lock", name=shown)
    return lowered


def default_server() -> str:
    """This machine's host name as a server name (koppel usually runs on the AccountView server)."""
    try:
        return safe_server_name(_ascii_suggestion(_host_name()))
    except BadServerName:
        return "localhost"


def who() -> str:
    """``user@host`` of whoever runs koppel, recorded with every step they change."""
    import getpass  # here: a status read never needs it (issue 11)

    try:  # reads LOGNAME, USER, LNAME, USERNAME (Windows), then the passwd entry (POSIX)
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # none set and no passwd entry / no pwd module (Windows)
        user = "unknown"
    return f"{user}@{_host_name() or 'localhost'}"


def _host_name() -> str:
    """socket.gethostname() without importing socket where the OS says it as cheaply: on POSIX both
    are the kernel's node name (uname); Windows asks socket (issue 11: a status in tens of ms)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()
