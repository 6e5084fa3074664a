"""koppel runs on Windows servers (Windows Terminal, conhost, OpenSSH); CI runs on Linux.

(a) Every POSIX-only API in tui/ sits in a POSIX branch (and every Windows-only API in a Windows
    branch), found by reading the source: no platform is needed to catch a missing branch. A branch
    is an ``if`` on os.name / sys.platform / hasattr() (never a parameter: no seam), the rest of a block
    after such an ``if`` that returns, or a try that catches ImportError/AttributeError. Never: a
    shell, a text-mode file without encoding= (cp1252 on Windows), a child outside its own process
    group (new_group_kwargs), subprocess.run without a timeout.
(b) The headless commands on consoles that are not UTF-8 (conhost cp850/cp437, ASCII pipes).
(c) The Windows code run for real in the Windows leg (known folders, OEM code page, elevation); seams
    only for what Wine cannot be (a user who is not an administrator).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

# --- (a) the source reader -------------------------------------------------------------------------

POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix", "syslog", "crypt", "spwd"}
WINDOWS_MODULES = {"msvcrt", "winreg", "_winapi", "winsound", "nt"}
POSIX_ATTRIBUTES = {
    f"os.{name}" for name in (
        "killpg", "getpgid", "setpgid", "setsid", "getsid", "getpgrp", "geteuid", "getuid", "getegid", "getgid",
        "getgroups", "setuid", "seteuid", "fork", "forkpty", "openpty", "chown", "lchown", "fchown", "mkfifo",
        "mknod", "statvfs", "fstatvfs", "getloadavg", "uname", "nice", "sync", "wait3", "wait4", "WNOHANG",
        "O_DIRECTORY", "O_NOFOLLOW", "O_CLOEXEC", "O_NONBLOCK", "pipe2", "ttyname", "ctermid", "sched_getaffinity",
    )
} | {
    f"signal.{name}" for name in (
        "SIGKILL", "SIGHUP", "SIGQUIT", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGPIPE", "SIGSTOP", "SIGCONT",
        "SIGWINCH", "SIGTSTP", "alarm", "setitimer", "pause", "siginterrupt", "pthread_kill", "pthread_sigmask", "sigwait",
    )
} | {"time.tzset", "socket.AF_UNIX", "select.poll", "select.epoll", "shutil.chown"}
POSIX_METHODS = {"add_signal_handler", "remove_signal_handler", "add_reader", "add_writer"}  # not on Windows' event loop
WINDOWS_ATTRIBUTES = {
    "ctypes.windll", "ctypes.WinDLL", "ctypes.WinError", "ctypes.oledll", "subprocess.CREATE_NEW_PROCESS_GROUP",
    "subprocess.CREATE_NO_WINDOW", "subprocess.STARTUPINFO", "signal.CTRL_C_EVENT", "signal.CTRL_BREAK_EVENT",
    "signal.SIGBREAK", "os.startfile", "os.O_BINARY", "os.O_NOINHERIT", "sys.getwindowsversion",
}
POSIX_SPAWN_KEYWORDS = {"start_new_session", "preexec_fn", "pass_fds", "process_group"}
WINDOWS_SPAWN_KEYWORDS = {"creationflags", "startupinfo"}
POSIX_PATHS = ("/proc", "/sys/", "/dev/", "/etc/", "/tmp/", "/var/")
NEVER = {"os.system", "os.popen", "asyncio.create_subprocess_shell"}  # a shell: quoting differs per OS
TEXT_FILE_OPENERS = {"open", "io.open", "os.fdopen"}
GUARD_EXCEPTIONS = {"ImportError", "ModuleNotFoundError", "AttributeError"}

WINDOWS, POSIX, PROBED = "windows", "posix", "probed"  # what a branch knows about the platform


def dotted(node: ast.AST) -> str:
    """``os.name`` for the expression os.name; "" for anything that is not a plain dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _windows_when_true(test: ast.AST) -> bool | None:
    """True: the test holds exactly on Windows; False: exactly off Windows; None: no platform test."""
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq))
            and isinstance(test.comparators[0], ast.Constant)):
        subject, value, equal = dotted(test.left), test.comparators[0].value, isinstance(test.ops[0], ast.Eq)
        if subject == "os.name" and value in ("nt", "posix"):
            return equal == (value == "nt")
        if subject == "sys.platform" and isinstance(value, str):
            return equal == value.startswith("win")
    if isinstance(test, ast.Call) and dotted(test.func) == "sys.platform.startswith" and test.args:
        argument = test.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return True if argument.value.startswith("win") else None
    return None


