"""`newswatch doctor`: one listing and one article per outlet, live, and what each layer read.

The tool to run after an outlet's redesign. For each outlet it fetches its first discovery page
(listing, else feed, else sitemap), takes the first article link there, fetches that article, and
prints, field by field, what the outlet's selectors, the structured data (JSON-LD / meta) and the
generic fallback each found, which one a crawl would use, and which required fields are missing
(a crawl would drop the record). Plain HTTP with the crawl's User-Agent, robots.txt obeyed; pages
that only fill in by script (`js_listings`) are not rendered here.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit

import feedparser
from protego import Protego
from scrapy.http import HtmlResponse
from scrapy.utils.sitemap import Sitemap

from newswatch.extract import (
    REQUIRED,
    ArticlePage,
    read_fallback,
    read_page,
    read_selectors,
    read_structured,
)

LAYERS = ("selectors", "structured", "fallback")
# Fields as the reader names them; `paragraphs` becomes the record's `text`.
FIELDS = ("title", "byline", "published", "modified", "section", "tags", "paragraphs")
SELECTOR_OF = {"paragraphs": "body"}


class FetchError(Exception):
    """A page could not be fetched; the message says why (status or network error)."""


@dataclass
class Page:
    url: str
    status: int
    body: bytes
    content_type: str

    @property
    def text(self) -> str:
        return self.body.decode(_charset(self.content_type), errors="replace")


def _charset(content_type: str) -> str:
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


class Fetcher:
    """GET with the crawl's User-Agent, after asking the site's robots.txt (cached per origin)."""

    def __init__(self, user_agent: str, timeout: float) -> None:
        self.user_agent, self.timeout = user_agent, timeout
        self.robots: dict[str, Protego | None] = {}

    def _get(self, url: str) -> Page:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return Page(
                    answer.geturl(),
                    answer.status,
                    answer.read(),
                    answer.headers.get("Content-Type", ""),
                )
        except urllib.error.HTTPError as error:
            raise FetchError(f"HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"unreachable ({reason})") from None

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            try:
                self.robots[origin] = Protego.parse(self._get(origin + "/robots.txt").text)
            except FetchError:
                self.robots[origin] = None  # no robots.txt: everything allowed
        rules = self.robots[origin]
        return rules is None or rules.can_fetch(url, self.user_agent)

    def get(self, url: str) -> Page:
        if not self.allowed(url):
            raise FetchError("disallowed by robots.txt")
        return self._get(url)


@dataclass
class Diagnosis:
    outlet: str
    outlet_name: str
    steps: list[str] = field(default_factory=list)  # what was fetched, and what it gave
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    selectors: dict[str, str] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)  # selector field -> elements matched
    used: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def discovery_urls(spider: Any) -> Iterator[tuple[str, str]]:
    """(route, URL to fetch) for each plain-HTTP discovery page, in the order doctor tries them."""
    for kind in ("listings", "feeds", "sitemaps"):
        for url in getattr(spider, kind, []) or []:
            yield kind[:-1], spider.to_origin(urljoin(spider.base_url, url))


def article_links(spider: Any, route: str, page: Page, fetcher: Fetcher, depth: int = 0) -> list:
    """Real article URLs found on one discovery page, in page order."""
    if route == "listing":
        response = HtmlResponse(url=page.url, body=page.body, encoding=_charset(page.content_type))
        urls = [link.url for link in spider.article_links.extract_links(response)]
    elif route == "feed":
        urls = [urljoin(page.url, e.get("link", "")) for e in feedparser.parse(page.body).entries]
    else:
        sitemap = Sitemap(page.body)
        urls = [e["loc"] for e in sitemap if e.get("loc")]
        if sitemap.type == "sitemapindex":  # the first child sitemap is the newest on news sites
            if not urls or depth > 1:
                return []
            child = fetcher.get(spider.to_origin(urls[0]))
            return article_links(spider, route, child, fetcher, depth + 1)
    real = [spider.to_real(u) for u in urls]
    return list(dict.fromkeys(u for u in real if spider.is_article_url(u)))


def diagnose(spider: Any, fetcher: Fetcher) -> Diagnosis:
    """Fetch one discovery page and one article of `spider`'s outlet and read the article."""
    found = Diagnosis(spider.name, spider.outlet_name, selectors=dict(spider.selectors))
    links: list[str] = []
    for route, url in discovery_urls(spider):
        try:
            page = fetcher.get(url)
        except FetchError as error:
            found.steps.append(f"{route:8} {url}  {error}")
            continue
        links = article_links(spider, route, page, fetcher)
        found.steps.append(f"{route:8} {url}  {page.status}, {len(links)} article links")
        if links:
            break
    if not links:
        tried = len(found.steps)
        found.problem = (
            "no discovery page could be fetched"
            if tried and all(" HTTP " in s or "unreachable" in s for s in found.steps)
            else "no article link found (listing markup or article_url changed?)"
            if tried
            else "no plain-HTTP discovery route declared"
        )
        return found
    article_url = spider.to_origin(links[0])
    try:
        page = fetcher.get(article_url)
    except FetchError as error:
        found.steps.append(f"article  {article_url}  {error}")
        found.problem = f"article page: {error}"
        return found
    found.steps.append(f"article  {article_url}  {page.status}")
    html = page.text
    # Each layer reads its own copy: the selector layer removes `exclude` elements in place.
    found.layers = {
        "selectors": read_selectors(html, spider.selectors, spider.exclude),
        "structured": read_structured(html),
        "fallback": read_fallback(html, page.url),
    }
    page_tree = ArticlePage(html)
    found.hits = {name: len(page_tree.select(css)) for name, css in spider.selectors.items()}
    merged = read_page(html, page.url, spider.selectors, spider.exclude, spider.is_same_site)
    found.used = dict(merged.sources)
    found.missing = merged.missing(REQUIRED)
    if found.missing:
        found.problem = f"article page: missing {', '.join(_field(m) for m in found.missing)}"
    return found


