"""Read the AccountView licence PDF and judge the prerequisites of the note (AV-638111, "Vereisten").

The note: AutoReport needs AccountView Team or Business, the module "AutoReport-koppeling"
(requested via Opties > Extra modules bestellen) and AccountView 9.8 or later; the licence PDF
is downloaded via Opties > Licentie downloaden, and its whole text is pasted in the wizard
("Plakken vanaf klembord") — so when the UI offers a clipboard, the text is copied for the admin.

pypdf runs in a child process (``python -m tui.checks.licence_pdf --extract PATH`` printing JSON):
a malformed PDF can keep pypdf busy for minutes, and a child process — unlike a thread — can be
killed at the deadline or on cancel. A subprocess rather than multiprocessing: nothing is pickled
and the app's ``__main__`` is never re-imported on Windows (spawn), and the kill uses the same
process-tree machinery as the installer (procutil).

The layout of the real licence PDF is not public, so the parser is tolerant and label based; see
``parse_licence_text``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from tui.checks.base import CheckContext, CheckResult
from tui.checks.places import downloads_dir
from tui.checks.procutil import capture
from tui.safe_text import safe
from tui.versions import MIN_AV_VERSION, find_av_version, format_version, meets_minimum
from tui.text import t

TITLE = {"nl": "Licentie-PDF controleren", "en": "Check the licence PDF"}
KIND = "check"
DEFAULT_TIMEOUT = 30.0

MAX_BYTES = 20 * 1024 * 1024
READ_TIMEOUT = 20.0
MAX_LOGGED_CHARS = 500  # of the reader's last error line: enough to see what broke
REQUIRED_EDITIONS = ("team", "business")  # "AccountView Team of AccountView Business"
KNOWN_EDITIONS = ("Team", "Business", "Compact")
MIN_TEXT_CHARS = 20  # less than this: no text layer (a scan)

_NAME_HINTS = re.compile(r"licentie|license|licence", re.IGNORECASE)
_AUTOREPORT = re.compile(r"auto\s*report[\s-]*(koppeling|link|connection|connector)", re.IGNORECASE)
_BULLET = re.compile(r"^[\s\-•*·–]+")

# Label-based: "Label: value" on one line, or the label alone with the value on the next line
# (a table's cells often come out like that). Dutch and English labels; the match is
# case-insensitive and the label must end at a word boundary ("Productcode" is not "Product").
LABELS: dict[str, tuple[str, ...]] = {
    "customer": ("klantnummer", "klantnr", "customer number", "customer no", "customer id"),
    "licence_number": (
        "licentienummer", "licentienr", "licentiecode",
        "licence number", "license number", "licence no", "license no", "licence key", "license key",
    ),
    "edition": ("editie", "edition", "uitvoering", "product"),
    "version": ("versie", "version", "release"),
    "modules": ("modules", "module"),
}
_LABEL_LINE = {
    key: re.compile(r"^\s*(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w-])\.?\s*[:#]?\s*(?P<value>.*)$", re.IGNORECASE)
    for key, names in LABELS.items()
}


class LicenceInfo(BaseModel):
    path: str = ""
    pages: int = 0
    encrypted: bool = False  # encrypted, but opened with the empty password
    edition: str | None = None
    version: str | None = None
    customer: str | None = None
    licence_number: str | None = None
    modules: list[str] = Field(default_factory=list)
    autoreport_module: bool = False
    meets_prerequisites: bool = False
    status: Literal["ok", "warn", "fail"] = "fail"
    problems: list[str] = Field(default_factory=list)
    hints: list[str] = Field(default_factory=list)
    text: str = ""


class LicenceReadError(Exception):
    """The file could not be read as a licence PDF; ``reason`` is a stable code, str() the message."""

    def __init__(self, reason: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.hint = hint


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = ""  # empty: the newest licence-like PDF in the Downloads folder
    max_bytes: int = Field(default=MAX_BYTES, gt=0)
    timeout: float = Field(default=READ_TIMEOUT, gt=0)


# ---------------------------------------------------------------- finding and pre-checks


def find_licence_pdf(folder: Path, log: Callable[[str], None] = lambda text: None, lang: str = "nl") -> Path | None:
    """The newest *.pdf in folder whose name says licentie/license/licence; logs what it looked at."""
    try:
        pdfs = [p for p in folder.iterdir() if p.suffix.lower() == ".pdf" and p.is_file()]
    except OSError as exc:
        log(t("licence.folder_not_readable", lang, folder=folder, reason=exc.strerror or exc))
        return None
    candidates = sorted((p for p in pdfs if _NAME_HINTS.search(p.name)), key=lambda p: p.stat().st_mtime, reverse=True)
    log(t("licence.looked_pdf_file_s", lang, folder=folder, pdfs=len(pdfs), candidates=len(candidates)))
    for candidate in candidates[:5]:
        log(f"  {candidate.name}")
    return candidates[0] if candidates else None


def _precheck(path: Path, max_bytes: int, lang: str) -> int:
    """Cheap checks before any parsing; returns the file size."""
    if not path.is_file():
        raise LicenceReadError(
            "not_found",
            t("licence.file_not_found", lang, path=path),
            t("licence.download_licence_via_opties", lang),
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise LicenceReadError(
            "too_large",
            t("licence.mb_more_than_limit", lang, name=path.name, mb=size / 1e6, limit_mb=max_bytes / 1e6),
        )
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - 2048))
        end = handle.read()
    if b"%PDF-" not in head:  # readers accept junk before the header, within the first kilobyte
        raise LicenceReadError(
            "not_pdf",
            t("licence.not_pdf_file_no", lang, name=path.name),
            t("licence.choose_pdf_file_you", lang),
        )
    if b"%%EOF" not in end:
        raise LicenceReadError(
            "truncated",
            t("licence.truncated_damaged_end_pdf", lang, name=path.name),
            t("licence.download_licence_again_via", lang),
        )
    return size


# ---------------------------------------------------------------- the child process


def extract_pdf(path: str) -> dict[str, Any]:
    """In the child: text of every page, or {"error": reason, "detail": ...}. Never raises."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = pypdf.PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
        if encrypted:
            try:
                opened = reader.decrypt("")  # owner-password-only PDFs open with the empty user password
            except DependencyError as exc:
                return {"error": "encrypted", "detail": str(exc)}
            if not opened:
                return {"error": "encrypted", "detail": "user password required"}
        texts = [page.extract_text() or "" for page in reader.pages]
    except FileNotDecryptedError as exc:
        return {"error": "encrypted", "detail": str(exc)}
    except Exception as exc:  # pypdf raises many kinds on damaged input: all mean "damaged"
        return {"error": "damaged", "detail": f"{type(exc).__name__}: {exc}"}
    if not texts:
        return {"error": "damaged", "detail": "no pages"}
    return {"pages": len(texts), "encrypted": encrypted, "text": "\n".join(texts)}


