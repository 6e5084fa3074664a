"""windows_service: parsing recorded outputs (tests/data/README.md) and the real subprocess path."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tui.checks import windows_service
from tui.checks.base import CheckContext, LogLine
from tui.checks.windows_service import (
    Params,
    Service,
    ServiceCommands,
    check_services,
    parse_get_service_json,
    parse_sc_query,
)

DATA = Path(__file__).parent / "data"
ACS = "AccountView Communication*"


def printer(name: str) -> list[str]:
    """A real process that prints a recorded output, standing in for PowerShell or sc.exe."""
    return [sys.executable, "-c", "import sys; sys.stdout.write(open(sys.argv[1], encoding='utf-8').read())", str(DATA / name)]


def missing_program(tmp_path: Path) -> list[str]:
    return [str(tmp_path / "no-such-dir" / "powershell.exe"), "-NoProfile"]


def test_get_service_single_object_with_names() -> None:
    assert parse_get_service_json((DATA / "get_service_running.json").read_text()) == [
        Service("ExampleAcsService", "AccountView Communication Service", "Running", "Automatic")
    ]


def test_get_service_enums_as_numbers() -> None:
    [service] = parse_get_service_json((DATA / "get_service_stopped.json").read_text())
    assert (service.status, service.start_type) == ("Stopped", "Automatic")


def test_get_service_array_and_empty() -> None:
    several = parse_get_service_json((DATA / "get_service_several.json").read_text())
    assert [(s.name, s.status, s.start_type) for s in several] == [
        ("ExampleAcsService", "Running", "Automatic"),
        ("ExampleAcsService2", "Stopped", "Disabled"),
    ]
    assert parse_get_service_json((DATA / "get_service_none.json").read_text()) == []
    assert parse_get_service_json("\ufeff[]\r\n") == []


def test_get_service_rejects_other_output() -> None:
    with pytest.raises(ValueError):
        parse_get_service_json("Get-Service : Cannot find any service")
    with pytest.raises(ValueError):
        parse_get_service_json('{"Foo": 1}')


def test_sc_query_english() -> None:
    services = parse_sc_query((DATA / "sc_query_running.txt").read_text())
    assert [(s.name, s.display_name, s.status) for s in services] == [
        ("AudioSrv", "Windows Audio", "Running"),
        ("ExampleAcsService", "AccountView Communication Service", "Running"),
        ("ExampleGatewayService", "Visma On Premises Gateway", "Stopped"),
        ("Spooler", "Print Spooler", "Running"),
    ]


def test_sc_query_dutch_labels() -> None:
    services = parse_sc_query((DATA / "sc_query_nl.txt").read_text())
    assert [(s.name, s.display_name, s.status) for s in services] == [
        ("AudioSrv", "Windows Audio", "Running"),
        ("ExampleAcsService", "AccountView Communication Service", "Stopped"),
    ]


def test_sc_query_error_output_has_no_services() -> None:
    assert parse_sc_query("[SC] OpenSCManager FAILED 5:\r\n\r\nAccess is denied.\r\n") == []


def test_display_name_glob_is_case_insensitive() -> None:
    assert windows_service.matches("accountview communication*", "AccountView Communication Service")
    assert windows_service.matches("Visma On Premises Gateway", "visma on premises gateway")
    assert not windows_service.matches(ACS, "AccountView Update Service")


def test_powershell_script_takes_the_pattern_as_data() -> None:
    commands = windows_service.windows_commands("Evil'; Remove-Item C:\\ *")
    assert "Evil" not in " ".join(commands.powershell)
    assert commands.env is not None and commands.env[windows_service.PATTERN_ENV] == "Evil'; Remove-Item C:\\ *"


async def check(commands: ServiceCommands, lang: str = "en", pattern: str = ACS):
    lines: list[str] = []
    ctx = CheckContext(lang=lang, emit=lambda e: lines.append(e.text) if isinstance(e, LogLine) else None)
    return await check_services(Params(pattern=pattern), ctx, commands), lines


async def test_running_via_powershell_subprocess() -> None:
    result, lines = await check(ServiceCommands(printer("get_service_running.json"), printer("sc_query_nl.txt")))
    assert result.status == "ok"
    assert result.evidence["source"] == "powershell"
    assert "'AccountView Communication Service' (ExampleAcsService): Running" in lines


async def test_stopped_names_the_real_service_in_the_hint() -> None:
    result, _ = await check(ServiceCommands(printer("get_service_stopped.json"), []), lang="nl")
    assert result.status == "fail"
    assert result.message.startswith("Niet actief")
    assert "Start-Service -Name ExampleAcsService" in result.hint and "services.msc" in result.hint


async def test_several_matches_are_listed() -> None:
    result, _ = await check(ServiceCommands(printer("get_service_several.json"), []))
    assert result.status == "warn"
    assert "2 services match" in result.message
    assert "ExampleAcsService2" in result.message and "Disabled" in result.hint
    assert len(result.evidence["services"]) == 2


async def test_none_found() -> None:
    result, _ = await check(ServiceCommands(printer("get_service_none.json"), []))
    assert result.status == "fail"
    assert "No service found" in result.message
    assert "services.msc" in result.hint and "pattern" in result.hint


async def test_falls_back_to_sc_when_powershell_is_missing(tmp_path: Path) -> None:
    result, lines = await check(ServiceCommands(missing_program(tmp_path), printer("sc_query_running.txt")))
    assert any("PowerShell not available" in line for line in lines)
    assert result.evidence["source"] == "sc"
    assert result.status == "ok"
    assert [s["name"] for s in result.evidence["services"]] == ["ExampleAcsService"]  # filtered by the pattern


async def test_falls_back_to_sc_when_powershell_fails(tmp_path: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('language mode\\n'); sys.exit(1)"]
    result, lines = await check(ServiceCommands(failing, printer("sc_query_nl.txt")))
    assert "PowerShell exit code 1: language mode" in lines
    assert (result.status, result.evidence["source"]) == ("fail", "sc")
    assert "Start-Service -Name ExampleAcsService" in result.hint


async def test_neither_command_works(tmp_path: Path) -> None:
    result, _ = await check(ServiceCommands(missing_program(tmp_path), missing_program(tmp_path)))
    assert result.status == "fail"
    assert result.message.startswith("Listing services failed: sc.exe")


def gateway_pattern() -> str:
    """The built-in playbook's pattern for the gateway's service (step wizard.gateway_dienst)."""
    from tui.playbook.loader import load_builtin

    step = load_builtin().step("wizard.gateway_dienst")
    assert step is not None and step.field("patroon") is not None
    return step.field("patroon").default  # type: ignore[union-attr]


async def test_the_gateway_under_its_newer_name_via_powershell() -> None:
    """Newer Visma documentation calls it "Visma Cloud Gateway (tidl. Visma On Premises Gateway)"."""
    result, lines = await check(ServiceCommands(printer("get_service_cloud_gateway.json"), []), pattern=gateway_pattern())
    assert result.status == "ok", result
    assert "'Visma Cloud Gateway' (ExampleGatewayService): Running" in lines


@pytest.mark.parametrize("recording, display_name, status", [
    ("sc_query_cloud_gateway.txt", "Visma Cloud Gateway", "ok"),  # the newer name, running
    ("sc_query_running.txt", "Visma On Premises Gateway", "fail"),  # the note's name, stopped
])
async def test_the_gateway_under_either_name_via_sc(tmp_path: Path, recording: str, display_name: str, status: str) -> None:
    result, _ = await check(ServiceCommands(missing_program(tmp_path), printer(recording)), pattern=gateway_pattern())
    assert (result.status, result.evidence["source"]) == (status, "sc"), result
    assert [s["display_name"] for s in result.evidence["services"]] == [display_name]  # not its neighbours


@pytest.mark.skipif(os.name == "nt", reason="Windows has a service manager")
async def test_without_a_service_manager_powershell_answers() -> None:
    commands = ServiceCommands(printer("get_service_running.json"), [], service_manager=windows_service.service_manager_services)
    result, lines = await check(commands)
    assert "no Windows service manager here; using PowerShell." in lines
    assert (result.status, result.evidence["source"]) == ("ok", "powershell")


# --- the service manager for real (Windows; under Wine its own services and one made here)

WINDOWS_ONLY = pytest.mark.skipif(os.name != "nt", reason="the Windows service manager")


@pytest.fixture
def rpc_running() -> None:
    """RPC runs on every Windows (it cannot be stopped there); Wine starts it on demand (start type
    Manual), so a fresh wineserver has it stopped: started here (on Windows: "already running")."""
    import subprocess

    import psutil

    subprocess.run(["sc.exe", "start", "RpcSs"], capture_output=True, timeout=60)
    deadline = time.monotonic() + 60  # a start takes a moment: wait for it, never judge its time
    while psutil.win_service_get("RpcSs").status() != "running":
        assert time.monotonic() < deadline, "RpcSs did not start"
        time.sleep(0.1)


@WINDOWS_ONLY
async def test_a_running_service_found_by_display_name(rpc_running) -> None:
    """Wine's RPC service is "Remote Procedure Call (RPC)", as on Windows."""
    result = await windows_service.run(Params(pattern="remote procedure call (rpc)"), CheckContext(lang="en"))
    assert (result.status, result.evidence["source"]) == ("ok", "service manager"), result
    [service] = result.evidence["services"]
    assert service["name"] == "RpcSs" and service["status"] == "Running" and service["start_type"] in ("Automatic", "Manual")


