"""One count everywhere (issue 8 §1): the header says the count as `koppel status` does, skipped,
confirmed-by-hand and flagged steps said apart, in words where the line has room and else with the
tree's marks for them (F1 lists the marks); at 80x24 and 60x20, Unicode and ASCII."""

from __future__ import annotations

import pytest

from tests.ui_helpers import make_app, screen_lines, settle
from tests.worked_state import CONFIRMED, DONE, FLAGGED, SKIPPED, TOTAL, worked_server
from tui.marks import mark
from tui.state.counts import Tally
from tui.text import status_word

COUNT = Tally(DONE, TOTAL, SKIPPED, CONFIRMED, FLAGGED)


def with_marks(lang: str, ascii_mode: bool) -> str:
    """ "7/25 gereed (1↷ 1☑ 1⚑)" """
    parts = f"{SKIPPED}{mark('skipped', ascii_mode)} {CONFIRMED}{mark('confirmed', ascii_mode)} {FLAGGED}{mark('flagged', ascii_mode)}"
    return f"{COUNT.ratio} {status_word('done', lang)} ({parts})"


@pytest.mark.parametrize("ascii_mode", [False, True], ids=["unicode", "ascii"])
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_the_header_says_what_the_count_holds_at_80_and_60_columns(
        size: tuple[int, int], lang: str, ascii_mode: bool) -> None:
    worked_server("av-srv01", lang)
    app = make_app(server="av-srv01", lang=lang, ascii_mode=ascii_mode)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("down")  # the greeting read
        await settle(pilot)
        header = screen_lines(app)[0]
        assert header.rstrip().endswith(with_marks(lang, ascii_mode)), header
        assert header.lstrip().startswith("koppel") and "av-srv01" in header


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_a_wide_header_says_the_count_in_the_words_of_koppel_status(lang: str) -> None:
    worked_server("av-srv01", lang)
    app = make_app(server="av-srv01", lang=lang)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert screen_lines(app)[0].rstrip().endswith(COUNT.text(lang))  # as `koppel status` says it


async def test_a_message_keeps_the_count_beside_it() -> None:
    worked_server("av-srv01")
    app = make_app(server="av-srv01")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # no key here: it says so
        await settle(pilot)
        header = screen_lines(app)[0]
        said = app.main_screen.said
        assert said and said in header and f" {COUNT.ratio}" in header, header
