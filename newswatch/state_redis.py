"""The state store on a Redis server, shared by several workers (`NEWSWATCH_STATE=redis://...`).

The same interface and the same exactly-once rule as `SQLiteStateStore` (newswatch/state.py),
made to hold when several `newswatch run` workers, on one machine or many, share one state.

Keys (one Redis database; every multi-key step is one Lua script, so it is atomic for all
workers):

    newswatch:url:<url key>     hash: status, outlet, reason, record_id, modified, version,
                                output, host, worker, token, seen_at
    newswatch:outlet:<outlet>   set of the url hashes of one outlet (for `forget`)
    newswatch:outlets           set of outlet names
    newswatch:writing           set of url hashes in status `writing` (claims to settle)
    newswatch:counts            hash: status -> number of URLs
    newswatch:sketch:<hash>     set of record ids whose sketch holds this MinHash value
    newswatch:lock:<worker>     the run lock of one worker: "<host>|<pid>|<nonce>", with expiry

Exactly once across workers. `begin_write` is a claim: one script checks every key of the
article and, only if none is `kept` (at this version or later) nor `writing` under another live
worker, sets all of them to `writing` with this worker's id, host, lock token and output file.
Two workers that fetched one article (two routes, or a retry) cannot both pass it; the loser's
item is dropped (`ClaimedElsewhere`, reason `claimed_elsewhere`) and never reaches a file.
`finish_write` turns the claim into `kept` only if this worker still holds it.

A claim whose worker died (its lock token is gone, or its pid is dead on this host) is settled
the way SQLite settles a `writing` row, by looking for the record's id in the output file the
claim names: found -> `kept`; not found -> forgotten, so the article is fetched again. Only a
worker on the same host can read that file, so settling is done by the dead worker itself when
it runs again (it settles its own claims on open), or by any worker on its host. Until then a
claim of a dead worker on another machine stays `writing`: the article is neither fetched nor
written twice; `newswatch state show` counts it, and `newswatch state forget` releases it.

The run lock is per worker (two workers run together; one worker's overlapping cron runs do
not): `SET NX` with an expiry (the lease, 30 s; `?lease=` in the URL) renewed by a thread every
third of it. A dead worker's lock frees itself when its lease runs out, at once on its own host
(the holder's pid is checked), and is released on a normal exit.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from scrapy.exceptions import DropItem

from newswatch.fingerprint import THRESHOLD
from newswatch.state import Seen, StateError, _file_holds_id, now

logger = logging.getLogger(__name__)
PREFIX = "newswatch:"
DEFAULT_LEASE = 30.0  # seconds a worker's lock outlives its last renewal
HOST = socket.gethostname()


class ClaimedElsewhere(DropItem):
    """Another worker writes (or wrote) this article: this copy is dropped, never written."""


def default_worker() -> str:
    """NEWSWATCH_WORKER_ID from the environment, else this machine's host name."""
    return os.environ.get("NEWSWATCH_WORKER_ID") or HOST


def parse_location(location: str) -> tuple[str, float, str]:
    """`redis://host:port/db?lease=30` -> (URL for redis-py, lease seconds, URL to show)."""
    parts = urlsplit(location)
    query = parse_qsl(parts.query)
    lease = DEFAULT_LEASE
    kept = []
    for name, value in query:
        if name == "lease":
            try:
                lease = float(value)
            except ValueError:
                raise StateError(f"NEWSWATCH_STATE={location}: lease must be seconds") from None
        else:
            kept.append((name, value))
    url = urlunsplit(parts._replace(query=urlencode(kept)))
    shown = url
    if parts.password:  # never print a password in `state show` or a log
        shown = url.replace(f":{parts.password}@", ":***@", 1)
    return url, lease, shown


def connect(location: str) -> tuple[redis.Redis, float, str]:
    url, lease, shown = parse_location(location)
    try:
        client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30)
        client.ping()
    except (redis.RedisError, ValueError) as error:
        raise StateError(
            f"state server {shown} cannot be used ({error}); start it, or fix NEWSWATCH_STATE"
        ) from None
    return client, lease, shown


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def token_alive(client: redis.Redis, worker: str, token: str) -> bool:
    """Whether the process that made `token` still holds `worker`'s lock."""
    if not token or client.get(f"{PREFIX}lock:{worker}") != token:
        return False
    host, _, rest = token.partition("|")
    pid = rest.partition("|")[0]
    # On its own host a holder killed before its lease ran out is known dead at once.
    return host != HOST or not pid.isdigit() or _pid_alive(int(pid))


