"""An open choice list fits inside the step's pane (issue 8 §2), never over its border or the footer:
the pane scrolls to make room, and what still does not fit scrolls inside the list."""

from __future__ import annotations

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from tests.ui_helpers import make_app, screen_lines, settle


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("tabs", [1, 2], ids=["editie", "module"])
async def test_an_open_choice_list_stays_inside_the_pane(size: tuple[int, int], tabs: int) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter", *["tab"] * tabs)  # into the form, on to a choice list
        await settle(pilot)
        select = app.focused
        assert isinstance(select, Select)
        await pilot.press("space")
        await settle(pilot)
        overlay = select.query_one(SelectOverlay)
        assert app.focused is overlay and overlay.display
        pane = app.main_screen.detail.content_region
        assert pane.y <= overlay.region.y and overlay.region.bottom <= pane.bottom, (overlay.region, pane)
        assert overlay.region.y > select.region.y  # under the select, which stays in view
        footer = screen_lines(app)[-1]
        assert not any(str(overlay.get_option_at_index(i).prompt) in footer for i in range(overlay.option_count))
        await pilot.press("end", "enter")  # every option can still be reached
        await settle(pilot)
        assert select.value == str(overlay.get_option_at_index(overlay.option_count - 1).prompt)
