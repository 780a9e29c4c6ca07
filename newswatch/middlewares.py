"""Downloader middlewares for a hostile web, and the log redaction of secrets.

- `DomainGuardMiddleware`: no request leaves the outlet's domains (`allowed_domains`, the
  `-a origin` host, NEWSWATCH_EXTRA_DOMAINS), whatever sent it there: a link, a sitemap, and
  above all a redirect, which Scrapy's own offsite filter lets through for requests made with
  `dont_filter` (every article request). With `-a origin`, a request to the outlet's real domains
  goes to the origin instead, so a mirror's absolute redirects never reach the real site. A
  redirect chain that comes back to a URL a third time is a loop and is stopped.
- `RetryAfterMiddleware`: a 429/503 with `Retry-After` is retried no sooner than asked, or not
  at all when the wait is longer than NEWSWATCH_RETRY_AFTER_MAX (the next run asks again).
- `CharsetMiddleware`: a Bengali page is UTF-8 whatever its label says (see `fix_charset`).
- `RedactSecrets` (an extension): user:password in any URL, and proxy credentials, are masked in
  every log line.

Each refusal raises `Refused` (an IgnoreRequest) after counting it under
`newswatch/<outlet>/<stat>`, so the spider's errback does not count it again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from newswatch.outlet import host_of, on_domains
from newswatch.text import is_utf8

WAIT = "newswatch_wait"  # request meta: seconds to wait before this retry goes out
BENGALI = re.compile(r"[\u0980-\u09FF]")
# A UTF-8 reading with at most this many invalid sequences per Bengali letter is still UTF-8.
INVALID_PER_LETTER = 0.01


class Refused(IgnoreRequest):
    """A request this module stopped; `stat` was already counted."""

    def __init__(self, stat: str, message: str) -> None:
        super().__init__(message)
        self.stat = stat


def _stat(crawler: Crawler, name: str, count: int = 1) -> None:
    spider = crawler.spider
    crawler.stats.inc_value(f"newswatch/{getattr(spider, 'name', 'unknown')}/{name}", count)


class DomainGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.extra = [d.lower() for d in crawler.settings.getlist("NEWSWATCH_EXTRA_DOMAINS")]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DomainGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Request | None:
        spider = self.crawler.spider
        url = request.url
        redirected = request.meta.get("redirect_urls", [])
        if redirected.count(url) >= 2:
            _stat(self.crawler, "redirect/loop")
            raise Refused("redirect/loop", f"redirect loop at {url}")
        origin = getattr(spider, "origin", None)
        outlet_domains = getattr(spider, "outlet_domains", None) or []
        if origin and host_of(url) != host_of(origin) and on_domains(url, outlet_domains):
            # A saved mirror answers with the real site's absolute URLs: keep to the mirror.
            return request.replace(url=spider.to_origin(url))
        allowed = [*(getattr(spider, "allowed_domains", None) or []), *self.extra]
        if not allowed or on_domains(url, allowed):
            return None
        stat = "redirect/offsite" if redirected else "requests/offsite"
        _stat(self.crawler, stat)
        raise Refused(stat, f"{host_of(url)} is not one of the outlet's domains: {url}")


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """`Retry-After: 120` or an HTTP date -> seconds from now (>= 0); None when unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Sits just outside RetryMiddleware: reads the answer first, delays the retry it makes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.codes = set(crawler.settings.getlist("RETRY_HTTP_CODES", [429, 503]))
        self.limit = crawler.settings.getfloat("NEWSWATCH_RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        wait = request.meta.pop(WAIT, None)
        if wait:
            await asyncio.sleep(wait)

    def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in self.codes or not header:
            return response
        seconds = retry_after_seconds(header.decode("latin-1"))
        if seconds is None:
            return response
        if seconds > self.limit:
            _stat(self.crawler, "errors/retry_after_too_long")
            raise Refused(
                "errors/retry_after_too_long",
                f"{request.url} asks to come back in {seconds:.0f} s "
                f"(NEWSWATCH_RETRY_AFTER_MAX is {self.limit:.0f} s): left for the next run",
            )
        # RetryMiddleware copies the meta into its retry request, whose process_request waits.
        request.meta[WAIT] = seconds
        _stat(self.crawler, "retry_after/waited")
        return response


def fix_charset(body: bytes, declared: str) -> tuple[str | None, int]:
    """The encoding a Bengali HTML page should be read with, and its invalid UTF-8 sequences.

    Scrapy takes a byte-order mark first, then the HTTP header, then `<meta>`. Outlets label
    UTF-8 pages `windows-1252` or `iso-8859-1` now and then, which turns every Bengali letter
    into three Latin ones. Rule: a page whose UTF-8 reading holds Bengali letters (and at most
    1 invalid sequence per 100 of them) is UTF-8, whatever its label. Returns (None, 0) when the
    label stands."""
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None, 0  # a byte-order mark is the strongest statement a page can make
    try:
        text = body.decode("utf-8")
        invalid = 0
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        invalid = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")  # not real U+FFFDs
    utf8 = is_utf8(declared)
    if not invalid and utf8:
        return None, 0
    letters = len(BENGALI.findall(text))
    if not letters or invalid > letters * INVALID_PER_LETTER:
        return None, 0
    return "utf-8", invalid


class CharsetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not response.body:
            return response
        declared = response.encoding
        utf8 = is_utf8(declared)
        if utf8 and "\ufffd" not in response.text:
            # Valid UTF-8 as labelled. `response.text` is decoded once per response (Scrapy's
            # meta-refresh check and the reader need it anyway); decoding again cost 0.1 ms a page.
            return response
        encoding, invalid = fix_charset(response.body, declared)
        if encoding is None:
            return response
        if not utf8:
            _stat(self.crawler, "charset/relabelled_utf8")
        body = response.body
        if invalid:
            # A few broken bytes inside a good page: drop them rather than print U+FFFD.
            _stat(self.crawler, "charset/invalid_bytes", invalid)
            body = body.decode("utf-8", "ignore").encode("utf-8")
        return response.replace(body=body, encoding="utf-8")


# -- secrets in logs ----------------------------------------------------------------------------

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^/\s:@'\"]+):[^/\s@'\"]+@")
_AUTH_HEADER = re.compile(
    r"(?i)(proxy-authorization|authorization)(['\"]?\s*[:=,]\s*\[?b?['\"]?)"
    r"(basic|bearer)\s+[A-Za-z0-9+/=._-]+"
)


def redact(text: str) -> str:
    """`http://user:secret@host` -> `http://user:***@host`; auth header values -> `***`."""
    text = _USERINFO.sub(r"\g<scheme>\g<user>:***@", text)
    return _AUTH_HEADER.sub(r"\1\2\3 ***", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later from exc_info: format them now, redacted.
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = redact(formatted), None
        return True


class RedactSecrets:
    """Extension: put `RedactingFilter` on every log handler (Scrapy's, the run's log file)."""

    def __init__(self) -> None:
        self.filter = RedactingFilter()
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(self.filter)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedactSecrets:
        return cls()
