"""The footer: compact, and at any width it shows F1 Help and the palette key.

Textual's footer clips the keys that do not fit on the right, words cut in half, F1 among them.
This one drops whole keys instead, least important first (the keys table's footer rank);
every dropped key is still in the F1 help and the Ctrl+P palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.keys import footer_rank

PALETTE_CLASS = "-command-palette"
UNRANKED = 1000  # a shown key without a rank: dropped first


def key_width(key: FooterKey) -> int:
    """Cells a key takes in the compact footer (Textual's CSS): "key description", then a margin of 1."""
    return cell_len(key.key_display) + 1 + cell_len(key.description) + 1


def palette_width(key: FooterKey) -> int:
    """The palette key, docked right: its left border, then as any key."""
    return 1 + key_width(key)


def fitting(keys: list[FooterKey], room: int, rank: dict[str, int]) -> list[FooterKey]:
    """The keys that fit in ``room`` cells, most important (lowest rank) first, shown in their own order."""
    kept: set[int] = set()
    used = 0
    for index in sorted(range(len(keys)), key=lambda i: (rank.get(keys[i].action, UNRANKED), i)):
        width = key_width(keys[index])
        if used + width <= room:
            kept.add(index)
            used += width
    return [key for index, key in enumerate(keys) if index in kept]


class KoppelFooter(Footer):
    """Recomposed only when what it shows changed: the screen refreshes its bindings after every
    key and step change, mostly to the same keys (each recompose mounts a dozen widgets)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(compact=True, id=id)
        self._width = 0
        self._pending = False
        self._shown: list[tuple[object, ...]] | None = None  # what the mounted keys show
        self._next: list[Widget] = []  # made to compare with what is shown, mounted when it differs

    def compose(self) -> ComposeResult:
        widgets, self._next = self._next or self._fitted(), []
        yield from widgets

    def _fitted(self) -> list[Widget]:
        keys: list[FooterKey] = []
        palette: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.has_class(PALETTE_CLASS):
                palette.append(widget)
            elif isinstance(widget, FooterKey):
                keys.append(widget)
            else:  # binding groups: koppel has none; shown as Textual would
                palette.append(widget)
        room = (self.size.width or self.app.size.width) - sum(
            palette_width(w) for w in palette if isinstance(w, FooterKey))
        return [*fitting(keys, room, footer_rank()), *palette]

    def bindings_changed(self, screen: Screen) -> None:
        """Many refreshes before the next frame are one look at the bindings."""
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._update)

    async def _update(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        widgets = self._fitted()
        shown = [shows(widget) for widget in widgets]
        if shown != self._shown:
            self._shown, self._next = shown, widgets
            await self.recompose()

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            if self._bindings_ready:
                self.bindings_changed(self.screen)


def shows(widget: Widget) -> tuple[object, ...]:
    """What a footer widget puts on screen (and does when clicked)."""
    if isinstance(widget, FooterKey):
        return (widget.key, widget.key_display, widget.description, widget.action, widget.classes,
                str(widget.tooltip or ""))
    return (widget,)  # a binding group (koppel has none): never taken for the same
