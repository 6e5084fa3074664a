"""Run setup.exe of the Visma On Premises Gateway (note AV-638111, "De stap Gateway", 1-2).

The note has the admin run setup.exe "als Administrator" and click through its windows; this
action starts it from the checklist (so the admin needn't hunt for the folder), streams whatever
it prints into the log, and records the exit code. The clicking stays with the admin.

Off Windows the action is "na". The Windows path lives in ``run_setup`` with explicit seams
``is_windows`` and ``is_elevated``: ``run`` passes the real values; the tests pass
``is_windows=True`` and run a real Python script named setup.exe through the same
``procutil.stream_process`` — only the platform question is answered by the test.
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
    return await run_setup(params, ctx, is_windows=os.name == "nt", is_elevated=elevated.is_elevated)


async def run_setup(params: Params, ctx: CheckContext, *, is_windows: bool, is_elevated: Callable[[], bool]) -> CheckResult:
    if not is_windows:
        return CheckResult(
            status="na",
            message=ctx.t(
                "Niet van toepassing hier: voer setup.exe als Administrator uit op de Windows-server en bevestig dat handmatig.",
                "Not applicable here: run setup.exe as Administrator on the Windows server and confirm manually.",
            ),
        )
    setup = locate_setup(params)
    if setup is None:
        where = params.setup or params.folder or str(default_gateway_folder())
        return CheckResult(
            status="fail",
            message=ctx.t(f"{SETUP_EXE} niet gevonden: {where}", f"{SETUP_EXE} not found: {where}"),
            hint=ctx.t("Pak eerst opg_Installer.zip uit, of geef het pad van setup.exe op.",
                       "Unpack opg_Installer.zip first, or give the path of setup.exe."),
        )
    if not is_elevated():
        return CheckResult(
            status="fail",
            message=ctx.t("setup.exe moet als Administrator worden uitgevoerd; deze terminal is niet verhoogd.",
                          "setup.exe must run as Administrator; this terminal is not elevated."),
            hint=ctx.t("Start de terminal als Administrator (rechtermuisknop > Als administrator uitvoeren) en probeer opnieuw.",
                       "Start the terminal as Administrator (right-click > Run as administrator) and try again."),
            evidence={"setup": str(setup)},
        )
    argv = [str(setup), *params.args]
    ctx.log(ctx.t(f"Start: {' '.join(argv)}", f"Starting: {' '.join(argv)}"))
    ctx.log(ctx.t("Volg de vensters van de installatie; deze stap wacht tot setup.exe klaar is.",
                  "Follow the installer's windows; this step waits until setup.exe has finished."))
    try:
        code = await stream_process(argv, ctx, cwd=setup.parent)
    except OSError as exc:
        return CheckResult(
            status="fail",
            message=ctx.t(f"setup.exe kon niet worden gestart: {exc.strerror or exc}", f"setup.exe could not be started: {exc.strerror or exc}"),
            evidence={"setup": str(setup)},
        )
    evidence = {"setup": str(setup), "exit_code": code}
    if code == 0:
        return CheckResult(status="ok", message=ctx.t("setup.exe is klaar (exitcode 0).", "setup.exe finished (exit code 0)."), evidence=evidence)
    return CheckResult(
        status="fail",
        message=ctx.t(f"setup.exe eindigde met exitcode {code}.", f"setup.exe ended with exit code {code}."),
        hint=ctx.t("Bekijk de meldingen van de installatie hierboven en in het installatievenster; voer setup.exe zo nodig opnieuw uit.",
                   "Read the installer's messages above and in its window; run setup.exe again if needed."),
        evidence=evidence,
    )