def _child_env() -> dict[str, str]:
    # the child must import this package even when it is not installed (a checkout)
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "") if env.get("PYTHONPATH") else root
    return env


async def _extract_in_child(path: Path, timeout: float, lang: str, log: Callable[[str], None]) -> dict[str, Any]:
    argv = [sys.executable, "-m", "tui.checks.licence_pdf", "--extract", str(path)]
    try:
        # capture() kills the child's tree when wait_for cancels it at the timeout (or on our cancel)
        returncode, out, err = await asyncio.wait_for(capture(argv, env=_child_env()), timeout)
    except TimeoutError:
        raise LicenceReadError(
            "timeout",
            t("licence.reading_took_longer_than", lang, name=path.name, timeout=timeout),
            t("licence.download_licence_again_via", lang),
        ) from None
    try:
        result = json.loads(out)
        if not isinstance(result, dict):
            raise ValueError("not an object")
    except ValueError:
        log(safe((err.strip().splitlines() or [f"exit code {returncode}"])[-1][:MAX_LOGGED_CHARS]))
        result = {"error": "damaged", "detail": f"reader stopped with exit code {returncode}"}
    if isinstance(result.get("text"), str):  # the PDF's text, as it enters koppel: shown, never executed
        result["text"] = safe(result["text"], multiline=True)
    if result.get("error") == "encrypted":
        raise LicenceReadError(
            "encrypted",
            t("licence.protected_password", lang, name=path.name),
            t("licence.open_pdf_reader_save", lang),
        )
    if "error" in result:
        log(f"pypdf: {safe(str(result.get('detail', '')))[:MAX_LOGGED_CHARS]}")
        raise LicenceReadError(
            "damaged",
            t("licence.damaged_cannot_read", lang, name=path.name),
            t("licence.download_licence_again_via", lang),
        )
    return result


