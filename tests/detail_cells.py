"""Widgets drawn inside StepDetail's own styles, read back cell by cell: how the speed tests hold
a cheaper widget to the Markdown it replaces (tests/test_scale_prose.py, test_scale_instructions.py)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget

from tui.widgets.step_detail import StepDetail

Cells = list[list[tuple[str, object]]]


class Pane(StepDetail):
    """StepDetail's styles around the widgets, without a session."""

    def __init__(self, widgets: list[Widget]) -> None:
        VerticalScroll.__init__(self)
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        yield from self.widgets


class Shown(App[None]):
    def __init__(self, widgets: list[Widget]) -> None:
        super().__init__()
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        yield Pane(self.widgets)


async def cells(widgets: list[Widget], width: int, height: int = 30, *, meta: bool = True) -> Cells:
    """Every cell of the screen: its character and its style (``meta=False``: without the offsets
    text selection reads, which differ between widgets that look alike)."""
    app = Shown(widgets)
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        return [[(char, segment.style if meta or not segment.style else segment.style.clear_meta_and_links())
                 for segment in strip for char in segment.text]
                for strip in app.screen._compositor.render_strips()]
