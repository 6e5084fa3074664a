"""A seeded random keyboard walker: the real app under Pilot, random keys, the promises checked.

A walk presses random sequences drawn from every binding the live app has (read from the screen
stack and the focused widgets at each step, so a new key is walked without touching this file), plus
text, Tab, shift+Tab, Enter, Escape, pastes, type-ahead bursts, resizes (tiny ones too), the palette
and the help. A sentinel password goes into every secret field and, as userinfo, into the proxy
address. Quitting is allowed: the walk then starts koppel again on the same home (a resume).

A step is a burst: up to 16 moves (a few keys to a few dozen) sent in one go, as a terminal
delivers type-ahead over a slow link, then one wait until koppel's type-ahead gate is idle and
every queued message handled (no fixed pauses; the palette's search is waited for by its
workers). Text that fits a field (the sentinel above all) is typed only where the focus is known:
as a burst's first move, or in a form filled field by field.

Each key is judged when koppel routes it (the gate hands it to what has the focus then): typed
into a text field it is text, anything else a command. After every step: no exception, no failed
worker, no crash screen, the app still shows one of its own screens (or left through its quit,
asked by a quit key or the palette), the sentinel in no notification or status line, nor in the
clipboard (unless copied from a plain field that shows it as the admin typed it there), and every
status that changed was changed by a road (confirm, reopen, skip, submit, a check's start or end)
that one of the last ``TRIGGER_KEYS`` command keys can take. Every ``SCAN_EVERY`` keys and at each
app's end: the sentinel on no screen and in no file under KOPPEL_HOME (the state, its .bak, the log).

Textual's private parts used (the Key event as Pilot builds it, waiting for the screen without
Pilot's idle wait, the rendered lines, the bindings of a node, the gate's routing): only here, in
``_key_event``, ``Walk._quiet``, ``_screen_text``, ``Walk._live_keys`` and ``Walk._watch_keys``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, quote_plus

from textual import events
from textual.command import CommandPalette
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.message import Message
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Input, Tree
from textual.worker import Worker, WorkerState

from tui.app import KoppelApp
from tui.checks.engine import LogFile
from tui.keys import KEYS
from tui.state.session import Session, open_session

SERVER = "walk01"
# every key of koppel's keys table, walked wherever the walk is (a key that does not apply says why)
TABLE_KEYS = frozenset(name.strip() for row in KEYS for name in row.keys.split(",") if name.strip())
SCAN_EVERY = 400  # keys between scans of the screen and the files (and at every app's end)
STALL_AFTER = 30  # s without koppel handling what was queued to it: a stall, not load
TRIGGER_KEYS = 6  # a road may follow the key that asked for it this many command keys later
# moves sent in one go, as a terminal delivers type-ahead (a slow link, a fast typist): the number
# per step and its weight. The walk waits for koppel, and checks, once per step.
MOVES_PER_STEP = ((1, 25), (2, 15), (4, 20), (8, 22), (16, 18))
ALONE = frozenset({"form", "resize"})  # moves that wait for koppel themselves: a step of their own
# the roads that change a status, and the keys that may take them (Enter and space press buttons
# and palette entries; y/j answer a question; r runs)
ACCEPT = frozenset({"enter", "space", "y", "j"})
ROAD_KEYS: dict[str, frozenset[str]] = {
    "confirm": ACCEPT,
    "reopen": ACCEPT,
    "skip": frozenset({"enter", "space"}),
    "submit": frozenset({"enter", "space", "r"}),
    "mark_running": frozenset({"enter", "space", "r"}),
}
ENDS_OF_RUN = ("record_result", "record_cancel")  # a running check ends: no key needed
QUIT_KEYS = frozenset({"q", "ctrl+q", "f10"})
NAV_KEYS = ("tab", "shift+tab", "enter", "escape", "up", "down", "left", "right", "space", "home", "end",
            "pageup", "pagedown", "backspace", "delete", "ctrl+a", "ctrl+k")
SIZES = ((120, 40), (100, 30), (80, 24), (79, 24), (60, 20), (59, 19), (40, 12), (20, 5), (1, 1), (200, 60))
JUNK = ("a", "rnq", "é€ß", "  ", "0", "-1", "99999", "ja", "nee", "yes", "x" * 300, "😀", "C:\\Temp\\x",
        "../../etc", "%s{0}", "<b>", "[bold]x[/]", "q", "r", "s")


@dataclass(frozen=True)
class Sentinel:
    seed: int
    user: str = "walker"

    @property
    def password(self) -> str:
        return f"S3ntinel-pw-{self.seed}"

    def spellings(self) -> list[str]:
        """Every way the password may be written down: as typed, URL-encoded, in a Basic header."""
        pw = self.password
        forms = {pw, quote(pw, safe=""), quote_plus(pw), json.dumps(pw)[1:-1],
                 base64.b64encode(f"{self.user}:{pw}".encode()).decode(), base64.b64encode(pw.encode()).decode()}
        return sorted(forms)

    def proxy_url(self, port: int, encoded: bool = False) -> str:
        pw = quote(self.password, safe="") if encoded else self.password
        return f"http://{self.user}:{pw}@127.0.0.1:{port}"


@dataclass
class Net:
    """Loopback endpoints the walk types into address fields."""

    proxy_port: int  # a proxy that wants credentials (407) for every CONNECT
    refused_port: int  # nothing listens


class WalkFailed(AssertionError):
    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class Stats:
    keys: int = 0
    routed: int = 0  # keys and pastes koppel's type-ahead gate routed
    steps: int = 0
    apps: int = 0
    sentinel_typed: int = 0  # times the sentinel was typed or pasted anywhere
    secret_filled: int = 0  # ... of which into a focused secret field
    checks_started: int = 0
    scans: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


def _key_event(key: str) -> events.Key:
    """The Key event Pilot's press() sends (textual.app.App._press_keys), without its idle wait."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send_keys(app: KoppelApp, keys: list[str]) -> None:
    """Keys as a terminal delivers them: queued at once, none waiting for the last to be handled."""
    assert app._driver is not None
    for key in keys:
        event = _key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)


