"""Headless commands: the same playbook, state and checks as the app, without Textual."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import json
import os
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Coroutine, TypeVar

from tui.exit_codes import EXIT_IN_USE, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE  # noqa: F401 (the face re-exports them)
from tui.secrets import scrub_text
from tui.text import t

T = TypeVar("T")


class UsageError(Exception):
    """Bad input from the admin: exit 2 with this message."""


def explain(error: BaseException) -> tuple[int, str]:
    """An exit code and one line for any failure, so no traceback ever reaches the admin."""
    from tui.playbook.loader import PlaybookError
    from tui.state.paths import BadServerName
    from tui.state.session import SessionError, describe_os_error
    from tui.server_choice import NoState
    from tui.state.store import StateInUse

    if isinstance(error, NoState):
        return EXIT_PROBLEM, str(error)
    if isinstance(error, StateInUse):
        return EXIT_IN_USE, f"{error} (open it with --read-only to look)"
    if isinstance(error, (PlaybookError, BadServerName, SessionError, UsageError)):
        return EXIT_USAGE, str(error)
    if isinstance(error, FileNotFoundError):
        return EXIT_USAGE, f"file not found: {error.filename}"
    if isinstance(error, OSError):
        return EXIT_USAGE, describe_os_error(error)
    return EXIT_PROBLEM, scrub_text(f"internal error ({type(error).__name__}): {error}")


def _closed_streams_to_null() -> None:
    """``koppel status >&-``: with stdout (or stderr) closed Python has None there; the command still
    runs and its output goes where ``>/dev/null`` would send it, instead of an internal error."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def dispatch(args: argparse.Namespace) -> int:
    _closed_streams_to_null()
    global _ascii_requested
    _ascii_requested = bool(getattr(args, "ascii", False))
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
# koppel runs in Windows Terminal and over OpenSSH (UTF-8), but also in an old conhost (cp850 or
# cp437) and with output redirected (the ANSI code page, or whatever PYTHONIOENCODING says). What
# the stream cannot encode is shown as its nearest ASCII, never a UnicodeEncodeError.

_ascii_requested = False  # --ascii on the command line, set by dispatch

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


