"""The headless commands speak the admin's language like the app: their messages are rows of the
text tables (tui/text/nl.py, en.py), chosen by --lang / KOPPEL_LANG / the locale."""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tui.cli import main
from tui.headless import explain
from tui.playbook.loader import builtin_playbook_path
from tui.state.store import StateInUse
from tui.text import in_lang, status_word, t

ROOT = Path(__file__).resolve().parent.parent


def koppel(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=["nl", "en"])
def lang(request, monkeypatch) -> str:
    monkeypatch.setenv("KOPPEL_LANG", request.param)  # as the admin's locale would choose
    return request.param


def test_a_missing_licence_or_zip_is_said_in_the_admins_language(capsys, lang: str, tmp_path: Path) -> None:
    missing = tmp_path / "licentie.pdf"
    assert koppel(capsys, "license", str(missing)) == (2, "", f"koppel: {t('error.file_not_found', lang, path=missing)}\n")
    missing_zip = tmp_path / "opg_Installer.zip"
    code, _, err = koppel(capsys, "extract", str(missing_zip), str(tmp_path / "doel"))
    assert code == 2 and err == f"koppel: {t('error.file_not_found', lang, path=missing_zip)}\n"


def test_a_bad_port_for_probe(capsys, lang: str) -> None:
    assert koppel(capsys, "probe", "tcp", "127.0.0.1", "poort") == (2, "", f"koppel: {t('probe.bad_port', lang, port='poort')}\n")


def test_servers_and_the_playbook_commands(capsys, lang: str) -> None:
    assert koppel(capsys, "servers") == (0, t("servers.none", lang) + "\n", "")
    path = builtin_playbook_path()
    code, out, _ = koppel(capsys, "playbook", "validate", str(path))
    assert code == 0 and re.fullmatch(re.escape(t("playbook.valid", lang, file=path, sections="N", steps="M"))
                                      .replace("N", r"\d+").replace("M", r"\d+") + "\n", out), out
    code, out, _ = koppel(capsys, "playbook", "show")
    assert code == 0 and f"(vereisten.versie; {t('kind.check', lang)})" in out
    assert f"; {t('kind.form', lang)}, {t('scope.administratie', lang)}, {t('detail.optional', lang)})" in out


def test_an_answers_file_that_is_not_utf8(capsys, lang: str, tmp_path: Path) -> None:
    path = tmp_path / "antwoorden.toml"
    path.write_bytes('[wizard.beheerder]\nemail = "b\xe9heer@example.nl"\n'.encode("cp1252"))
    assert koppel(capsys, "answers", "import", str(path)) == (2, "", f"koppel: {t('error.not_utf8', lang, path=path)}\n")


def test_state_in_use_and_an_internal_error(lang: str) -> None:
    since = datetime(2026, 12, 1, 21, 30, tzinfo=timezone.utc)
    code, said = explain(StateInUse("av-srv01", "beheerder@AV-SRV01", 4242, since), lang)
    assert code == 3 and said == t("error.in_use", lang, server="av-srv01", holder="beheerder@AV-SRV01, pid 4242",
                                   since=f"{since.astimezone():%Y-%m-%d %H:%M}")
    assert in_lang(StateInUse("av-srv01", "beheerder@AV-SRV01", 4242, since), lang) == said  # as `check` says it
    assert explain(StateInUse("av-srv01", None, None, since), lang)[1].startswith(
        t("error.in_use", lang, server="av-srv01", holder=t("error.in_use_unknown", lang), since="")[:30])
    assert explain(RuntimeError("boom"), lang) == (1, t("error.internal", lang, kind="RuntimeError", error="boom"))


def test_no_headless_module_keeps_its_own_pair_of_words() -> None:
    """Words live in the text tables: an inline `"x" if lang == "en" else "y"` pair is a twin of them."""
    face = [ROOT / "tui" / "cli.py", ROOT / "tui" / "console.py", ROOT / "tui" / "report.py",
            ROOT / "tui" / "server_choice.py", ROOT / "tui" / "state" / "welcome.py",  # "3 uur geleden" too
            *sorted((ROOT / "tui" / "headless").glob("*.py"))]
    pairs = {path.name: line.strip() for path in face for line in path.read_text(encoding="utf-8").splitlines()
             if re.search(r"""lang\s*[!=]=\s*["']en["']""", line)}
    assert pairs == {}


def test_status_words_in_status_are_the_apps(capsys, lang: str) -> None:
    assert main(["answers", "import", os.devnull, "--server", "av-srv01"]) == 0
    capsys.readouterr()
    code, out, _ = koppel(capsys, "status", "--server", "av-srv01")
    assert code == 0 and f": {status_word('todo', lang)}\n" in out and f": {status_word('blocked', lang)}\n" in out