# ---------------------------------------------------------------- parsing and judging


def _label_values(lines: list[str]) -> dict[str, tuple[int, str]]:
    """First occurrence of each label: (line index of the value, value)."""
    found: dict[str, tuple[int, str]] = {}
    for index, line in enumerate(lines):
        for key, pattern in _LABEL_LINE.items():
            if key in found:
                continue
            match = pattern.match(line)
            if not match:
                continue
            value, at = match.group("value").strip(), index
            if not value:  # the value on the next non-empty line
                at = next((i for i in range(index + 1, min(index + 3, len(lines))) if lines[i].strip()), index)
                value = lines[at].strip() if at != index else ""
            found[key] = (at, value)
            break
    return found


def _is_label(line: str) -> bool:
    return any(pattern.match(line) for pattern in _LABEL_LINE.values())


def _modules(lines: list[str], at: int, value: str) -> list[str]:
    """"Modules: A, B" on one line, or one module per line (bullets allowed) below the label.

    The list ends at a blank line, another label, a line with a colon (an unknown "Label: value")
    or a sentence (ends with a full stop, or more than five words): module names are short.
    """
    value = _BULLET.sub("", value).strip()
    if "," in value or ";" in value:
        return [m.strip() for m in re.split(r"[,;]", value) if m.strip()]
    modules = [value] if value else []
    for line in lines[at + 1 : at + 60]:
        if not line.strip() or _is_label(line) or ":" in line or line.rstrip().endswith(".") or len(line.split()) > 5:
            break
        modules.append(_BULLET.sub("", line).strip())
    return [m for m in modules if m]


def parse_licence_text(text: str) -> dict[str, Any]:
    """Edition, version, customer, licence number and modules from the licence text.

    Tolerant on purpose (the real layout is not public): labels in Dutch or English (LABELS), the
    value after a colon or on the next line; edition = the word after "AccountView" in the
    edition/product value (or, without a label, "AccountView Team|Business|Compact" anywhere);
    version = the first number like 9.8 in the version value (or the edition/product value, or
    after "AccountView" anywhere). The AutoReport module is looked for in the module list, or in
    the whole text when no list was recognised.
    """
    lines = [line.rstrip() for line in text.splitlines()]
    found = _label_values(lines)
    fields: dict[str, Any] = {"customer": None, "licence_number": None, "edition": None, "version": None}
    for key in ("customer", "licence_number"):
        if key in found and found[key][1]:
            fields[key] = found[key][1].split()[0]
    edition_value = found.get("edition", (0, ""))[1]
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", edition_value) if w.lower() != "accountview"]
    if words:
        fields["edition"] = words[0]
    else:
        match = re.search(r"AccountView\s+(" + "|".join(KNOWN_EDITIONS) + r")\b", text, re.IGNORECASE)
        fields["edition"] = match.group(1) if match else None
    for source in (found.get("version", (0, ""))[1], edition_value):
        version = find_av_version(source)
        if version:
            break
    else:
        match = re.search(r"AccountView\s+(?:\w+\s+)?(\d+[.,]\d+)", text)
        version = find_av_version(match.group(1)) if match else None
    fields["version"] = format_version(version) if version else None
    modules = _modules(lines, *found["modules"]) if "modules" in found else []
    fields["modules"] = modules
    fields["autoreport_module"] = any(_AUTOREPORT.search(m) for m in modules) if modules else bool(_AUTOREPORT.search(text))
    return fields


def judge(info: LicenceInfo, lang: str) -> LicenceInfo:
    """Fill status, problems, hints and meets_prerequisites from the parsed fields."""
    fails: list[str] = []
    warns: list[str] = []
    hints: list[str] = []
    if len(info.text.strip()) < MIN_TEXT_CHARS:
        warns.append(t("licence.pdf_holds_no_text", lang))
        hints.append(t("licence.check_licence_by_eye", lang))
    else:
        if info.edition is None:
            warns.append(t("licence.edition_not_found_licence", lang))
        elif info.edition.lower() not in REQUIRED_EDITIONS:
            fails.append(t("licence.edition_visma_net_autoreport", lang, edition=info.edition))
        if not info.autoreport_module:
            fails.append(t("licence.module_autoreport_koppeling_not", lang))
            hints.append(t("licence.request_via_opties_extra", lang))
        version = find_av_version(info.version or "")
        minimum = format_version(MIN_AV_VERSION)
        if version is None:
            warns.append(t("licence.version_not_found_licence", lang))
        elif not meets_minimum(version):
            fails.append(t("licence.version_least_required", lang, version=info.version, minimum=minimum))
            hints.append(t("licence.request_update", lang))
    info.problems = fails + warns
    info.hints = hints
    info.status = "fail" if fails else "warn" if warns else "ok"
    info.meets_prerequisites = info.status == "ok"
    return info


