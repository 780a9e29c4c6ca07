"""Incremental crawling: the state store wired into Scrapy.

- `StateExtension` opens the store (and the run lock) for a crawler, marks every dropped article
  (off-topic, invalid, unchanged) as seen with its reason, and closes the store at the end.
- Article links already in the store are dropped before they are scheduled, like
  scrapy-deltafetch does, by the spider's discovery (`DiscoveryMixin.fresh_articles`), where
  pagination also learns whether a page brought anything new.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newswatch.state import StateError, StateStore, open_state, run_lock, state_location

logger = logging.getLogger(__name__)
ARTICLE = "newswatch_article"  # request meta: the article's real URL (set by the outlet base)
LASTMOD = "newswatch_lastmod"  # request meta: a sitemap/feed's modification time, if known


def state_for(crawler: Crawler) -> StateStore | None:
    """The crawler's state store, or None when it could not be opened (the run then stops)."""
    return getattr(crawler, "newswatch_state", None)


def item_keys(item: Any) -> list[str]:
    """Every URL key an article was reached by (link, fetched URL, canonical URL)."""
    return list(getattr(item, "url_keys", ()))


class StateExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        location = state_location(
            crawler.settings.get("NEWSWATCH_STATE"), crawler.settings.get("NEWSWATCH_DATA_DIR")
        )
        crawler.newswatch_state = None
        try:
            worker = crawler.settings.get("NEWSWATCH_WORKER_ID", "")
            run_lock(location, worker).acquire()
            crawler.newswatch_state = open_state(location, worker)
        except StateError as error:
            self.error = str(error)
            crawler.signals.connect(self.refuse_to_crawl, signal=signals.spider_opened)
            return
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        return cls(crawler)

    def refuse_to_crawl(self, spider: Any) -> None:
        logger.critical("newswatch: %s", self.error)
        self.crawler.stats.set_value("newswatch/state_error", self.error)
        self.crawler.engine.close_spider(spider, reason="state_unavailable")

    def item_dropped(
        self, item: Any, response: Response, exception: Exception, spider: Any
    ) -> None:
        store = state_for(self.crawler)
        if store is None or not item_keys(item):
            return
        reason = str(exception).split(":", 1)[0]
        if reason == "claimed_elsewhere":
            return  # another worker writes it (newswatch/state_redis.py): its mark, not ours
        status = "off_topic" if reason == "off_topic" else "rejected"
        store.mark(item_keys(item), spider.name, status, reason)

    def spider_closed(self, spider: Any) -> None:
        store = state_for(self.crawler)
        if store is not None:
            store.close()
