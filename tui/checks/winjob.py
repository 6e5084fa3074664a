"""A Windows Job Object koppel owns for each child it starts, so a cancel ends all the child started.

psutil's ``children(recursive=True)`` follows parent links, and on Windows those end at a process
whose parent already exited (setup.exe starts a helper, the helper starts the real installer and
exits). Processes started inside a job stay in it, whoever their parent was: terminating the job
ends them all. On POSIX the child's own process group does the same (``procutil.kill_tree``).

The job is not set to kill on close: a program the child leaves running after a normal exit keeps
running; only a cancel or a deadline terminates the job. A child that starts a process in the
moment before it is put in the job is still reached through psutil's parent links.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

PROCESS_TERMINATE = 0x0001
PROCESS_SET_QUOTA = 0x0100
TERMINATED_EXIT_CODE = 1


class Job:
    """One Job Object holding one child and everything it starts."""

    def __init__(self, kernel32: Any, handle: int) -> None:
        self._kernel32 = kernel32
        self._handle: int | None = handle

    def terminate(self) -> None:
        """End every process in the job (best effort: they may be gone already)."""
        if self._handle is not None:
            self._kernel32.TerminateJobObject(self._handle, TERMINATED_EXIT_CODE)

    def close(self) -> None:
        """Let go of the job; its processes keep running."""
        if self._handle is not None:
            self._kernel32.CloseHandle(self._handle)
            self._handle = None


@lru_cache(maxsize=1)
def _kernel32() -> Any:
    """kernel32 with the prototypes of the calls used here (a HANDLE is 64 bits, not ctypes' int);
    None off Windows."""
    if os.name != "nt":
        return None
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
    kernel32.AssignProcessToJobObject.restype = wintypes.BOOL
    kernel32.TerminateJobObject.argtypes = (wintypes.HANDLE, wintypes.UINT)
    kernel32.TerminateJobObject.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    kernel32.CloseHandle.restype = wintypes.BOOL
    return kernel32


def job_for(pid: int) -> Job | None:
    """A new job holding process pid; None off Windows or when Windows refuses (then psutil's
    parent links are all there is)."""
    kernel32 = _kernel32()
    if kernel32 is None:
        return None
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        return None
    process = kernel32.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, pid)
    assigned = bool(process) and bool(kernel32.AssignProcessToJobObject(job, process))
    if process:
        kernel32.CloseHandle(process)
    if not assigned:  # gone already, or a job of our own parent's that forbids nesting
        kernel32.CloseHandle(job)
        return None
    return Job(kernel32, job)