@pytest.fixture
def make_service():
    """Services made for the test with sc.exe (an administrator's console; Wine's user is one),
    stopped, deleted afterwards. make(display name) -> its service name."""
    import subprocess
    import uuid

    made: list[str] = []

    def make(display: str) -> str:
        name = f"koppeltest{uuid.uuid4().hex[:8]}"
        done = subprocess.run(["sc.exe", "create", name, "binPath=", sys.executable, "DisplayName=", display, "start=", "demand"],
                              capture_output=True, timeout=60)
        if done.returncode != 0:
            pytest.skip(f"sc.exe create: {done.stdout!r} (not an administrator?)")
        made.append(name)
        return name

    yield make
    for name in made:
        subprocess.run(["sc.exe", "delete", name], capture_output=True, timeout=60)


@WINDOWS_ONLY
async def test_a_stopped_service_fails_with_its_real_name_in_the_hint(make_service) -> None:
    import uuid

    display = f"koppel test service {uuid.uuid4().hex[:8]}"
    name = make_service(display)
    result = await windows_service.run(Params(pattern=display), CheckContext(lang="en"))
    assert result.status == "fail" and result.evidence["source"] == "service manager", result
    assert result.evidence["services"] == [{"name": name, "display_name": display, "status": "Stopped", "start_type": "Manual"}]
    assert f"Start-Service -Name {name}" in result.hint


