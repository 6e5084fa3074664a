"""The https check against real loopback TLS servers and a real proxy process (127.0.0.1 only).

The servers use a test CA; SSL_CERT_FILE points at it (as an admin would at a company root),
except where the test is that an unknown CA is refused.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.checks import certificate, https
from tui.checks.base import CheckResult, LogLine
from tui.checks.engine import run_check
from tui.checks.https_params import DEFAULT_URL

from tests.netservers import (
    HOST,
    Certs,
    HandshakeServer,
    ProxyProcess,
    Server,
    Together,
    hold,
    make_certs,
    refused_port,
    respond,
    server_tls,
)

OPENID = "/.well-known/openid-configuration"
SENTINEL = "Pr0xyS3ntinel"


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="session")
def warm_tls(certs: Certs) -> None:
    """One whole check per test process before the first test, without a deadline of note: the first
    check in a process imports httpx and loads the TLS stack (under Wine on loaded cores the Windows
    crypto libraries too: CI saw the first check of a worker reach the default 20 s deadline, the
    tests after it in 1-2 s). The tests are about the road, not a cold start."""
    async def once() -> float:
        async with Server(respond(), tls=server_tls(certs.leaf)) as server:
            started = time.monotonic()
            await run_check("https", {"url": f"https://{HOST}:{server.port}{OPENID}"}, lang="en",
                            emit=lambda event: None, timeout=300)
            return time.monotonic() - started

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SSL_CERT_FILE", str(certs.ca))
        print(f"the first https check of this process: {asyncio.run(once()):.1f} s")


@pytest.fixture(autouse=True)
def trust_test_ca(certs: Certs, warm_tls: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca))
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    with ProxyProcess(tmp_path_factory.mktemp("proxy") / "requests.log") as process:
        yield process


@pytest.fixture(scope="session")
def auth_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    with ProxyProcess(tmp_path_factory.mktemp("auth-proxy") / "requests.log", auth=f"koppel:{SENTINEL}") as process:
        yield process


def collector() -> tuple[list[str], Callable]:
    lines: list[str] = []
    return lines, lambda event: lines.append(event.text) if isinstance(event, LogLine) else None


async def check(params: dict, lang: str = "en", timeout: float | None = None):
    lines, emit = collector()
    result = await run_check("https", params, lang=lang, emit=emit, timeout=timeout)
    return result, lines


STATUS_PAGE = "https://status.visma.com/"


# --- the good road ------------------------------------------------------------------------------


async def test_trusted_server_ok_with_the_whole_road_logged(certs: Certs) -> None:
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        url = f"https://{HOST}:{server.port}{OPENID}"
        started = time.monotonic()
        result, lines = await check({"url": url})
        elapsed = time.monotonic() - started
    print(f"https check against the loopback server: {elapsed * 1000:.0f} ms")
    assert result.status == "ok", result
    assert re.fullmatch(rf"{re.escape(url)}: HTTP 200 in \d+ ms \(TLSv1\.[23]\)", result.message)
    text = "\n".join(lines)
    assert f"  + SSL_CERT_FILE={certs.ca}" in lines
    assert "proxy: none" in lines
    assert f"DNS {HOST}: {HOST} (" in text
    assert re.search(rf"TCP {HOST}:{server.port}: connected in \d+ ms", text)
    assert re.search(r"TLS: TLSv1\.[23], \S+ \(\d+ bits\)", text)
    assert "certificate for: CN=127.0.0.1" in lines
    assert "  issued by: CN=koppel test CA" in lines
    assert re.search(r"valid until \d{4}-\d\d-\d\d \(36[45] days left\)", text)
    assert re.search(r"HTTP 200 OK \(31 bytes, application/json\); total \d+ ms", text)
    assert "OpenID issuer: https://127.0.0.1" in lines
    [evidence] = result.evidence["urls"]
    assert evidence["status_code"] == 200 and evidence["proxy"] is None
    assert evidence["certificate"]["days_left"] in (364, 365)
    assert {"dns", "connect", "tls", "wait", "total"} <= set(evidence["timings_ms"])


async def test_expiring_certificate_is_a_warning(certs: Certs) -> None:
    async with Server(respond(), tls=server_tls(certs.expiring)) as server:
        result, lines = await check({"url": f"https://localhost:{server.port}/"}, lang="nl")
    assert result.status == "warn"
    assert re.search(r"maar het certificaat verloopt over [45] dagen", result.message)
    assert "  LET OP: verloopt binnenkort" in lines


async def test_something_else_than_an_openid_configuration_is_a_warning(certs: Certs) -> None:
    page = respond(body=b"<html>Access denied by policy</html>", content_type="text/html")
    async with Server(page, tls=server_tls(certs.leaf)) as server:
        result, _ = await check({"url": f"https://{HOST}:{server.port}{OPENID}"})
    assert result.status == "warn"
    assert "not an OpenID configuration" in result.message and "block page" in result.hint


# --- failures -----------------------------------------------------------------------------------


async def test_untrusted_certificate_is_refused_never_skipped(certs: Certs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        result, _ = await check({"url": f"https://{HOST}:{server.port}/"})
        result_nl, _ = await check({"url": f"https://{HOST}:{server.port}/"}, lang="nl")
    assert result.status == "fail"
    assert result.message.startswith("TLS certificate of 127.0.0.1 not trusted: ")
    assert "TLS interception?" in result.hint and "koppel never disables verification" in result.hint
    assert STATUS_PAGE in result.hint
    assert result.evidence["urls"][0]["failure"] == "tls_verify"
    assert "koppel schakelt verificatie nooit uit" in result_nl.hint
    assert f"Storingen bij Visma zelf: {STATUS_PAGE}" in result_nl.hint


async def test_unreadable_extra_trust_file_is_one_clear_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "company-root.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    result, _ = await check({"url": "https://127.0.0.1:1/"})
    assert result.status == "fail"
    assert result.message.startswith(f"SSL_CERT_FILE={missing}") and "cannot be used" in result.message
    assert result.evidence["failure"] == "trust_store"


WINE_STORE = "Windows only: truststore's own CA engine (CertCreateCertificateChainEngine with an exclusive root) fails under Wine"


@pytest.mark.skipif(os.name != "nt", reason=WINE_STORE)
async def test_a_certificate_store_that_fails_falls_back_to_ssl_cert_file(certs: Certs) -> None:
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        result, lines = await check({"url": f"https://{HOST}:{server.port}{OPENID}"})
    assert result.status == "ok", result
    assert "the operating system's certificate store cannot be used; now with SSL_CERT_FILE / SSL_CERT_DIR only" in lines


@pytest.mark.skipif(os.name != "nt", reason=WINE_STORE)
async def test_a_certificate_store_that_fails_is_a_clear_tls_failure_naming_the_fallback(
        certs: Certs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(https, "file_trust_context", lambda: None)  # as if SSL_CERT_FILE were not set for the retry
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        result, _ = await check({"url": f"https://{HOST}:{server.port}/"})
    assert result.status == "fail"
    assert result.message.startswith("TLS with 127.0.0.1: the Windows certificate store could not check the certificate (")
    assert "SSL_CERT_FILE" in result.hint and "never switched off" in result.hint
    assert result.evidence["urls"][0]["failure"] == "tls_store"
    assert "unexpected" not in result.hint


async def test_an_impossible_name_fails_as_a_name_problem() -> None:
    host = "a" * 64 + ".test"  # a label over 63 characters: refused before any lookup leaves this machine
    result, lines = await check({"url": f"https://{host}/"})
    assert result.status == "fail"
    assert result.message == f"{host} not found: invalid host name"
    assert result.evidence["urls"][0]["failure"] == "dns" and STATUS_PAGE in result.hint
    assert f"DNS {host}: invalid host name" in lines


async def test_http_500_fails(certs: Certs) -> None:
    async with Server(respond(500, b"oops", "text/plain"), tls=server_tls(certs.leaf)) as server:
        url = f"https://{HOST}:{server.port}/api"
        result, _ = await check({"url": url})
    assert result.status == "fail"
    assert result.message == f"{url}: HTTP 500 Internal Server Error"
    assert "try again later" in result.hint and STATUS_PAGE in result.hint


async def test_refused_port_fails() -> None:
    port = refused_port()
    result, _ = await check({"url": f"https://{HOST}:{port}/"}, timeout=8)
    assert result.status == "fail"
    assert result.message == f"{HOST}:{port}: connection refused"
    assert result.evidence["urls"][0]["failure"] == "refused"


async def test_server_with_only_old_tls_is_too_old(certs: Certs) -> None:
    with HandshakeServer(server_tls(certs.leaf, max_version=ssl.TLSVersion.TLSv1_1)) as server:
        result, _ = await check({"url": f"https://{HOST}:{server.port}/"})
    assert result.status == "fail"
    assert result.message.startswith("127.0.0.1 does not speak TLS 1.2 or newer")
    assert "Belastingdienst" in result.hint
    assert result.evidence["urls"][0]["failure"] == "tls_old"


# The two deadline tests hold by order, not by a time bound: the server has an end of its own, far
# past the deadline (SERVER_END), and tells which came first, the client leaving or its own end. Only
# the check's deadline can make the client leave first; a check that waited for the server would see
# it end. The elapsed time is only bounded from below: never before the budget the message states (a
# little under the deadline: CheckContext.budget), less its rounding to 0.1 s and one clock tick
# (asyncio may run a timer that early: 15.6 ms on Windows).
SERVER_END = 120.0
SLACK = 0.05 + 0.02


def stated_seconds(message: str) -> float:
    return float(re.search(r"within (\d+\.\d) s", message).group(1))  # type: ignore[union-attr]


def until_client_leaves(serve: Callable, ended: asyncio.Future) -> Callable:
    """The handler ``serve`` (never done on its own) with its own end after SERVER_END; ``ended`` gets
    "client left" (EOF, reset, or a write to a closed connection) or "server's own end"."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        try:
            async with asyncio.timeout(SERVER_END):
                await serve(reader, writer)
            outcome = "client left"
        except TimeoutError:
            outcome = "server's own end"
        except (OSError, asyncio.IncompleteReadError):
            outcome = "client left"
        if not ended.done():
            ended.set_result(outcome)

    return handler


