"""The store worker process: the crawl's lookups and batched writes run off the reactor thread.

These run the real worker (a spawned process owning the embedded store) against the same
on-disk store the test reads, and kill it mid-run to show that nothing yielded is lost.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.storage import open_store
from crawler.storage.spool import Spool
from crawler.storage.worker import STORE_ERRORS, ProcessStoreWorker, call
from pipelines.store import StorePipeline
from tests.fixturetypes import MakePortal
from tests.helpers import found, process_alive


def items(n: int, start: int = 0) -> list[ArticleItem]:
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
        for i in range(start, start + n)
    ]


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[ProcessStoreWorker]:
    open_store(None, tmp_path).close()  # as the CLI does first: indexes made, store reachable
    w = ProcessStoreWorker(None, str(tmp_path), "govnews", 5000)
    yield w
    w.close()


def worker_pids() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


def test_worker_runs_store_calls_in_its_own_process(
    tmp_path: Path, worker: ProcessStoreWorker
) -> None:
    doc = {
        "canonical_url": "http://x.gov.vn/a",
        "url": "http://x.gov.vn/a",
        "title": "Tin",
        "views": 7,
        "content_hash": "h1",
    }
    result = worker.submit("upsert_articles", [doc], datetime.now(UTC)).result(timeout=60)
    assert result.new == 1
    known = worker.submit("known", ["http://x.gov.vn/a", "http://x.gov.vn/b"]).result(timeout=60)
    assert set(known) == {"http://x.gov.vn/a"} and known["http://x.gov.vn/a"]["views"] == 7
    assert worker_pids(), "the calls ran in a child process"
    # this process sees what the worker wrote, on disk
    store = open_store(None, tmp_path)
    assert found(store.articles.find_one({"canonical_url": "http://x.gov.vn/a"}))["title"] == "Tin"
    store.close()


def test_flush_returns_while_the_batch_is_written(
    tmp_path: Path, worker: ProcessStoreWorker
) -> None:
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 10, "GOV_STORE_INFLIGHT": 2})
    crawler.stats.open_spider()
    pipeline = StorePipeline(crawler, worker, Spool(tmp_path / "spool"))

    async def crawl() -> tuple[int, int]:
        for item in items(10):
            await pipeline.process_item(item)
        in_flight_after_batch = len(pipeline.inflight)  # the batch went out; we did not wait
        for item in items(25, start=10):
            await pipeline.process_item(item)
        await pipeline.close_spider()
        return in_flight_after_batch, len(pipeline.inflight)

    in_flight, left = asyncio.run(crawl())
    assert in_flight == 1
    assert left == 0
    # batches 1 and 2 were out when batch 3 was full: it waited (GOV_STORE_INFLIGHT = 2)
    assert crawler.stats.get_value("gov/store/waits") >= 1
    assert crawler.stats.get_value("gov/store/written") == 35
    assert crawler.stats.get_value("gov/articles/new") == 35
    store = open_store(None, tmp_path)
    assert store.count_articles() == 35
    store.close()


def test_worker_killed_mid_run_spools_the_rest_and_replay_loses_nothing(
    tmp_path: Path, worker: ProcessStoreWorker
) -> None:
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 5})
    crawler.stats.open_spider()
    spool = Spool(tmp_path / "spool")
    pipeline = StorePipeline(crawler, worker, spool)
    yielded = items(23)

    async def crawl() -> None:
        for n, item in enumerate(yielded):
            if n == 10:  # two batches written: the store's process dies
                await asyncio.gather(*pipeline.inflight)
                for pid in worker_pids():
                    os.kill(pid, signal.SIGKILL)
            await pipeline.process_item(item)
        await pipeline.close_spider()

    asyncio.run(crawl())
    assert crawler.stats.get_value("gov/store/lost") is True
    store = open_store(None, tmp_path)
    stored = store.count_articles()
    assert stored == 10
    assert stored + spool.pending() == len(yielded)
    assert spool.replay(store) == 13
    assert store.count_articles() == len(yielded)
    store.close()


def test_a_store_that_cannot_open_in_the_worker_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    worker = ProcessStoreWorker(None, str(blocker), "govnews", 5000)
    try:
        with pytest.raises(STORE_ERRORS):
            asyncio.run(call(worker, "known", ["u"]))
    finally:
        worker.close()


def test_worker_mode_is_a_setting(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from crawler.storage.runtime import close_stores, worker_from_settings
    from crawler.storage.worker import InlineStoreWorker

    settings = Settings({"GOV_DATA_DIR": str(tmp_path), "GOV_STORE_WORKER": "inline"})
    try:
        assert isinstance(worker_from_settings(settings), InlineStoreWorker)
    finally:
        close_stores()
    with pytest.raises(
        ValueError, match="GOV_STORE_WORKER: 'thread' is not one of process, inline"
    ):
        worker_from_settings(
            Settings({"GOV_DATA_DIR": str(tmp_path), "GOV_STORE_WORKER": "thread"})
        )
    close_stores()


def test_ctrl_c_to_the_process_group_leaves_the_worker_serving(worker: ProcessStoreWorker) -> None:
    """Ctrl-C (or systemd's SIGTERM) reaches every process of the group: the crawler shuts down
    gracefully and its last batches still need the store, so the worker ignores both."""
    assert worker.submit("count_articles").result(timeout=60) == 0  # started
    for pid in worker_pids():
        os.kill(pid, signal.SIGINT)
        os.kill(pid, signal.SIGTERM)
    doc = {"canonical_url": "http://x.gov.vn/a", "url": "http://x.gov.vn/a", "title": "Tin"}
    assert worker.submit("upsert_articles", [doc], datetime.now(UTC)).result(timeout=60).new == 1


def test_scrapy_crawl_stores_and_exits_cleanly(make_portal: MakePortal, tmp_path: Path) -> None:
    """``scrapy crawl portal`` (Scrapyd's way) has no CLI to stop the worker: atexit does."""
    import subprocess
    import sys

    from tests.helpers import cli_env

    root = Path(__file__).resolve().parents[2]
    portal = make_portal("nd-giaothuy")
    data = tmp_path / "data"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "portal",
            "-a",
            "site=nd-giaothuy",
            "-a",
            f"base_url={portal.base_url}",
            "-s",
            "GOV_PROFILE_DELAYS=False",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ],
        cwd=root,
        env=cli_env(data),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "'gov/store/written': 5" in proc.stderr
    assert multiprocessing.active_children() == []
    store = open_store(None, data)
    assert store.count_articles() == 5
    store.close()


ORPHAN_PARENT = """
import sys, time
sys.path.insert(0, {root!r})
from crawler.storage.worker import ProcessStoreWorker
import multiprocessing
if __name__ == "__main__":
    worker = ProcessStoreWorker(None, {data!r}, "govnews", 5000)
    worker.submit("count_articles").result()
    print(multiprocessing.active_children()[0].pid, flush=True)
    time.sleep(300)
"""


def test_worker_exits_when_the_crawler_is_killed_outright(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    root = str(Path(__file__).resolve().parents[2])
    script = tmp_path / "parent.py"
    script.write_text(ORPHAN_PARENT.format(root=root, data=str(tmp_path / "data")))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert process_alive(child)
    parent.kill()  # SIGKILL: no atexit, no close()
    parent.wait(timeout=30)
    deadline = time.monotonic() + 30
    while process_alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not process_alive(child), "the store worker outlived its crawler"
