"""Speed (issue 11): a step's numbered instructions are one InstructionList, not a Markdown ordered
list (about four widgets per instruction), and look exactly as the Markdown did: the same cells and
styles, at a wide and a narrow width, with the note's warnings and koppel's lines between them, in
both languages, for every run of instructions the built-in playbook shows."""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.widgets import Markdown, Static

from tests.detail_cells import Shown, cells
from tui.playbook.loader import load_builtin
from tui.playbook.model import Step
from tui.widgets.instructions import Instruction, InstructionList
from tui.widgets.step_detail import md_escape, plain_markdown, text_order


def markdown_of(step: Step, lang: str, first: int, last: int) -> str:
    """Instructions ``first``..``last`` as the Markdown list koppel drew before InstructionList:
    every character escaped, a result an italic paragraph of its item."""
    lines: list[str] = []
    for number in range(first, last + 1):
        instruction = step.instructions[number - 1]
        lines.append(f"{number}. {md_escape(instruction.text.get(lang))}")
        if instruction.result:
            lines += ["", f"    *{md_escape(instruction.result.get(lang))}*", ""]
    return "\n".join(lines)


def around(widget: object) -> list:
    """A warning before and a koppel line after: the list's margins count too."""
    return [Static(Content("waarschuwing"), classes="step-warning"), widget,
            Static(Content("koppel: daarna"), classes="koppel-line")]


def runs() -> list[tuple[str, str, int, int]]:
    """(step, lang, first, last) of every run of instructions the detail shows, each language."""
    found = []
    for section in load_builtin().sections:
        for step in section.steps:
            for lang in ("nl", "en"):
                found += [(step.id, lang, items[0].number, items[-1].number) for items in text_order(step, lang) if isinstance(items, list)]
    return found


RUNS = runs()


def test_the_built_in_playbook_has_runs_of_every_shape() -> None:
    """One and many instructions, a number of two digits, a result under an instruction."""
    playbook = load_builtin()
    assert any(first == last for _, _, first, last in RUNS)
    assert any(last >= 10 for _, _, first, last in RUNS)
    assert any(playbook.step(step).instructions[n - 1].result
               for step, _, first, last in RUNS for n in range(first, last + 1))


@pytest.mark.parametrize("width", [36, 100])
@pytest.mark.parametrize("step_id, lang, first, last", RUNS)
async def test_the_instructions_look_as_their_markdown_did(step_id: str, lang: str, first: int, last: int,
                                                           width: int) -> None:
    step = load_builtin().step(step_id)
    items = [Instruction(n, step.instructions[n - 1].text.get(lang),
                         step.instructions[n - 1].result.get(lang) if step.instructions[n - 1].result else None)
             for n in range(first, last + 1)]
    ours = InstructionList(items)
    assert not isinstance(ours, Markdown)
    markdown = plain_markdown(markdown_of(step, lang, first, last))
    assert await cells(around(ours), width, 60, meta=False) == await cells(around(markdown), width, 60, meta=False)


async def test_a_resize_wraps_the_instructions_anew() -> None:
    """Wrapped once per width: a narrower pane still shows every word, hung beside its number."""
    ours = InstructionList([Instruction(9, "een twee drie vier vijf zes zeven acht"), Instruction(10, "kort")])
    app = Shown([ours])
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert ours.size.height == 2
        await pilot.resize_terminal(22, 20)
        await pilot.pause()
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        assert ours.size.height > 2
        shown = " ".join(row.split("▌")[-1] for row in rows)
        assert all(word in shown for word in "een twee drie vier vijf zes zeven acht kort".split())
