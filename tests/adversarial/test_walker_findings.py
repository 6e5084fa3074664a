"""What the keyboard walker found, each fault as a focused Pilot test named after it.

A fault in a file another helper owns stays ``xfail(strict=False)`` here, with its line on the
findings board, until the owner's fix lands; then the mark goes (and its entry in KNOWN, test_walker.py).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Select

from tests.adversarial.walker import send_keys
from tests.ui_helpers import go, make_app, settle
from tui.app import KoppelApp
from tui.screens.main import MainScreen
from tui.screens.too_small import TooSmallScreen
from tui.state.session import open_session
from tui.widgets.step_form import StepForm

PASSWORD = "S3ntinel-moved-on"


@pytest.mark.parametrize("handled", [1, 2, 3])
async def test_enter_then_escape_on_the_palette_keeps_the_main_screen(handled: int) -> None:
    """Escape while the palette is still acting on Enter (its Submitted -> OptionSelected ->
    dismiss hops) dismissed it twice: the checklist was popped, then "go to step" crashed
    (NoMatches ChecklistTree). ``handled`` rounds of queued messages in between; 2 hit it. Fixed by
    ui (ef4f51e)."""
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"Create a tax return")
        await pilot.pause(0.05)  # before the palette's results arrive (it batches them for 0.25 s)
        send_keys(app, ["enter"])
        for _ in range(handled):
            await pilot._wait_for_screen()
        send_keys(app, ["escape"])
        await settle(pilot)
        assert isinstance(app.screen_stack[1], MainScreen) and len(app.screen_stack) == 2
        assert app._exception is None


async def test_ctrl_p_on_the_too_small_screen_over_the_palette_does_not_crash() -> None:
    """Palette open, the terminal shrunk (the notice over the palette), Ctrl+P: a second palette
    (is_open looked only at the top screen) -> DuplicateIds '--command-palette'. Walker seed 2."""
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app._exception is None
        assert isinstance(app.screen, TooSmallScreen)
        assert sum(isinstance(screen, CommandPalette) for screen in app.screen_stack) == 1


async def test_pageup_in_a_palette_opened_at_1x1_does_not_crash() -> None:
    """At 1x1 (the notice on top) Ctrl+P opened a palette whose option list had no laid-out lines:
    PageUp/PageDown -> KeyError 0 in Textual's OptionList._move_page. Walker seed 14. Nothing opens
    over the notice now (F1 neither), and a resize back shows the checklist, not a 1x1 leftover."""
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.resize_terminal(40, 12)
        await pilot.resize_terminal(1, 1)
        await settle(pilot)
        await pilot.press("ctrl+p", "a", "pageup", "pagedown", "f1", "pageup")
        await settle(pilot)
        assert app._exception is None
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and len(app.screen_stack) == 2


async def test_markers_lost_for_every_key_stall_typing_once_not_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The type-ahead gate waits for each key's marker (GIVE_UP_AFTER at most). A bug that loses
    every marker made each held key wait the whole bound: 15 keys, 30 s, the walker's stall. Now the
    first loss waits the bound, the keys behind it a short one, and every key still arrives."""
    monkeypatch.setattr(KoppelApp, "on_key_handled", lambda self, marker: None)  # the planted bug
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main_screen.tree.focus()
        await settle(pilot)
        start = app.main_screen.tree.cursor_line
        send_keys(app, ["j"] * 6)
        for _ in range(2_000):  # until the gate let every key through (not a time: a count of rounds)
            await pilot.pause(0.01)
            if app.keys.idle:
                break
        assert app.keys.idle and app.keys.stalls == 1
        assert app.main_screen.tree.cursor_line == start + 6


@pytest.mark.parametrize("key", ["pageup", "pagedown"])
async def test_pageup_in_the_palette_before_its_new_hits_are_laid_out_does_not_crash(key: str) -> None:
    """Hits arriving in a hidden list show it with the first one highlighted; a PageUp before the
    next frame lays it out raised KeyError 0 in Textual's OptionList._move_page (it pages by
    laid-out lines): the lead's test_walk[4] under load. The frame is held back here (batch_update)
    so the key surely comes first."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"qqqq")  # no hits: the list hides
        await settle(pilot)
        hits = app.screen.query_one(CommandList)
        with app.batch_update():
            send_keys(app, ["backspace"] * 4 + list("Vis"))
            for _ in range(2_000):  # until the search's hits are in (rounds, not a time)
                if hits.option_count and hits.highlighted is not None:
                    break
                await asyncio.sleep(0.001)
            assert not hits.scrollable_content_region  # not laid out yet
            send_keys(app, [key])
            for _ in range(2_000):
                await asyncio.sleep(0.001)
                if app.keys.idle and app._exception is None:
                    break
        await settle(pilot)
        assert app._exception is None
        assert isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize("other", ["autoreport.certificaat", "vereisten.editie"])
async def test_a_forms_report_after_the_screen_moved_on_never_stores_its_secret(
        koppel_home: Path, other: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A password typed into "Visma.net bereikbaar", then straight on to another step: the form's
    Changed (with every value, the password among them) reached the screen after it had moved on,
    and was saved as the other step's draft, where the password is no secret field: written to the
    state and its .bak in plain. Walker seed 2 with bursts of 10-40 keys (the type-ahead gate's
    second marker round overtakes the StepForm.Changed that the form posts while it handles the
    field's Input.Changed, so the next key moved on first). Here the move comes right as the form
    posts its report, so that it is surely handled first."""
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        theirs = {app.session.ref(other).step.fields[0].id: "typed there before"}
        app.session.save_draft(other, theirs)
        await go(pilot, app, "vooraf.visma_bereikbaar")
        app.screen.query_one("#field-proxy_gebruiker", Input).value = "beheer"
        await settle(pilot)
        form = app.screen.query_one(StepForm)
        post = form.post_message

        def then_move_on(message: object) -> bool:
            posted = post(message)
            if isinstance(message, StepForm.Changed):
                app.main_screen.goto(other)  # the burst's next key, handled before the report arrives
            return posted

        monkeypatch.setattr(form, "post_message", then_move_on)
        app.screen.query_one("#field-proxy_wachtwoord", Input).value = PASSWORD  # as a keystroke sets it
        await settle(pilot)
        assert app.main_screen.key == other and not form.is_attached
        app.session.flush()
        drafts = {key: entry.draft for key, entry in app.session.state.steps.items() if entry.draft}
        assert drafts.get(other) == theirs, drafts  # the other step got nobody's values
        assert drafts["vooraf.visma_bereikbaar"].get("proxy_gebruiker") == "beheer"  # its own draft kept
    for path in koppel_home.rglob("*"):
        assert not path.is_file() or PASSWORD not in path.read_text(errors="replace"), path