def test_what_opening_a_state_found_is_said_in_the_admins_language(capsys, lang: str, koppel_home: Path) -> None:
    from tui.state.paths import state_dir

    (state_dir(koppel_home) / "kapot.json").write_text("{", encoding="utf-8")
    code, _, err = koppel(capsys, "status", "--server", "kapot")
    damaged = t("store.damaged", lang, name="kapot.json", why="X").split("(")[0]
    assert code == 0 and f"koppel: {damaged}(" in err and t("store.no_backup", lang, damage="", bak="kapot.json.bak") in err


def test_a_server_name_that_cannot_be_a_file_name(capsys, lang: str) -> None:
    code, _, err = koppel(capsys, "status", "--server", "Café 1")
    said = {"nl": "servernaam 'Café 1' bevat het niet-ASCII-teken 'é'; gebruik alleen letters, cijfers, '.', '-' en '_', "
                  "bijv. 'cafe-1'",
            "en": "server name 'Café 1' contains the non-ASCII character 'é'; use letters, digits, '.', '-' and '_' only, "
                  "e.g. 'cafe-1'"}
    assert (code, err) == (2, f"koppel: {said[lang]}\n")


def test_a_state_that_cannot_be_used_is_said_in_the_admins_language(capsys, lang: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KOPPEL_HOME", str(a_file))
    code, _, err = koppel(capsys, "answers", "export", "--server", "srv")
    assert code == 2 and err.endswith(f"{t('os.file_not_folder', lang, path=a_file)}\n"), err
    code, _, err = koppel(capsys, "--server", "srv")  # the app's road: open_session, before any screen
    said = t("state.folder_unusable", lang, root=a_file, name="srv", reason=t("os.file_not_folder", lang, path=a_file))
    assert code == 2 and err == f"koppel: {t('state.only_look', lang, error=said)}\n"


def test_a_playbook_file_that_cannot_be_read_is_said_in_the_admins_language(capsys, lang: str, tmp_path: Path) -> None:
    missing = tmp_path / "weg.toml"
    code, _, err = koppel(capsys, "playbook", "validate", str(missing))
    assert code == 2 and err == f"koppel: weg.toml: {t('playbook.unreadable', lang, why='No such file or directory')}\n"
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'id = "caf\xe9"\n')
    code, _, err = koppel(capsys, "playbook", "validate", str(latin1))
    assert code == 2 and err == f"koppel: latin1.toml: {t('playbook.not_utf8', lang, byte=9)}\n"
    broken = tmp_path / "kapot.toml"
    broken.write_text('id = "x"\ntitle = \n', encoding="utf-8")
    code, _, err = koppel(capsys, "playbook", "validate", str(broken))
    assert code == 2 and err.startswith(f"koppel: kapot.toml: {t('playbook.toml_at', lang, line=2, column=9, why='')}")


def test_a_damaged_state_is_said_with_its_reason_in_the_admins_language(capsys, lang: str, koppel_home: Path) -> None:
    from tui.state.session import open_session

    open_session(server="srv").close()
    (koppel_home / "state" / "srv.json").write_bytes(b"  ")
    code, out, _ = koppel(capsys, "servers")
    assert code == 0 and f"({t('unusable.empty', lang)})" in out  # the problem column
    code, _, err = koppel(capsys, "status", "--server", "srv")
    assert code == 0 and t("store.damaged", lang, name="srv.json", why=t("unusable.empty", lang)) in err


@pytest.mark.parametrize("saved", ["nl", "en"])
def test_store_notices_speak_a_language_saved_only_in_the_state(capsys, saved: str, koppel_home: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The language the admin chose in the app (kept in the state), with nothing else to go by: the
    notice of a damaged file restored from its copy is said in it, as the rest of the command is."""
    from tui.state.session import open_session

    for name in ("KOPPEL_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")  # no language chosen: Dutch, unless the state says otherwise
    session = open_session(server="srv")
    session.set_lang(saved)
    session.set_cursor("vereisten.editie")
    session.close()
    session = open_session(server="srv")  # a second save: the first one becomes the .bak
    session.set_cursor("vooraf.licentie")
    session.close()
    (koppel_home / "state" / "srv.json").write_bytes(b"  ")
    code, _, err = koppel(capsys, "status", "--server", "srv")
    assert code == 0 and t("store.damaged", saved, name="srv.json", why=t("unusable.empty", saved)) in err, err
