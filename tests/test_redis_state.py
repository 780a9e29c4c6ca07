"""The Redis state store on a real redis-server: the SQLite store's behaviour, plus what several
workers need: claims that two workers never both win, dead workers' claims settled from their
files, and a per-worker run lock that frees itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import redis

from newswatch import state_redis
from newswatch.state import StateError, open_state, run_lock
from newswatch.state_redis import ClaimedElsewhere, RedisRunLock, RedisStateStore
from tests.conftest import ROOT
from tests.redis_server import free_port, redis_server


@pytest.fixture(scope="module")
def server():
    with redis_server() as url:
        yield url


@pytest.fixture
def url(server):
    redis.Redis.from_url(server).flushdb()
    state_redis._HELD.clear()  # each test starts with no lock held by this process
    return f"{server}?lease=2"


def held_store(url: str, worker: str) -> RedisStateStore:
    """A worker's store with its run lock taken, as StateExtension opens it."""
    RedisRunLock(url, worker).acquire()
    return RedisStateStore(url, worker)


def start_worker(code: str, url: str, worker: str, tmp_path: Path) -> subprocess.Popen:
    """Python code in another process, with `worker`, `store` (its lock held) and `out`."""
    header = textwrap.dedent(
        f"""
        import os, signal, sys, time
        from pathlib import Path
        from newswatch.state_redis import ClaimedElsewhere, RedisRunLock, RedisStateStore
        worker = {worker!r}
        RedisRunLock({url!r}, worker).acquire()
        store = RedisStateStore({url!r}, worker)
        out = Path({str(tmp_path / worker)!r})
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", header + textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_worker(code: str, url: str, worker: str, tmp_path: Path) -> int:
    process = start_worker(code, url, worker, tmp_path)
    process.communicate(timeout=60)
    return process.returncode


KILLED_MID_WRITE = """
store.begin_write(["a.com/1"], "x", "1111111111111111", out, None, 1)
out.write_text('{"id": "1111111111111111", "text": "..."}\\n')  # on disk, not yet marked
store.begin_write(["a.com/2"], "x", "2222222222222222", out, None, 1)  # not on disk
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_urls_are_remembered_across_opens_with_status_and_reason(url):
    store = held_store(url, "w1")
    store.mark(["a.com/1"], "x", "off_topic", "off_topic")
    store.mark(["a.com/2"], "x", "rejected", "missing_published")
    store.close()
    store = RedisStateStore(url, "w2")
    seen = store.seen(["a.com/1", "a.com/2", "a.com/3"])
    assert {k: (v.status, v.version) for k, v in seen.items()} == {
        "a.com/1": ("off_topic", 0),
        "a.com/2": ("rejected", 0),
    }
    assert store.counts() == {"off_topic": 1, "rejected": 1}


def test_a_kept_url_is_not_downgraded_by_a_later_mark(url, tmp_path):
    store = held_store(url, "w1")
    store.begin_write(["a.com/1"], "x", "0123456789abcdef", tmp_path / "o.jsonl", "2024-09-14", 1)
    store.finish_write(["a.com/1"], "0123456789abcdef", [1, 2, 3])
    store.mark(["a.com/1"], "x", "rejected", "unchanged")
    seen = store.seen(["a.com/1"])["a.com/1"]
    assert (seen.status, seen.record_id, seen.modified, seen.version) == (
        "kept",
        "0123456789abcdef",
        "2024-09-14",
        1,
    )
    assert store.counts() == {"kept": 1}


def test_a_worker_killed_mid_write_settles_its_claims_when_it_runs_again(url, tmp_path):
    assert run_worker(KILLED_MID_WRITE, url, "w1", tmp_path) == -9
    raw = redis.Redis.from_url(url.split("?")[0], decode_responses=True)
    assert raw.hgetall("newswatch:counts") == {"writing": "2"}  # opening a store would settle
    # Its lock names a dead pid on this host: taken over at once, not after the lease.
    store = held_store(url, "w1")
    assert store.seen(["a.com/1"])["a.com/1"].status == "kept"
    assert store.seen(["a.com/2"]) == {}  # forgotten: fetched and written again next time
    assert store.counts() == {"kept": 1}


def test_another_worker_on_the_host_settles_a_dead_workers_claim_before_claiming(url, tmp_path):
    run_worker(KILLED_MID_WRITE, url, "w1", tmp_path)
    store = held_store(url, "w2")
    out = tmp_path / "w2.jsonl"
    with pytest.raises(ClaimedElsewhere, match="already written"):
        store.begin_write(["a.com/1"], "x", "1111111111111111", out, None, 1)
    store.begin_write(["a.com/2"], "x", "2222222222222222", out, None, 1)  # taken over
    store.finish_write(["a.com/2"], "2222222222222222", [7])
    assert {k: s.status for k, s in store.seen(["a.com/1", "a.com/2"]).items()} == {
        "a.com/1": "kept",
        "a.com/2": "kept",
    }


def test_a_live_workers_claim_is_never_taken(url, tmp_path):
    writer, other = held_store(url, "w1"), held_store(url, "w2")
    writer.begin_write(["a.com/1", "a.com/1?amp"], "x", "1111111111111111", tmp_path / "a", None, 1)
    with pytest.raises(ClaimedElsewhere, match="worker w1"):
        other.begin_write(["a.com/1"], "x", "1111111111111111", tmp_path / "b", None, 1)
    writer.finish_write(["a.com/1", "a.com/1?amp"], "1111111111111111", [1])
    with pytest.raises(ClaimedElsewhere, match="already written"):
        other.begin_write(["a.com/1?amp"], "x", "1111111111111111", tmp_path / "b", None, 1)
    # A newer version (an updated article) may be claimed over a kept one.
    other.begin_write(["a.com/1"], "x", "1111111111111111", tmp_path / "b", "2024-09-15", 2)


RACE = """
numbers = list(range(400)) if worker == "w1" else list(range(399, -1, -1))
while not Path(os.environ["GO"]).exists():
    time.sleep(0.001)
with out.open("a") as written:
    for n in numbers:
        rid = f"{n:016x}"
        try:
            store.begin_write([f"a.com/{n}", f"a.com/{n}/"], "x", rid, out, None, 1)
        except ClaimedElsewhere:
            continue
        written.write(rid + "\\n")
        written.flush()
        store.finish_write([f"a.com/{n}", f"a.com/{n}/"], rid, [n])
"""


def test_two_workers_racing_over_the_same_articles_each_write_a_different_part(
    url, tmp_path, monkeypatch
):
    """Two processes claim the same 400 articles in opposite orders at the same moment: every
    article is written by exactly one of them."""
    monkeypatch.setenv("GO", str(tmp_path / "go"))
    workers = [start_worker(RACE, url, w, tmp_path) for w in ("w1", "w2")]
    time.sleep(1.5)  # both imported and waiting
    (tmp_path / "go").touch()
    assert [w.wait(60) for w in workers] == [0, 0]
    first = (tmp_path / "w1").read_text().split()
    second = (tmp_path / "w2").read_text().split()
    assert not set(first) & set(second), "an article was written by both workers"
    assert sorted(first + second) == sorted(f"{n:016x}" for n in range(400))
    assert first and second  # both really raced
    assert RedisStateStore(url, "w3").counts() == {"kept": 800}  # two URL keys per article


def test_a_dead_workers_claim_on_another_host_waits_for_that_worker(url, tmp_path, monkeypatch):
    monkeypatch.setattr(state_redis, "HOST", "other-machine")
    away = held_store(url, "w9")
    away.begin_write(["a.com/1"], "x", "1111111111111111", tmp_path / "o.jsonl", None, 1)
    monkeypatch.undo()
    redis.Redis.from_url(url.split("?")[0]).delete("newswatch:lock:w9")  # its lease ran out
    store = held_store(url, "w1")
    assert store.stranded == {"w9 on other-machine": 1}
    with pytest.raises(ClaimedElsewhere, match="worker w9 on other-machine"):
        store.begin_write(["a.com/1"], "x", "1111111111111111", tmp_path / "p.jsonl", None, 1)
    assert store.seen(["a.com/1"])["a.com/1"].status == "writing"  # not fetched, not lost
    assert store.forget("x") == 1  # what an operator does if w9 never comes back


def test_near_duplicate_lookup_finds_the_record_sharing_most_of_the_sketch(url):
    store = RedisStateStore(url, "w1")
    store.finish_write([], "aaaaaaaaaaaaaaaa", list(range(16)))
    store.finish_write([], "bbbbbbbbbbbbbbbb", list(range(100, 116)))
    assert store.near_duplicate([*range(10), *range(200, 206)]) == "aaaaaaaaaaaaaaaa"
    assert store.near_duplicate([*range(3), *range(300, 313)]) is None
    assert store.near_duplicate([]) is None


def test_forget_one_outlet_lets_it_be_crawled_again(url, tmp_path):
    store = held_store(url, "w1")
    store.mark(["a.com/1"], "alpha", "off_topic")
    store.begin_write(["a.com/2"], "alpha", "2222222222222222", tmp_path / "o", None, 1)
    store.finish_write(["a.com/2"], "2222222222222222", [5])
    store.mark(["b.com/1"], "beta", "off_topic")
    assert store.forget("alpha") == 2
    assert list(store.seen(["a.com/1", "a.com/2", "b.com/1"])) == ["b.com/1"]
    assert store.counts() == {"off_topic": 1}
    assert store.near_duplicate([5]) == "2222222222222222"  # sketches stay
    assert store.forget() == 1 and store.counts() == {}


def test_the_run_lock_is_per_worker_and_refuses_a_second_run_of_one_worker(url):
    run_lock(url, "w1").acquire()
    run_lock(url, "w1").acquire()  # the same process may take it again (several crawlers)
    code = f"from newswatch.state import run_lock; run_lock({url!r}, {{w!r}}).acquire()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def other(worker: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", code.replace("{w!r}", repr(worker))],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )

    same = other("w1")
    assert same.returncode != 0
    assert f"another newswatch run (pid {os.getpid()} on " in same.stderr
    assert "worker w1" in same.stderr and "wait for it to finish" in same.stderr
    assert other("w2").returncode == 0  # another worker runs alongside


