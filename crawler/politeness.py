"""Politeness that holds at national scale: the profile delay is a floor, where the request
leaves too; a dead host costs its timeout once; in a shared crawl the delay holds across
every worker.

* :class:`PoliteDownloader` (``DOWNLOADER``) and :class:`FloorSlot`: jitter only adds to the
  delay and AutoThrottle never lowers it below the profile's.
* :class:`PoliteDownloadHandler` keeps the floor where a request leaves (a busy event loop can
  hold one request back after its slot let it go, and not the next one).
* :class:`HostDownMiddleware`: a host that never answered gives up its other requests at once.

Shared politeness, the rest of this docstring: one portal's delay holds across every worker.

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
import random
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.core.downloader import Downloader, Slot
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    NotConfigured,
)
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import defer, error

from crawler import config
from crawler import statnames as stat
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

# KEYS: when a request to the host last left (ms, Redis time); ARGV: delay (ms). Returns 0 and
# records now when the delay has passed since then, else the milliseconds still to wait.
_CONFIRM = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '-1000000000')
local delay = tonumber(ARGV[1])
if t < last + delay then
  return last + delay - t
end
redis.call('SET', KEYS[1], t, 'PX', delay + 60000)
return 0
"""
MAX_CONFIRMS = 20  # a request that never gets a confirmed turn goes after this many waits


class HostBooking:
    """A host's next free moment, kept in Redis and shared by every worker."""

    def __init__(self, server: Any, prefix: str) -> None:
        self.prefix = prefix
        self._reserve = server.register_script(_RESERVE)
        self._confirm = server.register_script(_CONFIRM)

    def reserve(self, host: str, delay: float) -> float:
        """Book the host's next free moment; returns the seconds to wait for it."""
        wait_ms = self._reserve(keys=[f"{self.prefix}:polite:{host}"], args=[round(delay * 1000)])
        return int(wait_ms) / 1000

    def confirm(self, host: str, delay: float) -> float:
        """Right before sending: 0 (and the send is recorded) when no worker sent to the host
        within ``delay``, else the seconds still to wait. A booked turn can come late (one
        worker's event loop was busy); this keeps the gap between the sends themselves."""
        wait_ms = self._confirm(keys=[f"{self.prefix}:sent:{host}"], args=[round(delay * 1000)])
        return int(wait_ms) / 1000


def booking_from_settings(crawler: Crawler) -> HostBooking | None:
    """The shared booking of a distributed crawl, or ``None`` (not shared, or turned off)."""
    settings = crawler.settings
    if not redis_url(settings) or not config.getbool(settings, "GOV_SHARED_POLITENESS"):
        return None
    server = connect(settings, ping=False, timeout=REDIS_TIMEOUT)
    return HostBooking(server, settings.get("GOV_REDIS_KEY_PREFIX") or "gov")


def host_delay(settings: BaseSettings, host: str) -> float:
    """The host's ``DOWNLOAD_SLOTS`` delay (from its profile), else ``DOWNLOAD_DELAY``."""
    slot = settings.getdict("DOWNLOAD_SLOTS").get(host) or {}
    return float(slot.get("delay", settings.getfloat("DOWNLOAD_DELAY", 0.0)))


class LoopStalls:
    """How late the event loop ran a 10 ms timer, over the last minute: the longest stall since
    a moment is how much later than planned a request handed over then may have left."""

    INTERVAL = 0.01
    KEEP = 60.0

    def __init__(self) -> None:
        self.samples: deque[tuple[float, float]] = deque()  # (when, how late)
        self._loop: Any = None
        self._last = 0.0

    def start(self) -> None:
        if self._loop is not None:
            return
        from twisted.internet import task

        self._last = time.monotonic()
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self.INTERVAL, now=False)

    def _tick(self) -> None:
        now = time.monotonic()
        late = now - self._last - self.INTERVAL
        self._last = now
        if late > SEND_SLACK / 2:
            self.samples.append((now, late))
        while self.samples and self.samples[0][0] < now - self.KEEP:
            self.samples.popleft()

    def since(self, moment: float) -> float:
        return max((late for when, late in self.samples if when >= moment), default=0.0)


