"""A seeded random keyboard walker: the real app under Pilot, random keys, the promises checked.

A walk presses random sequences drawn from every binding the live app has (read from the screen
stack and the focused widgets at each step, so a new key is walked without touching this file), plus
text, Tab, shift+Tab, Enter, Escape, pastes, type-ahead bursts, resizes (tiny ones too), the palette
and the help. A sentinel password goes into every secret field and, as userinfo, into the proxy
address. Quitting is allowed: the walk then starts koppel again on the same home (a resume).

After every step: no exception, no failed worker, no crash screen, the app still shows one of its
own screens (or left through a quit key), the sentinel in no notification, nor in the clipboard
(unless copied from a plain field that shows it as the admin typed it there), and every
status that changed was changed by a road (confirm, reopen, skip, submit, a check's start or end)
that a key pressed in the last steps can take. Every ``SCAN_EVERY`` steps and at each app's end:
the sentinel on no screen and in no file under KOPPEL_HOME (the state, its .bak, the log).

Keys go in as a terminal delivers them: a step's keys queued through the driver at once (the
type-ahead gate and the bindings see real keys), then one wait until the gate is idle and every
queued message handled; no fixed pauses (the palette's search is waited for by its workers).

Textual's private parts used (the Key event as Pilot builds it, waiting for the screen without
Pilot's idle wait, the rendered lines, the bindings of a node): only here, in ``_key_event``,
``Walk._quiet``, ``_screen_text`` and ``Walk._live_keys``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
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
SCAN_EVERY = 40  # steps between scans of the screen and the files (and at every app's end)
STALL_AFTER = 30  # s without koppel handling what was queued to it: a stall, not load
TRIGGER_WINDOW = 3  # a road may follow the key that asked for it this many steps later
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
    4). A field whose id is a secret's (``secret_ids``) is never blanked, masked or not."""
    screen = app.screen
    try:
        screen._refresh_layout()
    except Exception:  # a screen going away (a quit in flight): its last lines are what shows
        pass
    compositor = screen._compositor
    lines = list(compositor.render_strips())
    for widget, (region, clip) in compositor.visible_widgets.items():
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
        self.recent: deque[frozenset[str]] = deque(maxlen=TRIGGER_WINDOW)  # command keys per step
        self.problems: list[str] = []
        self.seen_keys: set[str] = set()
        self.app: KoppelApp | None = None
        self.running: set[str] = set()  # steps whose check this app started (or found running)
        self.statuses: dict[str, str] = {}
        self.roads: list[tuple[str, str]] = []  # (road, step key) taken since the last step's check
        self.quit_sent = False
        self.unsettled = False  # a command key was sent and the app has not settled since
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
                await self._settle(pilot)
                while self.stats.keys < self.budget and not self.problems:
                    await self._step(pilot)
                    if not app.is_running:
                        break
                if not self.problems:
                    self._scan_screen(app, "the app's last screen")
        except Exception as error:  # the app's own exception, raised again by run_test
            workers = ", ".join(f"{w.description or w.name} ({w.state.name})" for w in app.workers)
            self.problems.append(f"exception: {type(error).__name__}: {error}"
                                 + (f" (workers: {workers})" if workers else ""))
        if app._exit_renderables:
            self.problems.append("Textual's crash screen was shown")
        self._scan_files("koppel's exit")

    async def _step(self, pilot: Pilot) -> None:
        app = self.app
        assert app is not None
        self.stats.steps += 1
        kind = self._choose_kind()
        self.stats.kinds[kind] = self.stats.kinds.get(kind, 0) + 1
        commands: set[str] = set()
        await getattr(self, f"_do_{kind}")(pilot, commands)
        self.recent.append(frozenset(commands))
        await self._settle(pilot)
        self._check_step(app)
        if self.stats.steps % SCAN_EVERY == 0 and app.is_running and not self.problems:
            self._scan_screen(app, f"step {self.stats.steps}")
            self._scan_files(f"step {self.stats.steps}")

    def _choose_kind(self) -> str:
        names, weights = zip(*self.kinds)
        return self.rng.choices(names, weights)[0]

    # -- sending --------------------------------------------------------------------------
    def _send(self, keys: list[str], commands: set[str], *, typed: bool = False) -> None:
        """Queue keys as a terminal delivers them (no wait between). Keys ``typed`` into a focused
        field (with no command key before them still unhandled) are text: they may take no road and
        q may not quit. Anything else is a command, whatever it was meant for."""
        app = self.app
        assert app is not None and app._driver is not None
        focused = app.focused
        text = typed and isinstance(focused, Input) and not self.unsettled
        send_keys(app, keys)
        for key in keys:
            if not text:
                key = _key_event(key).key  # the name koppel sees (" " is "space")
                commands.add(key)
                self.unsettled = True
                if key in QUIT_KEYS:
                    self.quit_sent = True
        self.stats.keys += len(keys)
        where = f" (focus {type(focused).__name__}#{focused.id} on {type(app.screen).__name__})" if focused else ""
        self.trace.append(("type " if text else "keys ") + " ".join(keys) + where)

    async def _settle(self, pilot: Pilot) -> None:
        """Every key sent so far handled: none held by koppel's type-ahead gate (which routes one key
        at a time), every message queued handled (twice: a key's handling queues more)."""
        app = self.app
        gate = getattr(app, "keys", None)
        for _ in range(400):
            await self._quiet(pilot)
            if gate is None or gate.idle or not app.is_running:
                await self._quiet(pilot)  # what the last key's handling queued
                break
            await asyncio.sleep(0.005)
        else:
            self.problems.append("koppel's type-ahead gate still held keys after 2 s")
        self.unsettled = False

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

    async def _press(self, pilot: Pilot, keys: list[str], commands: set[str], *, typed: bool = False) -> None:
        self._send(keys, commands, typed=typed)
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
    async def _do_binding(self, pilot: Pilot, commands: set[str]) -> None:
        keys = [k for k in self._live_keys() if k not in QUIT_KEYS and k != "ctrl+c"]
        self._send(self.rng.choices(keys, k=self._burst_len()), commands)

    async def _do_nav(self, pilot: Pilot, commands: set[str]) -> None:
        self._send(self.rng.choices(NAV_KEYS, k=self._burst_len()), commands)

    async def _do_text(self, pilot: Pilot, commands: set[str]) -> None:
        text = self._text_for(self.app.focused if self.app else None)
        self._send(list(text), commands, typed=True)

    async def _do_paste(self, pilot: Pilot, commands: set[str]) -> None:
        app = self.app
        assert app is not None
        text = self._text_for(app.focused)
        if self.rng.random() < 0.2:
            text = "\n".join([text, *self.rng.choices(JUNK, k=2)])
        assert app._driver is not None
        app._driver.send_message(events.Paste(text))  # as a terminal delivers it
        self.trace.append(f"paste {text!r}")

    async def _do_form(self, pilot: Pilot, commands: set[str]) -> None:
        """Into a step with fields through the palette's "go to step", then onto its first field."""
        app = self.app
        assert app is not None
        session = app.session
        with_fields = [r for r in session.refs() if r.step.fields]
        secret = [r for r in with_fields if r.step.secret_field_ids]
        ref = self.rng.choice(secret if secret and self.rng.random() < 0.6 else with_fields)
        words = ref.title(app.lang).split()
        await self._press(pilot, ["ctrl+p"], commands)
        self._send(list(" ".join(words[:4])), commands, typed=True)
        await self._settle(pilot)
        await self._searched(pilot)
        await self._press(pilot, ["enter"], commands)
        for _ in range(50):  # it closes over a few message hops: wait for that, not a time
            if not isinstance(app.screen, CommandPalette):
                break
            await pilot.pause(0.01)
        if isinstance(app.focused, Tree):
            await self._press(pilot, ["enter"], commands)  # open the step: its first field has the focus
        await self._fill(pilot, commands)

    async def _fill(self, pilot: Pilot, commands: set[str]) -> None:
        """Fill the fields from the focused one on, Tab between them (secrets get the sentinel)."""
        app = self.app
        assert app is not None
        for _ in range(6):
            if not isinstance(app.focused, Input):
                return
            await self._press(pilot, ["ctrl+a", "ctrl+k"], commands, typed=True)
            await self._press(pilot, list(self._text_for(app.focused)), commands, typed=True)
            await self._press(pilot, ["tab"], commands)
            if not app.is_running:
                return

    async def _do_burst(self, pilot: Pilot, commands: set[str]) -> None:
        """Type-ahead over a slow link: text, Tab, text, Enter in one go. From the proxy's user
        field that is user, Tab, password, Enter (the sentinel goes only where a secret belongs:
        typed into a plain field, a "password" is just what the admin wrote there)."""
        app = self.app
        assert app is not None
        focused = app.focused
        to_secret = getattr(focused, "id", None) == "field-proxy_gebruiker"
        self._send(list(self._text_for(focused)), commands, typed=True)
        self._send(["tab"], commands)
        if to_secret:
            self.stats.sentinel_typed += 1
        self._send(list(self.sentinel.password if to_secret else self.rng.choice(JUNK)), commands, typed=True)
        self._send([self.rng.choice(("enter", "tab", "r", "escape"))], commands)

    async def _do_palette(self, pilot: Pilot, commands: set[str]) -> None:
        await self._press(pilot, ["ctrl+p"], commands)
        if self.rng.random() < 0.5:
            self._send(list(self.rng.choice(("run", "alle", "taal", "ascii", "help", "ga", "skip", "x"))),
                       commands, typed=True)
            if self.rng.random() < 0.5:  # else the keys below race the search (as a fast typist's do)
                await self._settle(pilot)
                await self._searched(pilot)
        self._send(self.rng.choices(("down", "up", "enter", "escape", "tab"), k=self._burst_len()), commands)

    async def _do_help(self, pilot: Pilot, commands: set[str]) -> None:
        await self._press(pilot, ["f1"], commands)
        self._send(self.rng.choices(("down", "up", "pagedown", "end", "home", "tab", "space"),
                                    k=self._burst_len()), commands)
        self._send([self.rng.choice(("f1", "escape", "q"))], commands)

    async def _do_resize(self, pilot: Pilot, commands: set[str]) -> None:
        width, height = self.rng.choice(SIZES)
        self.trace.append(f"resize {width}x{height}")
        await pilot.resize_terminal(width, height)

    async def _do_ctrl_c(self, pilot: Pilot, commands: set[str]) -> None:
        self._send(["ctrl+c"], commands)

    async def _do_quit(self, pilot: Pilot, commands: set[str]) -> None:
        self._send([self.rng.choice(sorted(QUIT_KEYS))], commands)

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
        pressed = set().union(*self.recent) if self.recent else set()
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
            resumed = where.startswith("starting") and old == "running" and new == "interrupted"
            if key not in roads and not resumed:
                self.problems.append(f"status of {key} changed {old} -> {new} at {where} without any road")
        self.statuses = now
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
        for path in sorted(self.home.rglob("*")):
            if path.is_file():
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
