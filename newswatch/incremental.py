"""Incremental crawling: the state store wired into Scrapy.

- `StateExtension` opens the store (and the run lock) for a crawler, marks every dropped article
  (off-topic, invalid, unchanged) as seen with its reason, and closes the store at the end.
- `SeenFilterMiddleware` drops article requests whose URL is already in the store before they are
  scheduled, like scrapy-deltafetch, counting them; listing, feed and sitemap requests pass.
  A request that carries a `lastmod` newer than the written record's `modified` passes too, so
  an updated article is fetched again.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newswatch.dates import parse_datetime
from newswatch.state import RunLock, Seen, StateError, StateStore, open_state, state_location
from newswatch.urls import url_key

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
            RunLock(location).acquire()
            crawler.newswatch_state = open_state(location)
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
        status = "off_topic" if reason == "off_topic" else "rejected"
        store.mark(item_keys(item), spider.name, status, reason)

    def spider_closed(self, spider: Any) -> None:
        store = state_for(self.crawler)
        if store is not None:
            store.close()


class SeenFilterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenFilterMiddleware:
        return cls(crawler)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        batch: list[Any] = []
        async for output in result:
            batch.append(output)
        for output in self._filter(batch):
            yield output

    def process_spider_output_sync(self, response: Response, result: Iterable[Any]):
        yield from self._filter(list(result))

    def _filter(self, outputs: list[Any]) -> Iterable[Any]:
        store = state_for(self.crawler)
        articles = [o for o in outputs if isinstance(o, Request) and ARTICLE in o.meta]
        if store is None or not articles:
            yield from outputs
            return
        seen = store.seen(url_key(r.meta[ARTICLE]) for r in articles)
        stats, outlet = self.crawler.stats, self.crawler.spider.name
        for output in outputs:
            if isinstance(output, Request) and ARTICLE in output.meta:
                known = seen.get(url_key(output.meta[ARTICLE]))
                if known and not _updated_since(output.meta.get(LASTMOD), known):
                    stats.inc_value(f"newswatch/{outlet}/skipped/seen")
                    continue
            yield output


def _updated_since(lastmod: str | None, known: Seen) -> bool:
    """A written article whose lastmod is newer than the written record's time is fetched again.
    Off-topic and rejected pages are not: their lastmod would bring them back every run."""
    if not lastmod or known.status != "kept":
        return False
    new, old = parse_datetime(lastmod), parse_datetime(known.modified)
    return bool(new and old and new > old)
