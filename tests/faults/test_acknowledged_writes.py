"""Acknowledged writes are checked (issue 13: "store files deleted mid-run: HEALTHY, new=3000,
exit 0, store empty").

The store pipeline accounts for every record it receives: stored, spooled or dead-lettered
(``gov/store/unaccounted`` is 0). A store that takes writes without acknowledging them, whose
count does not move, or whose files were deleted under it, makes the pipeline count the batch
as ``gov/store/unacknowledged``, take the store as lost and spool the batch.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo.results import BulkWriteResult
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, SiteStatsItem
from crawler.miniportal import MiniPortal
from crawler.storage import ArticleStore, open_store
from crawler.storage.spool import Spool
from crawler.storage.store import UnacknowledgedWrites
from crawler.storage.worker import InlineStoreWorker
from pipelines.store import (
    SITE_STATS_STORED,
    STORE_DEAD_LETTERED,
    STORE_RECEIVED,
    STORE_SPOOLED,
    STORE_UNACCOUNTED,
    STORE_UNACKNOWLEDGED,
    STORE_WRITTEN,
    StorePipeline,
)
from tests.helpers import FAST, cli_env
from tests.miniportals.generate import generate_portal

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def url(i: int) -> str:
    return f"http://x.gov.vn/a-{i}"


def items(n: int) -> list[ArticleItem]:
    return [
        ArticleItem(
            url=url(i),
            canonical_url=url(i),
            site_id="x",
            cms="vnportal",
            title=f"Tin {i}",
            body=f"Nội dung {i}",
            content_hash=f"h{i}",
            views=i,
            published_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        for i in range(n)
    ]


def snapshot(run_id: str = "r1") -> SiteStatsItem:
    return SiteStatsItem(
        site_id="x", url="http://x.gov.vn/", run_id=run_id, captured_at=NOW, total=5
    )


class DroppingCollection:
    """The articles collection of a store that loses writes silently: ``bulk_write`` writes
    nothing and answers either unacknowledged (w=0) or with counts it did not do."""

    def __init__(self, inner: Any, acknowledge: bool) -> None:
        self.inner = inner
        self.acknowledge = acknowledge

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def bulk_write(self, ops: list[Any], ordered: bool = True) -> BulkWriteResult:
        if not self.acknowledge:
            return BulkWriteResult({}, acknowledged=False)
        return BulkWriteResult(
            {
                "nInserted": len(ops),
                "nUpserted": 0,
                "nMatched": 0,
                "nModified": 0,
                "nRemoved": 0,
                "upserted": [],
            },
            acknowledged=True,
        )


def run(store: ArticleStore, spool: Spool, batch: list[Any], size: int = 4) -> Any:
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": size, "GOV_STORE_INFLIGHT": 1})
    crawler.stats.open_spider()
    pipeline = StorePipeline(crawler, InlineStoreWorker(store), spool)

    async def crawl() -> None:
        for it in batch:
            await pipeline.process_item(it)
        await pipeline.close_spider()

    asyncio.run(crawl())
    return crawler.stats


def accounted(stats: Any) -> int:
    return sum(
        int(stats.get_value(name, 0))
        for name in (STORE_WRITTEN, SITE_STATS_STORED, STORE_SPOOLED, STORE_DEAD_LETTERED)
    )


@pytest.mark.parametrize("acknowledge", [False, True], ids=["unacknowledged", "count-still"])
def test_a_store_that_drops_writes_silently_is_caught_and_the_records_spooled(
    store: ArticleStore, tmp_path: Path, acknowledge: bool
) -> None:
    store.articles = DroppingCollection(store.articles, acknowledge)  # type: ignore[assignment]
    spool = Spool(tmp_path / "spool")
    stats = run(store, spool, [*items(10), snapshot()])
    assert stats.get_value(STORE_UNACKNOWLEDGED) == 4  # the first batch; then the store is lost
    assert stats.get_value("gov/store/lost") is True
    assert stats.get_value(STORE_WRITTEN) is None
    assert stats.get_value(STORE_SPOOLED) == 11 == spool.pending()
    assert stats.get_value(STORE_RECEIVED) == 11 == accounted(stats)
    assert stats.get_value(STORE_UNACCOUNTED) == 0


@pytest.mark.parametrize("acknowledge", [False, True], ids=["unacknowledged", "count-still"])
def test_the_store_itself_refuses_to_report_lost_writes_as_written(
    store: ArticleStore, acknowledge: bool
) -> None:
    store.articles = DroppingCollection(store.articles, acknowledge)  # type: ignore[assignment]
    with pytest.raises(UnacknowledgedWrites):
        store.upsert_articles([{"canonical_url": url(1), "url": url(1), "title": "t"}], NOW)


def test_stored_plus_spooled_plus_dead_lettered_equals_received(
    store: ArticleStore, tmp_path: Path
) -> None:
    """One batch with one record the store refuses (a view count beyond int64, unchecked)."""
    batch: list[Any] = items(10)
    batch[3].views = 2**70
    spool = Spool(tmp_path / "spool", tmp_path / "dead-letter.jsonl")
    stats = run(store, spool, [*batch, snapshot()], size=100)
    assert stats.get_value(STORE_RECEIVED) == 11
    assert stats.get_value(STORE_WRITTEN) == 9
    assert stats.get_value(SITE_STATS_STORED) == 1
    assert stats.get_value(STORE_DEAD_LETTERED) == 1
    assert stats.get_value(STORE_SPOOLED) is None
    assert accounted(stats) == 11 and stats.get_value(STORE_UNACCOUNTED) == 0
    assert stats.get_value(STORE_UNACKNOWLEDGED) is None
    assert store.count_articles() == 9


def test_store_files_deleted_between_batches_are_noticed(tmp_path: Path) -> None:
    """The embedded store's files deleted mid-run: SQLite goes on writing to the deleted files
    (acknowledged, the count even moves on the same connection), and everything is lost at
    exit. The pipeline notices (the files are not the ones the store opened), spools the batch
    and everything after it."""
    data = tmp_path / "data"
    store = open_store(None, data)
    spool = Spool(tmp_path / "spool")
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 4, "GOV_STORE_INFLIGHT": 1})
    crawler.stats.open_spider()
    pipeline = StorePipeline(crawler, InlineStoreWorker(store), spool)

    async def crawl() -> None:
        for n, it in enumerate(items(12)):
            if n == 8:  # two batches written
                await asyncio.gather(*pipeline.inflight)
                shutil.rmtree(data / "store")
            await pipeline.process_item(it)
        await pipeline.close_spider()

    asyncio.run(crawl())
    stats = crawler.stats
    store.close()
    assert stats.get_value(STORE_WRITTEN) == 8
    assert stats.get_value(STORE_UNACKNOWLEDGED) == 4
    assert stats.get_value(STORE_SPOOLED) == 4 == spool.pending()
    assert stats.get_value(STORE_UNACCOUNTED) == 0
    # the next run's replay puts the spooled ones in the new store
    fresh = open_store(None, data)
    assert spool.replay(fresh) == 4
    assert fresh.count_articles() == 4
    fresh.close()


def test_a_replaced_store_file_is_noticed_by_any_write(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    path = tmp_path / "store" / "govnews" / "crawl_runs"
    path.rename(path.with_name("moved"))
    shutil.copy(path.with_name("moved"), path)
    with pytest.raises(UnacknowledgedWrites, match="crawl_runs was deleted or replaced"):
        store.record_run({"run_id": "r", "site_id": "x"})
    store.close()


@pytest.mark.slow
def test_store_files_deleted_mid_crawl_make_the_run_unhealthy(tmp_path: Path) -> None:
    """The issue's case from the command line: the embedded store's files deleted while a
    nightly crawl writes (in its store worker process). Before: HEALTHY, exit 0, store empty."""
    data = tmp_path / "data"
    site = generate_portal(tmp_path / "portal", 30, per_page=10, in_memory=True)

    def slow_render(target: str):  # type: ignore[no-untyped-def]
        time.sleep(0.05)
        return site.render(target)

    portal = MiniPortal(tmp_path / "portal", renderer=slow_render)
    portal.start()
    args = [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        "nd-giaothuy",
        "--base-url",
        portal.base_url,
        *FAST,
        "-s",
        "GOV_STORE_BATCH_SIZE=2",
    ]
    try:
        crawl = subprocess.Popen(
            args,
            cwd=ROOT,
            env=cli_env(data),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while portal.hits("/tin-moi/") < 8 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        for name in os.listdir(data / "store" / "govnews"):
            os.unlink(data / "store" / "govnews" / name)
        out, err = crawl.communicate(timeout=120)
    finally:
        portal.stop()
    assert crawl.returncode == 2, f"{out}\n{err[-3000:]}"
    assert "store lost mid-run" in out, out
    assert "was deleted or replaced while in use" in err
    assert "'gov/store/unacknowledged'" in err
    assert "'gov/store/unaccounted': 0" in err
    spool = Spool(data / "spool")
    assert spool.pending() > 0
