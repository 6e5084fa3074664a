"""Guidance is continuous (Pilot): a section's introduction on the step the admin enters it on,
the admin's earlier answers where the note refers to them, koppel's lines apart from the note's."""

from __future__ import annotations

from textual.widgets import Static

from tests.ui_helpers import go, make_app, settle
from tui.widgets.instructions import InstructionList
from tui.widgets.step_detail import StepDetail

WIZARD_INTRO = "Start de wizard door Opties > Visma-diensten activeren te kiezen."
AUTOREPORT_INTRO = "Sla stap 1 over als u al een onderneming hebt aangemaakt"


def detail_text(app) -> str:
    """Every text the step's pane holds (also what is scrolled out of view)."""
    detail = app.main_screen.query_one(StepDetail)
    parts = []
    for widget in detail.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, InstructionList):
            parts += [f"{item.number}. {item.text}\n{item.result or ''}" for item in widget.instructions]
        elif hasattr(widget, "source"):  # Markdown
            parts.append(widget.source.replace("\\", ""))
    return "\n".join(parts)


def koppel_lines(app) -> list[str]:
    return [str(w.render()) for w in app.main_screen.query_one(StepDetail).query(".koppel-line")]


def done(app, *keys: str) -> None:
    for key in keys:
        entry = app.session.state.step(key)
        entry.status = "done"


async def test_n_into_a_section_shows_its_introduction_on_the_step_it_lands_on() -> None:
    app = make_app()
    # everything before the wizard done, and its first step still waits: n lands further on
    done(app, "vereisten.editie", "vereisten.versie", "vooraf.licentie", "vooraf.gateway_uitpakken",
         "vooraf.visma_bereikbaar")
    app.session.state.cursor = "vooraf.visma_bereikbaar"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert WIZARD_INTRO not in detail_text(app)
        await pilot.press("n")
        await settle(pilot)
        key = app.main_screen.key
        assert key == "wizard.communicatie_dienst"  # De stap Welkom waits for the gateway download
        assert WIZARD_INTRO in detail_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.main_screen.key != key and app.session.ref(app.main_screen.key).section.id == "wizard"
        assert WIZARD_INTRO not in detail_text(app)  # said once, where the section was entered


async def test_the_first_step_of_a_section_always_shows_its_introduction() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "autoreport.administraties")
        assert AUTOREPORT_INTRO in detail_text(app)
        await go(pilot, app, "wizard.welkom")
        assert WIZARD_INTRO in detail_text(app)


async def test_the_gateway_step_shows_the_unpack_folder_and_the_administrators_email() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "wizard.gateway")
        assert koppel_lines(app) == [
            "koppel: U pakte opg_Installer.zip uit in: ‹Map om in uit te pakken: nog niet ingevuld›",
            "koppel: E-mailadres van de beheerder (De stap Beheerder): ‹E-mailadres van de beheerder: nog niet "
            "ingevuld›. Het wachtwoord vraagt of bewaart koppel nooit."]
        app.session.record_answers("vooraf.gateway_uitpakken", {"doel": "D:\\Visma\\opg_Installer"})
        app.session.record_answers("wizard.beheerder", {"email": "beheer@example.nl"})
        await go(pilot, app, "wizard.beheerder")
        await go(pilot, app, "wizard.gateway")
        lines = koppel_lines(app)
        assert "D:\\Visma\\opg_Installer" in lines[0] and "beheer@example.nl" in lines[1]
        text = detail_text(app)
        # the note's own words stay as they are, koppel's line comes after instruction 1
        first = text.index('Ga naar de locatie waar u het bestand "opg_Installer.zip" op de server hebt uitgepakt.')
        assert first < text.index("D:\\Visma\\opg_Installer") < text.index("Voer de setup.exe uit als Administrator.")


async def test_the_profile_name_and_the_ondernemingen_per_administratie() -> None:
    app = make_app()
    session = app.session
    session.record_answers("autoreport.administraties", {"administraties": ["Demo BV", "Holding BV"]})
    session.record_answers("aangifteprofiel.aanmaken", {"naam": "AutoReport NL"})
    session.record_answers("onderneming.aanmaken@Demo BV", {"ondernemingcode": "DEMO", "omschrijving": "Demo"})
    session.record_answers("onderneming.aanmaken@Holding BV", {"ondernemingcode": "HOLD", "omschrijving": "Holding"})
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "aangifteprofiel.vastleggen@Holding BV")
        assert koppel_lines(app) == ["koppel: Het aangifteprofiel dat u aanmaakte: AutoReport NL"]
        await go(pilot, app, "visma_gebruiker.autoreport")
        assert any("Demo BV: DEMO; Holding BV: HOLD" in line for line in koppel_lines(app))


async def test_public_facts_as_koppels_own_lines_with_their_source() -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "wizard.autorisatie")
        assert any("Document > Stamgegevens systeem > Gebruikers (support note AV-419715)" in line
                   and "Voornaam, Achternaam and E-mailadres" in line for line in koppel_lines(app))
        await go(pilot, app, "vooraf.visma_bereikbaar")  # koppel's own step: its intro says it
        text = detail_text(app)
        assert "allow connect.visma.com in the firewall by host name, not by IP address" in text
        assert "docs.connect.visma.com/docs/firewall" in text and "On 403: wait a while" in text


async def test_the_introductions_paragraph_names_the_sections_it_means() -> None:
    app = make_app(first_visit=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [line] = koppel_lines(app)
        assert ('"AccountView inrichten voor Visma.net-diensten" zijn hier de secties Vooraf (0/4; volgende: '
                'AccountView-licentie downloaden) en De wizard Visma-diensten activeren (0/10; volgende: '
                'De stap Welkom)') in line
        assert '"Visma.net AutoReport koppelen met AccountView" is de sectie Visma.net AutoReport koppelen met ' \
               'AccountView (0/' in line
