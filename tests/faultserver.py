"""A fault-injecting HTTP server for the tests: every path has a behaviour, good or hostile.

It binds 127.0.0.1 only. Behaviours are small callables (`page`, `fail_then`, `never_answer`,
`reset_mid_body`, ...) mapped to paths; a path without one answers 404. Every request is recorded
(`hits`), so a test can prove a URL was never asked for, or when it was asked for again. The
server also answers proxy-form requests (`GET http://host/path`), so it can stand in for an
HTTP proxy, and can listen with TLS (a throwaway self-signed certificate) for http->https.
"""

from __future__ import annotations

import datetime as dt
import gzip
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

Behaviour = Callable[["FaultHandler"], None]
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Hit:
    path: str
    at: float  # time.monotonic()
    headers: dict[str, str]


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def do_GET(self) -> None:
        # Proxy form (`GET http://127.0.0.1:8801/x`): the path is what the site would see.
        target = urlsplit(self.path)
        path = (
            target.path + (f"?{target.query}" if target.query else "")
            if target.scheme
            else self.path
        )
        self.request_path = path
        self.server.record(Hit(path, time.monotonic(), dict(self.headers.items())))
        behaviour = self.server.routes.get(path)
        if behaviour is None:
            self.send_body(404, b"<html><body>not here</body></html>")
        else:
            behaviour(self)

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str | None = HTML,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # keep test output readable
        pass


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler stuck in `never_answer` must not block shutdown

    def __init__(self, routes: dict[str, Behaviour] | None = None, tls: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.routes: dict[str, Behaviour] = dict(routes or {})
        self.hits: list[Hit] = []
        self.counts: dict[str, int] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.scheme = "https" if tls else "http"
        if tls:
            self.socket = _tls_context().wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)
            self.counts[hit.path] = self.counts.get(hit.path, 0) + 1

    def hit_count(self, path: str) -> int:
        """How many times `path` has been asked for so far (this request included)."""
        with self._lock:
            return self.counts.get(path, 0)

    def times(self, path: str) -> list[float]:
        return [h.at for h in self.hits if h.path == path]

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


@contextmanager
def fault_server(routes: dict[str, Behaviour] | None = None, tls: bool = False) -> Iterator:
    """`with fault_server({...}) as server:` -> a started FaultServer, stopped after the block."""
    server = FaultServer(routes, tls).start()
    try:
        yield server
    finally:
        server.stop()


# -- behaviours ---------------------------------------------------------------------------------


def page(
    body: bytes | str,
    status: int = 200,
    content_type: str | None = HTML,
    headers: dict[str, str] | None = None,
) -> Behaviour:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda h: h.send_body(status, data, content_type, headers)


def fail_then(statuses: list[int], then: Behaviour, headers: dict[str, str] | None = None):
    """The first len(statuses) requests get those statuses (with `headers`); later ones `then`."""

    def behave(h: FaultHandler) -> None:
        n = h.server.hit_count(h.request_path)
        if n <= len(statuses):
            h.send_body(statuses[n - 1], b"<html><body>try again</body></html>", HTML, headers)
        else:
            then(h)

    return behave


def redirect(location: str, status: int = 301) -> Behaviour:
    return lambda h: h.send_body(status, b"", HTML, {"Location": location})


def never_answer(h: FaultHandler) -> None:
    """Accept the request, then say nothing until the server stops (the client times out)."""
    h.server.stopping.wait(120)
    h.close_connection = True


def slow(body: bytes | str, first_byte: float = 0.6, pieces: int = 4, gap: float = 0.1):
    """Headers after `first_byte` seconds, then the body in `pieces` with `gap` between."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def behave(h: FaultHandler) -> None:
        time.sleep(first_byte)
        h.send_response(200)
        h.send_header("Content-Type", HTML)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        size = len(data) // pieces + 1
        for start in range(0, len(data), size):
            h.wfile.write(data[start : start + size])
            h.wfile.flush()
            time.sleep(gap)

    return behave


def _half_then(body: bytes, reset: bool) -> Behaviour:
    def behave(h: FaultHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", HTML)
        h.send_header("Content-Length", str(len(body)))  # the whole body is promised
        h.end_headers()
        h.wfile.write(body[: len(body) // 2])
        h.wfile.flush()
        if reset:  # SO_LINGER 0: close() sends RST instead of FIN
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    return behave


def reset_mid_body(body: bytes | str) -> Behaviour:
    """Half the promised body, then a TCP reset."""
    return _half_then(body.encode("utf-8") if isinstance(body, str) else body, reset=True)


def cut_mid_body(body: bytes | str) -> Behaviour:
    """Half the promised body (Content-Length says more), then an orderly close."""
    return _half_then(body.encode("utf-8") if isinstance(body, str) else body, reset=False)


def huge(size: int, declared: bool) -> Behaviour:
    """`size` bytes of HTML, streamed; `declared` sends Content-Length up front."""
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"

    def behave(h: FaultHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", HTML)
        if declared:
            h.send_header("Content-Length", str(size))
        h.end_headers()
        sent = 0
        try:
            while sent < size and not h.server.stopping.is_set():
                h.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the client hung up once it had seen enough: the expected end
            pass
        h.close_connection = True

    return behave


@cache
def _bomb() -> bytes:
    """~64 MB of HTML when inflated, ~64 KB on the wire."""
    return gzip.compress(b"<html><body><p>" + b" " * (64 * 1024 * 1024) + b"</p></body></html>", 9)


def gzip_bomb(h: FaultHandler) -> None:
    h.send_body(200, _bomb(), HTML, {"Content-Encoding": "gzip"})


# -- TLS ----------------------------------------------------------------------------------------


@cache
def _tls_files() -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made once per test session."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="faultserver-tls-"))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(folder / "cert.pem"), str(folder / "key.pem")


def _tls_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_tls_files())
    return context
