"""One line on top: app, server, playbook and the overall progress (shortened on narrow screens).

It is also koppel's status line: ``message`` ("Opgeslagen", "Welkom terug ...") takes the place of
the playbook and the bar, so a message never covers the step it is about (a toast in the corner
would cover the form's draft or the instructions).
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static
from textual.reactive import reactive

from tui.marks import mark
from tui.state.counts import Tally
from tui.text import status_word, t


def bar(done: int, total: int, width: int, ascii_mode: bool) -> Content:
    filled = round(width * done / total) if total else 0
    if ascii_mode:
        return Content(f"[{'#' * filled}{'.' * (width - filled)}]")
    return Content.assemble(("━" * filled, "$success"), ("━" * (width - filled), "$foreground 20%"))


def ratios(count: Tally, lang: str, ascii_mode: bool) -> list[str]:
    """The count as the header can say it, longest first: as `koppel status` says it ("7/25 gereed
    (1 overgeslagen, 1 met de hand bevestigd)"), with the tree's marks for its parts ("7/25 gereed
    (1↷ 1☑)"), then without the parts. Each says the same count; the header shows the longest that fits."""
    plain = f"{count.ratio} {status_word('done', lang)}"
    parts = [f"{n}{mark(status, ascii_mode)}" for n, status in
             ((count.skipped, "skipped"), (count.confirmed, "confirmed"), (count.flagged, "flagged")) if n]
    return ([count.text(lang), f"{plain} ({' '.join(parts)})"] if parts else []) + [plain, count.ratio]


class StatusHeader(Widget):
    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $foreground; }
    StatusHeader.-read-only { background: $warning 40%; }
    StatusHeader.-unsaved { background: $error 50%; }
    """

    server: reactive[str] = reactive("")
    playbook: reactive[str] = reactive("")
    count: reactive[Tally] = reactive(Tally(0, 0))
    lang: reactive[str] = reactive("nl")
    ascii_mode: reactive[bool] = reactive(False)
    read_only: reactive[bool] = reactive(False)
    unsaved: reactive[bool] = reactive(False)  # a save failed: what is on screen is not on disk
    message: reactive[str] = reactive("")  # the screen's last word to the admin, until the next key

    def holds(self, message: str, width: int) -> bool:
        """Whether ``message`` fits whole beside the shortest count ("7/25") and the marks that stay."""
        marks = [t("detail.read_only", self.lang)] * self.read_only + [t("header.unsaved", self.lang)] * self.unsaved
        return len(message) + sum(len(m) + 3 for m in marks) + len(self.count.ratio) + 3 <= width

    def watch_read_only(self, read_only: bool) -> None:
        self.set_class(read_only, "-read-only")

    def watch_unsaved(self, unsaved: bool) -> None:
        self.set_class(unsaved, "-unsaved")

    def render(self) -> Content:
        width, lang = self.size.width, self.lang
        sep = " | " if self.ascii_mode else " │ "
        said = ratios(self.count, lang, self.ascii_mode)
        who = [("koppel", "bold"), (sep, "dim"), (self.server, "bold")]
        marks: list[tuple[str, str]] = []  # what must stay: read-only, not saved
        if self.read_only:
            marks += [(sep, "dim"), (t("detail.read_only", lang), "bold")]
        if self.unsaved:
            marks += [(sep, "dim"), (t("header.unsaved", lang), "bold reverse")]

        def room(left: list[tuple[str, str]], right: str) -> int:
            return width - 3 - Content.assemble(*left).cell_length - len(right)  # " left  right "

        if self.message:
            message = (self.message, "bold $text-accent")
            # the whole message with the longest count beside it (at least "7/25"); it takes the
            # server's place if it must, and is cut only when it is longer than the line
            lead = marks[1:] + [(sep, "dim")] * bool(marks)  # the marks without the server before them
            tries = [(left, ratio) for left in (who + marks + [(sep, "dim"), message], lead + [message])
                     for ratio in said]
            left, ratio = next(((lf, r) for lf, r in tries if room(lf, r) >= 1), (None, said[-2]))
            if left is None:  # too long for the line: cut, the count kept
                left = lead
                cut = Content.styled(self.message, "bold $text-accent").truncate(max(room(left, ratio), 1), ellipsis=True)
                left_content = Content.assemble(*left, cut)
            else:
                left_content = Content.assemble(*left)
            right = Content(ratio)
        else:
            left = who + marks
            ratio = next((r for r in said if room(left, r) >= 1), said[-1])
            if width >= 70 and room(left + [(sep, "dim"), (self.playbook, "")], ratio) >= 1:
                left += [(sep, "dim"), (self.playbook, "")]
            left_content = Content.assemble(*left)
            bar_width = max(0, min(20, room(left, ratio) - 3))
            right = Content.assemble(
                bar(self.count.done, self.count.total, bar_width, self.ascii_mode) if bar_width >= 5 else "", " ", ratio)
        gap = max(1, width - left_content.cell_length - right.cell_length - 2)
        return Content.assemble(" ", left_content, " " * gap, right, " ").truncate(width)


class NoticeBand(Static):
    """What must be read and takes more than the status line: a damaged state file, checks cut off
    by the last stop, a save or a background task that failed. It sits between the header and the
    body and pushes the body down while it shows (a toast would lie over the step's bottom right,
    over the draft or the field it is about); the screen clears it at the next key."""

    DEFAULT_CSS = """
    NoticeBand { display: none; height: auto; max-height: 6; padding: 0 1;
                 background: $warning 25%; color: $foreground; }
    NoticeBand.-error { background: $error 35%; }
    NoticeBand.-said { background: $panel; color: $text-accent; text-style: bold; }
    NoticeBand.-shown { display: block; }
    """

    text: reactive[str] = reactive("")
    kind: reactive[str] = reactive("warning")  # "warning", "error", or "said" (a status line's word, too long)

    def watch_text(self, text: str) -> None:
        self.update(Content(text))
        self.set_class(bool(text), "-shown")

    def watch_kind(self, kind: str) -> None:
        for name in ("warning", "error", "said"):
            self.set_class(kind == name, f"-{name}")
