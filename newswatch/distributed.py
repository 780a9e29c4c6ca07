"""Several workers, one crawl: scrapy-redis scheduling when `NEWSWATCH_QUEUE=redis://...` is set.

`DistributedAddon` (in ADDONS) does nothing without a queue URL. With one, it switches the
crawler to `RedisScheduler`: every worker (`newswatch run` on any machine, each with its own
NEWSWATCH_WORKER_ID) pushes the requests it finds to one shared priority queue (scrapy-redis's,
requests pickled: keep the Redis server private) and pops its work from it.

The shape of a distributed run:
- A *run* is the time some worker of a spider is alive. The first worker to start opens one (a
  run id in `newswatch:queue:<spider>:run`, kept alive by every worker's heartbeat); later workers
  join it. The dupe filter and the set of article URLs requested are per run, so each listing,
  feed and sitemap is fetched once per run by one worker, each article by one worker, and the
  next run (cron, an hour later) fetches the listings again.
- Each worker's `spider.requested` (discovery's "requested this run" set) is replaced by the
  run's shared set, so an article listed by two routes that two workers read is requested once.
- A popped request is moved, in one script, to the worker's in-flight set; it leaves it when the
  spider has handled its response (`InflightMiddleware`). A worker's heartbeat key expires
  `NEWSWATCH_QUEUE_LEASE` seconds (15) after it stops; any other worker then puts the dead
  worker's in-flight requests back into the queue. A request left in the queue when every worker
  died waits there for the next run (the queue persists, SCHEDULER_PERSIST).
- A worker whose queue is empty stays while another worker is busy (it may still find work), and
  closes when none is. Writing stays exactly once through the state store's claims
  (newswatch/state_redis.py): a request fetched twice (a re-queued one) is written once.
- Backfill (`-a since=`) keeps its page-walking state in request objects, which a shared queue
  would copy apart: a backfill crawl uses the local scheduler even with a queue URL set.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from newswatch.state_redis import default_worker

logger = logging.getLogger(__name__)
QUEUE_PREFIX = "newswatch:queue:"
INFLIGHT = "newswatch_inflight"  # request meta: the queue entry this worker popped
DEFAULT_LEASE = 15.0
_WORKER_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def queue_url(settings: Settings) -> str:
    return settings.get("NEWSWATCH_QUEUE") or os.environ.get("NEWSWATCH_QUEUE", "")


def worker_id(settings: Settings) -> str:
    """NEWSWATCH_WORKER_ID (setting, then environment), else the host name: names the worker's
    lock, claims and output files (`<outlet>.<worker>.jsonl`)."""
    worker = settings.get("NEWSWATCH_WORKER_ID") or default_worker()
    if not _WORKER_ID.match(worker):
        raise ValueError(
            f"NEWSWATCH_WORKER_ID must be letters, digits, '.', '_' or '-' (got {worker!r})"
        )
    return worker


class DistributedAddon:
    """Applies the scrapy-redis wiring when a queue URL is set; nothing otherwise."""

    def update_settings(self, settings: Settings) -> None:
        url = queue_url(settings)
        if not url:
            return
        state = settings.get("NEWSWATCH_STATE") or os.environ.get("NEWSWATCH_STATE", "")
        if not state.startswith(("redis://", "rediss://")):
            # Each worker's own SQLite file would not know what the others wrote.
            raise ValueError(
                f"NEWSWATCH_QUEUE={url} needs a shared state: set NEWSWATCH_STATE to a redis:// URL"
            )
        # cmdline priority: settings.py's empty default must not win over the resolved name.
        settings.set("NEWSWATCH_WORKER_ID", worker_id(settings), priority="cmdline")
        # The queue always persists (SCHEDULER_PERSIST) and the dupe filter (scrapy-redis's
        # RFPDupeFilter) is keyed by run: RedisScheduler builds both itself, whatever
        # SCHEDULER_PERSIST / DUPEFILTER_CLASS say, since a flush by one worker would empty the
        # queue under the others.
        settings.set("SCHEDULER", "newswatch.distributed.RedisScheduler", priority="addon")
        settings.set("REDIS_URL", url, priority="addon")
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", InflightMiddleware, 10)


class ClaimingQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop also moves the entry to this worker's in-flight
    set and marks the worker busy, in one script: no moment where a popped request is nowhere."""

    _POP = """
    local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    if #item == 0 then return false end
    redis.call('ZREM', KEYS[1], item[1])
    redis.call('ZADD', KEYS[2], item[2], item[1])
    redis.call('SET', KEYS[3], 'busy', 'PX', ARGV[1])
    return item[1]
    """

    def __init__(self, server: redis.Redis, spider: Spider, key: str, keys: RunKeys, lease: float):
        super().__init__(server, spider, key)
        self.keys, self.lease_ms = keys, int(lease * 1000)
        self._pop = server.register_script(self._POP)

    def pop_entry(self) -> tuple[Request, bytes] | None:
        member = self._pop(
            keys=[self.key, self.keys.inflight, self.keys.live], args=[self.lease_ms]
        )
        return (self._decode_request(member), member) if member else None


