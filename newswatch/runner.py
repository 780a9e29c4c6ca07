"""Run several outlets in one Scrapy process, judge each from its stats, report the run.

The full Scrapy log goes to a file under the data folder. The terminal gets a progress line while
the crawl runs (only on a terminal: cron mail stays short), one line per outlet as it finishes,
and a summary table at the end; `<data dir>/<date>/run-<time>.json` holds the same and more for
machines (newswatch/report.py). One outlet's failure, even a spider that cannot start, never
stops the others: each crawler has its own stats and its own result.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from twisted.internet import task
from twisted.python.failure import Failure

from newswatch.health import CoverageRule, OutletHealth, assess
from newswatch.report import build_report, outlet_entry, outlet_history, report_path, write_report

# Exit statuses shared by `newswatch run` and `scrapy crawlall` (README, "Exit status").
EXIT_OK, EXIT_OUTLET_PROBLEM, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    outlets: list[OutletHealth]
    report: dict
    report_file: Path
    exit_status: int


def format_table(summaries: list[OutletHealth]) -> str:
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


def coverage_rule(settings: Settings) -> CoverageRule:
    default = CoverageRule()
    return CoverageRule(
        drop=settings.getfloat("NEWSWATCH_COVERAGE_DROP", default.drop),
        runs=settings.getint("NEWSWATCH_COVERAGE_RUNS", default.runs),
        min_pages=settings.getint("NEWSWATCH_COVERAGE_MIN_PAGES", default.min_pages),
    )


class Progress:
    """One line, rewritten in place every second: pages, articles and kept records per outlet."""

    def __init__(self, stream: TextIO, crawlers: dict[str, Crawler], started: datetime) -> None:
        self.stream, self.crawlers, self.started = stream, crawlers, started
        self.done: set[str] = set()
        self.shown = False
        self.loop: task.LoopingCall | None = None

    def start(self) -> None:
        """Called when a crawler's engine starts: the reactor Scrapy chose is running by then
        (a LoopingCall made earlier would install Twisted's default reactor instead)."""
        if self.loop is None:
            self.loop = task.LoopingCall(self.show)
            self.loop.start(1.0, now=False)

    def stop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.clear()

    def line(self) -> str:
        elapsed = int((datetime.now(UTC) - self.started).total_seconds())
        parts = []
        for outlet, crawler in self.crawlers.items():
            stats = crawler.stats.get_stats() if crawler.stats else {}

            def get(name: str, stats=stats, outlet=outlet) -> int:
                return int(stats.get(f"newswatch/{outlet}/{name}", 0))

            mark = " done" if outlet in self.done else ""
            parts.append(
                f"{outlet}{mark} {stats.get('response_received_count', 0)}p "
                f"{get('articles/fetched')}a {get('articles/kept')}k"
            )
        return f"[{elapsed // 60:02d}:{elapsed % 60:02d}] " + " | ".join(parts)

    def show(self) -> None:
        width = shutil.get_terminal_size((100, 20)).columns - 1
        self.stream.write("\r" + self.line()[:width].ljust(width))
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Wipe the line before other output is printed on the same terminal."""
        if self.shown:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.shown = False


def run_outlets(
    outlets: list[str],
    settings: Settings,
    spider_args: dict[str, dict[str, Any]] | None = None,
    out: TextIO = sys.stdout,
    progress: TextIO | None = None,
) -> RunResult:
    """Crawl `outlets` concurrently in this process; judge each; write the run report.

    `progress`: a terminal stream for the live progress line (None: no progress line).
    """
    spider_args = spider_args or {}
    started = datetime.now(UTC)
    data_dir = Path(settings.get("NEWSWATCH_DATA_DIR"))
    log_file = settings.get("LOG_FILE")
    if not log_file:  # one log per run, named like its report
        worker = settings.get("NEWSWATCH_WORKER_ID", "")
        name = f"{started:%Y-%m-%dT%H-%M-%S}" + (f"-{worker}" if worker else "")
        log_file = data_dir / "logs" / f"{name}.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
    history = outlet_history(data_dir, outlets)  # read before this run adds to it

    process = CrawlerProcess(settings)
    crawlers: dict[str, Crawler] = {}
    failures: dict[str, str] = {}
    meter = Progress(progress, crawlers, started) if progress else None
    for outlet in outlets:
        crawler = process.create_crawler(outlet)
        crawlers[outlet] = crawler
        # weak=False: these closures have no other reference and would be collected first.
        crawler.signals.connect(
            _announce(outlet, crawler, out, meter), signal=signals.spider_closed, weak=False
        )
        if meter:
            crawler.signals.connect(meter.start, signal=signals.engine_started, weak=False)
        crawl = process.crawl(crawler, **spider_args.get(outlet, {}))
        crawl.addErrback(_isolate(outlet, failures))
    process.start()
    if meter:
        meter.stop()

    rule = coverage_rule(settings)
    results, entries = [], {}
    for outlet in outlets:
        crawler = crawlers.get(outlet)
        stats = crawler.stats.get_stats() if crawler and crawler.stats else {}
        host = _host(crawler, spider_args.get(outlet, {}).get("origin"))
        health = assess(outlet, stats, history[outlet], host, rule, failures.get(outlet))
        results.append(health)
        entries[outlet] = outlet_entry(health, _outputs(data_dir, outlet, started), stats)
    exit_status = EXIT_OK if not any(h.broken for h in results) else EXIT_OUTLET_PROBLEM
    finished = datetime.now(UTC)
    report = build_report(started, finished, data_dir, Path(log_file), entries, exit_status)
    path = report_path(data_dir, started, settings.get("NEWSWATCH_WORKER_ID", ""))
    write_report(report, path)

    print(format_table(results), file=out)
    broken = [h.outlet for h in results if h.broken]
    if broken:
        print(f"broken: {', '.join(broken)} (exit status {exit_status})", file=out)
    print(f"report: {path}", file=out)
    print(f"log: {log_file}", file=out, flush=True)
    return RunResult(results, report, path, exit_status)


def _outputs(data_dir: Path, outlet: str, started: datetime) -> list[Path]:
    """The record files this run appended to (a run over midnight writes to two days)."""
    days = {started.date(), datetime.now(UTC).date()}
    files: list[Path] = []
    for day in sorted(days):
        folder = data_dir / f"{day:%Y-%m-%d}"
        # <outlet>.<worker>.jsonl: a named worker's own file (pipelines/store.py)
        files += [folder / f"{outlet}.jsonl", *sorted(folder.glob(f"{outlet}.*.jsonl"))]
    return [f for f in files if f.exists() and f.stat().st_mtime >= started.timestamp() - 1]


def _isolate(outlet: str, failures: dict[str, str]) -> Callable[[Failure], None]:
    """An outlet whose crawl raised (its spider could not start, say) fails alone."""

    def failed(failure: Failure) -> None:
        failures[outlet] = failure.getErrorMessage() or failure.type.__name__
        logger.error(
            "newswatch: %s failed: %s",
            outlet,
            failures[outlet],
            exc_info=(failure.type, failure.value, failure.getTracebackObject()),
        )

    return failed


def _host(crawler: Crawler | None, origin: str | None = None) -> str:
    """The host a crawler asks first: its origin override, else the outlet's real site."""
    spider = getattr(crawler, "spider", None)
    spidercls = getattr(crawler, "spidercls", None)
    url = getattr(spider, "origin", None) or origin or getattr(spidercls, "base_url", "")
    return urlsplit(url).hostname or ""


def _announce(outlet: str, crawler: Crawler, out: TextIO, meter: Progress | None):
    def spider_closed(spider: Any, reason: str) -> None:
        kept = crawler.stats.get_value(f"newswatch/{outlet}/articles/kept", 0)
        if meter:
            meter.done.add(outlet)
            meter.clear()
        print(f"{outlet}: finished ({reason}), {kept} new on-topic articles", file=out, flush=True)

    return spider_closed
