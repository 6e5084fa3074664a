"""What the headless commands share: the admin's bad input (UsageError), the server and session a
command acts on, a text file the admin made, and a file written where the admin asked (-o)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


class UsageError(Exception):
    """Bad input from the admin: exit 2 with this message."""


def save_document(path: Path, text: str) -> None:
    """Write a file the admin asked for (-o FILE) as UTF-8 (see tui.output_file: a regular file
    atomically, a device, FIFO or /dev/stdout written into)."""
    from tui.output_file import OutputRefused, write_output

    try:
        write_output(path, text.encode("utf-8"))
    except OutputRefused as refused:
        raise UsageError(str(refused)) from None


def server_for(args: argparse.Namespace, *, must_exist: bool) -> str:
    """The server the command acts on (see tui.server_choice); said once on stderr when the admin
    did not name it, so stdout (JSON, a document) stays what was asked for."""
    from tui.server_choice import choose_server
    from tui.state.language import default_lang

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
    for notice in session.store.phrases if session.store else ():  # in the session's language: the state's too
        print(f"koppel: {notice.said(session.lang)}", file=sys.stderr)  # e.g. a damaged file moved aside: the admin must know
    return session


def read_text_file(path: Path, max_bytes: int, lang: str) -> str:
    """A text file the admin made: UTF-8, with or without the BOM Notepad may write; refused beyond
    ``max_bytes`` (never more than that is read: /dev/zero is refused, not swallowed)."""
    from tui.playbook.loader import read_limited
    from tui.text import in_lang, t

    try:
        return read_limited(path, max_bytes).decode("utf-8-sig")
    except ValueError as error:  # UnicodeDecodeError is one too, so it is told apart
        if not isinstance(error, UnicodeDecodeError):
            raise UsageError(f"{path}: {in_lang(error, lang)}") from None
        raise UsageError(t("error.not_utf8", lang, path=path)) from None