@WINDOWS_ONLY
async def test_the_service_manager_finds_the_gateway_under_either_name(make_service) -> None:
    """The playbook's pattern against the service manager: the note's name and the newer one."""
    import uuid

    mark = uuid.uuid4().hex[:8]  # these two, not what an earlier run may have left
    older = make_service(f"Visma On Premises Gateway {mark}")
    newer = make_service(f"Visma Cloud Gateway (tidl. Visma On Premises Gateway) {mark}")
    make_service(f"Visma Gateway Updater {mark}")  # a pattern's near miss: no second word before "Gateway"
    result = await windows_service.run(Params(pattern=gateway_pattern()), CheckContext(lang="en"))
    assert result.evidence["source"] == "service manager", result
    found = {s["name"] for s in result.evidence["services"] if s["display_name"].endswith(mark)}
    assert found == {older, newer}
    assert result.status == "warn" and older in result.hint and newer in result.hint, result  # both stopped: start them


@pytest.mark.skipif(os.name == "nt", reason="the off-Windows answer")
async def test_run_is_not_applicable_off_windows() -> None:
    result = await windows_service.run(Params(pattern=ACS), CheckContext(lang="en"))
    assert result.status == "na"
    assert "services.msc" in result.message


def test_pattern_is_required() -> None:
    with pytest.raises(ValueError):
        Params(pattern="")
