"""Queued requests wait on disk (newswatch/diskqueue.py): through a real crawl, every article
request goes through Scrapy's disk queue, and no queue folder outlives the crawl."""

from __future__ import annotations

from newswatch.fixtureserver import serving
from tests.conftest import run_crawl
from tests.sitegen import build_site


def test_a_crawl_queues_its_requests_on_disk_and_removes_the_queue(tmp_path):
    site = tmp_path / "site"
    on_topic = build_site(site, 12, on_topic_every=3)
    queues = tmp_path / "data" / "queue"
    stale = queues / "jagonews24-999999999"  # a killed crawl's queue (no such process)
    (stale / "requests.queue").mkdir(parents=True)
    other = queues / "inqilab-999999999"  # another outlet's: left to that outlet
    other.mkdir()
    with serving(site) as origin:
        result = run_crawl("jagonews24", origin, tmp_path)
    assert result.returncode == 0, result.log[-2000:]
    assert {r["url"] for r in result.records} == on_topic
    assert result.stats["scheduler/enqueued/disk"] >= 12  # every article page, at least
    assert result.stats.get("scheduler/unserializable", 0) == 0
    assert sorted(p.name for p in queues.iterdir()) == ["inqilab-999999999"]


def test_without_the_disk_queue_requests_wait_in_memory(tmp_path):
    site = tmp_path / "site"
    on_topic = build_site(site, 6, on_topic_every=3)
    with serving(site) as origin:
        result = run_crawl("jagonews24", origin, tmp_path, "-s", "NEWSWATCH_DISK_QUEUE=False")
    assert {r["url"] for r in result.records} == on_topic
    assert "scheduler/enqueued/disk" not in result.stats
    assert result.stats["scheduler/enqueued/memory"] >= 6
    assert not (tmp_path / "data" / "queue").exists()