STALLS = LoopStalls()


class PoliteDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler; in a shared crawl it books each request's turn."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        self.booking = booking_from_settings(crawler)
        self._paused_until = 0.0
        self._sent: dict[str, float] = {}  # host -> monotonic time of its last request
        STALLS.start()

    async def download_request(self, request: Request) -> Response:
        host = urlsplit(request.url).hostname or ""
        first = host not in self._sent
        await self._keep_floor(host)
        # the shared booking last, right before the request leaves: a wait after it would
        # let another worker's booked request go first and close the gap
        await self._wait_turn(host)
        self._sent[host] = time.monotonic()
        response = await super().download_request(request)
        if first:
            # it opened the connection: its bytes left after the connect, some turns of the
            # loop later, at the latest now; the next request counts from here
            self._sent[host] = time.monotonic()
        return response

    async def _keep_floor(self, host: str) -> None:
        """Send no sooner than the host's delay after its last request *was sent*.

        The download slot counts its delay from the moment it lets a request go; the request
        goes out when the event loop gets to it. A busy loop (hundreds of sites starting,
        a long parse) can hold one request back for a second and then let the next one go at
        once: the host sees two requests closer than its delay. This closes that gap where the
        request leaves; it waits only then (the slot's own delay and jitter apply first).
        """
        floor = host_delay(self.crawler.settings, host)
        if floor <= 0:
            return
        now = time.monotonic()
        last = self._sent.get(host)
        # the last request's bytes left in a later turn of the loop: as late as the longest
        # stall of the loop since then
        wait = -1.0 if last is None else last + floor + SEND_SLACK + STALLS.since(last) - now
        if wait > 0:
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value(stat.POLITENESS_FLOOR_WAITS)
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))

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
            wait = self.booking.reserve(host, delay + SEND_SLACK)
        except redis.RedisError as exc:
            stats.inc_value(stat.POLITENESS_REDIS_ERRORS)
            if not self._paused_until:
                logger.error("shared politeness paused (Redis: %s); per-worker delays apply", exc)
            self._paused_until = time.monotonic() + RETRY_AFTER_FAILURE
            return
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        if wait > 0:
            stats.inc_value(stat.POLITENESS_SHARED_WAITS)
            stats.inc_value(stat.POLITENESS_SHARED_WAIT_MS, round(wait * 1000))
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        for _ in range(MAX_CONFIRMS):
            try:
                late = self.booking.confirm(host, delay + SEND_SLACK)
            except redis.RedisError:
                return
            if late <= 0:
                return
            stats.inc_value(stat.POLITENESS_SHARED_LATE_WAITS)
            await maybe_deferred_to_future(deferLater(reactor, late, lambda: None))


def use_profile_slots(settings: BaseSettings, profile: Profile | None) -> None:
    """The profile's delay and concurrency as the download slots of its hosts.

    ``GOV_PROFILE_DELAYS = False`` (tests, benchmarks) leaves Scrapy's own settings alone.
    A slot the settings already define for a host wins.
    """
    if profile is None or not config.getbool(settings, "GOV_PROFILE_DELAYS"):
        return
    slot = {"delay": profile.crawl.delay, "concurrency": profile.crawl.concurrency}
    slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
    for host in profile.hosts:
        slots.setdefault(host, slot)
    settings.set("DOWNLOAD_SLOTS", slots, priority="spider")


# -- the delay is a floor ------------------------------------------------------------------
# s: margin over the delay where a request leaves (_keep_floor): its bytes are written in a later
# turn of the event loop, and one busy turn (a page parsed, a site started) can hold them there
SEND_SLACK = 0.05


