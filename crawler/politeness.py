"""SharedPolitenessMiddleware: one portal's delay holds across every worker of a shared crawl.

Scrapy's download slots keep each portal's delay (``DOWNLOAD_SLOTS``, from the profile) per
process: N workers on one Redis queue would hit a portal up to N times as often as its profile
allows. In distributed mode (``GOV_REDIS_URL`` set) this middleware makes every request first
reserve the host's next free moment in Redis, with one atomic script on the Redis server's
clock: the first request of a free host goes at once, the next one (whichever worker sends it)
waits until one delay later, and so on. So all workers together send at most one request per
delay to a host, and a host stays polite however many workers or jobs crawl it (the key is per
host, ``<GOV_REDIS_KEY_PREFIX>:polite:<host>``, not per job).

The delay is the host's ``DOWNLOAD_SLOTS`` delay, else ``DOWNLOAD_DELAY``; a host with no delay
is not limited. If Redis fails, requests go on with each worker's own delays (logged once,
counted as ``gov/politeness/redis_errors``). ``GOV_SHARED_POLITENESS = False`` turns it off.
Waits are counted as ``gov/politeness/shared_waits`` and ``gov/politeness/shared_wait_ms``.
"""

from __future__ import annotations

import logging
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.distributed import connect, redis_url

logger = logging.getLogger(__name__)

# KEYS: the host's next free moment (ms, Redis time); ARGV: delay (ms). Returns the wait (ms).
_RESERVE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(t, free)
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + delay, 'PX', at + delay - t + 60000)
return at - t
"""


class SharedPolitenessMiddleware:
    def __init__(self, crawler: Crawler, server: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.prefix = settings.get("GOV_REDIS_KEY_PREFIX") or "gov"
        self.default_delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self._reserve = server.register_script(_RESERVE)
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not redis_url(settings) or not settings.getbool("GOV_SHARED_POLITENESS", True):
            raise NotConfigured  # silently: not a shared crawl
        return cls(crawler, connect(settings, ping=False))

    def delay_for(self, host: str) -> float:
        slot = self.crawler.settings.getdict("DOWNLOAD_SLOTS").get(host) or {}
        return float(slot.get("delay", self.default_delay))

    def reserve(self, host: str, delay: float) -> float:
        """Book the host's next free moment; returns the seconds to wait for it."""
        wait_ms = self._reserve(keys=[f"{self.prefix}:polite:{host}"], args=[round(delay * 1000)])
        return int(wait_ms) / 1000

    async def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlsplit(request.url).hostname or ""
        delay = self.delay_for(host)
        if delay <= 0:
            return
        stats = self.crawler.stats
        assert stats is not None
        import redis

        try:
            wait = self.reserve(host, delay)
        except redis.RedisError as exc:
            stats.inc_value("gov/politeness/redis_errors")
            if not self._failed:
                logger.error("shared politeness off (Redis: %s); per-worker delays apply", exc)
                self._failed = True
            return
        if wait > 0:
            stats.inc_value("gov/politeness/shared_waits")
            stats.inc_value("gov/politeness/shared_wait_ms", round(wait * 1000))
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
