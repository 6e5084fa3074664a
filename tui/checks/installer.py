"""Run setup.exe of the Visma On Premises Gateway (note AV-638111, "De stap Gateway", 1-2).

The note has the admin run setup.exe "als Administrator" and click through its windows; this
action starts it from the checklist (so the admin needn't hunt for the folder), streams whatever
it prints into the log, and records the exit code. The clicking stays with the admin.

Off Windows the action is "na" (decided by the real platform). On Windows ``run_setup`` takes
``is_elevated`` (``run`` passes the real question), so the Windows leg reaches "not elevated" too:
under Wine the user is always an administrator. Its tests run under Windows CPython a real
Setup.EXE (a copy of python.exe) through the same ``procutil.stream_process``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, ConfigDict, Field

from tui.checks import elevated
from tui.checks.base import CheckContext, CheckResult
from tui.checks.places import SETUP_EXE, default_gateway_folder, find_setup_exe
from tui.checks.procutil import stream_process
from tui.text import t

TITLE = {"nl": "setup.exe van de gateway uitvoeren", "en": "Run the gateway's setup.exe"}
KIND = "action"
DEFAULT_TIMEOUT = 1800.0  # the admin clicks through two installer windows and types credentials


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    setup: str = ""  # path to setup.exe; empty: the shallowest setup.exe under folder
    folder: str = ""  # empty: Downloads/opg_Installer (where gateway_zip unpacks by default)
    args: list[str] = Field(default_factory=list)


def locate_setup(params: Params) -> Path | None:
    if params.setup:
        path = Path(params.setup).expanduser()
        return path if path.is_file() else None
    folder = Path(params.folder).expanduser() if params.folder else default_gateway_folder()
    return find_setup_exe(folder)


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    if os.name != "nt":
        return CheckResult(
            status="na",
            message=t("installer.not_applicable_here_run", ctx.lang),
        )
    return await run_setup(params, ctx, is_elevated=elevated.is_elevated)


async def run_setup(params: Params, ctx: CheckContext, *, is_elevated: Callable[[], bool]) -> CheckResult:
    """The Windows path: find setup.exe, refuse without elevation, run it and report its exit code."""
    setup = locate_setup(params)
    if setup is None:
        where = params.setup or params.folder or str(default_gateway_folder())
        return CheckResult(
            status="fail",
            message=t("installer.not_found", ctx.lang, SETUP_EXE=SETUP_EXE, where=where),
            hint=t("installer.unpack_opg_installer_zip", ctx.lang),
        )
    if not is_elevated():
        return CheckResult(
            status="fail",
            message=t("installer.setup_exe_must_run", ctx.lang),
            hint=t("installer.start_terminal_as_administrator", ctx.lang),
            evidence={"setup": str(setup)},
        )
    argv = [str(setup), *params.args]
    ctx.log(t("installer.starting", ctx.lang, value=' '.join(argv)))
    ctx.log(t("installer.follow_installer_s_windows", ctx.lang))
    try:
        code = await stream_process(argv, ctx, cwd=setup.parent)
    except OSError as exc:
        return CheckResult(
            status="fail",
            message=t("installer.setup_exe_could_not", ctx.lang, value=exc.strerror or exc),
            evidence={"setup": str(setup)},
        )
    evidence = {"setup": str(setup), "exit_code": code}
    if code == 0:
        return CheckResult(status="ok", message=t("installer.setup_exe_finished_exit", ctx.lang), evidence=evidence)
    return CheckResult(
        status="fail",
        message=t("installer.setup_exe_ended_exit", ctx.lang, code=code),
        hint=t("installer.read_installer_s_messages", ctx.lang),
        evidence=evidence,
    )
