"""Crawl many sites in one process, a bounded number at a time.

Each site is its own Scrapy crawler (engine, downloader, extensions: about 1 MB each). A
national night names thousands of sites; starting them all at once held every crawler in
memory (peak RSS grew ~1 MB per site) and opened every portal at the same moment. The pool
starts at most ``GOV_SITES_AT_ONCE`` sites (0: all at once) and starts the next one as soon as
one finishes, so a slow or dead portal holds one place and never the others (no head-of-line
blocking), memory is bounded by the limit, not by the number of sites, and each finished
crawler is dropped once its run report is taken. Each site keeps its own politeness (one
request at a time per portal, the profile delay).

The jobs come from a source (``crawler/sitequeue.py``): the run's own list, or, with
``GOV_REDIS_SHARE = "sites"``, the night's list shared in Redis by every worker of the job, from
which the pool takes the next site whenever it has room (each site crawled by one worker).

When the run is stopped (Ctrl-C, SIGTERM, ``CLOSESPIDER_TIMEOUT`` of the process), sites not
started yet are not started: their report says so and the verdict is ``incomplete`` (a shared
list's remaining sites are left to the other workers).
"""

from __future__ import annotations

import contextlib
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler import statnames as stat
from crawler.sitequeue import JobSource, LocalJobs


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

    def run(self, jobs: list[dict[str, Any]] | JobSource) -> list[dict[str, Any]]:
        """Crawl every job the list (or the shared source) gives; returns their run reports
        in the order they were taken, then the sites never started (a stopped run)."""
        source = LocalJobs(jobs) if isinstance(jobs, list) else jobs
        if isinstance(jobs, list) and not jobs:
            return []
        _install_reactor(self.process)
        from twisted.internet import reactor

        from crawler.progress import BOARD

        if not source.shared:
            BOARD.planned += len(source.remaining())
        run = _PoolRun(self, source, self.limit)
        reactor.callWhenRunning(run.begin)
        self.process.start(stop_after_crawl=False)
        return [r for r in run.reports if r is not None] + [
            _not_started(job) for job in source.remaining()
        ]


def _install_reactor(process: CrawlerProcess) -> None:
    """The reactor the settings name (TWISTED_REACTOR), as Scrapy's first crawler would install
    it; importing the reactor first would install Twisted's default one."""
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():
        settings = process.settings
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])


class _PoolRun:
    """One run of the pool: takes a job whenever fewer than ``limit`` sites crawl."""

    def __init__(self, pool: SitePool, source: JobSource, limit: int) -> None:
        self.pool = pool
        self.source = source
        self.limit = limit if limit > 0 else 1 << 30
        self.running = 0
        self.reports: list[dict[str, Any] | None] = []
        self.ended = False

    def begin(self) -> None:
        self.source.start()
        self.fill()

    def fill(self) -> None:
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        from crawler.progress import BOARD

        while not self.ended and not self.pool.stopping and self.running < self.limit:
            job = self.source.take()
            if job is None:
                break
            if self.source.shared:
                BOARD.planned += 1
            self.running += 1
            self.reports.append(None)
            # each site starts in a turn of the event loop of its own: starting hundreds in
            # one turn held every request already let go by its slot for a second or more
            deferLater(reactor, 0, self.launch, len(self.reports) - 1, job)
        if self.running == 0:
            self.end()

    def launch(self, index: int, job: dict[str, Any]) -> None:
        if self.pool.stopping:
            self.reports[index] = _not_started(job)
            self.finished()
            return
        process = self.pool.process
        crawler = process.create_crawler(self.pool.spider)

        def done(result: Any) -> None:
            self.reports[index] = _report(crawler, job)
            self.finished()

        process.crawl(crawler, **job).addBoth(done)

    def finished(self) -> None:
        self.running -= 1
        self.fill()

    def end(self) -> None:
        if self.ended:
            return
        self.ended = True
        self.source.leave()
        from twisted.internet import reactor

        if reactor.running:
            with contextlib.suppress(RuntimeError):  # already stopping (a signal)
                reactor.stop()  # type: ignore[misc]
