"""Shared politeness: one portal's delay holds across every worker of a shared crawl.

Scrapy's download slots keep each portal's delay (``DOWNLOAD_SLOTS``, from the profile) per
process: N workers on one Redis queue would hit a portal up to N times as often as its profile
allows. In distributed mode (``GOV_REDIS_URL`` set), :class:`PoliteDownloadHandler` (Scrapy's
HTTP/1.1 handler, ``DOWNLOAD_HANDLERS`` for http and https) books the host's next free moment in
Redis right before each request is sent, after the download slot's own delay, jitter,
AutoThrottle and concurrency have let it go: one atomic script on the Redis server's clock. The
first request of a free host goes at once; the next one, whichever worker sends it, waits until
one delay later, and so on. So all workers together send at most one request per delay to a
host, however many workers or jobs crawl it (the key is per host,
``<GOV_REDIS_KEY_PREFIX>:polite:<host>``). The wait comes before the connection, so it does not
count against ``DOWNLOAD_TIMEOUT``.

The delay is the host's ``DOWNLOAD_SLOTS`` delay, else ``DOWNLOAD_DELAY``; a host with no delay
is not limited. If Redis fails, requests go on with each worker's own delays, and the booking is
retried after ``RETRY_AFTER_FAILURE`` seconds (logged once, counted as
``gov/politeness/redis_errors``; Redis calls time out after 2 s). ``GOV_SHARED_POLITENESS =
False`` turns it off. Waits are counted as ``gov/politeness/shared_waits`` and
``gov/politeness/shared_wait_ms``.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.distributed import connect, redis_url
from crawler.profiles import Profile

logger = logging.getLogger(__name__)

REDIS_TIMEOUT = 2.0  # s; a booking must never hold a request (or the reactor) for long
RETRY_AFTER_FAILURE = 60.0  # s without bookings after Redis failed

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


class HostBooking:
    """A host's next free moment, kept in Redis and shared by every worker."""

    def __init__(self, server: Any, prefix: str) -> None:
        self.prefix = prefix
        self._reserve = server.register_script(_RESERVE)

    def reserve(self, host: str, delay: float) -> float:
        """Book the host's next free moment; returns the seconds to wait for it."""
        wait_ms = self._reserve(keys=[f"{self.prefix}:polite:{host}"], args=[round(delay * 1000)])
        return int(wait_ms) / 1000


def booking_from_settings(crawler: Crawler) -> HostBooking | None:
    """The shared booking of a distributed crawl, or ``None`` (not shared, or turned off)."""
    settings = crawler.settings
    if not redis_url(settings) or not settings.getbool("GOV_SHARED_POLITENESS", True):
        return None
    server = connect(settings, ping=False, timeout=REDIS_TIMEOUT)
    return HostBooking(server, settings.get("GOV_REDIS_KEY_PREFIX") or "gov")


def host_delay(settings: BaseSettings, host: str) -> float:
    """The host's ``DOWNLOAD_SLOTS`` delay (from its profile), else ``DOWNLOAD_DELAY``."""
    slot = settings.getdict("DOWNLOAD_SLOTS").get(host) or {}
    return float(slot.get("delay", settings.getfloat("DOWNLOAD_DELAY", 0.0)))


class PoliteDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler; in a shared crawl it books each request's turn."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        self.booking = booking_from_settings(crawler)
        self._paused_until = 0.0

    async def download_request(self, request: Request) -> Response:
        await self._wait_turn(urlsplit(request.url).hostname or "")
        return await super().download_request(request)

    async def _wait_turn(self, host: str) -> None:
        if self.booking is None or time.monotonic() < self._paused_until:
            return
        delay = host_delay(self.crawler.settings, host)
        if delay <= 0:
            return
        stats = self.crawler.stats
        assert stats is not None
        import redis

        try:
            wait = self.booking.reserve(host, delay)
        except redis.RedisError as exc:
            stats.inc_value("gov/politeness/redis_errors")
            if not self._paused_until:
                logger.error("shared politeness paused (Redis: %s); per-worker delays apply", exc)
            self._paused_until = time.monotonic() + RETRY_AFTER_FAILURE
            return
        if wait > 0:
            stats.inc_value("gov/politeness/shared_waits")
            stats.inc_value("gov/politeness/shared_wait_ms", round(wait * 1000))
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))


def use_profile_slots(settings: BaseSettings, profile: Profile | None) -> None:
    """The profile's delay and concurrency as the download slots of its hosts.

    ``GOV_PROFILE_DELAYS = False`` (tests, benchmarks) leaves Scrapy's own settings alone.
    A slot the settings already define for a host wins.
    """
    if profile is None or not settings.getbool("GOV_PROFILE_DELAYS", True):
        return
    slot = {"delay": profile.crawl.delay, "concurrency": profile.crawl.concurrency}
    slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
    for host in profile.hosts:
        slots.setdefault(host, slot)
    settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
