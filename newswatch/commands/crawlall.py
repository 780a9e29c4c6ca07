"""`scrapy crawlall`: every outlet in one process, exactly as `newswatch run` does it."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = True
    # `newswatch run` builds its own CrawlerProcess (one crawler per outlet, with the run lock,
    # health checks and report around it), so Scrapy need not make one.
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--outlets a,b] [--origin OUTLET=URL] [-s NAME=VALUE]"

    def short_desc(self) -> str:
        return "Run every outlet (or --outlets) in one process, as `newswatch run` does"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--outlets", help="comma-separated spider names (default: all)")
        parser.add_argument(
            "--origin",
            action="append",
            default=[],
            metavar="OUTLET=URL",
            help="crawl a copy of OUTLET's site served at URL",
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="a live progress line on stderr (default: only on a terminal)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newswatch.cli import run_with_settings

        if args:
            self.exitcode = 2
            print(
                f"newswatch: crawlall takes no spider names (got {' '.join(args)}); use --outlets",
                file=sys.stderr,
            )
            return
        assert self.settings is not None
        self.exitcode = run_with_settings(self.settings, opts.outlets, opts.origin, opts.progress)
