"""What the screens and the palette use of the app. The app sits above them (it imports them), so
they know it by this shape instead of importing it: no import circle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tui.checks.engine import LogFile
    from tui.state.session import Session


class Host(Protocol):
    session: Session
    lang: str
    ascii_mode: bool
    log_file: LogFile | None
    main_screen: Any  # the MainScreen on the stack, if any
    focused: Any
    keys: Any  # the type-ahead gate (tui.typeahead)

    def copy_to_clipboard(self, text: str) -> None: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...

    def run_worker(self, work: Any, **options: Any) -> Any: ...

    def save_log(self, run: Any) -> None: ...

    def run_action(self, action: str) -> Any: ...
