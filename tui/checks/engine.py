"""Runs checks: validates their parameters, enforces the deadline, turns every failure into a result.

The UI, the session and the headless commands all go through ``run_check``; a check never has to
guard against bad input, hanging peers or its own bugs itself. Nothing here raises, except
cancellation by the caller (after the check has cleaned up).
"""

from __future__ import annotations

import asyncio
import errno
import os
import threading
import time
import traceback
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

from pydantic import BaseModel, SecretStr, ValidationError

from tui.checks import registry
from tui.checks.base import CheckContext, CheckResult, Event, LogLine, Progress
from tui.secrets import remember, scrub_text, scrub_value
from tui.text import t

Emit = Callable[[Event], None]


def _discard(event: Event) -> None:
    pass


async def run_check(
    name: str,
    params: dict[str, Any] | None,
    *,
    lang: str = "nl",
    emit: Emit | None = None,
    timeout: float | None = None,
    clipboard: Callable[[str], None] | None = None,
    log_file: LogFile | None = None,
) -> CheckResult:
    """Run one check under its deadline; always returns a result (cancellation propagates).

    The deadline is ``timeout``, else the parameter named by the module's ``DEADLINE_PARAM`` when
    set (tcp and https: ``timeout``), else the module's ``DEFAULT_TIMEOUT``. ``log_file``
    (optional) receives the traceback of an internal error; ``emit`` only gets one line about it.
    """
    started = time.monotonic()
    emit = _discard if emit is None else emit
    ctx = CheckContext(lang=lang, emit=_scrubbing(emit), clipboard=clipboard)
    try:
        module = registry.load(name)
    except registry.UnknownCheck:
        known = ", ".join(sorted(registry.CHECKS))
        result = _fail(t("engine.unknown_check_known", ctx.lang, name=name, known=known))
        return _finish(result, started)
    except Exception as exc:  # a broken check module must not take the caller down
        return _finish(_internal_error(ctx, name, exc, log_file), started)

    parsed = _parse_params(module.Params, params or {}, ctx)
    if isinstance(parsed, CheckResult):
        return _finish(parsed, started)

    _remember_secrets(parsed)
    seconds = _deadline_seconds(timeout, parsed, module)
    ctx.deadline = time.monotonic() + seconds
    try:
        async with asyncio.timeout(seconds) as scope:
            result = await module.run(parsed, ctx)
        if not isinstance(result, CheckResult):
            raise TypeError(f"check '{name}' returned {type(result).__name__}, not a CheckResult")
    except TimeoutError as exc:
        if scope.expired():
            result = _deadline_reached(ctx, seconds)
        else:  # a timeout of the check's own making that it did not handle
            result = _internal_error(ctx, name, exc, log_file)
    except asyncio.CancelledError:
        ctx.log(t("engine.cancelled", ctx.lang))
        raise
    except Exception as exc:
        result = _internal_error(ctx, name, exc, log_file)
    return _finish(result, started)


async def run_many(
    items: Sequence[tuple[Hashable, str, dict[str, Any] | None]],
    *,
    lang: str = "nl",
    emit_for: Callable[[Hashable], Emit | None] | None = None,
    concurrency: int = 4,
    timeouts: Mapping[Hashable, float | None] | None = None,
    on_result: Callable[[Hashable, CheckResult], None] | None = None,
) -> dict[Hashable, CheckResult]:
    """Run independent checks side by side, at most ``concurrency`` at a time.

    ``items`` are (key, check name, params); ``timeouts`` optionally gives a key its own deadline
    (as ``run_check``'s ``timeout``); ``on_result`` hears of each result as it comes (progress).
    The results come back under their key, in the order given. Cancelling run_many cancels every
    check still running.
    """
    keys = [key for key, _, _ in items]
    if len(set(keys)) != len(keys):
        raise ValueError("run_many: every item needs its own key")
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(key: Hashable, name: str, params: dict[str, Any] | None) -> CheckResult:
        async with gate:
            emit = emit_for(key) if emit_for else None
            timeout = timeouts.get(key) if timeouts else None
            result = await run_check(name, params, lang=lang, emit=emit, timeout=timeout)
        if on_result:
            on_result(key, result)
        return result

    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(one(key, name, params)) for key, name, params in items}
    return {key: task.result() for key, task in tasks.items()}


