"""Is an outlet healthy? Judged from one crawl's Scrapy stats and the outlet's recent run reports.

Statuses, in the order they are checked (the first that applies wins):

    failed          the crawl did not run to its end (the spider could not start, the state was
                    unavailable, or the run was stopped)
    unreachable     no page answered at all (DNS, refused, timed out)
    errors only     pages answered, but every one with an HTTP error (4xx/5xx)
    nothing found   listing pages were read but held no article link: the listing markup changed
    nothing parsed  article pages were fetched but none gave a valid record: the article markup
                    changed
    errors only     article links were found, but every article page failed
    coverage drop   title, published or text was found on a much smaller share of the article
                    pages than in the outlet's recent runs
    ok              anything else, including "nothing new": every listed article was seen before

"Nothing new" (links found, all known) is what a monitor sees most days; it is `ok`. The alarms
are "nothing found" (no links) and "nothing parsed" (pages, but no records).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

OK = "ok"
# Fields whose loss drops a record (url comes from the fetch itself, so it is never missing).
COVERAGE_FIELDS = {"title": "title", "published": "published", "text": "paragraphs"}
# finish_reason values of a crawl that ran to its end.
NORMAL_FINISH = ("finished", "closespider_")

# Exception class names in downloader stats -> what a user should read.
UNREACHABLE_REASONS = {
    "DNSLookupError": "DNS lookup failed",
    "CannotResolveHostError": "DNS lookup failed",
    "ConnectionRefusedError": "connection refused",
    "DownloadConnectionRefusedError": "connection refused",
    "DownloadTimeoutError": "timed out",
    "DownloadFailedError": "download failed",
    "TCPTimedOutError": "connection timed out",
    "TimeoutError": "timed out",
    "ConnectError": "could not connect",
    "NoRouteError": "no route to host",
    "ResponseNeverReceived": "no response",
}


@dataclass(frozen=True)
class CoverageRule:
    """A field is "sharply down" when its share of article pages fell by at least `drop`
    (absolute) against the median of the outlet's last `runs` comparable runs. Runs with fewer
    than `min_pages` article pages say too little, so they are neither judged nor compared."""

    drop: float = 0.5
    runs: int = 5
    min_pages: int = 2


@dataclass
class OutletHealth:
    outlet: str
    status: str
    reason: str
    pages: int  # responses received, robots.txt included
    articles: int  # article pages fetched
    kept: int  # on-topic records
    off_topic: int
    invalid: int  # article pages whose record lacked a required field
    errors: int  # download exceptions + HTTP error responses + logged errors
    coverage: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def broken(self) -> bool:
        return self.status != OK


def _sub(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """{rest of key: value} for the numeric stats under `prefix`."""
    return {
        k[len(prefix) :]: int(v)
        for k, v in stats.items()
        if k.startswith(prefix) and isinstance(v, int | float)
    }


def http_statuses(stats: Mapping[str, Any]) -> dict[int, int]:
    """Responses by HTTP status, robots.txt left out (its answer says nothing about the pages)."""
    counts = {int(k): v for k, v in _sub(stats, "downloader/response_status_count/").items()}
    for code, n in _sub(stats, "robotstxt/response_status_count/").items():
        counts[int(code)] = counts.get(int(code), 0) - n
    return {code: n for code, n in sorted(counts.items()) if n > 0}


def exceptions(stats: Mapping[str, Any]) -> dict[str, int]:
    """Download exceptions by class name (`twisted...ConnectionRefusedError` -> short name)."""
    found: dict[str, int] = {}
    for name, n in _sub(stats, "downloader/exception_type_count/").items():
        short = name.rsplit(".", 1)[-1]
        found[short] = found.get(short, 0) + n
    return found


def field_sources(stats: Mapping[str, Any], outlet: str) -> dict[str, dict[str, int]]:
    """{field: {layer: pages}} from the reader's `newswatch/<outlet>/field/<name>/<layer>`."""
    fields: dict[str, dict[str, int]] = {}
    for key, n in _sub(stats, f"newswatch/{outlet}/field/").items():
        name, _, layer = key.partition("/")
        fields.setdefault(name, {})[layer] = n
    return fields


def coverage(stats: Mapping[str, Any], outlet: str) -> dict[str, float | None]:
    """Share of the HTML article pages on which each required field was found (any layer);
    None when no article page was read."""
    count = _counter(stats, outlet)
    unread = count("articles/not_html") + count("articles/no_topic_terms")
    pages = count("articles/fetched") - unread
    sources = field_sources(stats, outlet)
    return {
        name: (round(sum(sources.get(key, {}).values()) / pages, 3) if pages > 0 else None)
        for name, key in COVERAGE_FIELDS.items()
    }


def _counter(stats: Mapping[str, Any], outlet: str):
    def count(name: str) -> int:
        return int(stats.get(f"newswatch/{outlet}/{name}", 0))

    return count


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _status_list(statuses: Mapping[int, int]) -> str:
    return ", ".join(f"HTTP {code} ×{n}" for code, n in statuses.items())


