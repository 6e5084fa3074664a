"""Shared by the UI tests: a real session on the test's KOPPEL_HOME, keyboard helpers."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select

from tui.app import KoppelApp
from tui.state.session import open_session

FIXED_NOW = datetime(2025, 3, 14, 12, 0, tzinfo=timezone.utc)
BOOL_NL = {True: "ja", False: "nee"}


def make_app(*, server: str = "srv01", lang: str = "nl", ascii_mode: bool = False, first_visit: bool = False,
             **kwargs: Any) -> KoppelApp:
    """The app as the CLI builds it, with a fixed clock so "3 uur geleden" stays put. A first visit
    opens on the introduction; unless asked for, tests start on the first open step instead."""
    session = open_session(server=server, lang=lang)
    session.who = "admin@srv01"  # "done by" stays the same on every machine
    if not first_visit and session.state.cursor is None:
        session.state.cursor = session.next_open(None)
    return KoppelApp(session=session, ascii_mode=ascii_mode, lang=lang, clock=lambda: FIXED_NOW, **kwargs)


def freeze_state(app: KoppelApp, hours_ago: int = 3, by: str = "admin@srv01") -> None:
    """Fixed timestamps in the state, for deterministic welcome-back texts."""
    app.session.state.updated_at = FIXED_NOW - timedelta(hours=hours_ago)
    app.session.state.updated_by = by


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def wait_until(pilot: Pilot, condition: Any, timeout: float = 5.0) -> float:
    """Poll without Pilot's wait-for-idle (never idle while a check floods its log); returns the
    seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.005)
    return time.monotonic() - started


async def go(pilot: Pilot, app: KoppelApp, key: str) -> None:
    """Open a step as the palette's "go to step" does, and let the screen catch up."""
    app.main_screen.goto(key)
    await settle(pilot)


def current_key(app: KoppelApp) -> str | None:
    main = app.main_screen
    assert main is not None
    return main.key


def messages(app: KoppelApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def said(app: KoppelApp) -> str:
    """What the status line (the header) says now: koppel's last word, until the next key."""
    main = app.main_screen
    assert main is not None
    return main.said


def screen_lines(app: KoppelApp) -> list[str]:
    """The characters on the terminal, line by line, as the admin sees them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def band(app: KoppelApp) -> str:
    """The band under the header as the admin sees it (the lines between the header and the body),
    with no toast anywhere: what takes more than the status line pushes the step down, covering none of it."""
    from textual.widgets._toast import Toast

    from tui.widgets.header import NoticeBand

    assert not app.screen.query(Toast) and not app._notifications
    region = app.screen.query_one(NoticeBand).region
    return "\n".join(screen_lines(app)[1:1 + region.height]) if region.height else ""


def footer_keys(app: KoppelApp) -> dict[str, tuple[str, bool]]:
    """What the footer shows: key as displayed -> (description, greyed out)."""
    from textual.widgets._footer import FooterKey

    return {key.key_display: (key.description, key.has_class("-disabled")) for key in app.screen.query(FooterKey)}


def burst(app: KoppelApp, *keys: str) -> None:
    """Keys as a fast typist over SSH sends them: all queued at once, nothing processed in between
    (Pilot's press waits for each key to be handled)."""
    for key in keys:
        char = " " if key == "space" else key if len(key) == 1 else {"enter": "\r", "escape": "\x1b"}.get(key)
        app.post_message(events.Key(key, char))


async def choose(pilot: Pilot, select: Select, option: str) -> None:
    """Pick an option of a focused Select by keyboard: open (space), walk down to it, enter."""
    await pilot.press("space")
    await pilot.pause()
    from textual.widgets._select import SelectOverlay

    overlay = select.query_one(SelectOverlay)
    for _ in range(overlay.option_count + 1):
        highlighted = overlay.highlighted
        if highlighted is not None and str(overlay.get_option_at_index(highlighted).prompt) == option:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def fill_focused_form(pilot: Pilot, values: dict[str, Any], *, paste: bool = False) -> None:
    """Type (or paste, as a terminal delivers a paste) / choose ``values`` field by field, moving
    with tab, starting at the focused field: the one Enter gave the keys to, once it has (the key gate
    holds the keys till the form is there; on a loaded machine that is after Pilot's pauses)."""
    app = pilot.app
    await wait_until(pilot, lambda: app.keys.idle, timeout=20)
    await pilot.pause()
    seen: set[str] = set()
    while True:
        widget = app.focused
        field_id = (widget.id or "").removeprefix("field-") if widget is not None else ""
        if widget is None or not (widget.id or "").startswith("field-") or field_id in seen:
            return
        seen.add(field_id)
        if field_id in values:
            value = values[field_id]
            if isinstance(widget, Select):
                await choose(pilot, widget, BOOL_NL.get(value, value) if isinstance(value, bool) else value)
            else:
                assert isinstance(widget, Input)
                await pilot.press("ctrl+a", "ctrl+k")
                if paste:
                    widget.post_message(events.Paste(str(value)))
                else:
                    await pilot.press(*str(value))
        await pilot.press("tab")
        await pilot.pause()


def seed_progress(app: KoppelApp) -> None:
    """A server half-way: some steps done, a failed check with its log, frozen timestamps."""
    session = app.session
    session.submit("vereisten.editie", {"versie": "9.8a", "editie": "Business", "module_autoreport": "ja"})
    session.confirm("vooraf.gateway_download", note="van de Extra's-pagina")
    from tui.checks.base import CheckResult

    session.mark_running("vooraf.visma_bereikbaar")
    session.record_result(
        "vooraf.visma_bereikbaar",
        CheckResult(status="fail", message="connect.visma.com: verbinding geweigerd",
                    hint="Kijk op https://status.visma.com/ en vraag naar firewall en proxy."),
        ["proxy: geen (directe verbinding)",
         "DNS connect.visma.com -> 20.50.2.14",
         "TCP 20.50.2.14:443 verbinden ...",
         "TCP 20.50.2.14:443: verbinding geweigerd (na 0,2 s)",
         "GET https://connect.visma.com/.well-known/openid-configuration: mislukt (geen verbinding met "
         "20.50.2.14:443; controleer firewall en proxy)",
         "conclusie: deze server bereikt Visma Connect niet"])
    session.save_draft("vooraf.licentie", {"pad": "C:\\Users\\beheer\\Downloads\\licentie.pdf"})
    session.set_cursor("vooraf.visma_bereikbaar")
    for entry in session.state.steps.values():
        entry.updated_at = FIXED_NOW
        if entry.result is not None:
            entry.result.at = FIXED_NOW
    freeze_state(app)
