"""Pictures of the main views (pytest-textual-snapshot). Clock, user and timestamps are frozen.

Update after an intended change: pytest tests/test_ui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import errno
import os

from textual.widgets import Input

from tests.ui_helpers import make_app, seed_progress


def seeded(**kwargs):
    app = make_app(**kwargs)
    seed_progress(app)
    return app


def test_main_80x24(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_progress_with_failed_check_120x40(snap_compare) -> None:
    assert snap_compare(seeded(), terminal_size=(120, 40))


def test_ascii_mode(snap_compare) -> None:
    assert snap_compare(seeded(ascii_mode=True), terminal_size=(80, 24))


def test_form_with_validation_errors(snap_compare) -> None:
    async def type_an_old_version(pilot) -> None:
        await pilot.press("enter", *"9.7", "enter")
        for field in pilot.app.screen.query(Input):  # the caret blinks every 0.5 s: off, for one picture
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=type_an_old_version)


def test_help_screen(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["f1"])


def test_too_small_notice(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(50, 15))


def test_narrow_60x20(snap_compare) -> None:
    assert snap_compare(seeded(), terminal_size=(60, 20))


def test_english(snap_compare) -> None:
    assert snap_compare(seeded(lang="en"), terminal_size=(80, 24))


def test_ascii_narrow_60x20(snap_compare) -> None:
    """Both panes scroll: the scrollbars draw whole cells, the footer keeps F1 and the palette."""
    assert snap_compare(seeded(ascii_mode=True), terminal_size=(60, 20))


def test_blocked_step_hides_run_and_done(snap_compare) -> None:
    async def open_blocked_check(pilot) -> None:
        pilot.app.main_screen.goto("wizard.communicatie")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=open_blocked_check)


def test_first_visit_shows_the_introduction(snap_compare) -> None:
    assert snap_compare(make_app(first_visit=True), terminal_size=(80, 24))


def test_a_failed_save_marks_the_header(snap_compare, monkeypatch) -> None:
    """The disk is full for real as far as koppel can tell (the store's write fails with ENOSPC, at a
    fixed path for a stable picture, relative so that Windows, which writes / as \\, shows the same):
    the once-a-second retry fails too, so the mark stays."""
    from tui.state import atomic
    from tui.state.session import SaveFailed

    def full_disk(beside, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "koppel-state/.srv01.json.0123.tmp")

    async def fail_a_save(pilot) -> None:
        monkeypatch.setattr(atomic, "write_temp", full_disk)
        main = pilot.app.main_screen
        try:
            pilot.app.session.confirm("vooraf.gateway_download", note="")
        except SaveFailed as error:
            main.save_failed(error)
        await pilot.pause()

    assert snap_compare(seeded(), terminal_size=(80, 24), run_before=fail_a_save)
