"""The outlet spider base: a subclass says what is different about its site; this does the rest.

A spider declares:

    name            spider name, also the record's `outlet` (``jagonews24``)
    outlet_name     the outlet's own name (``Jago News``)
    allowed_domains the outlet's real domains (``["jagonews24.com"]``)
    base_url        the real site root (``https://www.jagonews24.com``)
    article_url     regex searched in each absolute link URL: "this is an article page"
    selectors       CSS per field: title, byline, published, modified, section, tags, body
    exclude         CSS of elements to keep out of the body (share boxes, captions, promos)
    boilerplate     regexes of whole paragraphs to drop (an outlet's fixed footer sentence)

and where new articles are listed (discovery routes; any mix, all optional):

    listings        section/tag/topic pages: paths on base_url or absolute URLs
    listing_area    CSS of the part of a listing page that lists the section's articles
                    (leave sidebars of other sections' "latest" and "popular" links out)
    next_page       how to reach a listing's older pages: CSS of the "next/older" link
                    (``"a[rel=next]"``), or a URL template with ``{page}`` (2, 3, ...)
    feeds           RSS/Atom feed URLs
    sitemaps        sitemap or sitemap-index URLs (Google News sitemaps too); their `lastmod`
                    lets an updated article be fetched again
    searches        site-search URL templates with ``{query}``, filled with the topics' search
                    terms (``"/search?q={query}"``)
    js_listings     listing pages whose links appear only after a script runs: fetched in a
                    real browser (scrapy-playwright), waiting for `listing_area`; optional
    js_load_more    CSS of a "load more" button to click on those pages; optional

and gets: link and sitemap following; `-a topic=a,b` (keep only those topics); origin
rewriting (``-a origin=http://127.0.0.1:8801`` crawls a saved copy of the site: links on the
outlet's domains are sent to the origin instead, while canonical URLs in records stay the real
ones); the three-layer article reader (`newswatch.extract`); one `Article` per article page.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.linkextractors import LinkExtractor
from scrapy.settings import BaseSettings

from newswatch.dates import parse_datetime
from newswatch.discovery import DateError, DiscoveryMixin
from newswatch.diskqueue import remove_queues, use_disk_queue
from newswatch.extract import CSSError, check_css, read_page
from newswatch.incremental import ARTICLE, state_for
from newswatch.items import Article, record_id
from newswatch.text import compile_nfc
from newswatch.topics import TopicError, TopicSet
from newswatch.topics.precheck import TopicPrecheck
from newswatch.urls import canonical_url, url_key

FIELD_NAMES = ("title", "byline", "published", "modified", "section", "tags", "body")


class ConfigError(ValueError):
    """A spider declaration or argument that cannot work; the message says what to fix."""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def on_domains(url: str, domains: Iterable[str]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def parse_origin(origin: str) -> str:
    """`http://127.0.0.1:8801/` -> `http://127.0.0.1:8801`; anything but an origin is an error."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError(f"origin must look like http://127.0.0.1:8801 (got {origin!r})")
    return f"{parts.scheme}://{parts.netloc}"


def unreadable_reason(response: Response) -> str | None:
    """Why an article response cannot be read as a page, or None.

    `not_html`: PDF, image, JSON, XML (anything Scrapy does not take for HTML); `empty`: no
    body; `truncated`: HTML that stops before its end (no closing body or html tag), which no
    complete page does and a cut connection without a Content-Length does."""
    if not isinstance(response, HtmlResponse):
        return "not_html"
    body = response.body
    if not body or body.isspace():
        return "empty"
    if response.meta.get("playwright"):
        return None  # a browser's DOM is always complete
    if not _ends_as_a_page(body):
        return "truncated"
    return None


_PAGE_END = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)


