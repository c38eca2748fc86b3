"""A store lost mid-run: items go to the fsynced spool and are replayed; nothing is lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo.errors import AutoReconnect
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, SiteStatsItem
from crawler.storage import ArticleStore, WriteResult
from crawler.storage.spool import Spool
from crawler.storage.worker import InlineStoreWorker
from pipelines.store import StorePipeline


class FailingStore(ArticleStore):
    """The real embedded store, which drops its connection after ``ok_writes`` writes."""

    def __init__(self, inner: ArticleStore, ok_writes: int) -> None:
        super().__init__(inner.db, inner.description, inner.embedded)
        self.ok_writes = ok_writes

    def _tick(self) -> None:
        if self.ok_writes <= 0:
            raise AutoReconnect("connection closed")
        self.ok_writes -= 1

    def upsert_articles(self, docs: list[dict[str, Any]], now: datetime) -> WriteResult:
        self._tick()
        return super().upsert_articles(docs, now)

    def insert_site_stats(self, doc: dict[str, Any]) -> None:
        self._tick()
        super().insert_site_stats(doc)


def items(n: int) -> list[ArticleItem]:
    return [
        ArticleItem(
            url=f"http://x.gov.vn/a-{i}",
            canonical_url=f"http://x.gov.vn/a-{i}",
            site_id="x",
            cms="vnportal",
            title=f"Tin {i}",
            body=f"Nội dung {i}",
            views=i,
            published_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("ok_writes", [0, 1, 3])
def test_stored_plus_spooled_equals_yielded_and_replay_loses_nothing(
    store: ArticleStore, tmp_path: Path, ok_writes: int
) -> None:
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 4})
    crawler.stats.open_spider()
    spool = Spool(tmp_path / "spool")
    pipeline = StorePipeline(crawler, InlineStoreWorker(FailingStore(store, ok_writes)), spool)
    yielded = items(22)

    async def crawl() -> None:
        for item in yielded:
            await pipeline.process_item(item)
        await pipeline.process_item(
            SiteStatsItem(
                site_id="x",
                url="http://x.gov.vn/",
                run_id="r1",
                captured_at=datetime.now(UTC),
                total=5,
            )
        )
        await pipeline.close_spider()

    asyncio.run(crawl())

    stored = store.count_articles()
    spooled_articles = sum(1 for line in spool.path.read_text().splitlines() if '"article"' in line)
    assert stored == min(ok_writes, 6) * 4 - (2 if ok_writes >= 6 else 0)
    assert stored + spooled_articles == len(yielded)
    assert crawler.stats.get_value("gov/store/spooled") == spool.pending()

    # the next run replays the spool: everything lands exactly once
    assert spool.replay(store) == spool_len(spooled_articles)
    assert store.count_articles() == len(yielded)
    assert store.site_stats.count_documents({}) == 1
    assert not spool.path.exists()
    # replaying again (or a crash-resumed replay) adds nothing
    assert spool.replay(store) == 0
    assert store.count_articles() == len(yielded)


def spool_len(articles: int) -> int:
    return articles + 1  # plus the site-statistics snapshot written after the store was lost


def test_truncated_spool_line_is_kept_aside(store: ArticleStore, tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.append("article", [{"canonical_url": "u1", "title": "t", "views": 1}])
    with spool.path.open("a") as fh:
        fh.write('{"kind": "article", "doc": {"canonical')  # a crash mid-write
    assert spool.replay(store) == 1
    assert store.count_articles() == 1
    assert (tmp_path / "pending.bad").read_text().startswith('{"kind"')


def test_a_spool_that_cannot_be_written_is_counted_not_raised(
    store: ArticleStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Store lost and disk refusing the spool: nowhere left for the items. The run must say so
    (a counted error, a critical log line), never lose them silently in a background task."""
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 4})
    crawler.stats.open_spider()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    pipeline = StorePipeline(crawler, InlineStoreWorker(FailingStore(store, 1)), Spool(blocker))

    async def crawl() -> None:
        for item in items(10):
            await pipeline.process_item(item)
        await pipeline.close_spider()

    asyncio.run(crawl())
    assert store.count_articles() == 4
    assert crawler.stats.get_value("gov/errors/spool_failed") == 6
    assert crawler.stats.get_value("gov/store/spooled") is None
    assert "could not spool 4 article records" in caplog.text
