"""The koppel command as the admin runs it: real subprocesses, real files, exit codes 0/1/2/3."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from unittest.mock import ANY

import pytest

from tui import __version__, console
from tui.state.session import open_session


def koppel(cmd: list[str], env: dict[str, str], *args: str, input_text: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=60,
                          input=input_text, encoding="utf-8")
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture
def run(koppel_cmd: list[str], subprocess_env: dict[str, str]):
    return lambda *args, **kw: koppel(koppel_cmd, subprocess_env, *args, **kw)


def test_version_and_usage_errors(run) -> None:
    assert run("--version").stdout.strip() == f"koppel {__version__}"
    bad = run("frobnicate")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "koppel:" in bad.stderr


def test_status_json_of_a_fresh_server(run) -> None:
    assert run("answers", "import", os.devnull, "--server", "AV-SRV01").returncode == 0  # started, nothing done
    done = run("status", "--server", "AV-SRV01", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["server"] == "av-srv01" and data["done"] == 0 and data["total"] == len(data["steps"]) > 15
    assert {"id", "title", "status", "updated_at", "by"} <= set(data["steps"][0])
    assert any(step["id"] == "wizard.gateway" for step in data["steps"])


@pytest.mark.parametrize("name", ["../x", "a/b", "CON", "x" * 300, "..", ""])
def test_hostile_server_names_get_one_line_and_exit_2(run, name: str, koppel_home: Path) -> None:
    done = run("status", "--server", name)
    assert done.returncode == 2 and done.stderr.startswith("koppel: ") and done.stderr.count("\n") == 1
    assert not list(koppel_home.parent.glob("x*"))  # nothing escaped the home folder


def test_playbook_show_outline_and_json(run) -> None:
    outline = run("playbook", "show")
    assert outline.returncode == 0 and "Opties > Visma-diensten activeren" in outline.stdout
    data = json.loads(run("playbook", "show", "--json", "--lang", "en").stdout)
    steps = {s["id"]: s for section in data["sections"] for s in section["steps"]}
    assert steps["wizard.gateway"]["menu_path"] is None or "Opties" in (steps["wizard.gateway"]["menu_path"] or "Opties")
    assert len(steps["wizard.gateway"]["instructions"]) == 18
    assert {"id", "title", "kind", "menu_path", "instructions", "warnings", "requires", "scope", "fields"} <= set(
        steps["onderneming.aanmaken"])
    assert steps["onderneming.aanmaken"]["scope"] == "administratie"


def test_playbook_validate_points_at_the_problem(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = "X"\n[[sections]]\nid = "s"\ntitle = "S"\n'
                   '[[sections.steps]]\nid = "licentie"\ntitle = "L"\n'
                   '[[sections.steps]]\nid = "b"\ntitle = "B"\nrequires = ["licnse"]\n', encoding="utf-8")
    done = run("playbook", "validate", str(bad))
    assert done.returncode == 2
    assert "requires" in done.stderr and "licnse" in done.stderr and "licentie" in done.stderr
    good = run("playbook", "validate", str(Path(__file__).parents[1] / "tui" / "playbooks" / "av638111.toml"))
    assert good.returncode == 0, good.stderr


def test_answers_template_import_and_export_round_trip(run, tmp_path: Path) -> None:
    template = run("answers", "export", "--server", "srv1")
    assert template.returncode == 0 and "wizard.beheerder" in template.stdout
    answers = tmp_path / "answers.toml"
    answers.write_text('administraties = ["Demo BV"]\n'
                       '[steps."wizard.beheerder"]\nemail = "beheer@example.nl"\n'
                       '[steps."onderneming.aanmaken@Demo BV"]\nondernemingcode = "DEMO"\n', encoding="utf-8")
    imported = run("answers", "import", str(answers), "--server", "srv1")
    assert imported.returncode == 0, imported.stderr
    exported = run("answers", "export", "--server", "srv1", "-o", str(tmp_path / "out.toml"))
    assert exported.returncode == 0
    text = (tmp_path / "out.toml").read_text(encoding="utf-8")
    assert "beheer@example.nl" in text and "DEMO" in text and "Demo BV" in text
    status = json.loads(run("status", "--server", "srv1", "--json").stdout)
    assert any(step["id"] == "onderneming.aanmaken@Demo BV" for step in status["steps"])


def test_answers_import_rejects_bad_values_and_secrets(run, tmp_path: Path, koppel_home: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[steps."vooraf.visma_bereikbaar"]\nproxy_wachtwoord = "Geheim-SENTINEL-42"\n'
                       '[steps."wizard.beheerder"]\nemail = "geen adres"\n', encoding="utf-8")
    done = run("answers", "import", str(answers), "--server", "srv2")
    assert done.returncode == 2
    assert "proxy_wachtwoord" in done.stderr and "email" in done.stderr
    assert "Geheim-SENTINEL-42" not in done.stderr
    for path in koppel_home.rglob("*"):
        if path.is_file():
            assert b"Geheim-SENTINEL-42" not in path.read_bytes()


def test_state_in_use_exits_3_and_read_only_still_reads(run) -> None:
    holder = open_session(server="busy")
    holder.record_answers("wizard.beheerder", {"email": "beheer@example.nl"})  # a state to read
    try:
        done = run("answers", "import", "/dev/null" if Path("/dev/null").exists() else "NUL", "--server", "busy")
        assert done.returncode == 3 and "in gebruik door" in done.stderr and "pid" in done.stderr
        assert run("status", "--server", "busy").returncode == 0
    finally:
        holder.close()


def test_reset_needs_yes(run) -> None:
    run("answers", "import", os.devnull, "--server", "gone")
    assert run("reset", "--server", "gone").returncode == 2
    assert run("reset", "--server", "gone", "--yes").returncode == 0


def test_probe_tcp_open_closed_and_bad_port(run) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        ok = run("probe", "tcp", "127.0.0.1", str(port), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["status"] == "ok" and json.loads(ok.stdout)["log"]
    refused = run("probe", "tcp", "127.0.0.1", str(port), "--timeout", "3")
    assert refused.returncode == 1
    assert run("probe", "tcp", "127.0.0.1", "poort").returncode == 2


def test_report_to_stdout(run, tmp_path: Path) -> None:
    run("answers", "import", os.devnull, "--server", "srv3")
    done = run("report", "--server", "srv3", "-o", "-")
    assert done.returncode == 0 and done.stdout.startswith("# Overdrachtsrapport: srv3")
    saved = run("report", "--server", "srv3", "--json")
    path = Path(saved.stdout.strip())
    assert path.is_file() and json.loads(path.read_text(encoding="utf-8"))["server"] == "srv3"


def test_check_runs_the_doctor_with_the_admins_answers(run, tmp_path: Path, koppel_home: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        answers = tmp_path / "answers.toml"
        answers.write_text(f'[steps."wizard.communicatie"]\nacs_host = "127.0.0.1"\nacs_poort = {port}\n', encoding="utf-8")
        assert run("answers", "import", str(answers), "--server", "doc").returncode == 0
        done = run("check", "--server", "doc", "--only", "wizard.communicatie", "--json")
        assert done.returncode == 0, done.stderr
        assert [row["id"] for row in json.loads(done.stdout)] == ["wizard.communicatie"]
        assert json.loads(done.stdout)[0]["status"] == "ok"
    closed = run("check", "--server", "doc", "--only", "wizard.communicatie")
    assert closed.returncode == 1 and f"127.0.0.1:{port}" in closed.stdout + closed.stderr
    assert "[wizard.communicatie]" in (koppel_home / "logs" / "doc.log").read_text(encoding="utf-8")
    assert run("check", "--server", "doc", "--only", "nope").returncode == 2


# --- koppel check: the progress line, JSON only on stdout -----------------------------------------

LOCAL_CHECKS = ("vereisten.versie", "wizard.communicatie_dienst", "wizard.gateway_rechten")  # none leaves this machine


def run_with_terminal_stderr(cmd: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run with stderr on a real pseudo-terminal (as an admin's console) and stdout on a pipe."""
    master, slave = os.openpty()
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=60)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return done.returncode, done.stdout.decode("utf-8"), b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="a pseudo-terminal is a POSIX thing")
def test_check_shows_one_updating_progress_line_on_a_terminal(koppel_cmd: list[str], subprocess_env: dict[str, str]) -> None:
    code, out, err = run_with_terminal_stderr([*koppel_cmd, "check", "--server", "prog", "--only", *LOCAL_CHECKS],
                                              subprocess_env)
    assert code == 1, err  # the version check has no answer yet: a failed check
    updates = re.findall(r"\r(\d)/3 controles\.\.\.", err)
    assert updates[0] == "0" and updates[-1] == "3" and updates == sorted(updates), err
    assert err.endswith("\r"), "the line is wiped before the results show"
    assert err.isascii() and "\n" not in err  # one line, rewritten in place
    assert "\r" not in out and len(out.splitlines()) >= 3
    code, out, err = run_with_terminal_stderr([*koppel_cmd, "check", "--server", "prog", "--json", "--only", *LOCAL_CHECKS],
                                              subprocess_env)
    assert "controles" not in err and len(json.loads(out)) == 3


