"""Serve a saved copy of an outlet's site on 127.0.0.1, for the tests and `newswatch demo`.

The URL-to-file mapping is described in tests/fixtures/README.md. The server binds only the
loopback interface and only ever reads files below its site folder.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


def content_type(file: Path, body: bytes) -> str:
    """By extension; a feed or sitemap saved under an extension-less URL is sniffed as XML."""
    if file.suffix in CONTENT_TYPES:
        return CONTENT_TYPES[file.suffix]
    if body.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed", b"<urls", b"<site"):
        return "application/xml; charset=utf-8"
    return "text/html; charset=utf-8"


def resolve(site: Path, raw_path: str) -> Path | None:
    """The file that answers `raw_path` (path and query), or None. Never leaves `site`."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path).lstrip("/")
    if parts.query:
        path += "__" + unquote(parts.query)
    root = site.resolve()
    candidates = (
        [path, path + ".html", path.rstrip("/") + "/index.html"] if path else ["index.html"]
    )
    for candidate in candidates:
        file = (root / candidate).resolve()
        if file.is_relative_to(root) and file.is_file():
            return file
    return None


CHALLENGE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<noscript>Enable JavaScript and cookies to continue</noscript>"
    b'<div id="challenge-platform"></div></body></html>'
)


class SiteHandler(BaseHTTPRequestHandler):
    def __init__(self, *args, site: Path, challenge_html: bool = False, **kwargs) -> None:
        self.site = site
        self.challenge_html = challenge_html
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        file = resolve(self.site, self.path)
        if file is None:
            self.send_error(404)
            return
        if self.challenge_html and file.suffix == ".html" and "Sec-Fetch-Mode" not in self.headers:
            # Like the outlets' bot walls: HTML pages only for browsers; feeds pass.
            self._send(403, CHALLENGE_PAGE, "text/html; charset=utf-8")
            return
        body = file.read_bytes()
        self._send(200, body, content_type(file, body))

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # keep test and demo output readable
        pass


class SiteServer:
    """One site on one loopback port, served from a background thread."""

    def __init__(self, site: Path, port: int = 0, challenge_html: bool = False) -> None:
        handler = partial(SiteHandler, site=site, challenge_html=challenge_html)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serving(site: Path, port: int = 0, challenge_html: bool = False) -> Iterator[str]:
    """`with serving(path) as origin:` -> 'http://127.0.0.1:<port>' while the block runs.

    `challenge_html`: answer HTML pages with a 403 bot-challenge page unless the client sends a
    browser's `Sec-Fetch-Mode` header (Chromium does; Scrapy does not)."""
    server = SiteServer(site, port, challenge_html).start()
    try:
        yield server.origin
    finally:
        server.stop()
