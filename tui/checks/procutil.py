"""Run a child process for a check: stream its output into the log, kill its whole tree on cancel.

Shared by ``installer`` (setup.exe) and ``windows_service`` (PowerShell / sc.exe) and the
licence reader's child process.

- stdin is the null device: a child that asks a question reads EOF instead of hanging forever.
- stdout and stderr are merged into one pipe, read in chunks (never line by line: a flood of
  1,000,000 lines must not become 1,000,000 awaits or events).
- Output is decoded per line as UTF-8, falling back to the console's OEM code page on Windows
  (cp850 on a Dutch/Western server; latin-1 elsewhere) with ``errors="replace"``.
- A line rewritten in place with ``\\r`` (a progress counter) becomes a Progress event, not a line.
- Lines reach ``ctx.log`` in batches (every ``BATCH_SECONDS``); a flood is thinned to the last
  ``MAX_LINES_PER_BATCH`` lines of each batch plus one "N lines not shown" line, so memory and
  the number of events stay bounded and the lines just before the exit (the error) always show.
- The child gets its own process group (POSIX: new session; Windows: CREATE_NEW_PROCESS_GROUP and
  a Job Object koppel owns, ``winjob``). On cancel or deadline the whole tree is killed: psutil's
  parent links from the child (every OS), then the group (``os.killpg``) or the job, which also
  reach a grandchild whose parent already exited. A child that exits normally leaves what it
  started running.
"""

from __future__ import annotations

import asyncio
import codecs
import collections
import os
import re
import signal
import time
from functools import lru_cache
from typing import Sequence

import psutil

from tui.checks.base import CheckContext
from tui.checks.winjob import Job, job_for
from tui.limits import CHILD_OUTPUT_MAX_BYTES

BATCH_SECONDS = 0.1
MAX_LINES_PER_BATCH = 200
MAX_LINE_CHARS = 2000  # a "line" without newline (binary junk, a minified blob) is cut here
READ_CHUNK = 64 * 1024
DRAIN_SECONDS = 1.0  # after the child exits: how long to keep reading from grandchildren holding the pipe
EXIT_POLL_SECONDS = 0.05
KILL_WAIT_SECONDS = 5.0

_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")


CREATE_NEW_PROCESS_GROUP = 0x00000200  # subprocess has the name on Windows only; the value is fixed


@lru_cache(maxsize=1)
def fallback_encoding() -> str:
    """The encoding a console program uses when it is not UTF-8: the OEM code page on Windows."""
    if os.name == "nt":
        try:
            import ctypes

            name = f"cp{ctypes.windll.kernel32.GetOEMCP()}"  # type: ignore[attr-defined]
            codecs.lookup(name)
            return name
        except (AttributeError, OSError, LookupError):
            return "cp850"
    return "latin-1"


