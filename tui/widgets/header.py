"""One line on top: app, server, playbook and the overall progress (shortened on narrow screens).

It is also koppel's status line: ``message`` ("Opgeslagen", "Welkom terug ...") takes the place of
the playbook and the bar, so a message never covers the step it is about (a toast in the corner
would cover the form's draft or the instructions).
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.reactive import reactive

from tui.text import t


def bar(done: int, total: int, width: int, ascii_mode: bool) -> Content:
    filled = round(width * done / total) if total else 0
    if ascii_mode:
        return Content(f"[{'#' * filled}{'.' * (width - filled)}]")
    return Content.assemble(("━" * filled, "$success"), ("━" * (width - filled), "$foreground 20%"))


class StatusHeader(Widget):
    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $foreground; }
    StatusHeader.-read-only { background: $warning 40%; }
    StatusHeader.-unsaved { background: $error 50%; }
    """

    server: reactive[str] = reactive("")
    playbook: reactive[str] = reactive("")
    done: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)
    lang: reactive[str] = reactive("nl")
    ascii_mode: reactive[bool] = reactive(False)
    read_only: reactive[bool] = reactive(False)
    unsaved: reactive[bool] = reactive(False)  # a save failed: what is on screen is not on disk
    message: reactive[str] = reactive("")  # the screen's last word to the admin, until the next key

    def watch_read_only(self, read_only: bool) -> None:
        self.set_class(read_only, "-read-only")

    def watch_unsaved(self, unsaved: bool) -> None:
        self.set_class(unsaved, "-unsaved")

    def render(self) -> Content:
        width = self.size.width
        sep = " | " if self.ascii_mode else " │ "
        ratio = f"{self.done}/{self.total} {t('header.progress', self.lang)}"
        # with a message: the marks that must stay (read-only, not saved), the message, the ratio
        who = [("koppel", "bold"), (sep, "dim"), (self.server, "bold"), (sep, "dim")]
        # a message keeps the server beside it where both fit, else it takes the server's place
        fits = len(f"koppel{sep}{self.server}{sep}{self.message}{ratio}") + 4 <= width
        left: list[tuple[str, str] | Content] = list(who) if not self.message or fits else []
        if self.read_only:
            left += [(t("detail.read_only", self.lang), "bold"), (sep, "dim")]
        if self.unsaved:
            left += [(t("header.unsaved", self.lang), "bold reverse"), (sep, "dim")]
        if self.message:
            room = width - len(ratio) - 4 - Content.assemble(*left).cell_length
            left.append(Content.styled(self.message, "bold $text-accent").truncate(max(room, 1), ellipsis=True))
        elif width >= 70:
            left.append((self.playbook, ""))
        else:
            left.pop()  # the separator after the last part
        left_content = Content.assemble(*left)
        bar_width = 0 if self.message else max(0, min(20, width - left_content.cell_length - len(ratio) - 6))
        right = Content.assemble(
            bar(self.done, self.total, bar_width, self.ascii_mode) if bar_width >= 5 else "", " ", ratio)
        gap = max(1, width - left_content.cell_length - right.cell_length - 2)
        return Content.assemble(" ", left_content, " " * gap, right, " ").truncate(width)
