"""A bug never shows a password: the MaskedInput crash, and koppel's own last-resort handler."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Input

from tests.pty_harness import drain, pty_koppel, until_quiet
from tests.ui_helpers import band, go, make_app, screen_lines, settle, wait_until
from tui.exit_codes import EXIT_PROBLEM
from tui.screens.main import MainScreen
from tui.state.session import open_session
from tui.widgets.step_detail import StepDetail
from tui.widgets.step_form import ChoiceSelect, FieldRow, StepForm

STEP = "vooraf.visma_bereikbaar"
CORE = "S3NTINEL9c1d"
PASSWORD = f"pw-{CORE}"


async def type_proxy_password(pilot, app) -> None:
    await go(pilot, app, STEP)
    app.main_screen.query_one("#field-proxy_wachtwoord", Input).focus()
    await settle(pilot)
    await pilot.press(*PASSWORD)
    await settle(pilot)


async def test_a_typed_proxy_password_survives_leaving_the_form_and_running_the_check() -> None:
    # was: AttributeError 'MaskedInput' object has no attribute 'ascii_mode', the password in the locals
    app = make_app(ascii_mode=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_proxy_password(pilot, app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot, 10)
        field = app.main_screen.query_one("#field-proxy_wachtwoord", Input)
        assert field.value == PASSWORD
        shown = "\n".join(screen_lines(app))
        assert "*" * len(PASSWORD) in shown and CORE not in shown


async def test_reopening_the_step_shows_the_kept_password_masked() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_proxy_password(pilot, app)
        await pilot.press("escape")
        await go(pilot, app, "vereisten.editie")
        await go(pilot, app, STEP)
        assert app.main_screen.query_one("#field-proxy_wachtwoord", Input).value == PASSWORD
        assert CORE not in "\n".join(screen_lines(app))


def broken_run(self) -> None:
    """A deliberate bug in an action, with the typed password in a local as a real one would have."""
    typed = {row.field.id: row.raw() for row in self.query(FieldRow)}
    raise RuntimeError(f"deliberate bug with {len(typed)} fields")


def files_holding(home: Path, text: str) -> list[Path]:
    return [path for path in home.rglob("*") if path.is_file() and text.encode() in path.read_bytes()]


async def test_an_unhandled_bug_says_one_line_and_leaves_no_secret_anywhere(
        koppel_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(MainScreen, "action_run", broken_run)
    app = make_app()
    with pytest.raises(RuntimeError, match="deliberate bug"):  # Pilot still re-raises it for the test
        async with app.run_test(size=(120, 40)) as pilot:
            await type_proxy_password(pilot, app)
            await pilot.press("escape", "r")
            await settle(pilot)
    shown = capsys.readouterr()
    log = koppel_home / "logs" / "srv01.log"
    assert app.crash_line == f"koppel stopte door een interne fout; details in {log}"
    assert shown.out + shown.err == ""  # Textual's traceback with the locals is not shown
    assert app.return_code == 1
    details = log.read_text(encoding="utf-8")
    assert "Traceback" in details and "RuntimeError: deliberate bug with 4 fields" in details
    assert not files_holding(koppel_home, CORE)
    open_session(server="srv01").close()  # the lock was released: no StateInUse


async def test_a_failed_worker_is_said_without_its_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_proxy_password(pilot, app)

        async def leaky() -> None:
            raise ValueError(f"login http://u:{PASSWORD}@proxy and {PASSWORD} refused [b]")

        app.run_worker(leaky(), exit_on_error=False)
        await settle(pilot, 5)
        said = " ".join(band(app).split())  # in the band above the step, not in a toast over it
        assert "Fout in koppel: ValueError: login http://u:********@proxy and ******** refused [b]" in said, said


BROKEN_KOPPEL = """
import sys
import tempfile
from tests.test_crash import broken_run
from tui.exit_codes import EXIT_PROBLEM
from tui.screens.main import MainScreen
MainScreen.action_run = broken_run
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(os.name == "nt", reason="a pseudo-terminal is POSIX")
def test_a_real_koppel_that_hits_a_bug_restores_the_terminal_says_one_line_and_unlocks(
        subprocess_env: dict[str, str], koppel_home: Path) -> None:
    session = open_session(server="crash")
    session.set_cursor(STEP)  # koppel opens on the step
    session.close()
    command = [sys.executable, "-c", BROKEN_KOPPEL, "--server", "crash"]
    with pty_koppel(command, subprocess_env, size=(50, 160)) as (app, master):
        drain(master, until=b"bereikbaar")
        until_quiet(master, quiet=1.0)  # drawn whole (a busy machine draws it in pieces)
        for key in (b"\r", b"\t", b"\t", b"\t"):  # into the form, on to the password field
            os.write(master, key)
            until_quiet(master)
        os.write(master, PASSWORD.encode())
        assert until_quiet(master).decode("utf-8", "replace").count("•") >= len(PASSWORD)  # the password field
        os.write(master, b"\x1b")
        until_quiet(master)
        os.write(master, b"r")
        shown = drain(master, timeout=4.0).decode("utf-8", "replace")
        assert app.wait(timeout=10) == 1
    log = koppel_home / "logs" / "crash.log"
    assert f"koppel stopte door een interne fout; details in {log}" in shown
    assert "Traceback" not in shown and CORE not in shown
    assert "\x1b[?1049l" in shown  # the terminal was given back (the alternate screen left)
    assert "RuntimeError: deliberate bug with 4 fields" in log.read_text(encoding="utf-8")
    assert not files_holding(koppel_home, CORE)
    open_session(server="crash").close()


