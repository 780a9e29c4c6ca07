"""Discovery: where an outlet's new articles are found, for `OutletSpider`.

Routes (declared per spider, see newswatch/outlet.py): section/tag listings with pagination,
RSS/Atom feeds, sitemaps (indexes, Google News), the site's search queried with the topics'
search terms, and listings that need a browser (scrapy-playwright).

Two modes:
- monitoring (the default): each route's newest page; a paginated listing goes one page further
  only while a page brings something new (a link not in the state store), at most
  NEWSWATCH_MONITOR_PAGES pages;
- backfill (``-a since=2023-01-01``, optional ``-a until=``): pagination is walked back until a
  page's articles are older than `since` (at most NEWSWATCH_BACKFILL_PAGES pages); feed and
  sitemap entries outside the window are not requested; articles published outside the window
  are not written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urljoin

import feedparser
import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap
from scrapy_playwright.page import PageMethod
from twisted.internet import defer
from twisted.internet.error import ConnectionDone, ConnectionLost, DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.web._newclient import ResponseFailed

from newswatch.dates import DHAKA, parse_datetime
from newswatch.incremental import ARTICLE, LASTMOD, state_for
from newswatch.topics import TopicSet
from newswatch.urls import url_key

WALK = "newswatch_walk"  # listing request meta: (route, page number)
# Article request meta in backfill: (route, page number) of the listing page it came from. The
# page itself stays with the spider (`pages`): requests wait pickled in a disk queue, and a copy
# of the page per request could not count its articles down.
PAGE = "newswatch_page"


class DateError(ValueError):
    """A bad `since`/`until`: the message says what to write instead."""


def parse_day(value: str | None, name: str, end_of_day: bool = False) -> datetime | None:
    """`2023-01-01` -> that day's start (or end) in Dhaka time."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise DateError(f"{name} must be a date like 2023-01-01 (got {value!r})") from None
    moment = datetime.combine(day, time.min, DHAKA)
    return moment + timedelta(days=1) - timedelta(microseconds=1) if end_of_day else moment


@dataclass
class ListingPage:
    """One fetched page of a paginated route, while its fresh articles are read (backfill)."""

    route: str
    number: int
    next_url: str | None
    pending: int = 0
    oldest: datetime | None = None
    dates: list[datetime] = field(default_factory=list)

    def resolved(self, published: datetime | None) -> bool:
        """One article of this page is done; True when it was the last one."""
        if published:
            self.oldest = min(self.oldest or published, published)
        self.pending -= 1
        return self.pending == 0