# --- parameters ---------------------------------------------------------------------------------


def _parse_params(model: type[BaseModel], raw: dict[str, Any], ctx: CheckContext) -> BaseModel | CheckResult:
    """The validated parameters, or a fail result listing every problem on one line."""
    problems = [f"{key}: {t('engine.unknown_parameter', ctx.lang)}" for key in raw if key not in model.model_fields]
    try:
        parsed = model.model_validate(raw, context={"lang": ctx.lang})
    except ValidationError as exc:
        problems += [_describe_error(model, error, ctx) for error in exc.errors(include_url=False)]
    if not problems:
        return parsed
    return CheckResult(
        status="fail",
        message="; ".join(problems),
        hint=t("engine.check_got_invalid_input", ctx.lang),
        evidence={"bad_params": problems},  # the headless commands turn this into a usage error
    )


def _describe_error(model: type[BaseModel], error: Any, ctx: CheckContext) -> str:
    """'port: must be a whole number from 1 to 65535' rather than pydantic's wording."""
    loc = error["loc"]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    kind = error["type"]
    field = model.model_fields.get(loc[0]) if loc and len(loc) == 1 else None
    if kind == "missing":
        what = t("engine.required", ctx.lang)
    elif kind == "value_error":
        what = str(error.get("ctx", {}).get("error", error["msg"]))
    elif field is not None and kind.split("_")[0] in {"int", "float", "greater", "less"}:
        what = _number_phrase(field, ctx)
    elif kind in {"string_type", "string_too_short"}:
        what = t("engine.must_text_not_empty", ctx.lang)
    elif kind == "list_type":
        what = t("engine.must_list", ctx.lang)
    else:
        what = error["msg"]
    return f"{where or '(params)'}: {what}"


def _number_phrase(field: Any, ctx: CheckContext) -> str:
    whole = int in (get_args(field.annotation) or (field.annotation,))
    noun = t("engine.whole_number", ctx.lang) if whole else t("engine.number", ctx.lang)
    bounds = {name: getattr(item, name) for item in field.metadata for name in ("ge", "le", "gt") if hasattr(item, name)}
    low, high = bounds.get("ge"), bounds.get("le")
    if low is not None and high is not None:
        return t("engine.must_from", ctx.lang, noun=noun, low=low, high=high)
    if "gt" in bounds:
        return t("engine.must_greater_than", ctx.lang, noun=noun, above=bounds['gt'])
    if low is not None:
        return t("engine.must_least", ctx.lang, noun=noun, low=low)
    if high is not None:
        return t("engine.must_most", ctx.lang, noun=noun, high=high)
    return t("engine.must", ctx.lang, noun=noun)


def _deadline_seconds(timeout: float | None, parsed: BaseModel, module: ModuleType) -> float:
    """The caller's timeout, else the parameter the module names as its deadline, else its default.

    Only an opt-in parameter counts: elsewhere a ``timeout`` parameter may mean something smaller
    (licence_pdf's is the time to read one PDF, inside a longer deadline).
    """
    deadline_param = getattr(module, "DEADLINE_PARAM", None)
    own = getattr(parsed, deadline_param, None) if deadline_param else None
    chosen = timeout if timeout is not None else own if own is not None else module.DEFAULT_TIMEOUT
    return max(0.0, float(chosen))


# --- secrets ------------------------------------------------------------------------------------

def _remember_secrets(parsed: BaseModel) -> None:
    """Every secret parameter (a SecretStr) is masked by tui.secrets from now on; the other text
    parameters count as user names for the Basic-authorization spelling."""
    values = {name: getattr(parsed, name) for name in type(parsed).model_fields}
    users = [value for value in values.values() if isinstance(value, str)]
    for value in values.values():
        if isinstance(value, SecretStr):
            remember(value.get_secret_value(), users)


