"""A default value and a placeholder hint look and behave differently (issue 8 §2): a default is a
value, said in the label and selected whole on focus so typing replaces it; a hint reads "bijv. ..."
in italics and is never a value."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.ui_helpers import go, make_app, screen_lines, settle


async def test_a_default_is_selected_whole_so_typing_replaces_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await go(pilot, app, "wizard.communicatie_dienst")
        field = app.screen.query_one("#field-patroon", Input)
        assert field.value == "AccountView Communication*"
        label = str(app.screen.query_one("#row-patroon .field-label", Static).render())
        assert label.endswith("(verplicht, standaard)")
        app.main_screen.detail.focus_first()
        await settle(pilot)
        assert app.focused is field
        await pilot.press(*"Visma*")
        assert field.value == "Visma*"  # replaced, not "AccountView Communication*Visma*"
        await pilot.press("shift+tab", "tab")  # the admin's own value now: the cursor goes to its end
        await pilot.press("x")
        assert field.value == "Visma*x"


async def test_a_hint_reads_as_an_example_and_is_never_a_value() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the version field: its hint is the note's example, 9.8
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input) and field.id == "field-versie"
        assert field.value == "" and field.placeholder == "bijv. 9.8"
        assert any("bijv. 9.8" in line for line in screen_lines(app))
        label = str(app.screen.query_one("#row-versie .field-label", Static).render())
        assert "standaard" not in label
        await pilot.press("enter")  # the hint is not an answer: the required field is still empty
        await settle(pilot)
        assert app.session.status("vereisten.editie") == "todo"
