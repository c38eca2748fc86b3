"""RunReportExtension: one ``crawl_runs`` document and one summary line per site and run.

At ``spider_closed`` it reads the crawl stats (pages by type, articles new/updated/unchanged,
drops by reason, errors by type, field coverage counted by the validate pipeline), compares them
with the profile's ``[expect]`` thresholds and records a verdict. The run record is written by
the store worker (``crawler/storage/worker.py``), as the items are, not on the crawler's thread
(a worker that died: by the crawler's own connection to the store). It never raises during the
crawl; if the store is gone, the run record goes to the spool with the items.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from concurrent.futures import BrokenExecutor
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler import statnames as stat
from crawler.distributed import redis_url
from crawler.fields import COVERAGE_FIELDS
from crawler.profiles import Profile
from crawler.runsummary import summary_line
from crawler.storage import mask_secrets
from crawler.storage.runtime import (
    spool_from_settings,
    store_from_settings,
    worker_from_settings,
)
from crawler.storage.worker import STORE_ERRORS, call

logger = logging.getLogger(__name__)

HEALTHY = "healthy"
UNHEALTHY = "unhealthy"
FAILED = "failed"
INCOMPLETE = "incomplete"  # stopped before the end: a signal, a close-spider limit
ABORTED = "aborted"  # killed outright: recorded by the next run (crawler/runstate.py)
FINISHED = "finished"
# records that did not simply reach the store: each makes the run unhealthy
STORE_PROBLEMS = (
    ("spooled", "store lost mid-run: {n} records spooled (replayed by the next run)"),
    ("spool_failed", "{n} records neither stored nor spooled"),
    ("unacknowledged", "the store did not acknowledge {n} records (spooled)"),
    ("unaccounted", "{n} records neither stored, spooled nor dead-lettered"),
)


def _nested(stats: dict[str, Any], prefix: str) -> dict[str, dict[str, int]]:
    """``prefix + "a/b"`` counters as ``{a: {b: count}}``."""
    out: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(prefix) and key.count("/", len(prefix)) == 1:
            outer, inner = key[len(prefix) :].split("/")
            out.setdefault(outer, {})[inner] = int(value)
    return out


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        k[len(prefix) :]: int(v)
        for k, v in stats.items()
        if k.startswith(prefix) and "/" not in k[len(prefix) :]
    }


def verdict_for(
    report: dict[str, Any], profile: Profile | None, shared: bool = False
) -> tuple[str, list[str]]:
    """``healthy``, ``unhealthy`` (expectations missed), ``incomplete`` (stopped before the
    end: Ctrl-C or SIGTERM, ``CLOSESPIDER_TIMEOUT``, ...; never healthy, whatever it stored) or
    ``failed`` (nothing fetched).

    ``shared``: one worker of a distributed (Redis) crawl, where other workers may have fetched
    every listing page (or every page) of the site; only this worker's own failures count.
    """
    problems: list[str] = []
    pages = report["pages"]
    took_no_listing = shared and pages["listing"] == 0
    if pages["listing"] == 0 and not (shared and (pages["article"] or not report["errors"])):
        problems.append("no listing page could be fetched")
        return FAILED, problems
    expect = profile.expect if profile else None
    seen = report["articles"]["links_seen"]
    if expect and seen < expect.min_items and not took_no_listing:
        problems.append(f"{seen} article links on listing pages, expected >= {expect.min_items}")
    processed = report["articles"]["valid"]
    if expect and report["articles"]["extracted"]:
        for name, minimum in expect.coverage.items():
            share = report["coverage"].get(name, 0.0)
            if share < minimum:
                problems.append(f"coverage {name} {share:.0%} < {minimum:.0%}")
    if pages["article"] and processed == 0:
        problems.append(f"{pages['article']} article pages fetched, none valid")
    counts = {**report["articles"], "spool_failed": report["errors"].get("spool_failed", 0)}
    for key, problem in STORE_PROBLEMS:
        if counts.get(key, 0):
            problems.append(problem.format(n=counts[key]))
    reason = report.get("finish_reason", FINISHED)
    if reason != FINISHED:
        problems.insert(0, f"run stopped before the end ({reason})")
        return INCOMPLETE, problems
    return (UNHEALTHY if problems else HEALTHY), problems


def _count(stats: dict[str, Any], name: str) -> int:
    return int(stats.get(name, 0))


def _coverage(stats: dict[str, Any]) -> dict[str, float]:
    """Share of extracted article pages with each field, over every article page extracted
    (dropped ones too: a layout change shows here even when validation then drops every
    article). A field filled by a fallback counts as a miss of the profile's rule."""
    extracted = _count(stats, stat.ARTICLES_EXTRACTED)
    if not extracted:
        return dict.fromkeys(COVERAGE_FIELDS, 0.0)
    return {
        name: round(
            1
            - (
                _count(stats, stat.extract_missing(name))
                + _count(stats, stat.extract_fallback(name))
            )
            / extracted,
            4,
        )
        for name in COVERAGE_FIELDS
    }


