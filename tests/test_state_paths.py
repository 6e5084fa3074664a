"""tui.state.paths: the koppel home, its folders, and server names that stay inside the state folder."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

import platformdirs
import pytest

from tui.state import paths
from tui.state.paths import (
    MAX_SERVER_NAME,
    BadServerName,
    default_server,
    log_dir,
    report_dir,
    safe_server_name,
    state_dir,
    who,
)

HOSTILE = [
    "",
    ".",
    "..",
    "../x",
    "..\\x",
    "a/b",
    "a\\b",
    "/etc/passwd",
    "C:x",
    "C:\\Windows",
    "x:stream",
    ".hidden",
    "-flag",
    "CON",
    "con",
    "Con.txt",
    "nul.corp.local",
    "PRN",
    "AUX",
    "COM1",
    "lpt9.json",
    "server.",
    "server..",
    "server ",
    " server",
    "two words",
    "tab\there",
    "new\nline",
    "nul\x00byte",
    "bell\x07",
    "sérveur",
    "сервер",
    "serveur\u200b",
    "a" * (MAX_SERVER_NAME + 1),
    "a" * 300,
    "x*y",
    "x?y",
    'x"y',
    "x<y>",
    "x|y",
    "av-srv01.lock",
]

LEGIT = {
    "AV-SRV01": "av-srv01",
    "av-srv01": "av-srv01",
    "av-srv01.corp.local": "av-srv01.corp.local",
    "AV_SRV_01": "av_srv_01",
    "10.0.0.12": "10.0.0.12",
    "console": "console",  # only the exact device names are reserved
    "com10": "com10",
    "a" * MAX_SERVER_NAME: "a" * MAX_SERVER_NAME,
    "x.json": "x.json",
}


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_hostile_server_names_are_refused_with_one_line(name: str) -> None:
    with pytest.raises(BadServerName) as caught:
        safe_server_name(name)
    message = str(caught.value)
    assert message and "\n" not in message and "\x00" not in message
    assert len(message) < 200  # a 300-character name is not echoed whole


@pytest.mark.parametrize(("name", "canonical"), LEGIT.items(), ids=repr)
def test_legit_names_are_canonical_and_stay_inside_the_state_folder(
    name: str, canonical: str, koppel_home: Path
) -> None:
    assert safe_server_name(name) == canonical
    assert safe_server_name(canonical) == canonical  # idempotent
    folder = state_dir(koppel_home).resolve()
    for suffix in (".json", ".json.bak", ".lock", ".lock.json", ".json.corrupt-20250101T000000Z"):
        assert (folder / f"{canonical}{suffix}").resolve().parent == folder


def test_case_variants_are_one_server() -> None:
    assert safe_server_name("AV-SRV01") == safe_server_name("av-srv01") == safe_server_name("Av-Srv01")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("sérveur", ["non-ASCII", "'serveur'"]),
        ("a" * 300, ["too long", "300 characters", "at most 64"]),
        ("CON", ["reserved device name"]),
        ("../x", ["path separator"]),
        ("C:x", ["colon"]),
        ("new\nline", ["control character", "U+000A"]),
        ("server.", ["must not end with a dot"]),
        ("..", ["must start with a letter or a digit"]),
        ("", ["empty"]),
        ("x.lock", ["lock files"]),
    ],
)
def test_messages_say_what_is_wrong(name: str, words: list[str]) -> None:
    with pytest.raises(BadServerName) as caught:
        safe_server_name(name)
    for word in words:
        assert word in str(caught.value)


def test_bad_server_name_is_a_value_error() -> None:
    assert issubclass(BadServerName, ValueError)


def test_koppel_home_override_then_env_then_platformdirs(
    koppel_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.koppel_home() == koppel_home  # conftest's KOPPEL_HOME
    assert paths.koppel_home(tmp_path / "elsewhere") == tmp_path / "elsewhere"
    assert paths.koppel_home(str(tmp_path)) == tmp_path
    monkeypatch.delenv("KOPPEL_HOME")
    assert paths.koppel_home() == Path(platformdirs.user_state_dir("koppel", appauthor=False))


def test_folders_are_created_on_demand(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    for make, name in ((state_dir, "state"), (log_dir, "logs"), (report_dir, "reports")):
        folder = make(home)
        assert folder == home / name and folder.is_dir()
        assert make(home) == folder  # a second call is fine


def test_default_server_is_this_host_sanitised() -> None:
    name = default_server()
    assert safe_server_name(name) == name
    host = socket.gethostname()
    if host.isascii() and "_" not in host:  # a plain host name is taken as is, in lower case
        assert name == host.lower()


def test_who_is_user_at_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "beheerder")
    assert who() == f"beheerder@{socket.gethostname()}"
    monkeypatch.delenv("LOGNAME")
    assert who() == f"{getpass.getuser()}@{socket.gethostname()}"
