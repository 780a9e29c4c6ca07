"""Several workers on one crawl (scrapy-redis queue + Redis state) against a real redis-server:
together they write the on-topic set exactly once, and a worker killed mid-run loses nothing.

Workers are `scrapy crawl` processes with `-s` settings (what `newswatch run --worker-id`
passes), all serving one generated Jago-shaped site of 300 articles from 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from newswatch.fixtureserver import serving
from tests.conftest import FAST, ROOT, read_jsonl
from tests.redis_server import redis_server
from tests.sitegen import build_site

OUTLET = "jagonews24"


@pytest.fixture(scope="module")
def redis_instance():
    with redis_server() as url:
        yield url


@pytest.fixture
def server(redis_instance):
    """An empty database for each test: the generated sites share their URLs."""
    redis.Redis.from_url(redis_instance).flushdb()
    return redis_instance


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, set[str]]:
    return tmp_path / "site", build_site(tmp_path / "site", 300)


def start_worker(worker: str, origin: str, redis_url: str, work: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        OUTLET,
        "-a",
        f"origin={origin}",
        "-s",
        f"NEWSWATCH_STATE={redis_url}?lease=3",
        "-s",
        f"NEWSWATCH_QUEUE={redis_url}",
        "-s",
        f"NEWSWATCH_WORKER_ID={worker}",
        "-s",
        "NEWSWATCH_QUEUE_LEASE=2",
        "-s",
        f"NEWSWATCH_DATA_DIR={work / 'data'}",
        "-s",
        f"NEWSWATCH_STATS_FILE={work / f'{worker}.stats.json'}",
        *FAST,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWSWATCH_STATE", None)
    with (work / f"{worker}.log").open("a") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


def run_workers(workers: list[str], origin: str, redis_url: str, work: Path) -> dict[str, dict]:
    """Start the workers together, wait for all; each one's final stats."""
    for worker in workers:
        (work / f"{worker}.stats.json").unlink(missing_ok=True)
    processes = [start_worker(w, origin, redis_url, work) for w in workers]
    codes = [p.wait(120) for p in processes]
    assert codes == [0] * len(workers), f"exit codes {codes}; see {work}/*.log"
    return {w: json.loads((work / f"{w}.stats.json").read_text()) for w in workers}


def records_by_worker(work: Path) -> dict[str, list[dict]]:
    """Every worker's records, from the `<outlet>.<worker>.jsonl` files of the data folder."""
    found: dict[str, list[dict]] = {}
    for path in sorted((work / "data").glob(f"*/{OUTLET}.*.jsonl")):
        worker = path.name.removeprefix(f"{OUTLET}.").removesuffix(".jsonl")
        found.setdefault(worker, []).extend(read_jsonl(path))
    return found


def stat(stats: dict, name: str) -> int:
    return int(stats.get(f"newswatch/{OUTLET}/{name}", 0))


def test_three_workers_write_the_on_topic_set_once_and_fetch_each_article_once(
    server, site, tmp_path
):
    root, on_topic = site
    with serving(root) as origin:
        first = run_workers(["w1", "w2", "w3"], origin, server, tmp_path)
        second = run_workers(["w1", "w2", "w3"], origin, server, tmp_path)
    written = records_by_worker(tmp_path)
    urls = [r["url"] for records in written.values() for r in records]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert set(urls) == on_topic
    assert len(written) >= 2, f"the work was not shared: {sorted(written)}"
    # One shared queue: every article page fetched by exactly one worker, listings by one.
    assert sum(stat(s, "articles/fetched") for s in first.values()) == 300
    assert {s["newswatch/queue/run"] for s in first.values()} == {
        first["w1"]["newswatch/queue/run"]
    }
    for worker, records in written.items():
        assert stat(first[worker], "articles/kept") == len(records)
    # The next run is a new run: its listings are fetched again, its articles are all known.
    assert second["w1"]["newswatch/queue/run"] != first["w1"]["newswatch/queue/run"]
    assert sum(stat(s, "listing/pages") for s in second.values()) >= 1
    assert sum(stat(s, "articles/fetched") for s in second.values()) == 0
    assert sum(stat(s, "skipped/seen") for s in second.values()) >= 300


def lines_written(work: Path, worker: str) -> int:
    files = (work / "data").glob(f"*/{OUTLET}.{worker}.jsonl")
    return sum(p.read_bytes().count(b"\n") for p in files)


def test_a_worker_killed_mid_run_loses_nothing_and_nothing_is_written_twice(server, site, tmp_path):
    root, on_topic = site
    with serving(root) as origin:
        workers = {w: start_worker(w, origin, server, tmp_path) for w in ("w1", "w2", "w3")}
        # SIGKILL the first worker to have written 5 records: it is mid-crawl, mid-write.
        victim, deadline = None, time.monotonic() + 120
        while victim is None and time.monotonic() < deadline:
            victim = next((w for w in workers if lines_written(tmp_path, w) >= 5), None)
            time.sleep(0.01)
        assert victim is not None, "no worker wrote 5 records"
        workers[victim].send_signal(signal.SIGKILL)
        assert workers[victim].wait() == -signal.SIGKILL
        others = [w for w in workers if w != victim]
        assert [workers[w].wait(120) for w in others] == [0] * len(others)
        survivors = [json.loads((tmp_path / f"{w}.stats.json").read_text()) for w in others]
        after_kill = records_by_worker(tmp_path)
        # The next run: the killed worker comes back (cron) and settles its claims from its file.
        final = run_workers([victim, others[0]], origin, server, tmp_path)
    assert 0 < len(after_kill[victim]) < len(on_topic)
    # Its in-flight requests went back into the queue, for the survivors to fetch.
    assert sum(s["newswatch/queue/reaped"] for s in survivors) > 0
    urls = [r["url"] for records in records_by_worker(tmp_path).values() for r in records]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert set(urls) == on_topic, f"lost: {sorted(on_topic - set(urls))[:5]}"
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob(f"*/{OUTLET}.*.jsonl"))
    assert raw.endswith(b"\n")
    assert all(s["finish_reason"] == "finished" for s in final.values())


def test_a_queue_without_a_shared_state_is_refused_at_start(server, tmp_path):
    """Workers with their own SQLite files would each write what the others wrote."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWSWATCH_STATE", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            OUTLET,
            "-s",
            f"NEWSWATCH_QUEUE={server}",
            "-s",
            f"NEWSWATCH_DATA_DIR={tmp_path / 'data'}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "needs a shared state: set NEWSWATCH_STATE to a redis:// URL" in done.stderr
    assert not list((tmp_path / "data").glob("*/*.jsonl"))
