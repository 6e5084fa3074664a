"""Render the SVG screenshots in screenshots/ headlessly (no terminal needed).

    python scripts/screenshots.py [OUTPUT_DIR]

Uses a throw-away KOPPEL_HOME with a half-done server, a fixed clock and a fixed user, so the
pictures only change when the UI does.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Shot = tuple[str, tuple[int, int], dict, Callable[..., Awaitable[None]] | None]


async def _form_errors(app, pilot) -> None:
    from textual.widgets import Input

    await pilot.press("enter", *"9.7", "enter")
    for field in app.screen.query(Input):  # the caret blinks: one picture, not two
        field.cursor_blink = False


async def _refused(app, pilot) -> None:
    app.main_screen.goto("vooraf.gateway_download")  # a manual step: no check of its own
    await pilot.pause()
    await pilot.press("r")  # why it does nothing, on the status line: the step stays in view


async def _check_log(app, pilot) -> None:
    from textual.widgets import Log

    app.screen.query_one("#log", Log).focus()  # tab would get there too; this is a picture
    await pilot.pause()


async def _help(app, pilot) -> None:
    await pilot.press("f1")


async def _choice_list(app, pilot) -> None:
    await pilot.press("enter", "tab", "space")  # the edition's list, open inside the pane


async def _saved(app, pilot) -> None:
    await pilot.press("enter", *"9.8", "tab", "space", "down", "enter", "tab", "space", "down", "enter", "enter")


async def _focused(app, pilot) -> None:
    await pilot.press("enter", "tab")


SHOTS: list[Shot] = [
    ("main", (80, 24), {}, None),
    ("form-errors", (80, 24), {"fresh": True}, _form_errors),
    ("check-log", (100, 30), {}, _check_log),
    ("help", (80, 24), {}, _help),
    ("ascii", (80, 24), {"ascii_mode": True}, None),
    ("narrow-60x20", (60, 20), {}, None),
    ("english-120x40", (120, 40), {"lang": "en"}, None),
    ("choice-list-60x20", (60, 20), {"fresh": True}, _choice_list),
    ("saved-status-line", (80, 24), {"fresh": True}, _saved),
    ("refused-status-line-en", (80, 24), {"lang": "en"}, _refused),
    ("focused-field-256", (80, 24), {"fresh": True, "colors": "256"}, _focused),
]


async def render(out: Path) -> list[Path]:
    from tests.ui_helpers import make_app, seed_progress

    written = []
    for name, size, options, before in SHOTS:
        os.environ["KOPPEL_HOME"] = tempfile.mkdtemp(prefix="koppel-shot-")
        fresh = options.pop("fresh", False)
        colors = options.pop("colors", "truecolor")
        app = make_app(**options)
        if not fresh:
            seed_progress(app)
        async with app.run_test(size=size) as pilot:
            for _ in range(3):
                await pilot.pause()
            if before is not None:
                await before(app, pilot)
                for _ in range(3):
                    await pilot.pause()
            app.clear_notifications()  # toasts would hide half the picture
            await pilot.pause()
            path = out / f"{name}.svg"
            if colors == "truecolor":
                app.save_screenshot(path.name, str(out))
            else:  # as a 256-colour terminal shows it (the focus test's rendering)
                from tests.test_ui_focus import picture, terminal_bytes

                path.write_text(picture(terminal_bytes(app, colors), size[0], f"koppel ({colors})"), encoding="utf-8")
            written.append(path)
    return written


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(render(out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
