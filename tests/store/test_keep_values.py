"""A re-crawl that cannot read a field never replaces the stored value with null: it keeps the
last good value and names the field in ``stale`` (since when), on both back ends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.storage import ArticleStore
from crawler.storage.spool import Spool
from crawler.storage.worker import InlineStoreWorker
from pipelines.store import StorePipeline
from pipelines.validate import ValidatePipeline
from tests.helpers import as_utc

T0 = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
URL = "http://giaothuy.namdinh.gov.vn/tin-moi/a-1"
PUBLISHED = datetime(2025, 12, 30, 17, 0, tzinfo=UTC)
LOST = ("published_at", "published_raw", "views", "views_raw", "author", "summary", "images")


def full(**changes: Any) -> dict[str, Any]:
    doc = {
        "canonical_url": URL,
        "url": URL,
        "site_id": "nd-giaothuy",
        "cms": "vnportal",
        "title": "Tiêu đề",
        "body": "Nội dung",
        "content_hash": "h1",
        "summary": "Sapo",
        "author": "Hoàng Mai",
        "published_at": PUBLISHED,
        "published_raw": "31/12/2025",
        "published_date_only": True,
        "views": 137,
        "views_raw": "137",
        "images": [{"url": "http://x/1.jpg", "caption": None}],
        "missing": [],
    }
    return {**doc, **changes}


def broken(**changes: Any) -> dict[str, Any]:
    """What a re-crawl after a layout break gives: those fields unread."""
    lost: dict[str, Any] = {
        "published_at": None,
        "published_raw": None,
        "published_date_only": False,
        "views": None,
        "views_raw": None,
        "author": None,
        "summary": "",
        "images": [],
    }
    return full(**{**lost, "missing": ["published_at", "views", "author", "summary"], **changes})


def stored(store: ArticleStore) -> dict[str, Any]:
    doc = store.articles.find_one({"canonical_url": URL})
    assert doc is not None
    return doc


def test_recrawl_keeps_last_good_values_and_names_them_stale(store: ArticleStore) -> None:
    store.upsert_articles([full()], T0)
    result = store.upsert_articles([broken()], T0 + timedelta(days=1))
    assert (result.new, result.updated, result.unchanged) == (0, 0, 1)

    doc = stored(store)
    assert as_utc(doc["published_at"]) == PUBLISHED
    assert doc["published_date_only"] is True  # goes with the kept published_at
    assert (doc["published_raw"], doc["views"], doc["views_raw"]) == ("31/12/2025", 137, "137")
    assert (doc["author"], doc["summary"]) == ("Hoàng Mai", "Sapo")
    assert doc["images"] == [{"url": "http://x/1.jpg", "caption": None}]
    assert sorted(doc["stale"]) == sorted(LOST)
    assert {as_utc(at) for at in doc["stale"].values()} == {T0 + timedelta(days=1)}
    assert [h["views"] for h in doc["views_history"]] == [137]  # no entry for a missing count
    # what this crawl saw is still said: the latest crawl missed them, and when it ran
    assert doc["missing"] == ["published_at", "views", "author", "summary"]
    assert as_utc(doc["last_seen_at"]) == T0 + timedelta(days=1)


def test_stale_keeps_the_first_miss_and_clears_when_read_again(store: ArticleStore) -> None:
    store.upsert_articles([full()], T0)
    store.upsert_articles([broken()], T0 + timedelta(days=1))
    store.upsert_articles([broken(author="Hoàng Mai")], T0 + timedelta(days=2))
    doc = stored(store)
    assert as_utc(doc["stale"]["views"]) == T0 + timedelta(days=1)  # since the first miss
    assert "author" not in doc["stale"]  # read again

    store.upsert_articles([full(views=140, views_raw="140")], T0 + timedelta(days=3))
    doc = stored(store)
    assert "stale" not in doc
    assert (doc["views"], doc["published_date_only"]) == (140, True)
    assert [h["views"] for h in doc["views_history"]] == [137, 140]


def test_a_field_that_never_had_a_value_stays_null_and_not_stale(store: ArticleStore) -> None:
    store.upsert_articles([full(author=None)], T0)
    store.upsert_articles([full(author=None, views=None)], T0 + timedelta(days=1))
    doc = stored(store)
    assert doc["author"] is None
    assert doc["stale"] == {"views": doc["stale"]["views"]}


def test_new_articles_still_store_their_nulls(store: ArticleStore) -> None:
    store.upsert_articles([broken()], T0)
    doc = stored(store)
    assert doc["published_at"] is None and doc["views"] is None and doc["images"] == []
    assert "stale" not in doc and "views_history" not in doc


def test_insert_race_keeps_the_other_writers_values(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer stored the URL between our lookup and our insert: our unread fields do
    not null its values either."""
    store.upsert_articles([full()], T0)
    monkeypatch.setattr(store, "known", lambda urls, fields=(): {})
    store.upsert_articles([broken()], T0 + timedelta(days=1))
    doc = stored(store)
    assert (doc["views"], doc["author"], as_utc(doc["published_at"])) == (
        137,
        "Hoàng Mai",
        PUBLISHED,
    )


def item(**changes: Any) -> ArticleItem:
    base = {
        "url": URL,
        "canonical_url": URL,
        "site_id": "nd-giaothuy",
        "cms": "vnportal",
        "title": "Tiêu đề",
        "body": "Nội dung",
        "content_hash": "h1",
        "author": "Hoàng Mai",
        "published_at": PUBLISHED,
        "published_raw": "31/12/2025",
        "views": 137,
        "views_raw": "137",
    }
    return ArticleItem(**{**base, **changes})


def test_through_the_pipelines(store: ArticleStore, tmp_path: Path) -> None:
    """Two runs through validate and store: the second, after a layout break, keeps the values."""

    def run(it: ArticleItem) -> None:
        crawler = get_crawler()
        crawler.stats.open_spider()
        validate = ValidatePipeline(crawler)
        pipeline = StorePipeline(crawler, InlineStoreWorker(store), Spool(tmp_path / "spool"))

        async def crawl() -> None:
            await pipeline.process_item(validate.process_item(it))
            await pipeline.close_spider()

        asyncio.run(crawl())
        assert crawler.stats.get_value("gov/store/written") == 1

    run(item())
    run(item(published_at=None, published_raw=None, views=None, views_raw=None, author=None))
    doc = stored(store)
    assert (doc["views"], doc["author"], as_utc(doc["published_at"])) == (
        137,
        "Hoàng Mai",
        PUBLISHED,
    )
    assert sorted(doc["stale"]) == ["author", "published_at", "published_raw", "views", "views_raw"]
    assert len(doc["views_history"]) == 1
