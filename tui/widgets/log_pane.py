"""A check's live output: lines buffered per run, drawn in batches per frame, progress replaced.

The engine's ``emit`` only appends to a bounded deque (cheap, no message per line); the pane drains
it about 30 times a second with one ``Log.write_lines`` call. ``Log.write_line`` per line would start
a thread worker per line and stall the event loop under a flood of output.

A run keeps a bounded tail (tui.runs.MAX_LINES while it runs, the state LOG_TAIL_LINES after): what
the pane does not show it says, with where the server's log file is.

Long lines wrap (``WrappingLog``): at 80 columns the pane is some 40 wide, and an error message cut
at its edge, to be read by scrolling sideways, is one the admin does not read.
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from pathlib import Path
from typing import Iterable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Log, Static

from tui.checks.base import Progress
from tui.runs import MAX_LINES, Run
from tui.text import t

FRAME = 1 / 30
CONTINUED = "  "  # how a wrapped line's next rows start
MIN_WRAP = 20  # narrower than this (not laid out yet, or a 1x1 terminal): lines wait in raw, or stay whole


def progress_text(progress: Progress | None, ascii_mode: bool, width: int = 20) -> str:
    if progress is None:
        return ""
    if not progress.total:
        return f"{progress.done:g} {progress.text}".strip()
    share = max(0.0, min(1.0, progress.done / progress.total))
    filled = round(share * width)
    full, empty = ("#", ".") if ascii_mode else ("█", "░")
    return f"[{full * filled}{empty * (width - filled)}] {share:4.0%} {progress.text}".rstrip()


def wrap_line(line: str, width: int) -> list[str]:
    """``line`` in rows of at most ``width`` cells, broken after a space where one is near the end,
    the rows after the first indented by CONTINUED."""
    rows: list[str] = []
    rest = line.expandtabs()
    plain = rest.isascii() and rest.isprintable()  # one cell each: no lookups (issue 11)
    cells = len if plain else cell_len
    while True:
        room = width - (len(CONTINUED) if rows else 0)
        lead = CONTINUED if rows else ""
        if cells(rest) <= room:
            return [*rows, lead + rest]
        cut = _cut(rest, room, plain)
        rows.append(lead + rest[:cut].rstrip(" "))
        rest = rest[cut:].lstrip(" ")
        if not rest:
            return rows


def _cut(text: str, room: int, plain: bool | None = None) -> int:
    """Where ``text`` is broken to fit ``room`` cells: after the last space in the second half of
    what fits, else right where it no longer fits (a URL, a path). ``plain``: printable ASCII, as
    wrap_line found it once for the whole line (asked here when not given)."""
    if plain is None:
        plain = text.isascii() and text.isprintable()
    if plain:  # one cell each: no loop (most log lines; issue 11)
        index = min(room, len(text) - 1)
        space = text.rfind(" ", 0, index + 1)
        return space + 1 if space >= room // 2 else max(index, 1)
    cells = 0
    for index, char in enumerate(text):
        cells += cell_len(char)
        if cells > room:
            break
    space = text.rfind(" ", 0, index + 1)
    return space + 1 if space >= room // 2 else max(index, 1)


class KeptRows:
    """One run's lines wrapped at one width, kept by the detail across the panes it mounts for the
    run: a key that comes back to a running step writes these rows instead of wrapping up to
    MAX_LINES lines again (about 30 ms a key during a flood; issue 11)."""

    def __init__(self) -> None:
        self.width = 0
        self.rows: deque[str] = deque(maxlen=MAX_LINES)  # as many as the Log keeps: its last rows
        self.upto = 0  # the run's lines the rows end with (its count of lines then)

    def reset(self, width: int, rows: Iterable[str], upto: int) -> None:
        self.width, self.upto = width, upto
        self.rows.clear()
        self.rows.extend(rows)

    def follow(self, width: int, rows: Iterable[str], previous: int, upto: int) -> None:
        """Rows written after the run's line ``previous``: kept where they continue the kept ones,
        else the kept rows are of another pane or width and no longer used."""
        if self.width == width and self.upto == previous:
            self.rows.extend(rows)
            self.upto = upto
        else:
            self.width = 0


class WrappingLog(Log):
    """A Log whose long lines continue on the next rows; rewrapped when its width changes."""

    def __init__(self, *, max_lines: int, kept: KeptRows | None = None, id: str | None = None) -> None:
        super().__init__(max_lines=max_lines, id=id)
        self.raw: deque[str] = deque(maxlen=max_lines)  # as written, to wrap again at another width
        self._wrap_width = 0
        self._kept = kept
        self._upto = 0  # a run's lines written so far (what ``upto`` said), for the kept rows

    def write_lines(self, lines: Iterable[str], scroll_end: bool | None = None, *,
                    upto: int | None = None) -> WrappingLog:
        """``upto``: the run's count of lines once these are written (a run's pane says it: its
        rows are kept for the next pane of the same run)."""
        lines = [row for line in lines for row in (line.splitlines() or [""])]
        self.raw.extend(lines)
        previous, self._upto = self._upto, self._upto if upto is None else upto
        if self._wrap_width < MIN_WRAP:  # not laid out yet: the first resize writes them, wrapped, once
            return self
        rows = self._wrapped(lines)
        if upto is not None and self._kept is not None:
            self._kept.follow(self._wrap_width, rows, previous, upto)
        return super().write_lines(rows, scroll_end)

    def _wrapped(self, lines: list[str]) -> list[str]:
        width = self._wrap_width
        if width < MIN_WRAP:
            return lines
        return [row for line in lines for row in ([line] if len(line) <= width // 2 else wrap_line(line, width))]

    def on_resize(self, _: Resize) -> None:
        # the scrollbar's column is kept free: whether it shows depends on the wrapped line count
        width = self.size.width - self.styles.scrollbar_size_vertical  # inside the border
        if width != self._wrap_width:
            self._wrap_width = width
            super().clear()
            if self.raw:
                super().write_lines(self._rows_at_width(), scroll_end=True)

    def _rows_at_width(self) -> list[str]:
        """Every raw line wrapped at the width now: the kept rows of this run where they fit it, and
        only the lines written after them wrapped here."""
        kept, raw = self._kept, self.raw
        after = self._upto - kept.upto if kept is not None else -1
        if kept is not None and kept.width == self._wrap_width and kept.rows and 0 <= after <= len(raw):
            kept.follow(self._wrap_width, self._wrapped(list(islice(raw, len(raw) - after, None))), kept.upto,
                        self._upto)
            return list(kept.rows)
        rows = self._wrapped(list(raw))
        if kept is not None and self._upto:
            kept.reset(self._wrap_width, rows, self._upto)
        return rows


class LogPane(Vertical):
    DEFAULT_CSS = """
    LogPane { height: auto; }
    LogPane > #log-progress { height: auto; color: $accent; display: none; }
    LogPane > #log-progress.-shown { display: block; }
    LogPane > #log-skipped { height: auto; color: $text-muted; display: none; }
    LogPane > #log-skipped.-shown { display: block; }
    LogPane > Log { height: 10; border: round $border-blurred; background: $surface; overflow-x: hidden; }
    LogPane > Log:focus { border: round $border; }
    LogPane > #log-empty { color: $text-muted; text-style: italic; display: none; }
    LogPane.-empty > #log-empty { display: block; }
    LogPane.-empty > Log { display: none; }
    """

    def __init__(self, run: Run | None, tail: list[str], *, total: int = 0, log_path: Path | None = None,
                 ascii_mode: bool = False, lang: str = "nl", kept: KeptRows | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.run = run
        self.kept = kept  # the run's rows as the last pane of the run wrapped them
        self.tail = tail
        self.total = total  # the lines the tail's run wrote in all
        self.log_path = log_path  # the server's log file, where a run's lines go
        self.ascii_mode = ascii_mode
        self.lang = lang
        self._drawn = 0
        self._skipped = ""
        self._progress: Progress | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="log-progress", markup=False)
        yield Static("", id="log-skipped", markup=False)
        yield WrappingLog(max_lines=MAX_LINES, kept=self.kept if self.run is not None else None, id="log")
        yield Static(t("log.empty", self.lang), id="log-empty", markup=False)

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.border_title = "log"
        if self.run is None:
            log.write_lines(self.tail)
            self._show_skipped(self.total - len(self.tail))
            return
        log.write_lines(list(self.run.lines), upto=self.run.total)
        self._drawn = self.run.total
        self._show_skipped(self.run.total - len(self.run.lines))
        self._show_progress()
        if self.run.active:
            self._timer = self.set_interval(FRAME, self.flush)
        else:
            self._show_if_empty()

    def flush(self) -> None:
        """Draw what arrived since the last frame (at most the bounded tail) in one batch."""
        run = self.run
        if run is None:
            return
        fresh = min(run.total - self._drawn, len(run.lines))
        if fresh > 0:
            start = len(run.lines) - fresh
            self.query_one(WrappingLog).write_lines(list(islice(run.lines, start, None)), upto=run.total)
            self._drawn = run.total
            self._show_skipped(run.total - len(run.lines))
        self._show_progress()
        if not run.active and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._show_if_empty()

    def _show_if_empty(self) -> None:
        """A finished run that wrote nothing: one quiet line instead of an empty box of ten."""
        self.set_class(self.run is not None and self.run.total == 0, "-empty")

    def _show_skipped(self, skipped: int) -> None:
        """Above the lines: how many earlier ones are not shown, and where the log file is."""
        text = ""
        if skipped > 0:
            count = f"{skipped:,}".replace(",", "." if self.lang != "en" else ",")
            text = t("log.skipped", self.lang, n=count)
            if self.log_path is not None:
                text += " " + t("log.where", self.lang, path=self.log_path)
        if text != self._skipped:  # a flood redraws every frame: a new layout only when it says more
            self._skipped = text
            label = self.query_one("#log-skipped", Static)
            label.update(text)
            label.set_class(bool(text), "-shown")

    def _show_progress(self) -> None:
        progress = self.run.progress if self.run else None
        if progress is not self._progress:
            self._progress = progress
            label = self.query_one("#log-progress", Static)
            text = progress_text(progress, self.ascii_mode)
            label.update(text)
            label.set_class(bool(text), "-shown")
