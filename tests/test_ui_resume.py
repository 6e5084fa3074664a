"""Resume brings back the focused field as well as the step and the draft (issue 8 §2): the field
that had the keys is kept with the cursor, per server, and given the keys again on the next start."""

from __future__ import annotations

from textual.widgets import Input, Select, Tree

from tests.ui_helpers import current_key, make_app, settle


async def test_the_field_that_had_the_keys_has_them_again_after_a_restart() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *"9.8", "tab")  # the version typed, then on to the edition's list
        await settle(pilot)
        assert isinstance(app.focused, Select) and app.focused.id == "field-editie"
    assert app.session.state.focus == "editie"
    again = make_app()  # the SSH link dropped; koppel starts again on the same server
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 5)
        assert current_key(again) == "vereisten.editie"
        assert isinstance(again.focused, Select) and again.focused.id == "field-editie"
        assert again.screen.query_one("#field-versie", Input).value == "9.8"  # the draft too
        await pilot.press("shift+tab", "x")  # and the keys go where the admin sees them
        assert again.screen.query_one("#field-versie", Input).value == "9.8x"


async def test_back_in_the_list_the_next_start_is_in_the_list_too() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "tab", "escape")
        await settle(pilot)
        assert isinstance(app.focused, Tree)
    assert app.session.state.focus is None
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 5)
        assert isinstance(again.focused, Tree)


async def test_a_half_typed_note_has_the_keys_again_after_the_plug_is_pulled() -> None:
    """Found in the tmux walk: typing the note of "Gateway (OPG) downloaden" when the session was
    killed, koppel came back with the draft but the keys in the list (a note is no form field)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.submit("vereisten.editie", {"versie": "9.8", "editie": "Team", "module_autoreport": "ja"})
        await settle(pilot)
        app.main_screen.goto("vooraf.gateway_download")  # a manual step: its note takes text
        await settle(pilot)
        await pilot.press("enter", *"gedownload door Pi")
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "manual-note"
    assert app.session.state.focus == "note"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 8)
        assert current_key(again) == "vooraf.gateway_download"
        assert isinstance(again.focused, Input) and again.focused.id == "manual-note", again.focused
        assert again.focused.value == "gedownload door Pi"
        await pilot.press(*"et")
        assert again.focused.value == "gedownload door Piet"