class FloorSlot(Slot):
    """A download slot whose delay never drops below its host's politeness delay.

    Scrapy draws each gap from ``delay * (1 ± jitter)`` (0.5x-1.5x by default) and AutoThrottle
    may lower ``delay`` down to ``DOWNLOAD_DELAY``: both let a host get two requests closer
    than its profile delay. Here the gap is ``max(floor, delay) * (1 + U(0, jitter))``: the
    profile delay (``floor``) is the least gap, jitter only adds, and AutoThrottle can still
    slow a host down (a slow host's latency raises ``delay``) but never speed it past the floor.
    The slot counts from when it lets a request go; :class:`PoliteDownloadHandler` then holds
    the floor where the request actually leaves (a busy event loop can delay one request and not
    the next).
    """

    def __init__(self, concurrency: int, delay: float, jitter: float, floor: float) -> None:
        super().__init__(concurrency, delay, jitter)
        self.floor = floor

    def download_delay(self) -> float:
        base = max(self.floor, self.delay)
        if not base:
            return 0.0
        if self.jitter:
            base *= 1 + random.uniform(0.0, self.jitter)
        return base


def slot_floor(settings: BaseSettings, key: str) -> float:
    """The least gap between two requests to a host: its ``DOWNLOAD_SLOTS`` delay (from the
    profile), else ``DOWNLOAD_DELAY``."""
    return host_delay(settings, key)


class PoliteDownloader(Downloader):
    """Scrapy's downloader with :class:`FloorSlot` slots (``DOWNLOADER``)."""

    def _get_slot(self, request: Request, spider: Spider | None = None) -> tuple[str, Slot]:
        key = self.get_slot_key(request)
        if key not in self.slots:
            slot_settings = self.per_slot_settings.get(key, {})
            concurrency = slot_settings.get(
                "concurrency", self.ip_concurrency or self.domain_concurrency
            )
            delay = float(slot_settings.get("delay", self._delay))
            jitter = float(slot_settings.get("jitter", self._jitter))
            self.slots[key] = FloorSlot(concurrency, delay, jitter, slot_floor(self.settings, key))
            self._start_slot_gc()
        return key, self.slots[key]


# -- a dead host costs its timeout once --------------------------------------------------------
HOST_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    TimeoutError,
    defer.TimeoutError,
    error.TimeoutError,
    error.TCPTimedOutError,
    error.ConnectionRefusedError,
    error.DNSLookupError,
    error.NoRouteError,
    DownloadTimeoutError,
    CannotResolveHostError,
    DownloadConnectionRefusedError,
)


class HostDownMiddleware:
    """A host that never answered gives up its remaining requests at once.

    When a request to a host that has not answered once in this crawl fails at the connection
    level (timeout, refused, DNS), the host is taken as down for the rest of the crawl: every
    later request to it, retries included, fails straight away with the same error, so a dead
    portal costs one ``DOWNLOAD_TIMEOUT`` instead of (requests x ``RETRY_TIMES + 1``) timeouts.
    A host that has answered keeps Scrapy's retries (a lost answer now and then is not a dead
    host). Counted as ``gov/politeness/hosts_down`` and ``gov/politeness/skipped_host_down``;
    ``GOV_HOST_DOWN_FAST = False`` turns it off. Sits right before the retry middleware.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not config.getbool(crawler.settings, "GOV_HOST_DOWN_FAST"):
            raise NotConfigured
        self.stats = crawler.stats
        self.answered: set[str] = set()
        self.down: dict[str, BaseException] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostDownMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        failure = self.down.get(host)
        if failure is not None:
            assert self.stats is not None
            self.stats.inc_value(stat.POLITENESS_SKIPPED_HOST_DOWN)
            request.meta["dont_retry"] = True
            raise failure

    def process_response(self, request: Request, response: Response) -> Response:
        self.answered.add(urlparse_cached(request).hostname or "")
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        host = urlparse_cached(request).hostname or ""
        if (
            host in self.answered
            or host in self.down
            or not isinstance(exception, HOST_DOWN_ERRORS)
        ):
            return
        self.down[host] = exception
        assert self.stats is not None
        self.stats.inc_value(stat.POLITENESS_HOSTS_DOWN)
        logger.warning(
            "%s did not answer (%s): its other requests are given up for this crawl",
            host,
            type(exception).__name__,
        )
