"""The face: argument parsing, exit codes, and launching the app.

Headless commands live in ``tui.headless`` (their output in ``tui.console``) and never import
Textual; the TUI is imported only when it starts. Exit codes: 0 ok, 1 problem found, 2 bad input or usage, 3 state in use.
"""

from __future__ import annotations

import argparse
import errno
import functools
import os
import stat
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Sequence

from tui import __version__
from tui.exit_codes import EXIT_PROBLEM, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"koppel: {message} (koppel --help)\n")

    # argparse makes a formatter at every add_argument only to try the metavar, and at add_subparsers
    # to say the commands' prog prefix (the prog alone, without positionals); a formatter asks the
    # terminal's width first, which imports shutil (with bz2 and lzma). Neither depends on the width:
    # it is asked only where help or usage is really formatted (issue 11)
    _trying_metavar = False

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        self._trying_metavar = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            self._trying_metavar = False

    def add_subparsers(self, **kwargs: Any) -> Any:
        if not self._get_positional_actions():
            kwargs.setdefault("prog", self.prog)
        return super().add_subparsers(**kwargs)

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self._trying_metavar:
            return self.formatter_class(prog=self.prog, width=80)
        return super()._get_formatter()


def _common_options(default: object) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=default, help="folder for koppel's state, logs and reports (default: KOPPEL_HOME or the user state folder)")
    common.add_argument("--server", metavar="NAME", default=default, help="server whose state to use (default: this machine's host name)")
    common.add_argument("--lang", choices=("nl", "en"), default=default, help="language (default: from the locale, Dutch otherwise)")
    common.add_argument("--playbook", metavar="FILE", default=default, help="a playbook TOML file instead of the built-in AV-638111 checklist")
    return common


def build_parser() -> argparse.ArgumentParser:
    """koppel's parser. argparse asks gettext for its own words ("options", "show this help message")
    once per parser it makes, and gettext looks for catalogues on disk at every ask: here each word is
    asked once (the same words; issue 11: a tenth of a fast `koppel status` went there)."""
    words = vars(argparse).get("_")
    if words is None:  # an argparse without the module-level gettext
        return _build_parser()
    argparse._ = functools.lru_cache(maxsize=None)(words)  # type: ignore[attr-defined]
    try:
        return _build_parser()
    finally:
        argparse._ = words  # type: ignore[attr-defined]


def _build_parser() -> argparse.ArgumentParser:
    # The options go before or after the command (koppel --home D status, koppel status --home D).
    # After it they default to SUPPRESS: a subcommand's default would overwrite the value given before.
    common = _common_options(argparse.SUPPRESS)
    as_json = _Parser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="machine-readable output on stdout")

    parser = _Parser(prog="koppel", parents=[_common_options(None)],
                     description="Link AccountView 9.8+ with Visma.net services and Visma.net AutoReport, step by step (AV-638111).")
    parser.add_argument("--version", action="version", version=f"koppel {__version__}")
    parser.add_argument("--ascii", action="store_true", help="ASCII marks and borders (automatic on non-UTF-8 terminals)")
    parser.add_argument("--read-only", action="store_true", help="open the state without changing it (e.g. while another koppel has it)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("status", parents=[common, as_json], help="progress of a server's checklist")
    sub.add_parser("servers", parents=[common, as_json], help="servers koppel has state for")
    check = sub.add_parser("check", parents=[common, as_json], help="run the automated checks (doctor)")
    check.add_argument("--only", nargs="+", metavar="ID", help="only these step ids")
    report = sub.add_parser("report", parents=[common, as_json], help="hand-over report (Markdown) of a server's checklist")
    report.add_argument("-o", "--output", metavar="FILE", help="write here ('-' = stdout; default: the reports folder)")
    reset = sub.add_parser("reset", parents=[common], help="forget a server's progress")
    reset.add_argument("--yes", action="store_true", help="really do it")

    answers = sub.add_parser("answers", help="answers file: pre-fill forms like an unattended-install file")
    answers_sub = answers.add_subparsers(dest="answers_command", metavar="import|export", required=True, parser_class=_Parser)
    answers_import = answers_sub.add_parser("import", parents=[common], help="validate and load an answers file")
    answers_import.add_argument("file", metavar="FILE")
    answers_export = answers_sub.add_parser("export", parents=[common], help="write the answers (a template for a new server)")
    answers_export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    playbook = sub.add_parser("playbook", help="show or validate a playbook")
    playbook_sub = playbook.add_subparsers(dest="playbook_command", metavar="show|validate", required=True, parser_class=_Parser)
    playbook_sub.add_parser("show", parents=[common, as_json], help="the checklist as an outline or JSON")
    validate = playbook_sub.add_parser("validate", parents=[common], help="check a playbook file")
    validate.add_argument("file", metavar="FILE")

    probe = sub.add_parser("probe", help="one diagnostic: tcp HOST PORT | https URL")
    probe_sub = probe.add_subparsers(dest="probe_command", metavar="tcp|https", required=True, parser_class=_Parser)
    tcp = probe_sub.add_parser("tcp", parents=[common, as_json], help="can a TCP connection be made")
    tcp.add_argument("host")
    tcp.add_argument("port")
    tcp.add_argument("--timeout", type=float, metavar="S")
    https = probe_sub.add_parser("https", parents=[common, as_json], help="can an HTTPS URL be reached (proxy, TLS)")
    https.add_argument("url")
    https.add_argument("--timeout", type=float, metavar="S")

    licence = sub.add_parser("license", aliases=["licentie"], parents=[common, as_json], help="read an AccountView licence PDF")
    licence.add_argument("pdf", metavar="PDF")
    extract = sub.add_parser("extract", parents=[common, as_json], help="safely unpack the gateway zip (opg_Installer.zip)")
    extract.add_argument("zip", metavar="ZIP")
    extract.add_argument("dest", metavar="DEST")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else list(argv)) == ["--version"] and sys.stdout is not None:
        print(f"koppel {__version__}")  # what argparse's --version prints, without the parser (issue 11)
        return 0
    from tui import console

    console.make_streams_safe()  # before anything is printed, --help included
    args = build_parser().parse_args(argv)
    from tui import headless  # after parsing: --version and --help need none of it
    try:
        code = launch(args) if args.command is None else headless.dispatch(args)
        sys.stdout.flush()  # a reader gone shows here, where it is handled, not in the flush at exit
        return code
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # every failure becomes one line, never a traceback
        if _reader_gone(error):  # `koppel status | more` and the reader quit: nothing left to say
            _silence_stdout()
            return EXIT_PROBLEM
        from tui.state.language import default_lang

        code, message = headless.explain(error, default_lang(getattr(args, "lang", None)))
        print(f"koppel: {message}", file=sys.stderr)
        return code


