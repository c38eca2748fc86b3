"""Distributed crawling: N worker processes share one Redis request queue and dupefilter.

Built on scrapy-redis (its priority queue, request dupefilter and connection helpers). Set
``SCHEDULER = "crawler.distributed.GovScheduler"`` (``crawler/settings.py`` does): without
``GOV_REDIS_URL`` (or ``REDIS_URL``) it is Scrapy's own in-memory scheduler, unchanged; with it,
every worker of one job pushes and pops the same Redis sorted set and checks the same
fingerprint set, so each URL is fetched once by one worker, whichever worker found it.

scrapy-redis 0.9.1's ``Scheduler`` as shipped does not fit a shared crawl of this project:

* its keys are ``<spider name>:requests``: every site crawled by the one ``portal`` spider would
  share one queue (a worker for site A would parse site B's pages with A's profile). Keys here
  are ``<GOV_REDIS_KEY_PREFIX>:<GOV_REDIS_JOB>:<site id>:requests|seen|busy``;
* with ``SCHEDULER_PERSIST = False`` the first worker to finish deletes the queue and the
  dupefilter under the others; with ``True`` nothing ever deletes them, so the next run would
  find every URL "seen" and fetch nothing. Here no worker deletes anything while the job is
  unfinished; the last worker to leave a finished job deletes its keys (``GOV_REDIS_CLEANUP``);
  a job whose workers all died keeps its queue and resumes when workers start again;
* a worker whose queue is momentarily empty closes at once (the stock ``Scheduler`` reports no
  pending requests) even though another worker is about to push the next listing page's links.
  Here a worker stays while another worker of the job is busy (a ``busy`` sorted set, scored
  by Redis server time, refreshed every ``GOV_REDIS_POLL_INTERVAL`` seconds while it works), and
  leaves when the queue is empty and no worker was busy for ``GOV_REDIS_BUSY_TIMEOUT`` seconds;
* requests are pickled by default, so whoever can write to Redis can run code in every worker;
  here they are JSON (this module's ``dumps``/``loads``; ``SCHEDULER_SERIALIZER`` names another
  module), and a request whose meta is not JSON-able fails loudly when it is pushed.

Pop-and-mark-busy is one Lua script, so a request is always either queued or held by a busy
worker: no worker can see the job as finished while a request is in flight.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import os
import socket
import uuid
from typing import Any, Self

from scrapy import signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Request
from scrapy.settings import BaseSettings
from scrapy.spiders import Spider
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler import config
from crawler import statnames as stat

logger = logging.getLogger(__name__)

URL_SETTINGS = ("GOV_REDIS_URL", "REDIS_URL")
LOCAL_SCHEDULER = "scrapy.core.scheduler.Scheduler"

# KEYS: queue, busy; ARGV: worker id. Pops the best request and marks the worker busy, atomically.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], tonumber(now[1]) + tonumber(now[2]) / 1e6, ARGV[1])
return found[1]
"""

# KEYS: queue, busy; ARGV: worker id, busy timeout (s), 1 = marking busy, 0 = idle check.
# Returns {queued, other busy workers} in one round trip.
_STATE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[2], t, ARGV[1])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', t - tonumber(ARGV[2]))
local others = redis.call('ZCARD', KEYS[2])
if ARGV[3] == '1' then others = others - 1 end
return {redis.call('ZCARD', KEYS[1]), others}
"""

# KEYS: queue, busy, seen; ARGV: busy timeout (s). Deletes a finished job's keys, atomically;
# returns how many keys it deleted (0 when the job is unfinished or already cleaned up).
_CLEANUP = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', t - tonumber(ARGV[1]))
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then
  return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
end
return 0
"""


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis URL that turns distributed mode on (``GOV_REDIS_URL``, else ``REDIS_URL``)."""
    for name in URL_SETTINGS:
        value = settings.get(name)
        if value:
            return str(value)
    return None


def mask_redis_url(url: str) -> str:
    """``redis://:secret@host:6379/0`` -> ``redis://***@host:6379/0``."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url


