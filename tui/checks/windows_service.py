"""Is a Windows service running? Found by a display-name pattern, never by an invented name.

The note's "Communicatie" step checks that the AccountView Communication Service (ACS) runs;
the gateway installer reports the Visma On Premises Gateway as started. Their Windows service
names are not public, so the playbook passes a display-name glob (``*`` and ``?``, case
insensitive) and the admin can adjust it.

Listing: the service manager itself through psutil (``win_service_iter``: name, display name,
status, start type; no program to start, nothing to parse). When that fails, PowerShell
``Get-Service -DisplayName <pattern>`` as JSON (Status and StartType turned into their names:
ConvertTo-Json would write the enums as numbers — both are understood); when PowerShell cannot run
or fails, ``sc.exe query state= all`` filtered here. Parsing is pure (``parse_get_service_json``,
``parse_sc_query``) and tested with recorded outputs (Wine has no PowerShell and its sc.exe no
``query``); the service manager is tested under Wine for real.

Off Windows the check is "na". ``check_services`` takes where to look (``ServiceCommands``) as a
seam: ``run`` passes the real ones, the tests real subprocesses printing recorded outputs.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from pydantic import BaseModel, ConfigDict, Field

from tui.checks.base import CheckContext, CheckResult
from tui.checks.procutil import capture
from tui.text import t

TITLE = {"nl": "Windows-service actief", "en": "Windows service running"}
KIND = "check"
DEFAULT_TIMEOUT = 30.0

PATTERN_ENV = "KOPPEL_SERVICE_PATTERN"  # the pattern reaches PowerShell as data, never as code

# ServiceControllerStatus / ServiceStartMode (.NET) and the sc.exe state codes use the same numbers
STATUS_NAMES = {1: "Stopped", 2: "StartPending", 3: "StopPending", 4: "Running", 5: "ContinuePending", 6: "PausePending", 7: "Paused"}
START_TYPE_NAMES = {0: "Boot", 1: "System", 2: "Automatic", 3: "Manual", 4: "Disabled"}
_SC_STATES = {"STOPPED": 1, "START_PENDING": 2, "STOP_PENDING": 3, "RUNNING": 4, "CONTINUE_PENDING": 5, "PAUSE_PENDING": 6, "PAUSED": 7}

POWERSHELL_SCRIPT = (
    "try { [Console]::OutputEncoding = [Text.Encoding]::UTF8 } catch {}; "
    f"$found = @(Get-Service -DisplayName $env:{PATTERN_ENV} -ErrorAction SilentlyContinue | "
    "Select-Object Name, DisplayName, @{n='Status';e={[string]$_.Status}}, @{n='StartType';e={[string]$_.StartType}}); "
    "ConvertTo-Json -InputObject $found -Compress"
)


@dataclass(frozen=True)
class Service:
    name: str
    display_name: str
    status: str  # a STATUS_NAMES value, e.g. "Running"
    start_type: str | None = None


# psutil's words for the same states (WindowsService.status() / start_type())
_PSUTIL_STATUS = {"running": "Running", "stopped": "Stopped", "start_pending": "StartPending", "stop_pending": "StopPending",
                  "continue_pending": "ContinuePending", "pause_pending": "PausePending", "paused": "Paused"}
_PSUTIL_START_TYPE = {"automatic": "Automatic", "manual": "Manual", "disabled": "Disabled"}


class ServiceQueryError(Exception):
    pass


@dataclass(frozen=True)
class ServiceCommands:
    powershell: list[str]
    sc: list[str]
    env: dict[str, str] | None = None
    # asked first: the services whose display name matches, from the service manager (blocking)
    service_manager: Callable[[str], list[Service]] | None = None


def service_manager_services(pattern: str) -> list[Service]:
    """The matching services as the service manager lists them (psutil); ServiceQueryError when it
    cannot be asked. A service the manager refuses to describe is "Unknown"; one removed meanwhile
    is left out."""
    import psutil

    if not hasattr(psutil, "win_service_iter"):
        raise ServiceQueryError("no Windows service manager here")
    found = []
    try:
        for service in psutil.win_service_iter():
            if not matches(pattern, service.display_name()):
                continue
            try:
                status, start_type = service.status(), service.start_type()  # one query each
                status, start_type = _PSUTIL_STATUS.get(status, status), _PSUTIL_START_TYPE.get(start_type, start_type)
            except psutil.NoSuchProcess:
                continue
            except psutil.AccessDenied:
                status, start_type = "Unknown", None
            found.append(Service(service.name(), service.display_name(), status, start_type))
    except (OSError, psutil.Error) as exc:
        raise ServiceQueryError(f"service manager: {exc}") from None
    return found


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(min_length=1)  # display-name glob, e.g. "AccountView Communication*"


def _enum_name(value: object, names: dict[int, str]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return names.get(int(value), str(value))
    return str(value)


def parse_get_service_json(text: str) -> list[Service]:
    """Services from ConvertTo-Json output: one object, an array, or nothing (no match)."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        return []
    data = json.loads(text)  # ValueError on anything else
    items = data if isinstance(data, list) else [data]
    services = []
    for item in items:
        if not isinstance(item, dict) or "Name" not in item:
            raise ValueError(f"unexpected item in Get-Service output: {item!r}"[:200])
        services.append(Service(
            name=str(item["Name"]),
            display_name=str(item.get("DisplayName") or item["Name"]),
            status=_enum_name(item.get("Status"), STATUS_NAMES) or "Unknown",
            start_type=_enum_name(item.get("StartType"), START_TYPE_NAMES),
        ))
    return services


