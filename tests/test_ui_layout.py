"""Console reality: sizes down to too small and back, help, palette, language, ASCII, colours, Ctrl+C."""

from __future__ import annotations

import unicodedata

from rich.style import Style
from textual.widgets import Input, Select

from tests.ui_helpers import band, current_key, go, make_app, said, screen_lines, seed_progress, settle
from tui.screens.help import HelpScreen
from tui.screens.too_small import TooSmallScreen
from tui.widgets.checklist import ChecklistTree


async def test_resize_to_tiny_and_back_never_breaks() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main_screen.goto("wizard.licentie")  # half-way down the list
        await settle(pilot)
        key = current_key(app)
        tree = app.main_screen.tree
        for size in [(60, 20), (59, 20), (20, 5), (1, 1), (60, 19), (60, 20), (120, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            small = size[0] < 60 or size[1] < 20
            assert isinstance(app.screen, TooSmallScreen) == small, size
            if small:
                assert "te klein" in str(app.screen.query_one("#small-title").render())
            else:
                assert app.main_screen.has_class("-narrow") == (size[0] < 80)
                top = tree.scroll_offset.y  # the cursor stays in sight when the list gets shorter
                assert top <= tree.cursor_line < top + tree.scrollable_content_region.height, size
        assert current_key(app) == key
        assert len(app.screen_stack) == 2  # the default screen and the checklist: no leftovers
        await pilot.press("down")
        assert current_key(app) != key


async def test_narrow_layout_stacks_and_tree_can_hide() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ChecklistTree)
        detail = app.screen.query_one("#detail")
        assert tree.region.bottom <= detail.region.y  # list above the step
        await pilot.press("t")
        await settle(pilot)
        assert not tree.display and app.focused is detail
        await pilot.press("t")
        await settle(pilot)
        assert tree.display and app.focused is tree


async def test_help_lists_every_key_and_the_focused_context() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        for key in ("space", "r", "esc", "n", "p", "s", "c", "q", "f1", "f10", "ctrl+q", "ctrl+p", "j", "k", "tab"):
            assert key in keys.lower(), key
        assert "Volgende open" in keys
        palette = str(app.screen.query_one("#help-palette").render())
        for command in ("Alle controles uitvoeren", "Ga naar stap", "ASCII"):
            assert command in palette, command
        assert "checklist" in str(app.screen.query_one("#help-context").render()).lower()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_goes_to_a_step_by_name() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"stap beheerder")
        await settle(pilot, 6)
        await pilot.press("enter")
        await settle(pilot)
        assert current_key(app) == "wizard.beheerder"


async def test_language_and_ascii_switch_relabel_everything() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Volgende open" in {b.binding.description for b in app.screen.active_bindings.values()}
        app.action_switch_lang()
        await settle(pilot)
        assert app.session.lang == "en"
        assert "Next open" in {b.binding.description for b in app.screen.active_bindings.values()}
        assert "AccountView edition" in str(app.screen.query_one("#step-title").render())
        assert "Opties > Extra modules bestellen" in str(app.screen.query_one("#step-menu").render())
        app.action_toggle_ascii()
        await settle(pilot)
        assert app.has_class("-ascii")
        assert str(app.screen.query_one("#step-title").render()).startswith("[ ]")
        assert "[#]" in app.screen.query_one(ChecklistTree).render_label(
            app.screen.query_one(ChecklistTree)._key_nodes["wizard.welkom"], Style(), Style()).plain


async def test_no_color_is_honoured(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)


async def test_ctrl_c_keeps_everything_and_keys_do_not_fire_while_typing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # into the form
        await settle(pilot)
        await pilot.press(*"9.8 nps")  # letters that are keys elsewhere: typed, not obeyed
        assert isinstance(app.focused, Input) and app.focused.value.endswith("9.8 nps")
        assert current_key(app) == "vereisten.editie"
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app.is_running
        assert "Ctrl+Q" in said(app)
        assert app.session.step_state("vereisten.editie").draft["versie"].endswith("9.8 nps")


async def test_secret_fields_are_masked_and_never_drafted() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vooraf.visma_bereikbaar")
        secret = app.screen.query_one("#field-proxy_wachtwoord", Input)
        assert secret.password
        secret.focus()
        await pilot.press(*"geheim1")
        await settle(pilot)
        app.session.flush()
        entry = app.session.step_state("vooraf.visma_bereikbaar")
        assert "proxy_wachtwoord" not in (entry.draft or {})
        assert "geheim1" not in app.session.store.path.read_text(encoding="utf-8")


