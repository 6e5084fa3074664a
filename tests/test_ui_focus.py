"""The focused field is unmistakable (issue 8 §2): a bar beside it and its label in reverse video, in
truecolor, in 256 colours and in ASCII mode.

snap_compare renders in truecolor only. The 256-colour picture here is what a 256-colour terminal
gets: the screen written as a 256-colour console writes it (every colour downgraded to the xterm
palette, as Textual's driver does on such a terminal), read back from those bytes and drawn as SVG.
"""

from __future__ import annotations

from io import StringIO

import pytest
from pytest_textual_snapshot import SVGImageExtension
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tests.ui_helpers import make_app, settle, wait_until

SIZE = (80, 24)
COLOR_SYSTEMS = {"256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}
FOCUSED, OTHER = "AccountView-editie (verplicht)", "AccountView-versie (verplicht)"


ATTRIBUTES = ("bold", "dim", "italic", "underline", "blink", "blink2", "reverse", "conceal", "strike",
              "underline2", "frame", "encircle", "overline")


def unrendered(style: Style) -> Style:
    """The same colours and attributes in a Style never rendered: Rich keeps a style's first escape
    codes on the style, whatever colour system asks next, so the 256-colour picture (taken first in
    the same process, in the order xdist chose) came back as the truecolor one: the truecolor
    picture flipped between runs."""
    return Style(color=style.color, bgcolor=style.bgcolor, **{name: getattr(style, name) for name in ATTRIBUTES})


def terminal_bytes(app, color_system: str) -> str:
    """The screen as a console with ``color_system`` writes it to the terminal, line by line."""
    system = COLOR_SYSTEMS[color_system]
    return "".join("".join(unrendered(segment.style).render(segment.text, color_system=system) if segment.style
                           else segment.text for segment in strip) + "\n"
                   for strip in app.screen._compositor.render_strips())


def picture(ansi: str, width: int, title: str) -> str:
    console = Console(width=width, file=StringIO(), force_terminal=True, color_system="truecolor", record=True,
                      legacy_windows=False, safe_box=False)
    for line in ansi.splitlines():
        console.print(Text.from_ansi(line), end="\n", crop=True, no_wrap=True)
    return console.export_svg(title=title)


def label_line(ansi: str, label: str) -> Text:
    return next(Text.from_ansi(line) for line in ansi.splitlines() if label in Text.from_ansi(line).plain)


def style_at(line: Text, column: int):
    return line.get_style_at_offset(Console(), column)


async def focused_editie(*color_systems: str, ascii_mode: bool = False) -> dict[str, str]:
    """The form of the first step with its edition's choice list focused, as each console writes it."""
    app = make_app(ascii_mode=ascii_mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "tab")  # into the form, on to the edition's choice list
        # Enter holds the tab until the form is drawn (under load, after Pilot's pauses): the picture is
        # taken once every key went through and the styles it changed are applied
        await wait_until(pilot, lambda: app.keys.idle, timeout=20)
        await settle(pilot)
        assert app.focused.id == "field-editie"
        return {system: terminal_bytes(app, system) for system in color_systems}


@pytest.mark.parametrize("ascii_mode", [False, True], ids=["unicode", "ascii"])
async def test_the_focused_field_has_a_bar_and_a_reversed_label_in_256_colours(ascii_mode: bool) -> None:
    ansi = (await focused_editie("256", ascii_mode=ascii_mode))["256"]
    assert "\x1b[38;2;" not in ansi and "\x1b[48;2;" not in ansi  # really 256 colours, no truecolor left
    focused, other = label_line(ansi, FOCUSED), label_line(ansi, OTHER)
    at, other_at = focused.plain.index(FOCUSED), other.plain.index(OTHER)
    bar = "|" if ascii_mode else "▌"
    assert focused.plain[at - 1] == bar and other.plain[other_at - 1] == " "  # the bar, not a shade
    assert style_at(focused, at).reverse and style_at(focused, at).bold
    assert not style_at(other, other_at).reverse


@pytest.mark.parametrize("color_system", ["256", "truecolor"])
async def test_the_focused_field_picture(snapshot, color_system: str) -> None:
    ansi = (await focused_editie(color_system))[color_system]
    svg = picture(ansi, SIZE[0], f"koppel ({color_system})")
    assert snapshot.use_extension(SVGImageExtension) == svg


async def test_a_screen_written_at_256_colours_then_truecolor_keeps_each_its_own_colours() -> None:
    """The fault behind the flipping truecolor picture: the same styles written at 256 colours, then
    at truecolor, then at 256 colours again, each time as that colour system writes them."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        writes = [terminal_bytes(app, system) for system in ("256", "truecolor", "256", "truecolor")]
    assert "\x1b[38;2;" not in writes[0] and "\x1b[38;2;" in writes[1]
    assert writes[0] == writes[2] and writes[1] == writes[3]
