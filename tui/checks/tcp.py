"""Can this server open a TCP connection to host:port? (e.g. the AccountView Communication Service)

Resolves the name, then tries each address in turn until one accepts; tells apart "no such name",
"nothing listens there" (refused) and "no answer at all" (a firewall dropping packets).
"""

from __future__ import annotations

import asyncio
import socket
import time

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from tui.checks.base import CheckContext, CheckResult, refusal

TITLE = {"nl": "TCP-verbinding", "en": "TCP connection"}
KIND = "check"
DEFAULT_TIMEOUT = 10.0
DEADLINE_PARAM = "timeout"  # the timeout parameter, when given, is the whole deadline


class Params(BaseModel):
    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    timeout: float | None = Field(default=None, gt=0)

    @field_validator("host")
    @classmethod
    def _plain_host(cls, value: str, info: ValidationInfo) -> str:
        host = value.strip().removeprefix("[").removesuffix("]")
        if not host or "/" in host or any(char.isspace() for char in host):
            raise ValueError(refusal(info, "tcp.not_a_host"))
        return host


def endpoint(host: str, port: int) -> str:
    """host:port, with IPv6 addresses in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    target = endpoint(params.host, params.port)
    evidence: dict = {"host": params.host, "port": params.port, "addresses": [], "attempts": []}
    addresses = await _resolve(params, ctx, evidence)
    if isinstance(addresses, CheckResult):
        return addresses

    outcomes: list[str] = []
    for index, (family, address) in enumerate(addresses):
        # share what is left among the addresses still to try, so one dead address cannot eat it all
        wait = ctx.budget() / (len(addresses) - index)
        outcome, detail, millis = await _connect(family, address, params.port, wait, ctx)
        where = endpoint(address, params.port)
        outcomes.append(outcome)
        evidence["attempts"].append({"address": address, "outcome": outcome, "ms": millis, "detail": detail})
        if outcome == "ok":
            ctx.log(ctx.t(f"verbonden met {where} in {millis} ms", f"connected to {where} in {millis} ms"))
            evidence["connect_ms"] = millis
            return CheckResult(
                status="ok",
                message=ctx.t(f"{target} bereikbaar in {millis} ms", f"{target} reachable in {millis} ms"),
                evidence=evidence,
            )
        ctx.log(ctx.t(f"{where}: {detail} (na {millis} ms)", f"{where}: {detail} (after {millis} ms)"))
    return _failure(target, outcomes, evidence, ctx)


async def _resolve(params: Params, ctx: CheckContext, evidence: dict) -> list[tuple[int, str]] | CheckResult:
    """The addresses of the host (each once, in the resolver's order), or a fail result."""
    ctx.log(ctx.t(f"{params.host} opzoeken ...", f"resolving {params.host} ..."))
    started = time.monotonic()
    try:
        async with asyncio.timeout(ctx.budget()):
            infos = await asyncio.get_running_loop().getaddrinfo(params.host, params.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, TimeoutError, UnicodeError) as exc:
        if isinstance(exc, TimeoutError):
            detail = ctx.t("geen antwoord van DNS", "no answer from DNS")
        elif isinstance(exc, UnicodeError):  # rejected before any lookup, e.g. a label over 63 characters
            detail = ctx.t("ongeldige hostnaam", "invalid host name")
        else:
            detail = exc.strerror or str(exc)
        ctx.log(ctx.t(f"opzoeken mislukt: {detail}", f"lookup failed: {detail}"))
        return CheckResult(
            status="fail",
            message=ctx.t(f"{params.host} niet gevonden: {detail}", f"{params.host} not found: {detail}"),
            hint=ctx.t(
                "Controleer de hostnaam (typefout?) en de DNS-instellingen van deze server; "
                "probeer eventueel het IP-adres.",
                "Check the host name (a typo?) and this server's DNS settings; or try the IP address.",
            ),
            evidence=evidence | {"failure": "dns"},
        )
    addresses: list[tuple[int, str]] = []
    for family, _, _, _, sockaddr in infos:
        if (family, sockaddr[0]) not in addresses:
            addresses.append((family, sockaddr[0]))
    millis = round((time.monotonic() - started) * 1000)
    evidence["addresses"] = [address for _, address in addresses]
    ctx.log(ctx.t(f"gevonden in {millis} ms:", f"resolved in {millis} ms:"))
    for family, address in addresses:
        ctx.log(f"  {address} ({'IPv6' if family == socket.AF_INET6 else 'IPv4'})")
    return addresses


async def _connect(family: int, address: str, port: int, wait: float, ctx: CheckContext) -> tuple[str, str, int]:
    """(outcome, detail, milliseconds) of one connection attempt; outcome ok/refused/timeout/error."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(wait):
            _, writer = await asyncio.open_connection(address, port, family=family)
    except ConnectionRefusedError:
        outcome, detail = "refused", ctx.t("verbinding geweigerd", "connection refused")
    except TimeoutError:
        outcome, detail = "timeout", ctx.t(f"geen antwoord binnen {wait:.1f} s", f"no answer within {wait:.1f} s")
    except OSError as exc:
        outcome, detail = "error", exc.strerror or str(exc)
    else:
        outcome, detail = "ok", ""
        await _close(writer)
    return outcome, detail, round((time.monotonic() - started) * 1000)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass  # the peer reset the connection: it is closed either way


def _failure(target: str, outcomes: list[str], evidence: dict, ctx: CheckContext) -> CheckResult:
    if all(outcome == "refused" for outcome in outcomes):
        kind = "refused"
        message = ctx.t(f"{target}: verbinding geweigerd", f"{target}: connection refused")
        hint = ctx.t(
            "Er luistert niets op deze poort: is de AccountView Communication Service gestart? "
            "Klopt het poortnummer?",
            "The service is not listening: is the AccountView Communication Service started? "
            "Is the port right?",
        )
    elif "timeout" in outcomes:
        kind = "timeout"
        message = ctx.t(f"{target}: geen antwoord (time-out)", f"{target}: no answer (timed out)")
        hint = ctx.t(
            "Een firewall laat de pakketten stilletjes vallen, of de host staat uit of is vanaf dit "
            "netwerk niet bereikbaar. Controleer de Windows Firewall op de server (inkomende regel "
            "voor deze poort) en firewalls daartussen.",
            "A firewall drops the packets silently, or the host is down or not reachable from this "
            "network. Check the Windows Firewall on the server (an inbound rule for this port) and "
            "any firewall in between.",
        )
    else:
        kind = "error"
        details = "; ".join(attempt["detail"] for attempt in evidence["attempts"])
        message = ctx.t(f"{target}: geen verbinding ({details})", f"{target}: no connection ({details})")
        hint = ctx.t(
            "Deze server heeft geen route naar de host: controleer het netwerk (adres, gateway, VPN).",
            "This server has no route to the host: check the network (address, gateway, VPN).",
        )
    return CheckResult(status="fail", message=message, hint=hint, evidence=evidence | {"failure": kind})
