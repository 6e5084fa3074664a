"""Loopback servers for the network-check tests: 127.0.0.1 only, real sockets, real TLS.

- ``Server``: an asyncio server on 127.0.0.1 running one of the handlers below; it counts
  connections and notices when the client goes away.
- handlers: ``hold`` (accept, never answer), ``respond(status, body)``, ``drip(interval)``.
- ``refused_port()``: a port where nothing listens; ``full_backlog()``: one where a connect hangs.
- ``HandshakeServer``: TLS handshakes only, in a thread (for an old-TLS server).
- ``make_certs(folder)``: a test CA and leaf certificates for 127.0.0.1/localhost.
- a CONNECT proxy as a real process: ``python -m tests.netservers proxy [--auth USER:PASSWORD]
  [--log FILE]`` prints ``PORT <n>`` and serves until killed; ``ProxyProcess`` runs one.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import os
import socket
import ssl
import subprocess
import sys
import threading
import warnings
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "Server"], Awaitable[None]]


class Server:
    """``async with Server(handler, tls=context) as server:`` -> listening on ``server.port``."""

    def __init__(self, handler: Handler, *, tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.tls = tls
        self.port = 0
        self.connections = 0
        self.connected = asyncio.Event()
        self.client_gone = asyncio.Event()  # a client closed its side (EOF or reset)
        self._tasks: set[asyncio.Task] = set()

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._serve, HOST, 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._tasks.add(asyncio.current_task())
        self.connections += 1
        self.connected.set()
        try:
            await self.handler(reader, writer, self)
        except (OSError, asyncio.IncompleteReadError):
            self.client_gone.set()
        except asyncio.CancelledError:
            pass  # the server shuts down; ending quietly keeps asyncio's stream callback from complaining
        finally:
            writer.close()


async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    """Accept and never answer (a TLS handshake to this never finishes); note when the client leaves."""
    while await reader.read(4096):
        pass
    server.client_gone.set()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    return await reader.readuntil(b"\r\n\r\n")


def _head(status: int, content_type: str, length: int) -> bytes:
    phrase = HTTPStatus(status).phrase
    return (
        f"HTTP/1.1 {status} {phrase}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode("ascii")


class Together:
    """Requests answered only once ``expected`` of them have arrived: the proof that a client sends
    them side by side (one after the other, the first waits for ever)."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.arrived = 0
        self.all_here = asyncio.Event()

    async def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.expected:
            self.all_here.set()
        await self.all_here.wait()


def respond(
    status: int = 200,
    body: bytes = b'{"issuer": "https://127.0.0.1"}',
    content_type: str = "application/json",
    delay: float = 0.0,
    together: Together | None = None,
) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await _read_request(reader)
        if together is not None:
            await together.arrive()
        await asyncio.sleep(delay)
        writer.write(_head(status, content_type, len(body)) + body)
        await writer.drain()

    return handler


def drip(interval: float = 0.05) -> Handler:
    """Headers at once, then one byte of a long body per interval: never done, never idle."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await _read_request(reader)
        writer.write(_head(200, "application/octet-stream", 10**6))
        while not writer.is_closing():
            await writer.drain()
            writer.write(b"x")
            await asyncio.sleep(interval)
        server.client_gone.set()

    return handler


def refused_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def full_backlog() -> Iterator[int]:
    """A loopback port whose accept queue is full: Linux drops further SYNs, so a connect hangs
    the way it does behind a firewall that drops packets (Windows answers with a reset instead)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):  # backlog 0 still queues one; a few more to be sure
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            fillers.append(filler)
            try:
                filler.connect((HOST, port))
            except BlockingIOError:
                pass
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


class HandshakeServer:
    """A blocking TLS server in a thread that only does handshakes.

    asyncio's TLS server closes without sending the alert OpenSSL produces when a handshake fails;
    a plain ssl socket sends it, so the client learns why (e.g. "protocol version").
    """

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self._stop = threading.Event()

    def __enter__(self) -> HandshakeServer:
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(2)
            try:
                with self.context.wrap_socket(connection, server_side=True):
                    pass
            except (OSError, ssl.SSLError):
                connection.close()

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()