class RunKeys:
    """The Redis keys of one spider's distributed crawl, seen from one worker."""

    def __init__(self, spider: str, worker: str) -> None:
        self.base = f"{QUEUE_PREFIX}{spider}:"
        self.worker = worker
        self.requests = self.base + "requests"
        self.run = self.base + "run"
        self.workers = self.base + "workers"
        self.live = self.live_of(worker)
        self.inflight = self.inflight_of(worker)

    def live_of(self, worker: str) -> str:
        return f"{self.base}live:{worker}"

    def inflight_of(self, worker: str) -> str:
        return f"{self.base}inflight:{worker}"


class SharedKeys:
    """Discovery's "article keys requested this run" set, shared by the run's workers.

    `add` is False when another worker added the key first (a local set's add returns None).
    """

    def __init__(self, server: redis.Redis, key: str, local: Iterable[str] = ()) -> None:
        self.server, self.key = server, key
        for item in local:
            self.add(item)

    def __contains__(self, item: object) -> bool:
        return bool(self.server.sismember(self.key, str(item)))

    def add(self, item: str) -> bool:
        return self.server.sadd(self.key, item) == 1

    def __len__(self) -> int:
        return int(self.server.scard(self.key))


_JOIN = """
local run = redis.call('GET', KEYS[1])
if not run then
  run = ARGV[1]
  redis.call('SET', KEYS[1], run)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return run
"""

