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
        self.crawlers: list[Crawler] = []
        self.done = 0
        self.loop: task.LoopingCall | None = None
        self.mode = "log"

    def totals(self) -> dict[str, int]:
        pages = new = 0
        for crawler in self.crawlers:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            pages += int(stats.get(stat.PAGES_LISTING, 0)) + int(stats.get(stat.PAGES_ARTICLE, 0))
            new += int(stats.get(stat.ARTICLES_NEW, 0))
        return {"sites": len(self.crawlers), "done": self.done, "pages": pages, "new": new}

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

    def finish_one(self) -> None:
        self.done += 1
        if self.done >= len(self.crawlers) and self.loop is not None:
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
        interval = 1.0 if mode == "tty" else config.getfloat(crawler.settings, "GOV_PROGRESS_INTERVAL")
        return cls(crawler, mode, interval)

    def spider_opened(self, spider: Spider) -> None:
        BOARD.start(self.interval)

    def spider_closed(self, spider: Spider, reason: Any) -> None:
        BOARD.finish_one()