def assess(
    outlet: str,
    stats: Mapping[str, Any],
    history: Iterable[Mapping[str, Any]] = (),
    host: str = "",
    rule: CoverageRule | None = None,
    failure: str | None = None,
) -> OutletHealth:
    """The health of one outlet's crawl.

    `stats` are the crawler's final stats (with `finish_reason`); `history` the outlet's entries
    of earlier run reports, oldest first; `failure` an exception that stopped the crawl.
    """
    rule = rule or CoverageRule()
    count = _counter(stats, outlet)
    statuses = http_statuses(stats)
    errors_by_type = exceptions(stats)
    good = sum(n for code, n in statuses.items() if 200 <= code < 400)
    # Pages whose final answer (after retries) was an HTTP error, by status; robots.txt is
    # never among them.
    bad = {
        int(code): n
        for code, n in sorted(_sub(stats, "httperror/response_ignored_status_count/").items())
    }
    dropped = _sub(stats, f"newswatch/{outlet}/dropped/")
    # Pages read: not those the topic precheck left unread (newswatch/topics/precheck.py).
    html_pages = (
        count("articles/fetched") - count("articles/not_html") - count("articles/no_topic_terms")
    )
    cover = coverage(stats, outlet)
    finish = str(stats.get("finish_reason", ""))
    links = count("listing/article_links")
    requested = links - count("skipped/seen")  # approximately: routes may list one URL twice
    # A worker of a distributed run (newswatch/distributed.py) may read no listing page: another
    # worker of the run read them. Its article pages are still judged.
    shared_run = "newswatch/queue/run" in stats

    status, reason = OK, ""
    at = f" from {host}" if host else ""
    if failure or not finish.startswith(NORMAL_FINISH):
        status = "failed"
        reason = failure or (
            str(stats.get("newswatch/state_error", "")) or f"crawl ended: {finish or 'unknown'}"
        )
    elif good == 0 and (bad or any(code >= 400 for code in statuses)):
        errors = _status_list(bad or {c: n for c, n in statuses.items() if c >= 400})
        status, reason = "errors only", f"every page answered an error: {errors}{at}"
    elif good == 0:
        names = sorted({UNREACHABLE_REASONS.get(k, k) for k in errors_by_type})
        status, reason = (
            "unreachable",
            (", ".join(names) or "no page answered") + (f" for {host}" if host else ""),
        )
    elif count("listing/pages") == 0 and not shared_run:
        status, reason = "nothing found", "no listing, feed or sitemap page could be read"
    elif links == 0 and not shared_run:
        status = "nothing found"
        reason = f"{_plural(count('listing/pages'), 'listing page')}, no article link"
    elif html_pages > 0 and count("articles/valid") + count("articles/outside_window") == 0:
        status = "nothing parsed"
        missing = ", ".join(f"{k} ×{n}" for k, n in sorted(dropped.items()) if "missing" in k)
        reason = f"{_plural(html_pages, 'article page')}, no valid record" + (
            f" ({missing})" if missing else ""
        )
    elif count("articles/fetched") == 0 and requested > 0 and (bad or errors_by_type):
        status = "errors only"
        what = _status_list(bad) or ", ".join(sorted(errors_by_type))
        reason = f"every article page failed: {what}{at}"
    elif drops := coverage_drops(cover, html_pages, _past_coverage(history, rule), rule):
        status, reason = "coverage drop", "; ".join(drops)

    return OutletHealth(
        outlet=outlet,
        status=status,
        reason=reason,
        pages=int(stats.get("response_received_count", 0)),
        articles=count("articles/fetched"),
        kept=count("articles/kept"),
        off_topic=dropped.get("off_topic", 0),
        invalid=sum(n for k, n in dropped.items() if k.startswith("missing_")),
        errors=sum(errors_by_type.values())
        + sum(bad.values())
        + int(stats.get("log_count/ERROR", 0)),
        coverage=cover,
        details={
            "finish_reason": finish or None,
            "article_pages": html_pages,
            "listing_pages": count("listing/pages"),
            "article_links": links,
            "skipped_seen": count("skipped/seen"),
            "articles_failed": count("articles/failed"),
            "valid": count("articles/valid"),
            "written": count("articles/written"),
            "duplicates": count("duplicates"),
            "dropped": dropped,
            "fields": field_sources(stats, outlet),
            # Every response by status (retries counted), robots.txt's final answers left out.
            "http_status": {str(k): v for k, v in statuses.items()},
            "error_pages": {str(k): v for k, v in bad.items()},
            "exceptions": errors_by_type,
        },
    )


def _past_coverage(history: Iterable[Mapping[str, Any]], rule: CoverageRule) -> dict:
    """{field: [coverage, ...]} of the last `rule.runs` earlier runs that read enough pages."""
    usable = [
        h
        for h in history
        if int(h.get("details", {}).get("article_pages", 0)) >= rule.min_pages and h.get("coverage")
    ][-rule.runs :]
    return {
        name: [h["coverage"][name] for h in usable if h["coverage"].get(name) is not None]
        for name in COVERAGE_FIELDS
    }


def coverage_drops(
    now: Mapping[str, float | None], pages: int, past: Mapping[str, list[float]], rule: CoverageRule
) -> list[str]:
    """One line per field whose coverage fell by `rule.drop` or more against its recent median."""
    if pages < rule.min_pages:
        return []
    lines = []
    for name in COVERAGE_FIELDS:
        values, current = past.get(name) or [], now.get(name)
        if not values or current is None:
            continue
        usual = statistics.median(values)
        if usual - current >= rule.drop:
            lines.append(
                f"{name} on {current:.0%} of {pages} article pages "
                f"(median of last {_plural(len(values), 'run')}: {usual:.0%})"
            )
    return lines
