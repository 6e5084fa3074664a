"""Can this server reach an HTTPS service (Visma Connect by default), and how does the road look?

Logs every stage so an admin can see where it breaks: name lookup, proxy, TCP connect, TLS
(version, cipher, certificate), HTTP status, timings. TLS is verified against the operating
system's certificate store (truststore), so a company root installed in Windows is trusted and
TLS interception by a company proxy works once that root is installed. koppel never disables
verification.
"""

from __future__ import annotations

import asyncio
import importlib
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from tui import __version__
from tui.checks.base import CheckContext, CheckResult, worst
from tui.checks.https_params import Params
from tui.checks.https_tls import (
    EXPIRY_WARNING_DAYS,
    describe_handshake,
    extra_trust_failure,
    file_trust_context,
    make_ssl_context,
    store_unusable,
    tls_failure,
)
from tui.safe_text import safe, safe_bytes
from tui.secrets import mask_url
from tui.text import t

TITLE = {"nl": "HTTPS-verbinding", "en": "HTTPS connection"}
KIND = "check"
DEFAULT_TIMEOUT = 20.0
DEADLINE_PARAM = "timeout"  # the timeout parameter, when given, is the whole deadline
# Visma's status page lists "Visma Connect" and "Visma.net AutoReport" (shared/reference/README.md).
STATUS_PAGE = "https://status.visma.com/"
BODY_LIMIT = 1 << 20  # enough for any configuration document; we only need to see the answer arrive


# --- the check ----------------------------------------------------------------------------------


def network_stack() -> Any:
    """httpx, with what its first request imports (httpcore, h11, anyio's asyncio backend): imported in
    a thread, so the screen stays live during the first check (the event loop stood still 0.3 s here,
    1.2 s under Wine)."""
    import httpx

    for name in ("httpcore", "h11", "anyio._backends._asyncio", "httpcore._backends.anyio"):
        importlib.import_module(name)
    return httpx


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    try:
        ssl_context = make_ssl_context(ctx)
    except OSError as exc:  # ssl.SSLError is an OSError too
        return _with_status_page(extra_trust_failure(exc, ctx.lang), ctx)
    urls = list(dict.fromkeys([params.url, *params.extra_urls]))
    probes = [UrlProbe(url, params, ssl_context, ctx, tagged=len(urls) > 1) for url in urls]
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(probe.run()) for probe in probes]
    return _combine([task.result() for task in tasks], ctx)


def choose_proxy(url: str, explicit: str | None) -> tuple[str | None, str]:
    """(proxy URL or None, where that choice came from), as this check will use it.

    Without an explicit proxy it reads what httpx's trust_env reads (urllib.request.getproxies():
    HTTPS_PROXY / ALL_PROXY, and on Windows without those the Internet Settings of this user)
    and honours NO_PROXY (or the Windows bypass list); deciding it here means the log names the
    proxy that is really used.
    """
    if explicit:
        return explicit, "parameter"
    import urllib.request

    host = urlsplit(url).hostname or ""
    from_environment = urllib.request.getproxies_environment()
    proxies = from_environment or urllib.request.getproxies()
    found = proxies.get("https") or proxies.get("all")
    if not found:
        return None, "none"
    if urllib.request.proxy_bypass(host):
        return None, "bypass"
    source = "environment" if from_environment else "system"
    return (found if "://" in found else "http://" + found), source


def unclear_user_part(url: str) -> bool:
    """The user part (up to the last @) holds an unencoded '/', '?', '#' or '@': tui.secrets masks it
    whole, but an HTTP stack would take part of the password for the host (looked up, connected to)."""
    user_part = url.split("://", 1)[-1].rpartition("@")[0]
    return any(char in user_part for char in "/?#@")


