"""Headless commands: the same playbook, state and checks as the app, without Textual."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_IN_USE = 0, 1, 2, 3


class UsageError(Exception):
    """Bad input from the admin: exit 2 with this message."""


def explain(error: BaseException) -> tuple[int, str]:
    """An exit code and one line for any failure, so no traceback ever reaches the admin."""
    from tui.playbook.loader import PlaybookError
    from tui.state.paths import BadServerName
    from tui.state.session import SessionError
    from tui.state.store import StateInUse

    if isinstance(error, StateInUse):
        return EXIT_IN_USE, f"{error} (open it with --read-only to look)"
    if isinstance(error, (PlaybookError, BadServerName, SessionError, UsageError)):
        return EXIT_USAGE, str(error)
    if isinstance(error, FileNotFoundError):
        return EXIT_USAGE, f"file not found: {error.filename}"
    if isinstance(error, OSError):
        return EXIT_USAGE, f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")
    return EXIT_PROBLEM, f"internal error ({type(error).__name__}): {error}"


def dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "answers":
        return {"import": answers_import, "export": answers_export}[args.answers_command](args)
    if command == "playbook":
        return {"show": playbook_show, "validate": playbook_validate}[args.playbook_command](args)
    if command == "probe":
        return probe(args)
    if command in ("license", "licentie"):
        return licence(args)
    return {"status": status, "servers": servers, "check": check, "reset": reset, "extract": extract,
            "report": report}[command](args)


# -- output helpers ---------------------------------------------------------------------------
def unicode_ok() -> bool:
    return (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").startswith("utf")


MARKS = {"ok": ("✔", "[ok]"), "warn": ("⚠", "[warn]"), "fail": ("✖", "[FAIL]"), "na": ("–", "[n/a]"),
         "done": ("✔", "[x]"), "skipped": ("–", "[-]"), "failed": ("✖", "[!]"), "todo": ("·", "[ ]"),
         "running": ("▶", "[>]"), "interrupted": ("↯", "[~]"), "blocked": ("⧗", "[#]")}


def mark(status: str) -> str:
    fancy, plain = MARKS.get(status, ("?", "[?]"))
    return fancy if unicode_ok() else plain


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def open_for(args: argparse.Namespace, *, read_only: bool = False):
    from tui.state.session import open_session

    return open_session(args.home, args.server, read_only=read_only, lang=args.lang,
                        playbook_path=args.playbook)


# -- state ------------------------------------------------------------------------------------
def status(args: argparse.Namespace) -> int:
    session = open_for(args, read_only=True)
    done, total = session.progress()
    steps = []
    for ref in session.refs():
        entry = session.step_state(ref.key)
        steps.append({"id": ref.key, "title": ref.title(session.lang), "section": ref.section.id,
                      "status": session.status(ref.key), "updated_at": entry.updated_at, "by": entry.by})
    if args.json:
        print_json({"server": session.state.server, "done": done, "total": total, "steps": steps})
        return EXIT_OK
    print(f"{session.state.server}: {done}/{total}")
    section = None
    for item in steps:
        if item["section"] != section:
            section = item["section"]
            title = next(s.title.get(session.lang) for s in session.playbook.sections if s.id == section)
            print(f"\n{title} {session.section_progress(section)[0]}/{session.section_progress(section)[1]}")
        when = f"  {item['updated_at']:%Y-%m-%d %H:%M} {item['by'] or ''}" if item["updated_at"] else ""
        print(f"  {mark(item['status'])} {item['title']}{when}")
    return EXIT_OK


def servers(args: argparse.Namespace) -> int:
    from tui.state.paths import koppel_home
    from tui.state.store import list_servers

    rows = list_servers(koppel_home(args.home))
    if args.json:
        print_json(rows)
    elif not rows:
        print("no servers yet" if args.lang == "en" else "nog geen servers")
    else:
        for row in rows:
            print("  ".join(str(row.get(k) or "") for k in ("server", "updated_at", "updated_by", "in_use_by")).rstrip())
    return EXIT_OK


def reset(args: argparse.Namespace) -> int:
    from tui.state.paths import default_server, koppel_home, safe_server_name
    from tui.state.store import reset as reset_state

    if not args.yes:
        raise UsageError("reset forgets all progress of the server: add --yes to confirm")
    name = safe_server_name(args.server) if args.server else default_server()
    reset_state(koppel_home(args.home), name)
    print(f"reset: {name}")
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    from tui.report import report_data, report_markdown
    from tui.state.paths import koppel_home, report_dir

    session = open_for(args, read_only=True)
    text = json.dumps(report_data(session), indent=2, ensure_ascii=False) + "\n" if args.json else report_markdown(session)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    target = Path(args.output) if args.output else (
        report_dir(koppel_home(args.home)) / f"{session.state.server}-{stamp}.{'json' if args.json else 'md'}")
    _write_text_atomically(target, text)
    print(target)
    return EXIT_OK


def answers_export(args: argparse.Namespace) -> int:
    from tui.playbook.answers import export_answers

    session = open_for(args, read_only=True)
    text = export_answers(session.playbook, session.state, session.lang)
    if args.output:
        _write_text_atomically(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def answers_import(args: argparse.Namespace) -> int:
    from tui.playbook.answers import import_answers

    text = Path(args.file).read_text(encoding="utf-8")
    session = open_for(args)
    try:
        values, problems = import_answers(session.playbook, text, session.lang)
        if problems:
            for problem in problems:
                print(f"{args.file}: {problem}", file=sys.stderr)
            return EXIT_USAGE
        # the administraties first: scoped step keys depend on them
        ordered = sorted(values.items(), key=lambda item: 0 if "administraties" in item[1] else 1)
        for key, cleaned in ordered:
            session.record_answers(key, cleaned)
        print(f"{len(values)} steps pre-filled for {session.state.server}")
        return EXIT_OK
    finally:
        session.close()


def _write_text_atomically(path: Path, text: str) -> None:
    import os
    import tempfile

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent or ".", delete=False,
                                     prefix=f".{path.name}.", suffix=".tmp") as handle:
        handle.write(text)
    os.replace(handle.name, path)


# -- playbook ---------------------------------------------------------------------------------
def playbook_validate(args: argparse.Namespace) -> int:
    from tui.playbook.loader import load_playbook

    playbook = load_playbook(Path(args.file))
    steps = playbook.steps()
    print(f"{args.file}: ok ({len(playbook.sections)} sections, {len(steps)} steps)")
    return EXIT_OK


def playbook_show(args: argparse.Namespace) -> int:
    from tui.playbook.loader import load_builtin, load_playbook
    from tui.state.session import default_lang

    playbook = load_playbook(Path(args.playbook)) if args.playbook else load_builtin()
    lang = default_lang(args.lang)
    if args.json:
        print_json(playbook_as_json(playbook, lang))
        return EXIT_OK
    print(f"{playbook.title.get(lang)} ({playbook.source})")
    for number, section in enumerate(playbook.sections, 1):
        print(f"\n{number}. {section.title.get(lang)}" + (f"  [{section.menu_path}]" if section.menu_path else ""))
        for step in section.steps:
            extras = [step.kind] + (["per administratie"] if step.scope == "administratie" else []) + (
                ["optional"] if step.optional else [])
            print(f"   - {step.title.get(lang)}  ({step.id}; {', '.join(extras)})")
            if step.menu_path:
                print(f"       {step.menu_path}")
    return EXIT_OK


def playbook_as_json(playbook: Any, lang: str) -> dict[str, Any]:
    def step_json(step: Any) -> dict[str, Any]:
        return {
            "id": step.id, "title": step.title.get(lang), "kind": step.kind, "menu_path": step.menu_path,
            "instructions": [i.text.get(lang) + (f"\n{i.result.get(lang)}" if i.result else "") for i in step.instructions],
            "warnings": [{"kind": w.kind, "label": w.label(lang), "text": w.text.get(lang)} for w in step.warnings],
            "requires": list(step.requires), "scope": step.scope, "optional": step.optional,
            "check": step.check.name if step.check else None,
            "fields": [{"id": f.id, "label": f.label.get(lang), "type": f.type, "required": f.required,
                        "choices": f.choices, "rules": [r.name for r in f.rules]} for f in step.fields],
        }

    return {"id": playbook.id, "title": playbook.title.get(lang), "source": playbook.source, "lang": lang,
            "sections": [{"id": s.id, "title": s.title.get(lang), "menu_path": s.menu_path,
                          "steps": [step_json(step) for step in s.steps]} for s in playbook.sections]}


# -- checks -----------------------------------------------------------------------------------
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

    result = asyncio.run(run_check(name, params, lang=lang, emit=emit, timeout=timeout))
    return result, lines


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
    from tui.state.session import default_lang

    lang = default_lang(args.lang)
    if args.probe_command == "tcp":
        try:
            port = int(args.port)
        except ValueError:
            raise UsageError(f"port must be a whole number from 1 to 65535, not '{args.port}'") from None
        name, params = "tcp", {"host": args.host, "port": port}
    else:
        name, params = "https", {"url": args.url}
    result, lines = _run(name, params, lang, args.timeout, _echo(args))
    if result.status == "fail" and result.evidence.get("bad_params"):
        raise UsageError(result.message)
    return _report(result, lines, args.json)


def licence(args: argparse.Namespace) -> int:
    from tui.state.session import default_lang

    if not Path(args.pdf).is_file():
        raise UsageError(f"file not found: {args.pdf}")
    result, lines = _run("licence_pdf", {"path": args.pdf}, default_lang(args.lang), echo=_echo(args))
    licence_info = result.evidence.get("licence") or {}
    if args.json:
        print_json({"status": result.status, "message": result.message, "hint": result.hint,
                    **licence_info, "log": lines})
    else:
        for field in ("edition", "version", "customer", "modules"):
            if licence_info.get(field):
                value = licence_info[field]
                print(f"{field}: {', '.join(value) if isinstance(value, list) else value}")
        _report(result, [], False)
    return EXIT_OK if result.status in ("ok", "warn") else EXIT_PROBLEM


def extract(args: argparse.Namespace) -> int:
    from tui.state.session import default_lang

    if not Path(args.zip).is_file():
        raise UsageError(f"file not found: {args.zip}")
    result, lines = _run("gateway_zip", {"zip": args.zip, "target": args.dest}, default_lang(args.lang),
                         echo=_echo(args))
    return _report(result, lines, args.json)


def check(args: argparse.Namespace) -> int:
    """Every automated check of the playbook, concurrently, doctor style."""
    from tui.checks.base import LogLine
    from tui.checks.engine import run_many
    from tui.checks.registry import load

    from tui.state.store import StateInUse

    try:
        session = open_for(args)
    except StateInUse as busy:  # the app has it open: check anyway, record nothing
        print(f"koppel: {busy}; results are not recorded", file=sys.stderr)
        session = open_for(args, read_only=True)
    try:
        refs = [r for r in session.refs() if r.step.check and load(r.step.check.name).KIND == "check"]
        if args.only:
            unknown = [i for i in args.only if not any(r.key == i or r.step.id == i for r in refs)]
            if unknown:
                raise UsageError(f"no automated check with id: {', '.join(unknown)}")
            refs = [r for r in refs if r.key in args.only or r.step.id in args.only]
        logs: dict[str, list[str]] = {r.key: [] for r in refs}

        def emit_for(key: str) -> Callable[[object], None]:
            return lambda event: logs[key].append(event.text) if isinstance(event, LogLine) else None

        items = [(r.key, r.step.check.name, session.check_params(r.key)) for r in refs]
        results = asyncio.run(run_many(items, lang=session.lang, emit_for=emit_for,
                                       timeouts={r.key: r.step.check.timeout for r in refs}))
        if session.log_path:
            from tui.checks.engine import LogFile

            LogFile(session.log_path).write(f"[{key}] {session.scrub(line)}" for key, lines in logs.items() for line in lines)
        rows = []
        for ref in refs:
            result = results[ref.key]
            if not session.read_only and not session.blockers(ref.key):
                session.record_result(ref.key, result, logs[ref.key])
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
    return EXIT_PROBLEM if any(row["status"] == "fail" for row in rows) else EXIT_OK