def _scrubbing(emit: Emit) -> Emit:
    """A second guard: a check should never log a secret (nor a URL with its password), but if it
    does it is masked here."""

    def scrubbed(event: Event) -> None:
        if isinstance(event, LogLine):
            event = LogLine(scrub_text(event.text), event.at)
        elif isinstance(event, Progress):
            event = Progress(event.done, event.total, scrub_text(event.text))
        emit(event)

    return scrubbed


# --- results ------------------------------------------------------------------------------------


def _fail(message: str, hint: str = "") -> CheckResult:
    return CheckResult(status="fail", message=message, hint=hint)


def _finish(result: CheckResult, started: float) -> CheckResult:
    return result.model_copy(update={
        "duration_ms": round((time.monotonic() - started) * 1000),
        "message": scrub_text(result.message),
        "hint": scrub_text(result.hint),
        "evidence": scrub_value(result.evidence),
    })


def _deadline_reached(ctx: CheckContext, seconds: float) -> CheckResult:
    ctx.log(t("engine.deadline_s_reached", ctx.lang, seconds=seconds))
    return _fail(
        t("engine.deadline_s_reached", ctx.lang, seconds=seconds),
        t("engine.check_did_not_finish", ctx.lang),
    )


def _internal_error(
    ctx: CheckContext, name: str, exc: BaseException, log_file: LogFile | None
) -> CheckResult:
    cause = exc
    while isinstance(cause, BaseExceptionGroup) and len(cause.exceptions) == 1:
        cause = cause.exceptions[0]  # "unhandled errors in a TaskGroup" says nothing; its one error does
    text = " ".join(str(cause).split()) or type(cause).__name__
    ctx.log(t("engine.internal_error_check", ctx.lang, name=name) + f": {type(cause).__name__}: {text}")
    if log_file is not None:
        log_file.write(scrub_text(line) for line in traceback.format_exception(exc))
    return _fail(
        text,
        t("engine.unexpected_error_koppel_itself", ctx.lang),
    )


# --- the log file -------------------------------------------------------------------------------


class LogFile:
    """A server's log on disk: timestamped lines appended in batches, bounded by one rotation.

    Each ``write`` is one open/append/close, so nothing holds the file open (Windows can rotate
    it, an admin can open it in Notepad meanwhile). When a batch would take the file past
    ``max_bytes`` the file moves to ``<name>.1`` (replacing an older one) and a new one starts.
    """

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()  # the UI writes from workers and timers
        self.problem: str | None = None  # why the last write failed, if it did

    @property
    def rotated_path(self) -> Path:
        return self.path.with_name(self.path.name + ".1")

    def write(self, lines: Iterable[str | LogLine]) -> None:
        """Append ``lines``; an OSError is raised and also kept in ``problem`` (a caller that carries
        on without its log, as a run does, can still say why the log is missing)."""
        try:
            self._write(lines)
        except OSError as error:
            self.problem = f"could not write the log {self.path}: {error.strerror or type(error).__name__}"
            raise

    def _write(self, lines: Iterable[str | LogLine]) -> None:
        data = "".join(self._format(line) for line in lines).encode("utf-8", errors="replace")
        if not data:
            return
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._rotate_before(len(data))
            if self.path.is_symlink():  # never followed: it could point anywhere outside koppel's home
                raise OSError(errno.ELOOP, "a symbolic link, which koppel does not follow", str(self.path))
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(self.path, flags, 0o600), "ab") as handle:  # O_NOFOLLOW: no race either
                handle.write(data)

    def _format(self, line: str | LogLine) -> str:
        text, at = (line.text, line.at) if isinstance(line, LogLine) else (line, time.time())
        text = scrub_text(text)  # the last guard before the disk: whoever wrote the line
        stamp = datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        return "".join(f"{stamp} {part}{os.linesep}" for part in text.splitlines() or [""])

    def _rotate_before(self, incoming: int) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size and size + incoming > self.max_bytes:
            try:
                os.replace(self.path, self.rotated_path)
            except OSError:
                pass  # e.g. held open by another process on Windows: keep appending, rotate next time
