"""The headless commands on a server's state: status, servers, reset, report, answers export/import."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.console import local_time, mark, print_json, write_document
from tui.exit_codes import EXIT_OK, EXIT_USAGE
from tui.headless.common import UsageError, open_for, read_text_file, save_document
from tui.text import status_said, t


def status(args: argparse.Namespace) -> int:
    return show_status(open_for(args, read_only=True), args.json)


def show_status(session: Any, as_json: bool) -> int:
    """The one body of ``koppel status``, for a session opened in full or read from plain JSON
    (tui.headless.fast)."""
    lang = session.lang
    steps = []
    for ref in session.refs():
        entry = session.step_state(ref.key)
        steps.append({"id": ref.key, "title": ref.title(lang), "section": ref.section.id,
                      "status": session.status(ref.key), "check_since": entry.check_since,
                      "updated_at": entry.updated_at, "by": entry.by})
    count = session.count()
    if as_json:
        print_json({"server": session.state.server, **count.as_json(), "steps": steps})
        return EXIT_OK
    print(f"{session.state.server}: {count.text(lang)}")
    section = None
    for item in steps:
        if item["section"] != section:
            section = item["section"]
            title = session.playbook.section(section).title.get(lang)
            print(f"\n{title} {session.section_count(section).ratio}")
        flag = f" {mark('flagged')}" if item["check_since"] else ""
        when = f"  {local_time(item['updated_at'])} {item['by'] or ''}".rstrip() if item["updated_at"] else ""
        print(f"  {mark(item['status'])} {item['title']}{flag}: {status_said(item['status'], lang, item['check_since'])}{when}")
    return EXIT_OK


def servers(args: argparse.Namespace) -> int:
    """Every server koppel has state for, each with the count `status` shows for it (the same
    playbook: --playbook or the built-in one)."""
    from tui.playbook.loader import load_builtin, load_playbook
    from tui.state.paths import koppel_home
    from tui.state.language import default_lang
    from tui.state.session import Session
    from tui.state.store import list_servers

    lang = default_lang(args.lang)
    playbook = load_playbook(Path(args.playbook)) if args.playbook else load_builtin()
    rows = list_servers(koppel_home(args.home), count=lambda state: Session(playbook, state, None, lang=lang).count(), lang=lang)
    return show_servers(rows, lang, args.json)


def show_servers(rows: list[dict[str, Any]], lang: str, as_json: bool) -> int:
    """The one body of ``koppel servers``, for rows listed through the models or from plain JSON
    (tui.headless.fast)."""
    if as_json:
        print_json([{**{k: v for k, v in row.items() if k != "count"},
                     **(row["count"].as_json() if row["count"] else {})} for row in rows])
        return EXIT_OK
    if not rows:
        print(t("servers.none", lang))
    for row in rows:
        parts = [row["server"], row["count"].text(lang) if row["count"] else ""]
        if row["updated_at"]:
            parts.append(f"{local_time(row['updated_at'])} {row['updated_by'] or ''}".rstrip())
        if row["in_use_by"]:
            parts.append(t("servers.in_use", lang, who=row["in_use_by"]))
        if row["problem"]:
            parts.append(f"({row['problem']})")
        print("  ".join(part for part in parts if part))
    return EXIT_OK


def reset(args: argparse.Namespace) -> int:
    from tui.state.paths import koppel_home
    from tui.state.language import default_lang
    from tui.state.store import reset as reset_state

    lang = default_lang(args.lang)
    session = open_for(args, read_only=True)
    name, count = session.state.server, session.count()
    session.close()
    if not args.yes:
        raise UsageError(t("reset.needs_yes", lang, name=name))
    removed = reset_state(koppel_home(args.home), name)
    print(t("reset.done", lang, name=name, progress=count.text(lang), files=", ".join(removed) or "-"))
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

    from tui.state.language import default_lang

    text = read_text_file(Path(args.file), ANSWERS_FILE_MAX_BYTES, default_lang(args.lang))
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
                more = t("import.more_problems", session.lang, n=f"{len(problems) - MAX_PROBLEMS_SHOWN:,}")
                print(f"{args.file}: {more}", file=sys.stderr)
            return EXIT_USAGE
        session.record_all_answers(values)
        print(t("import.done", session.lang, n=len(values), name=session.state.server))
        return EXIT_OK
    finally:
        session.close()
