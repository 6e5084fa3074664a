"""What an admin met walking the whole checklist by keyboard at 80x24, each pinned by a test."""

from __future__ import annotations

import asyncio

from textual import events
from textual.command import CommandList, SearchIcon
from textual.widgets import Button, Input, OptionList, Select

from tests.ui_helpers import footer_keys, go, make_app, messages, said, screen_lines, settle, wait_until
from tui.checks.base import CheckResult
from tui.widgets.log_pane import LogPane
from tui.widgets.step_form import FieldRow

FLOOD_STEP = "vooraf.visma_bereikbaar"


def finish_prerequisites(app) -> None:
    app.session.submit("vereisten.editie", {"versie": "9.8", "editie": "Business", "module_autoreport": "ja"})


async def test_space_on_a_done_step_is_shown_as_reopen() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        finish_prerequisites(app)
        await settle(pilot)
        app.session.confirm("vooraf.gateway_download")
        await go(pilot, app, "vooraf.gateway_download")
        assert footer_keys(app)["space"] == ("Heropenen", False)
        await pilot.press("space")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"  # the reopen question, as the footer said


async def test_a_checks_fields_come_before_its_run_button() -> None:
    """Fill in, then run: tab from the last field lands on the button, not back in the list."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        finish_prerequisites(app)
        await settle(pilot)
        await go(pilot, app, "vooraf.licentie")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "field-pad"
        await pilot.press("tab")
        await settle(pilot)
        assert isinstance(app.focused, Button) and app.focused.id == "run"


async def test_tab_onto_a_field_brings_its_message_into_view() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.session.save_draft("wizard.communicatie", {"acs_host": "127.0.0.1", "acs_poort": "70000"})
        await go(pilot, app, "wizard.communicatie")
        await pilot.press("enter", "tab")
        await settle(pilot, 5)
        row = app.screen.query_one("#row-acs_poort", FieldRow)
        message = row.query_one(".field-message")
        assert "70000" in str(message.render())
        detail = app.main_screen.detail
        assert message.region.y + message.region.height <= detail.content_region.bottom, \
            "the port's error is below the visible part of the step"


async def test_a_check_without_output_shows_one_quiet_line_not_an_empty_box() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        finish_prerequisites(app)
        await settle(pilot)
        await go(pilot, app, "vereisten.versie")
        await pilot.press("r")
        for _ in range(50):
            await asyncio.sleep(0.02)
            if app.session.status("vereisten.versie") == "done":
                break
        await settle(pilot, 5)
        pane = app.screen.query_one(LogPane)
        assert pane.has_class("-empty")
        assert any("geen uitvoer" in line for line in screen_lines(app))
        assert pane.region.height == 1


async def test_a_cancelled_check_says_so_and_the_old_result_is_marked_as_older(hang) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.session.mark_running(FLOOD_STEP)
        # a failed run before (a done step stays done when a re-run is cancelled: tests/test_runs.py)
        app.session.record_result(FLOOD_STEP, CheckResult(status="fail", message="onbereikbaar"), [])
        await go(pilot, app, FLOOD_STEP)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("escape")
        # by order, not a second's wait (CI under load: still running after 1 s)
        await wait_until(pilot, lambda: not app.main_screen.runs[FLOOD_STEP].active, timeout=30)
        await settle(pilot, 5)
        assert app.session.status(FLOOD_STEP) == "interrupted"
        text = "\n".join(screen_lines(app))
        assert "liep toen koppel stopte" not in text
        assert "geannuleerd" in str(app.screen.query_one(".state-warn").render())
        result = str(app.screen.query_one("#result").render())
        assert result.startswith("Resultaat van de uitvoering daarvoor: MISLUKT")


async def test_result_status_in_the_admins_language() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.session.mark_running("wizard.communicatie_dienst")
        app.session.record_result("wizard.communicatie_dienst",
                                  CheckResult(status="na", message="Niet van toepassing hier."), [])
        await go(pilot, app, "wizard.communicatie_dienst")
        result = str(app.screen.query_one("#result").render())
        assert result.startswith("Laatste resultaat: N.V.T.") and " NA " not in result


async def palette_prompts(pilot) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot, 6)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_palette_speaks_dutch_and_offers_only_what_applies() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main_screen.goto("vereisten.editie")  # a form: nothing to run, confirm or cancel
        await settle(pilot)
        prompts = await palette_prompts(pilot)
        assert app.screen.query_one(Input).placeholder == "Zoek een opdracht of stap..."
        for absent in ("Annuleren", "Gereed", "Uitvoeren", "Heropenen"):
            assert not any(p.startswith(absent) for p in prompts), absent
        assert any(p.startswith("Volgende open") for p in prompts)
        assert not {"Keys", "Maximize", "Quit the application"} & set(prompts), "Textual's English commands"


async def test_palette_in_ascii_mode_has_no_emoji_nor_block_rules() -> None:
    app = make_app(ascii_mode=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_prompts(pilot)
        assert app.screen.query_one(SearchIcon).icon == ">"
        rules = [line for line in screen_lines(app) if "▔" in line or "▁" in line]
        assert rules == []


async def test_a_tiny_terminal_still_says_how_to_quit() -> None:
    app = make_app()
    async with app.run_test(size=(20, 5)) as pilot:
        await settle(pilot)
        text = "".join(screen_lines(app))
        assert "Ctrl+Q" in text


async def test_pasting_a_column_of_names_keeps_every_name() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.session.state.cursor = None
        await go(pilot, app, "autoreport.administraties")
        await pilot.press("enter")
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input) and field.id == "field-administraties"
        field.post_message(events.Paste("Demo BV\r\nTest BV\n\nHolding BV\n"))
        await settle(pilot)
        assert field.value == "Demo BV, Test BV, Holding BV"


async def test_an_open_choice_list_says_close_in_dutch() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vereisten.editie")
        await pilot.press("enter", "tab")
        await settle(pilot)
        assert isinstance(app.focused, Select)
        await pilot.press("space")  # opens it (Enter on a closed list saves the form)
        await settle(pilot)
        assert isinstance(app.focused, OptionList)
        assert footer_keys(app)["esc"][0] == "Sluiten"
        assert not messages(app)


async def test_a_password_typed_into_an_address_never_shows_in_its_message() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, FLOOD_STEP)
        await pilot.press("enter", "tab")  # past the extra addresses, to the proxy
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input) and field.id == "field-proxy"
        await pilot.press(*"jan:Geheim99@proxy:8080")  # no scheme: the url rule quotes what was typed
        await settle(pilot, 5)
        message = str(app.screen.query_one("#row-proxy .field-message").render())
        assert "jan:********@proxy:8080" in message and "wachtwoord weg" in message
        rows = [y for y, line in enumerate(screen_lines(app)) if "Geheim99" in line]
        assert rows == [field.region.y], "the password shows outside the field it is typed in"


async def test_with_every_step_done_next_open_is_hidden_and_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        session = app.session
        last = "vooraf.gateway_download"  # a manual step: space makes it done
        for ref in session.refs():
            if ref.key != last:
                session.state.step(ref.key).status = "done"
        await settle(pilot)
        await go(pilot, app, last)
        assert footer_keys(app)["n"] == ("Volgende open", False)
        await pilot.press("space")
        await settle(pilot)
        assert session.progress()[0] == session.progress()[1]
        assert "n" not in footer_keys(app)
        await pilot.press("n")
        await settle(pilot)
        assert said(app) == "Alle stappen zijn gereed." and not app._notifications
        assert not any(p.startswith("Volgende open") for p in await palette_prompts(pilot))


async def test_a_finished_check_keeps_the_step_where_it_was_scrolled_and_shows_its_result(not_applicable) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, FLOOD_STEP)
        detail = app.main_screen.detail
        detail.focus()
        await pilot.press("end")  # down at the fields and the button
        await settle(pilot)
        assert detail.scroll_y > 0
        await pilot.press("r")
        await wait_until(pilot, lambda: not app.main_screen.runs[FLOOD_STEP].active)
        await settle(pilot, 5)
        assert detail.scroll_y > 0, "back at the top of the step"
        result = app.screen.query_one("#result")
        assert detail.content_region.y <= result.region.y < detail.content_region.bottom
        assert any("N.V.T." in line for line in screen_lines(app))


async def test_a_long_log_line_wraps_in_the_pane_and_help_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        long_line = "GET https://connect.visma.com/.well-known/openid-configuration: " \
                    "SSL: CERTIFICATE_VERIFY_FAILED unable to get local issuer certificate (_ssl.c:1006) EINDE"
        app.session.mark_running(FLOOD_STEP)
        app.session.record_result(FLOOD_STEP, CheckResult(status="fail", message="mislukt"), ["kort", long_line])
        await go(pilot, app, FLOOD_STEP)
        log = app.screen.query_one("#log")
        log.focus()
        await settle(pilot, 5)
        text = "\n".join(screen_lines(app))
        assert "EINDE" in text and "_ssl.c:1006" in text, "the end of the line is cut off"
        assert log.max_scroll_x == 0  # nothing to scroll sideways for
        assert len(log.lines) > 3 and "".join(log.lines[1:]).replace(" ", "") == long_line.replace(" ", "")
        await pilot.press("f1")
        await settle(pilot)
        assert "lange regel loopt door" in "\n".join(screen_lines(app))