async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while await reader.read(4096):  # takes the ClientHello, never answers; returns at EOF
        pass


async def drip_forever(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Headers at once, then one byte of a megabyte body every 50 ms: never done, never idle."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
    while not writer.is_closing():
        await writer.drain()
        writer.write(b"x")
        await asyncio.sleep(0.05)


@dataclass
class DeadlineRun:
    result: CheckResult
    lines: list[str]
    elapsed: float
    outcome: str  # from the server: "client left" or "server's own end"
    deadline: float  # the one it ran under


async def run_into_the_deadline(serve: Callable, expected: str, *, tls: ssl.SSLContext | None = None,
                                deadline: float = 0.5) -> DeadlineRun:
    """The check against a server that never finishes (``serve``) until it fails in the phase under
    test (``expected``, a regex of its message). While the road to that phase takes longer than the
    deadline (the first check in a process imports httpx; under Wine on 2 loaded cores a loopback TLS
    handshake alone took over a second), the check fails earlier, at its deadline in an earlier phase:
    then again with the deadline doubled (also when the server had not yet taken the connection in).
    Only a deadline failure may come earlier."""
    for _ in range(8):  # 0.5 s doubled up to 64 s
        ended: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        async with Server(until_client_leaves(serve, ended), tls=tls) as server:
            url = f"https://{HOST}:{server.port}/"
            started = time.monotonic()
            result, lines = await check({"url": url, "timeout": deadline})
            elapsed = time.monotonic() - started
            print(f"{result.message} after {elapsed:.2f} s")
            reached = server.connected.is_set()  # serve ran: the server saw the road to its phase
            outcome = await asyncio.wait_for(ended, SERVER_END) if reached else ""  # and the check closed it
        if reached and re.fullmatch(expected.format(url=re.escape(url)), result.message):
            return DeadlineRun(result, lines, elapsed, outcome, deadline)
        earlier = result.evidence.get("urls", [{}])[0].get("failure") == "timeout" or "deadline" in result.message
        assert result.status == "fail" and earlier, result  # anything else: a failure of its own
        deadline *= 2
    pytest.fail(f"the check never reached the phase under test: {result}")


async def test_tls_handshake_that_never_finishes_stops_at_the_deadline() -> None:
    run = await run_into_the_deadline(never_answer, r"TLS handshake with 127\.0\.0\.1 not finished within \d+\.\d s")
    assert run.outcome == "client left"  # before the server's own end: the deadline ended it
    assert stated_seconds(run.result.message) < run.deadline  # this deadline, not another timeout
    assert run.elapsed >= stated_seconds(run.result.message) - SLACK, run.elapsed
    assert any(line.startswith("timed out after") and "(tls)" in line for line in run.lines)


async def test_slow_dripping_server_fails_at_the_deadline_not_later(certs: Certs) -> None:
    run = await run_into_the_deadline(drip_forever, r"{url}: no complete answer within \d+\.\d s",
                                      tls=server_tls(certs.leaf), deadline=0.8)
    assert run.outcome == "client left"  # while the server was still dripping: the total deadline ended it
    assert stated_seconds(run.result.message) < run.deadline
    assert run.elapsed >= stated_seconds(run.result.message) - SLACK, run.elapsed


async def test_cancel_closes_the_connection() -> None:
    async with Server(hold) as server:
        task = asyncio.create_task(run_check("https", {"url": f"https://{HOST}:{server.port}/"}, timeout=10))
        await asyncio.wait_for(server.connected.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(server.client_gone.wait(), 2)


# --- proxies ------------------------------------------------------------------------------------


async def test_through_a_given_proxy(certs: Certs, proxy: ProxyProcess) -> None:
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        result, lines = await check({"url": f"https://{HOST}:{server.port}{OPENID}", "proxy": proxy.url})
    assert result.status == "ok", result
    assert f"proxy: {proxy.url} (given)" in lines
    assert f"proxy: CONNECT {HOST}:{server.port}" in lines
    assert "proxy: 200 Connection established" in "\n".join(lines)
    assert f"CONNECT {HOST}:{server.port} auth=no" in proxy.seen()
    assert result.evidence["urls"][0]["proxy"] == proxy.url


async def test_proxy_from_the_environment_and_no_proxy(certs: Certs, proxy: ProxyProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:{SENTINEL}@{HOST}:{proxy.port}")
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        url = f"https://{HOST}:{server.port}/"
        result, lines = await check({"url": url})
        through_proxy = proxy.seen().count(f"CONNECT {HOST}:{server.port}")
        monkeypatch.setenv("NO_PROXY", HOST)
        bypassed, bypass_lines = await check({"url": url})
    assert result.status == "ok", result
    assert f"proxy: http://user:********@{HOST}:{proxy.port} (from HTTPS_PROXY/ALL_PROXY)" in lines
    assert SENTINEL not in result.model_dump_json() + "\n".join(lines)
    assert bypassed.status == "ok" and bypassed.evidence["urls"][0]["proxy"] is None
    assert "proxy: none (host is in NO_PROXY / the bypass list)" in bypass_lines
    assert through_proxy >= 1  # the first went through it (twice where the OS store failed and SSL_CERT_FILE was retried)
    assert proxy.seen().count(f"CONNECT {HOST}:{server.port}") == through_proxy  # the second not


async def test_proxy_login_accepted(certs: Certs, auth_proxy: ProxyProcess) -> None:
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        params = {"url": f"https://{HOST}:{server.port}/", "proxy": auth_proxy.url, "proxy_user": "koppel", "proxy_password": SENTINEL}
        result, lines = await check(params)
    assert result.status == "ok", result
    assert f"proxy: {auth_proxy.url} (given, user koppel)" in lines
    assert SENTINEL not in result.model_dump_json() + "\n".join(lines)


@pytest.mark.parametrize(
    ("login", "hint"),
    [({}, "The proxy asks for a login"), ({"proxy_user": "koppel", "proxy_password": SENTINEL + "x"}, "The proxy refuses this login")],
)
async def test_proxy_login_refused_with_407_and_the_password_stays_secret(
    certs: Certs, auth_proxy: ProxyProcess, login: dict, hint: str
) -> None:
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        result, lines = await check({"url": f"https://{HOST}:{server.port}/", "proxy": auth_proxy.url, **login})
    assert result.status == "fail"
    assert result.message == f"proxy {auth_proxy.url}: 407 Proxy Authentication Required"
    assert result.hint.startswith(hint) and STATUS_PAGE in result.hint
    assert result.evidence["urls"][0]["failure"] == "proxy"
    assert SENTINEL not in result.model_dump_json() + "\n".join(lines)
    assert SENTINEL not in auth_proxy.seen()


async def test_unreachable_proxy_is_named(certs: Certs) -> None:
    port = refused_port()
    result, _ = await check({"url": "https://127.0.0.1:1/", "proxy": f"{HOST}:{port}"}, timeout=8)
    assert result.status == "fail"
    assert result.message == "the proxy: connection refused"


# --- several URLs -------------------------------------------------------------------------------


async def test_several_urls_run_side_by_side_and_the_worst_counts(certs: Certs) -> None:
    both = Together(2)
    async with (
        Server(respond(together=both), tls=server_tls(certs.leaf)) as slow_a,
        Server(respond(together=both), tls=server_tls(certs.leaf)) as slow_b,
        Server(respond(500, b"", "text/plain"), tls=server_tls(certs.leaf)) as broken,
    ):
        urls = [f"https://{HOST}:{server.port}/" for server in (slow_a, slow_b)]
        good, lines = await check({"url": urls[0], "extra_urls": urls[1:]}, timeout=10)
        bad, _ = await check({"url": urls[0], "extra_urls": [f"https://{HOST}:{broken.port}/"]})
    # each server answers once both requests are in: one URL after the other, the first would time out
    assert good.status == "ok" and good.message.startswith("all 2 addresses reachable"), good
    assert any(line.startswith(f"[{HOST}:{slow_b.port}] ") for line in lines)
    assert bad.status == "fail"
    assert bad.message == f"https://{HOST}:{broken.port}/: HTTP 500 Internal Server Error"
    assert len(bad.evidence["urls"]) == 2 and bad.hint.count(STATUS_PAGE) == 1


# --- parameters and helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"url": "http://example.test/"}, "url: must be an https:// address, e.g. " + DEFAULT_URL),
        ({"extra_urls": ["https://ok.test/", "ftp://x"]}, "extra_urls[1]: must be an https:// address"),
        ({"proxy": f"http://user:{SENTINEL}@proxy:8080"}, "proxy: put the user name and password in proxy_user and proxy_password"),
        ({"proxy": "http://proxy:port"}, "proxy: invalid port number"),
        ({"url": "https://example.test:99999/"}, "url: invalid port number"),
        ({"proxy_password": SENTINEL}, "(params): proxy_password without proxy_user"),
    ],
)
async def test_bad_params(params: dict, message: str) -> None:
    result, _ = await check(params)
    assert result.status == "fail"
    assert result.message.startswith(message)
    assert SENTINEL not in result.model_dump_json()


def test_default_url_is_visma_connects_openid_configuration() -> None:
    params = https.Params()
    assert params.url == "https://connect.visma.com/.well-known/openid-configuration"
    blank = https.Params(proxy=" proxy.local:8080", proxy_user=" ", proxy_password="")
    assert (blank.proxy, blank.proxy_user, blank.proxy_password) == ("http://proxy.local:8080", None, None)
    assert https.Params(proxy_user="u", proxy_password=" pw ").proxy_password.get_secret_value() == " pw "


def test_mask_url() -> None:
    assert https.mask_url(f"http://u:{SENTINEL}@proxy:8080") == "http://u:********@proxy:8080"
    assert https.mask_url("http://proxy:8080") == "http://proxy:8080"


@pytest.mark.parametrize("decoder", ["cryptography", "ssl-decoder"])
def test_certificate_from_der_without_the_ssl_module_dict(certs: Certs, decoder: str) -> None:
    """When the OS verified (truststore on Windows/macOS) getpeercert() is empty: decode the DER."""
    der = ssl.PEM_cert_to_DER_cert(certs.leaf[0].read_text())
    cert = certificate.certificate_from_der(der) if decoder == "cryptography" else certificate._decode_with_ssl(der)
    assert cert is not None and cert.read_with == decoder
    assert cert.subject == "CN=127.0.0.1" and cert.issuer == "CN=koppel test CA"
    assert set(cert.alt_names) == {"localhost", "127.0.0.1"}
    assert cert.days_left() in (364, 365)


FIRST_CHECK = """
import asyncio, socket, sys, threading
on_loop = []
sys.addaudithook(lambda event, args: event == "import" and threading.current_thread() is threading.main_thread()
                 and args[0].split(".")[0] in ("httpx", "httpcore", "h11", "anyio") and on_loop.append(args[0]))
from tui.checks.engine import run_check
with socket.socket() as probe:  # a port nobody listens on: the check fails at once, after its imports
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
result = asyncio.run(run_check("https", {"url": f"https://127.0.0.1:{port}/"}, timeout=30))
print(result.status, sorted(set(on_loop)))
"""


def test_the_first_check_imports_the_network_stack_off_the_event_loop(subprocess_env: dict[str, str]) -> None:
    # was: httpx and, at its first request, httpcore, h11 and anyio imported on the event loop: the screen stood
    # still 0.3 s here and 1.2 s under Wine during the first https check
    done = subprocess.run([sys.executable, "-c", FIRST_CHECK], capture_output=True, text=True, env=subprocess_env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(maxsplit=1) == ["fail", "[]\n"]
