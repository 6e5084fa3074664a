"""The step runner: one run of a step's check or action, the same for every caller.

``StepRunner.start`` (on the caller's thread, at once) refuses a step that waits for another, is
read-only or already running, records the form's values and marks the step running, in memory;
``StepRunner.execute`` (in the caller's worker or ``asyncio.run``) saves that as ONE save in a worker
thread, resolves the parameters, runs the engine under the step's deadline, streams every event to
the run (and the caller's sink), records the result or the cancellation, saves again off the event
loop and appends the run's lines to the server's log file in one format: ``[step key] line``.
``StepRunner.run`` does both. The runner owns what is running (``RunRegistry``); a view asks it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from tui.checks.base import CheckResult, Event, LogLine, Progress
from tui.state.session import SaveFailed, SessionError
from tui.text import t

if TYPE_CHECKING:
    from tui.checks.engine import LogFile
    from tui.state.session import Session

MAX_LINES = 5000  # a run keeps (and logs) its last lines; a flood of a million stays bounded
Sink = Callable[[Event], None]


@dataclass(eq=False)
class Run:
    """One run of a step's check: its output tail, latest progress, result; what a view shows."""

    key: str
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_LINES))
    total: int = 0  # lines ever emitted; a view compares it with what it has drawn
    progress: Progress | None = None
    result: CheckResult | None = None
    active: bool = True
    cancelled: bool = False
    sink: Sink | None = None
    worker: Any = None  # the caller's handle to cancel it (a Textual worker); the runner never uses it
    recorded: bool = True  # False: a run that only looks (copy-by-check, a read-only state)
    before: Any = None  # the step's state before it was marked running: restored when the mark cannot be saved
    outcome: Outcome | None = None  # how it ended, also when the caller's task was cancelled

    def emit(self, event: Event) -> None:
        if isinstance(event, LogLine):
            self.lines.append(event.text)
            self.total += 1
        elif isinstance(event, Progress):
            self.progress = event
        if self.sink is not None:
            self.sink(event)


@dataclass(frozen=True)
class Outcome:
    """How a run ended. ``result`` None: cancelled (``cancelled``) or never started (``refused``).
    ``save_error``: recorded in memory and shown, but not yet on disk (kept, written again later)."""

    key: str
    result: CheckResult | None
    status: str
    cancelled: bool = False
    refused: SessionError | None = None
    save_error: SaveFailed | None = None


class RunRegistry:
    """The runs of this session by step key: the one answer to "is this step's check running?"."""

    def __init__(self) -> None:
        self._runs: dict[str, Run] = {}

    def get(self, key: str | None) -> Run | None:
        return self._runs.get(key) if key else None

    def active(self, key: str | None) -> bool:
        run = self.get(key)
        return run is not None and run.active

    def running(self) -> list[Run]:
        return [run for run in self._runs.values() if run.active]

    def __getitem__(self, key: str) -> Run:
        return self._runs[key]

    def __contains__(self, key: object) -> bool:
        return key in self._runs

    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self) -> Iterator[str]:
        return iter(self._runs)

    def values(self) -> list[Run]:
        return list(self._runs.values())

    def _add(self, run: Run) -> None:
        self._runs[run.key] = run

    def _drop(self, run: Run) -> None:
        if self._runs.get(run.key) is run:
            del self._runs[run.key]


