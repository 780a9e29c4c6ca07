"""The browser route's helpers: what a page in Chromium may load, and the challenge fallback.

Several outlets answer some requests (not their feeds) with a bot challenge: a 403/503, or a 200
page that only fills in by script. `ChallengeMiddleware` retries such a response once through
Playwright and counts it (`newswatch/<outlet>/challenge/retried`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

# Chromium fetches only what the page needs to build its DOM.
HEAVY_RESOURCES = {"image", "font", "media"}
# Lower-cased once, tested with `in`: a case-insensitive regex over 20 KB cost ~1.8 ms a page
# (16 % of a crawl's CPU, bench/RESULTS.md).
CHALLENGE_MARKERS = (
    b"cf-browser-verification",
    b"challenge-platform",
    b"cf_chl_",
    b"just a moment...",
    b"checking your browser",
    b"enable javascript and cookies",
    b"ddos-guard",
    b"captcha",
)


async def abort_heavy_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts and media are never downloaded, and nothing from
    another host than the page's own (CDNs, trackers): the browser stays on the outlet's site,
    which in tests is 127.0.0.1."""
    if request.resource_type in HEAVY_RESOURCES:
        return True
    if request.is_navigation_request():
        return False
    page_host = urlsplit(request.frame.url).netloc
    return bool(page_host) and urlsplit(request.url).netloc != page_host


def is_challenge(response: Response) -> bool:
    """A 403, or a 200/503 page carrying a challenge script's markers. (429 is rate limiting:
    the retry middleware waits and asks again.)"""
    if response.status == 403:
        return True
    if response.status not in (200, 503) or not isinstance(response, TextResponse):
        return False
    head = response.body[:20_000].lower()
    return any(marker in head for marker in CHALLENGE_MARKERS)


class ChallengeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if (
            request.meta.get("playwright")
            or request.url.endswith("/robots.txt")
            or not is_challenge(response)
        ):
            return response
        outlet = self.crawler.spider.name
        self.crawler.stats.inc_value(f"newswatch/{outlet}/challenge/retried")
        return request.replace(meta={**request.meta, "playwright": True}, dont_filter=True)