# -- the run lock ----------------------------------------------------------------------------

_HELD: dict[tuple[str, str], str] = {}  # (location, worker) -> token held by this process

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisRunLock:
    """One run per worker id at a time on a shared state; other workers run alongside.

    Held per process (several crawlers of one `newswatch run` share it), renewed by a daemon
    thread, released at exit; a killed holder's lock expires after the lease.
    """

    def __init__(self, location: str, worker: str = "") -> None:
        self.location = location
        self.worker = worker or default_worker()
        self.key = f"{PREFIX}lock:{self.worker}"

    def acquire(self) -> None:
        if (self.location, self.worker) in _HELD:
            return
        client, lease, shown = connect(self.location)
        token = f"{HOST}|{os.getpid()}|{uuid.uuid4().hex[:8]}"
        ms = int(lease * 1000)
        if not client.set(self.key, token, nx=True, px=ms):
            holder = client.get(self.key) or ""
            if holder and not token_alive(client, self.worker, holder):
                # Its process is gone (same host): take the lock over now, not after the lease.
                client.eval(_RELEASE, 1, self.key, holder)
            if not client.set(self.key, token, nx=True, px=ms):
                host, _, rest = (client.get(self.key) or "?|?|").partition("|")
                raise StateError(
                    f"another newswatch run (pid {rest.partition('|')[0]} on {host}, worker "
                    f"{self.worker}) is using {shown}; wait for it to finish, or give this "
                    "run another NEWSWATCH_WORKER_ID"
                )
        _HELD[(self.location, self.worker)] = token
        threading.Thread(
            target=_renew, args=(client, self.key, token, lease), daemon=True, name="lock-renew"
        ).start()
        atexit.register(_release, client, self.key, token)


def held_token(location: str, worker: str) -> str | None:
    return _HELD.get((location, worker))


def _renew(client: redis.Redis, key: str, token: str, lease: float) -> None:
    stop = threading.Event()
    while not stop.wait(lease / 3) and token in _HELD.values():
        try:
            if not client.eval(_RENEW, 1, key, token, int(lease * 1000)):
                logger.critical("newswatch: lost the run lock %s (lease ran out)", key)
                return
        except redis.RedisError as error:  # keep trying: the lease covers short outages
            logger.error("newswatch: could not renew the run lock %s: %s", key, error)


def _release(client: redis.Redis, key: str, token: str) -> None:
    with contextlib.suppress(redis.RedisError):  # if not, the lease frees it
        client.eval(_RELEASE, 1, key, token)


# -- the store -------------------------------------------------------------------------------

# Every script gets the url hashes as KEYS and the key prefix as ARGV[1].
_MARK = """
local p, outlet, status, reason, at = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
for _, k in ipairs(KEYS) do
  local old = redis.call('HGET', k, 'status')
  if old ~= 'kept' and old ~= 'writing' then
    if old then
      redis.call('HINCRBY', p .. 'counts', old, -1)
    else
      redis.call('HSET', k, 'outlet', outlet, 'version', 0)
      redis.call('SADD', p .. 'outlet:' .. outlet, k)
      redis.call('SADD', p .. 'outlets', outlet)
    end
    redis.call('HSET', k, 'status', status, 'reason', reason, 'seen_at', at)
    redis.call('HINCRBY', p .. 'counts', status, 1)
  end
end
return 0
"""

# Returns {'ok'}, or {'claimed', key, worker, token, host, output, record_id} for a claim of
# another worker (alive or not: the caller decides), or {'written', key} for a kept record.
_CLAIM = """
local p, worker, outlet, rid, modified, version, output, host, token, at =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7], ARGV[8], ARGV[9],
  ARGV[10]
for _, k in ipairs(KEYS) do
  local r = redis.call('HMGET', k, 'status', 'worker', 'version', 'token', 'host', 'output',
                       'record_id')
  if r[1] == 'writing' and r[4] ~= token then
    return {'claimed', k, r[2] or '', r[4] or '', r[5] or '', r[6] or '', r[7] or ''}
  end
  if r[1] == 'kept' and version <= (tonumber(r[3]) or 0) then
    return {'written', k}
  end
end
for _, k in ipairs(KEYS) do
  local old = redis.call('HGET', k, 'status')
  if old then
    redis.call('HINCRBY', p .. 'counts', old, -1)
  else
    redis.call('HSET', k, 'outlet', outlet)
    redis.call('SADD', p .. 'outlet:' .. outlet, k)
    redis.call('SADD', p .. 'outlets', outlet)
  end
  redis.call('HSET', k, 'status', 'writing', 'reason', '', 'record_id', rid,
             'modified', modified, 'version', version, 'output', output, 'host', host,
             'worker', worker, 'token', token, 'seen_at', at)
  redis.call('HINCRBY', p .. 'counts', 'writing', 1)
  redis.call('SADD', p .. 'writing', k)
end
return {'ok'}
"""

