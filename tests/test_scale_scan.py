"""Scale (issue 11): the playbook loader's nesting scan jumps between the characters that matter;
it must say what the plain loop over every character said, for any document."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.limits import NESTING_MAX
from tui.playbook.loader import too_deep_at


def every_character(document: str, limit: int = NESTING_MAX) -> int | None:
    """The scan as it was: one step of a Python loop per character."""
    depth, line, quote_char, index = 0, 1, "", 0
    while index < len(document):
        char = document[index]
        if char == "\n":
            line += 1
        if quote_char:
            if char == "\\" and quote_char == '"':
                index += 1
            elif char == quote_char:
                quote_char = ""
        elif char in "\"'":
            quote_char = char
        elif char == "#":
            end = document.find("\n", index)
            index = len(document) if end < 0 else end - 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return None


DOCUMENTS = st.text(alphabet=st.sampled_from(list("[]{}\"'#\\\n a=1")), max_size=300)


@settings(max_examples=600, deadline=None)
@given(DOCUMENTS, st.integers(min_value=0, max_value=4))
@example('a = "[\\\n[[[["\n[[[[[', 3)  # an escaped newline in a basic string is not counted
@example("# [[[[[[\n'[[[[' [[[[", 3)
def test_the_scan_says_what_the_loop_over_every_character_said(document: str, limit: int) -> None:
    assert too_deep_at(document, limit) == every_character(document, limit)


def test_the_scan_finds_the_line() -> None:
    deep = "x = 1\n" * 3 + "a = " + "[" * (NESTING_MAX + 1) + "]" * (NESTING_MAX + 1)
    assert too_deep_at(deep) == every_character(deep) == 4
    assert too_deep_at('s = "' + "[" * 99 + '"') is None


def cut_by_every_cell(text: str, room: int) -> int:
    """The log pane's cut as it was: a loop over every character, asking each one's width."""
    from rich.cells import cell_len

    cells = 0
    for index, char in enumerate(text):
        cells += cell_len(char)
        if cells > room:
            break
    space = text.rfind(" ", 0, index + 1)
    return space + 1 if space >= room // 2 else max(index, 1)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab /:.-_\t\x1bé漢")), min_size=1, max_size=120), st.integers(1, 60))
@example("a" * 50, 10)
@example("een regel met woorden en een heel-lang-pad/naar/iets", 20)
def test_the_log_pane_cuts_where_the_loop_over_every_cell_cut(text: str, room: int) -> None:
    from tui.widgets.log_pane import _cut

    assert _cut(text, room) == cut_by_every_cell(text, room)


def wrap_by_every_cell(line: str, width: int) -> list[str]:
    """The log pane's wrap as it was (with the cut as it was)."""
    from rich.cells import cell_len

    from tui.widgets.log_pane import CONTINUED

    rows: list[str] = []
    rest = line.expandtabs()
    while True:
        room = width - (len(CONTINUED) if rows else 0)
        lead = CONTINUED if rows else ""
        if cell_len(rest) <= room:
            return [*rows, lead + rest]
        cut = cut_by_every_cell(rest, room)
        rows.append(lead + rest[:cut].rstrip(" "))
        rest = rest[cut:].lstrip(" ")
        if not rest:
            return rows


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab /:.-_\t\x1bé漢")), max_size=200), st.integers(12, 60))
@example("een regel met woorden en een heel-lang-pad/naar/iets " * 4, 20)
def test_the_log_pane_wraps_as_the_loop_over_every_cell_wrapped(line: str, width: int) -> None:
    from tui.widgets.log_pane import wrap_line

    assert wrap_line(line, width) == wrap_by_every_cell(line, width)