class StepRunner:
    def __init__(self, session: Session, *, log_file: LogFile | None = None,
                 clipboard: Callable[[str], None] | None = None, runs: RunRegistry | None = None) -> None:
        self.session = session
        self.log_file = log_file
        self.clipboard = clipboard
        self.runs = runs if runs is not None else RunRegistry()

    # -- the one road ---------------------------------------------------------------------
    async def run(self, key: str, sink: Sink | None = None, *, values: dict[str, Any] | None = None,
                  record: bool = True) -> Outcome:
        """start() then execute(): the whole run, for callers without a view to show it first."""
        try:
            run = self.start(key, sink, values=values, record=record)
        except SessionError as refused:
            return Outcome(key, None, self.session.status(key), refused=refused)
        return await self.execute(run)

    def start(self, key: str, sink: Sink | None = None, *, values: dict[str, Any] | None = None,
              record: bool = True) -> Run:
        """Mark the step running (with ``values``, the form's input, validated and recorded as its
        answers) in memory and register the run; raises SessionError when it may not run now. ``record``
        False: a run that only looks (copy-by-check, a read-only state), never marked or recorded."""
        ref = self.session.ref(key)
        if ref.step.check is None:
            raise SessionError(f"step '{key}' has no check")
        run = Run(key, sink=sink, recorded=record)
        if not record:
            return run
        if self.runs.active(key):
            raise SessionError(t("run.already_running", self.session.lang))
        if values is not None:  # the step's fields are the check's parameters: valid ones only
            cleaned, findings = self.session.validate(key, values)
            refused = next((f for f in findings if f.level == "error"), None)
            if refused is not None:
                raise SessionError(f"{refused.field}: {refused.message}")
        with self.session.one_save():
            if values is not None:
                self.session.record_answers(key, cleaned)
            run.before = self.session.mark_running(key)
        self.runs._add(run)
        return run

    async def execute(self, run: Run) -> Outcome:
        """Save the mark, run the engine, record the result or the cancellation, write the log."""
        session, key = self.session, run.key
        if run.recorded:
            try:
                await session.save_off_loop()
            except SaveFailed as error:  # a run that cannot be recorded does not start
                session.unmark_running(key, run.before)
                self.runs._drop(run)
                run.active = False
                run.outcome = Outcome(key, None, session.status(key), refused=error)
                return run.outcome
        result: CheckResult | None = None
        try:
            result = await self._engine(run)
        except asyncio.CancelledError:
            run.cancelled = True
            await self._end(run, None)
            raise
        except Exception as error:  # a bug of ours: the step must not stay "running"
            result = CheckResult(status="fail", message=str(error) or type(error).__name__)
            await self._end(run, result)
            raise
        return await self._end(run, result)

    # -- parts --------------------------------------------------------------------------
    async def _engine(self, run: Run) -> CheckResult:
        from tui.checks.engine import run_check

        session = self.session
        check = session.ref(run.key).step.check
        assert check is not None
        return await run_check(check.name, session.check_params(run.key), lang=session.lang, emit=run.emit,
                               timeout=check.timeout, clipboard=self.clipboard, log_file=self.log_file)

    async def _end(self, run: Run, result: CheckResult | None) -> Outcome:
        run.result, run.active = result, False
        session, save_error = self.session, None
        if run.recorded and self.runs.get(run.key) is run:
            try:
                with session.one_save():
                    if result is None:
                        session.record_cancel(run.key, run.lines, run.total)
                    else:
                        session.record_result(run.key, result, run.lines, run.total)
                await session.save_off_loop()
            except SaveFailed as error:  # kept in memory: the step shows its result either way
                save_error = error
        await self._write_log(run, result)
        run.outcome = Outcome(run.key, result, session.status(run.key), cancelled=result is None, save_error=save_error)
        return run.outcome

    async def _write_log(self, run: Run, result: CheckResult | None) -> None:
        if self.log_file is None or not (run.lines or result):
            return
        lines = log_lines(run, result, self.session.scrub)
        try:
            await asyncio.to_thread(self.log_file.write, lines)
        except OSError:  # the log is a convenience: a full disk must not cost the run's record
            pass


def log_lines(run: Run, result: CheckResult | None, scrub: Callable[[str], str]) -> list[str]:
    """The run as the server's log file keeps it: every line tagged with the step key, the lines
    that did not fit said as a count, and how it ended."""
    tag = f"[{run.key}]"
    lines = [f"{tag} ... {run.total - len(run.lines)} earlier lines not kept"] if run.total > len(run.lines) else []
    lines += [f"{tag} {scrub(line)}" for line in run.lines]
    ended = "cancelled" if result is None else f"{result.status}: {scrub(result.message)}"
    lines.append(f"{tag} = {ended}")
    return lines