def test_details_that_cannot_go_to_the_log_go_to_the_temp_folder_and_a_failed_save_is_said(tmp_path: Path) -> None:
    from tui.crash import record_crash
    from tui.secrets import remember
    from tui.state.session import SaveFailed

    remember(PASSWORD)
    blocked = tmp_path / "a-file"
    blocked.write_text("")

    def close() -> None:
        raise SaveFailed(f"Kon niet opslaan: schijf vol ({PASSWORD}).")

    try:
        raise KeyError(PASSWORD)
    except KeyError as error:
        line = record_crash(error, log_path=blocked / "srv.log", close=close, lang="en")
    fallback = Path(tempfile.gettempdir()) / f"koppel-crash-{os.getpid()}.log"
    try:
        assert line == f"koppel stopped because of an internal error; details in {fallback} Kon niet opslaan: schijf vol (********)."
        details = fallback.read_text(encoding="utf-8")
        assert "KeyError: '********'" in details and "SaveFailed" in details and CORE not in details
    finally:
        fallback.unlink(missing_ok=True)


async def test_a_form_removed_before_it_composed_is_no_crash() -> None:
    # was (CI under Wine): a quit or redraw while the step's form was still being built gave NoMatches
    # 'SelectOverlay' in Select's mount, or '#field-versie' in the form's: koppel stopped "with an internal error"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await go(pilot, app, "vereisten.editie")
        main = app.main_screen
        step = app.session.playbook.step("vereisten.editie")
        for build in (lambda: ChoiceSelect([("Team", "Team")], lang="nl", id="late-choice"),
                      lambda: StepForm(step, {}, "nl", ascii_mode=False, validate=lambda values: [], id="late-form")):
            box = Vertical()
            await main.query_one(StepDetail).mount(box)
            box.mount(build())
            box.remove()  # in the same tick: the new widget is removed before it composed
            await wait_until(pilot, lambda: not box.is_attached)
            await settle(pilot)
        assert app._exception is None and app.is_running and app.return_code is None


async def test_a_choice_list_mounted_as_koppel_quits_is_no_crash() -> None:
    # was (the walker's long run, seed 123): a quit while the step's form was being built gave NoMatches
    # '#label' on a SelectCurrent: the widget was no longer attached when its mount handler ran
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await go(pilot, app, "vereisten.editie")
        box = Vertical()
        await app.main_screen.query_one(StepDetail).mount(box)
        box.mount(ChoiceSelect([("Team", "Team")], lang="nl", id="late-choice"))
        app.exit()  # in the same tick
    assert app._exception is None and app.return_code != EXIT_PROBLEM and app.crash_line is None


async def test_a_missing_widget_in_a_live_one_is_still_a_crash() -> None:
    app = make_app()

    def broken() -> None:
        app.main_screen.query_one("#no-such-widget")

    with pytest.raises(NoMatches):  # Pilot hands on the first error, as Textual does
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.main_screen.call_later(broken)
            await settle(pilot)
    assert app.return_code == EXIT_PROBLEM and app.crash_line