async def test_welcome_back_and_interrupted_steps_on_resume() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seed_progress(app)
        app.session.mark_running("vooraf.licentie")  # then the SSH connection drops
        app.session.flush()
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert current_key(again) == "vooraf.visma_bereikbaar"
        assert again.session.status("vooraf.licentie") == "interrupted"
        # on the status line, with the progress beside it, not in a toast over the step
        assert said(again).startswith("Welkom terug: laatst gewerkt") and "admin@srv01" in said(again)
        assert "1 stap(pen) liepen nog toen koppel stopte; voer ze opnieuw uit." in band(again)  # above the step
        assert again.screen.query_one("#body").region.y == 2  # pushed down by the band's line, not covered
        await pilot.press("down")  # read: the next key takes it away, and the step moves back up
        await settle(pilot)
        assert band(again) == "" and again.screen.query_one("#body").region.y == 1


async def test_f1_on_a_choice_list_shows_that_fields_help() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "tab")  # into the form, then the "Editie" choice list
        await settle(pilot)
        assert isinstance(app.focused, Select) and app.focused.id == "field-editie"
        for opened in (False, True):
            if opened:
                await pilot.press("space")  # opens it: the open list has the focus now
                await settle(pilot)
                assert app.focused is not None and app.focused.parent is app.screen.query_one("#field-editie")
            await pilot.press("f1")
            await settle(pilot)
            context = str(app.screen.query_one("#help-context").render())
            assert "AccountView-editie: Help > Infoline toont de editie." in context, context
            assert "keuzelijst" in context
            await pilot.press("escape")
            await settle(pilot)


def odd_glyphs(lines: list[str]) -> set[str]:
    """What a console without Unicode fonts may not draw: anything but ASCII and letters (ë, é)."""
    return {c for line in lines for c in line if ord(c) > 127 and not unicodedata.category(c).startswith("L")}


async def test_ascii_mode_draws_only_ascii_glyphs() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:  # narrow: both panes scroll
        await settle(pilot)
        seed_progress(app)
        app.main_screen.refresh_all()
        await settle(pilot)
        assert odd_glyphs(screen_lines(app)), "the test would see nothing"
        app.action_toggle_ascii()  # switched on while running: scrollbars and tree redraw too
        await settle(pilot)
        views = []
        for key in ("vooraf.visma_bereikbaar", "vereisten.editie", "onderneming.aanmaken", "wizard.welkom"):
            app.main_screen.goto(key)  # a failed check with its log, warnings, a group, a blocked step
            await settle(pilot)
            views.append((key, screen_lines(app)))
        await go(pilot, app, "vereisten.editie")
        await pilot.press("enter", "tab", "enter")  # the choice list, open
        await settle(pilot)
        views.append(("choice list", screen_lines(app)))
        await pilot.press("escape", "escape")
        await go(pilot, app, "vooraf.visma_bereikbaar")
        await pilot.press("space")  # done without a passing check? a dialog
        await settle(pilot)
        views.append(("dialog", screen_lines(app)))
        await pilot.press("n")
        app.screen.query_one("#field-proxy_wachtwoord", Input).focus()
        await pilot.press(*"geheim")  # masked
        app.notify("Een melding", severity="warning")
        await settle(pilot)
        views.append(("password and a toast", screen_lines(app)))
        assert any("******" in line for line in views[-1][1])
        await pilot.press("f1")
        await settle(pilot)
        views.append(("help", screen_lines(app)))
        for name, lines in views:
            assert not odd_glyphs(lines), (name, odd_glyphs(lines), "\n".join(lines))


async def test_a_half_typed_note_of_a_manual_step_survives_a_restart() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.session.submit("vereisten.editie", {"versie": "9.8", "editie": "Team", "module_autoreport": "ja"})
        await go(pilot, app, "vooraf.gateway_download")
        await pilot.press("enter")
        await pilot.press(*"gedownload door Piet")
        await settle(pilot)
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert current_key(again) == "vooraf.gateway_download"
        note = again.screen.query_one("#manual-note", Input)
        assert note.value == "gedownload door Piet"
        note.focus()
        await pilot.press("enter")  # confirms the step with the note
        await settle(pilot)
        entry = again.session.step_state("vooraf.gateway_download")
        assert entry.status == "done" and entry.note == "gedownload door Piet" and entry.draft is None


async def test_a_first_visit_opens_on_the_notes_introduction() -> None:
    app = make_app(first_visit=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert current_key(app) is None
        text = "\n".join(screen_lines(app))
        assert "Inleiding" in text and "Support ID: AV-638111" in text
        assert "Met Visma.net AutoReport" in text
        await pilot.press("n")
        await settle(pilot)
        assert current_key(app) == "vereisten.editie"
        await pilot.press("up", "up")  # back to the top line: the introduction again
        await settle(pilot)
        assert current_key(app) is None and "Support ID" in "\n".join(screen_lines(app))
