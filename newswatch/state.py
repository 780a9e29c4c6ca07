"""The state store: every URL seen, and every written record's text sketch, across runs.

`StateStore` is the interface spiders and pipelines use; `SQLiteStateStore` is the default
backend (one file, WAL mode), opened from `NEWSWATCH_STATE` (setting or environment). A server
backend (Redis) can implement the same methods without touching spiders or pipelines.

Exactly-once writing, as the store pipeline uses it:
    begin_write(key, path)  -> the URL is marked `writing`, with the output file named
    (append the line, flush, fsync)
    finish_write(...)       -> `kept`, with the record's sketch
A run killed between the two leaves a `writing` row. The next open settles it by looking for the
record's id in that file: found -> `kept`; not found -> forgotten, so the article is fetched again.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from newswatch.fingerprint import THRESHOLD

STATE_FILE = "state.sqlite"
MARK_BATCH = 64  # off-topic/rejected marks committed together (SQLiteStateStore.mark)


class StateError(Exception):
    """The state store cannot be used; the message says how to recover."""


@dataclass(frozen=True)
class Seen:
    key: str
    status: str  # writing | kept | off_topic | rejected
    record_id: str | None
    modified: str | None
    version: int


class StateStore(Protocol):
    def seen(self, keys: Iterable[str]) -> dict[str, Seen]: ...
    def mark(self, keys: Iterable[str], outlet: str, status: str, reason: str = "") -> None: ...
    def begin_write(
        self,
        keys: Iterable[str],
        outlet: str,
        record_id: str,
        path: Path,
        modified: str | None,
        version: int,
    ) -> None: ...
    def finish_write(self, keys: Iterable[str], record_id: str, sketch: list[int]) -> None: ...
    def near_duplicate(self, sketch: list[int]) -> str | None: ...
    def forget(self, outlet: str | None = None) -> int: ...
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    key TEXT PRIMARY KEY,          -- newswatch.urls.url_key
    outlet TEXT NOT NULL,
    status TEXT NOT NULL,          -- writing | kept | off_topic | rejected
    reason TEXT NOT NULL DEFAULT '',
    record_id TEXT,
    modified TEXT,                 -- written record's `modified` (else `published`): updates
    version INTEGER NOT NULL DEFAULT 0,
    output TEXT,                   -- file the record went to (to settle a `writing` row)
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS urls_outlet ON urls (outlet);
CREATE INDEX IF NOT EXISTS urls_writing ON urls (status) WHERE status = 'writing';
CREATE TABLE IF NOT EXISTS sketches (  -- bottom-k MinHash entries of written records
    hash INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (hash, record_id)
) WITHOUT ROWID;
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, isolation_level=None)  # autocommit; explicit txns
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")  # a marked URL survives a power cut
            self.db.execute("PRAGMA busy_timeout=30000")
            if self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as error:
            raise StateError(
                f"state file {path} is unreadable ({error}); move it aside (and its -wal/-shm "
                "files) to start with an empty state, which re-fetches every article once"
            ) from None
        self._pending_marks: list[tuple[str, str, str, str, str]] = []
        self._settle_unfinished_writes()

    def _settle_unfinished_writes(self) -> None:
        rows = self.db.execute(
            "SELECT key, record_id, output FROM urls WHERE status = 'writing'"
        ).fetchall()
        for key, record_id, output in rows:
            written = output and record_id and _file_holds_id(Path(output), record_id)
            if written:
                self.db.execute("UPDATE urls SET status = 'kept' WHERE key = ?", (key,))
            else:
                self.db.execute("DELETE FROM urls WHERE key = ?", (key,))

    def seen(self, keys: Iterable[str]) -> dict[str, Seen]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        self._flush_marks()
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT key, status, record_id, modified, version FROM urls WHERE key IN ({marks})",
            keys,
        )
        return {row[0]: Seen(*row) for row in rows}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction, committed at the end or rolled back on an error. (In autocommit
        mode, sqlite3's own `with connection:` starts none: each row would commit alone.)"""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def mark(self, keys: Iterable[str], outlet: str, status: str, reason: str = "") -> None:
        # An off-topic or rejected mark only spares the next run a fetch: losing the last few
        # in a crash costs re-fetching those pages, never a record. So they are committed in
        # batches instead of one synchronous transaction (~0.4 ms, an fsync) per page.
        self._pending_marks += [(k, outlet, status, reason, now()) for k in dict.fromkeys(keys)]
        if len(self._pending_marks) >= MARK_BATCH:
            self._flush_marks()

    def _flush_marks(self) -> None:
        if not self._pending_marks:
            return
        with self._transaction():
            self.db.executemany(
                "INSERT INTO urls (key, outlet, status, reason, seen_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET status = excluded.status, "
                "reason = excluded.reason, seen_at = excluded.seen_at "
                "WHERE urls.status NOT IN ('kept', 'writing')",
                self._pending_marks,
            )
        self._pending_marks = []

    def begin_write(
        self,
        keys: Iterable[str],
        outlet: str,
        record_id: str,
        path: Path,
        modified: str | None,
        version: int,
    ) -> None:
        self._flush_marks()
        with self._transaction():
            self.db.executemany(
                "INSERT INTO urls (key, outlet, status, record_id, modified, version, output, "
                "seen_at) VALUES (?, ?, 'writing', ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE "
                "SET status = 'writing', record_id = excluded.record_id, "
                "modified = excluded.modified, version = excluded.version, "
                "output = excluded.output, seen_at = excluded.seen_at",
                [
                    (k, outlet, record_id, modified, version, str(path), now())
                    for k in dict.fromkeys(keys)
                ],
            )

    def finish_write(self, keys: Iterable[str], record_id: str, sketch: list[int]) -> None:
        keys = list(dict.fromkeys(keys))
        with self._transaction():
            self.db.executemany(
                "UPDATE urls SET status = 'kept' WHERE key = ?", [(k,) for k in keys]
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO sketches (hash, record_id) VALUES (?, ?)",
                [(h, record_id) for h in sketch],
            )

    def near_duplicate(self, sketch: list[int]) -> str | None:
        """The written record whose sketch shares the most with this one, if at least THRESHOLD."""
        if not sketch:
            return None
        marks = ",".join("?" * len(sketch))
        best = self.db.execute(
            f"SELECT record_id, COUNT(*) AS shared FROM sketches WHERE hash IN ({marks}) "
            "GROUP BY record_id ORDER BY shared DESC LIMIT 1",
            sketch,
        ).fetchone()
        if best and best[1] / len(sketch) >= THRESHOLD:
            return best[0]
        return None

    def forget(self, outlet: str | None = None) -> int:
        """Forget the URLs (of one outlet, or all) so they are fetched again; sketches stay."""
        self._flush_marks()
        with self._transaction():
            if outlet:
                return self.db.execute("DELETE FROM urls WHERE outlet = ?", (outlet,)).rowcount
            return self.db.execute("DELETE FROM urls").rowcount

    def counts(self) -> dict[str, int]:
        self._flush_marks()
        rows = self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status")
        return dict(rows.fetchall())

    def close(self) -> None:
        self._flush_marks()
        self.db.close()


