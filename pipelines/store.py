"""StorePipeline: batched upserts of articles and site-statistics snapshots, off the reactor.

Articles are buffered and written with one unordered ``bulk_write`` per batch
(``GOV_STORE_BATCH_SIZE``, default 100) and at close. Each batch goes to the store worker
(:mod:`crawler.storage.worker`, a process of its own by default) and the pipeline does not wait
for it: up to ``GOV_STORE_INFLIGHT`` batches (default 2) are written while the crawl goes on,
and only a further batch waits for the oldest one. If the store fails mid-run (or its worker
dies), the failed batch and every later item go to the fsynced spool (``GOV_SPOOL_DIR``)
instead, counted as ``gov/store/spooled``; the next run replays the spool before crawling.
An article the store refuses on its own (a value it cannot hold, a write error naming it) goes
to the dead-letter file with the reason, counted as ``gov/store/dead_lettered``, and the rest
of its batch is stored. Nothing yielded is lost.

Writes are checked, not trusted: the store must acknowledge every operation of a batch, every
article written must be found in it afterwards, and the embedded store's files must still be
the ones it opened (:meth:`ArticleStore.upsert_articles`). A batch that fails the check is
counted as ``gov/store/unacknowledged``, the store is taken as lost and the batch spooled.
Before each batch and at close, the last batch written must still be in the store: a database
or collection dropped mid-run moves it from written to the spool (``gov/store/vanished``) and
the store is taken as lost (:mod:`crawler.storage.presence`).
Every record the pipeline receives (article or site-statistics snapshot) ends in exactly one
counter::

    gov/store/received == gov/store/written (articles) + gov/site_stats/stored
                          + gov/store/spooled + gov/store/dead_lettered
                          + gov/errors/spool_failed + gov/errors/dead_letter_failed

and ``gov/store/unaccounted`` (set at close) is the difference, 0 unless records were lost.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler

from crawler import config
from crawler import statnames as stat
from crawler.items import ArticleItem, SiteStatsItem, to_doc
from crawler.storage import mask_secrets
from crawler.storage.presence import WrittenCheck
from crawler.storage.runtime import spool_from_settings, worker_from_settings
from crawler.storage.spool import Spool
from crawler.storage.store import RECORD_ERRORS, Refused, UnacknowledgedWrites
from crawler.storage.worker import STORE_ERRORS, StoreWorker, call

logger = logging.getLogger(__name__)

# counters of this pipeline that other modules read (the run report, tests), in records
STORE_RECEIVED = stat.STORE_RECEIVED  # articles and snapshots that reached this pipeline
STORE_WRITTEN = stat.STORE_WRITTEN  # articles acknowledged by the store and found in it
SITE_STATS_STORED = stat.SITE_STATS_STORED  # snapshots acknowledged by the store
STORE_SPOOLED = stat.STORE_SPOOLED  # written to the spool instead (the store lost)
STORE_DEAD_LETTERED = stat.STORE_DEAD_LETTERED  # refused by the store: in the dead-letter file
STORE_UNACKNOWLEDGED = stat.STORE_UNACKNOWLEDGED  # sent, not acknowledged: spooled too
STORE_UNACCOUNTED = stat.STORE_UNACCOUNTED  # received - stored - spooled - dead-lettered
STORE_LOST = stat.STORE_LOST  # True once the store failed mid-run
STORE_VANISHED = stat.STORE_VANISHED  # written, then gone (store dropped): spooled again
SPOOL_FAILED = stat.ERROR_SPOOL_FAILED
DEAD_LETTER_FAILED = stat.ERROR_DEAD_LETTER_FAILED


class StorePipeline:
    def __init__(self, crawler: Crawler, worker: StoreWorker, spool: Spool) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.worker = worker
        self.spool = spool
        self.batch_size = config.getint(crawler.settings, "GOV_STORE_BATCH_SIZE")
        self.max_inflight = max(1, config.getint(crawler.settings, "GOV_STORE_INFLIGHT"))
        self.uri = crawler.settings.get("MONGO_URI")
        self.run_id = crawler.settings.get("GOV_RUN_ID") or ""
        self.buffer: list[dict[str, Any]] = []
        self.inflight: set[asyncio.Future[None]] = set()
        self.store_down = False
        self.written = WrittenCheck()  # the last batch is still there (crawler/storage/presence.py)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(crawler, worker_from_settings(settings), spool_from_settings(settings))

    def _fail(self, exc: BaseException) -> None:
        if not self.store_down:
            logger.error(
                "store lost (%s); spooling items to %s",
                mask_secrets(str(exc) or repr(exc), self.uri),
                self.spool.path,
            )
        self.store_down = True
        self.stats.set_value(STORE_LOST, True)

    def _spool(self, kind: str, docs: list[dict[str, Any]]) -> None:
        try:
            self.spool.append(kind, docs)
        except Exception:  # nowhere left to put them (disk full...): say so loudly, count them
            logger.critical(
                "could not spool %d %s records to %s",
                len(docs),
                kind,
                self.spool.path,
                exc_info=True,
            )
            self.stats.inc_value(SPOOL_FAILED, len(docs))
            return
        self.stats.inc_value(STORE_SPOOLED, len(docs))

    def _dead_letter(self, kind: str, refused: list[Refused]) -> None:
        """Records the store refused: to the dead-letter file, with the reason, counted."""
        if not refused:
            return
        logger.error(
            "the store refused %d %s records (%s: %s); written to %s",
            len(refused),
            kind,
            refused[0].doc.get("url"),
            refused[0].reason,
            self.spool.dead_letter.path,
        )
        try:
            self.spool.dead_letter.append(kind, refused)
        except Exception:  # as for the spool: say so loudly, count them
            logger.critical(
                "could not write %d refused %s records to %s",
                len(refused),
                kind,
                self.spool.dead_letter.path,
                exc_info=True,
            )
            self.stats.inc_value(DEAD_LETTER_FAILED, len(refused))
            return
        self.stats.inc_value(STORE_DEAD_LETTERED, len(refused))

    def _done(self, task: asyncio.Future[None]) -> None:
        self.inflight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("store batch task failed", exc_info=task.exception())
            self.stats.inc_value(stat.STORE_WRITE_ERRORS)

    async def _still_there(self) -> bool:
        """Whether the last batch written is still in the store; if not (the store was dropped
        mid-run), the store is lost and that batch moves from written to the spool."""
        try:
            gone = await self.written.vanished(self.worker)
        except STORE_ERRORS as exc:
            self._fail(exc)
            return False
        if gone is not None and not self.store_down:
            self._fail(gone)
            self.stats.inc_value(STORE_VANISHED, len(gone.docs))
            self.stats.inc_value(STORE_WRITTEN, -len(gone.docs))
            self._spool("article", gone.docs)
        return gone is None and not self.store_down

    async def _write(self, docs: list[dict[str, Any]]) -> None:
        if not self.store_down and await self._still_there():
            try:
                result = await call(self.worker, "upsert_articles", docs, datetime.now(UTC))
            except UnacknowledgedWrites as exc:  # written maybe, not acknowledged: spooled
                self.stats.inc_value(STORE_UNACKNOWLEDGED, len(docs))
                self._fail(exc)
            except STORE_ERRORS as exc:
                self._fail(exc)
            except Exception:  # a bug, not an outage: keep the batch, keep the store
                logger.exception("store write failed; %d articles spooled", len(docs))
                self.stats.inc_value(stat.STORE_WRITE_ERRORS)
            else:
                self.stats.inc_value(stat.ARTICLES_NEW, result.new)
                self.stats.inc_value(stat.ARTICLES_UPDATED, result.updated)
                self.stats.inc_value(stat.ARTICLES_UNCHANGED, result.unchanged)
                self.stats.inc_value(stat.DEDUP_DUPLICATE_OF, result.republished)
                self.stats.inc_value(STORE_WRITTEN, len(docs) - len(result.refused))
                self.written.confirmed(docs, result.refused)
                self._dead_letter("article", result.refused)
                return
        self._spool("article", docs)

    async def flush(self) -> None:
        """Send the buffer as one batch; wait only while ``max_inflight`` batches are out."""
        docs, self.buffer = self.buffer, []
        if not docs:
            return
        while len(self.inflight) >= self.max_inflight:
            self.stats.inc_value(stat.STORE_WAITS)
            await asyncio.wait(set(self.inflight), return_when=asyncio.FIRST_COMPLETED)
        task = asyncio.ensure_future(self._write(docs))
        self.inflight.add(task)
        task.add_done_callback(self._done)

    async def _store_stats(self, item: SiteStatsItem) -> None:
        doc = to_doc(item)
        doc["run_id"] = doc.get("run_id") or self.run_id
        if not self.store_down:
            try:
                await call(self.worker, "insert_site_stats", doc)
                self.stats.inc_value(SITE_STATS_STORED)
                return
            except RECORD_ERRORS as exc:  # this snapshot, not the store (a WriteError)
                self._dead_letter("site_stats", [Refused(doc, f"{type(exc).__name__}: {exc}")])
                return
            except UnacknowledgedWrites as exc:
                self.stats.inc_value(STORE_UNACKNOWLEDGED)
                self._fail(exc)
            except STORE_ERRORS as exc:
                self._fail(exc)
        self._spool("site_stats", [doc])

    async def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem | SiteStatsItem):
            self.stats.inc_value(STORE_RECEIVED)
        if isinstance(item, ArticleItem):
            self.buffer.append(to_doc(item))
            if len(self.buffer) >= self.batch_size:
                await self.flush()
        elif isinstance(item, SiteStatsItem):
            await self._store_stats(item)
        return item

    async def close_spider(self) -> None:
        await self.flush()
        if self.inflight:
            await asyncio.gather(*self.inflight, return_exceptions=True)  # each logged by _done
        if not self.store_down:
            await self._still_there()  # dropped after the last batch
        self.stats.set_value(STORE_UNACCOUNTED, self.unaccounted())

    def unaccounted(self) -> int:
        """Records received but neither written, spooled nor dead-lettered (0 unless lost)."""
        get = self.stats.get_value
        outcomes = (STORE_WRITTEN, SITE_STATS_STORED, STORE_SPOOLED, STORE_DEAD_LETTERED)
        return int(get(STORE_RECEIVED, 0)) - sum(int(get(name, 0)) for name in outcomes)
