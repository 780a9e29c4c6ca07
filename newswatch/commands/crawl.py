"""`scrapy crawl`, with bad input stopped in one line before the crawl starts.

Scrapy's own command reports an unknown spider or a spider argument it rejects (`-a since=soon`,
`-a origin=ftp://x`, `-a topic=nosuch`) with a traceback from inside the crawler. This checks both
first, prints `newswatch: <what to fix>` on stderr and exits 2; the crawl itself is Scrapy's.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from newswatch.outlet import ConfigError


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1:
            assert self.crawler_process
            loader = self.crawler_process.spider_loader
            try:
                spidercls = loader.load(args[0])
                spidercls(**opts.spargs)  # the outlet base checks its arguments here
            except KeyError:
                self._refuse(f"unknown outlet {args[0]!r}; known: {', '.join(loader.list())}")
                return
            except ConfigError as error:
                self._refuse(str(error))
                return
        super().run(args, opts)

    def _refuse(self, message: str) -> None:
        print(f"newswatch: {message}", file=sys.stderr)
        self.exitcode = 2