def test_a_draft_keeps_only_its_own_steps_fields(koppel_home: Path) -> None:
    """The session's side of the finding above: values of fields a step does not have (another
    step's password among them) are never stored as its draft, whoever hands them over."""
    session = open_session(server="srv01", lang="en")
    session.save_draft("vereisten.editie", {"versie": "9.8a", "proxy_wachtwoord": PASSWORD})
    assert session.state.step("vereisten.editie").draft == {"versie": "9.8a"}


@pytest.mark.parametrize("edited", [
    "walker:S3ntinel-edited@127.0.0.1:43177/pphttps://127.0.0.1:43177/x",  # the scheme cut, junk and an address after
    "S3ntinel-edited@127.0.0.1:43177/",  # the user name cut too: a password is no longer to be seen
    "S3ntinel-edited",
])
def test_a_password_typed_into_an_address_stays_masked_when_the_address_is_edited_away(koppel_home: Path, edited: str) -> None:
    """An address with a password typed into a field, then edited (Ctrl+W, Backspace, more text)
    until no address shows: the draft kept the password in plain, in the state and its .bak, once
    the value held no ``scheme://user:password@`` any more. Walker seed 300 (long run, 3,553 keys):
    ``walker:<password>@127.0.0.1:43177/pphttps://127.0.0.1:43177/x`` in extra_urls."""
    session = open_session(server="srv01", lang="en")
    key = "vooraf.visma_bereikbaar"
    session.save_draft(key, {"extra_urls": "https://walker:S3ntinel-edited@127.0.0.1:43177/"})
    session.save_draft(key, {"extra_urls": edited})
    session.flush()
    assert "S3ntinel-edited" not in str(session.state.step(key).draft)
    for path in koppel_home.rglob("*"):
        assert not path.is_file() or "S3ntinel-edited" not in path.read_text(errors="replace"), path


@pytest.mark.parametrize("keys", [["escape", "ctrl+p"], ["ctrl+p", "escape", "ctrl+p", "escape", "ctrl+p"]])
async def test_ctrl_p_while_the_last_palette_is_still_closing_opens_one(keys: list[str]) -> None:
    """Escape (or a command chosen) takes the palette off the stack at once, but it stays the app's
    child until it is removed; a Ctrl+P typed right behind it opened a second palette with the same
    id: DuplicateIds '--command-palette', koppel ended with an internal error. Walker seed 1 with
    bursts of up to 16 moves. Here the second open comes in the same tick as the dismissal, and as
    type-ahead."""
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        app.screen.dismiss()
        app.action_command_palette()
        await settle(pilot)
        assert app._exception is None
        assert isinstance(app.screen, CommandPalette)
        send_keys(app, keys)
        await settle(pilot, rounds=8)
        assert app._exception is None
        assert isinstance(app.screen, CommandPalette)
        assert sum(isinstance(screen, CommandPalette) for screen in app.screen_stack) == 1


@pytest.mark.parametrize("keys", [["space", "pagedown", "pageup", "enter"], ["space", "pageup"]])
async def test_paging_in_a_choice_list_before_it_is_laid_out_does_not_crash(koppel_home: Path, keys: list[str]) -> None:
    """The form's dropdown, opened and paged in one burst (type-ahead) before the frame that lays the
    list out: KeyError 0 in Textual's OptionList._move_page, an internal error (the palette's race,
    test above, in a Select). The frame is held back (batch_update) so the keys surely come first.
    Afterwards the list pages as before."""
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "vereisten.editie")
        choice = app.screen.query_one(Select)
        choice.focus()
        await settle(pilot)
        with app.batch_update():
            send_keys(app, keys)
            for _ in range(2_000):  # until the gate let every key through (rounds, not a time)
                await asyncio.sleep(0.001)
                if app.keys.idle and app._exception is None:
                    break
        await settle(pilot, rounds=6)
        assert app._exception is None
        await pilot.press("space", "pagedown")
        await settle(pilot)
        assert app._exception is None