# --- certificates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certs:
    ca: Path  # PEM of the test CA: what SSL_CERT_FILE points at
    leaf: tuple[Path, Path]  # (certificate, key) for 127.0.0.1 / localhost, valid a year
    expiring: tuple[Path, Path]  # the same names, valid five more days


def make_certs(folder: Path) -> Certs:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    import ipaddress

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "koppel test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(name: str, days: int) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(
                x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        return cert_path, key_path

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return Certs(ca=folder / "ca.pem", leaf=leaf("leaf", 365), expiring=leaf("expiring", 5))


def server_tls(cert_and_key: tuple[Path, Path], *, max_version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert_and_key)
    if max_version is not None:  # an old server: allow the old versions OpenSSL would refuse
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = max_version
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


# --- the CONNECT proxy (runs as its own process) -----------------------------------------------


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def serve_proxy(auth: str | None, log: Path | None, refusal: bytes | None = None) -> None:
    expected = "Basic " + base64.b64encode(auth.encode()).decode() if auth else None

    def note(text: str) -> None:
        if log is not None:
            with open(log, "a", encoding="utf-8") as file:
                file.write(text + "\n")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def answer(status: int, extra: str = "") -> None:
            writer.write(f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n{extra}Content-Length: 0\r\n\r\n".encode())
            await writer.drain()
            writer.close()

        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        except (asyncio.IncompleteReadError, OSError):
            writer.close()
            return
        method, target, _ = head.split("\r\n", 1)[0].split(" ", 2)
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in head.split("\r\n")[1:] if ":" in line)
        }
        note(f"{method} {target} auth={'yes' if 'proxy-authorization' in headers else 'no'}")
        host, _, port = target.rpartition(":")
        if method != "CONNECT":
            return await answer(405)
        if refusal is not None:  # a hostile proxy: every tunnel refused with this raw reason phrase
            writer.write(b"HTTP/1.1 403 " + refusal + b"\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        if expected and headers.get("proxy-authorization") != expected:
            return await answer(407, 'Proxy-Authenticate: Basic realm="koppel-test"\r\n')
        if host not in {HOST, "localhost"}:  # a test proxy: loopback only
            return await answer(403)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            return await answer(502)
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    server = await asyncio.start_server(handle, HOST, 0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


class ProxyProcess:
    """``with ProxyProcess(log, auth="user:pw") as proxy:`` -> a proxy process on ``proxy.url``."""

    def __init__(self, log: Path, auth: str | None = None, refusal: bytes | None = None) -> None:
        self.log = log
        self.auth = auth
        self.refusal = refusal

    def __enter__(self) -> ProxyProcess:
        command = [sys.executable, "-m", "tests.netservers", "proxy", "--log", str(self.log)]
        if self.auth:
            command += ["--auth", self.auth]
        if self.refusal is not None:
            command += ["--refusal-hex", self.refusal.hex()]
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError(f"proxy did not start: {line!r}")
        self.port = int(line.split()[1])
        self.url = f"http://{HOST}:{self.port}"
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)
        self.process.stdout.close()

    def seen(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.netservers")
    commands = parser.add_subparsers(dest="command", required=True)
    proxy = commands.add_parser("proxy", help="a CONNECT proxy on 127.0.0.1")
    proxy.add_argument("--auth", help="USER:PASSWORD the proxy demands (Basic)")
    proxy.add_argument("--log", type=Path, help="append one line per request here")
    proxy.add_argument("--refusal-hex", help="refuse every CONNECT with 403 and this reason phrase (hex bytes)")
    args = parser.parse_args(argv)
    refusal = bytes.fromhex(args.refusal_hex) if args.refusal_hex else None
    try:
        asyncio.run(serve_proxy(args.auth, args.log, refusal))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
