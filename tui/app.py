"""The koppel Textual app: screens, app-wide keys, palette, language/ASCII switches, clean exit."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable

from textual import on
from textual._context import active_message_pump
from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.events import Event, Key, Resize
from textual.reactive import var
from textual.scrollbar import ScrollBar
from textual.worker import Worker, WorkerState

from tui.commands import KoppelCommands, KoppelPalette
from tui.crash import record_crash
from tui.exit_codes import EXIT_PROBLEM
from tui.keys import ASCII_KEYS
from tui.screens.help import toggle_help
from tui.screens.main import MainScreen
from tui.screens.too_small import covers, fit
from tui.secrets import scrub_text
from tui.state.session import SessionError
from tui.typeahead import KeyGate, KeyHandled
from tui.text import t
from tui.widgets.keyed import bindings, install
from tui.widgets.scrollbar import ModeAwareScrollBarRender

if TYPE_CHECKING:
    from tui.checks.engine import LogFile
    from tui.state.session import Session

def removed_before_composed(error: Exception) -> bool:
    """A widget removed before it composed (a quit or a redraw while the step's form was still being
    built) gets no children but still its Mount event: its mount handler then finds nothing to query
    (Textual's Select: 'SelectOverlay', its SelectCurrent: '#label'). It is going away: not koppel
    failing. So is one whose parent is going, or one no longer attached to the app (the walker's
    seed 123: a quit while the form was built; NoMatches '#label' in a SelectCurrent).
    Textual's private parts read here, with ``_handle_exception`` this module's only ones:
    ``active_message_pump`` (the widget whose handler raised) and ``_pruning``/``_closing`` (it is
    being removed)."""
    pump = active_message_pump.get(None)
    if not isinstance(error, NoMatches) or pump is None:
        return False
    if not getattr(pump, "is_attached", True):  # no longer in the app's DOM
        return True
    going = [pump, *getattr(pump, "ancestors", ())]
    return any(getattr(node, "_pruning", False) or getattr(node, "_closing", False) for node in going)


class KoppelApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "koppel"
    # koppel's own commands only: Textual's system commands speak English and duplicate quit/help/theme
    COMMANDS = {KoppelCommands}
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")

    lang: var[str] = var("nl", init=False)
    ascii_mode: var[bool] = var(False, init=False)

    def __init__(self, session: Session, *, ascii_mode: bool = False, lang: str | None = None,
                 notices: Iterable[str] = (), clock: Callable[[], datetime] | None = None,
                 log_file: LogFile | None = None) -> None:
        super().__init__()
        self.keys = KeyGate(self, lambda event: App.on_event(self, event))  # type-ahead in typed order
        ScrollBar.renderer = ModeAwareScrollBarRender  # draws as Textual's, but ASCII in ASCII mode
        self.animation_level = "none"  # every animated frame is bytes over a slow SSH/RDP link
        self.session = session
        self.notices = list(notices)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.log_file = log_file
        self._closed = False
        self.crash_line: str | None = None  # set by an unhandled exception: where its details are
        self._quit_anyway = False  # a quit refused for a failed save: the next one leaves regardless
        if lang:
            session.lang = lang
        self.set_reactive(KoppelApp.lang, session.lang)
        self.set_reactive(KoppelApp.ascii_mode, ascii_mode)
        self.set_class(ascii_mode, "-ascii")

    async def on_event(self, event: Event) -> None:
        if isinstance(event, Key) and not event.is_forwarded and self.main_screen is not None:
            self.main_screen.heard()  # said until the next key from the terminal (not one bubbling back up)
        if not await self.keys.take(event):
            await super().on_event(event)

    async def on_key_handled(self, marker: KeyHandled) -> None:
        await self.keys.handled(marker)

    # -- start, size, stop ----------------------------------------------------------------
    def on_mount(self) -> None:
        install(self, "app", self.lang)
        welcome = self.session.welcome_back()
        greeting = welcome.greeting(self.lang, self.clock()) if welcome else ""
        interrupted = [t("msg.interrupted", self.lang, n=len(self.session.interrupted))] * bool(self.session.interrupted)
        self.push_screen(MainScreen(self.lang, self.ascii_mode, greeting=greeting,
                                    notices=tuple(interrupted + self.notices)))
        self.call_after_refresh(fit, self, self.size.width, self.size.height)

    def _say(self, text: str) -> None:
        main = self.main_screen
        if main is not None:
            main.say(text)
        else:
            self.notify(text, timeout=3)

    def on_resize(self, event: Resize) -> None:
        fit(self, event.size.width, event.size.height)

    async def action_quit(self) -> None:
        """Save and leave; when the save fails (a full disk) stay, once, so the admin can make room."""
        if self.main_screen is not None:
            await self.main_screen.cancel_all()
        if not self._quit_anyway:
            try:
                self.session.flush()
            except SessionError as error:
                self._quit_anyway = True
                self._save_failed(error, t("msg.quit_unsaved", self.lang))
                return
        error = self.close_session()
        self.exit(return_code=EXIT_PROBLEM if error else 0, message=str(error) if error else None)

    def on_unmount(self) -> None:
        self.close_session()  # a failure here (a hang-up) has no screen left to be shown on

    def close_session(self) -> SessionError | None:
        """Write what is pending and release the state; the failure, if the last write failed."""
        if self._closed:
            return None
        self._closed = True
        try:
            self.session.close()
        except SessionError as error:
            return error
        return None

    def _handle_exception(self, error: Exception) -> None:
        """koppel's last resort (tui.crash) for an exception nobody handled, instead of Textual's traceback
        with every frame's locals (a typed password among them). The one override of Textual's private
        API; like Textual it keeps the first error for Pilot, sets the exit code and closes the app."""
        if removed_before_composed(error):
            return
        first = self._exception is None
        if first:
            self._exception = error
            self._exception_event.set()
        self._return_code = EXIT_PROBLEM
        line = record_crash(error, log_path=self.session.log_path, close=self._close_for_crash, lang=self.lang)
        if first:
            self.crash_line = line
            self.panic()  # closes at once, showing nothing

    def _close_for_crash(self) -> None:
        error = self.close_session()
        if error is not None:
            raise error

    def _save_failed(self, error: SessionError, then: str = "") -> None:
        main = self.main_screen
        if main is not None:
            main.save_failed(error, then)
        else:
            self.notify(f"{error}\n{then}".strip(), severity="error", timeout=20)

    def action_help_quit(self) -> None:
        """Ctrl+C never kills koppel: it saves now and says how to quit."""
        try:
            self.session.flush()
        except SessionError as error:
            self._save_failed(error)
            return
        self._say(t("msg.quit_hint", self.lang))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            text = f"{t('msg.worker_failed', self.lang)}: " + scrub_text(f"{type(error).__name__}: {error}")
            if self.main_screen is not None:
                self.main_screen.tell(text, error=True)
            else:
                self.notify(text, severity="error", timeout=15, markup=False)

    # -- switches (keys and palette); the screens watch lang and ascii_mode themselves ---
    def watch_lang(self, lang: str) -> None:
        self.session.set_lang(lang)  # remembered for the next start
        install(self, "app", lang)
        self._say(t("msg.lang", lang))

    def watch_ascii_mode(self, ascii_mode: bool) -> None:
        self.set_class(ascii_mode, "-ascii")
        self._say(t("msg.ascii_on" if ascii_mode else "msg.ascii_off", self.lang))

    def action_switch_lang(self) -> None:
        self.lang = "en" if self.lang == "nl" else "nl"

    def action_toggle_ascii(self) -> None:
        self.ascii_mode = not self.ascii_mode

    def action_ansi_theme(self) -> None:
        self.theme = "textual-dark" if self.theme == "ansi-dark" else "ansi-dark"

    def action_command_palette(self) -> None:
        if self.use_command_palette and not KoppelPalette.is_open(self) and not covers(self):
            self.push_screen(KoppelPalette(self.lang, self.ascii_mode))

    @property
    def main_screen(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def get_key_display(self, binding: Binding) -> str:
        return ASCII_KEYS.get(binding.key, binding.key) if self.ascii_mode else super().get_key_display(binding)

    def action_help(self) -> None:
        where = self.main_screen.step_title() if self.main_screen is not None else ""
        toggle_help(self, where, self.lang, self.ascii_mode)
