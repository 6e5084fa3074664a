"""Shown instead of a broken layout when the terminal is smaller than koppel can use."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.text import t

MIN_WIDTH, MIN_HEIGHT = 60, 20


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


def covers(app: App[None]) -> bool:
    """The notice is on top: nothing opens over it (a palette or help there would be a screen the
    size of the terminal, 1x1, and a resize back would pop it instead of the notice under it)."""
    return isinstance(app.screen, TooSmallScreen)


def fit(app: App[None], width: int, height: int) -> None:
    """Show the notice while the terminal is too small, and take it away once it is not."""
    showing = covers(app)
    if too_small(width, height) and not showing:
        app.push_screen(TooSmallScreen(app.lang))  # type: ignore[attr-defined]
    elif showing and not too_small(width, height):
        app.pop_screen()


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen > Static { width: auto; max-width: 100%; height: auto; color: $text-warning; }
    TooSmallScreen > #small-title { text-style: bold; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(t("small.title", self.lang), id="small-title")
        yield Static("", id="small-body")

    def on_mount(self) -> None:
        self._describe()

    def on_resize(self) -> None:
        self._describe()

    def _describe(self) -> None:
        width, height = self.app.size
        body = t("small.body", self.lang, w=MIN_WIDTH, h=MIN_HEIGHT, cw=width, ch=height)
        self.query_one("#small-body", Static).update(Content(body))
