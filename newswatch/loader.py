"""The project's spider loader: coded spiders (SPIDER_MODULES) plus the outlets configured in
NEWSWATCH_OUTLETS_DIR (default: the repository's outlets/), so `scrapy list`, `scrapy crawl <name>`
and `newswatch run` see both kinds alike.

Enabled by ``SPIDER_LOADER_CLASS = "newswatch.loader.OutletLoader"`` in newswatch/settings.py.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from newswatch.configured import OutletConfigError, load_outlets


class OutletLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        folder = settings.get("NEWSWATCH_OUTLETS_DIR") or None
        for name, spidercls in load_outlets(folder).items():
            if name in self._spiders:
                # Two outlets under one name would crawl one and silently lose the other.
                coded = ", ".join(f"{m}.{c}" for m, c in self._found[name])
                raise OutletConfigError(
                    f"{spidercls.config_path}: name {name!r} is already taken by the coded "
                    f"spider {coded}; rename the file and its name, or delete one of the two"
                )
            self._found[name].append((spidercls.__module__, spidercls.__name__))
            self._spiders[name] = spidercls