def _ends_as_a_page(body: bytes, reach: int = 65536) -> bool:
    """A closing body or html tag in the last `reach` bytes. Looked for from the end, where it
    is, rather than by a forward scan past every closing tag of the page (per page, hot)."""
    start, end = max(0, len(body) - reach), len(body)
    while (at := body.rfind(b"</", start, end)) >= 0:
        if _PAGE_END.match(body, at):
            return True
        end = at
    return False


class OutletSpider(DiscoveryMixin, scrapy.Spider):
    outlet_name: ClassVar[str]
    base_url: ClassVar[str]
    language: ClassVar[str] = "bn"
    article_url: ClassVar[str]
    # Discovery routes (see the module docstring).
    listings: ClassVar[list[str]] = []
    listing_area: ClassVar[str | None] = None
    next_page: ClassVar[str | None] = None
    feeds: ClassVar[list[str]] = []
    sitemaps: ClassVar[list[str]] = []
    searches: ClassVar[list[str]] = []
    js_listings: ClassVar[list[str]] = []
    js_load_more: ClassVar[str | None] = None
    selectors: ClassVar[dict[str, str]] = {}
    exclude: ClassVar[list[str]] = []
    boilerplate: ClassVar[list[str]] = []

    def __init__(
        self,
        *args: Any,
        origin: str | None = None,
        topic: str | None = None,
        since: str | None = None,
        until: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._check_declaration()
        try:
            self.init_discovery(since, until)
        except DateError as error:
            raise ConfigError(str(error)) from None
        # `-a topic=a,b`: keep only these topics in this run (default: NEWSWATCH_TOPICS / all).
        self.topics = [t.strip() for t in topic.split(",") if t.strip()] if topic else None
        if self.topics:
            try:
                TopicSet.load(self.topics)
            except TopicError as error:
                raise ConfigError(str(error)) from None
        self.outlet_domains = list(self.allowed_domains)
        self.origin = parse_origin(origin) if origin else None
        if self.origin:
            # Instance copy: the class attribute stays the real site's list.
            self.allowed_domains = [*self.outlet_domains, host_of(self.origin)]
        self.article_links = LinkExtractor(
            allow=self.article_url, restrict_css=self.listing_area or (), unique=True
        )
        self.boilerplate_patterns = [compile_nfc(p) for p in self.boilerplate]
        self._article_pattern = re.compile(self.article_url)
        self._precheck: TopicPrecheck | None = None  # built on first use, from the run's topics
        self._without_terms = 0  # article pages so far whose bytes hold no topic term

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        use_disk_queue(settings, cls.name)

    def closed(self, reason: str) -> None:
        remove_queues(self.crawler.settings, self.name)

    @classmethod
    def _check_declaration(cls) -> None:
        missing = [
            a
            for a in ("outlet_name", "base_url", "article_url", "allowed_domains")
            if not getattr(cls, a, None)
        ]
        if missing:
            raise ConfigError(f"spider {cls.name!r} must declare {', '.join(missing)}")
        unknown = set(cls.selectors) - set(FIELD_NAMES)
        if unknown:
            raise ConfigError(
                f"spider {cls.name!r}: unknown selector field(s) {sorted(unknown)}; "
                f"known: {', '.join(FIELD_NAMES)}"
            )
        for css in [*cls.selectors.values(), *cls.exclude]:
            try:
                check_css(css)
            except CSSError as error:
                raise ConfigError(f"spider {cls.name!r}: {error}") from None

    # -- URLs -------------------------------------------------------------------------------

    def to_origin(self, url: str) -> str:
        """The URL to request: a link on the outlet's own domains goes to the origin, if set."""
        if not self.origin or not on_domains(url, self.outlet_domains):
            return url
        parts = urlsplit(url)
        origin = urlsplit(self.origin)
        return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))

    def to_real(self, url: str) -> str:
        """The URL as it is on the real site (for records of pages fetched from the origin)."""
        if not self.origin or host_of(url) != host_of(self.origin):
            return url
        parts = urlsplit(url)
        real = urlsplit(self.base_url)
        return urlunsplit((real.scheme, real.netloc, parts.path, parts.query, ""))

    def is_same_site(self, url: str) -> bool:
        return on_domains(url, self.outlet_domains)

    def mark_rejected(self, response: Response, reason: str, status: str = "rejected") -> None:
        """Remember an article URL that will never give a record, with the reason."""
        store = state_for(self.crawler)
        if store is not None:
            reached = [
                response.meta.get(ARTICLE),
                self.to_real(response.url),
                *map(self.to_real, response.meta.get("redirect_urls", [])),
            ]
            store.mark({url_key(u) for u in dict.fromkeys(reached) if u}, self.name, status, reason)

    def lacks_topic_terms(self, response: Response) -> bool:
        """True when the page's bytes hold no term that a topic of this run needs
        (newswatch/topics/precheck.py): reading it could not give a record, so it is not read.

        Backfill reads every page (its walk needs each page's date). The first pages without
        terms and one in NEWSWATCH_PRECHECK_READ_EVERY after them are read all the same, so
        that health (field coverage, "nothing parsed") is measured on real readings."""
        if self.backfill or not self.crawler.settings.getbool("NEWSWATCH_TOPIC_PRECHECK"):
            return False
        if self._precheck is None:  # settings and topics read once, at the first page
            settings = self.crawler.settings
            names = self.topics or settings.getlist("NEWSWATCH_TOPICS") or None
            self._precheck = TopicPrecheck(TopicSet.load(names))
            self._read_first = settings.getint("NEWSWATCH_PRECHECK_READ_FIRST")
            self._read_every = max(1, settings.getint("NEWSWATCH_PRECHECK_READ_EVERY"))
        if self._precheck.could_match(response.body, response.encoding):
            return False
        self._without_terms += 1
        n = self._without_terms
        return not (n <= self._read_first or n % self._read_every == 0)

    # -- crawling ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.route_requests():
            yield request

    def parse_article(self, response: Response) -> Iterator[Article | scrapy.Request]:
        stats = self.crawler.stats
        stats.inc_value(f"newswatch/{self.name}/articles/fetched")
        unreadable = unreadable_reason(response)
        if unreadable:
            self.stat(f"articles/{unreadable}")
            if unreadable == "not_html":  # a PDF stays a PDF: not asked for again
                self.mark_rejected(response, unreadable)
            yield from self.resolve(response, None)
            return
        if self.lacks_topic_terms(response):
            # Off-topic like any other, counted apart so health knows this page was not read.
            self.stat("dropped/off_topic")
            self.stat("articles/no_topic_terms")
            self.mark_rejected(response, "no_topic_terms", status="off_topic")
            yield from self.resolve(response, None)
            return
        reading = read_page(
            response.text,
            response.url,
            self.selectors,
            self.exclude,
            same_site=self.is_same_site,
        )
        for name, layer in reading.sources.items():
            stats.inc_value(f"newswatch/{self.name}/field/{name}/{layer}")
        url = canonical_url(reading.url or self.to_real(response.url))
        article = Article(
            id=record_id(url),
            url=url,
            outlet=self.name,
            outlet_name=self.outlet_name,
            language=self.language,
            title=reading.title,
            byline=reading.byline,
            published=reading.published,
            published_text=reading.published_text,
            modified=reading.modified,
            section=reading.section,
            tags=reading.tags,
            text="\n\n".join(reading.paragraphs),
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        # Every URL this article was reached by, so the state store knows all of them as seen
        # (not a record field: ItemAdapter exports dataclass fields only).
        reached = [
            response.meta.get(ARTICLE),
            self.to_real(response.url),
            url,
            *map(self.to_real, response.meta.get("redirect_urls", [])),
        ]
        article.url_keys = list(dict.fromkeys(url_key(u) for u in reached if u))
        published = parse_datetime(reading.published)
        # Backfill: this page's date tells whether its listing page goes on to older pages.
        yield from self.resolve(response, published)
        if not self.in_window(published):
            self.stat("articles/outside_window")
            return
        yield article
