"""Messages never hide what they are about (issue 8 §3): "Opgeslagen" and "Welkom terug" are said on
the status line (the header), which covers nothing, and the next key takes them away."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tests.ui_helpers import band, fill_focused_form, go, make_app, said, screen_lines, seed_progress, settle
from tui.text import t

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
        greeting = "Welkom terug: laatst gewerkt 3 uur geleden door admin@srv01"
        if size[0] >= 80:
            assert lines[0].lstrip().startswith(greeting)
        else:  # longer than the line holds beside the count: whole, in the band under it, never cut
            assert greeting in " ".join(band(again).split()) and "…" not in lines[0]
        assert lines[0].rstrip().endswith("2/23 gereed")  # the progress stays beside it
        assert not again.screen.query(Toast) and not again._notifications
        await pilot.press("tab")
        await settle(pilot)
        assert said(again) == "" and band(again) == ""


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


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_why_a_key_does_nothing_is_said_on_the_status_line_covering_nothing(size: tuple[int, int], lang: str) -> None:
    """The refusals once were toasts: at 80x24 in English one lay over the step's bottom right until
    it timed out. Now every line under the header stays as it was."""
    app = make_app(lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await go(pilot, app, "vooraf.gateway_download")  # a manual step: no check to run, not optional
        before = screen_lines(app)[1:]
        for key, why in (("r", "why.no_check"), ("s", "why.not_optional"), ("c", "msg.no_copy")):
            await pilot.press(key)
            await settle(pilot)
            assert said(app) == t(why, lang) and t(why, lang) in screen_lines(app)[0]
            assert not app.screen.query(Toast) and not app._notifications
            assert screen_lines(app)[1:] == before  # the step, the tree and the footer: all still there


async def test_a_check_with_invalid_fields_says_so_on_the_status_line_beside_the_field_errors() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, app, "vooraf.visma_bereikbaar")  # a check with fields: its parameters
        await pilot.press("enter")
        await pilot.press(*"ftp://x")
        await pilot.press("tab")  # out of the field: "r" is a key again
        app.main_screen.tree.focus()
        await pilot.press("r")
        await settle(pilot)
        assert said(app) == "Verbeter eerst de velden."
        assert not app.screen.query(Toast) and not app._notifications
        assert app.session.status("vooraf.visma_bereikbaar") == "todo"


async def test_a_form_saved_with_a_warning_stays_in_view_with_the_warning_beside_its_field() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        for ref in session.refs():  # everything before the administrator's step is done
            if ref.key == "wizard.beheerder":
                break
            session.state.step(ref.key).status = "done"
        await settle(pilot)
        await go(pilot, app, "wizard.beheerder")
        await pilot.press("enter")
        await settle(pilot)
        await fill_focused_form(pilot, {"email": "jan.jansen@gmail.com", "email_stappen_uitgevoerd": "ja"})
        await pilot.press("enter")
        await settle(pilot)
        assert session.status("wizard.beheerder") == "done"
        assert app.main_screen.key == "wizard.beheerder"  # not on to the next step: the warning is here
        assert said(app) == "Opgeslagen, met een waarschuwing: zie het veld."
        assert not app.screen.query(Toast) and not app._notifications
        shown = " ".join(" ".join(screen_lines(app)).split())
        assert "Dit lijkt een persoonlijk e-mailadres" in shown or any(
            "persoonlijk e-mailadres" in str(w.render()) for w in app.screen.query(".field-message.-warning"))
        await pilot.press("n")  # on to the next open step when the admin has read it
        await settle(pilot)
        assert app.main_screen.key != "wizard.beheerder"


async def test_a_reason_longer_than_the_line_is_said_whole_in_the_band() -> None:
    """At 60 columns the status line holds about 50 characters beside the count; what a blocked
    step waits for can be longer: it goes to the band under the header, whole, never cut."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await go(pilot, app, "wizard.licentie")  # waits for the steps before it
        app.main_screen.tree.focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        names = ", ".join(b.title("nl") for b in app.session.blockers("wizard.licentie"))
        why = f"Deze stap wacht op: {names}"
        assert len(why) > 55, why  # too long for the line beside "0/23"
        assert why in " ".join(band(app).split()) and said(app) == ""
        assert "…" not in screen_lines(app)[0]