# ---------------------------------------------------------------- the API


async def read_licence_async(
    path: str | Path,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = READ_TIMEOUT,
    lang: str = "nl",
    log: Callable[[str], None] = lambda text: None,
) -> LicenceInfo:
    """Read and judge a licence PDF; raises LicenceReadError with one clear message."""
    path = Path(path)
    _precheck(path, max_bytes, lang)
    result = await _extract_in_child(path, timeout, lang, log)
    info = LicenceInfo(path=str(path), pages=result["pages"], encrypted=result["encrypted"], text=result["text"])
    info = info.model_copy(update=parse_licence_text(info.text))
    return judge(info, lang)


def read_licence(path: str | Path, *, max_bytes: int = MAX_BYTES, timeout: float = READ_TIMEOUT, lang: str = "nl") -> LicenceInfo:
    """For ``koppel license PDF [--json]`` (no event loop running)."""
    return asyncio.run(read_licence_async(path, max_bytes=max_bytes, timeout=timeout, lang=lang))


def _evidence(info: LicenceInfo, seconds: float) -> dict[str, Any]:
    # never the text itself: it holds the licence data the admin pastes, not something to keep in state
    fields = info.model_dump(include={"path", "pages", "encrypted", "edition", "version", "customer",
                                      "licence_number", "modules", "autoreport_module", "problems"})
    return fields | {"chars": len(info.text), "read_seconds": round(seconds, 2)}


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    if params.path:
        path = Path(params.path).expanduser()
    else:
        found = find_licence_pdf(downloads_dir(), ctx.log, ctx.lang)
        if found is None:
            return CheckResult(
                status="fail",
                message=t("licence.no_licence_pdf_found", ctx.lang, folder=downloads_dir()),
                hint=t("licence.download_licence_via_opties_2", ctx.lang),
            )
        path = found
    ctx.log(t("licence.reading", ctx.lang, path=path))
    started = time.monotonic()
    try:
        info = await read_licence_async(
            path, max_bytes=params.max_bytes, timeout=min(params.timeout, ctx.remaining(params.timeout)), lang=ctx.lang, log=ctx.log
        )
    except LicenceReadError as exc:
        return CheckResult(status="fail", message=str(exc), hint=exc.hint, evidence={"path": str(path), "reason": exc.reason})
    seconds = time.monotonic() - started
    ctx.log(t("licence.page_s_characters_read", ctx.lang, pages=info.pages, text=len(info.text), seconds=seconds))
    if ctx.clipboard is not None and info.text.strip():
        try:
            ctx.clipboard(info.text)
            ctx.log(t("licence.full_text_clipboard_choose", ctx.lang))
        except Exception as exc:  # a clipboard that fails must not fail the check
            ctx.log(t("licence.copying_clipboard_failed", ctx.lang, exc=exc))
    summary = ", ".join(
        part for part in (
            f"AccountView {info.edition}" if info.edition else "",
            info.version or "",
            t("licence.module_autoreport_koppeling", ctx.lang) if info.autoreport_module else "",
        ) if part
    )
    if info.status == "ok":
        message = t("licence.licence_meets_requirements", ctx.lang, summary=summary)
    else:
        message = " ".join(info.problems)
    return CheckResult(status=info.status, message=message, hint=" ".join(info.hints), evidence=_evidence(info, seconds))


if __name__ == "__main__":  # the child process: python -m tui.checks.licence_pdf --extract PATH
    if len(sys.argv) == 3 and sys.argv[1] == "--extract":
        print(json.dumps(extract_pdf(sys.argv[2])))
        raise SystemExit(0)
    print("usage: python -m tui.checks.licence_pdf --extract PATH", file=sys.stderr)
    raise SystemExit(2)
