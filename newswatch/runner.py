"""Run several outlets in one Scrapy process and summarise each from its stats.

The full Scrapy log goes to a file under the data folder; the terminal gets one line per outlet as
it finishes and a summary table at the end, so a cron mail says what happened at a glance.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

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


@dataclass
class OutletSummary:
    outlet: str
    status: str  # ok | unreachable | nothing found | nothing parsed
    reason: str
    pages: int
    articles: int
    kept: int
    off_topic: int
    invalid: int
    errors: int

    @classmethod
    def from_stats(cls, outlet: str, stats: dict[str, Any], host: str = "") -> OutletSummary:
        def get(name: str) -> int:
            return int(stats.get(f"newswatch/{outlet}/{name}", 0))

        dropped = {
            k.rsplit("/", 1)[1]: v
            for k, v in stats.items()
            if k.startswith(f"newswatch/{outlet}/dropped/")
        }
        invalid = sum(v for k, v in dropped.items() if k.startswith("missing_"))
        exceptions = {
            k.rsplit("/", 1)[1].rsplit(".", 1)[-1]: v
            for k, v in stats.items()
            if k.startswith("downloader/exception_type_count/")
        }
        responses = int(stats.get("response_received_count", 0))
        fetched = get("articles/fetched")
        status, reason = "ok", ""
        if responses == 0 or (get("listing/pages") == 0 and exceptions):
            status = "unreachable"
            reason = (
                ", ".join(sorted({UNREACHABLE_REASONS.get(k, k) for k in exceptions}))
                or "no page answered"
            )
            reason += f" for {host}" if host else ""
        elif get("listing/pages") and get("listing/article_links") == 0:
            status, reason = "nothing found", "listing pages held no article links"
        elif fetched and get("articles/valid") == 0:
            status, reason = "nothing parsed", f"{fetched} article pages, no valid record"
        return cls(
            outlet,
            status,
            reason,
            responses,
            fetched,
            get("articles/kept"),
            dropped.get("off_topic", 0),
            invalid,
            sum(exceptions.values()) + int(stats.get("log_count/ERROR", 0)),
        )


def format_table(summaries: list[OutletSummary]) -> str:
    header = ("outlet", "status", "pages", "articles", "kept", "off-topic", "invalid", "errors")
    rows = [header] + [
        (
            s.outlet,
            s.status + (f" ({s.reason})" if s.reason else ""),
            s.pages,
            s.articles,
            s.kept,
            s.off_topic,
            s.invalid,
            s.errors,
        )
        for s in summaries
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newswatch.settings")
    settings = get_project_settings()
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def run_outlets(
    outlets: list[str],
    settings: Settings,
    spider_args: dict[str, dict[str, Any]] | None = None,
    out: TextIO = sys.stdout,
) -> list[OutletSummary]:
    """Crawl `outlets` concurrently in this process; return one summary per outlet."""
    data_dir = Path(settings.get("NEWSWATCH_DATA_DIR"))
    log_file = data_dir / "logs" / f"{datetime.now(UTC):%Y-%m-%dT%H-%M-%S}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    settings.set("LOG_FILE", str(log_file), priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = {}
    for outlet in outlets:
        crawler = process.create_crawler(outlet)
        crawler.signals.connect(_announce(outlet, crawler, out), signal=signals.spider_closed)
        process.crawl(crawler, **(spider_args or {}).get(outlet, {}))
        crawlers[outlet] = crawler
    process.start()
    summaries = [
        OutletSummary.from_stats(o, c.stats.get_stats(), _host(c)) for o, c in crawlers.items()
    ]
    print(format_table(summaries), file=out)
    print(f"log: {log_file}", file=out)
    return summaries


def _host(crawler: Any) -> str:
    """The host a crawler asks first: its origin override, else the outlet's real site."""
    spider = getattr(crawler, "spider", None)
    url = getattr(spider, "origin", None) or getattr(crawler.spidercls, "base_url", "")
    return urlsplit(url).hostname or ""


def _announce(outlet: str, crawler: Any, out: TextIO):
    def spider_closed(spider: Any, reason: str) -> None:
        kept = crawler.stats.get_value(f"newswatch/{outlet}/articles/kept", 0)
        print(f"{outlet}: finished ({reason}), {kept} new on-topic articles", file=out, flush=True)

    return spider_closed
