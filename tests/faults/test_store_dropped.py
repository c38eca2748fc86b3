"""The store's database or collection dropped during a run (issue 13: "a store that vanished
mid-run makes the run unhealthy").

MongoDB recreates a dropped database or collection on the next write and acknowledges it; the
embedded store, dropped by another process, empties its file in place (the same file: the
deleted-file check does not see it). Before: the run went on counting ``new``, HEALTHY, exit 0,
with every earlier article gone. Now the first and the last batch written are looked up in the
store before each batch and at close; any missing means the store vanished: they are spooled
again, the store taken as lost, and the run is unhealthy. The same tests run on a real MongoDB with ``-m mongo``.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler.miniportal import MiniPortal
from crawler.storage import ArticleStore, open_store
from crawler.storage.spool import Spool
from crawler.storage.worker import InlineStoreWorker
from pipelines.store import (
    SITE_STATS_STORED,
    STORE_LOST,
    STORE_RECEIVED,
    STORE_SPOOLED,
    STORE_UNACCOUNTED,
    STORE_VANISHED,
    STORE_WRITTEN,
    StorePipeline,
)
from tests.conftest import MONGO_URI
from tests.faults.test_acknowledged_writes import items, snapshot
from tests.fixturetypes import RecordProperty
from tests.helpers import FAST, cli_env
from tests.miniportals.generate import generate_portal

ROOT = Path(__file__).resolve().parents[2]


def dropper(store: ArticleStore, tmp_path: Path, what: str) -> Callable[[], None]:
    """Drop the store's articles collection or whole database through another connection, as
    an operator's cleanup script would."""
    if store.embedded:
        other = open_store(None, tmp_path)
        db = other.db
    else:
        import pymongo

        db = pymongo.MongoClient(MONGO_URI)[store.db.name]

    def drop() -> None:
        if what == "collection":
            db.drop_collection("articles")
        else:
            db.client.drop_database(db.name)

    return drop


def run(store: ArticleStore, spool: Spool, drop: Callable[[], None], at: int, n: int = 12) -> Any:
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 4, "GOV_STORE_INFLIGHT": 1})
    crawler.stats.open_spider()
    pipeline = StorePipeline(crawler, InlineStoreWorker(store), spool)

    async def crawl() -> None:
        for i, it in enumerate([*items(n), snapshot()]):
            if i == at:
                await asyncio.gather(*pipeline.inflight)
                drop()
            await pipeline.process_item(it)
        await asyncio.gather(*pipeline.inflight)
        if at >= n:
            drop()
        await pipeline.close_spider()

    asyncio.run(crawl())
    return crawler.stats


@pytest.mark.parametrize("what", ["collection", "database"])
def test_dropped_between_batches(store: ArticleStore, tmp_path: Path, what: str) -> None:
    spool = Spool(tmp_path / "spool")
    stats = run(store, spool, dropper(store, tmp_path, what), at=8)  # after two batches
    assert stats.get_value(STORE_LOST) is True
    assert stats.get_value(STORE_VANISHED) == 8  # both batches, gone: spooled again
    assert stats.get_value(STORE_WRITTEN) == 0
    # spooled: those and the next batch; the snapshot went in before the store was found lost
    assert stats.get_value(STORE_SPOOLED) == 8 + 4 == spool.pending()
    assert stats.get_value(SITE_STATS_STORED) == 1
    assert stats.get_value(STORE_RECEIVED) == 13 and stats.get_value(STORE_UNACCOUNTED) == 0
    assert store.count_articles() == 0  # nothing written into the recreated collection


def test_dropped_after_the_last_batch_is_seen_at_close(store: ArticleStore, tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    stats = run(store, spool, dropper(store, tmp_path, "collection"), at=12)
    assert stats.get_value(STORE_LOST) is True
    assert stats.get_value(STORE_VANISHED) == 8  # the first and the last batch of three
    assert stats.get_value(STORE_WRITTEN) == 4 and stats.get_value(STORE_UNACCOUNTED) == 0
    assert spool.pending() == 8


def test_a_store_that_keeps_its_articles_is_not_flagged(
    store: ArticleStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool")
    stats = run(store, spool, lambda: None, at=8)
    assert stats.get_value(STORE_LOST) is None and stats.get_value(STORE_VANISHED) is None
    assert stats.get_value(STORE_WRITTEN) == 12 and spool.pending() == 0
    assert store.count_articles() == 12


@pytest.mark.slow
def test_collection_dropped_mid_crawl_makes_the_run_unhealthy_and_the_next_run_refills(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    """From the command line: another process drops the embedded store's articles collection
    while a nightly crawl writes. Before: HEALTHY, exit 0, most articles gone."""
    data = tmp_path / "data"
    site = generate_portal(tmp_path / "portal", 30, per_page=10, in_memory=True)

    def slow_render(target: str):  # type: ignore[no-untyped-def]
        time.sleep(0.1)
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
    operator = open_store(None, data)  # another process's connection, opened beforehand
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
        # some batches stored (and the crawl still going): then the operator drops the collection
        while (
            operator.count_articles() < 6 and crawl.poll() is None and time.monotonic() < deadline
        ):
            time.sleep(0.02)
        assert crawl.poll() is None, "the crawl ended before the drop"
        operator.db.drop_collection("articles")
        operator.close()
        out, err = crawl.communicate(timeout=120)
    finally:
        portal.stop()
    assert crawl.returncode == 2, f"{out}\n{err[-3000:]}"
    assert "store lost mid-run" in out, out
    # seen before the next batch, or (a drop during a batch's write) by that batch's own check
    assert (
        "no longer in the store: its database or collection was dropped" in err
        or "articles written are not in the store afterwards" in err
    ), err[-3000:]
    assert "'gov/store/vanished'" in err or "'gov/store/unacknowledged'" in err
    assert "'gov/store/unaccounted': 0" in err

    # the next run replays the spool and fetches again what the drop took: all 30 stored
    portal = MiniPortal(tmp_path / "portal", renderer=site.render)
    portal.start()
    try:
        again = subprocess.run(
            [*args[:6], portal.base_url, *args[7:]],
            cwd=ROOT,
            env=cli_env(data),
            text=True,
            capture_output=True,
            timeout=120,
            check=False,
        )
    finally:
        portal.stop()
    assert again.returncode == 0, f"{again.stdout}\n{again.stderr[-3000:]}"
    store = open_store(None, data)
    urls = [d["canonical_url"] for d in store.articles.find({}, {"canonical_url": 1})]
    record_property("items_lost", 30 - len(set(urls)))  # for benchmarks/faults_table.py
    assert len(urls) == len(set(urls)) == 30
    store.close()
