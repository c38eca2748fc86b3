"""ProgressExtension: live progress across every site crawled by one process.

On a terminal, one line rewritten in place every second ("sites 1/3 done · pages 42 ·
articles new 17"); under cron (no TTY), a plain log line every ``GOV_PROGRESS_INTERVAL``
seconds (default 60). ``GOV_PROGRESS``: ``auto`` (default), ``tty``, ``log`` or ``off``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.spiders import Spider
from twisted.internet import task

from crawler import config
from crawler import statnames as stat

logger = logging.getLogger(__name__)


class _Board:
    """Process-wide tally: every crawler registers; one timer prints the totals."""

    def __init__(self) -> None:
        self.crawlers: list[Crawler] = []  # the sites crawling now; finished ones are folded in
        self.done = 0
        self.planned = 0  # sites of the whole run (the CLI's site pool starts them in turn)
        self.finished = {"pages": 0, "new": 0, "sites": 0}
        self.loop: task.LoopingCall | None = None
        self.mode = "log"

    @staticmethod
    def _counts(crawler: Crawler) -> tuple[int, int]:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        pages = int(stats.get(stat.PAGES_LISTING, 0)) + int(stats.get(stat.PAGES_ARTICLE, 0))
        return pages, int(stats.get(stat.ARTICLES_NEW, 0))

    def totals(self) -> dict[str, int]:
        pages, new = self.finished["pages"], self.finished["new"]
        for crawler in self.crawlers:
            p, n = self._counts(crawler)
            pages, new = pages + p, new + n
        sites = max(self.planned, self.finished["sites"] + len(self.crawlers))
        return {"sites": sites, "done": self.done, "pages": pages, "new": new}

    def line(self) -> str:
        t = self.totals()
        return f"sites {t['done']}/{t['sites']} done · pages {t['pages']} · articles new {t['new']}"

    def tick(self) -> None:
        if self.mode == "tty":
            sys.stderr.write("\r\x1b[2K" + self.line())
            sys.stderr.flush()
        else:
            logger.info("progress: %s", self.line())

    def start(self, interval: float) -> None:
        if self.loop is None:
            self.loop = task.LoopingCall(self.tick)
            self.loop.start(interval, now=False)

    def finish_one(self, crawler: Crawler | None = None) -> None:
        self.done += 1
        if crawler is not None and crawler in self.crawlers:  # fold its counts in, let it go
            pages, new = self._counts(crawler)
            self.finished["pages"] += pages
            self.finished["new"] += new
            self.finished["sites"] += 1
            self.crawlers.remove(crawler)
        if self.done >= self.totals()["sites"] and self.loop is not None:
            self.tick()
            if self.mode == "tty":
                sys.stderr.write("\n")
            self.loop.stop()
            self.loop = None


BOARD = _Board()


class ProgressExtension:
    def __init__(self, crawler: Crawler, mode: str, interval: float) -> None:
        self.crawler = crawler
        BOARD.mode = mode
        BOARD.crawlers.append(crawler)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        self.interval = interval

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        mode = config.get(crawler.settings, "GOV_PROGRESS")
        if mode == "off":
            raise NotConfigured
        if mode == "auto":
            mode = "tty" if sys.stderr.isatty() else "log"
        interval = (
            1.0 if mode == "tty" else config.getfloat(crawler.settings, "GOV_PROGRESS_INTERVAL")
        )
        return cls(crawler, mode, interval)

    def spider_opened(self, spider: Spider) -> None:
        BOARD.start(self.interval)

    def spider_closed(self, spider: Spider, reason: Any) -> None:
        BOARD.finish_one(self.crawler)
