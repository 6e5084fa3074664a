"""The whole built-in playbook by keyboard alone, in three parts that run side by side (xdist), then
a restart that resumes where the admin was.

Each part starts where the previous one ends: the steps before it are completed through the Session
API in the same order and with the same answers the keyboard walk uses, so together the parts still
walk every step of the playbook by keyboard.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, Input

from tests.ui_helpers import BOOL_NL, band, current_key, fill_focused_form, go, make_app, messages, said, settle
from tui.state.session import Session
from tui.widgets.step_form import StepForm

ADMINISTRATIES = ["Demo BV", "Holding BV"]
VALUES = {
    "vereisten.editie": {"versie": "9.8a", "editie": "Business", "module_autoreport": True},
    "wizard.beheerder": {"email": "it@av.nl", "email_stappen_uitgevoerd": True},
    "wizard.autorisatie": {"email": "vi@av.nl", "sso": False},
    "autoreport.administraties": {"administraties": ", ".join(ADMINISTRATIES)},
    "onderneming.aanmaken": {"ondernemingcode": "DEMO", "omschrijving": "Demo",
                             "beginbalans_overgenomen": True, "blk_gedemarkeerd": True},
    "aangifteprofiel.aanmaken": {"naam": "AR"},
    "visma_gebruiker.autoreport": {"gebruiker": "ar@av.nl", "geopend_vanuit_accountview": False,
                                   "accountview_herstart": False},
    "autoreport.certificaat": {"certificaat": "Visma-certificaat", "opslaan_voor": "Alle administraties"},
}
# where the parts meet, in steps done (of 25 with two administraties); the forms weigh most
SECOND_PART, THIRD_PART = 10, 18


def complete_by_api(session: Session, count: int) -> None:
    """The first ``count`` steps in the order koppel offers them, done as the keyboard walk does them."""
    key = session.next_open(None)
    for _ in range(count):
        assert key is not None
        step = session.ref(key).step
        if step.kind == "form":
            typed = {k: BOOL_NL.get(v, v) if isinstance(v, bool) else v for k, v in VALUES[step.id].items()}
            assert not [f for f in session.submit(key, typed) if f.level == "error"], key
        elif step.optional and step.check is not None:
            session.skip(key, "n.v.t.")
        else:
            session.confirm(key)
        key = session.next_open(key)
    assert session.progress()[0] == count
    if key is not None:
        session.set_cursor(key)


async def submit_form(pilot: Pilot, values: dict, *, paste: bool = True) -> None:
    await pilot.press("enter")  # from the list into the step: the first field
    await settle(pilot)
    await fill_focused_form(pilot, values, paste=paste)
    while not (isinstance(pilot.app.focused, Button) and pilot.app.focused.id == "submit"):
        await pilot.press("tab")
    await pilot.press("enter")
    await settle(pilot)


async def walk(pilot: Pilot, count: int) -> None:
    """Complete ``count`` steps by keyboard, each where koppel puts the cursor after the last one."""
    app = pilot.app
    session = app.session
    for _ in range(count):
        key = current_key(app)
        assert key is not None and session.status(key) not in ("done", "confirmed", "skipped", "blocked"), key
        step = session.ref(key).step
        if step.kind == "form":
            await pilot.press("escape")  # back to the list before opening the step
            await submit_form(pilot, VALUES[step.id])
        elif step.optional and step.check is not None:
            await pilot.press("s")
            await settle(pilot)
            await pilot.press(*"n.v.t.", "enter")
        elif step.check is not None:
            await pilot.press("space")  # no passing check here: koppel asks first
            await settle(pilot)
            await pilot.press("y")
        else:
            await pilot.press("space")
        await settle(pilot)
        assert session.status(key) in ("done", "confirmed", "skipped"), (key, messages(app)[-3:])


async def test_walk_part_1_blocked_steps_invalid_forms_and_the_first_steps() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        session = app.session
        assert current_key(app) == "vereisten.editie"

        # a blocked step can be read but not completed, and names what it waits for
        await pilot.press(*["down"] * 8)
        await settle(pilot)
        assert current_key(app) == "wizard.welkom"
        assert "Deze stap wacht op" in str(app.screen.query_one("#blocked").render())
        await pilot.press("space")
        await settle(pilot)
        assert session.status("wizard.welkom") == "blocked"
        why = " ".join(f"{said(app)} {band(app)}".split())  # the status line, or the band when longer
        assert "AccountView-versie controleren" in why and not app._notifications

        # an invalid form shows the rule's message and does not complete
        await pilot.press("p")  # the previous step that can be done now
        await settle(pilot)
        assert current_key(app) == "vooraf.visma_bereikbaar"
        await pilot.press("p")
        await settle(pilot)
        assert current_key(app) == "vereisten.editie"
        await submit_form(pilot, {**VALUES["vereisten.editie"], "versie": "9.7", "editie": "Compact"}, paste=False)
        assert session.status("vereisten.editie") == "todo"
        form = app.screen.query_one(StepForm)
        problems = str(form.query_one("#row-versie .field-message").render())
        assert "9.8" in problems
        assert str(form.query_one("#row-editie .field-message").render())
        assert app.screen.query_one("#row-versie Input").has_class("-error")

        await walk(pilot, SECOND_PART)
        assert session.progress()[0] == SECOND_PART


async def test_walk_part_2_the_wizard_and_the_administraties() -> None:
    app = make_app()
    complete_by_api(app.session, SECOND_PART)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        session = app.session
        await walk(pilot, THIRD_PART - SECOND_PART)
        assert session.progress()[0] == THIRD_PART
        assert session.state.administraties == ADMINISTRATIES
        assert session.step_state("wizard.gateway_installer").skip_reason == "n.v.t."


async def test_walk_part_3_to_the_end_then_reopen_a_draft_and_resume() -> None:
    app = make_app()
    complete_by_api(app.session, THIRD_PART)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        session = app.session
        total = len(session.refs())
        await walk(pilot, total - THIRD_PART)
        assert session.progress() == (total, total)
        assert session.next_open(current_key(app)) is None
        assert session.step_state("onderneming.aanmaken@Holding BV").answers["ondernemingcode"] == "DEMO"

        # space on a done step reopens it after a confirmation
        await go(pilot, app, "wizard.welkom")
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert session.status("wizard.welkom") == "todo"

        # half-typed form: a draft, and the cursor on it
        await go(pilot, app, "aangifteprofiel.aanmaken")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *"Half")
        await settle(pilot)
        await pilot.press("q")  # typed into the field, does not quit
        assert app.is_running
        await pilot.press("escape", "q")
        await settle(pilot)
    assert not app.is_running

    resumed = make_app()
    async with resumed.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert current_key(resumed) == "aangifteprofiel.aanmaken"
        assert resumed.screen.query_one("#field-naam", Input).value == "Halfq"
        assert resumed.session.status("wizard.welkom") == "todo"
        assert resumed.session.status("wizard.beheerder") == "done"
        assert resumed.session.status("onderneming.aanmaken@Demo BV") == "done"
        assert said(resumed).startswith("Welkom terug")