def _pages(stats: dict[str, Any]) -> dict[str, int]:
    return {
        "listing": _count(stats, stat.PAGES_LISTING),
        "article": _count(stats, stat.PAGES_ARTICLE),
        "responses": _count(stats, "downloader/response_count"),
        "requests": _count(stats, "downloader/request_count"),
    }


# crawl_runs.articles: key -> the stats name it counts
_ARTICLE_COUNTS = {
    "extracted": stat.ARTICLES_EXTRACTED,
    "valid": stat.ARTICLES_VALID,
    "new": stat.ARTICLES_NEW,
    "updated": stat.ARTICLES_UPDATED,
    "unchanged": stat.ARTICLES_UNCHANGED,
    "duplicate_url": stat.DEDUP_SAME_URL,
    "republished": stat.DEDUP_DUPLICATE_OF,
    "skipped_known": stat.INCREMENTAL_SKIPPED_KNOWN,
    "refreshed": stat.INCREMENTAL_REFRESHED,
    "spooled": stat.STORE_SPOOLED,
    # records the store pipeline got = written + site stats + spooled + dead-lettered
    "received": stat.STORE_RECEIVED,
    "dead_lettered": stat.STORE_DEAD_LETTERED,
    "unacknowledged": stat.STORE_UNACKNOWLEDGED,
    "unaccounted": stat.STORE_UNACCOUNTED,
}


def _articles(stats: dict[str, Any]) -> dict[str, Any]:
    counts: dict[str, Any] = {
        "links_seen": _count(stats, stat.LISTING_LINKS) + _count(stats, stat.FEED_LINKS),
        **{key: _count(stats, name) for key, name in _ARTICLE_COUNTS.items()},
        "dropped": _prefixed(stats, stat.DROPPED_PREFIX),
    }
    return counts


class RunReportExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started_at = datetime.now(UTC)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunReportExtension:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        self.started_at = datetime.now(UTC)

    def build_report(self, spider: Spider, reason: str) -> dict[str, Any]:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        profile: Profile | None = getattr(spider, "profile", None)
        report: dict[str, Any] = {
            "run_id": self.crawler.settings.get("GOV_RUN_ID")
            or self.started_at.strftime("%Y%m%dT%H%M%SZ"),
            "site_id": getattr(spider, "site_id", spider.name),
            "cms": profile.cms if profile else None,
            "mode": getattr(spider, "mode", None),
            "started_at": self.started_at,
            "finished_at": datetime.now(UTC),
            "finish_reason": reason,
            "pages": _pages(stats),
            "articles": _articles(stats),
            "listing": {
                # how article links were found: the profile's rules, layout-free, or a feed
                "source": stats.get(stat.LISTING_SOURCE, "pages"),
                "layout_free": int(stats.get(stat.LISTING_LAYOUT_FREE, 0)),
                "postback_pager": bool(stats.get(stat.LISTING_POSTBACK_PAGER)),
            },
            "errors": _prefixed(stats, stat.ERRORS_PREFIX),
            "fallbacks": _prefixed(stats, stat.EXTRACT_FALLBACK),
            # how fields were found without a rule: {"title": {"slug": 12}, ...}
            "methods": _nested(stats, stat.EXTRACT_METHOD),
            "coverage": _coverage(stats),
            "site_moved_to": stats.get(stat.SITE_MOVED_TO),
            "worker": stats.get(stat.DISTRIBUTED_WORKER),
        }
        shared = redis_url(self.crawler.settings) is not None
        report["verdict"], report["problems"] = verdict_for(report, profile, shared)
        return report

    def spider_closed(self, spider: Spider, reason: str) -> Coroutine[Any, Any, None]:
        """The report is built and put in the stats at once (the Spidermon monitors, connected
        after this extension, read it there); the run record is then written by the store
        worker, off the crawler's thread, and the spider closes once it is written."""
        report = self.build_report(spider, reason)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(stat.RUN_REPORT, report)
        return self._record(report)

    async def _record(self, report: dict[str, Any]) -> None:
        settings = self.crawler.settings
        try:
            try:
                await call(worker_from_settings(settings), "record_run", report)
            except (BrokenExecutor, RuntimeError):  # the worker died: this process's own store
                store_from_settings(settings).record_run(report)
        except Exception as exc:  # the store may be gone: keep the record in the spool
            if not isinstance(exc, (*STORE_ERRORS, RuntimeError)):
                raise
            logger.error(
                "run record spooled: %s", mask_secrets(str(exc), settings.get("MONGO_URI"))
            )
            spool_from_settings(settings).append("run", [report])
        logger.info("%s", summary_line(report))