# A worker whose heartbeat key expired: its in-flight requests go back into the queue, at once
# and once (two workers reaping together: the second finds nothing).
_REAP = """
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local items = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #items, 2 do redis.call('ZADD', KEYS[3], items[i + 1], items[i]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #items / 2
"""


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler, with runs, in-flight tracking and a cooperative close."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        if getattr(crawler.spider, "backfill", False):
            from scrapy.core.scheduler import Scheduler as LocalScheduler

            logger.warning(
                "newswatch: backfill runs on this worker alone (its page walk cannot be shared); "
                "the state store still keeps every article written once"
            )
            return build_from_crawler(LocalScheduler, crawler)
        settings = crawler.settings
        server = redis.Redis.from_url(settings.get("REDIS_URL"), socket_timeout=30)
        server.ping()
        scheduler = cls(server=server, persist=True)
        scheduler.stats = crawler.stats
        scheduler.setup(crawler, worker_id(settings))
        return scheduler

    def setup(self, crawler: Crawler, worker: str) -> None:
        self.crawler = crawler
        self.worker = worker
        self.lease = crawler.settings.getfloat("NEWSWATCH_QUEUE_LEASE", DEFAULT_LEASE)
        self.heartbeat: task.LoopingCall | None = None
        self.reaped = 0
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.newswatch_queue = self  # for InflightMiddleware

    # -- Scrapy's scheduler interface -------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.keys = RunKeys(spider.name, self.worker)
        new_run = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.run = self.server.eval(_JOIN, 1, self.keys.run, new_run, self._ms(3)).decode()
        self.dupefilter_key = f"{self.keys.base}dupefilter:{self.run}"
        self.requested_key = f"{self.keys.base}requested:{self.run}"
        self.queue = ClaimingQueue(self.server, spider, self.keys.requests, self.keys, self.lease)
        self.df = RFPDupeFilter(self.server, key=self.dupefilter_key)
        if isinstance(getattr(spider, "requested", None), set):
            spider.requested = SharedKeys(self.server, self.requested_key, spider.requested)
        self.server.sadd(self.keys.workers, self.worker)
        self._beat()
        self._reap()
        self.heartbeat = task.LoopingCall(self._beat)
        self.heartbeat.start(self.lease / 5, now=False)
        logger.info(
            "newswatch: worker %s in run %s of %s (%d requests already queued)",
            self.worker,
            self.run,
            spider.name,
            len(self.queue),
        )

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            return False  # another worker of this run has it (or had it)
        request.meta.pop(INFLIGHT, None)  # a retry or redirect is a new queue entry
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        entry = self.queue.pop_entry()
        if entry is None:
            return None
        request, member = entry
        request.meta[INFLIGHT] = member
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def close(self, reason: str) -> None:
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        pipe = self.server.pipeline()
        if reason == "finished":
            # The engine is idle: what is left in-flight failed or was redirected (re-queued).
            pipe.delete(self.keys.inflight, self.keys.live)
            pipe.srem(self.keys.workers, self.worker)
            pipe.execute()
        else:
            # Stopped early (SIGTERM, an error): hand its unfinished requests to the others.
            pipe.delete(self.keys.live)
            pipe.execute()
            self._reap_one(self.worker)
        if not self.server.scard(self.keys.workers):
            # Last one out: the next worker to start opens a new run, fetching listings again.
            self.server.delete(self.keys.run, self.dupefilter_key, self.requested_key)
        self.stats.set_value("newswatch/queue/run", self.run)
        self.stats.set_value("newswatch/queue/reaped", self.reaped)

    # -- in-flight requests and the cooperative close ---------------------------------------

    def done(self, request: Request) -> None:
        """The spider handled this request's response (or failure): it leaves the in-flight set."""
        member = request.meta.pop(INFLIGHT, None)
        if member is not None:
            self.server.zrem(self.keys.inflight, member)

    def spider_idle(self, spider: Spider) -> None:
        """The shared queue is empty here. Stay while another worker is busy or a dead one's
        requests were put back; close when every live worker is idle too."""
        self._beat(idle=True)
        if self._reap() or len(self.queue) or self._others_busy():
            self._poke()
            raise DontCloseSpider

    def _ms(self, leases: float) -> int:
        return int(self.lease * leases * 1000)

    def _beat(self, idle: bool | None = None) -> None:
        """Say this worker is alive (busy or idle), and keep the run's keys alive."""
        if idle is None:
            try:
                idle = self.crawler.engine.spider_is_idle()
            except (AttributeError, RuntimeError):  # the engine is opening or closing
                idle = False
        pipe = self.server.pipeline(transaction=False)
        pipe.set(self.keys.live, "idle" if idle else "busy", px=self._ms(1))
        pipe.pexpire(self.keys.run, self._ms(3))
        for key in (self.dupefilter_key, self.requested_key):
            pipe.expire(key, 86400)  # all workers killed: the run's sets go within a day
        pipe.execute()

    def _reap(self) -> int:
        """Put the in-flight requests of every dead worker back into the queue."""
        count = 0
        for member in self.server.smembers(self.keys.workers):
            worker = member.decode()
            if worker != self.worker:
                count += max(0, self._reap_one(worker))
        if count:
            logger.info("newswatch: put %d requests of dead workers back in the queue", count)
            self.reaped += count
            self.stats.inc_value("newswatch/queue/reaped", count)
        return count

    def _reap_one(self, worker: str) -> int:
        keys = [self.keys.live_of(worker), self.keys.inflight_of(worker), self.keys.requests]
        return int(self.server.eval(_REAP, 4, *keys, self.keys.workers, worker))

    def _others_busy(self) -> bool:
        others = [m.decode() for m in self.server.smembers(self.keys.workers)]
        others = [w for w in others if w != self.worker]
        if not others:
            return False
        states = self.server.mget([self.keys.live_of(w) for w in others])
        return any(state == b"busy" for state in states)

    def _poke(self) -> None:
        # Scrapy looks at an idle spider's scheduler again only every 5 s (the engine's
        # heartbeat); other workers may queue work at any moment, so look again in 0.5 s.
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule(0.5)


class InflightMiddleware:
    """Marks a popped request done once the spider has handled its response: everything the
    callback yielded is in the queue (requests) or on its way to the pipelines (items)."""

    def __init__(self, crawler: Crawler) -> None:
        if not queue_url(crawler.settings):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InflightMiddleware:
        return cls(crawler)

    def _done(self, response: Response) -> None:
        scheduler = getattr(self.crawler, "newswatch_queue", None)
        if scheduler is not None and response.request is not None:
            scheduler.done(response.request)

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider
    ) -> Iterator[Any]:
        yield from result
        self._done(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield item
        self._done(response)

    def process_spider_exception(self, response: Response, exception: Exception, spider: Spider):
        self._done(response)
