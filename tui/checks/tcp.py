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
from tui.text import t

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
            ctx.log(t("tcp.connected_ms", ctx.lang, where=where, millis=millis))
            evidence["connect_ms"] = millis
            return CheckResult(
                status="ok",
                message=t("tcp.reachable_ms", ctx.lang, target=target, millis=millis),
                evidence=evidence,
            )
        ctx.log(t("tcp.after_ms", ctx.lang, where=where, detail=detail, millis=millis))
    return _failure(target, outcomes, evidence, ctx)


async def _resolve(params: Params, ctx: CheckContext, evidence: dict) -> list[tuple[int, str]] | CheckResult:
    """The addresses of the host (each once, in the resolver's order), or a fail result."""
    ctx.log(t("tcp.resolving", ctx.lang, host=params.host))
    started = time.monotonic()
    try:
        async with asyncio.timeout(ctx.budget()):
            infos = await asyncio.get_running_loop().getaddrinfo(params.host, params.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, TimeoutError, UnicodeError) as exc:
        if isinstance(exc, TimeoutError):
            detail = t("https.dns_no_answer", ctx.lang)
        elif isinstance(exc, UnicodeError):  # rejected before any lookup, e.g. a label over 63 characters
            detail = t("https.dns_bad_name", ctx.lang)
        else:
            detail = exc.strerror or str(exc)
        ctx.log(t("tcp.lookup_failed", ctx.lang, detail=detail))
        return CheckResult(
            status="fail",
            message=t("tcp.not_found", ctx.lang, host=params.host, detail=detail),
            hint=t("tcp.check_host_name_typo", ctx.lang),
            evidence=evidence | {"failure": "dns"},
        )
    addresses: list[tuple[int, str]] = []
    for family, _, _, _, sockaddr in infos:
        if (family, sockaddr[0]) not in addresses:
            addresses.append((family, sockaddr[0]))
    millis = round((time.monotonic() - started) * 1000)
    evidence["addresses"] = [address for _, address in addresses]
    ctx.log(t("tcp.resolved_ms", ctx.lang, millis=millis))
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
        outcome, detail = "refused", t("tcp.connection_refused", ctx.lang)
    except TimeoutError:
        outcome, detail = "timeout", t("tcp.no_answer_within_s", ctx.lang, wait=wait)
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
        message = t("https.refused", ctx.lang, target=target)
        hint = t("tcp.service_not_listening_accountview", ctx.lang)
    elif "timeout" in outcomes:
        kind = "timeout"
        message = t("tcp.no_answer_timed_out", ctx.lang, target=target)
        hint = t("tcp.firewall_drops_packets_silently", ctx.lang)
    else:
        kind = "error"
        details = "; ".join(attempt["detail"] for attempt in evidence["attempts"])
        message = t("tcp.no_connection", ctx.lang, target=target, details=details)
        hint = t("tcp.server_has_no_route", ctx.lang)
    return CheckResult(status="fail", message=message, hint=hint, evidence=evidence | {"failure": kind})
