"""Type-ahead in the order it was typed: the app routes one key (or paste) at a time.

Textual routes a key to the widget focused when the app *reads* it, but runs the key's bindings only
once it has bubbled back up to the app. Keys that arrive in one burst (a slow SSH link, a password
manager's auto-type) are all read before the first one's binding ran: after Tab the next letters
still went to the field Tab left, and after Enter opened a form the letters went to the list, where
``r`` ran a check and ``q`` quit. The gate holds each key until the one before it has been handled
all the way up, focus change included, then routes it to what has the focus *then*.

How it knows a key was handled: right behind the key it posts a ``KeyHandled`` marker to the same
widget; the marker bubbles the key's road after the key, so when it reaches the app the key's bindings
have run. A second round through the newly focused widget lets what the binding posted (a step being
opened) be handled too. A screen that moves the focus later still (after a refresh) holds the gate
until it has (``hold``/``release``). A marker that can no longer arrive (its widget went away with a
closed dialog) never stalls typing: the gate looks every few milliseconds and gives up after a bound;
while markers keep getting lost (a bug elsewhere), after a much shorter one, so that 15 held keys are
not 15 times the bound (30 s: the walker saw that stall).

Textual's private parts used here, in this one module: ``MessagePump._closing``/``_closed`` (is the
marker's widget still there) and the ``is_forwarded`` flag of input events.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Awaitable, Callable

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer

HELD_AT_MOST = 10_000  # keys waiting behind a slow one; past that the newest are dropped
ROUNDS = 2  # marker rounds per key: the key's own road, then the widget it left the focus on
GIVE_UP_AFTER = 2.0  # s: a marker that never comes back (a bug elsewhere) stalls typing this long at most
AFTER_A_LOSS = 0.2  # s: the bound while markers keep getting lost: a bug costs one stall, not one per key
LOOK_EVERY = 0.05  # s: how often the gate checks that the marker's widget still exists


class KeyHandled(Message, bubble=True):
    """The marker that follows a key up the DOM; ``token`` tells a late marker from the current one."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


class KeyGate:
    """Owned by the app: ``take`` in its ``on_event``, ``handled`` in its ``KeyHandled`` handler."""

    def __init__(self, app: App[object], route: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._route = route  # Textual's own routing of one input event (the app's super().on_event)
        self._held: deque[events.Event] = deque()
        self._token = 0
        self._round = 0
        self._waiting_on: MessagePump | None = None  # where the current marker is
        self._since = 0.0
        self._holds = 0
        self._held_since = 0.0
        self._watch: Timer | None = None
        self._patience = GIVE_UP_AFTER  # how long the current marker may take
        self.dropped = 0
        self.stalls = 0  # times typing waited the whole GIVE_UP_AFTER for a marker

    @property
    def busy(self) -> bool:
        return self._waiting_on is not None or self._holds > 0

    @property
    def idle(self) -> bool:
        """Every key taken so far has been handled: none in flight, none held behind it."""
        return not self.busy and not self._held

    async def take(self, event: events.Event) -> bool:
        """True when the event is the gate's (a key or paste from the terminal): routed now, or held."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if self.busy or self._held:
            if len(self._held) < HELD_AT_MOST:
                self._held.append(event)
            else:
                self.dropped += 1
            return True
        await self._send(event)
        return True

    def hold(self) -> None:
        """A screen will move the focus later (after a refresh): keys wait until ``release``."""
        if not self._holds:
            self._held_since = time.monotonic()
        self._holds += 1
        self._arm()

    async def release(self) -> None:
        self._holds = max(0, self._holds - 1)
        await self._next()

    async def handled(self, marker: KeyHandled) -> None:
        marker.stop()
        if marker.token != self._token or self._waiting_on is None:
            return  # a marker the gate stopped waiting for
        self._round += 1
        if self._round < ROUNDS and self._post_marker(self._app.focused or self._app.screen):
            return
        self._waiting_on = None
        self._patience = GIVE_UP_AFTER  # markers come back again
        await self._next()

    # -- inside ------------------------------------------------------------------------------
    async def _send(self, event: events.Event) -> None:
        target = self._app.focused or self._app.screen  # where Textual is about to route it
        await self._route(event)
        self._token += 1
        self._round = 0
        if not self._post_marker(target):
            self._waiting_on = None

    def _post_marker(self, target: MessagePump) -> bool:
        self._waiting_on = target
        self._since = time.monotonic()
        posted = target.post_message(KeyHandled(self._token))
        if posted:
            self._arm()
        return posted

    async def _next(self) -> None:
        while self._held and not self.busy:
            await self._send(self._held.popleft())

    def _arm(self) -> None:
        if self._watch is None:
            self._watch = self._app.set_interval(LOOK_EVERY, self._look, name="key gate")

    async def _look(self) -> None:
        """Give up on a marker whose widget is gone, or that has taken too long; stop looking when idle."""
        target = self._waiting_on
        if target is not None and (target._closing or target._closed):
            self._waiting_on = None
        elif target is not None and time.monotonic() - self._since > self._patience:
            self._waiting_on = None
            self.stalls += self._patience == GIVE_UP_AFTER
            self._patience = AFTER_A_LOSS
        if self._holds and time.monotonic() - self._held_since > GIVE_UP_AFTER:
            self._holds = 0  # a hold never released (a bug): typing goes on
        await self._next()
        if not self.busy and self._watch is not None:
            self._watch.stop()
            self._watch = None
