"""A step's numbered instructions, drawn as Textual's Markdown drew an ordered list, in one widget.

A Markdown list is a container of about four widgets per instruction (a row, its number, a column,
a paragraph), each styled, laid out and painted at every step the admin moves to: the dearest part
of the detail (issue 11). This widget wraps the same texts itself, once per width: the number
right-aligned in a gutter as wide as the longest number plus one, the text hung beside it, an
instruction's result in italics under it. tests/test_scale_instructions.py holds it cell for cell
to the Markdown it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget


@dataclass(frozen=True)
class Instruction:
    number: int
    text: str
    result: str | None = None


def _words(text: str) -> str:
    """Whitespace as Markdown drew it: a line break or the note's no-break space is one space."""
    return " ".join(text.split())


class InstructionList(Widget):
    COMPONENT_CLASSES = {"instruction-list--number", "instruction-list--result"}
    DEFAULT_CSS = """
    InstructionList { height: auto; margin: 0 0 1 0; }
    InstructionList > .instruction-list--number { color: $text-primary; }
    InstructionList:light > .instruction-list--number { color: $text-secondary; }
    InstructionList > .instruction-list--result { text-style: italic; }
    """

    def __init__(self, instructions: list[Instruction], *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.instructions = instructions
        # Markdown's gutter: "N. " right-aligned in one cell more than the longest
        self._gutter = max(len(f"{item.number}. ") for item in instructions) + 1
        self._wrapped: dict[int, tuple[Content, int]] = {}  # lines and their count by width; styles change: cleared

    def notify_style_update(self) -> None:
        self._wrapped.clear()
        super().notify_style_update()

    def _lines(self, width: int) -> tuple[Content, int]:
        if (lines := self._wrapped.get(width)) is None:
            number_style = self.get_visual_style("instruction-list--number", partial=True)
            result_style = self.get_visual_style("instruction-list--result", partial=True)
            text_width = max(1, width - self._gutter)
            hang = Content.styled(" " * self._gutter, number_style)  # the number's column, its colour below it too
            rows: list[Content] = []
            for item in self.instructions:
                number = Content.styled(f"{item.number}. ".rjust(self._gutter), number_style)
                rows += [(number if row == 0 else hang) + line
                         for row, line in enumerate(Content(_words(item.text)).wrap(text_width))]
                if item.result:
                    rows += [hang + line for line in Content.styled(_words(item.result), result_style).wrap(text_width)]
            lines = self._wrapped[width] = (Content("\n").join(rows), len(rows))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._lines(width)[1]

    def render(self) -> Content:
        return self._lines(self.size.width)[0]
