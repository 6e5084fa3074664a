"""Can this server reach an HTTPS service (Visma Connect by default), and how does the road look?

Logs every stage so an admin can see where it breaks: name lookup, proxy, TCP connect, TLS
(version, cipher, certificate), HTTP status, timings. TLS is verified against the operating
system's certificate store (truststore), so a company root installed in Windows is trusted and
TLS interception by a company proxy works once that root is installed. koppel never disables
verification.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import socket
import ssl
import time
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import SplitResult, urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, SecretStr, ValidationInfo, model_validator

from tui import __version__
from tui.checks.base import CheckContext, CheckResult, worst
from tui.checks.certificate import peer_certificate
from tui.safe_text import safe, safe_bytes
from tui.secrets import mask_url

TITLE = {"nl": "HTTPS-verbinding", "en": "HTTPS connection"}
KIND = "check"
DEFAULT_TIMEOUT = 20.0
DEADLINE_PARAM = "timeout"  # the timeout parameter, when given, is the whole deadline
# Visma Connect, the Visma.net sign-in, publishes its OpenID configuration here: a public endpoint
# that answers quickly (see shared/reference/README.md).
DEFAULT_URL = "https://connect.visma.com/.well-known/openid-configuration"
# Visma's status page lists "Visma Connect" and "Visma.net AutoReport" (shared/reference/README.md).
STATUS_PAGE = "https://status.visma.com/"
EXPIRY_WARNING_DAYS = 14
BODY_LIMIT = 1 << 20  # enough for any configuration document; we only need to see the answer arrive
# OpenSSL reasons for "the other side only speaks a TLS version below our minimum"
TOO_OLD_REASONS = {
    "UNSUPPORTED_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
    "NO_PROTOCOLS_AVAILABLE",
    "WRONG_SSL_VERSION",
    "VERSION_TOO_LOW",
}


# --- parameters ---------------------------------------------------------------------------------


def _say(info: ValidationInfo, nl: str, en: str) -> str:
    return en if (info.context or {}).get("lang") == "en" else nl


def _blank_is_none(value: Any) -> Any:
    """Forms hand over empty strings for fields the admin left empty."""
    return None if isinstance(value, str) and not value.strip() else value


def _check_port(parts: SplitResult, info: ValidationInfo) -> None:
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise ValueError(_say(info, "ongeldig poortnummer", "invalid port number")) from None


def _https_url(value: str, info: ValidationInfo) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname or "@" in parts.netloc:
        raise ValueError(_say(info, f"moet een https://-adres zijn, bijv. {DEFAULT_URL}", f"must be an https:// address, e.g. {DEFAULT_URL}"))
    _check_port(parts, info)
    return value


def _proxy_url(value: str | None, info: ValidationInfo) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if "://" not in value:
        value = "http://" + value  # admins write proxy.example.local:8080
    parts = urlsplit(value)
    if "@" in value.split("://", 1)[1]:  # also an @ that urlsplit puts in the path: never guess the host
        raise ValueError(
            _say(
                info,
                "zet gebruikersnaam en wachtwoord in proxy_user en proxy_password, niet in het adres",
                "put the user name and password in proxy_user and proxy_password, not in the address",
            )
        )
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(_say(info, "moet een proxy-adres zijn, bijv. http://proxy:8080", "must be a proxy address, e.g. http://proxy:8080"))
    _check_port(parts, info)
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]


class Params(BaseModel):
    url: HttpsUrl = DEFAULT_URL
    extra_urls: list[HttpsUrl] = Field(default_factory=list)
    proxy: Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_proxy_url)] = None
    proxy_user: Annotated[str | None, BeforeValidator(_blank_is_none)] = None
    proxy_password: Annotated[SecretStr | None, BeforeValidator(_blank_is_none)] = None  # secret
    timeout: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _password_needs_user(self, info: ValidationInfo) -> Params:
        if self.proxy_password is not None and not self.proxy_user:
            raise ValueError(_say(info, "proxy_password zonder proxy_user", "proxy_password without proxy_user"))
        return self


# --- the check ----------------------------------------------------------------------------------


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    try:
        ssl_context = make_ssl_context(ctx)
    except OSError as exc:  # ssl.SSLError is an OSError too
        return _with_status_page(_extra_trust_failure(exc, ctx), ctx)
    urls = list(dict.fromkeys([params.url, *params.extra_urls]))
    probes = [UrlProbe(url, params, ssl_context, ctx, tagged=len(urls) > 1) for url in urls]
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(probe.run()) for probe in probes]
    return _combine([task.result() for task in tasks], ctx)


def make_ssl_context(ctx: CheckContext) -> ssl.SSLContext:
    """Verification by the OS trust store, plus SSL_CERT_FILE / SSL_CERT_DIR when set."""
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # the Belastingdienst connection requires TLS 1.2 (shared/reference/README.md): never accept less
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.log(ctx.t("vertrouwen: certificaatarchief van het besturingssysteem", "trust: the operating system's certificate store"))
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if cafile or capath:
        context.load_verify_locations(cafile=cafile, capath=capath)
        for variable, value in (("SSL_CERT_FILE", cafile), ("SSL_CERT_DIR", capath)):
            if value:
                ctx.log(f"  + {variable}={value}")
    return context


def file_trust_context() -> ssl.SSLContext | None:
    """The admin's fallback when the OS store cannot be used: SSL_CERT_FILE / SSL_CERT_DIR alone
    (None when neither is set). Still verified, still TLS 1.2 or newer."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if not (cafile or capath):
        return None
    context = ssl.create_default_context(cafile=cafile, capath=capath)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _extra_trust_failure(exc: OSError, ctx: CheckContext) -> CheckResult:
    where = " / ".join(f"{name}={os.environ[name]}" for name in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(name))
    reason = exc.strerror or str(exc)
    return CheckResult(
        status="fail",
        message=ctx.t(f"{where} is onbruikbaar: {reason}", f"{where} cannot be used: {reason}"),
        hint=ctx.t(
            "Wijs naar een PEM-bestand met het (bedrijfs)rootcertificaat, of haal de variabele weg.",
            "Point it at a PEM file with the (company) root certificate, or remove the variable.",
        ),
        evidence={"failure": "trust_store"},
    )


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

    def log(self, nl: str, en: str | None = None) -> None:
        self.ctx.log(self.prefix + (nl if en is None else self.ctx.t(nl, en)))

    def _lap(self, name: str) -> int:
        """Milliseconds since the last mark, recorded as a timing."""
        millis = round((time.monotonic() - self.mark) * 1000)
        self.evidence["timings_ms"][name] = millis
        return millis

    async def run(self) -> CheckResult:
        import httpx

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
        self.log("het certificaatarchief van het besturingssysteem is onbruikbaar; nu alleen met SSL_CERT_FILE / SSL_CERT_DIR",
                 "the operating system's certificate store cannot be used; now with SSL_CERT_FILE / SSL_CERT_DIR only")
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
        detail = exc.strerror or str(exc)
        self.log(f"{self.phase}: {exc}")
        t = self.ctx.t
        return self._fail(
            "tls_store",
            t(f"TLS met {self.host}: het certificaatarchief van Windows kon het certificaat niet controleren ({detail})",
              f"TLS with {self.host}: the Windows certificate store could not check the certificate ({detail})"),
            t("Uitwijk: zet SSL_CERT_FILE op een PEM-bestand met de rootcertificaten die u vertrouwt (bijv. "
              "geëxporteerd uit certlm.msc); koppel controleert dan tegen dat bestand. Verificatie gaat nooit uit.",
              "Fallback: set SSL_CERT_FILE to a PEM file with the root certificates you trust (e.g. exported "
              "from certlm.msc); koppel then verifies against that file. Verification is never switched off."),
        )

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
            if source == "bypass":
                self.log("proxy: geen (host staat in NO_PROXY / uitzonderingen)", "proxy: none (host is in NO_PROXY / the bypass list)")
            else:
                self.log("proxy: geen", "proxy: none")
            return
        origin = {
            "parameter": self.ctx.t("opgegeven", "given"),
            "environment": self.ctx.t("uit HTTPS_PROXY/ALL_PROXY", "from HTTPS_PROXY/ALL_PROXY"),
            "system": self.ctx.t("uit de systeeminstellingen (Internetopties)", "from the system settings (Internet Options)"),
        }[source]
        user = f", {self.ctx.t('gebruiker', 'user')} {self.params.proxy_user}" if self.params.proxy_user else ""
        self.log(f"proxy: {mask_url(proxy_url)} ({origin}{user})")

    async def _resolve(self, host: str) -> CheckResult | None:
        """Look up the host we connect to (the proxy's when there is one); a fail result if it fails."""
        whose = self.ctx.t(" (de proxy)", " (the proxy)") if self.via_proxy else ""
        self.mark = time.monotonic()
        try:
            async with asyncio.timeout(self.ctx.budget()):
                infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, TimeoutError, UnicodeError) as exc:
            if isinstance(exc, socket.gaierror):
                detail = exc.strerror or str(exc)
            elif isinstance(exc, TimeoutError):
                detail = self.ctx.t("geen antwoord van DNS", "no answer from DNS")
            else:
                detail = self.ctx.t("ongeldige hostnaam", "invalid host name")
            self.log(f"DNS {host}{whose}: {detail}")
            return self._fail(
                "dns",
                self.ctx.t(f"{host}{whose} niet gevonden: {detail}", f"{host}{whose} not found: {detail}"),
                self.ctx.t(
                    "Controleer de naam (typefout?) en de DNS-instellingen van deze server.",
                    "Check the name (a typo?) and this server's DNS settings.",
                ),
            )
        addresses = list(dict.fromkeys(sockaddr[0] for *_, sockaddr in infos))
        self.evidence["addresses"] = addresses
        self.log(f"DNS {host}{whose}: {', '.join(addresses)} ({self._lap('dns')} ms)")
        if self.via_proxy and not _is_address(self.host):
            self.log(
                f"{self.host} wordt door de proxy opgezocht",
                f"the proxy looks up {self.host}",
            )
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
            self.log(f"TCP {where}{role}: {self.ctx.t('verbonden in', 'connected in')} {self._lap('connect')} ms")
        elif name.endswith(".start_tls") and stage == "started":
            self.phase, self.mark = "tls", time.monotonic()
        elif name.endswith(".start_tls") and stage == "complete":
            to_proxy = self.via_proxy and name == "connection.start_tls"  # TLS to an https:// proxy itself
            self.log(f"TLS{' (proxy)' if to_proxy else ''}: {self.ctx.t('handdruk in', 'handshake in')} {self._lap('tls')} ms")
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
                self.log(self.ctx.t(f"eerste antwoord na {waited} ms", f"first answer after {waited} ms"))

    def _describe_tls(self, stream: Any) -> None:
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        if ssl_object is None:
            return
        self.tls_seen = True
        version, (cipher, _, bits) = ssl_object.version(), ssl_object.cipher()
        self.evidence |= {"tls_version": version, "cipher": cipher}
        self.log(f"TLS: {version}, {cipher} ({bits} bits)")
        cert = peer_certificate(ssl_object)
        if cert is None:
            self.log(self.ctx.t("certificaat: details niet leesbaar", "certificate: details not readable"))
            return
        days = cert.days_left()
        self.evidence["certificate"] = {
            "subject": cert.subject,
            "issuer": cert.issuer,
            "not_after": cert.not_after.isoformat(),
            "days_left": days,
            "read_with": cert.read_with,
        }
        self.log(self.ctx.t(f"certificaat voor: {cert.subject}", f"certificate for: {cert.subject}"))
        if cert.alt_names:
            self.log(self.ctx.t(f"  ook geldig voor: {', '.join(cert.alt_names[:8])}", f"  also valid for: {', '.join(cert.alt_names[:8])}"))
        self.log(self.ctx.t(f"  uitgegeven door: {cert.issuer}", f"  issued by: {cert.issuer}"))
        expiry = f"{cert.not_after:%Y-%m-%d}"
        self.log(self.ctx.t(f"  geldig tot {expiry} (nog {days} dagen)", f"  valid until {expiry} ({days} days left)"))
        if days < EXPIRY_WARNING_DAYS:
            self.log(self.ctx.t("  LET OP: verloopt binnenkort", "  WARNING: expires soon"))

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
        self.log(f"HTTP {status} {reason} ({len(body)} bytes, {kind}); {self.ctx.t('totaal', 'total')} {total} ms")
        if "location" in response.headers:  # a redirect is an answer too; where to is worth seeing
            self.log(f"  -> {safe(response.headers['location'])}")
        if status >= 400:
            return self._http_error(status, reason)
        return self._verdict(status, total, bytes(body))

    def _verdict(self, status: int, total: int, body: bytes) -> CheckResult:
        summary = f"{self.url}: HTTP {status} in {total} ms ({self.evidence.get('tls_version', 'TLS')})"
        days = self.evidence.get("certificate", {}).get("days_left")
        if days is not None and days < EXPIRY_WARNING_DAYS:
            return self._warn(
                self.ctx.t(f"{summary}, maar het certificaat verloopt over {days} dagen", f"{summary}, but the certificate expires in {days} days"),
                self.ctx.t(
                    "Meld het aan de beheerder van deze dienst. Is het certificaat van de eigen "
                    "TLS-inspectie (proxy/firewall)? Laat dat dan vernieuwen.",
                    "Tell whoever runs this service. Is it the certificate of your own TLS "
                    "inspection (proxy/firewall)? Then have that renewed.",
                ),
            )
        if status == 200 and self.url.split("?")[0].endswith("/.well-known/openid-configuration"):
            issuer = _openid_issuer(body)
            if issuer is None:
                return self._warn(
                    self.ctx.t(f"{summary}, maar het antwoord is geen OpenID-configuratie", f"{summary}, but the answer is not an OpenID configuration"),
                    self.ctx.t(
                        "Iets anders antwoordde (een blokkeerpagina van de proxy of een portal?). "
                        "Open het adres in een browser op deze server.",
                        "Something else answered (a proxy's block page or a portal?). Open the "
                        "address in a browser on this server.",
                    ),
                )
            self.log(f"OpenID issuer: {issuer}")
        return CheckResult(status="ok", message=summary, evidence=self.evidence)

    # --- failures -------------------------------------------------------------------------------

    def _fail(self, kind: str, message: str, hint: str) -> CheckResult:
        self.evidence["failure"] = kind
        return CheckResult(status="fail", message=message, hint=hint, evidence=self.evidence)

    def _warn(self, message: str, hint: str) -> CheckResult:
        return CheckResult(status="warn", message=message, hint=hint, evidence=self.evidence)

    def _http_error(self, status: int, reason: str) -> CheckResult:
        if status >= 500:
            hint = self.ctx.t("De dienst zelf heeft een storing; probeer het later opnieuw.", "The service itself has a problem; try again later.")
        else:
            hint = self.ctx.t(
                "De server weigert dit verzoek: klopt het adres? Blokkeert een proxy of firewall het?",
                "The server refuses this request: is the address right? Does a proxy or firewall block it?",
            )
        return self._fail("http", f"{self.url}: HTTP {status} {reason}", hint)

    def _timed_out(self, budget: float) -> CheckResult:
        seconds = f"{budget:.1f} s"
        t = self.ctx.t
        self.log(t(f"time-out na {seconds} ({self.phase})", f"timed out after {seconds} ({self.phase})"))
        if self.phase == "connect":
            target = t("de proxy", "the proxy") if self.via_proxy else f"{self.host}:{self.port}"
            return self._fail(
                "timeout",
                t(f"geen TCP-verbinding met {target} binnen {seconds}", f"no TCP connection to {target} within {seconds}"),
                t(
                    "Een firewall laat de pakketten stilletjes vallen, of uitgaand verkeer moet via een proxy.",
                    "A firewall drops the packets silently, or outgoing traffic has to go through a proxy.",
                ),
            )
        if self.phase == "proxy":
            return self._fail(
                "proxy",
                t(f"de proxy antwoordde niet binnen {seconds} op CONNECT", f"the proxy did not answer CONNECT within {seconds}"),
                t("Klopt het proxy-adres (en de poort)?", "Is the proxy address (and port) right?"),
            )
        if self.phase == "tls":
            return self._fail(
                "timeout",
                t(f"TLS-handdruk met {self.host} niet klaar binnen {seconds}", f"TLS handshake with {self.host} not finished within {seconds}"),
                t(
                    "De verbinding kwam tot stand maar TLS niet: een firewall of proxy die het verkeer "
                    "inspecteert, of een verkeerde poort.",
                    "The connection was made but TLS was not: a firewall or proxy inspecting the "
                    "traffic, or a wrong port.",
                ),
            )
        return self._fail(
            "timeout",
            t(f"{self.url}: geen volledig antwoord binnen {seconds}", f"{self.url}: no complete answer within {seconds}"),
            t("De server antwoordt te traag; probeer het later opnieuw.", "The server answers too slowly; try again later."),
        )

    def _unclear_proxy(self, source: str) -> CheckResult:
        t = self.ctx.t
        where = "HTTPS_PROXY/ALL_PROXY" if source == "environment" else t("de systeeminstellingen (Internetopties)",
                                                                          "the system settings (Internet Options)")
        return self._fail(
            "proxy",
            t(f"proxy uit {where}: gebruikersnaam en wachtwoord staan niet URL-gecodeerd in het adres",
              f"proxy from {where}: the user name and password in the address are not URL-encoded"),
            t("Zet gebruikersnaam en wachtwoord in proxy_user en proxy_password, niet in het adres, of codeer "
              "ze daar (/ als %2F, ? als %3F, # als %23, @ als %40).",
              "Put the user name and password in proxy_user and proxy_password, not in the address, or encode "
              "them there (/ as %2F, ? as %3F, # as %23, @ as %40)."),
        )

    def _proxy_refused(self, detail: str, proxy_url: str) -> CheckResult:
        t = self.ctx.t
        if detail.startswith("407"):
            hint = (
                t("De proxy weigert deze aanmelding: controleer proxy-gebruiker en -wachtwoord.", "The proxy refuses this login: check the proxy user and password.")
                if self.params.proxy_user
                else t("De proxy vraagt een aanmelding: vul proxy-gebruiker en -wachtwoord in.", "The proxy asks for a login: fill in the proxy user and password.")
            )
        else:
            hint = t(
                f"De proxy wil of kan geen tunnel naar {self.host}:{self.port} maken: vraag de "
                "netwerkbeheerder dit adres toe te staan.",
                f"The proxy will not or cannot open a tunnel to {self.host}:{self.port}: ask the "
                "network admin to allow this address.",
            )
        return self._fail("proxy", f"proxy {mask_url(proxy_url)}: {detail}", hint)

    def _broken(self, exc: Exception) -> CheckResult:
        """Any other httpx error, told by its cause: TLS, refused, DNS or just gone."""
        t = self.ctx.t
        causes = list(_causes(exc))
        detail = safe(next((str(cause) for cause in reversed(causes) if str(cause)), type(exc).__name__))
        self.log(f"{self.phase}: {detail}")
        verify = next((cause for cause in causes if isinstance(cause, ssl.SSLCertVerificationError)), None)
        if verify is not None:
            reason = verify.verify_message or verify.reason or str(verify)
            return self._fail(
                "tls_verify",
                t(f"TLS-certificaat van {self.host} niet vertrouwd: {reason}", f"TLS certificate of {self.host} not trusted: {reason}"),
                t(
                    "TLS-interceptie? Een proxy of firewall die TLS inspecteert toont een eigen "
                    "certificaat: installeer het rootcertificaat van het bedrijf in het "
                    "Windows-certificaatarchief (Lokale computer > Vertrouwde "
                    "basiscertificeringsinstanties). koppel schakelt verificatie nooit uit.",
                    "TLS interception? A proxy or firewall that inspects TLS shows its own "
                    "certificate: install the company root certificate in the Windows certificate "
                    "store (Local Computer > Trusted Root Certification Authorities). koppel never "
                    "disables verification.",
                ),
            )
        tls = next((cause for cause in causes if isinstance(cause, ssl.SSLError)), None)
        if tls is not None and tls.reason in TOO_OLD_REASONS:
            return self._fail(
                "tls_old",
                t(f"{self.host} spreekt geen TLS 1.2 of nieuwer ({tls.reason})", f"{self.host} does not speak TLS 1.2 or newer ({tls.reason})"),
                t(
                    "Minimaal TLS 1.2 is nodig (de Belastingdienst-koppeling vereist TLS 1.2). Staat er "
                    "een oude proxy of firewall tussen? Die moet TLS 1.2 ondersteunen.",
                    "At least TLS 1.2 is needed (the Belastingdienst connection requires TLS 1.2). Is "
                    "an old proxy or firewall in between? It has to support TLS 1.2.",
                ),
            )
        if tls is not None:
            return self._fail(
                "tls",
                t(f"TLS met {self.host} mislukt: {tls.reason or detail}", f"TLS with {self.host} failed: {tls.reason or detail}"),
                t("Spreekt de server op deze poort wel TLS (https)?", "Does the server speak TLS (https) on this port?"),
            )
        target = t("de proxy", "the proxy") if self.via_proxy and self.phase in {"connect", "proxy"} else f"{self.host}:{self.port}"
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return self._fail(
                "refused",
                t(f"{target}: verbinding geweigerd", f"{target}: connection refused"),
                t(
                    "Er luistert niets op dat adres en die poort: klopt het adres (en het proxy-adres)?",
                    "Nothing listens on that address and port: is the address (and the proxy address) right?",
                ),
            )
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return self._fail(
                "dns",
                t(f"{target} niet gevonden: {detail}", f"{target} not found: {detail}"),
                t("Controleer de naam en de DNS-instellingen van deze server.", "Check the name and this server's DNS settings."),
            )
        return self._fail(
            "connection",
            t(f"{target}: verbinding mislukt ({self.phase}): {detail}", f"{target}: connection failed ({self.phase}): {detail}"),
            t(
                "De verbinding werd onderweg verbroken: een firewall of proxy die dit verkeer niet toestaat?",
                "The connection was broken off on the way: a firewall or proxy that does not allow this traffic?",
            ),
        )


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
    pointer = ctx.t(f"Storingen bij Visma zelf: {STATUS_PAGE}", f"Visma's own status: {STATUS_PAGE}")
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
        message = ctx.t(f"alle {len(results)} adressen bereikbaar (traagste {slowest} ms)", f"all {len(results)} addresses reachable (slowest {slowest} ms)")
    hint = " ".join(dict.fromkeys(result.hint for result in troubled if result.hint))
    return _with_status_page(CheckResult(status=status, message=message, hint=hint, evidence=evidence), ctx)
