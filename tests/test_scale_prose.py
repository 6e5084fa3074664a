"""Speed (issue 11): a plain playbook text is a Static per paragraph, not a Markdown widget (a
container of blocks that parses first), and looks exactly as the Markdown did: same cells, same
styles, whatever follows it. Text that needs Markdown still gets it."""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.widgets import Markdown, Static

from tests.detail_cells import cells
from tui.playbook.loader import load_builtin
from tui.widgets.step_detail import md_escape, plain_markdown, prose

ONE = "Start de wizard door Opties > Visma-diensten activeren te kiezen (stap 1 * 2_3 [x] #4 | a\\b)."
TWO = "Eerste alinea, met een regel\nerdoorheen, die doorloopt.\n\n\"Tweede\" alinea  met  ruimte."


def around(widgets: list) -> list:
    """A title before, then a margin and a warning after the text: what follows it counts too."""
    return [Static(Content("titel"), id="step-title"), *widgets,
            Static(Content("daarna"), id="overview-sections"),  # margin: 1 0, after the text
            Static(Content("waarschuwing"), classes="step-warning")]


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("text, classes", [(ONE, ""), (TWO, ""), (ONE, "section-intro")])
async def test_a_plain_text_looks_as_its_markdown_did(text: str, classes: str, width: int) -> None:
    fast = list(prose(text, classes))
    assert fast and not any(isinstance(widget, Markdown) for widget in fast)  # the Static road
    markdown = plain_markdown(md_escape(text))
    if classes:
        markdown.add_class(classes)
    assert await cells(around(fast), width) == await cells(around([markdown]), width)


@pytest.mark.parametrize("text", ["1. a list\n2. of two", "- a bullet", "Kop\n===", "a &amp; b", "    code",
                                  "regel met een harde  \nbreuk", "één\n\ntwee", ""])
def test_text_that_needs_markdown_gets_it(text: str) -> None:
    widgets = list(prose(text, "section-intro"))  # a section's introduction of two paragraphs too
    assert len(widgets) == 1 and isinstance(widgets[0], Markdown) or text == ""


def test_every_text_of_the_built_in_playbook_takes_the_static_road() -> None:
    playbook = load_builtin()
    texts = [playbook.intro, playbook.outro, *(section.intro for section in playbook.sections),
             *(text for section in playbook.sections for step in section.steps for text in (step.intro, step.outro))]
    for lang in ("nl", "en"):
        for text in filter(None, texts):
            assert not any(isinstance(widget, Markdown) for widget in prose(text.get(lang))), text.get(lang)
