"""Serve a folder with Debian's nginx on 127.0.0.1: own config in a temp dir, no daemon.

nginx is installed with apt-get when missing. It listens on loopback only, on a free high port,
with access logging off (the benchmark measures the crawler, not the log disk).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CONFIG = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type text/html;
    charset utf-8;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri.html $uri/index.html =404; }}
    }}
}}
"""


def ensure_nginx() -> str:
    """The nginx binary, installed from Debian if missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def version() -> str:
    result = subprocess.run([ensure_nginx(), "-v"], capture_output=True, text=True)
    return result.stderr.strip().removeprefix("nginx version: ")


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:<port> for the duration of the block."""
    binary = ensure_nginx()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(CONFIG.format(tmp=tmp, port=port, root=root.resolve()))
        process = subprocess.Popen([binary, "-c", str(conf), "-p", tmp])
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        error = (Path(tmp) / "error.log").read_text(errors="replace")
                        raise RuntimeError(f"nginx did not start: {error}") from None
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()  # SIGTERM: fast shutdown of master and worker
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
