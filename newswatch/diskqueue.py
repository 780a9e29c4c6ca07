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
from pathlib import Path

from scrapy.settings import BaseSettings

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
