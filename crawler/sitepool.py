"""Crawl many sites in one process, a bounded number at a time.

Each site is its own Scrapy crawler (engine, downloader, extensions: about 1 MB each). A
national night names thousands of sites; starting them all at once held every crawler in
memory (peak RSS grew ~1 MB per site) and opened every portal at the same moment. The pool
starts at most ``GOV_SITES_AT_ONCE`` sites (0: all at once) and starts the next one as soon as
one finishes, so a slow or dead portal holds one place and never the others (no head-of-line
blocking), memory is bounded by the limit, not by the number of sites, and each finished
crawler is dropped once its run report is taken. Each site keeps its own politeness (one
request at a time per portal, the profile delay).

When the run is stopped (Ctrl-C, SIGTERM, ``CLOSESPIDER_TIMEOUT`` of the process), sites not
started yet are not started: their report says so and the verdict is ``incomplete``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from scrapy.crawler import CrawlerProcess
from twisted.internet import defer

from crawler import statnames as stat


def _report(crawler: Any, job: dict[str, Any]) -> dict[str, Any]:
    report = crawler.stats.get_value(stat.RUN_REPORT) if crawler.stats else None
    if report is None:
        site = job.get("site") or job.get("site_id") or job.get("start_url") or "?"
        report = {"site_id": site, "verdict": "failed", "problems": ["spider did not start"]}
    return dict(report)


def _not_started(job: dict[str, Any]) -> dict[str, Any]:
    site = job.get("site") or job.get("site_id") or job.get("start_url") or "?"
    return {
        "site_id": site,
        "verdict": "incomplete",
        "mode": job.get("mode"),
        "problems": ["not started: the run was stopped first"],
    }


class SitePool:
    """Runs crawl jobs (spider kwargs) on one ``CrawlerProcess``, ``limit`` at a time."""

    def __init__(self, process: CrawlerProcess, spider: type, limit: int = 0) -> None:
        self.process = process
        self.spider = spider
        self.limit = limit
        self.stopping = False
        stop = process.stop

        def stop_and_hold() -> Any:  # Scrapy's signal handlers call process.stop()
            self.stopping = True
            return stop()

        process.stop = stop_and_hold  # type: ignore[method-assign]

    def run(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Crawl every job; returns their run reports in the order of ``jobs``."""
        if not jobs:
            return []
        # the reactor the settings name (TWISTED_REACTOR), as Scrapy's first crawler would
        # install it; importing the reactor first would install Twisted's default one
        from scrapy.utils.reactor import install_reactor, is_reactor_installed

        if not is_reactor_installed():
            settings = self.process.settings
            install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        from crawler.progress import BOARD

        BOARD.planned += len(jobs)
        reports: list[dict[str, Any] | None] = [None] * len(jobs)
        limit = self.limit if self.limit > 0 else len(jobs)
        semaphore = defer.DeferredSemaphore(limit)

        def launch(index: int) -> defer.Deferred[Any] | None:
            job = jobs[index]
            if self.stopping:
                reports[index] = _not_started(job)
                return None
            crawler = self.process.create_crawler(self.spider)

            def done(result: Any) -> None:
                reports[index] = _report(crawler, job)

            return self.process.crawl(crawler, **job).addBoth(done)

        def start(index: int) -> defer.Deferred[Any]:
            # each site starts in a turn of the event loop of its own: starting hundreds in one
            # turn held every request already let go by its slot for a second or more
            return deferLater(reactor, 0, launch, index)

        every = [semaphore.run(start, index) for index in range(len(jobs))]

        def stop_reactor(_: Any) -> None:
            if reactor.running:
                with contextlib.suppress(RuntimeError):  # already stopping (a signal)
                    reactor.stop()  # type: ignore[misc]

        defer.DeferredList(every, consumeErrors=True).addBoth(stop_reactor)
        self.process.start(stop_after_crawl=False)
        return [r if r is not None else _not_started(jobs[i]) for i, r in enumerate(reports)]