def _screen_text(app: KoppelApp, secret_ids: frozenset[str] = frozenset()) -> str:
    """What the terminal shows, except inside a plain (not secret) text field: what the admin types
    there is shown as typed (a password typed into an address shows until the rule refuses it).

    Laid out afresh first, then the fields blanked by the very map the lines are drawn from: blanking
    by each field's own region read a map computed anew while the lines came from the last drawn
    one, so a field just moved or removed (a quit, a step left) showed its text through (lead, seed
    4). The screens under a modal one show through it, their plain fields too (long-run seed 320:
    the proxy address typed with its password, under the palette). A field whose id is a secret's
    (``secret_ids``) is never blanked, masked or not."""
    screen = app.screen
    try:
        screen._refresh_layout()
    except Exception:  # a screen going away (a quit in flight): its last lines are what shows
        pass
    lines = list(screen._compositor.render_strips())
    # a modal screen (the palette, a dialog) shows the screens under it through: their fields too
    fields = [(widget, region, clip) for below in app.screen_stack for widget, (region, clip)
              in below._compositor.visible_widgets.items()]
    for widget, region, clip in fields:
        if not isinstance(widget, Input) or widget.password or widget.id in secret_ids:
            continue
        shown = region.intersection(clip)
        for y in range(max(0, shown.y), min(shown.bottom, len(lines))):
            strip = lines[y]
            lines[y] = Strip.join([strip.crop(0, shown.x), Strip.blank(shown.width),
                                   strip.crop(shown.right, strip.cell_length)])
    return "\n".join(strip.text for strip in lines)


def make_app(home: Path, rng: random.Random) -> KoppelApp:
    """koppel as the CLI builds it (with its log file) on the walk's home."""
    session = open_session(home, SERVER, lang=rng.choice(("nl", "en")))
    return KoppelApp(session=session, ascii_mode=rng.random() < 0.2, lang=session.lang,
                     log_file=LogFile(session.log_path) if session.log_path else None)


