"""Untrusted text that reached the terminal raw (issue 9 item 5): a real loopback proxy whose 403
reason phrase sets the window title (OSC 0), clears the screen (CSI 2 J) and writes the clipboard
(OSC 52). The app's pane, the headless output and the log file all show it inert, as visible
escapes; and the other ways in (zip names, answers files, playbooks, licence text) are made safe or
refused where they enter."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netservers import ProxyProcess
from tests.test_robustness import run
from tests.ui_helpers import go, make_app, screen_lines, settle, wait_until
from tui.checks.gateway_zip import ZipRejected, extract_zip
from tui.playbook.answers import import_answers
from tui.playbook.loader import PlaybookError, load_builtin, load_playbook
from tui.safe_text import safe
from tui.state.session import open_session

STEP = "vooraf.visma_bereikbaar"
HOSTILE = b"Forbidden \x1b]0;PWNED-TITLE\x07 \x1b[2J \x1b]52;c;cGFzc3dvcmQ=\x07 \x9b31m \xe2\x80\xae done"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def inert(text: str) -> None:
    """No control character of the hostile reason survives; its visible form is there."""
    assert not any(char in text for char in RAW), [c for c in RAW if c in text]
    assert "\\x1b]0;PWNED-TITLE\\x07" in text and "\\x1b]52;c;" in text


@pytest.fixture(scope="module")
def hostile_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    with ProxyProcess(tmp_path_factory.mktemp("hostile") / "requests.log", refusal=HOSTILE) as process:
        yield process


def with_proxy(server: str, url: str) -> None:
    session = open_session(server=server)
    session.record_all_answers({STEP: {"proxy": url}})
    session.close()


def test_proxy_reason_with_escape_sequences_is_inert_in_headless_output_and_log(
    hostile_proxy: ProxyProcess, koppel_home: Path, subprocess_env: dict[str, str]
) -> None:
    with_proxy("srv", hostile_proxy.url)
    done = run(["check", "--only", STEP, "--server", "srv"], subprocess_env)
    assert done.returncode == 1, done.stderr
    inert(done.stdout)
    assert "\x1b" not in done.stderr
    inert((koppel_home / "logs" / "srv.log").read_text(encoding="utf-8"))
    probe = run(["probe", "https", "https://127.0.0.1:9/"], {**subprocess_env, "HTTPS_PROXY": hostile_proxy.url})
    inert(probe.stdout)
    assert "\x1b" not in probe.stderr and "\\x1b]0;" in probe.stderr  # the live log lines, too


async def test_proxy_reason_with_escape_sequences_is_inert_in_the_pane(hostile_proxy: ProxyProcess, koppel_home: Path) -> None:
    with_proxy("srv01", hostile_proxy.url)
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await go(pilot, app, STEP)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.session.status(STEP) == "failed", timeout=20)
        await settle(pilot, 5)
        shown = "\n".join(screen_lines(app))
        stored = app.session.state.peek(STEP)
    assert not any(char in shown for char in RAW)
    assert "PWNED-TITLE" in shown and "\\x1b" in shown
    inert(stored.result.message + "\n" + "\n".join(stored.log_tail))


def test_zip_entry_name_with_an_escape_sequence_is_refused_and_said_inert(tmp_path: Path) -> None:
    archive = tmp_path / "opg_Installer.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("setup.exe", b"MZ")
        out.writestr("opg/\x1b]0;PWNED\x07.txt", b"x")
    with pytest.raises(ZipRejected) as caught:
        extract_zip(archive, tmp_path / "out", lang="en")
    assert "\x1b" not in str(caught.value) and "\\x1b]0;PWNED\\x07" in str(caught.value)


def test_zip_entry_name_with_a_bidi_override_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "opg_Installer.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("setup.exe", b"MZ")
        out.writestr("opg/readme\u202etxt.exe", b"x")
    with pytest.raises(ZipRejected) as caught:
        extract_zip(archive, tmp_path / "out", lang="en")
    assert caught.value.reason == "bad_name" and "\u202e" not in str(caught.value)


def test_answers_file_administratie_name_with_an_escape_sequence_is_refused() -> None:
    values, problems = import_answers(load_builtin(), 'administraties = ["Demo\\u001b[2J BV"]\n', "en")
    assert not values and problems and "U+001B" in problems[0] and "\x1b" not in problems[0]


def test_answers_file_key_with_an_escape_sequence_is_quoted_inert() -> None:
    _, problems = import_answers(load_builtin(), '[steps."x\\u001b]0;T\\u0007"]\na = 1\n', "en")
    assert problems and "\x1b" not in problems[0] and "\\x1b]0;T\\x07" in problems[0]


def test_playbook_title_with_an_escape_sequence_is_refused_located(tmp_path: Path) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text('id = "x"\ntitle = "X\\u001b]52;c;aGk=\\u0007"\n[[sections]]\nid = "s"\ntitle = "S"\n', encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert str(caught.value).startswith("hostile.toml: title: contains a control character (U+001B)")


def test_safe_shows_c0_c1_and_bidi_controls_visibly() -> None:
    assert safe("a\x1b[2Jb\x9bc\u202ed\re\nf\tg") == "a\\x1b[2Jb\\x9bc\\u202ed\\re\\nf\tg"
    assert safe("line 1\nline 2", multiline=True) == "line 1\nline 2"