def _field(name: str) -> str:
    return "text" if name == "paragraphs" else name


def _show(value: Any, width: int = 70) -> str:
    if not value:
        return "—"
    if isinstance(value, list) and value and len(value) > 1 and len(str(value[0])) > 40:
        chars = sum(len(p) for p in value)
        return f"{len(value)} paragraphs, {chars} characters: {_show(value[0], width - 30)}"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _selector_line(found: Diagnosis, name: str, value: Any) -> str:
    """What the outlet's selector for `name` gave: a value, an element without one, nothing."""
    key = SELECTOR_OF.get(name, name)
    if name == "modified" and key not in found.selectors:  # read from the dateline's update part
        key = "published"
        if key in found.selectors and not value:
            return "(no update time in the dateline)"
    css = found.selectors.get(key)
    if not css:
        return "(no selector)"
    if value:
        return f"`{css}` -> {_show(value)}"
    if found.hits.get(key):
        return f"`{css}` -> matched {found.hits[key]}, but gave no value"
    return f"`{css}` -> matched nothing"


def print_diagnosis(found: Diagnosis, out: TextIO) -> None:
    print(f"== {found.outlet} ({found.outlet_name}) ==", file=out)
    for step in found.steps:
        print(step, file=out)
    if found.layers:
        for name in FIELDS:
            used = found.used.get(name)
            required = " (required)" if name in REQUIRED else ""
            head = f"from {used}" if used else f"MISSING{required}"
            print(f"{_field(name):10} {head}", file=out)
            for layer in LAYERS:
                value = found.layers[layer].get(name)
                line = _show(value)
                if layer == "selectors":
                    line = _selector_line(found, name, value)
                print(f"  {layer:11}{line}", file=out)
        missing = ", ".join(map(_field, found.missing)) or "none"
        print(f"missing: {missing}", file=out)
    print(f"verdict: {'ok' if found.ok else 'BROKEN: ' + str(found.problem)}\n", file=out)
