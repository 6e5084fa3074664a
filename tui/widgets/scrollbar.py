"""Scrollbars that draw no partial block glyphs (▁▂▃ / ▏▎▍) while the running app is in ASCII mode.

Textual lets an app swap the renderer of every scrollbar (``ScrollBar.renderer``) but gives the
renderer no widget; the app whose screen is being drawn is ``textual``'s ``active_app``. Outside
ASCII mode (and in any other app) the default renderer draws as always.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.segment import Segments
from textual import active_app
from textual.scrollbar import ScrollBarRender


class AsciiScrollBarRender(ScrollBarRender):
    """Whole cells only: the thumb is reverse-video spaces, ends round to the nearest cell."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


class ModeAwareScrollBarRender(ScrollBarRender):
    @classmethod
    def render_bar(cls, *args: Any, **kwargs: Any) -> Segments:
        app = active_app.get(None)
        if getattr(app, "ascii_mode", False):
            return AsciiScrollBarRender.render_bar(*args, **kwargs)
        return super().render_bar(*args, **kwargs)
