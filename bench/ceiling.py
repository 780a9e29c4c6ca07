"""The ceiling: a bare Scrapy spider that only follows links and discards the bodies.

    python -m bench.ceiling ORIGIN STATS_FILE [NAME=VALUE ...]

It reads the same routes as the jagonews24 spider (the international listing and the sitemap
index), requests the same article pages from the same origin with the same settings, and does
nothing with them: how fast this machine can fetch the mirror through Scrapy at all.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.sitemap import Sitemap

BASE = "https://www.jagonews24.com"
ARTICLE = re.compile(r"^https?://[^/?#]+/international/news/\d+$")


class CeilingSpider(scrapy.Spider):
    name = "ceiling"

    def __init__(self, origin: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.origin = origin

    def local(self, url: str) -> str:
        return url.replace(BASE, self.origin, 1)

    async def start(self) -> Iterator[scrapy.Request]:
        yield scrapy.Request(self.local(BASE + "/international"), callback=self.parse_listing)
        yield scrapy.Request(
            self.local(BASE + "/sitemaps/news-sitemap.xml"), callback=self.parse_sitemap
        )

    def parse_listing(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if ARTICLE.search(url):
                yield scrapy.Request(self.local(url), callback=self.discard)

    def parse_sitemap(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        sitemap = Sitemap(response.body)
        for entry in sitemap:
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(self.local(entry["loc"]), callback=self.parse_sitemap)
            elif ARTICLE.search(entry["loc"]):
                yield scrapy.Request(self.local(entry["loc"]), callback=self.discard)

    def discard(self, response: scrapy.http.Response) -> None:
        return None


def main(argv: list[str]) -> int:
    origin, stats_file, *overrides = argv
    settings: dict[str, Any] = {
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    }
    settings.update(o.split("=", 1) for o in overrides)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CeilingSpider)
    process.crawl(crawler, origin=origin)
    process.start()
    stats = {
        k: (v.isoformat() if isinstance(v, datetime) else v)
        for k, v in crawler.stats.get_stats().items()
    }
    with open(stats_file, "w", encoding="utf-8") as out:
        json.dump(stats, out, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