def _reader_gone(error: Exception) -> bool:
    """The pipe's reader quit: BrokenPipeError on POSIX; on Windows a write into a pipe whose reader
    closed it is a bare OSError EINVAL (bpo-35754): one with stdout a pipe is taken for that."""
    if isinstance(error, BrokenPipeError):
        return True
    if not (isinstance(error, OSError) and error.errno == errno.EINVAL):
        return False
    try:
        return stat.S_ISFIFO(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush into the closed pipe
    cannot fail again at exit (os.devnull is "nul" on Windows)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # stdout is no real file: nothing will be flushed into a pipe
        pass


def has_terminal() -> bool:
    """Whether stdin and stdout are a terminal: without one the app cannot be used (at EOF
    Textual's input thread spins and q never arrives)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or missing streams
        return False


def launch(args: argparse.Namespace) -> int:
    from tui.state.language import default_lang
    from tui.state.session import StateUnavailable, open_session
    from tui.text import Phrase, in_lang

    terminal = has_terminal()
    try:  # bad input (server name, folder, playbook) is said first, terminal or not
        session = open_session(args.home, args.server, read_only=args.read_only, lang=args.lang,
                               playbook_path=Path(args.playbook) if args.playbook else None)
    except StateUnavailable as error:
        if args.read_only:
            raise
        raise StateUnavailable(Phrase("state.only_look", error=error)) from None
    if not terminal:  # said before Textual starts; the lock is let go at once
        session.close()
        from tui.text import t

        print(f"koppel: {t('cli.no_terminal', default_lang(args.lang))}", file=sys.stderr)
        return EXIT_USAGE
    from tui.app import KoppelApp
    from tui.checks.engine import LogFile

    notices = [str(in_lang(p, session.lang)) for p in session.store.phrases] if session.store else []  # the state's language too
    from tui import console

    app = KoppelApp(session=session, ascii_mode=console.plain_console(args.ascii), lang=session.lang, notices=notices,
                    log_file=LogFile(session.log_path) if session.log_path else None)
    _flush_on_hangup(app)
    try:
        app.run()
    finally:
        session.close()
    if app.crash_line:
        print(app.crash_line, file=sys.stderr)
    return app.return_code or 0


HANGUP_GRACE = 2.0  # seconds the orderly exit gets after a hang-up before the process ends itself


def _flush_on_hangup(app: object) -> None:
    """SSH drop (SIGHUP), SIGTERM, or the console window closing (SIGBREAK on Windows): save and
    release the state first, then ask the app to leave; if it has not left after HANGUP_GRACE
    (Textual blocks writing to the terminal that is gone), the process ends itself."""
    import asyncio
    import signal
    import threading

    def on_signal(signum: int, frame: object) -> None:
        # armed first: the save below could wait for a write this signal interrupted
        threading.Thread(target=_end_after, args=(HANGUP_GRACE, 128 + signum), daemon=True,
                         name="koppel-hangup-watchdog").start()
        if hasattr(signal, "SIGCONT"):  # the SIGCONT after SIGHUP would make Textual redraw into the dead tty
            signal.signal(signal.SIGCONT, signal.SIG_DFL)
        app.close_session()  # type: ignore[attr-defined]  # written and unlocked; a failure has no screen left
        try:
            asyncio.get_running_loop().call_soon_threadsafe(app.exit)  # type: ignore[attr-defined]
        except RuntimeError:
            raise SystemExit(128 + signum) from None

    for signum in hangup_signals(signal):
        signal.signal(signum, on_signal)


def _end_after(seconds: float, code: int) -> None:
    import time

    time.sleep(seconds)
    os._exit(code)  # the state is saved and unlocked already; nothing else may keep koppel alive


def hangup_signals(signals: ModuleType) -> list[int]:
    """The hang-up signals this OS has: SIGHUP and SIGTERM on POSIX; SIGTERM and SIGBREAK (the console
    window closing, Ctrl+Break) on Windows. ``signals`` is the signal module, or a stand-in in tests."""
    return [getattr(signals, name) for name in ("SIGHUP", "SIGTERM", "SIGBREAK") if hasattr(signals, name)]