class Walk:
    KINDS: tuple[tuple[str, int], ...] = (
        ("binding", 26), ("nav", 20), ("text", 16), ("paste", 5), ("form", 9), ("burst", 5), ("palette", 4),
        ("help", 3), ("resize", 3), ("ctrl_c", 1), ("quit", 1))

    def __init__(self, seed: int, home: Path, net: Net, keys: int,
                 kinds: tuple[tuple[str, int], ...] | None = None) -> None:
        self.seed = seed
        self.kinds = kinds or self.KINDS
        self.home = home
        self.net = net
        self.budget = keys
        self.rng = random.Random(seed)
        self.sentinel = Sentinel(seed)
        self.stats = Stats()
        self.trace: deque[str] = deque(maxlen=60)
        self.pressed: deque[str] = deque(maxlen=TRIGGER_KEYS)  # the last command keys koppel routed
        self.problems: list[str] = []
        self.seen_keys: set[str] = set()
        self.app: KoppelApp | None = None
        self.running: set[str] = set()  # steps whose check this app started (or found running)
        self.before_run: dict[str, str] = {}  # a running step's status before its run, as recorded
        self.statuses: dict[str, str] = {}
        self.roads: list[tuple[str, str]] = []  # (road, step key) taken since the last step's check
        self.quit_sent = False  # koppel's quit was asked for (a quit key, the palette's Quit)
        self.quit_queued = False  # a quit key was sent in this step: the step ends there
        self.focus_known = True  # nothing sent since koppel settled: app.focused is where keys go
        self.next_scan = SCAN_EVERY
        self.scanned: dict[Path, tuple[int, int, int]] = {}  # a file's inode, size and time when last read
        self.secret_ids: frozenset[str] = frozenset()  # the ids of the secret fields' inputs
        self.plain_values: deque[str] = deque(maxlen=200)  # what plain fields held with the sentinel in it

    # -- the walk -------------------------------------------------------------------------
    async def run(self) -> Stats:
        while self.stats.keys < self.budget and not self.problems:
            await self._one_app()
        if self.problems:
            self._fail()
        self._scan_files("the end of the walk")
        if self.problems:
            self._fail()
        return self.stats

    async def _one_app(self) -> None:
        app = self.app = make_app(self.home, self.rng)
        self.stats.apps += 1
        self.quit_sent = False
        self.sent = self.stats.routed  # keys and pastes sent to this app (counted as the gate's are)
        self.pressed.clear()
        self.secret_ids = frozenset(f"field-{field_id}" for ref in app.session.refs()
                                    for field_id in ref.step.secret_field_ids)
        self._watch_roads(app.session)
        # against what the last app left: nothing lost, only a check still running marked interrupted
        self.running = {k for k, s in self.statuses.items() if s == "running"}
        self._check_statuses("starting koppel again")
        size = self.rng.choice(SIZES[:5])
        self.trace.append(f"-- koppel started ({self.stats.apps}), {size[0]}x{size[1]}, {app.lang}"
                          f"{', ascii' if app.ascii_mode else ''}")
        try:
            async with app.run_test(size=size, message_hook=self._message) as pilot:
                self._watch_keys(app)
                self._watch_quit(app)
                await self._settle(pilot)
                while self.stats.keys < self.budget and not self.problems:
                    await self._step(pilot)
                    if not app.is_running:
                        break
                if not self.problems and app.is_running:  # a screen in the middle of quitting is no view
                    self._scan_screen(app, "the app's last screen")
        except Exception as error:  # the app's own exception, raised again by run_test
            workers = ", ".join(f"{w.description or w.name} ({w.state.name})" for w in app.workers)
            self.problems.append(f"exception: {type(error).__name__}: {error}"
                                 + (f" (workers: {workers})" if workers else ""))
        if app._exit_renderables:
            self.problems.append("Textual's crash screen was shown")
        self._scan_files("koppel's exit")

    async def _step(self, pilot: Pilot) -> None:
        """A burst of moves sent in one go (a move that waits for koppel itself goes alone), then
        one wait until koppel handled them all, then the checks."""
        app = self.app
        assert app is not None
        self.stats.steps += 1
        self.quit_queued = False
        moves = self.rng.choices(*zip(*MOVES_PER_STEP))[0]
        for move in range(moves):
            kind = self._choose_kind()
            if kind in ALONE and move:
                break
            self.stats.kinds[kind] = self.stats.kinds.get(kind, 0) + 1
            await getattr(self, f"_do_{kind}")(pilot)
            if kind in ALONE or self.quit_queued or not app.is_running:
                break
        await self._settle(pilot)
        self._check_step(app)
        if self.stats.keys >= self.next_scan and app.is_running and not self.problems:
            self.next_scan = self.stats.keys + SCAN_EVERY
            self._scan_screen(app, f"key {self.stats.keys}")
            self._scan_files(f"key {self.stats.keys}")

    def _choose_kind(self) -> str:
        names, weights = zip(*self.kinds)
        return self.rng.choices(names, weights)[0]

    # -- sending --------------------------------------------------------------------------
    def _send(self, keys: list[str], *, typed: bool = False) -> None:
        """Queue keys as a terminal delivers them (no wait between). Whether a key is text or a
        command is told when koppel routes it (``_routed``), by where the focus is then."""
        app = self.app
        assert app is not None and app._driver is not None
        focused = app.focused if self.focus_known else None
        if self.focus_known and any(_key_event(key).key in QUIT_KEYS for key in keys):
            self._scan_screen(app, "the screen quit from")  # what the admin saw last
        send_keys(app, keys)
        self.sent += len(keys)
        self.focus_known = False
        self.quit_queued |= any(_key_event(key).key in QUIT_KEYS for key in keys)
        self.stats.keys += len(keys)
        where = f" (focus {type(focused).__name__}#{focused.id} on {type(app.screen).__name__})" if focused else ""
        self.trace.append(("type " if typed else "keys ") + " ".join(keys) + where)

    def _focus(self) -> Any:
        """Where the next keys go, when that is known (nothing sent since koppel settled); inside a
        burst it is not, and nothing that fits a field (the sentinel above all) is typed blind."""
        return self.app.focused if self.app is not None and self.focus_known else None

    def _watch_keys(self, app: KoppelApp) -> None:
        """Each key as the type-ahead gate routes it, one at a time, to what has the focus then."""
        gate = app.keys
        route = gate._route

        async def routed(event: events.Event) -> None:
            self._routed(app, event)
            await route(event)

        gate._route = routed

    def _routed(self, app: KoppelApp, event: events.Event) -> None:
        """A key typed into a text field is text: it takes no road and q does not quit. Any other
        key is a command, whatever it was meant for."""
        self.stats.routed += 1
        if not isinstance(event, events.Key):
            return
        if isinstance(app.focused, Input) and event.is_printable:
            return
        self.pressed.append(event.key)

    def _watch_quit(self, app: KoppelApp) -> None:
        """koppel's quit: by a quit key, or Enter on the palette's "Quit" (any other key asks none)."""
        quit_ = app.action_quit

        async def asked() -> None:
            pressed = set(self.pressed)
            if not pressed & (QUIT_KEYS | {"enter"}):
                self.problems.append(f"koppel quit while the last keys were {sorted(pressed)}: none asks for it")
            self.quit_sent = True
            await quit_()

        app.action_quit = asked  # type: ignore[method-assign]

    async def _settle(self, pilot: Pilot) -> None:
        """Every key sent so far handled: routed by koppel's type-ahead gate (which routes one key at a
        time) and none held there (looked at every 2 ms, which costs nothing, where a wait for every
        widget's queue per look cost more than the keys), then every message queued handled (twice:
        a key's handling queues more). A gate that routes no key for STALL_AFTER seconds has stalled."""
        app = self.app
        assert app is not None
        gate = getattr(app, "keys", None)
        last, since = self.stats.routed, time.monotonic()
        while gate is not None and (self.stats.routed < self.sent or not gate.idle) and app.is_running:
            await asyncio.sleep(0.002)
            if self.stats.routed != last:
                last, since = self.stats.routed, time.monotonic()
            elif time.monotonic() - since > STALL_AFTER:
                self.problems.append(f"koppel's type-ahead gate held keys for {STALL_AFTER} s without routing one")
                break
        await self._quiet(pilot)
        await self._quiet(pilot)  # what the last key's handling queued
        self.focus_known = True

    async def _quiet(self, pilot: Pilot) -> None:
        """Every message queued so far handled (Pilot's wait), asked again every half second: a wait
        queued to an app that quit meanwhile (a quit key in flight) is never answered, and is no
        stall (it was the walker's 30 s WaitForScreenTimeout after 'r n q'). No answer while the app
        runs for STALL_AFTER seconds is koppel's stall."""
        for _ in range(STALL_AFTER * 2):
            try:
                await pilot._wait_for_screen(timeout=0.5)
                return
            except WaitForScreenTimeout:
                if self.app is None or not self.app.is_running:
                    return
        self.problems.append(f"koppel left its queued messages unhandled for {STALL_AFTER} s (a stall)")

    async def _searched(self, pilot: Pilot) -> None:
        """The palette's search done and its hits shown (a worker per keystroke): no fixed pause."""
        app = self.app
        assert app is not None
        palette = app.screen
        for worker in [w for w in app.workers if w.node is palette and isinstance(palette, CommandPalette)]:
            try:
                await worker.wait()
            except Exception:  # cancelled by the next keystroke's search
                pass
        await self._settle(pilot)

    async def _press(self, pilot: Pilot, keys: list[str], *, typed: bool = False) -> None:
        self._send(keys, typed=typed)
        await self._settle(pilot)

    def _live_keys(self) -> list[str]:
        """Every key bound now: the app's, the screens', the focused widget's and its parents'."""
        app = self.app
        assert app is not None
        keys: set[str] = set()
        nodes: list[Any] = [app, *app.screen_stack]
        if app.focused is not None:
            nodes += [app.focused, *app.focused.ancestors_with_self]
        for node in nodes:
            for key in node._bindings.key_to_bindings:
                keys.add(key)
        self.seen_keys |= keys
        return sorted(keys | self.seen_keys | TABLE_KEYS)

    # -- what a step does -----------------------------------------------------------------
    async def _do_binding(self, pilot: Pilot) -> None:
        keys = [k for k in self._live_keys() if k not in QUIT_KEYS and k != "ctrl+c"]
        self._send(self.rng.choices(keys, k=self._burst_len()))

    async def _do_nav(self, pilot: Pilot) -> None:
        self._send(self.rng.choices(NAV_KEYS, k=self._burst_len()))

    async def _do_text(self, pilot: Pilot) -> None:
        self._send(list(self._text_for(self._focus())), typed=True)

    async def _do_paste(self, pilot: Pilot) -> None:
        app = self.app
        assert app is not None
        text = self._text_for(self._focus())
        if self.rng.random() < 0.2:
            text = "\n".join([text, *self.rng.choices(JUNK, k=2)])
        assert app._driver is not None
        app._driver.send_message(events.Paste(text))  # as a terminal delivers it
        self.sent += 1
        self.focus_known = False
        self.trace.append(f"paste {text!r}")

    async def _do_form(self, pilot: Pilot) -> None:
        """Into a step with fields through the palette's "go to step", then onto its first field."""
        app = self.app
        assert app is not None
        session = app.session
        with_fields = [r for r in session.refs() if r.step.fields]
        secret = [r for r in with_fields if r.step.secret_field_ids]
        ref = self.rng.choice(secret if secret and self.rng.random() < 0.6 else with_fields)
        words = ref.title(app.lang).split()
        await self._press(pilot, ["ctrl+p"])
        self._send(list(" ".join(words[:4])), typed=True)
        await self._settle(pilot)
        await self._searched(pilot)
        await self._press(pilot, ["enter"])
        for _ in range(50):  # it closes over a few message hops: wait for that, not a time
            if not isinstance(app.screen, CommandPalette):
                break
            await pilot.pause(0.01)
        if isinstance(app.focused, Tree):
            await self._press(pilot, ["enter"])  # open the step: its first field has the focus
        await self._fill(pilot)

    async def _fill(self, pilot: Pilot) -> None:
        """Fill the fields from the focused one on, Tab between them (secrets get the sentinel)."""
        app = self.app
        assert app is not None
        for _ in range(6):
            if not isinstance(app.focused, Input):
                return
            await self._press(pilot, ["ctrl+a", "ctrl+k"], typed=True)
            await self._press(pilot, list(self._text_for(app.focused)), typed=True)
            await self._press(pilot, ["tab"])
            if not app.is_running:
                return

    async def _do_burst(self, pilot: Pilot) -> None:
        """Type-ahead over a slow link: text, Tab, text, Enter in one go. From the proxy's user
        field that is user, Tab, password, Enter (the sentinel goes only where a secret belongs:
        typed into a plain field, a "password" is just what the admin wrote there)."""
        app = self.app
        assert app is not None
        focused = self._focus()
        to_secret = getattr(focused, "id", None) == "field-proxy_gebruiker"
        self._send(list(self._text_for(focused)), typed=True)
        self._send(["tab"])
        if to_secret:
            self.stats.sentinel_typed += 1
        self._send(list(self.sentinel.password if to_secret else self.rng.choice(JUNK)), typed=True)
        self._send([self.rng.choice(("enter", "tab", "r", "escape"))])

    async def _do_palette(self, pilot: Pilot) -> None:
        await self._press(pilot, ["ctrl+p"])
        if self.rng.random() < 0.5:
            self._send(list(self.rng.choice(("run", "alle", "taal", "ascii", "help", "ga", "skip", "x"))),
                       typed=True)
            if self.rng.random() < 0.5:  # else the keys below race the search (as a fast typist's do)
                await self._settle(pilot)
                await self._searched(pilot)
        self._send(self.rng.choices(("down", "up", "enter", "escape", "tab"), k=self._burst_len()))

    async def _do_help(self, pilot: Pilot) -> None:
        await self._press(pilot, ["f1"])
        self._send(self.rng.choices(("down", "up", "pagedown", "end", "home", "tab", "space"),
                                    k=self._burst_len()))
        self._send([self.rng.choice(("f1", "escape", "q"))])

    async def _do_resize(self, pilot: Pilot) -> None:
        width, height = self.rng.choice(SIZES)
        self.trace.append(f"resize {width}x{height}")
        await pilot.resize_terminal(width, height)

    async def _do_ctrl_c(self, pilot: Pilot) -> None:
        self._send(["ctrl+c"])

    async def _do_quit(self, pilot: Pilot) -> None:
        self._send([self.rng.choice(sorted(QUIT_KEYS))])

    def _burst_len(self) -> int:
        return self.rng.choices((1, 2, 3, 5, 8), (50, 20, 12, 10, 8))[0]

    def _text_for(self, widget: Any) -> str:
        """A value that fits the focused field (loopback addresses only), or junk."""
        rng, sentinel, net = self.rng, self.sentinel, self.net
        if isinstance(widget, Input) and widget.password:
            self.stats.secret_filled += 1
            self.stats.sentinel_typed += 1
            return sentinel.password if rng.random() < 0.9 else sentinel.password[: rng.randint(1, 8)]
        field_id = (getattr(widget, "id", None) or "").removeprefix("field-")
        choices: dict[str, Callable[[], str]] = {
            "proxy": lambda: rng.choice((sentinel.proxy_url(net.proxy_port), sentinel.proxy_url(net.proxy_port, True),
                                         f"http://127.0.0.1:{net.proxy_port}", f"http://127.0.0.1:{net.refused_port}",
                                         "")),
            "proxy_gebruiker": lambda: sentinel.user,
            "extra_urls": lambda: rng.choice((f"https://127.0.0.1:{net.refused_port}/x",
                                              f"https://{sentinel.user}:{sentinel.password}@127.0.0.1:{net.refused_port}/",
                                              "")),
            "acs_host": lambda: rng.choice(("127.0.0.1", "localhost", "::1", "")),
            "acs_poort": lambda: rng.choice((str(net.refused_port), "0", "70000", "abc")),
            "email": lambda: rng.choice(("beheer@example.nl", "info@example.nl", "x@")),
            "versie": lambda: rng.choice(("9.8a", "10.1", "9.7", "x")),
        }
        if field_id in choices and rng.random() < 0.8:
            value = choices[field_id]()
            if sentinel.password in value:
                self.stats.sentinel_typed += 1
            return value
        if field_id in ("pad", "zip", "doel", "setup") and rng.random() < 0.8:
            return str(self.home.parent / "walk-files" / rng.choice(("licentie.pdf", "opg.zip", "uit", "setup.exe")))
        return rng.choice(JUNK) if rng.random() < 0.7 else "".join(
            rng.choices("abcdefghijklmnopqrstuvwxyz0123456789 .,-_@:/", k=rng.randint(1, 12)))

    # -- watching -------------------------------------------------------------------------
    def _message(self, message: Message) -> None:
        if isinstance(message, Input.Changed) and self.sentinel.password in message.value:
            field_ = message.input
            if not field_.password and field_.id not in self.secret_ids:
                if not self.plain_values or self.plain_values[-1] != message.value:
                    self.plain_values.append(message.value)  # shown as typed: the admin may copy it
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            error = message.worker.error
            self.problems.append(f"worker {message.worker.name or message.worker.description!r} failed: "
                                 f"{type(error).__name__}: {error}")

    def _watch_roads(self, session: Session) -> None:
        """Every session method that changes a status notes that it was taken (and for which step)."""
        for road in (*ROAD_KEYS, *ENDS_OF_RUN):
            real = getattr(session, road)

            def taken(key: str, *args: Any, _road: str = road, _real: Callable = real, **kwargs: Any) -> Any:
                self._road_taken(_road, key)
                return _real(key, *args, **kwargs)

            setattr(session, road, taken)

    def _road_taken(self, road: str, key: str) -> None:
        self.roads.append((road, key))
        if road in ENDS_OF_RUN:
            if key not in self.running:
                self.problems.append(f"{road} for {key}, whose check was never started")
            self.running.discard(key)
            return
        pressed = set(self.pressed)
        if not pressed & ROAD_KEYS[road]:
            self.problems.append(f"{road} of {key} taken while the last keys were {sorted(pressed)}: "
                                 f"no key pressed asks for it")
        if road == "mark_running":
            self.running.add(key)
            self.stats.checks_started += 1

    def _stored_statuses(self, session: Session) -> dict[str, str]:
        return {key: entry.status for key, entry in session.state.steps.items()}

    def _check_statuses(self, where: str) -> None:
        app = self.app
        assert app is not None
        now = self._stored_statuses(app.session)
        roads = {key for _, key in self.roads}
        for key in sorted(set(now) | set(self.statuses)):
            old, new = self.statuses.get(key, "todo"), now.get(key, "todo")
            if old == new:
                continue
            # a run the last app left: interrupted, or back to what the admin had closed it as before the run
            resumed = where.startswith("starting") and old == "running" and new in ("interrupted",
                                                                                     self.before_run.get(key))
            if key not in roads and not resumed:
                self.problems.append(f"status of {key} changed {old} -> {new} at {where} without any road")
        self.statuses = now
        self.before_run = {key: entry.before_run for key, entry in app.session.state.steps.items()
                           if entry.status == "running" and entry.before_run}
        self.roads.clear()

    def _check_step(self, app: KoppelApp) -> None:
        if app._exception is not None:
            self.problems.append(f"exception: {type(app._exception).__name__}: {app._exception}")
        if app.is_running:
            top = app.screen
            if type(top) is Screen:  # Textual's blank default screen: a dead end for the admin
                self.problems.append(f"koppel's screens are gone: the stack is {app.screen_stack}")
        elif not self.quit_sent:
            self.problems.append(f"koppel exited (return code {app.return_code}) without a quit key")
        self._check_statuses(f"step {self.stats.steps}")
        said = [f"{n.title} {n.message}" for n in app._notifications]
        main = app.main_screen  # the status line and the band under the header say most things now
        said += [main.said, main.notice] if main is not None else []
        self._no_sentinel("a notification", "\n".join(said))
        clipboard = app.clipboard
        if not any(clipboard in value for value in self.plain_values):  # else copied from where it shows
            self._no_sentinel("the clipboard", clipboard)

    def _scan_screen(self, app: KoppelApp, where: str) -> None:
        self.stats.scans += 1
        self._no_sentinel(f"the screen at {where}", _screen_text(app, self.secret_ids))

    def _scan_files(self, where: str) -> None:
        """Every file under KOPPEL_HOME that changed since it was last read (its size or time)."""
        for path in sorted(self.home.rglob("*")):
            if not path.is_file():
                continue
            stat = path.stat()
            seen = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if self.scanned.get(path) == seen:
                continue
            self.scanned[path] = seen
            data = path.read_bytes().decode("utf-8", "replace")
            self._no_sentinel(f"{path.relative_to(self.home)} at {where}", data)

    def _no_sentinel(self, where: str, text: str) -> None:
        for spelling in self.sentinel.spellings():
            if spelling in text:
                self.problems.append(f"the sentinel password ({spelling!r}) is in {where}")
                return

    def _fail(self) -> None:
        trace = "\n  ".join(self.trace)
        raise WalkFailed(
            f"walk seed {self.seed} failed after {self.stats.keys} keys ({self.stats.steps} steps, "
            f"{self.stats.apps} app starts):\n- " + "\n- ".join(dict.fromkeys(self.problems)) +
            f"\nreplay: KOPPEL_WALK_SEED={self.seed} KOPPEL_WALK_KEYS={self.stats.keys} "
            f"pytest tests/adversarial/test_walker.py\nlast steps:\n  {trace}", list(self.problems))
