"""Item 4: the state store at 10^4, 10^5 and 10^6 stored records.

The file is filled in bulk through the store's own schema (one URL row, kept, and a 16-hash
sketch per record; sketch values drawn like real bottom-k minima, i.e. from the low end of the
hash range), then reopened as a run opens it (`SQLiteStateStore`, default page cache) and timed
through the public methods a crawl calls: `seen()` for one URL (as for each link) and
`near_duplicate()` for one sketch (as for each record), hits and misses.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from newswatch.fingerprint import SKETCH_SIZE
from newswatch.state import SQLiteStateStore

SKETCH_RANGE = 2**63 // 40  # bottom-16 of ~600-1,000 shingle hashes sit in the lowest ~2-3%


def _key(n: int) -> str:
    return f"jagonews24.com/international/news/{n}"


def _record_id(n: int) -> str:
    return f"{n:016x}"


def _sketch(n: int) -> list[int]:
    rng = random.Random(n)
    return sorted(rng.randrange(SKETCH_RANGE) for _ in range(SKETCH_SIZE))


def fill(path: Path, start: int, stop: int, batch: int = 50_000) -> None:
    """Add records start..stop-1 (bulk, big transactions: filling is not what is measured)."""
    store = SQLiteStateStore(path)
    db = store.db
    db.execute("PRAGMA cache_size=-262144")
    db.execute("PRAGMA synchronous=OFF")  # bulk filling only; the measured store is reopened
    # Sketch rows go through a staging table and into the index in hash order: random-order
    # inserts into a B-tree larger than the cache took ~15 minutes for 10^6 records.
    db.execute("CREATE TEMP TABLE staging (hash INTEGER, record_id TEXT)")
    for first in range(start, stop, batch):
        numbers = range(first, min(stop, first + batch))
        with db:
            db.executemany(
                "INSERT INTO urls (key, outlet, status, record_id, modified, version, output, "
                "seen_at) VALUES (?, 'jagonews24', 'kept', ?, '2025-09-14T10:42:00+06:00', 1, "
                "'data/2025-09-14/jagonews24.jsonl', '2025-09-14T04:42:00+00:00')",
                [(_key(n), _record_id(n)) for n in numbers],
            )
            db.executemany(
                "INSERT INTO staging VALUES (?, ?)",
                [(h, _record_id(n)) for n in numbers for h in _sketch(n)],
            )
    with db:
        db.execute(
            "INSERT OR IGNORE INTO sketches (hash, record_id) "
            "SELECT hash, record_id FROM staging ORDER BY hash, record_id"
        )
        db.execute("DROP TABLE staging")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def _rate(calls: list, function, runs: int) -> float:
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for argument in calls:
            function(argument)
        rates.append(len(calls) / (time.perf_counter() - start))
    return statistics.median(rates)


def measure(path: Path, count: int, lookups: int = 2_000, runs: int = 3) -> dict:
    started = time.perf_counter()
    store = SQLiteStateStore(path)  # a run's open: includes PRAGMA quick_check
    open_seconds = time.perf_counter() - started
    rng = random.Random(count)
    hits = [rng.randrange(count) for _ in range(lookups)]
    result = {
        "records": count,
        "open_seconds": open_seconds,
        "seen_hit": _rate([[_key(n)] for n in hits], store.seen, runs),
        "seen_miss": _rate([[_key(count + 10**8 + n)] for n in hits], store.seen, runs),
        "near_hit": _rate([_sketch(n) for n in hits], store.near_duplicate, runs),
        "near_miss": _rate([_sketch(-1 - n) for n in hits], store.near_duplicate, runs),
    }
    if store.near_duplicate(_sketch(hits[0])) != _record_id(hits[0]):
        raise RuntimeError("near_duplicate did not find a stored record's own sketch")
    store.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.suffix != ".lock")
    result["file_bytes"] = size
    result["bytes_per_million"] = size / count * 1_000_000
    return result


def run(work: Path, sizes: list[int]) -> list[dict]:
    path = work / "state-scale" / "state.sqlite"
    for old in path.parent.glob("state.sqlite*"):
        old.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    results, stored = [], 0
    for size in sorted(sizes):
        started = time.perf_counter()
        fill(path, stored, size)
        fill_seconds = time.perf_counter() - started
        stored = size
        results.append({**measure(path, size), "fill_seconds": fill_seconds})
    return results
