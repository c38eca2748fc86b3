"""StorePipeline: batched upserts of articles and site-statistics snapshots.

Articles are buffered and written with one unordered ``bulk_write`` per batch
(``GOV_STORE_BATCH_SIZE``, default 100) and at close. If the store fails mid-run, the batch and
every later item go to the fsynced spool (``GOV_SPOOL_DIR``) instead, counted as
``gov/store/spooled``; the next run replays the spool before crawling. Nothing yielded is lost.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import PyMongoError
from scrapy.crawler import Crawler

from crawler.items import ArticleItem, SiteStatsItem
from crawler.storage import ArticleStore, mask_secrets
from crawler.storage.runtime import spool_from_settings, store_from_settings
from crawler.storage.spool import Spool

logger = logging.getLogger(__name__)

STORE_ERRORS = (PyMongoError, sqlite3.Error, OSError)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: ArticleStore, spool: Spool) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.store = store
        self.spool = spool
        self.batch_size = crawler.settings.getint("GOV_STORE_BATCH_SIZE", 100)
        self.uri = crawler.settings.get("MONGO_URI")
        self.run_id = crawler.settings.get("GOV_RUN_ID") or ""
        self.buffer: list[dict[str, Any]] = []
        self.store_down = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, store_from_settings(crawler.settings), spool_from_settings(crawler.settings))

    def _fail(self, exc: BaseException) -> None:
        if not self.store_down:
            logger.error(
                "store lost (%s); spooling items to %s",
                mask_secrets(str(exc), self.uri),
                self.spool.path,
            )
        self.store_down = True
        self.stats.set_value("gov/store/lost", True)

    def _spool(self, kind: str, docs: list[dict[str, Any]]) -> None:
        self.spool.append(kind, docs)
        self.stats.inc_value("gov/store/spooled", len(docs))

    def flush(self) -> None:
        docs, self.buffer = self.buffer, []
        if not docs:
            return
        if not self.store_down:
            try:
                result = self.store.upsert_articles(docs, datetime.now(UTC))
            except STORE_ERRORS as exc:
                self._fail(exc)
            else:
                self.stats.inc_value("gov/articles/new", result.new)
                self.stats.inc_value("gov/articles/updated", result.updated)
                self.stats.inc_value("gov/articles/unchanged", result.unchanged)
                self.stats.inc_value("gov/dedup/duplicate_of", result.republished)
                self.stats.inc_value("gov/store/written", len(docs))
                return
        self._spool("article", docs)

    def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem):
            self.buffer.append(asdict(item))
            if len(self.buffer) >= self.batch_size:
                self.flush()
        elif isinstance(item, SiteStatsItem):
            doc = asdict(item)
            doc["run_id"] = doc.get("run_id") or self.run_id
            if not self.store_down:
                try:
                    self.store.insert_site_stats(doc)
                    self.stats.inc_value("gov/site_stats/stored")
                    return item
                except STORE_ERRORS as exc:
                    self._fail(exc)
            self._spool("site_stats", [doc])
        return item

    def close_spider(self) -> None:
        self.flush()
