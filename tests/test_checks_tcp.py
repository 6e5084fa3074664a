"""The tcp check against real loopback sockets (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
from collections.abc import Callable

import pytest

from tui.checks.base import LogLine
from tui.checks.engine import run_check

from tests.netservers import HOST, ROOT, Server, full_backlog, hold, refused_port


def collector() -> tuple[list[str], Callable]:
    lines: list[str] = []
    return lines, lambda event: lines.append(event.text) if isinstance(event, LogLine) else None


async def test_open_port_is_reachable_and_the_connection_is_closed_again() -> None:
    lines, emit = collector()
    async with Server(hold) as server:
        result = await run_check("tcp", {"host": HOST, "port": server.port}, lang="en", emit=emit)
        assert result.status == "ok", result
        assert re.fullmatch(rf"127\.0\.0\.1:{server.port} reachable in \d+ ms", result.message)
        # the check closed its side properly: the server reads EOF
        await asyncio.wait_for(server.client_gone.wait(), 2)
    assert server.connections == 1
    assert lines[0] == "resolving 127.0.0.1 ..." and "  127.0.0.1 (IPv4)" in lines
    assert any(line.startswith(f"connected to 127.0.0.1:{server.port} in ") for line in lines)
    assert result.evidence["addresses"] == [HOST] and result.evidence["connect_ms"] >= 0


async def test_dutch_message() -> None:
    async with Server(hold) as server:
        result = await run_check("tcp", {"host": HOST, "port": server.port})
    assert re.fullmatch(rf"127\.0\.0\.1:{server.port} bereikbaar in \d+ ms", result.message)


@pytest.mark.parametrize(
    ("lang", "hint"),
    [
        ("en", "is the AccountView Communication Service started? Is the port right?"),
        ("nl", "is de AccountView Communication Service gestart? Klopt het poortnummer?"),
    ],
)
async def test_refused_port_points_at_the_service(lang: str, hint: str) -> None:
    port = refused_port()
    # Windows retries a refused connect for about 2 s: a deadline well above that
    result = await run_check("tcp", {"host": HOST, "port": port}, lang=lang, timeout=8)
    assert result.status == "fail"
    assert result.message == f"127.0.0.1:{port}: " + ("connection refused" if lang == "en" else "verbinding geweigerd")
    assert hint in result.hint
    assert result.evidence["failure"] == "refused"
    assert result.evidence["attempts"][0]["outcome"] == "refused"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a full accept queue drops SYNs only on Linux")
async def test_dropped_packets_time_out_with_the_firewall_hint() -> None:
    lines, emit = collector()
    with full_backlog() as port:
        result = await run_check("tcp", {"host": HOST, "port": port}, lang="en", emit=emit, timeout=0.6)
    assert result.status == "fail", result
    # its own timeout fires before the engine's deadline (which would say "deadline of 0.6 s reached")
    assert result.message == f"127.0.0.1:{port}: no answer (timed out)"
    assert "firewall" in result.hint
    assert result.evidence["failure"] == "timeout"
    assert any("no answer within" in line for line in lines)


async def test_an_impossible_name_fails_as_a_name_problem() -> None:
    # a label longer than 63 characters: refused before any lookup leaves this machine
    host = "a" * 64 + ".test"
    result = await run_check("tcp", {"host": host, "port": 443}, lang="en")
    assert result.status == "fail"
    assert result.message == f"{host} not found: invalid host name"
    assert "DNS" in result.hint and result.evidence["failure"] == "dns"


async def test_brackets_around_an_ipv6_style_host_are_dropped() -> None:
    async with Server(hold) as server:
        result = await run_check("tcp", {"host": f"[{HOST}]", "port": str(server.port)}, lang="en")
    assert result.status == "ok" and result.evidence["host"] == HOST


def test_headless_probe_needs_nothing_but_run_check() -> None:
    """What `koppel probe tcp HOST PORT` does: asyncio.run(run_check(...)) in a fresh process."""
    with socket.create_server((HOST, 0)) as listener:
        port = listener.getsockname()[1]
        code = (
            "import asyncio, json, sys\n"
            "from tui.checks.engine import run_check\n"
            "lines = []\n"
            f"result = asyncio.run(run_check('tcp', {{'host': '{HOST}', 'port': {port}}}, lang='en', emit=lambda e: lines.append(e.text)))\n"
            "print(json.dumps({'result': result.model_dump(), 'lines': lines, 'textual': 'textual' in sys.modules}))\n"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["result"]["status"] == "ok"
    assert report["lines"] and not report["textual"]
