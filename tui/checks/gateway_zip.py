"""Unpack opg_Installer.zip (the Visma On Premises Gateway) safely: note AV-638111, "Vooraf" 3-4.

Safety: every entry name is checked before anything is written, and the zip is rejected as a
whole on the first bad entry (a hostile or damaged download is never "partly fine"):
absolute paths, drive letters and UNC prefixes, ``..`` components (with ``/`` or ``\\``), names
Windows cannot hold (reserved device names like CON or COM1, trailing dots/spaces, ``<>:"|?*``),
symbolic links, names that collide when case is ignored (Windows and macOS folders are case
insensitive: one would silently overwrite the other), and too many entries. While streaming,
the bytes actually written are counted (header sizes are not trusted) against the total cap and
the compression ratio per entry and overall (only beyond RATIO_FLOOR: a small file of spaces may
legitimately compress 1000x). Every destination is also checked to resolve inside the staging
folder (os.path.commonpath on real paths).

Atomic: the zip is extracted into a staging folder next to the target
(``.<target>.partial-<random>``) which is renamed into place only when complete; on any failure
or cancel the staging folder is removed, so the target either holds the whole zip or nothing.

An existing target: if it already holds every file of the zip with the same size, the step is
done ("already unpacked", nothing written — re-running the step is harmless). Otherwise it is
refused with a message, unless ``replace`` is set: then the old folder is swapped out only after
the new extraction is complete, and removed.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import stat
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

from tui.checks.base import CheckContext, CheckResult, Progress
from tui.checks.places import SETUP_EXE, default_gateway_folder, default_gateway_zip
from tui.safe_text import first_unsafe, safe
from tui.text import t

TITLE = {"nl": "Visma On Premises Gateway uitpakken", "en": "Unpack the Visma On Premises Gateway"}
KIND = "action"
DEFAULT_TIMEOUT = 600.0

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200.0
RATIO_FLOOR = 1024 * 1024  # ratios are judged only once this many bytes came out
CHUNK = 256 * 1024
PROGRESS_SECONDS = 0.1
REPLACE_RETRY_SECONDS = 3.0  # Windows: a virus scanner briefly holds a fresh setup.exe open

_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]
}
_BAD_CHARS = re.compile(r'[<>:"|?*\x00-\x1f]')

# a refused zip: its reason is a stable code, its message the text tables' "zip.rejected.<reason>"
_OWN_HINT = {"not_found", "target_exists", "io_failed"}  # the others: download the zip again


class ZipRejected(Exception):
    """One clear message; ``reason`` is a stable code (one of REASONS)."""

    def __init__(self, reason: str, lang: str = "nl", **details: Any) -> None:
        # entry names are the zip's text: shown inert (an ESC in a name never reaches a terminal)
        details = {key: safe(value) if isinstance(value, str) else value for key, value in details.items()}
        super().__init__(t(f"zip.rejected.{reason}", lang, **details))
        self.reason = reason
        self.details = details
        self.hint = t(f"zip.hint.{reason if reason in _OWN_HINT else 'download'}", lang)


class ExtractCancelled(Exception):
    pass


@dataclass(frozen=True)
class Limits:
    max_entries: int = MAX_ENTRIES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: float = MAX_RATIO


@dataclass
class Plan:
    """A zip whose every name passed the checks: (entry, path parts, is a folder)."""

    entries: list[tuple[zipfile.ZipInfo, list[str], bool]]
    setup_exe: str  # relative, "/"-separated
    header_bytes: int  # the sizes the zip claims; progress only, never a safety decision
    compressed_bytes: int


@dataclass
class ExtractResult:
    zip: str
    target: str
    files: int = 0
    bytes: int = 0
    setup_exe: str = ""
    already: bool = False  # the target already held this zip's content; nothing written
    replaced: bool = False

    def evidence(self) -> dict[str, Any]:
        return {"zip": self.zip, "target": self.target, "files": self.files, "bytes": self.bytes,
                "setup_exe": self.setup_exe, "already": self.already, "replaced": self.replaced}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    zip: str = ""  # empty: Downloads/opg_Installer.zip
    target: str = ""  # empty: next to the zip, folder opg_Installer
    replace: bool = False
    max_entries: int = Field(default=MAX_ENTRIES, gt=0)
    max_total_bytes: int = Field(default=MAX_TOTAL_BYTES, gt=0)
    max_ratio: float = Field(default=MAX_RATIO, gt=1)


# ---------------------------------------------------------------- names


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)  # 3 = Unix


def entry_parts(info: zipfile.ZipInfo, lang: str = "nl") -> list[str]:
    """The path components of an entry, or ZipRejected naming why it may not be written."""
    name = info.filename
    # zipfile turns "\" into "/" only on Windows; a "\" name is a path on Windows wherever it came from
    normal = name.replace("\\", "/")
    if _is_symlink(info):
        raise ZipRejected("symlink", lang, name=name)
    if normal.startswith("//") or re.match(r"^[A-Za-z]:", normal):
        raise ZipRejected("drive", lang, name=name)
    if normal.startswith("/"):
        raise ZipRejected("absolute", lang, name=name)
    parts = [part for part in normal.rstrip("/").split("/") if part != "."]
    if ".." in parts:
        raise ZipRejected("traversal", lang, name=name)
    for part in parts:
        if not part or _BAD_CHARS.search(part) or first_unsafe(part):  # also C1 controls, bidi overrides
            raise ZipRejected("bad_name", lang, name=name)
        if part[-1] in ". ":
            raise ZipRejected("trailing", lang, name=name)
        if part.split(".")[0].rstrip(" ").upper() in _RESERVED:
            raise ZipRejected("reserved", lang, name=name, part=part)
    if not parts:
        raise ZipRejected("bad_name", lang, name=name)
    return parts


def plan_zip(archive: zipfile.ZipFile, path: Path, limits: Limits = Limits(), lang: str = "nl") -> Plan:
    """Check every entry of the zip before anything is written."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise ZipRejected("too_many_entries", lang, count=len(infos), limit=limits.max_entries)
    entries: list[tuple[zipfile.ZipInfo, list[str], bool]] = []
    seen: dict[str, str] = {}  # case-folded path -> the name it came from
    folders: set[str] = set()
    for info in infos:
        parts = entry_parts(info, lang)
        key = "/".join(parts).casefold()
        if key in seen:
            raise ZipRejected("collision", lang, name=info.filename, other=seen[key])
        seen[key] = info.filename
        folders.update("/".join(parts[:i]).casefold() for i in range(1, len(parts)))
        entries.append((info, parts, info.filename.replace("\\", "/").endswith("/")))
    for info, parts, is_dir in entries:
        key = "/".join(parts).casefold()
        if not is_dir and key in folders:  # a file "a" and an entry "a/b"
            other = next(i.filename for i, p, _ in entries if "/".join(p).casefold().startswith(key + "/"))
            raise ZipRejected("file_and_folder", lang, name=info.filename, other=other)
    setups = sorted((parts for _, parts, is_dir in entries if not is_dir and parts[-1].lower() == SETUP_EXE), key=len)
    if not setups:
        raise ZipRejected("no_setup", lang, path=path)
    return Plan(
        entries=entries,
        setup_exe="/".join(setups[0]),
        header_bytes=sum(info.file_size for info in infos),
        compressed_bytes=sum(info.compress_size for info in infos),
    )


