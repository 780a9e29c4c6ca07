"""Queued requests wait on disk (newswatch/diskqueue.py): through a real crawl, every article
request goes through Scrapy's disk queue, and no queue folder outlives the crawl."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.spiderloader import get_spider_loader
from scrapy.squeues import PickleLifoDiskQueue
from scrapy.utils.test import get_crawler

from newswatch.diskqueue import RequestDiskQueue
from newswatch.fixtureserver import serving
from newswatch.runner import project_settings
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


def _spider(tmp_path):
    spider_class = get_spider_loader(project_settings()).load("jagonews24")
    crawler = get_crawler(spider_class, {"NEWSWATCH_DATA_DIR": str(tmp_path / "data")})
    crawler.spider = spider_class.from_crawler(crawler)
    return crawler


def _stored(queue) -> dict:
    """What the queue wrote: the dict below Scrapy's request layer."""
    return super(PickleLifoDiskQueue, queue).pop()


def test_the_queue_stores_a_request_as_scrapys_own_queue_does(tmp_path):
    crawler = _spider(tmp_path)
    spider = crawler.spider
    request = spider.article_request("http://127.0.0.1/international/news/1", "2025")
    ours = RequestDiskQueue.from_crawler(crawler, str(tmp_path / "ours"))
    scrapys = PickleLifoDiskQueue.from_crawler(crawler, str(tmp_path / "scrapy"))
    for queue in (ours, scrapys):
        queue.push(request)
        queue.push(request)
    stored = _stored(ours)
    assert stored == _stored(scrapys)
    assert (stored["callback"], stored["errback"]) == ("parse_article", "article_failed")
    back = ours.pop()
    assert back.url == request.url and back.meta == request.meta
    assert back.callback == spider.parse_article and back.errback == spider.article_failed


def test_a_callback_that_is_not_the_spiders_own_method_goes_scrapys_way(tmp_path):
    crawler = _spider(tmp_path)
    spider = crawler.spider
    queue = RequestDiskQueue.from_crawler(crawler, str(tmp_path / "ours"))
    # Scrapy refuses a callback it cannot name; its scheduler then keeps the request in memory.
    with pytest.raises(ValueError):
        queue.push(Request("http://127.0.0.1/a", callback=lambda response: None))
    # Stored by its name, this callback would come back as the instance attribute that now
    # hides it; Scrapy's lookup refuses it instead.
    hidden = spider.parse_article
    spider.parse_article = spider.article_failed
    with pytest.raises(ValueError):
        queue.push(Request("http://127.0.0.1/b", callback=hidden))
    queue.push(Request("http://127.0.0.1/c"))  # no callback: the spider's parse
    assert _stored(queue)["callback"] is None