def facts_when(test: ast.AST, outcome: bool) -> frozenset[str]:
    """What is known about the platform where ``test`` evaluated to ``outcome``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return facts_when(test.operand, not outcome)
    if isinstance(test, ast.BoolOp):
        # `a and b` true: both true; `a or b` false: both false. Otherwise nothing certain.
        if isinstance(test.op, ast.And) == outcome:
            return frozenset().union(*(facts_when(value, outcome) for value in test.values))
        return frozenset()
    if isinstance(test, ast.Call) and dotted(test.func) == "hasattr":
        return frozenset({PROBED}) if outcome else frozenset()
    windows = _windows_when_true(test)
    if windows is None:
        return frozenset()
    return frozenset({WINDOWS if windows == outcome else POSIX})


def always_leaves(block: list[ast.stmt]) -> bool:
    """The block never falls through to the statement after it (return, raise, continue, break)."""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
        return True
    if isinstance(last, ast.If):
        return always_leaves(last.body) and always_leaves(last.orelse)
    if isinstance(last, ast.Try):
        return always_leaves(last.orelse or last.body) and all(always_leaves(h.body) for h in last.handlers)
    if isinstance(last, ast.With):
        return always_leaves(last.body)
    return False


def _catches_missing_names(node: ast.Try) -> bool:
    for handler in node.handlers:
        caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(dotted(name) in GUARD_EXCEPTIONS for name in caught if name is not None):
            return True
    return False


@dataclass(frozen=True)
class Use:
    line: int
    what: str
    needs: str  # POSIX or WINDOWS
    guarded: bool


class PlatformReader:
    """Every platform-specific use in a module, with whether its branch fits it; plus uses that fit nowhere."""

    def __init__(self, source: str) -> None:
        self.uses: list[Use] = []
        self.never: list[str] = []
        self._block(ast.parse(source).body, frozenset())

    def problems(self) -> list[str]:
        return [f"line {u.line}: {u.what} outside a {u.needs} branch" for u in self.uses if not u.guarded] + self.never

    def _block(self, statements: list[ast.stmt], facts: frozenset[str]) -> None:
        for statement in statements:
            self._visit(statement, facts)
            if isinstance(statement, ast.If) and not statement.orelse and always_leaves(statement.body):
                facts = facts | facts_when(statement.test, False)  # the rest of the block is the other branch

    def _visit(self, node: ast.AST, facts: frozenset[str]) -> None:
        if isinstance(node, (ast.If, ast.IfExp)):
            self._visit(node.test, facts)
            self._children(node.body, facts | facts_when(node.test, True))
            self._children(node.orelse, facts | facts_when(node.test, False))
            return
        if isinstance(node, ast.Try):
            self._block(node.body, facts | ({PROBED} if _catches_missing_names(node) else frozenset()))
            for handler in node.handlers:
                self._visit(handler, facts)
            self._block(node.orelse, facts)
            self._block(node.finalbody, facts)
            return
        self._judge(node, facts)
        for field_value in ast.iter_fields(node):
            self._children(field_value[1], facts)

    def _children(self, value: object, facts: frozenset[str]) -> None:
        if isinstance(value, list):
            if value and all(isinstance(item, ast.stmt) for item in value):
                self._block(value, facts)
            else:
                for item in value:
                    if isinstance(item, ast.AST):
                        self._visit(item, facts)
        elif isinstance(value, ast.AST):
            self._visit(value, facts)

    def _use(self, node: ast.AST, what: str, needs: str, facts: frozenset[str]) -> None:
        self.uses.append(Use(getattr(node, "lineno", 0), what, needs, bool(facts & {needs, PROBED})))

    def _judge(self, node: ast.AST, facts: frozenset[str]) -> None:
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                top = module.split(".")[0]
                if top in POSIX_MODULES or top in WINDOWS_MODULES:
                    self._use(node, f"import {module}", POSIX if top in POSIX_MODULES else WINDOWS, facts)
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    name = f"{node.module}.{alias.name}"
                    if name in POSIX_ATTRIBUTES or name in WINDOWS_ATTRIBUTES:
                        self._use(node, f"from {node.module} import {alias.name}",
                                  POSIX if name in POSIX_ATTRIBUTES else WINDOWS, facts)
        elif isinstance(node, ast.Attribute):
            name = dotted(node)
            if name in POSIX_ATTRIBUTES or name in WINDOWS_ATTRIBUTES:
                self._use(node, name, POSIX if name in POSIX_ATTRIBUTES else WINDOWS, facts)
            elif node.attr in POSIX_METHODS:
                self._use(node, f".{node.attr}()", POSIX, facts)
        elif isinstance(node, ast.Call):
            self._judge_call(node, facts, line)
        elif isinstance(node, ast.Dict):  # keyword arguments gathered for a later **spread
            for key in node.keys:
                if isinstance(key, ast.Constant) and key.value in POSIX_SPAWN_KEYWORDS | WINDOWS_SPAWN_KEYWORDS:
                    self._use(key, f"{key.value}=", POSIX if key.value in POSIX_SPAWN_KEYWORDS else WINDOWS, facts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(POSIX_PATHS):
            self._use(node, repr(node.value), POSIX, facts)

    def _judge_call(self, node: ast.Call, facts: frozenset[str], line: int) -> None:
        name = dotted(node.func)
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if name in NEVER:
            self.never.append(f"line {line}: {name}() runs a shell")
        shell = keywords.get("shell")
        if isinstance(shell, ast.Constant) and shell.value is True:
            self.never.append(f"line {line}: shell=True")
        for keyword, value in keywords.items():
            if keyword in POSIX_SPAWN_KEYWORDS | WINDOWS_SPAWN_KEYWORDS:
                self._use(value, f"{keyword}=", POSIX if keyword in POSIX_SPAWN_KEYWORDS else WINDOWS, facts)
        if self._opens_text_without_encoding(node, name, keywords):
            self.never.append(f"line {line}: {name or 'open'}() in text mode without encoding= (Windows: cp1252)")
        if name in ("subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output") \
                and "timeout" not in keywords:
            self.never.append(f"line {line}: {name}() without timeout= (a hanging child hangs koppel)")
        if name in ("subprocess.Popen", "asyncio.create_subprocess_exec") and not any(
            kw.arg is None and isinstance(kw.value, ast.Call) and dotted(kw.value.func).endswith("new_group_kwargs")
            for kw in node.keywords
        ):
            self.never.append(f"line {line}: {name}() without **new_group_kwargs() (its tree could not be killed)")

    @staticmethod
    def _opens_text_without_encoding(node: ast.Call, name: str, keywords: dict[str, ast.expr]) -> bool:
        if "encoding" in keywords:
            return False
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("read_text", "write_text"):
            return True
        if name in TEXT_FILE_OPENERS or (isinstance(node.func, ast.Attribute) and node.func.attr == "open"):
            position = 0 if isinstance(node.func, ast.Attribute) and name not in TEXT_FILE_OPENERS else 1
            mode = keywords.get("mode", node.args[position] if len(node.args) > position else None)
            if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str) and re.fullmatch(r"[rwxabt+]+", mode.value)):
                # builtin open() defaults to text; obj.open(name) may be anything (ZipFile.open takes a member name)
                return mode is None and name in TEXT_FILE_OPENERS
            return "b" not in mode.value
        if name.startswith("subprocess.") or name == "asyncio.create_subprocess_exec":
            for flag in ("text", "universal_newlines"):
                value = keywords.get(flag)
                if isinstance(value, ast.Constant) and value.value is True:
                    return True
        return False


def problems_in(source: str) -> list[str]:
    return PlatformReader(source).problems()


@pytest.mark.parametrize("source", [
    "import os\nos.killpg(1, 9)",
    "import os\nif os.name == 'nt':\n    os.killpg(1, 9)",
    "import os\nif os.name != 'nt':\n    pass\nelse:\n    os.geteuid()",
    "import os, signal\ndef f():\n    if os.name != 'nt':\n        return\n    os.kill(1, signal.SIGKILL)",
    "import os\ndef f(is_windows):\n    if not is_windows:\n        return os.geteuid()",  # a seam is no branch
    "import os\ndef f():\n    if os.name == 'nt' and os.environ.get('X'):\n        return 1\n    return os.geteuid()",
    "import fcntl",
    "import ctypes\nctypes.windll.shell32.IsUserAnAdmin()",
    "import sys, ctypes\nif sys.platform != 'win32':\n    ctypes.windll.kernel32",
    "import subprocess\nsubprocess.run(['x'], start_new_session=True, timeout=1)",
    "import subprocess\nsubprocess.run(['sc.exe', 'query'])",
    "def k():\n    return {'creationflags': 512}",
    "import subprocess\nsubprocess.run('dir', shell=True, timeout=1)",
    "import os\nos.system('dir')",
    "open('state.json')",
    "from pathlib import Path\nPath('x').read_text()",
    "import os\nos.fdopen(3, 'w')",
    "import subprocess\nsubprocess.run(['x'], text=True, timeout=1)",
    "import subprocess\nsubprocess.Popen(['x'])",
    "import os\nos.open('/proc/self/fd', os.O_RDONLY)",
    "from os import getuid",
    "import asyncio\nasyncio.get_running_loop().add_signal_handler(15, print)",
])
def test_the_reader_catches_a_missing_branch(source: str) -> None:
    assert problems_in(source), source


@pytest.mark.parametrize("source", [
    "import os\nif os.name == 'nt':\n    pass\nelse:\n    os.killpg(1, 9)",
    "import os\nif os.name != 'nt':\n    os.geteuid()",
    "import sys, os\nif sys.platform.startswith('win'):\n    x = 1\nelse:\n    os.getuid()",
    "import os, signal\ndef f(pid):\n    if os.name == 'nt':\n        try:\n            return 1\n"
    "        except OSError:\n            return 2\n    os.killpg(pid, signal.SIGKILL)",
    "import os\nuid = os.geteuid() if os.name != 'nt' else None",
    "import signal\nif hasattr(signal, 'SIGHUP'):\n    signal.signal(signal.SIGHUP, print)",
    "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None",
    "import os, ctypes\nif os.name == 'nt':\n    ctypes.windll.kernel32.GetOEMCP()",
    "import os\ndef k():\n    if os.name == 'nt':\n        return {'creationflags': 512}\n    return {'start_new_session': True}",
    "import os\nflags = os.O_WRONLY | getattr(os, 'O_BINARY', 0)",
    "open('state.json', 'rb')",
    "open('notes.txt', encoding='utf-8')",
    "import zipfile\nzipfile.ZipFile('a.zip').open('setup.exe')",
    "import os\ndef f():\n    if os.name == 'nt' or os.environ.get('X'):\n        return 1\n    return os.geteuid()",
    "import asyncio\nasync def f(argv):\n    await asyncio.create_subprocess_exec(*argv, **new_group_kwargs())",
    "import os\nif os.name == 'posix':\n    p = '/proc/self/status'",
])
def test_the_reader_accepts_a_proper_branch(source: str) -> None:
    assert problems_in(source) == [], source


def tui_sources() -> dict[str, str]:
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in sorted((ROOT / "tui").rglob("*.py"))}


def test_every_platform_specific_call_in_tui_has_its_branch() -> None:
    problems = [f"{name}: {problem}" for name, source in tui_sources().items() for problem in problems_in(source)]
    assert problems == []


def test_the_reader_sees_the_known_branches_of_tui() -> None:
    """It does find the platform calls that are there (a reader that sees nothing passes everything)."""
    uses = {name: PlatformReader(source).uses for name, source in tui_sources().items()}
    seen = {(name, use.what) for name, found in uses.items() for use in found}
    assert {(os.path.join("tui", "checks", "procutil.py"), "os.killpg"),
            (os.path.join("tui", "checks", "procutil.py"), "signal.SIGKILL"),
            (os.path.join("tui", "checks", "procutil.py"), "creationflags="),
            (os.path.join("tui", "checks", "procutil.py"), "start_new_session="),
            (os.path.join("tui", "checks", "elevated.py"), "os.geteuid"),
            (os.path.join("tui", "checks", "elevated.py"), "ctypes.windll")} <= seen


def test_tui_asks_the_real_platform_never_a_seam() -> None:
    """No ``is_windows`` parameter or flag: the platform is os.name / sys.platform, so the Windows
    code runs (and is tested) only on Windows, the POSIX code only on POSIX."""
    seams = [f"{name}:{node.lineno}" for name, source in tui_sources().items() for node in ast.walk(ast.parse(source))
             if (isinstance(node, ast.arg) and node.arg.lower() == "is_windows")
             or (isinstance(node, ast.keyword) and (node.arg or "").lower() == "is_windows")
             or (isinstance(node, ast.Name) and node.id.lower() == "is_windows")]
    assert seams == []


# --- (b) consoles that are not UTF-8 ----------------------------------------------------------------

CAFE = "Café “De Hoek” — BV"  # é is in cp850, the quotes and the dash are not, none is ASCII


@pytest.fixture
def server_with_progress(koppel_home: Path) -> str:
    """A server with a done step and an administratie whose name no code page below holds fully."""
    from tui.state.session import open_session

    session = open_session(server="conhost")
    assert session.submit("vereisten.editie", {"versie": "9.9", "editie": "Business", "module_autoreport": "ja"}) == []
    session.state.administraties = [CAFE]
    session.store.save(session.state)
    session.close()
    return "conhost"


def koppel_on(encoding: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, timeout=60,
                          env={**env, "PYTHONIOENCODING": encoding})
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, done.stderr
    return done


@pytest.mark.parametrize("encoding", ["cp850", "cp437", "ascii"])
def test_status_on_a_console_that_is_not_utf8_prints_ascii_marks(encoding: str, server_with_progress: str,
                                                                  subprocess_env: dict[str, str]) -> None:
    done = koppel_on(encoding, subprocess_env, "status", "--server", server_with_progress)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode(encoding)
    step_lines = [line for line in text.splitlines() if line.startswith("  ")]
    marks = [re.match(r"  (\[[ x#~>!-]\]) \S", line) for line in step_lines]
    assert step_lines and all(marks), step_lines
    assert {"[x]", "[ ]", "[#]"} <= {found.group(1) for found in marks if found}
    cafe_line = next(line for line in text.splitlines() if "De Hoek" in line)
    assert 'Caf' in cafe_line and '"De Hoek" - BV' in cafe_line  # lookalikes, not "?" and not a crash
    if encoding == "ascii":
        assert done.stdout.isascii() and "Cafe" in cafe_line
    else:
        assert "Café" in cafe_line  # what the code page has is kept


@pytest.mark.parametrize("encoding", ["cp850", "ascii"])
@pytest.mark.parametrize("command", [
    ["status", "--json"], ["playbook", "show", "--json"], ["servers", "--json"],
    ["check", "--json", "--only", "vereisten.versie", "wizard.gateway_rechten"],
])
def test_json_on_a_console_that_is_not_utf8_is_ascii_and_lossless(encoding: str, command: list[str],
                                                                   server_with_progress: str,
                                                                   subprocess_env: dict[str, str]) -> None:
    done = koppel_on(encoding, subprocess_env, *command, "--server", server_with_progress)
    assert done.returncode == 0, done.stderr
    assert done.stdout.isascii()
    data = json.loads(done.stdout)
    if command[0] == "status":
        assert any(CAFE in step["title"] for step in data["steps"])


@pytest.mark.parametrize("encoding", ["cp850", "ascii"])
@pytest.mark.parametrize("command", [["playbook", "show"], ["check", "--only", "vereisten.versie", "wizard.gateway_rechten"],
                                     ["servers"], ["--help"], ["status", "--server", "Café"]])
def test_every_printing_command_survives_a_console_that_is_not_utf8(encoding: str, command: list[str],
                                                                    server_with_progress: str,
                                                                    subprocess_env: dict[str, str]) -> None:
    args = command if "--server" in command or command == ["--help"] else [*command, "--server", server_with_progress]
    done = koppel_on(encoding, subprocess_env, *args)
    assert done.returncode in (0, 2), done.stderr  # 2: the hostile server name, told in one line
    done.stdout.decode(encoding)
    done.stderr.decode(encoding)


@pytest.mark.parametrize("encoding", ["cp850", "ascii"])
def test_documents_redirected_to_a_file_are_utf8(encoding: str, server_with_progress: str,
                                                 subprocess_env: dict[str, str]) -> None:
    """`koppel answers export > answers.toml` on a cp850 console: TOML must be UTF-8, whatever the console."""
    import tomllib

    answers = koppel_on(encoding, subprocess_env, "answers", "export", "--server", server_with_progress)
    assert answers.returncode == 0
    assert tomllib.loads(answers.stdout.decode("utf-8"))["administraties"] == [CAFE]
    report = koppel_on(encoding, subprocess_env, "report", "--server", server_with_progress, "-o", "-")
    assert report.returncode == 0 and CAFE in report.stdout.decode("utf-8")


def test_marks_follow_the_console_and_the_ascii_switch(server_with_progress: str, subprocess_env: dict[str, str]) -> None:
    fancy = koppel_on("utf-8", subprocess_env, "status", "--server", server_with_progress).stdout.decode("utf-8")
    assert "✔" in fancy and "[x]" not in fancy
    for plain in (koppel_on("utf-8", subprocess_env, "--ascii", "status", "--server", server_with_progress),
                  koppel_on("utf-8", {**subprocess_env, "KOPPEL_ASCII": "1"}, "status", "--server", server_with_progress)):
        assert "[x]" in plain.stdout.decode("utf-8") and "✔" not in plain.stdout.decode("utf-8")


# --- (c) the Windows code, run for real in the Windows leg (seams only for what Wine cannot be) -------


def test_console_fallback_encoding_is_the_oem_code_page_on_windows() -> None:
    import codecs

    from tui.checks.procutil import decode_output, fallback_encoding

    oem = fallback_encoding()
    if os.name == "nt":  # asked of Windows itself (GetOEMCP): cp437 under Wine, cp850 on a Dutch server
        assert re.fullmatch(r"cp\d+", oem) and codecs.lookup(oem)
    else:
        assert oem == "latin-1"
    assert decode_output("Geïnstalleerd: ✓ ok".encode("utf-8"), oem) == "Geïnstalleerd: ✓ ok"
    assert decode_output("Status: Geïnstalleerd".encode("cp850"), "cp850") == "Status: Geïnstalleerd"  # sc.exe, Dutch


@pytest.mark.parametrize("elevated", [True, False])
def test_elevation_verdict(elevated: bool) -> None:
    from tui.checks.base import CheckContext
    from tui.checks.elevated import check_elevation

    result = check_elevation(CheckContext(lang="nl"), is_elevated=lambda: elevated)
    if os.name != "nt":
        assert result.status == "na" and result.evidence["root"] is elevated
    elif elevated:
        assert result.status == "ok"
    else:
        assert result.status == "fail" and "Als administrator uitvoeren" in result.hint


async def test_the_elevation_check_asks_the_os() -> None:
    from tui.checks import elevated
    from tui.checks.base import CheckContext

    result = await elevated.run(elevated.Params(), CheckContext(lang="en"))
    if os.name == "nt":  # IsUserAnAdmin: Wine's user is an administrator
        assert (result.status, result.evidence) == (("ok", {"elevated": True}) if elevated.is_elevated() else ("fail", {"elevated": False}))
    else:
        assert result.status == "na" and result.evidence["root"] is (os.geteuid() == 0)


SHELL_FOLDERS = r"Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders"
DOWNLOADS_ID = "{374DE290-123F-4565-9164-39C4925E467B}"  # FOLDERID_Downloads


def shell_folder(name: str) -> Path:
    """The shell's own record of a known folder (the registry), %VARIABLES% expanded."""
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, SHELL_FOLDERS) as key:
        return Path(os.path.expandvars(winreg.QueryValueEx(key, name)[0]))


