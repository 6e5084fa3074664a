"""The headless commands that run checks: ``koppel check`` (every automated check of the playbook,
through the step runner), ``probe`` (one tcp or https check), ``licence`` and ``extract``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any, Callable, Coroutine, TypeVar

from tui.console import ProgressLine, is_terminal, mark, print_json
from tui.exit_codes import EXIT_OK, EXIT_PROBLEM
from tui.headless.common import UsageError, open_for
from tui.text import in_lang, t

T = TypeVar("T")


def _run(name: str, params: dict[str, Any], lang: str, timeout: float | None = None,
         echo: Callable[[str], None] | None = None) -> tuple[Any, list[str]]:
    from tui.checks.base import LogLine
    from tui.checks.engine import run_check

    lines: list[str] = []

    def emit(event: object) -> None:
        if isinstance(event, LogLine):
            lines.append(event.text)
            if echo:
                echo(event.text)

    result = run_checks_aside(run_check(name, params, lang=lang, emit=emit, timeout=timeout))
    return result, lines


def run_checks_aside(checks: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, keeping stdout for koppel's own report (with --json: nothing but JSON); whatever
    a check or a library prints goes to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        import asyncio  # here, not at the top: --version and status stay quick

        return asyncio.run(checks)


def _report(result: Any, lines: list[str], as_json: bool, extra: dict[str, Any] | None = None) -> int:
    if as_json:
        print_json({**result.model_dump(), **(extra or {}), "log": lines})
    else:
        print(f"{mark(result.status)} {result.message}")
        if result.hint:
            print(f"  {result.hint}")
    return EXIT_OK if result.status in ("ok", "warn") else EXIT_PROBLEM


def _echo(args: argparse.Namespace) -> Callable[[str], None] | None:
    return None if args.json else (lambda line: print(f"  {line}", file=sys.stderr))


def probe(args: argparse.Namespace) -> int:
    from tui.state.language import default_lang

    lang = default_lang(args.lang)
    if args.probe_command == "tcp":
        try:
            port = int(args.port)
        except ValueError:
            raise UsageError(t("probe.bad_port", lang, port=args.port)) from None
        name, params = "tcp", {"host": args.host, "port": port}
    else:
        name, params = "https", {"url": args.url}
    result, lines = _run(name, params, lang, args.timeout, _echo(args))
    if result.status == "fail" and result.evidence.get("bad_params"):
        raise UsageError(result.message)
    return _report(result, lines, args.json)


def licence(args: argparse.Namespace) -> int:
    """Everything koppel reads from a licence PDF (JSON: the fields plus status, message and log)."""
    from tui.checks.licence_pdf import LicenceReadError, read_licence_async
    from tui.state.language import default_lang

    lang = default_lang(args.lang)
    if not Path(args.pdf).is_file():
        raise UsageError(t("error.file_not_found", lang, path=args.pdf))
    lines: list[str] = []
    echo = _echo(args)

    def log(line: str) -> None:
        lines.append(line)
        if echo:
            echo(line)

    try:
        info = run_checks_aside(read_licence_async(args.pdf, lang=lang, log=log))
    except LicenceReadError as error:
        if args.json:
            print_json({"status": "fail", "message": str(error), "hint": error.hint, "reason": error.reason, "log": lines})
        else:
            print(f"{mark('fail')} {error}" + (f"\n  {error.hint}" if error.hint else ""))
        return EXIT_PROBLEM
    verdict = " ".join(info.problems) or t("licence.meets", lang)
    if args.json:
        print_json({**info.model_dump(), "message": verdict, "hint": " ".join(info.hints), "log": lines})
    else:
        for field in ("edition", "version", "customer", "licence_number", "modules"):
            value = getattr(info, field)
            if value:
                print(f"{t('licence.' + field, lang)}: {', '.join(value) if isinstance(value, list) else value}")
        print(f"{mark(info.status)} {verdict}")
        for hint in info.hints:
            print(f"  {hint}")
    return EXIT_OK if info.status in ("ok", "warn") else EXIT_PROBLEM


def extract(args: argparse.Namespace) -> int:
    from tui.state.language import default_lang

    lang = default_lang(args.lang)
    if not Path(args.zip).is_file():
        raise UsageError(t("error.file_not_found", lang, path=args.zip))
    result, lines = _run("gateway_zip", {"zip": args.zip, "target": args.dest}, lang, echo=_echo(args))
    return _report(result, lines, args.json)


CHECK_CONCURRENCY = 4


def _only(refs: list[Any], wanted: list[str], lang: str) -> list[Any]:
    """The checks ``--only`` names (a step id or a key per administratie); an unknown id is a usage
    error that lists the valid ones, with the closest as a did-you-mean."""
    from tui.playbook.names import closest

    valid = list(dict.fromkeys(name for r in refs for name in (r.step.id, r.key)))
    unknown = [i for i in wanted if i not in valid]
    if unknown:
        best = closest(unknown[0], valid)
        hint = t("check.did_you_mean", lang, name=best) if best else ""
        raise UsageError(t("check.unknown_id", lang, ids=", ".join(unknown), hint=hint, valid=", ".join(valid)))
    return [r for r in refs if r.key in wanted or r.step.id in wanted]


def check(args: argparse.Namespace) -> int:
    """Every automated check of the playbook, concurrently, doctor style: each through the step
    runner, as the app runs it (marked running, recorded, logged alike)."""
    from tui.checks.engine import LogFile
    from tui.checks.registry import load
    from tui.state.session import StateUnavailable
    from tui.state.store import StateInUse

    try:
        session = open_for(args, must_exist=False)  # the doctor also runs on a server not started yet
    except (StateInUse, StateUnavailable) as busy:  # the app has it open, or it is read-only: check anyway
        session = open_for(args, read_only=True)  # when even looking is impossible, that is the one message
        print(f"koppel: {t('check.not_recorded', session.lang, why=in_lang(busy, session.lang))}", file=sys.stderr)
    try:
        refs = [r for r in session.refs() if r.step.check and load(r.step.check.name).KIND == "check"]
        if args.only:
            refs = _only(refs, args.only, session.lang)
        progress = ProgressLine(len(refs), session.lang, enabled=not args.json and is_terminal(sys.stderr))
        try:
            progress.show()
            log_file = LogFile(session.log_path) if session.log_path else None
            outcomes = run_checks_aside(_run_steps(session, [r.key for r in refs], progress, log_file))
        finally:
            progress.clear()
        failed_save = next((o.refused or o.save_error for o in outcomes if o.refused or o.save_error), None)
        if failed_save is not None:  # a full disk: said as koppel says it everywhere (exit 2)
            raise failed_save
        rows = []
        for ref, outcome in zip(refs, outcomes):
            result = outcome.result
            rows.append({"id": ref.key, "title": ref.title(session.lang), "status": result.status,
                         "message": result.message, "hint": result.hint, "duration_ms": result.duration_ms})
    finally:
        session.close()
    if args.json:
        print_json([{k: row[k] for k in ("id", "status", "message", "hint", "duration_ms")} for row in rows])
    else:
        for row in rows:
            print(f"{mark(row['status'])} {row['title']}: {row['message']}")
            if row["hint"] and row["status"] != "ok":
                print(f"    {row['hint']}")
    if log_file is not None and log_file.problem:  # the results stand; the log is what is missing
        print(f"koppel: {t('check.log_missing', session.lang, problem=log_file.problem)}", file=sys.stderr)
    return EXIT_PROBLEM if any(row["status"] == "fail" for row in rows) else EXIT_OK


async def _run_steps(session: Any, keys: list[str], progress: ProgressLine, log_file: Any) -> list[Any]:
    """The steps' checks side by side (at most CHECK_CONCURRENCY at a time) through the runner. A
    step that waits for another, or a state opened read-only, is checked without being recorded."""
    import asyncio

    from tui.runs import StepRunner

    runner = StepRunner(session, log_file=log_file)
    gate = asyncio.Semaphore(CHECK_CONCURRENCY)

    async def one(key: str) -> Any:
        async with gate:
            outcome = await runner.run(key, record=not session.read_only and not session.blockers(key))
        progress.advance()
        return outcome

    return await asyncio.gather(*(one(key) for key in keys))
