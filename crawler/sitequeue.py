"""Where the site pool takes its next site: the run's own list, or a list shared in Redis.

``GOV_REDIS_SHARE = "sites"`` (with ``GOV_REDIS_URL``): the workers started with the same
command line and ``GOV_REDIS_JOB`` split the night's *sites* between them. Each site is crawled
by exactly one worker, start to end, with Scrapy's own scheduler and its own politeness (one
worker sends to a portal, so no shared booking is needed); a worker takes the next site from
the shared list whenever its pool has room, so a slow worker (or one started later) takes fewer
sites and never holds the night. Every site gets one run record, written by the worker that
crawled it.

Keys: ``<GOV_REDIS_KEY_PREFIX>:<GOV_REDIS_JOB>:sites`` (the sites not taken yet, a list) and
``...:sites:workers`` (the workers in the night, scored by their last heartbeat, Redis time).
The first worker to join a job that has no live worker fills the list (one atomic script);
a worker joining while another is live shares its list. A worker beats every
``GOV_REDIS_SITES_BEAT`` seconds and leaves when it has nothing left; one silent for
``GOV_REDIS_SITES_STALE`` seconds (killed) no longer counts, so the next night starts afresh.
When every worker has left, both keys are gone (empty lists and sets are deleted by Redis).
"""

from __future__ import annotations

import json
import logging
from collections import deque
from typing import Any, Protocol

from scrapy.settings import BaseSettings

from crawler import config
from crawler.distributed import connect, redis_url, worker_id

logger = logging.getLogger(__name__)

SHARE_MODES = ("requests", "sites")

# KEYS: the site list, the workers set; ARGV: worker id, stale seconds, then the jobs (JSON).
# Drops workers silent for too long; with no live worker left, (re)fills the list. Returns 1
# when this worker filled it.
_JOIN = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', t - tonumber(ARGV[2]))
local filled = 0
if redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1])
  for i = 3, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
  filled = 1
end
redis.call('ZADD', KEYS[2], t, ARGV[1])
return filled
"""

# KEYS: the site list, the workers set; ARGV: worker id, 1 = take a site, 0 = heartbeat only.
_TAKE = """
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], tonumber(now[1]) + tonumber(now[2]) / 1e6, ARGV[1])
if ARGV[2] == '1' then
  return redis.call('LPOP', KEYS[1])
end
return false
"""


def share_mode(settings: BaseSettings) -> str | None:
    """``None`` when not distributed, else ``"requests"`` or ``"sites"`` (``GOV_REDIS_SHARE``)."""
    if not redis_url(settings):
        return None
    mode = str(config.get(settings, "GOV_REDIS_SHARE")).strip().lower()
    if mode not in SHARE_MODES:
        raise ValueError(f"GOV_REDIS_SHARE must be one of {', '.join(SHARE_MODES)}, got {mode!r}")
    return mode


class JobSource(Protocol):
    shared: bool

    def start(self) -> None: ...
    def take(self) -> dict[str, Any] | None: ...
    def leave(self) -> None: ...
    def remaining(self) -> list[dict[str, Any]]: ...


class LocalJobs:
    """The run's own jobs, in order."""

    shared = False

    def __init__(self, jobs: list[dict[str, Any]]) -> None:
        self.jobs = deque(jobs)

    def start(self) -> None:
        return None

    def take(self) -> dict[str, Any] | None:
        return self.jobs.popleft() if self.jobs else None

    def leave(self) -> None:
        return None

    def remaining(self) -> list[dict[str, Any]]:
        return list(self.jobs)


class SharedSites:
    """The night's sites in a Redis list that every worker of the job takes from."""

    shared = True

    def __init__(self, settings: BaseSettings, jobs: list[dict[str, Any]]) -> None:
        self.server = connect(settings, timeout=10.0)
        prefix = settings.get("GOV_REDIS_KEY_PREFIX") or "gov"
        job = settings.get("GOV_REDIS_JOB") or "shared"
        self.keys = [f"{prefix}:{job}:sites", f"{prefix}:{job}:sites:workers"]
        self.worker = worker_id(settings)
        self.beat_every = config.getfloat(settings, "GOV_REDIS_SITES_BEAT")
        stale = config.getfloat(settings, "GOV_REDIS_SITES_STALE")
        self._take = self.server.register_script(_TAKE)
        payload = [json.dumps(job_, sort_keys=True) for job_ in jobs]
        join = self.server.register_script(_JOIN)
        self.filled = bool(join(keys=self.keys, args=[self.worker, stale, *payload]))
        self.failed: str | None = None
        self.taken = 0
        self._loop: Any = None
        self.joined = f"worker {self.worker} joined the site list of job {job} (" + (
            f"filled it with {len(jobs)} sites)" if self.filled else "filled by another worker)"
        )

    def start(self) -> None:
        """In the running reactor (the log is set up by then): heartbeats from now on."""
        from twisted.internet import task

        logger.info("%s", self.joined)
        self._loop = task.LoopingCall(self._beat)
        self._loop.start(self.beat_every, now=False)

    def _call(self, take: bool) -> Any:
        import redis

        try:
            return self._take(keys=self.keys, args=[self.worker, 1 if take else 0])
        except redis.RedisError as exc:
            if self.failed is None:
                logger.error("site list in Redis failed (%s): no further site taken", exc)
            self.failed = str(exc)
            return None

    def _beat(self) -> None:
        if self.failed is None:
            self._call(take=False)

    def take(self) -> dict[str, Any] | None:
        if self.failed is not None:
            return None
        raw = self._call(take=True)
        if raw is None:
            return None
        self.taken += 1
        job: dict[str, Any] = json.loads(raw)
        return job

    def leave(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        import redis

        try:
            self.server.zrem(self.keys[1], self.worker)
        except redis.RedisError as exc:
            logger.error("could not leave the site list in Redis: %s", exc)
        logger.info("worker %s crawled %d sites of the shared list", self.worker, self.taken)

    def remaining(self) -> list[dict[str, Any]]:
        return []  # the sites left in the list belong to the other workers


def job_source(settings: BaseSettings, jobs: list[dict[str, Any]]) -> JobSource:
    """The shared site list when ``GOV_REDIS_SHARE = "sites"``, else the run's own list.

    Raises :class:`crawler.exceptions.StoreUnavailable` (exit 3) when Redis does not answer."""
    if share_mode(settings) != "sites":
        return LocalJobs(jobs)
    import redis

    from crawler.distributed import mask_redis_url
    from crawler.exceptions import StoreUnavailable

    try:
        return SharedSites(settings, jobs)
    except (redis.RedisError, OSError) as exc:
        url = mask_redis_url(redis_url(settings) or "")
        raise StoreUnavailable(f"Redis unreachable at {url}: {exc}") from None


def lost_sites(source: JobSource) -> list[dict[str, Any]]:
    """A report for the sites a worker could not take because the shared list failed: the
    night is ``incomplete`` (exit 5), not healthy."""
    failed = getattr(source, "failed", None)
    if not failed:
        return []
    return [
        {
            "site_id": "(shared site list)",
            "verdict": "incomplete",
            "problems": [f"the site list in Redis failed: {failed}"],
        }
    ]


def local_crawl_settings(settings: BaseSettings) -> None:
    """Sites mode: each site is crawled by one worker, so its crawler runs as a local one
    (Scrapy's scheduler, the worker's own politeness, its own verdict)."""
    for name in ("GOV_REDIS_URL", "REDIS_URL"):
        settings.set(name, "", priority="cmdline")
