"""Type-ahead: keys that arrive in one burst (a slow SSH link, a password manager's auto-type) are
handled in the order they were typed, focus changes included (issue 9 item 4, issue 8 §2).

A burst is what a terminal delivers: every key is handed to the app's driver at once, before the app
has handled the first; Pilot's own ``press`` waits for the app between keys, so it never shows this.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from tests.ui_helpers import go, make_app, settle, wait_until

STEP = "vooraf.visma_bereikbaar"  # a check step whose form has the proxy user and password


def _key(name: str) -> events.Key:
    char = {"tab": "\t", "enter": "\r", "space": " "}.get(name, name if len(name) == 1 else None)
    return events.Key(name, char)


async def burst(pilot, *keys: str) -> None:
    """Hand every key to the driver at once, as a terminal does with type-ahead, then let the app
    catch up."""
    driver = pilot.app._driver
    for name in keys:
        event = _key(name)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot, rounds=6)


def focused_field(app) -> str:
    return (app.focused.id or "") if app.focused is not None else ""


async def on_the_proxy_user(pilot, app) -> None:
    await go(pilot, app, STEP)
    app.main_screen.detail.focus_first()
    await settle(pilot)
    await pilot.press("tab", "tab")
    assert focused_field(app) == "field-proxy_gebruiker"


async def test_a_burst_with_tab_fills_each_field_with_its_own_text(koppel_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_proxy_user(pilot, app)
        await burst(pilot, *"beheer", "tab", *"geheim")
        await settle(pilot)
        user = app.screen.query_one("#field-proxy_gebruiker", Input).value
        password = app.screen.query_one("#field-proxy_wachtwoord", Input).value
        assert (user, password) == ("beheer", "geheim")


async def test_a_burst_ending_in_enter_runs_with_the_user_name_it_was_given(koppel_home: Path) -> None:
    """The issue's case: beheer, Tab, password, Enter in one burst stored 'beheerpassword' as the user."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_proxy_user(pilot, app)
        await burst(pilot, *"beheer", "tab", *"password", "enter")
        await wait_until(pilot, lambda: app.session.status(STEP) not in ("todo", "running"), timeout=20)
        await settle(pilot)
    saved = json.loads((koppel_home / "state" / "srv01.json").read_text(encoding="utf-8"))
    answers = saved["steps"][STEP]["answers"]
    assert answers.get("proxy_gebruiker") == "beheer"
    assert "password" not in json.dumps(saved)


@pytest.mark.parametrize("letter", list("rnqcs"))
async def test_letters_typed_right_after_enter_go_to_the_form_not_the_list(koppel_home: Path, letter: str) -> None:
    """Enter opens the step's form; the letters after it are text, never a command (run, next, quit,
    copy, skip) for the list that had the focus when they were typed."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, STEP)
        app.main_screen.tree.focus()
        await settle(pilot)
        before = app.session.status(STEP)
        await burst(pilot, "enter", letter, *"abc")
        await settle(pilot)
        assert app.is_running, "a letter typed after enter quit koppel"
        assert app.main_screen.key == STEP
        assert app.session.status(STEP) == before
        assert focused_field(app) == "field-extra_urls"
        assert app.screen.query_one("#field-extra_urls", Input).value == f"{letter}abc"


async def test_escape_in_a_burst_closes_a_dialog_and_the_keys_after_it_still_arrive(koppel_home: Path) -> None:
    """A key whose widget goes away with the dialog it closed still lets the keys behind it through."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "vereisten.editie")
        app.main_screen.tree.focus()
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        await burst(pilot, "escape", "j")
        assert app.main_screen.key != "vereisten.editie"


# -- a real terminal: tmux delivers the burst -------------------------------------------------------
TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None or sys.platform == "win32", reason="needs tmux (a real terminal)")
def test_a_burst_in_a_real_terminal_keeps_the_user_name_and_never_writes_the_password(
        koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    socket = f"koppel-typeahead-{uuid.uuid4().hex[:8]}"
    tmux = [TMUX, "-L", socket]
    env = {**subprocess_env, "KOPPEL_HOME": str(koppel_home)}
    command = f"{sys.executable} -m tui --server demo"
    subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24", "-s", "t", command],
                   check=True, env=env, cwd=Path(__file__).resolve().parent.parent)
    try:
        def screen() -> str:
            return subprocess.run([*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True,
                                  text=True).stdout

        def until(what: str, timeout: float = 20) -> None:
            end = time.monotonic() + timeout
            while what not in screen():
                assert time.monotonic() < end, f"never showed {what!r}:\n{screen()}"
                time.sleep(0.1)

        until("Checklist")
        # the step: the palette's "go to step", then the form's proxy user field
        subprocess.run([*tmux, "send-keys", "-t", "t", "C-p"], check=True)
        time.sleep(1)
        subprocess.run([*tmux, "send-keys", "-t", "t", "-l", "Visma.net bereikbaar"], check=True)
        time.sleep(1.5)
        subprocess.run([*tmux, "send-keys", "-t", "t", "Enter"], check=True)
        until("Extra adressen")
        subprocess.run([*tmux, "send-keys", "-t", "t", "Enter"], check=True)
        time.sleep(1)
        subprocess.run([*tmux, "send-keys", "-t", "t", "Tab"], check=True)
        time.sleep(0.5)
        subprocess.run([*tmux, "send-keys", "-t", "t", "Tab"], check=True)
        time.sleep(0.5)
        # the burst: one send-keys, as a password manager's auto-type arrives
        subprocess.run([*tmux, "send-keys", "-t", "t", "beheer", "Tab", "S3cret-typeahead"], check=True)
        time.sleep(1.5)
        subprocess.run([*tmux, "send-keys", "-t", "t", "Escape"], check=True)
        time.sleep(1)
        subprocess.run([*tmux, "send-keys", "-t", "t", "q"], check=True)
        end = time.monotonic() + 15
        while subprocess.run([*tmux, "has-session", "-t", "t"], capture_output=True).returncode == 0:
            assert time.monotonic() < end, screen()
            time.sleep(0.2)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in koppel_home.rglob("*") if p.is_file())
    assert "S3cret-typeahead" not in written
    state = json.loads((koppel_home / "state" / "demo.json").read_text(encoding="utf-8"))
    entry = state["steps"][STEP]
    typed = (entry.get("draft") or {}) | (entry.get("answers") or {})
    assert typed.get("proxy_gebruiker") == "beheer"