class UrlProbe:
    """One URL, start to finish: its own log prefix, phases, timings and evidence."""

    def __init__(self, url: str, params: Params, ssl_context: ssl.SSLContext, ctx: CheckContext, *, tagged: bool) -> None:
        self.url = url
        self.params = params
        self.ssl_context = ssl_context
        self.ctx = ctx
        parts = urlsplit(url)
        self.host = parts.hostname or ""
        self.port = parts.port or 443
        self.prefix = f"[{parts.netloc}] " if tagged else ""
        self.phase = "dns"
        self.via_proxy = False
        self.started = self.mark = time.monotonic()
        self.tls_seen = False
        self.sockets: list[Any] = []  # httpcore network streams, closed when the probe ends
        self.evidence: dict[str, Any] = {"url": url, "timings_ms": {}}

    def log(self, text: str) -> None:
        self.ctx.log(self.prefix + text)

    def say(self, key: str, **values: object) -> str:
        """The text table's ``key`` in the admin's language."""
        return t(key, self.ctx.lang, **values)

    def _lap(self, name: str) -> int:
        """Milliseconds since the last mark, recorded as a timing."""
        millis = round((time.monotonic() - self.mark) * 1000)
        self.evidence["timings_ms"][name] = millis
        return millis

    async def run(self) -> CheckResult:
        httpx = await asyncio.to_thread(network_stack)

        self.started = time.monotonic()
        # in a thread: the Windows/macOS bypass lists make urllib look names up, blocking
        proxy_url, source = await asyncio.to_thread(choose_proxy, self.url, self.params.proxy)
        self.via_proxy = proxy_url is not None
        self.evidence["proxy"] = mask_url(proxy_url) if proxy_url else None
        self._log_proxy(proxy_url, source)
        if proxy_url and unclear_user_part(proxy_url):  # a saved address never gets here (_proxy_url)
            return self._unclear_proxy(source)

        lookup = urlsplit(proxy_url).hostname if proxy_url else self.host
        failed = await self._resolve(lookup or "")
        if failed:
            return failed

        proxy: str | httpx.Proxy | None = proxy_url
        if proxy_url and self.params.proxy_user:
            password = self.params.proxy_password.get_secret_value() if self.params.proxy_password else ""
            proxy = httpx.Proxy(proxy_url, auth=(self.params.proxy_user, password))
        try:
            return await self._fetch(proxy, proxy_url)
        except OSError as exc:  # past httpx unwrapped: the OS certificate store failed (truststore, Windows)
            failure = exc
        fallback = file_trust_context()
        if fallback is None:
            return self._store_unusable(failure)
        self.log(f"{self.phase}: {failure}")
        self.log(self.say("https.store_fallback"))
        self.ssl_context = fallback
        try:
            return await self._fetch(proxy, proxy_url)
        except OSError as exc:
            return self._store_unusable(exc)

    async def _fetch(self, proxy: Any, proxy_url: str | None) -> CheckResult:
        import httpx

        budget = self.ctx.budget()
        self.phase = "connect"
        try:
            async with asyncio.timeout(budget):
                async with httpx.AsyncClient(
                    verify=self.ssl_context,
                    proxy=proxy,
                    trust_env=False,  # the proxy is chosen above (choose_proxy), the trust in make_ssl_context
                    timeout=httpx.Timeout(budget),
                    headers={"User-Agent": f"koppel/{__version__}"},
                ) as client:
                    async with client.stream("GET", self.url, extensions={"trace": self._trace}) as response:
                        return await self._answer(response)
        except (TimeoutError, httpx.TimeoutException):
            return self._timed_out(budget)
        except httpx.ProxyError as exc:  # its text quotes the proxy's status line
            return self._proxy_refused(safe(str(exc)), proxy_url or "")
        except httpx.HTTPError as exc:
            return self._broken(exc)
        finally:
            await self._close_sockets()

    def _store_unusable(self, exc: OSError) -> CheckResult:
        """The OS could not check the certificate at all (not "untrusted": the store itself failed)."""
        self.log(f"{self.phase}: {exc}")
        return self._fail("tls_store", *store_unusable(self.host, exc, self.ctx.lang))

    async def _close_sockets(self) -> None:
        """Close what httpx may leave open: httpcore only closes a connection whose TLS handshake
        fails with an error, not one cancelled mid-handshake (our timeout, or the caller's cancel)."""
        for stream in self.sockets:
            try:
                await stream.aclose()
            except Exception:
                pass  # already closed, or broken: either way gone

    def _log_proxy(self, proxy_url: str | None, source: str) -> None:
        if proxy_url is None:
            self.log(self.say("https.proxy_bypassed" if source == "bypass" else "https.proxy_none"))
            return
        origin = self.say(f"https.proxy_from_{source}")
        user = self.say("https.proxy_user", user=self.params.proxy_user) if self.params.proxy_user else ""
        self.log(f"proxy: {mask_url(proxy_url)} ({origin}{user})")

    async def _resolve(self, host: str) -> CheckResult | None:
        """Look up the host we connect to (the proxy's when there is one); a fail result if it fails."""
        whose = self.say("https.whose_proxy") if self.via_proxy else ""
        self.mark = time.monotonic()
        try:
            async with asyncio.timeout(self.ctx.budget()):
                infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, TimeoutError, UnicodeError) as exc:
            if isinstance(exc, socket.gaierror):
                detail = exc.strerror or str(exc)
            elif isinstance(exc, TimeoutError):
                detail = self.say("https.dns_no_answer")
            else:
                detail = self.say("https.dns_bad_name")
            self.log(f"DNS {host}{whose}: {detail}")
            return self._fail("dns", self.say("https.not_found", target=f"{host}{whose}", detail=detail),
                              self.say("https.dns_hint"))
        addresses = list(dict.fromkeys(sockaddr[0] for *_, sockaddr in infos))
        self.evidence["addresses"] = addresses
        self.log(f"DNS {host}{whose}: {', '.join(addresses)} ({self._lap('dns')} ms)")
        if self.via_proxy and not _is_address(self.host):
            self.log(self.say("https.proxy_looks_up", host=self.host))
        return None

    async def _trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace extension: marks the phases as they happen (and what hung, on a timeout)."""
        name, _, stage = event.rpartition(".")
        if name == "connection.connect_tcp" and stage == "started":
            self.phase, self.mark = "connect", time.monotonic()
        elif name == "connection.connect_tcp" and stage == "complete":
            self.sockets.append(info["return_value"])
            address = info["return_value"].get_extra_info("server_addr")
            where = f"{address[0]}:{address[1]}" if address else ""
            role = " (proxy)" if self.via_proxy else ""
            self.log(f"TCP {where}{role}: {self.say('https.connected_in', ms=self._lap('connect'))}")
        elif name.endswith(".start_tls") and stage == "started":
            self.phase, self.mark = "tls", time.monotonic()
        elif name.endswith(".start_tls") and stage == "complete":
            to_proxy = self.via_proxy and name == "connection.start_tls"  # TLS to an https:// proxy itself
            self.log(f"TLS{' (proxy)' if to_proxy else ''}: {self.say('https.handshake_in', ms=self._lap('tls'))}")
            if not to_proxy:
                self._describe_tls(info["return_value"])
        elif name == "http11.send_request_headers" and stage == "started":
            self.mark = time.monotonic()
            if info["request"].method == b"CONNECT":
                self.phase = "proxy"
                self.log(f"proxy: CONNECT {self.host}:{self.port}")
            else:
                self.phase = "response"
        elif name == "http11.receive_response_headers" and stage == "complete":
            _, status, reason, _ = info["return_value"]
            if self.phase == "proxy":
                self.log(f"proxy: {status} {safe_bytes(reason)} ({self._lap('proxy')} ms)")
            else:
                self.phase = "body"
                waited = self._lap("wait")
                self.log(self.say("https.first_answer", ms=waited))

    def _describe_tls(self, stream: Any) -> None:
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        if ssl_object is None:
            return
        self.tls_seen = True
        self.evidence |= describe_handshake(ssl_object, self.log, self.ctx.lang)

    async def _answer(self, response: Any) -> CheckResult:
        if not self.tls_seen:  # the trace did not show the handshake: ask the response's stream
            self._describe_tls(response.extensions.get("network_stream"))
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += chunk
            if len(body) >= BODY_LIMIT:
                break
        # the status line and headers are the server's (or a proxy's) text: made safe here, once
        status, reason = response.status_code, safe(response.reason_phrase)
        total = round((time.monotonic() - self.started) * 1000)
        self.evidence |= {"status_code": status, "bytes": len(body)}
        self.evidence["timings_ms"]["total"] = total
        kind = safe(response.headers.get("content-type", "?"))
        self.log(f"HTTP {status} {reason} ({len(body)} bytes, {kind}); {self.say('https.total', ms=total)}")
        if "location" in response.headers:  # a redirect is an answer too; where to is worth seeing
            self.log(f"  -> {safe(response.headers['location'])}")
        if status >= 400:
            return self._http_error(status, reason)
        return self._verdict(status, total, bytes(body))

    def _verdict(self, status: int, total: int, body: bytes) -> CheckResult:
        summary = f"{self.url}: HTTP {status} in {total} ms ({self.evidence.get('tls_version', 'TLS')})"
        days = self.evidence.get("certificate", {}).get("days_left")
        if days is not None and days < EXPIRY_WARNING_DAYS:
            return self._warn(self.say("https.cert_expires", summary=summary, days=days), self.say("https.cert_expires_hint"))
        if status == 200 and self.url.split("?")[0].endswith("/.well-known/openid-configuration"):
            issuer = _openid_issuer(body)
            if issuer is None:
                return self._warn(self.say("https.not_openid", summary=summary), self.say("https.not_openid_hint"))
            self.log(f"OpenID issuer: {issuer}")
        return CheckResult(status="ok", message=summary, evidence=self.evidence)

    # --- failures -------------------------------------------------------------------------------

    def _fail(self, kind: str, message: str, hint: str) -> CheckResult:
        self.evidence["failure"] = kind
        return CheckResult(status="fail", message=message, hint=hint, evidence=self.evidence)

    def _warn(self, message: str, hint: str) -> CheckResult:
        return CheckResult(status="warn", message=message, hint=hint, evidence=self.evidence)

    def _http_error(self, status: int, reason: str) -> CheckResult:
        hint = self.say("https.http_server_error_hint" if status >= 500 else "https.http_refused_hint")
        return self._fail("http", f"{self.url}: HTTP {status} {reason}", hint)

    def _timed_out(self, budget: float) -> CheckResult:
        seconds = f"{budget:.1f} s"
        self.log(self.say("https.timed_out", seconds=seconds, phase=self.phase))
        if self.phase == "connect":
            target = self.say("https.the_proxy") if self.via_proxy else f"{self.host}:{self.port}"
            return self._fail("timeout", self.say("https.no_tcp_within", target=target, seconds=seconds),
                              self.say("https.no_tcp_within_hint"))
        if self.phase == "proxy":
            return self._fail("proxy", self.say("https.proxy_no_connect", seconds=seconds), self.say("https.proxy_no_connect_hint"))
        if self.phase == "tls":
            return self._fail("timeout", self.say("https.no_tls_within", host=self.host, seconds=seconds),
                              self.say("https.no_tls_within_hint"))
        return self._fail("timeout", self.say("https.no_answer_within", url=self.url, seconds=seconds),
                          self.say("https.no_answer_within_hint"))

    def _unclear_proxy(self, source: str) -> CheckResult:
        where = "HTTPS_PROXY/ALL_PROXY" if source == "environment" else self.say("https.the_system_settings")
        return self._fail("proxy", self.say("https.proxy_unclear", where=where), self.say("https.proxy_unclear_hint"))

    def _proxy_refused(self, detail: str, proxy_url: str) -> CheckResult:
        if detail.startswith("407"):
            hint = self.say("https.proxy_login_refused_hint" if self.params.proxy_user else "https.proxy_login_needed_hint")
        else:
            hint = self.say("https.proxy_no_tunnel_hint", host=self.host, port=self.port)
        return self._fail("proxy", f"proxy {mask_url(proxy_url)}: {detail}", hint)

    def _broken(self, exc: Exception) -> CheckResult:
        """Any other httpx error, told by its cause: TLS, refused, DNS or just gone."""
        causes = list(_causes(exc))
        detail = safe(next((str(cause) for cause in reversed(causes) if str(cause)), type(exc).__name__))
        self.log(f"{self.phase}: {detail}")
        tls = tls_failure(causes, self.host, detail, self.ctx.lang)
        if tls is not None:
            return self._fail(*tls)
        proxy_phase = self.via_proxy and self.phase in {"connect", "proxy"}
        target = self.say("https.the_proxy") if proxy_phase else f"{self.host}:{self.port}"
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return self._fail("refused", self.say("https.refused", target=target), self.say("https.refused_hint"))
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return self._fail("dns", self.say("https.not_found", target=target, detail=detail),
                              self.say("https.dns_check_hint"))
        return self._fail("connection", self.say("https.connection_failed", target=target, phase=self.phase, detail=detail),
                          self.say("https.connection_failed_hint"))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything behind it (httpx -> httpcore -> anyio -> OSError/ssl)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [item for item in (current.__cause__, current.__context__) if item is not None]
        todo += list(getattr(current, "exceptions", ()))


def _openid_issuer(body: bytes) -> str | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    issuer = document.get("issuer") if isinstance(document, dict) else None
    return safe(issuer) if isinstance(issuer, str) else None


def _with_status_page(result: CheckResult, ctx: CheckContext) -> CheckResult:
    if result.status != "fail":
        return result
    pointer = t("https.status_page", ctx.lang, page=STATUS_PAGE)
    return result.model_copy(update={"hint": f"{result.hint} {pointer}".strip()})


def _combine(results: list[CheckResult], ctx: CheckContext) -> CheckResult:
    """One result for all URLs: the worst status, the messages of those that were not ok."""
    evidence = {"urls": [result.evidence for result in results]}
    if len(results) == 1:
        return _with_status_page(results[0].model_copy(update={"evidence": evidence}), ctx)
    status = worst(result.status for result in results)
    troubled = [result for result in results if result.status != "ok"]
    if troubled:
        message = "; ".join(result.message for result in troubled)
    else:
        slowest = max(result.evidence["timings_ms"].get("total", 0) for result in results)
        message = t("https.all_reachable", ctx.lang, n=len(results), ms=slowest)
    hint = " ".join(dict.fromkeys(result.hint for result in troubled if result.hint))
    return _with_status_page(CheckResult(status=status, message=message, hint=hint, evidence=evidence), ctx)