# Returns how many keys were no longer this process's claim (taken over: it was thought dead).
_FINISH = """
local p, token, rid = ARGV[1], ARGV[2], ARGV[3]
local lost = 0
for _, k in ipairs(KEYS) do
  local r = redis.call('HMGET', k, 'status', 'token')
  if r[1] == 'writing' and r[2] == token then
    redis.call('HSET', k, 'status', 'kept')
    redis.call('HINCRBY', p .. 'counts', 'writing', -1)
    redis.call('HINCRBY', p .. 'counts', 'kept', 1)
    redis.call('SREM', p .. 'writing', k)
  elseif r[1] ~= 'kept' then
    lost = lost + 1
  end
end
for i = 4, #ARGV do
  redis.call('SADD', p .. 'sketch:' .. ARGV[i], rid)
end
return lost
"""

# Settle one claim, only if it is still the same claim: ARGV outcome is 'kept' or 'forget'.
_SETTLE = """
local p, token, outcome = ARGV[1], ARGV[2], ARGV[3]
local k = KEYS[1]
local r = redis.call('HMGET', k, 'status', 'token', 'outlet')
if r[1] ~= 'writing' or r[2] ~= token then return 0 end
redis.call('SREM', p .. 'writing', k)
redis.call('HINCRBY', p .. 'counts', 'writing', -1)
if outcome == 'kept' then
  redis.call('HSET', k, 'status', 'kept')
  redis.call('HINCRBY', p .. 'counts', 'kept', 1)
else
  redis.call('SREM', p .. 'outlet:' .. r[3], k)
  redis.call('DEL', k)
end
return 1
"""

_FORGET = """
local p = ARGV[1]
local n = 0
for _, k in ipairs(KEYS) do
  local r = redis.call('HMGET', k, 'status', 'outlet')
  if r[1] then
    redis.call('HINCRBY', p .. 'counts', r[1], -1)
    redis.call('SREM', p .. 'outlet:' .. r[2], k)
    redis.call('SREM', p .. 'writing', k)
    redis.call('DEL', k)
    n = n + 1
  end
end
return n
"""