def worker_id(settings: BaseSettings) -> str:
    """``GOV_WORKER_ID``, else ``<hostname>:<pid>:<random>`` (unique per process)."""
    configured = settings.get("GOV_WORKER_ID")
    return (
        str(configured)
        if configured
        else f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    )


def connect(settings: BaseSettings, ping: bool = True, timeout: float | None = None) -> Any:
    """A Redis client for the configured URL; with ``ping``, raises ``redis.RedisError`` now.

    ``timeout`` (seconds) replaces the socket timeouts of ``REDIS_PARAMS`` (scrapy-redis: 30 s).
    """
    from scrapy_redis.connection import get_redis
    from scrapy_redis.defaults import REDIS_PARAMS

    url = redis_url(settings)
    if not url:
        raise ValueError("distributed mode needs GOV_REDIS_URL (or REDIS_URL)")
    params = {**REDIS_PARAMS, **settings.getdict("REDIS_PARAMS")}
    params.pop("encoding", None)  # requests are bytes (JSON): no decoding
    if timeout is not None:
        params |= {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    server = get_redis(url=url, **params)
    if ping:
        server.ping()
    return server


def check_redis(settings: BaseSettings) -> str | None:
    """Fail fast before crawling: ``None`` when not distributed, else a description.

    Raises :class:`crawler.exceptions.StoreUnavailable` (exit code 3) if Redis is unreachable.
    """
    url = redis_url(settings)
    if not url:
        return None
    import redis

    from crawler.exceptions import StoreUnavailable

    try:
        connect(settings).close()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise StoreUnavailable(f"Redis unreachable at {mask_redis_url(url)}: {exc}") from None
    job = settings.get("GOV_REDIS_JOB") or "shared"
    return f"Redis {mask_redis_url(url)} (job {job})"


# -- request serializer (JSON, no pickle) ------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if any(not isinstance(k, str) for k in value):
            return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot share a request holding {type(value).__name__} {value!r} via Redis")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$b"}:
            return base64.b64decode(value["$b"])
        if set(value) == {"$d"}:
            return {_decode(k): _decode(v) for k, v in value["$d"]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj: dict[str, Any]) -> bytes:
    """``Request.to_dict()`` as JSON bytes (bytes values and bytes-keyed headers tagged)."""
    return json.dumps(_encode(obj), separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> dict[str, Any]:
    decoded: dict[str, Any] = _decode(json.loads(data))
    return decoded


# -- scheduler ---------------------------------------------------------------------------------
class SharedScheduler(BaseScheduler):
    """The Redis scheduler of one worker of a shared job (see the module docstring)."""

    def __init__(self, crawler: Crawler, server: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.server = server
        self.stats = crawler.stats
        self.worker = worker_id(settings)
        self.prefix = settings.get("GOV_REDIS_KEY_PREFIX") or "gov"
        self.job = settings.get("GOV_REDIS_JOB") or "shared"
        self.busy_timeout = config.getfloat(settings, "GOV_REDIS_BUSY_TIMEOUT")
        self.poll_interval = config.getfloat(settings, "GOV_REDIS_POLL_INTERVAL")
        self.cleanup = config.getbool(settings, "GOV_REDIS_CLEANUP")
        if not settings.getbool("SCHEDULER_PERSIST", True):
            logger.warning(
                "SCHEDULER_PERSIST=False is ignored in distributed mode: a worker never clears "
                "the shared queue on close (GOV_REDIS_CLEANUP clears a finished job)"
            )
        self.queue: Any = None
        self.df: Any = None
        self.spider: Spider | None = None
        self.idle = False
        self._loop: task.LoopingCall | None = None
        self._pop = server.register_script(_POP)
        self._state = server.register_script(_STATE)
        self._cleanup = server.register_script(_CLEANUP)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, connect(crawler.settings, ping=False))  # checked in open()

    def key(self, name: str) -> str:
        site = getattr(self.spider, "site_id", None) or (self.spider.name if self.spider else "")
        return f"{self.prefix}:{self.job}:{site}:{name}"

    # -- lifecycle -------------------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        from scrapy_redis.dupefilter import RFPDupeFilter
        from scrapy_redis.queue import PriorityQueue

        self.spider = spider
        # a CloseSpider raised here would skip opening the scraper; from spider_opened the
        # engine closes the spider cleanly before anything is fetched
        self.crawler.signals.connect(self._check_redis, signal=signals.spider_opened)
        serializer = importlib.import_module(
            self.crawler.settings.get("SCHEDULER_SERIALIZER") or __name__
        )
        self.queue = PriorityQueue(self.server, spider, self.key("requests"), serializer=serializer)
        self.df = RFPDupeFilter(
            self.server,
            key=self.key("seen"),
            debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )

    def _check_redis(self, spider: Spider) -> None:
        import redis

        try:
            queued = len(self.queue)
        except (redis.RedisError, OSError) as exc:
            url = mask_redis_url(redis_url(self.crawler.settings) or "")
            logger.error("distributed: Redis unreachable at %s: %s", url, exc)
            self.queue = None
            raise CloseSpider("redis_unavailable") from None
        if self.stats:
            self.stats.set_value(stat.DISTRIBUTED_WORKER, self.worker)
            self.stats.set_value(stat.DISTRIBUTED_JOB, self.job)
        logger.info(
            "distributed: worker %s joined job %s (%s); %d requests queued",
            self.worker,
            self.job,
            self.key("*"),
            queued,
        )
        self.crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self.poll_interval, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.queue is None:  # never opened (Redis unreachable)
            return
        self.server.zrem(self.key("busy"), self.worker)
        if self.cleanup and reason == "finished":
            done = self._cleanup(
                keys=[self.key("requests"), self.key("busy"), self.key("seen")],
                args=[self.busy_timeout],
            )
            if done:
                logger.info("distributed: job %s finished; its Redis keys were deleted", self.job)

    # -- scheduling ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.queue) if self.queue is not None else 0

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            if self.stats:
                self.stats.inc_value(stat.DISTRIBUTED_FILTERED)
            return False
        self.queue.push(request)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        data = self._pop(keys=[self.key("requests"), self.key("busy")], args=[self.worker])
        if not data:
            return None
        self.idle = False
        request = request_from_dict(self.queue.serializer.loads(data), spider=self.spider)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # -- coordination ----------------------------------------------------------------------
    def _job_state(self, busy: bool) -> tuple[int, int]:
        queued, others = self._state(
            keys=[self.key("requests"), self.key("busy")],
            args=[self.worker, self.busy_timeout, "1" if busy else "0"],
        )
        return int(queued), int(others)

    def _tick(self) -> None:
        """Keep this worker marked busy while it works; wake it when work shows up."""
        try:
            queued, others = self._job_state(busy=not self.idle)
        except Exception:  # a lost heartbeat only delays other workers' exit
            logger.warning("distributed: Redis heartbeat failed", exc_info=True)
            return
        if self.idle and (queued or not others):
            self._wake()  # work to take, or the job may be over: let the engine re-check

    def _wake(self) -> None:
        # Scrapy polls an idle scheduler only every 5 s (engine heartbeat); ask for the next
        # request now. Private engine attribute: without it the 5 s heartbeat still works.
        engine = self.crawler.engine
        nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def _on_idle(self, spider: Spider) -> None:
        """Nothing local to do: stay while the shared job may still produce requests."""
        self.idle = True
        queued, others = self._job_state(busy=False)
        if queued or others:
            if self.stats:
                self.stats.inc_value(stat.DISTRIBUTED_IDLE_WAITS)
            raise DontCloseSpider


class GovScheduler(BaseScheduler):
    """``SCHEDULER`` for this project: shared (Redis) when a Redis URL is set, else Scrapy's own."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BaseScheduler:  # type: ignore[override]
        if redis_url(crawler.settings):
            return SharedScheduler.from_crawler(crawler)
        local = load_object(crawler.settings.get("GOV_LOCAL_SCHEDULER") or LOCAL_SCHEDULER)
        scheduler: BaseScheduler = local.from_crawler(crawler)
        return scheduler

    def has_pending_requests(self) -> bool:  # never instantiated: from_crawler returns another
        raise NotImplementedError

    def enqueue_request(self, request: Request) -> bool:
        raise NotImplementedError

    def next_request(self) -> Request | None:
        raise NotImplementedError
