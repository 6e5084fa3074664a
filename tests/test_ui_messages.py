"""Messages never hide what they are about (issue 8 §3): "Opgeslagen" and "Welkom terug" are said on
the status line (the header), which covers nothing, and the next key takes them away."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tests.ui_helpers import fill_focused_form, make_app, said, screen_lines, seed_progress, settle

SIZES = [(80, 24), (60, 20)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_saved_is_said_on_the_header_line_and_the_next_key_takes_it_away(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await fill_focused_form(pilot, {"versie": "9.8", "editie": "Business", "module_autoreport": "ja"})
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.status("vereisten.editie") == "done"
        assert said(app) == "Opgeslagen"
        assert "Opgeslagen" in screen_lines(app)[0]  # the header, not a toast over the next step
        assert not app.screen.query(Toast) and not app._notifications
        await pilot.press("down")
        await settle(pilot)
        assert said(app) == "" and "Opgeslagen" not in screen_lines(app)[0]
        assert "koppel" in screen_lines(app)[0]  # the header is itself again


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_welcome_back_covers_neither_the_draft_nor_the_instructions(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        seed_progress(app)  # worked on three hours ago, a draft left on "Licentie downloaden"
        app.session.flush()
    again = make_app()
    async with again.run_test(size=size) as pilot:
        await settle(pilot)
        lines = screen_lines(again)
        assert lines[0].lstrip().startswith("Welkom terug: laatst gewerkt 3 uur geleden")
        assert lines[0].rstrip().endswith("2/23 gereed")  # the progress stays beside it
        assert not again.screen.query(Toast) and not again._notifications
        await pilot.press("tab")
        await settle(pilot)
        assert said(again) == ""


async def test_a_letter_that_is_no_key_here_says_so_in_one_line() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # in the list: no key
        await settle(pilot)
        assert said(app) == "'x' doet hier niets; F1 toont de toetsen."
        assert "'x' doet hier niets" in screen_lines(app)[0]
        await pilot.press("n")  # a key: it acts, and says nothing of the kind
        await settle(pilot)
        assert said(app) == ""
        await pilot.press("enter", "x")  # typed into a field: a letter, not a key
        await settle(pilot)
        assert said(app) == "" and app.focused.value == "x"