_SC_KEY_VALUE = re.compile(r"^(\S[^:]*):\s?(.*)$")
_SC_STATE = re.compile(r"^\s+[^:]+:\s*(\d+)\s+([A-Z_]+)\s*$")


def parse_sc_query(text: str) -> list[Service]:
    """Services from ``sc.exe query state= all``.

    By position, not by label, so a localised Windows (translated labels) parses the same: in each
    block the first unindented "LABEL: value" line is the service name, the second the display
    name; the state is the indented line whose value is "<code>  <STATE_CONSTANT>" (the constants
    RUNNING, STOPPED, ... are not translated).
    """
    services: list[Service] = []
    name = display = None
    for line in text.splitlines():
        key_value = _SC_KEY_VALUE.match(line)
        if key_value and not line.startswith((" ", "\t")):
            if name is not None and display is not None:  # a new block starts
                name = display = None
            if name is None:
                name = key_value.group(2).strip()
            else:
                display = key_value.group(2).strip()
            continue
        state = _SC_STATE.match(line)
        if state and name is not None and state.group(2) in _SC_STATES:
            services.append(Service(name=name, display_name=display or name, status=STATUS_NAMES[_SC_STATES[state.group(2)]]))
            name = display = None
    return services


def matches(pattern: str, display_name: str) -> bool:
    return fnmatch.fnmatchcase(display_name.casefold(), pattern.casefold())


def windows_commands(pattern: str) -> ServiceCommands:
    return ServiceCommands(
        powershell=["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", POWERSHELL_SCRIPT],
        sc=["sc.exe", "query", "state=", "all"],
        env=dict(os.environ, **{PATTERN_ENV: pattern}),
        service_manager=service_manager_services,
    )


async def list_services(pattern: str, ctx: CheckContext, commands: ServiceCommands) -> tuple[list[Service], str]:
    """(services whose display name matches, "service manager" | "powershell" | "sc");
    ServiceQueryError when none of them works."""
    if commands.service_manager is not None:
        try:
            return await asyncio.to_thread(commands.service_manager, pattern), "service manager"
        except ServiceQueryError as exc:
            ctx.log(t("service.manager_failed", ctx.lang, error=exc))
    try:
        code, out, err = await capture(commands.powershell, env=commands.env)
        if code == 0:
            try:
                return parse_get_service_json(out), "powershell"
            except ValueError as exc:
                ctx.log(f"PowerShell: {exc}")
        else:
            ctx.log(f"PowerShell exit code {code}: {(err.strip().splitlines() or [''])[-1]}")
    except OSError as exc:
        ctx.log(t("service.no_powershell", ctx.lang, reason=exc.strerror or exc))
    try:
        code, out, err = await capture(commands.sc, env=commands.env)
    except OSError as exc:
        raise ServiceQueryError(f"sc.exe: {exc.strerror or exc}") from None
    if code != 0:
        raise ServiceQueryError(f"sc.exe exit code {code}: {(out + err).strip()[:300]}")
    return [s for s in parse_sc_query(out) if matches(pattern, s.display_name)], "sc"


def _describe(service: Service) -> str:
    return f"'{service.display_name}' ({service.name}): {service.status}"


def _start_hint(ctx: CheckContext, services: list[Service]) -> str:
    names = ", ".join(s.name for s in services)
    hint = t("service.start_hint", ctx.lang, names=names)
    if any(s.start_type == "Disabled" for s in services):
        hint += t("service.disabled", ctx.lang)
    return hint


async def check_services(params: Params, ctx: CheckContext, commands: ServiceCommands) -> CheckResult:
    try:
        services, source = await list_services(params.pattern, ctx, commands)
    except ServiceQueryError as exc:
        return CheckResult(status="fail", message=t("service.list_failed", ctx.lang, error=exc),
                           evidence={"pattern": params.pattern})
    for service in services:
        ctx.log(_describe(service))
    evidence = {"pattern": params.pattern, "source": source, "services": [asdict(s) for s in services]}
    if not services:
        return CheckResult(
            status="fail",
            message=t("service.none", ctx.lang, pattern=params.pattern),
            hint=t("service.none_hint", ctx.lang),
            evidence=evidence,
        )
    not_running = [s for s in services if s.status != "Running"]
    starting = [s for s in not_running if s.status in ("StartPending", "ContinuePending")]
    listed = "; ".join(_describe(s) for s in services)
    if not not_running:
        return CheckResult(status="ok", message=t("service.running", ctx.lang, listed=listed), evidence=evidence)
    several = len(services) > 1
    if several:
        message = t("service.several", ctx.lang, n=len(services), pattern=params.pattern, listed=listed)
        hint = _start_hint(ctx, not_running) + t("service.more_specific", ctx.lang)
        return CheckResult(status="warn", message=message, hint=hint, evidence=evidence)
    if starting:
        return CheckResult(status="warn", message=t("service.starting", ctx.lang, listed=listed),
                           hint=t("service.check_again", ctx.lang), evidence=evidence)
    return CheckResult(status="fail", message=t("service.not_running", ctx.lang, listed=listed),
                       hint=_start_hint(ctx, not_running), evidence=evidence)


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    if os.name != "nt":
        return CheckResult(
            status="na",
            message=t("service.na", ctx.lang),
            evidence={"pattern": params.pattern},
        )
    return await check_services(params, ctx, windows_commands(params.pattern))