class DiscoveryMixin:
    """Route handling for OutletSpider (which supplies the declarations and URL helpers)."""

    since: datetime | None
    until: datetime | None

    def init_discovery(self, since: str | None, until: str | None) -> None:
        self.since = parse_day(since, "since")
        self.until = parse_day(until, "until", end_of_day=True)
        if self.since and self.until and self.until < self.since:
            raise DateError(f"until ({until}) is before since ({since})")
        self.requested: set[str] = set()  # article URL keys requested this run, by any route
        self.pages: dict[tuple[str, int], ListingPage] = {}  # backfill pages with articles out

    @property
    def backfill(self) -> bool:
        return self.since is not None

    def stat(self, name: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newswatch/{self.name}/{name}", count)

    # -- start ------------------------------------------------------------------------------

    def route_requests(self) -> Iterator[scrapy.Request]:
        absolute = self.absolute
        for url in self.listings:
            yield self.listing_request(absolute(url), 1)
        for url in self.js_listings:
            yield self.listing_request(absolute(url), 1, browser=True)
        for template in self.searches:
            for term in self.search_terms():
                yield self.listing_request(absolute(template.format(query=quote(term))), 1)
        for url in self.feeds:
            yield scrapy.Request(self.to_origin(absolute(url)), callback=self.parse_feed)
        for url in self.sitemaps:
            for dated in self.dated(url):
                yield scrapy.Request(self.to_origin(absolute(dated)), callback=self.parse_sitemap)

    def dated(self, template: str) -> list[str]:
        """A route with `{date}` (daily sitemaps: `/daily-sitemap/{date}/sitemap.xml`): today and
        yesterday in Dhaka time, or in backfill every day from `since` to `until` (or today)."""
        if "{date}" not in template:
            return [template]
        today = datetime.now(DHAKA).date()
        if self.backfill:
            first, last = self.since.date(), min(self.until.date() if self.until else today, today)
        else:
            first, last = today - timedelta(days=1), today
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [template.format(date=day.isoformat()) for day in sorted(days, reverse=True)]

    def absolute(self, url: str) -> str:
        return urljoin(self.base_url, url)

    def search_terms(self) -> list[str]:
        """NEWSWATCH_SEARCH_TERMS when set, else the `search` phrases of the run's topics."""
        override = self.crawler.settings.getlist("NEWSWATCH_SEARCH_TERMS")
        if override:
            return override
        names = self.topics or self.crawler.settings.getlist("NEWSWATCH_TOPICS") or None
        return TopicSet.load(names).search_terms()

    def listing_request(self, url: str, number: int, browser: bool = False) -> scrapy.Request:
        meta: dict[str, Any] = {WALK: (url, number)}
        if browser and not self.crawler.settings.getbool("NEWSWATCH_NO_BROWSER"):
            meta.update(playwright=True, playwright_page_methods=self.browser_steps())
        return scrapy.Request(
            self.to_origin(url), callback=self.parse_listing, meta=meta, dont_filter=number > 1
        )

    def browser_steps(self) -> list[PageMethod]:
        """Wait for script-inserted links (without it they are missed about half the time), and
        click "load more" once when the outlet has one."""
        links = f"{self.listing_area or 'body'} a[href]"
        steps = [PageMethod("wait_for_selector", links)]
        if self.js_load_more:
            count = f"document.querySelectorAll({links!r}).length"
            steps += [
                PageMethod("evaluate", f"window.__newswatchLinks = {count}"),
                PageMethod("click", self.js_load_more),
                PageMethod("wait_for_function", f"{count} > window.__newswatchLinks"),
            ]
        return steps

    # -- which links are worth a request ------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        # Only the outlet's own domains: article requests bypass Scrapy's filters (see below).
        return bool(self._article_pattern.search(url)) and self.is_same_site(url)

    def fresh_articles(self, candidates: Iterable[tuple[str, str | None]]) -> list[tuple]:
        """The (url, lastmod) pairs worth fetching: not requested yet this run, and not in the
        state store, unless a newer lastmod says a written article was updated."""
        unique: dict[str, tuple[str, str | None]] = {}
        for url, lastmod in candidates:
            if self.is_article_url(url):
                unique.setdefault(url_key(url), (url, lastmod))
        store = state_for(self.crawler)
        known = store.seen(unique) if store is not None else {}
        fresh = []
        for key, (url, lastmod) in unique.items():
            if key in self.requested:
                continue
            if key in known and not _updated(lastmod, known[key]):
                self.stat("skipped/seen")
                continue
            # In a distributed run `requested` is the run's shared set (newswatch/distributed.py):
            # add() is False when another worker requested it first (a set's add returns None).
            if self.requested.add(key) is False:
                continue
            fresh.append((url, lastmod))
        return fresh

    def article_request(
        self, url: str, lastmod: str | None = None, page: tuple[str, int] | None = None
    ) -> scrapy.Request:
        meta = {ARTICLE: url, LASTMOD: lastmod, PAGE: page}
        # dont_filter: fresh_articles already removed repeats, and Scrapy's dupefilter would
        # otherwise drop a sitemap entry's lastmod when a listing linked the article first.
        return scrapy.Request(
            self.to_origin(url),
            callback=self.parse_article,
            meta=meta,
            errback=self.article_failed,
            dont_filter=True,
        )

    # -- listings (sections, tags, search results, browser-rendered pages) ------------------

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        route, number = response.meta[WALK]
        links = (
            self.article_links.extract_links(response) if isinstance(response, TextResponse) else []
        )
        self.stat("listing/pages")
        self.stat("listing/article_links", len(links))
        # Relative links resolve against the fetched URL (the origin): back to the real site.
        fresh = self.fresh_articles((self.to_real(link.url), None) for link in links)
        page = ListingPage(
            route, number, self.next_page_url(response, route, number), pending=len(fresh)
        )
        if self.backfill and fresh:
            self.pages[(route, number)] = page
        for url, lastmod in fresh:
            yield self.article_request(url, lastmod, (route, number) if self.backfill else None)
        if not self.backfill:
            # Monitoring: a page with nothing new means the older pages hold nothing new either.
            limit = self.crawler.settings.getint("NEWSWATCH_MONITOR_PAGES")
            if fresh and page.next_url and number < limit:
                yield self.listing_request(page.next_url, number + 1)
            elif page.next_url and not fresh:
                self.stat("listing/stopped_nothing_new")
        elif page.pending == 0:
            yield from self.next_backfill_page(page)

    def next_page_url(self, response: Response, route: str, number: int) -> str | None:
        if not self.next_page:
            return None
        if "{page}" in self.next_page:
            return self.absolute(self.next_page.format(page=number + 1))
        href = (
            response.css(self.next_page).attrib.get("href")
            if isinstance(response, TextResponse)
            else None
        )
        return self.to_real(response.urljoin(href)) if href else None

    def next_backfill_page(self, page: ListingPage) -> Iterator[scrapy.Request]:
        """Backfill: go on while this page's articles reach back no further than `since`."""
        limit = self.crawler.settings.getint("NEWSWATCH_BACKFILL_PAGES")
        if page.oldest and page.oldest < self.since:
            self.stat("listing/stopped_at_since")
        elif page.next_url and page.number < limit:
            yield self.listing_request(page.next_url, page.number + 1)

    def resolve(self, response_or_request: Any, published: datetime | None) -> Iterator:
        """An article of a backfill page is done (read, skipped or failed)."""
        key = response_or_request.meta.get(PAGE)
        page = self.pages.get(tuple(key)) if key else None
        if page is not None and page.resolved(published):
            del self.pages[(page.route, page.number)]
            yield from self.next_backfill_page(page)

    def in_window(self, published: datetime | None) -> bool:
        if published is None or not self.backfill:
            return True
        return self.since <= published and (self.until is None or published <= self.until)

    def article_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        """An article page that gave no response to read: counted by cause, never marked seen,
        so a later run asks again while a route still lists it."""
        self.stat("articles/failed")
        cause = failure_stat(failure)
        if cause:
            self.stat(cause)
        yield from self.resolve(failure.request, None)

    # -- feeds and sitemaps -----------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS 0.9x/1.0/2.0 and Atom, by feedparser; entries outside a backfill window skipped."""
        feed = feedparser.parse(response.body)
        self.stat("listing/pages")
        entries = []
        for entry in feed.entries:
            when = entry.get("updated") or entry.get("published")
            if self.backfill and not self.in_window(parse_datetime(when)):
                continue
            entries.append((self.to_real(response.urljoin(entry.get("link", ""))), when))
        self.stat("listing/article_links", len(entries))
        for url, lastmod in self.fresh_articles(entries):
            yield self.article_request(url, lastmod)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A sitemap index leads to its sitemaps; a urlset's articles are requested with their
        `lastmod`. Scrapy's Sitemap parser never resolves XML entities."""
        body = response.body
        if gzip_magic_number(response):  # capped: a small .gz can inflate without bound
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        sitemap = Sitemap(body)
        self.stat("listing/pages")
        entries = [
            (self.to_real(response.urljoin(e["loc"])), e.get("lastmod"))
            for e in sitemap
            if e.get("loc")
        ]
        if self.backfill:  # an entry (or a whole child sitemap) last changed before `since`
            entries = [
                (u, m)
                for u, m in entries
                if m is None or parse_datetime(m) is None or parse_datetime(m) >= self.since
            ]
        if sitemap.type == "sitemapindex":
            for loc, _lastmod in entries:
                yield scrapy.Request(self.to_origin(loc), callback=self.parse_sitemap)
            return
        self.stat("listing/article_links", len(entries))
        for url, lastmod in self.fresh_articles(entries):
            yield self.article_request(url, lastmod)


def failure_stat(failure: Any) -> str | None:
    """The stat name of a failed request's cause (None: a newswatch middleware counted it)."""
    error = failure.value
    if getattr(error, "stat", None):  # newswatch.middlewares.Refused
        return None
    if isinstance(error, HttpError):
        return f"errors/http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "robots.txt" in message:
            return "skipped/robots"
        if "DOWNLOAD_MAXSIZE" in message:  # a compressed body inflating past the limit
            return "errors/too_large"
        return "errors/ignored"
    for kinds, name in FAILURES:
        if isinstance(error, kinds):
            return name
    return f"errors/{type(error).__name__}"


# Download failures by cause. Scrapy 2.13+ raises its own exception types; Twisted's are kept
# for the failures that still surface as such.
FAILURES: list[tuple[tuple[type[BaseException], ...], str]] = [
    ((DownloadTimeoutError, TimeoutError, defer.TimeoutError, TxTimeoutError), "errors/timeout"),
    ((DownloadCancelledError,), "errors/too_large"),  # DOWNLOAD_MAXSIZE, declared or streamed
    ((ResponseDataLossError,), "errors/data_loss"),  # fewer bytes than Content-Length said
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "errors/connection_refused"),
    ((CannotResolveHostError, DNSLookupError), "errors/dns"),
    (
        (DownloadFailedError, ConnectionLost, ConnectionDone, ResponseFailed),
        "errors/connection_lost",
    ),
]


def _updated(lastmod: str | None, known: Any) -> bool:
    """A written article whose lastmod is newer than the written record's time is fetched again.
    Off-topic and rejected pages are not: their lastmod would bring them back every run."""
    if not lastmod or known.status != "kept":
        return False
    new, old = parse_datetime(lastmod), parse_datetime(known.modified)
    return bool(new and old and new > old)