def inside(base: str, candidate: str) -> bool:
    """Whether candidate resolves inside base (real paths: symlinks followed; not a string prefix)."""
    real_base = os.path.realpath(base)
    real = os.path.realpath(candidate)
    try:
        return os.path.commonpath([real_base, real]) == real_base
    except ValueError:  # Windows: different drives
        return False


# ---------------------------------------------------------------- extraction


class _Writer:
    """Streams the planned entries into the staging folder, counting and checking as it goes."""

    def __init__(self, archive: zipfile.ZipFile, plan: Plan, staging: str, limits: Limits, lang: str,
                 progress: Callable[[int, int, str], None], cancel: threading.Event) -> None:
        self.archive, self.plan, self.staging, self.limits, self.lang = archive, plan, staging, limits, lang
        self.progress, self.cancel = progress, cancel
        self.written = 0
        self.files = 0
        self.last_percent = -1
        self.last_report = 0.0

    def _report(self, name: str, force: bool = False) -> None:
        total = max(self.plan.header_bytes, self.written, 1)
        percent = self.written * 100 // total
        now = time.monotonic()
        if force or percent != self.last_percent or now - self.last_report >= PROGRESS_SECONDS:
            self.progress(self.written, total, name)
            self.last_percent, self.last_report = percent, now

    def _check_ratio(self, name: str, out: int, compressed: int) -> None:
        if out > RATIO_FLOOR and out / max(compressed, 1) > self.limits.max_ratio:
            raise ZipRejected("ratio", self.lang, name=name, limit=self.limits.max_ratio)

    def run(self) -> None:
        for info, parts, is_dir in self.plan.entries:
            if self.cancel.is_set():
                raise ExtractCancelled()
            destination = os.path.join(self.staging, *parts)
            if not inside(self.staging, destination):
                raise ZipRejected("outside", self.lang, name=info.filename)
            try:
                if is_dir:
                    os.makedirs(destination, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                self._report(info.filename)
                self._copy(info, destination)
            except OSError as exc:
                raise ZipRejected("io_failed", self.lang, name=info.filename, detail=exc.strerror or exc) from None
            self.files += 1
        self._report("", force=True)

    def _copy(self, info: zipfile.ZipInfo, destination: str) -> None:
        entry_out = 0
        with self.archive.open(info) as source, open(destination, "xb") as target:
            while chunk := source.read(CHUNK):
                if self.cancel.is_set():
                    raise ExtractCancelled()
                entry_out += len(chunk)
                self.written += len(chunk)
                if self.written > self.limits.max_total_bytes:
                    raise ZipRejected("too_large", self.lang, limit=self.limits.max_total_bytes)
                self._check_ratio(info.filename, entry_out, info.compress_size)
                self._check_ratio(info.filename, self.written, self.plan.compressed_bytes)
                target.write(chunk)
                self._report(info.filename)


def _holds(target: Path, plan: Plan) -> bool:
    """Whether target already holds every file of the plan with the same size."""
    for info, parts, is_dir in plan.entries:
        path = target.joinpath(*parts)
        if is_dir:
            continue
        try:
            if path.stat().st_size != info.file_size:
                return False
        except OSError:
            return False
    return True


def _new_staging(target: Path) -> str:
    """Create ``.<target>.partial-<random>`` next to target. Plain mkdir, not mkdtemp: the folder becomes
    the target, so it keeps the normal permissions (mkdtemp makes it private to this user)."""
    while True:
        path = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
        try:
            path.mkdir()
            return str(path)
        except FileExistsError:
            continue


def _replace(source: str, destination: str, *, replace: Callable[[str, str], None] = os.replace) -> None:
    """os.replace; on Windows retried for a moment while a scanner holds a fresh file or the folder
    open (a sharing violation: PermissionError); elsewhere a PermissionError is final."""
    deadline = time.monotonic() + REPLACE_RETRY_SECONDS
    while True:
        try:
            replace(source, destination)
            return
        except PermissionError:
            if os.name != "nt" or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def extract_zip(
    zip_path: str | Path,
    target: str | Path,
    *,
    limits: Limits = Limits(),
    replace: bool = False,
    lang: str = "nl",
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
    cancel: threading.Event | None = None,
) -> ExtractResult:
    """Check and unpack zip_path into target (see the module doc). Blocking; for ``koppel extract``.

    Raises ZipRejected (one clear message) or ExtractCancelled when ``cancel`` is set; in both
    cases nothing of the extraction is left behind.
    """
    zip_path, target = Path(zip_path), Path(target)
    cancel = cancel or threading.Event()
    if not zip_path.is_file():
        raise ZipRejected("not_found", lang, path=zip_path)
    if not zipfile.is_zipfile(zip_path):
        raise ZipRejected("not_zip", lang, path=zip_path)
    result = ExtractResult(zip=str(zip_path), target=str(target))
    try:
        with zipfile.ZipFile(zip_path) as archive:
            plan = plan_zip(archive, zip_path, limits, lang)
            result.setup_exe = str(target.joinpath(*plan.setup_exe.split("/")))
            if target.exists():
                if target.is_dir() and _holds(target, plan):
                    result.already = True
                    result.files = sum(1 for _, _, is_dir in plan.entries if not is_dir)
                    result.bytes = plan.header_bytes
                    return result
                if not replace or not target.is_dir():
                    raise ZipRejected("target_exists", lang, target=target)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = _new_staging(target)
            try:
                writer = _Writer(archive, plan, staging, limits, lang, progress, cancel)
                writer.run()
                result.files, result.bytes = writer.files, writer.written
                if cancel.is_set():  # the last moment a cancel still leaves nothing behind
                    raise ExtractCancelled()
                if target.exists():
                    old = str(target.with_name(f".{target.name}.old-{secrets.token_hex(4)}"))
                    _replace(str(target), old)
                    _replace(staging, str(target))
                    shutil.rmtree(old, ignore_errors=True)
                    result.replaced = True
                else:
                    _replace(staging, str(target))
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # gone already after a successful rename
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        # a CRC mismatch, an unsupported compression method, a file cut short
        raise ZipRejected("damaged", lang, path=zip_path, detail=exc) from None
    except OSError as exc:  # reading the zip, creating the staging folder, renaming it into place
        raise ZipRejected("io_failed", lang, name=exc.filename or target, detail=exc.strerror or exc) from None
    return result


def format_size(size: int) -> str:
    """A byte count as people read it: "202 bytes", "27 kB", "4.2 MB" (the same in nl and en)."""
    if size < 1000:
        return "1 byte" if size == 1 else f"{size} bytes"
    for unit, scale, decimals in (("kB", 1e3, 0), ("MB", 1e6, 1), ("GB", 1e9, 1)):
        shown = f"{size / scale:.{decimals}f}"
        if float(shown) < 1000 or unit == "GB":  # 999,999 bytes is "1.0 MB", not "1000 kB"
            break
    return f"{shown} {unit}"


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    zip_path = Path(params.zip).expanduser() if params.zip else default_gateway_zip()
    target = Path(params.target).expanduser() if params.target else default_gateway_folder(zip_path)
    limits = Limits(params.max_entries, params.max_total_bytes, params.max_ratio)
    ctx.log(t("zip.unpacking", ctx.lang, zip_path=zip_path, target=target))
    loop = asyncio.get_running_loop()
    cancel = threading.Event()

    def progress(done: int, total: int, name: str) -> None:  # called in the worker thread
        loop.call_soon_threadsafe(ctx.emit, Progress(done, total, safe(name)))

    worker = asyncio.ensure_future(asyncio.to_thread(
        extract_zip, zip_path, target, limits=limits, replace=params.replace, lang=ctx.lang, progress=progress, cancel=cancel
    ))
    try:
        result = await asyncio.shield(worker)
    except asyncio.CancelledError:
        cancel.set()  # the thread stops at its next chunk and removes its staging folder
        await asyncio.wait({worker})
        if not worker.cancelled():
            worker.exception()  # retrieved: the cancel is what matters now
        raise
    except ZipRejected as exc:
        ctx.log(str(exc))
        return CheckResult(status="fail", message=str(exc), hint=exc.hint,
                           evidence={"zip": str(zip_path), "target": str(target), "reason": exc.reason})
    if result.already:
        message = t("zip.already_unpacked_setup_exe", ctx.lang, target=target, setup_exe=result.setup_exe)
    else:
        size = format_size(result.bytes)
        files = t("zip.one_file" if result.files == 1 else "zip.files", ctx.lang, n=result.files)
        message = t("zip.unpacked", ctx.lang, files=files, size=size, target=target, setup_exe=result.setup_exe)
    ctx.log(message)
    return CheckResult(status="ok", message=message, evidence=result.evidence())
