"""The SQLite state store: marks, crash recovery of unfinished writes, corruption, the run lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newswatch.state import MARK_BATCH, RunLock, SQLiteStateStore, StateError, open_state


def test_urls_are_remembered_across_opens_with_status_and_reason(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    store.mark(["a.com/1"], "x", "off_topic", "off_topic")
    store.mark(["a.com/2"], "x", "rejected", "missing_published")
    store.close()
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    seen = store.seen(["a.com/1", "a.com/2", "a.com/3"])
    assert {k: v.status for k, v in seen.items()} == {"a.com/1": "off_topic", "a.com/2": "rejected"}
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_kept_url_is_not_downgraded_by_a_later_mark(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    store.begin_write(["a.com/1"], "x", "0123456789abcdef", tmp_path / "o.jsonl", None, 1)
    store.finish_write(["a.com/1"], "0123456789abcdef", [1, 2, 3])
    store.mark(["a.com/1"], "x", "rejected", "unchanged")
    assert store.seen(["a.com/1"])["a.com/1"].status == "kept"


def test_an_interrupted_write_is_settled_on_next_open(tmp_path):
    out = tmp_path / "o.jsonl"
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    # Killed after the line reached the file, before it was marked kept:
    store.begin_write(["a.com/1"], "x", "1111111111111111", out, None, 1)
    out.write_text('{"id": "1111111111111111", "text": "..."}\n')
    # Killed before the line reached the file:
    store.begin_write(["a.com/2"], "x", "2222222222222222", out, None, 1)
    store.close()
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    assert store.seen(["a.com/1"])["a.com/1"].status == "kept"
    assert store.seen(["a.com/2"]) == {}  # forgotten: fetched and written again next time


def test_off_topic_marks_are_seen_at_once_and_committed_in_batches(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    store.mark(["a.com/1"], "x", "off_topic", "no_topic_terms")
    assert store.seen(["a.com/1"])["a.com/1"].status == "off_topic"  # flushed by the lookup
    for n in range(2, MARK_BATCH + 10):
        store.mark([f"a.com/{n}"], "x", "off_topic", "no_topic_terms")
    # A second connection (another process) sees the committed batch, not the pending tail.
    other = sqlite3.connect(tmp_path / "s.sqlite")
    committed = other.execute("SELECT COUNT(*) FROM urls").fetchone()[0]
    assert committed == 1 + MARK_BATCH  # 8 marks still pending
    store.close()  # the tail is committed on close
    assert other.execute("SELECT COUNT(*) FROM urls").fetchone()[0] == MARK_BATCH + 9


def test_a_write_is_committed_at_once_whatever_marks_are_pending(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    store.mark(["a.com/1"], "x", "off_topic")
    store.begin_write(["a.com/2"], "x", "2222222222222222", tmp_path / "o.jsonl", None, 1)
    other = sqlite3.connect(tmp_path / "s.sqlite")
    statuses = dict(other.execute("SELECT key, status FROM urls").fetchall())
    assert statuses == {"a.com/1": "off_topic", "a.com/2": "writing"}


def test_a_write_is_one_transaction(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    keys = ["a.com/1", "m.a.com/1"]
    store.begin_write(keys, "x", "1111111111111111", tmp_path / "o.jsonl", None, 1)
    # The sketch fails after both URLs were set to kept: neither change may stay.
    with pytest.raises(sqlite3.Error):
        store.finish_write(keys, "1111111111111111", [1, object()])  # type: ignore[list-item]
    assert {k: v.status for k, v in store.seen(keys).items()} == dict.fromkeys(keys, "writing")
    assert store.db.execute("SELECT COUNT(*) FROM sketches").fetchone()[0] == 0
    assert not store.db.in_transaction


def test_near_duplicate_lookup_finds_the_record_sharing_most_of_the_sketch(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    store.finish_write([], "aaaaaaaaaaaaaaaa", list(range(16)))
    store.finish_write([], "bbbbbbbbbbbbbbbb", list(range(100, 116)))
    assert store.near_duplicate([*range(10), *range(200, 206)]) == "aaaaaaaaaaaaaaaa"
    assert store.near_duplicate([*range(3), *range(300, 313)]) is None


def test_a_corrupt_state_file_is_reported_with_how_to_recover(tmp_path):
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    with pytest.raises(StateError, match="move it aside"):
        open_state(str(path))
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"  # never silently replaced


def test_forget_one_outlet_lets_it_be_crawled_again(tmp_path):
    store = SQLiteStateStore(tmp_path / "s.sqlite")
    store.mark(["a.com/1"], "alpha", "off_topic")
    store.mark(["b.com/1"], "beta", "off_topic")
    assert store.forget("alpha") == 1
    assert list(store.seen(["a.com/1", "b.com/1"])) == ["b.com/1"]


def test_the_run_lock_refuses_a_second_process(tmp_path):
    location = str(tmp_path / "state.sqlite")
    RunLock(location).acquire()
    RunLock(location).acquire()  # the same process may take it again (several crawlers)
    code = f"from newswatch.state import RunLock; RunLock({location!r}).acquire()"
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert other.returncode != 0
    assert "another newswatch run" in other.stderr and "wait for it to finish" in other.stderr