def test_a_lock_renews_itself_and_a_holder_that_vanished_elsewhere_frees_it(url):
    client = redis.Redis.from_url(url.split("?")[0], decode_responses=True)
    run_lock(url, "w1").acquire()  # lease 2 s, renewed every 2/3 s
    token = client.get("newswatch:lock:w1")
    time.sleep(3)
    assert client.get("newswatch:lock:w1") == token
    # A holder on another machine that stopped renewing: refused until its lease runs out.
    client.set("newswatch:lock:w2", "other-machine|4242|abcd", px=1000)
    with pytest.raises(StateError, match=r"another newswatch run \(pid 4242 on other-machine"):
        RedisRunLock(url, "w2").acquire()
    time.sleep(1.2)
    RedisRunLock(url, "w2").acquire()
    assert client.get("newswatch:lock:w2").startswith(f"{socket.gethostname()}|{os.getpid()}|")


def test_open_state_chooses_redis_by_url_and_reports_an_unreachable_server(url):
    store = open_state(url, "w1")
    assert isinstance(store, RedisStateStore) and store.path == url.split("?")[0]
    with pytest.raises(StateError, match=r"cannot be used.*fix NEWSWATCH_STATE"):
        open_state(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(StateError, match="lease must be seconds"):
        open_state(f"{url.split('?')[0]}?lease=soon")