def _is_terminal(stream: Any) -> bool:
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
        if os.name == "nt" and not _is_terminal(stream) and "PYTHONIOENCODING" not in os.environ:
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
    if buffer is None or _is_terminal(sys.stdout) or "PYTHONIOENCODING" in os.environ:
        print(json.dumps(data, indent=2, ensure_ascii=not _is_utf(sys.stdout), default=str))
        return
    sys.stdout.flush()
    buffer.write((json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
    buffer.flush()


def write_document(text: str) -> None:
    """A file's text (answers TOML, a report) on stdout. Redirected to a file or a pipe it is UTF-8,
    whatever the console's code page (TOML must be UTF-8); on a console it is shown as text."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or _is_terminal(sys.stdout):
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def save_document(path: Path, text: str) -> None:
    """Write a file the admin asked for (-o FILE) as UTF-8 (see tui.output_file: a regular file
    atomically, a device, FIFO or /dev/stdout written into)."""
    from tui.output_file import OutputRefused, write_output

    try:
        write_output(path, text.encode("utf-8"))
    except OutputRefused as refused:
        raise UsageError(str(refused)) from None


def local_time(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def server_for(args: argparse.Namespace, *, must_exist: bool) -> str:
    """The server the command acts on (see tui.server_choice); said once on stderr when the admin
    did not name it, so stdout (JSON, a document) stays what was asked for."""
    from tui.server_choice import choose_server
    from tui.state.session import default_lang

    chosen = getattr(args, "chosen_server", None)
    if chosen is None:
        choice = choose_server(args.home, args.server, default_lang(args.lang), must_exist=must_exist)
        if said := choice.said(default_lang(args.lang)):
            print(f"koppel: {said}", file=sys.stderr)
        chosen = args.chosen_server = choice.name
    return chosen


def open_for(args: argparse.Namespace, *, read_only: bool = False, must_exist: bool = True):
    from tui.playbook.loader import load_playbook
    from tui.state.session import open_session

    if args.playbook:  # a broken playbook is said first, before anything about the server
        load_playbook(Path(args.playbook))

    session = open_session(args.home, server_for(args, must_exist=must_exist), read_only=read_only,
                           lang=args.lang, playbook_path=args.playbook)
    for notice in session.store.notices if session.store else ():
        print(f"koppel: {notice}", file=sys.stderr)  # e.g. a damaged file moved aside: the admin must know
    return session


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
            title = session.playbook.section(section).title.get(session.lang)
            section_done, section_total = session.section_progress(section)
            print(f"\n{title} {section_done}/{section_total}")
        when = f"  {local_time(item['updated_at'])} {item['by'] or ''}" if item["updated_at"] else ""
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
            problem = f"({row['problem']})" if row["problem"] else ""
            print("  ".join(str(row.get(k) or "") for k in ("server", "updated_at", "updated_by", "in_use_by"))
                  .rstrip() + (f"  {problem}" if problem else ""))
    return EXIT_OK


def reset(args: argparse.Namespace) -> int:
    from tui.state.paths import koppel_home
    from tui.state.session import default_lang
    from tui.state.store import reset as reset_state

    lang = default_lang(args.lang)
    session = open_for(args, read_only=True)
    name, (done, total) = session.state.server, session.progress()
    session.close()
    if not args.yes:
        raise UsageError(t("reset.needs_yes", lang, name=name))
    removed = reset_state(koppel_home(args.home), name)
    print(t("reset.done", lang, name=name, done=done, total=total, files=", ".join(removed) or "-"))
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    from tui.report import report_data, report_markdown
    from tui.state.paths import koppel_home, report_dir

    session = open_for(args, read_only=True)
    text = json.dumps(report_data(session), indent=2, ensure_ascii=False) + "\n" if args.json else report_markdown(session)
    if args.output == "-":
        write_document(text)
        return EXIT_OK
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    target = Path(args.output) if args.output else (
        report_dir(koppel_home(args.home)) / f"{session.state.server}-{stamp}.{'json' if args.json else 'md'}")
    save_document(target, text)
    print(target)
    return EXIT_OK


def answers_export(args: argparse.Namespace) -> int:
    from tui.playbook.answers import export_answers

    session = open_for(args, read_only=True, must_exist=False)  # a new server's export is the template
    text = session.scrub(export_answers(session.playbook, session.state, session.lang))
    if args.output:
        save_document(Path(args.output), text)
    else:
        write_document(text)
    return EXIT_OK


def read_text_file(path: Path, max_bytes: int) -> str:
    """A text file the admin made: UTF-8, with or without the BOM Notepad may write; refused beyond
    ``max_bytes`` (never more than that is read: /dev/zero is refused, not swallowed)."""
    from tui.playbook.loader import read_limited

    try:
        return read_limited(path, max_bytes).decode("utf-8-sig")
    except ValueError as error:  # UnicodeDecodeError is one too, so it is told apart
        if not isinstance(error, UnicodeDecodeError):
            raise UsageError(f"{path}: {error}") from None
        raise UsageError(f"{path}: not UTF-8 text; save it as UTF-8 (Notepad: Save as, Encoding UTF-8)") from None


def _note_address_passwords(session: Any, text: str) -> None:
    """Let the session learn the passwords written into addresses anywhere in an answers file."""
    import tomllib

    from tui.playbook.loader import parse_toml

    try:
        session.note_address_passwords(parse_toml(text))
    except tomllib.TOMLDecodeError:  # import_answers says where; its message quotes no value
        pass


MAX_PROBLEMS_SHOWN = 50  # an answers file's problems on stderr; the rest are counted


def answers_import(args: argparse.Namespace) -> int:
    from tui.limits import ANSWERS_FILE_MAX_BYTES, clip
    from tui.playbook.answers import import_answers

    text = read_text_file(Path(args.file), ANSWERS_FILE_MAX_BYTES)
    session = open_for(args, must_exist=False)  # an answers file prepares a new server too
    try:
        _note_address_passwords(session, text)  # a rule's message may quote a value: never such a password
        values, problems = import_answers(session.playbook, text, session.lang)
        problems += [f"[{key}] {finding.field}: {finding.message}" for key, cleaned in values.items()
                     for finding in session.address_password_findings(key, cleaned)]
        if problems:
            for problem in problems[:MAX_PROBLEMS_SHOWN]:
                print(f"{args.file}: {clip(session.scrub(problem))}", file=sys.stderr)
            if len(problems) > MAX_PROBLEMS_SHOWN:
                print(f"{args.file}: ... and {len(problems) - MAX_PROBLEMS_SHOWN:,} more problems", file=sys.stderr)
            return EXIT_USAGE
        session.record_all_answers(values)
        print(t("import.done", session.lang, n=len(values), name=session.state.server))
        return EXIT_OK
    finally:
        session.close()


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
    """Everything koppel reads from a licence PDF (JSON: the fields plus status, message and log)."""
    from tui.checks.licence_pdf import LicenceReadError, read_licence_async
    from tui.state.session import default_lang

    if not Path(args.pdf).is_file():
        raise UsageError(f"file not found: {args.pdf}")
    lines: list[str] = []
    echo = _echo(args)

    def log(line: str) -> None:
        lines.append(line)
        if echo:
            echo(line)

    lang = default_lang(args.lang)
    try:
        info = run_checks_aside(read_licence_async(args.pdf, lang=lang, log=log))
    except LicenceReadError as error:
        if args.json:
            print_json({"status": "fail", "message": str(error), "hint": error.hint, "reason": error.reason, "log": lines})
        else:
            print(f"{mark('fail')} {error}" + (f"\n  {error.hint}" if error.hint else ""))
        return EXIT_PROBLEM
    verdict = " ".join(info.problems) or (
        "the licence meets the requirements: Team or Business, AutoReport-koppeling, 9.8 or later" if lang == "en"
        else "de licentie voldoet: Team of Business, AutoReport-koppeling, 9.8 of hoger")
    if args.json:
        print_json({**info.model_dump(), "message": verdict, "hint": " ".join(info.hints), "log": lines})
    else:
        for field in ("edition", "version", "customer", "licence_number", "modules"):
            value = getattr(info, field)
            if value:
                print(f"{field}: {', '.join(value) if isinstance(value, list) else value}")
        print(f"{mark(info.status)} {verdict}")
        for hint in info.hints:
            print(f"  {hint}")
    return EXIT_OK if info.status in ("ok", "warn") else EXIT_PROBLEM


def extract(args: argparse.Namespace) -> int:
    from tui.state.session import default_lang

    if not Path(args.zip).is_file():
        raise UsageError(f"file not found: {args.zip}")
    result, lines = _run("gateway_zip", {"zip": args.zip, "target": args.dest}, default_lang(args.lang),
                         echo=_echo(args))
    return _report(result, lines, args.json)


CHECK_CONCURRENCY = 4


class ProgressLine:
    """One line on stderr, "3/7 controles...", rewritten in place with \\r for a person watching a
    terminal. Plain ASCII, so every console shows it; never written when not ``enabled``."""

    def __init__(self, total: int, lang: str, *, enabled: bool) -> None:
        self.total, self.done = total, 0
        self.enabled = enabled and total > 0
        self.word = "checks" if lang == "en" else "controles"
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
        print(f"koppel: {t('check.not_recorded', session.lang, why=busy)}", file=sys.stderr)
    try:
        refs = [r for r in session.refs() if r.step.check and load(r.step.check.name).KIND == "check"]
        if args.only:
            refs = _only(refs, args.only, session.lang)
        progress = ProgressLine(len(refs), session.lang, enabled=not args.json and _is_terminal(sys.stderr))
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
        print(f"koppel: {log_file.problem}; the results above are not in the log", file=sys.stderr)
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
