"""The koppel command as the admin runs it: real subprocesses, real files, exit codes 0/1/2/3."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from tui import __version__
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
    try:
        done = run("answers", "import", "/dev/null" if Path("/dev/null").exists() else "NUL", "--server", "busy")
        assert done.returncode == 3 and "in use by" in done.stderr and "pid" in done.stderr
        assert run("status", "--server", "busy").returncode == 0
    finally:
        holder.close()


def test_reset_needs_yes(run) -> None:
    run("answers", "export", "--server", "gone")
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
