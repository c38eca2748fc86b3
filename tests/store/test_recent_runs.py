"""``recent_runs`` on the embedded store reads the newest records from the end of the file
(crawler/storage/recent.py); it must give what the store's own sorted query gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.storage import ArticleStore, open_store, recent

SITES = ("a-one", "b-two", "c-three")


@pytest.fixture
def runs_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArticleStore]:
    monkeypatch.setattr(recent, "CHUNK", 2)  # many chunks: the stopping rule is exercised
    store = open_store(None, tmp_path)
    base = datetime(2026, 1, 1, 17, tzinfo=UTC)
    for night in range(6):
        began = base + timedelta(days=night)
        for i, site in enumerate(SITES):
            started = began + timedelta(minutes=i)
            # c-three runs for hours: it finishes (and is written) after the others
            took = timedelta(hours=3) if site == "c-three" else timedelta(minutes=1)
            if site == "c-three":
                continue
            store.record_run(
                {
                    "run_id": f"r{night}",
                    "site_id": site,
                    "started_at": started,
                    "finished_at": started + took,
                    "verdict": "healthy",
                }
            )
        started = began + timedelta(minutes=2)
        store.record_run(
            {
                "run_id": f"r{night}",
                "site_id": "c-three",
                "started_at": started,
                "finished_at": started + timedelta(hours=3),
                "verdict": "healthy",
            }
        )
    # a replayed run record of an old night, written last
    store.record_run(
        {
            "run_id": "r-old",
            "site_id": "a-one",
            "started_at": base - timedelta(days=30),
            "finished_at": base - timedelta(days=30),
            "verdict": "failed",
        }
    )
    yield store
    store.close()


def _query(store: ArticleStore, site: str | None, last: int) -> list[dict[str, Any]]:
    query = {"site_id": site} if site else {}
    return list(store.crawl_runs.find(query, {"_id": 0}).sort("started_at", -1).limit(last))


@pytest.mark.parametrize("site", [None, *SITES, "unknown-site"])
@pytest.mark.parametrize("last", [1, 2, 4, 7, 50])
def test_same_records_as_the_sorted_query(
    runs_store: ArticleStore, site: str | None, last: int
) -> None:
    fast = runs_store.recent_runs(site, last)
    assert fast == _query(runs_store, site, last)
    assert all("_id" not in doc for doc in fast)


def test_a_file_it_cannot_read_falls_back_to_the_query(
    runs_store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "newest_runs", lambda *args: None)
    assert runs_store.recent_runs(None, 3) == _query(runs_store, None, 3)


def test_a_site_id_inside_another_id_is_not_mistaken_for_it(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    store.record_run(
        {
            "run_id": "r1",
            "site_id": "ab-c",
            "started_at": when,
            "finished_at": when,
            "verdict": "healthy",
        }
    )
    store.record_run(
        {
            "run_id": "r1",
            "site_id": "b-c",
            "started_at": when,
            "finished_at": when,
            "verdict": "healthy",
        }
    )
    assert [r["site_id"] for r in store.recent_runs("b-c", 5)] == ["b-c"]
    store.close()


def test_a_run_record_written_again_replaces_the_first(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    first = {"run_id": "r1", "site_id": "a-one", "started_at": when, "verdict": "incomplete"}
    store.record_run(first)
    store.record_run({**first, "verdict": "aborted"})  # recorded again by the next run
    store.record_run({**first, "site_id": "b-two"})
    assert store.crawl_runs.count_documents({}) == 2
    assert store.recent_runs("a-one", 5)[0]["verdict"] == "aborted"
    store.insert_site_stats({"site_id": "a-one", "run_id": "r1", "total": 1})
    store.insert_site_stats({"site_id": "a-one", "run_id": "r1", "total": 2})  # replayed
    assert [d["total"] for d in store.site_stats.find({}, {"_id": 0})] == [2]
    store.close()
