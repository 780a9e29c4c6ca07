"""Item pipelines, one concern each, in the order `newswatch/settings.py` runs them:
normalise -> validate -> topics -> dedupe; the feed export then writes what is left."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem


class OutletPipeline:
    """What every newswatch pipeline shares: the crawler, and counters kept per outlet."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutletPipeline:
        return cls(crawler)

    def count(self, item: Any, what: str) -> None:
        outlet = ItemAdapter(item).get("outlet") or "unknown"
        self.crawler.stats.inc_value(f"newswatch/{outlet}/{what}")

    def drop(self, item: Any, reason: str, log_level: str = "WARNING") -> DropItem:
        """Count the item under `dropped/<reason>` and return the DropItem to raise."""
        self.count(item, f"dropped/{reason}")
        adapter = ItemAdapter(item)
        return DropItem(f"{reason}: {adapter.get('url')}", log_level=log_level)
