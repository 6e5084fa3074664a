"""A bug never shows a password: the MaskedInput crash, and koppel's own last-resort handler."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui_helpers import go, make_app, screen_lines, settle

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