def test_downloads_is_the_known_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tui.checks.places import downloads_dir

    monkeypatch.delenv("WIN_PD_OVERRIDE_DOWNLOADS", raising=False)
    if os.name == "nt":
        recorded = shell_folder(DOWNLOADS_ID)
        monkeypatch.setenv("USERPROFILE", str(tmp_path))  # a guess from the environment would follow this
        assert downloads_dir() == recorded
        return
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert downloads_dir() == tmp_path / "Downloads"
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config" / "user-dirs.dirs").write_text('XDG_DOWNLOAD_DIR="$HOME/Binnengekomen"\n', encoding="utf-8")
    assert downloads_dir() == tmp_path / "Binnengekomen"  # a Dutch desktop's own name for it


def test_the_state_folder_is_local_appdata(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tui.state.paths import koppel_home

    monkeypatch.delenv("KOPPEL_HOME")
    if os.name == "nt":  # %LOCALAPPDATA%\koppel, as Windows records the folder, not as the variable says
        recorded = shell_folder("Local AppData")
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
        assert koppel_home() == recorded / "koppel"
    else:
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
        assert koppel_home() == tmp_path / "state" / "koppel"


@contextmanager
def folder_held_open(folder: Path) -> Iterator[Callable[[], None]]:
    """A handle on ``folder`` without FILE_SHARE_DELETE, as a virus scanner or the indexer holds a
    fresh folder: Windows refuses to rename it meanwhile (a sharing violation). Yields let_go()."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    generic_read, share_read_write, open_existing, backup_semantics = 0x80000000, 0x1 | 0x2, 3, 0x02000000
    handle = kernel32.CreateFileW(str(folder), generic_read, share_read_write, None, open_existing, backup_semantics, None)
    assert handle not in (None, wintypes.HANDLE(-1).value), ctypes.get_last_error()
    held = [handle]

    def let_go() -> None:
        if held:
            kernel32.CloseHandle(wintypes.HANDLE(held.pop()))

    try:
        yield let_go
    finally:
        let_go()


@pytest.mark.skipif(os.name != "nt", reason="Windows sharing rules: a folder held open cannot be renamed")
def test_folder_rename_waits_out_a_scanner_on_windows(tmp_path: Path) -> None:
    from tui.checks.gateway_zip import _replace

    source, target = tmp_path / "staging", tmp_path / "opg_Installer"
    source.mkdir()
    (source / "setup.exe").write_bytes(b"MZ")
    refusals = []
    with folder_held_open(source) as let_go:
        def scanner_lets_go_after_the_first_refusal(a: str, b: str) -> None:
            try:
                os.replace(a, b)  # the real rename, refused by Windows while the handle is open
            except PermissionError as exc:
                refusals.append(exc)
                let_go()
                raise

        _replace(str(source), str(target), replace=scanner_lets_go_after_the_first_refusal)
    assert len(refusals) == 1 and target.is_dir() and (target / "setup.exe").read_bytes() == b"MZ"


@pytest.mark.skipif(os.name == "nt", reason="POSIX: a refused rename is final")
def test_folder_rename_refused_off_windows_is_final(tmp_path: Path) -> None:
    from tui.checks.gateway_zip import _replace

    source, target = tmp_path / "staging", tmp_path / "opg_Installer"
    source.mkdir()
    refusals = []

    def refused(a: str, b: str) -> None:  # as root nothing refuses a rename here: the refusal is given
        refusals.append(a)
        raise PermissionError(13, "Permission denied")

    with pytest.raises(PermissionError):
        _replace(str(source), str(target), replace=refused)
    assert len(refusals) == 1 and source.is_dir()
    _replace(str(source), str(target))
    assert target.is_dir() and not source.exists()


def test_folder_fsync_is_posix_only(tmp_path: Path) -> None:
    from tui.state.atomic import fsync_dir

    if os.name == "nt":
        with pytest.raises(PermissionError):  # why: Windows cannot open a folder with os.open
            os.close(os.open(tmp_path, os.O_RDONLY))
        fsync_dir(tmp_path)  # and NTFS journals the rename itself: nothing to do, no error
        fsync_dir(tmp_path / "missing")
    else:
        with pytest.raises(FileNotFoundError):
            fsync_dir(tmp_path / "missing")
        fsync_dir(tmp_path)


PROBE = """
import json, sys
from pathlib import Path
from tui.state.lock import holder
folder = Path(sys.argv[1])
print(json.dumps({"held": holder(folder, "held"), "free": holder(folder, "free"), "filelock": "filelock" in sys.modules}))
"""


def test_the_lock_probe_of_koppel_servers(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    """A lock held by another process is seen as held, a free one as free; on POSIX without importing
    filelock (flock, as filelock takes it), on Windows through filelock (msvcrt)."""
    from tui.state.lock import ServerLock

    (tmp_path / "free.lock").write_bytes(b"")  # left by a koppel that ended
    held = ServerLock(tmp_path, "held", "test")
    held.acquire()
    try:
        done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, timeout=120,
                              env=subprocess_env, cwd=ROOT)
    finally:
        held.release()
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["held"] is not None and seen["held"].endswith(f"pid {os.getpid()}") and seen["free"] is None
    assert seen["filelock"] is (os.name == "nt")
