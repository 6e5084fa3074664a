"""Keys that apply to the step at hand: the footer shows only those, at any width; c copies what the
step needs (the licence text, read again from the real PDF); a blocked step says what it waits for."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Select, Static

from tests.pdfs import licence_pdf
from tests.ui_helpers import burst, current_key, footer_keys, go, make_app, said, screen_lines, settle
from tui.screens.dialogs import ConfirmDialog
from tui.screens.main import MainScreen


async def test_c_on_the_wizard_licence_step_copies_the_licence_text_from_the_pdf(tmp_path: Path) -> None:
    pdf = licence_pdf(tmp_path / "licentie.pdf")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        session = app.session
        session.record_answers("vooraf.licentie", {"pad": str(pdf)})  # as the admin answered it earlier

        app.main_screen.goto("vooraf.licentie")  # no copy_from: c copies the menu path
        await settle(pilot)
        await pilot.press("c")
        assert app.clipboard == "Opties > Licentie downloaden"

        await go(pilot, app, "wizard.licentie")
        assert footer_keys(app)["c"] == ("Kopiëren", False)
        await pilot.press("c")  # runs the licence check of vooraf.licentie with the clipboard
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "Licentienummer: TEST-0000-1111" in app.clipboard and "AutoReport-koppeling" in app.clipboard
        assert said(app).startswith("Licentietekst gekopieerd"), said(app)
        # copying records nothing: the licence text is never stored
        assert session.status("vooraf.licentie") == "blocked" and session.step_state("vooraf.licentie").result is None
        session.flush()
        assert "TEST-0000-1111" not in session.store.path.read_text(encoding="utf-8")

        # a file that is no PDF: the check's own message, and the clipboard keeps what it had
        broken = tmp_path / "licentie-kapot.pdf"
        broken.write_bytes(b"dit is geen pdf")
        session.record_answers("vooraf.licentie", {"pad": str(broken)})
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await settle(pilot)
        # a question, not just an error: the check's own message, which step the text comes from, go there?
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one(".question", Static).render())
        assert "geen PDF-bestand" in question, question
        assert question.endswith("Licentietekst komt uit de stap 'AccountView-licentie downloaden'. Daarheen gaan?")
        assert "Licentienummer: TEST-0000-1111" in app.clipboard
        await pilot.press("enter")  # yes: to the step the text comes from
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and current_key(app) == "vooraf.licentie"


async def test_a_blocked_step_offers_no_run_and_says_what_it_waits_for() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        session = app.session
        app.main_screen.goto("wizard.communicatie")  # a check waiting for "De stap Licentie"
        await settle(pilot)
        assert session.status("wizard.communicatie") == "blocked"
        assert app.screen.query_one("#run", Button).disabled
        keys = footer_keys(app)
        assert "r" not in keys and "space" not in keys  # nothing they could do now: not offered

        for key in ("r", "space"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)  # no "done without a passing check?" question
            assert said(app) == "Deze stap wacht op: De stap Licentie" and not app._notifications
        assert session.status("wizard.communicatie") == "blocked" and not app.main_screen.runs

        # only what applies: a check that can run, a manual step (no r), a form (no space, no r)
        session.submit("vereisten.editie", {"versie": "9.8a", "editie": "Business", "module_autoreport": "ja"})
        await go(pilot, app, "vooraf.visma_bereikbaar")
        keys = footer_keys(app)
        assert keys["r"] == ("Uitvoeren", False) and keys["space"] == ("Gereed", False)
        assert "s" not in keys and "c" not in keys  # not optional, nothing to copy
        await go(pilot, app, "vooraf.gateway_download")
        keys = footer_keys(app)
        assert "r" not in keys and keys["space"] == ("Gereed", False)
        await go(pilot, app, "vereisten.editie")
        keys = footer_keys(app)
        assert "r" not in keys and "space" not in keys and keys["c"] == ("Kopiëren", False)


async def test_footer_at_60_columns_keeps_help_and_the_palette_whole() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        app.main_screen.goto("vooraf.visma_bereikbaar")  # space, r, n, q, f1 and, in the step, esc
        for lang, palette in (("nl", "^p Opdrachten"), ("en", "^p Commands")):
            if app.lang != lang:
                app.action_switch_lang()
            for widget in (app.main_screen.tree, app.main_screen.detail):
                widget.focus()
                await settle(pilot)
                footer = screen_lines(app)[-1]
                assert "f1 Help" in footer and footer.rstrip().endswith(palette), footer
                shown = footer_keys(app)
                # whole keys only: every one shown is on the line with its description
                for key, (description, _) in shown.items():
                    assert f"{key} {description}" in footer, (key, footer)
                if lang == "nl":  # the Dutch words are too long for all of them
                    assert not {"space", "r", "n", "q"} <= set(shown), "nothing was dropped"
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert {"space", "r", "esc", "n", "q", "f1", "^p"} <= set(footer_keys(app))  # room again: all back


async def test_no_letter_is_a_command_from_a_closed_choice_list() -> None:
    """Found in the tmux walk: 'n' on the edition's (closed) choice list jumped to the next step; a
    Select keeps no letters as an Input does, so the screen's letter keys fired from it."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vereisten.editie")
        await pilot.press("enter", "tab")  # the version, then the edition's choice list
        await settle(pilot)
        choice = app.focused
        assert isinstance(choice, Select) and not choice.expanded
        assert not {"n", "c", "q", "s", "r", "t"} & set(footer_keys(app)), footer_keys(app)
        for letter in "ncsrtpq":
            await pilot.press(letter)
            await settle(pilot)
            assert app.is_running and current_key(app) == "vereisten.editie" and app.focused is choice, letter
            assert not app.main_screen.has_class("-tree-hidden")
            assert said(app) == "Letters doen niets in een keuzelijst: spatie opent, Enter slaat op."
        await pilot.press("space")  # its own key still opens it
        await settle(pilot)
        assert choice.expanded


async def test_keys_after_moving_and_enter_in_one_burst_go_to_the_step_landed_on() -> None:
    """Found in the tmux walk: six arrows and Enter in one burst opened "Editie, versie en module"
    but left the focus off its form (Enter came while the pane still showed a step passed on the
    way), so what followed went to no field."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vooraf.visma_bereikbaar")  # a form of its own (its extra addresses)
        app.main_screen.tree.focus()
        await settle(pilot)
        burst(app, *["up"] * 6, "enter", *"9.8")
        await settle(pilot, 10)
        assert current_key(app) == "vereisten.editie"
        assert isinstance(app.focused, Input) and app.focused.id == "field-versie", app.focused
        assert app.focused.value == "9.8"
