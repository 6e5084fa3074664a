"""The whole built-in playbook by keyboard alone, then a restart that resumes where the admin was."""

from __future__ import annotations

from textual.widgets import Button, Input, Select

from tui.widgets.step_form import StepForm
from tests.ui_helpers import current_key, fill_focused_form, make_app, messages, settle

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


async def submit_form(pilot, values: dict, *, paste: bool = True) -> None:
    await pilot.press("enter")  # from the list into the step: the first field
    await settle(pilot)
    await fill_focused_form(pilot, values, paste=paste)
    while not (isinstance(pilot.app.focused, Button) and pilot.app.focused.id == "submit"):
        await pilot.press("tab")
    await pilot.press("enter")
    await settle(pilot)


async def test_walk_whole_playbook_by_keyboard_then_resume() -> None:
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
        assert any("AccountView-versie controleren" in m for m in messages(app))

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

        # then every step, in the order "n" offers them
        steps_done = 0
        while (key := current_key(app)) is not None and session.status(key) not in ("done", "skipped"):
            ref = session.ref(key)
            step = ref.step
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
            assert session.status(key) in ("done", "skipped"), (key, messages(app)[-3:])
            steps_done += 1
            if session.next_open(key) is None:
                break
        assert session.progress() == (len(session.refs()), len(session.refs()))
        assert session.state.administraties == ADMINISTRATIES
        assert steps_done == len(session.refs())
        assert session.step_state("onderneming.aanmaken@Holding BV").answers["ondernemingcode"] == "DEMO"
        assert session.step_state("wizard.gateway_installer").skip_reason == "n.v.t."

        # space on a done step reopens it after a confirmation
        app.main_screen.goto("wizard.welkom")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert session.status("wizard.welkom") == "todo"

        # half-typed form: a draft, and the cursor on it
        app.main_screen.goto("aangifteprofiel.aanmaken")
        await settle(pilot)
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
        assert any(m.startswith("Welkom terug") for m in messages(resumed))