def test_check_shows_no_progress_line_when_stderr_is_no_terminal(run) -> None:
    done = run("check", "--server", "prog", "--only", *LOCAL_CHECKS)
    assert done.returncode == 1 and "controles..." not in done.stderr and "\r" not in done.stderr


NOISY_CHECK = '''
"""A check that does what a careless check or library might: print to stdout, warn, log."""
import logging
import warnings

from pydantic import BaseModel, ConfigDict

from tui.checks.base import CheckResult

TITLE = {"nl": "Lawaai", "en": "Noise"}
KIND = "check"
DEFAULT_TIMEOUT = 5.0


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


async def run(params, ctx):
    print("NOISE on stdout")
    warnings.warn("NOISE as a warning")
    logging.getLogger("noisy").error("NOISE in the log")
    ctx.log("a line for koppel's own log")
    return CheckResult(status="ok", message="quiet now")
'''

NOISY_PLAYBOOK = '''id = "noisy"
title = "Noisy"
[[sections]]
id = "s"
title = "S"
[[sections.steps]]
id = "lawaai"
title = "Lawaai"
kind = "check"
check.name = "noisy"
'''


def test_check_json_is_nothing_but_json_even_when_a_check_prints(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    (tmp_path / "noisy_check.py").write_text(NOISY_CHECK, encoding="utf-8")
    playbook = tmp_path / "noisy.toml"
    playbook.write_text(NOISY_PLAYBOOK, encoding="utf-8")
    env = subprocess_env
    # on sys.path from inside: the embeddable Windows CPython (a ._pth file) ignores PYTHONPATH
    code = (f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\n"
            "from tui.checks import registry\nregistry.CHECKS['noisy'] = 'noisy_check'\n"
            "from tui.cli import main\nraise SystemExit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "check", "--json", "--server", "noisy", "--playbook", str(playbook)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"id": "lawaai", "status": "ok", "message": "quiet now", "hint": "", "duration_ms": ANY}]
    assert "NOISE on stdout" in done.stderr and "NOISE" not in done.stdout


# --- koppel status while the app holds the state ---------------------------------------------------

APP_HOLDING_THE_STATE = """
import sys
from tui.state.session import open_session
session = open_session(server=sys.argv[1])
session.submit("vereisten.editie", {"versie": "9.9", "editie": "Business", "module_autoreport": "ja"})
session.flush()
print("holding", flush=True)
sys.stdin.read()
session.close()
"""


def test_status_reads_while_another_process_holds_the_lock(run, subprocess_env: dict[str, str]) -> None:
    holder = subprocess.Popen([sys.executable, "-c", APP_HOLDING_THE_STATE, "busy2"], env=subprocess_env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        assert run("answers", "import", os.devnull, "--server", "busy2").returncode == 3  # the lock is really held
        done = run("status", "--server", "busy2")
        assert done.returncode == 0 and done.stderr == ""
        assert "busy2: 1/" in done.stdout
        data = json.loads(run("status", "--server", "busy2", "--json").stdout)
        assert {step["id"]: step["status"] for step in data["steps"]}["vereisten.editie"] == "done"
        checked = run("check", "--server", "busy2", "--only", "vereisten.versie")
        assert checked.returncode == 0 and "resultaten worden niet vastgelegd" in checked.stderr  # 9.9 passes, nothing saved
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert holder.returncode == 0


# --- files and output the admin handles --------------------------------------------------------------


def test_answers_file_from_notepad_with_a_bom_and_one_in_another_code_page(run, tmp_path: Path) -> None:
    with_bom = tmp_path / "bom.toml"
    with_bom.write_bytes(b"\xef\xbb\xbf" + '[steps."wizard.beheerder"]\nemail = "beheer@café.example"\n'.encode())
    assert run("answers", "import", str(with_bom), "--server", "np").returncode == 2  # read, then judged: no valid address
    with_bom.write_bytes(b"\xef\xbb\xbf" + b'[steps."wizard.beheerder"]\nemail = "beheer@example.nl"\n')
    assert run("answers", "import", str(with_bom), "--server", "np").returncode == 0
    ansi = tmp_path / "ansi.toml"
    ansi.write_bytes('administraties = ["Café BV"]\n'.encode("cp1252"))
    done = run("answers", "import", str(ansi), "--server", "np")
    assert done.returncode == 2 and "geen UTF-8" in done.stderr and done.stderr.count("\n") == 1


def test_output_file_in_a_missing_folder_is_one_clear_line(run, tmp_path: Path) -> None:
    done = run("answers", "export", "--server", "np", "-o", str(tmp_path / "nope" / "answers.toml"))
    assert done.returncode == 2 and done.stderr == f"koppel: folder not found: {tmp_path / 'nope'}\n"


@pytest.mark.parametrize("command", [["playbook", "show"], ["servers"]])  # much output, and a few bytes
def test_a_reader_that_stops_early_gets_no_error_message(koppel_cmd: list[str], subprocess_env: dict[str, str],
                                                        command: list[str]) -> None:
    proc = subprocess.Popen([*koppel_cmd, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env)
    proc.stdout.close()  # like `koppel playbook show | more` and the admin pressing q before it even started
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=30)
    assert err == ""


def test_license_reads_a_generated_licence_pdf(run, tmp_path: Path) -> None:
    from tests.pdfs import licence_pdf

    good = licence_pdf(tmp_path / "licentie.pdf", edition="Business", version="10.1")
    done = run("license", str(good), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"edition", "version", "customer", "modules", "autoreport_module", "meets_prerequisites",
            "problems", "text", "status", "log"} <= set(data)
    assert data["edition"] == "Business" and data["version"] == "10.1" and data["meets_prerequisites"] is True
    assert "AutoReport-koppeling" in data["modules"] and "Klantnummer" in data["text"]

    without = licence_pdf(tmp_path / "zonder.pdf", modules=("Financieel",))
    plain = run("license", str(without))
    assert plain.returncode == 1 and "Opties > Extra modules bestellen" in plain.stdout

    garbage = tmp_path / "kapot.pdf"
    garbage.write_bytes(b"\x00garbage" * 50)
    broken = run("license", str(garbage), "--json")
    assert broken.returncode == 1 and json.loads(broken.stdout)["status"] == "fail"
    assert run("license", str(tmp_path / "nergens.pdf")).returncode == 2


def test_a_damaged_state_file_is_reported_and_the_backup_used(run, tmp_path: Path, koppel_home: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[steps."wizard.beheerder"]\nemail = "beheer@example.nl"\n', encoding="utf-8")
    assert run("answers", "import", str(answers), "--server", "kapot").returncode == 0
    assert run("answers", "import", str(answers), "--server", "kapot").returncode == 0  # a .bak now exists
    state = koppel_home / "state" / "kapot.json"
    state.write_bytes(state.read_bytes()[:40])  # truncated, as by a power cut
    done = run("answers", "export", "--server", "kapot")
    assert done.returncode == 0 and "beheer@example.nl" in done.stdout
    assert "beschadigd" in done.stderr and "kapot.json.bak" in done.stderr


@pytest.mark.parametrize(("console_cp", "encoding"), [(0, "utf-8"), (65001, "utf-8"), (850, "cp850"), (437, "cp437"), (1, "utf-8")])
def test_text_in_a_windows_pipe_is_in_the_console_code_page(console_cp: int, encoding: str) -> None:
    assert console.pipe_encoding(console_cp) == encoding  # 0: no console (a service, CI); 1: no such code page


@pytest.mark.parametrize("command", [["playbook", "show", "--json"], ["playbook", "show"]])
def test_output_in_a_pipe_is_utf8_without_a_console(koppel_cmd: list[str], subprocess_env: dict[str, str],
                                                    command: list[str]) -> None:
    """JSON is UTF-8 in any pipe; text is UTF-8 too where no console says otherwise (CI, Wine, Linux)."""
    env = {k: v for k, v in subprocess_env.items() if k != "PYTHONIOENCODING"}
    done = subprocess.run([*koppel_cmd, *command], capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # raises on cp1252 bytes
    assert "\\u00" not in text and any(ord(char) > 127 for char in text)
