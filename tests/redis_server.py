"""A real redis-server (Debian's) on a free 127.0.0.1 port, in a temp dir, for tests and benches.

No persistence: no RDB snapshots, no append-only file; the temp dir goes with the server.
`make test` installs redis-server; when it is missing it is installed here with apt-get, as
bench/nginx.py does for nginx.
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

import redis


def ensure_redis_server() -> str:
    """The redis-server binary, installed from Debian if missing."""
    found = shutil.which("redis-server") or "/usr/bin/redis-server"
    if Path(found).exists():
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True)
    return shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_server() -> Iterator[str]:
    """Run redis-server for the duration of the block; yields `redis://127.0.0.1:<port>/0`."""
    binary = ensure_redis_server()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="test-redis-") as tmp:
        command = [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            tmp,
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(Path(tmp) / "redis.log"),
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log = Path(tmp) / "redis.log"
                        text = log.read_text(errors="replace") if log.exists() else ""
                        raise RuntimeError(f"redis-server did not start: {text}") from None
                    time.sleep(0.05)
            yield url
        finally:
            client.close()
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
