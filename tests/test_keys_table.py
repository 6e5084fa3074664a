"""The keys table is the one place a key is defined: a new row shows in the footer, the help and the
palette; whether a key applies is decided by its row alone, and a key that does nothing says why."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.command import CommandList
from textual.widgets import Button, Input

from tests.ui_helpers import footer_keys, go, make_app, messages, said as said_now, settle
from tui import keys
from tui.keys import KEYS, Key, Now, row
from tui.playbook.model import CheckRef, Step, Text
from tui.screens.help import HelpScreen
from tui.state.session import open_session

MANUAL = Step(id="x.manual", title=Text(nl="Handmatig", en="Manual"))
CHECK = Step(id="x.check", title=Text(nl="Controle", en="Check"), kind="check", check=CheckRef(name="tcp"))
FORM = Step(id="x.form", title=Text(nl="Formulier", en="Form"), kind="form", optional=True)


@pytest.mark.parametrize(("key_id", "now", "state", "reason"), [
    ("step.confirm", Now(MANUAL, "todo"), "shown", ""),
    ("step.confirm", Now(MANUAL, "blocked"), "hidden", "why.waits"),
    ("step.confirm", Now(FORM, "todo"), "hidden", "why.form_enter"),
    ("step.confirm", Now(MANUAL, "todo", read_only=True), "hidden", "why.read_only"),
    ("step.confirm", Now(None), "hidden", "why.no_step"),
    ("step.reopen", Now(MANUAL, "done"), "shown", ""),
    ("step.reopen", Now(CHECK, "done", busy=True), "greyed", "why.busy"),
    ("step.run", Now(CHECK, "todo"), "shown", ""),
    ("step.run", Now(CHECK, "blocked"), "hidden", "why.waits"),
    ("step.run", Now(CHECK, "running", busy=True), "greyed", "why.busy"),
    ("step.run", Now(MANUAL, "todo"), "hidden", "why.no_check"),
    ("step.run", Now(CHECK, "todo", read_only=True), "hidden", "why.read_only"),
    ("step.skip", Now(MANUAL, "todo"), "hidden", "why.not_optional"),
    ("step.skip", Now(FORM, "todo"), "shown", ""),
    ("step.copy", Now(CHECK, "todo"), "hidden", "why.no_copy"),
    ("step.copy", Now(CHECK, "done", copy_text=True), "shown", ""),
    ("step.copy", Now(CHECK, "done", copy_text=True, copying=True), "greyed", "why.copying"),
    ("step.next", Now(MANUAL, "done", all_done=True), "hidden", "why.all_done"),
    ("step.cancel", Now(CHECK, "running", busy=True), "shown", ""),
    ("step.back", Now(CHECK, "running", busy=True), "hidden", ""),
    ("step.back", Now(CHECK, "todo", in_list=True), "hidden", ""),
    ("cmd.run_all", Now(None, read_only=True), "hidden", "why.read_only"),
])
def test_applies_is_a_pure_function_of_the_step_and_the_moment(key_id: str, now: Now, state: str,
                                                               reason: str) -> None:
    verdict = row(key_id).applies(now)
    assert (verdict.state, verdict.reason) == (state, reason)


def test_every_row_has_an_id_words_in_both_languages_and_every_reason_has_words() -> None:
    from tui.text.nl import TEXT

    ids = [k.id for k in KEYS]
    assert len(ids) == len(set(ids))
    for k in KEYS:
        assert all(k.words), k.id
    steps = [Now(s, status, busy, ro) for s in (None, MANUAL, CHECK, FORM)
             for status in ("todo", "done", "blocked") for busy in (False, True) for ro in (False, True)]
    reasons = {k.applies(now).reason for k in KEYS for now in steps} - {""}
    assert reasons and reasons <= set(TEXT), reasons - set(TEXT)


async def test_a_new_key_is_one_row_and_shows_in_footer_help_and_palette(monkeypatch) -> None:
    new = Key("test.ascii", "x", "app.toggle_ascii", ("Proeftoets", "Test key"), rank=0, palette=True)
    monkeypatch.setattr(keys, "KEYS", [*KEYS, new])
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert footer_keys(app)["x"] == ("Proeftoets", False)
        await pilot.press("x")  # the row's action runs
        await settle(pilot)
        assert app.ascii_mode
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Proeftoets" in str(app.screen.query_one("#help-keys").render())
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await settle(pilot, 6)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Proeftoets\nx" in prompts


async def test_a_key_that_does_nothing_here_says_why_in_one_line() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vooraf.gateway_download")  # a manual step: no check, not optional
        for key, said in (("r", "Deze stap heeft geen controle om uit te voeren."),
                          ("s", "Deze stap is niet optioneel.")):
            assert key not in footer_keys(app)
            await pilot.press(key)
            await settle(pilot)
            assert said_now(app) == said and not app._notifications  # on the status line
        await go(pilot, app, "vereisten.editie")  # a form: space does not confirm it
        app.main_screen.tree.focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert said_now(app) == "Een formulier slaat u op met Enter in een veld."


async def test_read_only_offers_nothing_that_would_be_refused(koppel_home) -> None:
    open_session(server="srv01").close()  # a state to look at
    session = open_session(server="srv01", read_only=True)
    session.state.cursor = "vooraf.gateway_download"
    from tui.app import KoppelApp

    app = KoppelApp(session=session)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vooraf.visma_bereikbaar")  # a check that could run
        shown = footer_keys(app)
        assert not {"space", "r", "s"} & set(shown), shown
        await pilot.press("r")
        await settle(pilot)
        assert said_now(app) == "Alleen-lezen: hier verandert niets." and not app._notifications
        assert session.status("vooraf.visma_bereikbaar") == "todo"
        # nor its buttons: a run, done or save button would only be refused
        assert not [b for b in app.screen.query(Button) if b.region.area], "a button shows in read-only"
        await go(pilot, app, "vereisten.editie")  # a form: its fields show, but take no typing
        assert not [b for b in app.screen.query(Button) if b.region.area]
        await pilot.press("enter", *"9.8")
        await settle(pilot)
        assert app.screen.query_one("#field-versie", Input).value == ""
        assert not isinstance(app.focused, Input)


def test_button_labels_come_from_the_table() -> None:
    assert keys.button_label("step.run", "en") == "Run (r)"
    assert keys.button_label("step.cancel", "nl") == "Annuleren (esc)"
    changed = replace(row("step.run"), words=("Draaien", "Go"))
    assert changed.word("en") == "Go"



async def test_a_language_switch_is_remembered_on_the_next_start() -> None:
    from tui.app import KoppelApp

    app = KoppelApp(session=open_session(server="srv01"))  # no --lang: KOPPEL_LANG says Dutch
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert footer_keys(app)["f1"] == ("Help", False) and app.lang == "nl"
        app.action_switch_lang()  # as the palette's "Taal wisselen" does
        await settle(pilot)
        assert app.main_screen.query_one("#header").lang == "en"  # the header follows the screen
    again = KoppelApp(session=open_session(server="srv01"))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.lang == "en" and footer_keys(again)["q"] == ("Quit", False)
    explicit = open_session(server="srv01", lang="nl")  # --lang still wins
    assert explicit.lang == "nl"
    explicit.close()


async def test_enter_on_a_closed_choice_list_saves_the_form() -> None:
    from textual.widgets import Select

    from tests.ui_helpers import choose

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vereisten.editie")  # versie (text), editie (choice), module (ja/nee)
        app.main_screen.detail.focus_first()
        await settle(pilot)
        await pilot.press(*"9.8a", "tab")
        await settle(pilot)
        select = app.focused
        assert isinstance(select, Select)
        await choose(pilot, select, "Business")
        await pilot.press("tab")
        await settle(pilot)
        await choose(pilot, app.focused, "ja")
        await pilot.press("enter")  # the list is closed: Enter saves, as from a text field
        await settle(pilot)
        assert app.session.status("vereisten.editie") == "done"


async def test_form_errors_are_said_on_the_form_not_in_a_notification_over_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *"9.7", "enter")  # a version too old
        await settle(pilot)
        assert not any("fouten" in m for m in messages(app)), messages(app)
        top = str(app.screen.query_one("#form-problems").render())
        assert top.startswith("Het formulier bevat fouten: niets opgeslagen.")
        from tests.ui_helpers import screen_lines

        assert any("9.8" in line for line in screen_lines(app))  # the field's own message shows
