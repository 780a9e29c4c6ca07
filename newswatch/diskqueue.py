"""Requests waiting to be fetched are kept on disk, not in memory.

A sitemap can list 100,000 URLs at once, and every one becomes a queued Request of ~3.7 KB with
the scheduler's bookkeeping (bench/NOTES.md), so a large run's memory would grow with the URLs it
found. Scrapy's own disk queue (`JOBDIR`) holds them instead. Each crawl gets its own folder,
`<data dir>/queue/<outlet>-<pid>`, removed when the crawl closes: what a run did is in the state
store, so a killed run's queue is not resumed but left for the next close to remove.

Not used when `JOBDIR` is set by the user, nor in a distributed run (`NEWSWATCH_QUEUE`), whose
queue is in Redis.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy import Request
from scrapy.settings import BaseSettings
from scrapy.squeues import PickleLifoDiskQueue

from newswatch.distributed import queue_url


def use_disk_queue(settings: BaseSettings, outlet: str) -> None:
    """Point JOBDIR at this crawl's own queue folder (see the module docstring)."""
    if (
        not settings.getbool("NEWSWATCH_DISK_QUEUE")
        or settings.get("JOBDIR")
        or queue_url(settings)
    ):
        return
    data_dir = Path(settings.get("NEWSWATCH_DATA_DIR") or "data")
    settings.set("JOBDIR", str(data_dir / "queue" / f"{outlet}-{os.getpid()}"), priority="spider")


def remove_queues(settings: BaseSettings, outlet: str) -> None:
    """Remove this crawl's queue folder and those of this outlet's crawls that died."""
    jobdir = settings.get("JOBDIR")
    if not jobdir or Path(jobdir).parent.name != "queue":
        return  # the user's own JOBDIR: theirs to keep
    shutil.rmtree(jobdir, ignore_errors=True)
    for folder in Path(jobdir).parent.glob(f"{outlet}-*"):
        pid = folder.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class RequestDiskQueue(PickleLifoDiskQueue):
    """Scrapy's LIFO disk queue (SCHEDULER_DISK_QUEUE), naming callbacks the quick way.

    Scrapy stores a request's callback and errback by name, and finds each name by listing every
    member of the spider (`inspect.getmembers`): ~80 µs a request, 2-3 % of a crawl's CPU in
    the profile (bench/NOTES.md, round 5). A method defined on the spider's class is found under its
    own name, so Scrapy's lookup runs over just those methods; any other callable goes Scrapy's
    way."""

    def push(self, request: Request) -> None:
        methods = [m for m in (request.callback, request.errback) if m is not None]
        if not all(_is_spider_method(self.spider, m) for m in methods):
            super().push(request)
            return
        own_methods = SimpleNamespace(**{m.__name__: m for m in methods})
        # The queue below Scrapy's request layer pickles the dict as Scrapy's own push would.
        super(PickleLifoDiskQueue, self).push(request.to_dict(spider=own_methods))


def _is_spider_method(spider: Any, method: Callable[..., Any]) -> bool:
    """True when `getattr(spider, method.__name__)` gives this method back (how Scrapy reads it)."""
    function = getattr(method, "__func__", None)
    name = getattr(method, "__name__", "")
    return (
        function is not None
        and getattr(method, "__self__", None) is spider
        and getattr(type(spider), name, None) is function
        and name not in vars(spider)  # an instance attribute would hide the class's method
    )
