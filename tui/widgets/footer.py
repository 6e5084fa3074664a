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
    """Changed only where what it shows changed: the screen refreshes its bindings after every key
    and step change, mostly to the same keys or one more or less (a recompose mounts a dozen)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(compact=True, id=id)
        self._width = 0
        self._pending = False
        self._shown: list[tuple[object, ...]] | None = None  # what the mounted keys show

    def compose(self) -> ComposeResult:
        yield from self._fitted()

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
        if shown == self._shown:
            return
        if all(isinstance(widget, FooterKey) for widget in widgets):
            self._shown = shown
            await self._change_to(widgets)  # type: ignore[arg-type]
            return
        self._shown = shown
        await self.recompose()  # binding groups (koppel has none): made again, as Textual would

    async def _change_to(self, keys: list[FooterKey]) -> None:
        """Keys that went are removed, new ones mounted in their place, the rest relabelled: a step
        change mostly adds or drops one key, and a recompose would mount them all again."""
        mounted = {(key.key, key.action): key for key in self.query_children(FooterKey)}
        wanted = {(key.key, key.action) for key in keys}
        gone = [key for ident, key in mounted.items() if ident not in wanted]
        if gone:
            await self.remove_children(gone)
        previous: FooterKey | None = None
        for key in keys:
            kept = mounted.get((key.key, key.action))
            if kept is not None:
                relabel(kept, key)
                previous = kept
                continue
            if previous is not None:
                await self.mount(key, after=previous)
            elif self.children:
                await self.mount(key, before=0)
            else:
                await self.mount(key)
            previous = key

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            if self._bindings_ready:
                self.bindings_changed(self.screen)


def relabel(key: FooterKey, like: FooterKey) -> None:
    """``key`` shows what ``like`` shows (Textual's FooterKey keeps its greying in ``_disabled`` too)."""
    key.key_display, key.description, key.tooltip = like.key_display, like.description, like.tooltip
    key._disabled = like._disabled
    key.set_class(like.has_class("-disabled"), "-disabled")
    key.refresh(layout=True)


def shows(widget: Widget) -> tuple[object, ...]:
    """What a footer widget puts on screen (and does when clicked)."""
    if isinstance(widget, FooterKey):
        return (widget.key, widget.key_display, widget.description, widget.action, widget.classes,
                str(widget.tooltip or ""))
    return (widget,)  # a binding group (koppel has none): never taken for the same