def _file_holds_id(path: Path, record_id: str) -> bool:
    """Whether a complete line of `path` carries this record id."""
    if not path.is_file():
        return False
    needle = f'"id": "{record_id}"'.encode()
    with path.open("rb") as file:
        return any(needle in line and line.endswith(b"\n") for line in file)


# -- opening the store from settings, and the run lock ----------------------------------------


def state_location(settings_value: str | None, data_dir: str | Path = "data") -> str:
    """NEWSWATCH_STATE (setting, then environment), else <data dir>/state.sqlite."""
    return settings_value or os.environ.get("NEWSWATCH_STATE") or str(Path(data_dir) / STATE_FILE)


def is_redis(location: str) -> bool:
    return location.startswith(("redis://", "rediss://"))


def open_state(location: str, worker: str = "") -> StateStore:
    """Open the backend named by `location`: a file path, or a Redis URL shared by several
    workers (newswatch/state_redis.py; `worker` names this one, default NEWSWATCH_WORKER_ID
    from the environment, else the host name)."""
    if is_redis(location):
        from newswatch.state_redis import RedisStateStore

        return RedisStateStore(location, worker)
    return SQLiteStateStore(Path(location))


def run_lock(location: str, worker: str = "") -> Any:
    """The run lock for `location`: a lock file beside a state file; on Redis, one per worker
    (several workers share the state, one worker's runs never overlap)."""
    if is_redis(location):
        from newswatch.state_redis import RedisRunLock

        return RedisRunLock(location, worker)
    return RunLock(location)


_HELD_LOCKS: dict[str, int] = {}  # lock file -> descriptor, for this process


class RunLock:
    """An exclusive lock beside the state file, so two runs never crawl on one state at once.

    Held per process (several crawlers of one `newswatch run` share it); released when the
    process exits, however it exits (the kernel drops flock locks with the file descriptor).
    """

    def __init__(self, location: str) -> None:
        self.path = Path(f"{location}.lock")

    def acquire(self) -> None:
        key = str(self.path.resolve())
        if key in _HELD_LOCKS:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StateError(
                f"another newswatch run (pid {holder}) is using {self.path.parent}"
                f"; wait for it to finish (lock file {self.path})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _HELD_LOCKS[key] = fd
