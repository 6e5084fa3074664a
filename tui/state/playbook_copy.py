"""The playbook's validated copy in koppel's home (``cache/playbook-<hash>.json``), keyed on the hash
of the TOML file's bytes and koppel's version, so it is never stale (issue 11).

The app and the full headless road read it with the models (``load_kept``: a JSON validation
instead of parsing the TOML, scanning its texts and cross-checking it again: a tenth of opening
the app); the headless fast road reads it as plain JSON (tui.headless.fast). A miss loads the
TOML as always (a broken playbook raises PlaybookError alike) and keeps the copy. A home that
cannot be written only means no copy. Light: imports no pydantic until a playbook is loaded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__
from tui.limits import PLAYBOOK_FILE_MAX_BYTES

if TYPE_CHECKING:
    from tui.playbook.model import Playbook

CACHE = "cache"


def read_file(path: Path, max_bytes: int) -> bytes | None:
    """A regular file's bytes within ``max_bytes``, else None (the full road says what is wrong)."""
    from tui.state.atomic import read_if_exists

    if not path.is_file():
        return None
    data = read_if_exists(path, max_bytes)
    return data if data is not None and len(data) <= max_bytes else None


def digest(data: bytes) -> str:
    return _sha256()(f"koppel {__version__}\0".encode() + data).hexdigest()


def _sha256() -> Any:
    """SHA-256 from CPython's own module (``_sha2`` since 3.12, ``_sha256`` before): hashlib would
    first load OpenSSL, a twentieth of a fast status (issue 11); hashlib where neither exists."""
    import importlib

    try:
        sha256 = importlib.import_module("_sha2" if sys.version_info >= (3, 12) else "_sha256").sha256
    except (ImportError, AttributeError):
        from hashlib import sha256
    return sha256


def keep(path: Path, data: bytes) -> None:
    from tui.state.atomic import write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError:  # a read-only home: no cache, nothing else changes
        pass


def copy_path(home: Path, data: bytes) -> Path:
    """Where the validated copy of the playbook whose TOML is ``data`` is kept."""
    return home / CACHE / f"playbook-{digest(data)}.json"


def load_kept(source: Path, home: Path) -> Playbook:
    """The playbook at ``source`` as tui.playbook.loader.load_playbook gives it, from its copy when
    one was kept for these exact bytes (validated by the models again), else loaded and kept."""
    from tui.playbook.loader import load_playbook
    from tui.playbook.model import Playbook

    data = read_file(source, PLAYBOOK_FILE_MAX_BYTES)
    if data is None:  # not a file, unreadable or too large: the loader says so
        return load_playbook(source)
    kept = copy_path(home, data)
    try:
        return Playbook.model_validate_json(kept.read_bytes())
    except (OSError, ValueError):  # none kept yet, or unreadable or damaged: the TOML decides
        pass
    playbook = load_playbook(source)
    keep(kept, playbook.model_dump_json().encode())
    return playbook