class RedisStateStore:
    """`StateStore` on a Redis server, safe for several workers at once (module docstring)."""

    def __init__(self, location: str, worker: str = "") -> None:
        self.location = location
        self.worker = worker or default_worker()
        self.db, self.lease, self.path = connect(location)  # `path`: what `state show` prints
        self._mark = self.db.register_script(_MARK)
        self._claim = self.db.register_script(_CLAIM)
        self._finish = self.db.register_script(_FINISH)
        self._settle = self.db.register_script(_SETTLE)
        self._forget = self.db.register_script(_FORGET)
        self.stranded: dict[str, int] = {}  # dead workers on other hosts -> claims left
        self._settle_unfinished_writes()

    @staticmethod
    def _url(key: str) -> str:
        return f"{PREFIX}url:{key}"

    def _settle_unfinished_writes(self) -> None:
        """Settle every claim whose worker is dead and whose output file is on this host."""
        writing = list(self.db.smembers(f"{PREFIX}writing"))
        pipe = self.db.pipeline(transaction=False)
        for url in writing:
            pipe.hmget(url, "worker", "token", "host", "output", "record_id")
        stranded: Counter[str] = Counter()
        for url, (worker, token, host, output, record_id) in zip(
            writing, pipe.execute(), strict=True
        ):
            if worker is None or token_alive(self.db, worker, token or ""):
                continue
            if host != HOST:
                stranded[f"{worker} on {host}"] += 1
                continue
            self._settle_claim(url, token or "", output, record_id)
        self.stranded = dict(stranded)
        for who, count in self.stranded.items():
            logger.warning(
                "newswatch: %d articles claimed by dead worker %s stay unwritten until that "
                "worker runs again (it settles them from its files), or `newswatch state forget`",
                count,
                who,
            )

    def _settle_claim(self, url: str, token: str, output: str | None, record_id: str | None):
        written = bool(output and record_id and _file_holds_id(Path(output), record_id))
        self._settle(keys=[url], args=[PREFIX, token, "kept" if written else "forget"])

    def seen(self, keys: Iterable[str]) -> dict[str, Seen]:
        keys = list(dict.fromkeys(keys))
        pipe = self.db.pipeline(transaction=False)
        for key in keys:
            pipe.hmget(self._url(key), "status", "record_id", "modified", "version")
        found = {}
        for key, (status, record_id, modified, version) in zip(keys, pipe.execute(), strict=True):
            if status:
                found[key] = Seen(key, status, record_id or None, modified or None, int(version))
        return found

    def mark(self, keys: Iterable[str], outlet: str, status: str, reason: str = "") -> None:
        urls = [self._url(k) for k in dict.fromkeys(keys)]
        if urls:
            self._mark(keys=urls, args=[PREFIX, outlet, status, reason, now()])

    def begin_write(
        self,
        keys: Iterable[str],
        outlet: str,
        record_id: str,
        path: Path,
        modified: str | None,
        version: int,
    ) -> None:
        """Claim the article for this worker, or raise `ClaimedElsewhere` (see the docstring)."""
        token = held_token(self.location, self.worker)
        if token is None:
            raise StateError(
                f"worker {self.worker} writes without holding its run lock on {self.path}"
            )
        urls = [self._url(k) for k in dict.fromkeys(keys)]
        args = [PREFIX, self.worker, outlet, record_id, modified or "", version]
        args += [str(Path(path).resolve()), HOST, token, now()]
        for _attempt in range(len(urls) + 1):  # each retry follows one settled dead claim
            answer = self._claim(keys=urls, args=args)
            if answer[0] == "ok":
                return
            if answer[0] == "written":
                raise ClaimedElsewhere(f"claimed_elsewhere: {record_id} is already written")
            _, url, owner, owner_token, host, output, owner_record = answer
            if token_alive(self.db, owner, owner_token) or host != HOST:
                raise ClaimedElsewhere(
                    f"claimed_elsewhere: worker {owner} on {host} is writing {record_id}"
                )
            # Its worker died on this host: settle from its file, then claim again.
            self._settle_claim(url, owner_token, output, owner_record)
        raise ClaimedElsewhere(f"claimed_elsewhere: {record_id} kept changing hands")

    def finish_write(self, keys: Iterable[str], record_id: str, sketch: list[int]) -> None:
        token = held_token(self.location, self.worker) or ""
        urls = [self._url(k) for k in dict.fromkeys(keys)]
        lost = self._finish(keys=urls, args=[PREFIX, token, record_id, *sketch])
        if lost:
            # Only when this worker stalled past its lease and another settled its claim.
            logger.error(
                "newswatch: the claim on %s was taken over while writing it (worker %s stalled "
                "longer than the %ss lease); the record may be in two output files",
                record_id,
                self.worker,
                self.lease,
            )

    def near_duplicate(self, sketch: list[int]) -> str | None:
        """The written record whose sketch shares the most with this one, if at least THRESHOLD."""
        if not sketch:
            return None
        pipe = self.db.pipeline(transaction=False)
        for value in sketch:
            pipe.smembers(f"{PREFIX}sketch:{value}")
        shared = Counter(rid for members in pipe.execute() for rid in members)
        if not shared:
            return None
        best, count = shared.most_common(1)[0]
        return best if count / len(sketch) >= THRESHOLD else None

    def forget(self, outlet: str | None = None) -> int:
        """Forget the URLs (of one outlet, or all) so they are fetched again; sketches stay."""
        outlets = [outlet] if outlet else sorted(self.db.smembers(f"{PREFIX}outlets"))
        forgotten = 0
        for name in outlets:
            members = f"{PREFIX}outlet:{name}"
            # Listed first: the set shrinks as its URLs are forgotten.
            for batch in _batches(list(self.db.sscan_iter(members, count=1000)), 1000):
                forgotten += self._forget(keys=batch, args=[PREFIX])
        return forgotten

    def counts(self) -> dict[str, int]:
        return {s: int(n) for s, n in self.db.hgetall(f"{PREFIX}counts").items() if int(n) > 0}

    def close(self) -> None:
        self.db.close()


def _batches(items: Iterable[str], size: int) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
