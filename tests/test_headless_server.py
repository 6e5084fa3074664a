"""Headless commands say what they did: which server they act on, a server without state, the
server reset forgets, an unknown --only id, and the admin's language (cli.main and real processes)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tui.cli import main
from tui.state.paths import default_server
from tui.state.session import open_session


def koppel(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def started(server: str, *, worked: bool = True) -> None:
    """A server koppel has state for (a step confirmed, as the app records it)."""
    session = open_session(server=server)
    if worked:
        session.submit("vereisten.editie", {"versie": "9.8a", "editie": "Business", "module_autoreport": "ja"})
    else:
        session.record_answers("wizard.beheerder", {"email": "beheer@example.nl"})
    session.close()


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["report", "-o", "-"], ["answers", "export"]])
def test_without_server_the_only_known_one_is_used_and_named(capsys, command: list[str]) -> None:
    started("av-srv01")
    code, out, err = koppel(capsys, *command)
    assert code == 0, err
    assert "server av-srv01 (de enige bekende" in err
    if "--json" in command:
        assert json.loads(out)["server"] == "av-srv01" and json.loads(out)["done"] == 1  # stdout stays pure JSON


def test_without_server_the_last_one_used_wins_over_older_ones(capsys) -> None:
    started("oud")
    started("nieuw")
    code, out, err = koppel(capsys, "status", "--lang", "en")
    assert code == 0 and out.startswith("nieuw: 1/")
    assert "server nieuw (the last one used of 2: nieuw, oud" in err


def test_this_machines_own_state_comes_first(capsys) -> None:
    started(default_server())
    started("later")
    code, out, err = koppel(capsys, "status")
    assert code == 0 and out.startswith(f"{default_server()}: 1/")
    assert "(deze machine" in err


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["report", "-o", "-"], ["reset", "--yes"]])
def test_a_server_without_state_is_said_with_the_known_ones(capsys, koppel_home: Path, command: list[str]) -> None:
    started("av-srv01")
    started("av-srv02")
    code, out, err = koppel(capsys, *command, "--server", "av-srv03")
    assert code == 1 and out == ""
    assert err == "koppel: geen voortgang voor av-srv03; bekend: av-srv01, av-srv02\n"
    assert not (koppel_home / "state" / "av-srv03.json").exists()


def test_status_with_nothing_known_says_so_in_english(capsys) -> None:
    code, out, err = koppel(capsys, "status", "--lang", "en")
    assert code == 1 and out == ""
    assert err == f"koppel: no state for {default_server()}; known: none yet (start koppel to begin)\n"


def test_an_answers_import_still_prepares_a_new_server(capsys, tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[steps."wizard.beheerder"]\nemail = "beheer@example.nl"\n', encoding="utf-8")
    code, out, err = koppel(capsys, "answers", "import", str(answers), "--server", "nieuw")
    assert code == 0 and out == "1 stappen vooraf ingevuld voor nieuw\n"
    assert koppel(capsys, "status", "--server", "nieuw")[0] == 0


def test_reset_names_the_server_it_forgets(capsys) -> None:
    started("weg")
    code, out, err = koppel(capsys, "reset", "--lang", "en")
    assert code == 2 and "reset forgets all progress of weg: add --yes" in err
    code, out, err = koppel(capsys, "reset", "--yes")
    assert code == 0 and "server weg (de enige bekende" in err
    assert out.startswith("vergeten: weg (1/") and "weg.json" in out
    assert koppel(capsys, "status", "--server", "weg")[0] == 1


def test_check_only_with_an_unknown_id_lists_the_valid_ones(capsys) -> None:
    started("doc")
    code, out, err = koppel(capsys, "check", "--server", "doc", "--only", "vereisten.versei", "--lang", "en")
    assert code == 2 and out == ""
    assert "no automated check with id vereisten.versei (did you mean 'vereisten.versie'?); valid: " in err
    assert "vooraf.visma_bereikbaar" in err and "wizard.gateway_dienst" in err
    assert "wizard.gateway_installer" not in err  # an action is no check


def test_an_answers_import_does_not_greet_as_if_someone_worked_there(capsys, tmp_path: Path) -> None:
    started("vers", worked=False)
    assert open_session(server="vers", read_only=True).welcome_back() is None
    started("gewerkt")
    assert open_session(server="gewerkt", read_only=True).welcome_back() is not None


def test_the_chosen_server_is_said_by_a_real_koppel(koppel_cmd: list[str], subprocess_env: dict[str, str]) -> None:
    started("echt")
    done = subprocess.run([*koppel_cmd, "status", "--json"], capture_output=True, text=True, env=subprocess_env,
                          timeout=60, encoding="utf-8")
    assert done.returncode == 0 and json.loads(done.stdout)["server"] == "echt"
    assert done.stderr == "koppel: server echt (de enige bekende; een andere: --server)\n"