def decode_output(data: bytes, fallback: str | None = None) -> str:
    """UTF-8 if it is valid UTF-8, else the fallback code page; never raises."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(fallback or fallback_encoding(), errors="replace")


def new_group_kwargs() -> dict:
    """Popen keyword arguments that put the child in its own process group, so its tree can be killed."""
    if os.name == "nt":
        return {"creationflags": CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_tree(pid: int, job: Job | None = None) -> None:
    """Kill a process and everything it started (best effort; the process may be gone already).

    The tree is read first, while the links run through living parents; then the child's group or
    job goes (a grandchild whose parent exited is still in it), then what the links found outside.
    psutil checks a process's start time before it kills, so a reused pid is left alone.
    """
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:  # the child is gone (its group or job may not be)
        tree = []
    if job is not None:
        job.terminate()
    if os.name != "nt":
        try:
            # start_new_session made pid the leader of its own group: the group id is its pid.
            # The group outlives the leader while grandchildren are alive.
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for process in tree:
        try:
            process.kill()
        except psutil.Error:
            pass


class _LineSink:
    """Turns raw output chunks into batched log lines and progress events."""

    def __init__(self, ctx: CheckContext, fallback: str | None) -> None:
        self.ctx = ctx
        self.fallback = fallback
        self.tail = b""  # bytes after the last newline: an unfinished line
        self.batch: collections.deque[str] = collections.deque(maxlen=MAX_LINES_PER_BATCH)
        self.not_shown = 0
        self.pending_progress: str | None = None
        self.last_flush = time.monotonic()

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            self.tail = data
        else:
            complete, self.tail = data[: cut + 1], data[cut + 1 :]
            self.pending_progress = None  # the newline finalised the line those updates belonged to
            for line in self._decode_lines(complete[:-1]):
                self._add_line(line)
        self._progress_from_tail()
        if len(self.tail) > 4 * MAX_LINE_CHARS:  # no newline in sight: don't grow without bound
            self._add_line(decode_output(self.tail, self.fallback))
            self.tail = b""

    def _decode_lines(self, data: bytes) -> list[str]:
        try:  # the fast path: the whole chunk is valid UTF-8
            text = data.decode("utf-8")
        except UnicodeDecodeError:  # decide per line, so one bad byte doesn't garble its neighbours
            return [decode_output(line, self.fallback).removesuffix("\r") for line in data.split(b"\n")]
        return text.replace("\r\n", "\n").split("\n")

    def _progress_from_tail(self) -> None:
        """The unfinished line holds "\r": a counter rewriting it. Its latest text is the progress.

        The tail is trimmed to that latest text (keeping its "\r"s, which may yet turn out to be "\r\n").
        """
        if b"\r" not in self.tail:
            return
        segments = self.tail.split(b"\r")
        index = max((i for i, segment in enumerate(segments) if segment.strip()), default=None)
        if index is None:
            return
        self.pending_progress = decode_output(segments[index], self.fallback)
        self.tail = b"\r".join([b""] * (index > 0) + segments[index:])

    def _add_line(self, line: str) -> None:
        if "\r" in line:  # "12%\r50%\rdone": only the final text is the line
            parts = [p for p in line.split("\r") if p.strip()]
            line = parts[-1] if parts else ""
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS] + " …"
        if len(self.batch) == self.batch.maxlen:
            self.not_shown += 1
        self.batch.append(line)

    def due(self) -> bool:
        return time.monotonic() - self.last_flush >= BATCH_SECONDS

    def has_pending(self) -> bool:
        return bool(self.batch or self.not_shown or self.pending_progress is not None)

    def flush(self, final: bool = False) -> None:
        if final and self.tail:
            self._add_line(decode_output(self.tail, self.fallback).rstrip("\r"))
            self.tail = b""
        if self.pending_progress is not None:
            text = self.pending_progress.strip()
            match = _PERCENT.search(text)
            if match:
                self.ctx.progress(float(match.group(1).replace(",", ".")), 100.0, text)
            else:
                self.ctx.progress(0.0, None, text)
            self.pending_progress = None
        if self.not_shown:
            self.ctx.log(f"[… {self.not_shown} lines not shown …]")
            self.not_shown = 0
        if self.batch:
            self.ctx.log("\n".join(self.batch))
            self.batch.clear()
        self.last_flush = time.monotonic()


async def _exited(proc: asyncio.subprocess.Process) -> int:
    # proc.wait() also waits for the pipes to close, which a grandchild holding them may never do;
    # returncode is set as soon as the child itself exits
    while proc.returncode is None:
        await asyncio.sleep(EXIT_POLL_SECONDS)
    return proc.returncode


class _Child:
    """The running child and its Job Object (Windows): started, killed with its tree, let go."""

    def __init__(self, proc: asyncio.subprocess.Process, job: Job | None) -> None:
        self.proc = proc
        self.job = job

    @classmethod
    async def spawn(cls, argv: Sequence[str], *, stderr: int, cwd: str | os.PathLike[str] | None = None,
                    env: dict[str, str] | None = None) -> _Child:
        """The child, in its own process group, reading EOF from the null device, stdout piped."""
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            cwd=cwd,
            env=env,
            limit=READ_CHUNK,
            **new_group_kwargs(),
        )
        return cls(proc, job_for(proc.pid))

    async def kill_tree(self) -> None:
        """Kill the child and all it started (in a thread: reading the process table takes a moment)."""
        await asyncio.to_thread(kill_tree, self.proc.pid, self.job)
        try:
            await asyncio.wait_for(_exited(self.proc), KILL_WAIT_SECONDS)
        except TimeoutError:
            pass

    def close(self) -> None:
        # asyncio's Process has no public close; without it a pipe held open by a grandchild stays
        # registered with the loop until garbage collection (after asyncio.run has closed the loop:
        # "Exception ignored ... Event loop is closed")
        self.proc._transport.close()  # type: ignore[attr-defined]
        if self.job is not None:
            self.job.close()


async def stream_process(
    argv: Sequence[str],
    ctx: CheckContext,
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    fallback_encoding: str | None = None,
) -> int:
    """Run argv to completion, streaming its output into ctx; return its exit code.

    Raises FileNotFoundError / PermissionError (OSError) when argv[0] cannot be started.
    On cancellation (task.cancel, the engine's deadline) the whole process tree is killed before
    CancelledError propagates, also when the child itself had exited and left processes behind.
    """
    child = await _Child.spawn(argv, stderr=asyncio.subprocess.STDOUT, cwd=cwd, env=env)
    sink = _LineSink(ctx, fallback_encoding)
    assert child.proc.stdout is not None
    stdout = child.proc.stdout

    async def pump() -> None:
        while True:
            wait = max(0.0, BATCH_SECONDS - (time.monotonic() - sink.last_flush)) if sink.has_pending() else None
            try:
                chunk = await asyncio.wait_for(stdout.read(READ_CHUNK), wait)
            except TimeoutError:  # quiet child with lines pending: show them now
                sink.flush()
                continue
            if not chunk:
                return
            sink.feed(chunk)
            if sink.due():
                sink.flush()

    reader = asyncio.ensure_future(pump())
    finished = False
    try:
        returncode = await _exited(child.proc)
        done, _ = await asyncio.wait({reader}, timeout=DRAIN_SECONDS)
        if not done:
            reader.cancel()
            sink.flush()
            ctx.log("(the program exited; output of processes it left running is no longer followed)")
        finished = True
        return returncode
    finally:
        if not finished:  # cancelled or past its deadline, the child itself exited or not
            await child.kill_tree()
            await asyncio.wait({reader}, timeout=DRAIN_SECONDS)  # its last words, until the pipe closes
        if not reader.done():
            reader.cancel()
        try:
            await reader
        except (asyncio.CancelledError, Exception):
            pass
        sink.flush(final=True)
        child.close()


async def capture(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    max_bytes: int = CHILD_OUTPUT_MAX_BYTES,
) -> tuple[int, str, str]:
    """Run argv, return (exit code, stdout, stderr) decoded; the tree is killed on cancellation.

    For short commands whose whole output is parsed (PowerShell JSON, sc.exe), not shown line by line.
    Bounded: of stdout the first ``max_bytes`` are kept, of stderr the last (where the error is);
    the rest is read and dropped, so a flooding child neither blocks nor fills memory.
    """
    child = await _Child.spawn(argv, stderr=asyncio.subprocess.PIPE, env=env)
    proc = child.proc
    assert proc.stdout is not None and proc.stderr is not None
    out, err = bytearray(), bytearray()

    async def keep_head(stream: asyncio.StreamReader, kept: bytearray) -> None:
        while chunk := await stream.read(READ_CHUNK):
            kept += chunk[: max(0, max_bytes - len(kept))]

    async def keep_tail(stream: asyncio.StreamReader, kept: bytearray) -> None:
        while chunk := await stream.read(READ_CHUNK):
            kept += chunk
            del kept[: max(0, len(kept) - max_bytes)]

    finished = False
    try:
        await asyncio.gather(keep_head(proc.stdout, out), keep_tail(proc.stderr, err))
        await proc.wait()
        finished = True
    finally:
        if not finished:  # cancelled or past its deadline, the child itself exited or not
            await child.kill_tree()
        child.close()
    assert proc.returncode is not None
    return proc.returncode, decode_output(bytes(out)), decode_output(bytes(err))
