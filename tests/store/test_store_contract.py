"""The store contract, on the embedded store and (``-m mongo``) on a real MongoDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pymongo
import pytest

from crawler.exceptions import StoreUnavailable
from crawler.storage import ArticleStore, mask_secrets, mask_uri, open_store
from tests.helpers import found

T0 = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)


def article(
    url: str, views: int | None = 10, body: str = "Nội dung", **extra: Any
) -> dict[str, Any]:
    return {
        "canonical_url": url,
        "url": url,
        "site_id": "nd-giaothuy",
        "title": "Tiêu đề",
        "body": body,
        "views": views,
        "published_at": T0 - timedelta(days=1),
        "content_hash": f"h-{body}",
        **extra,
    }


def test_upsert_new_then_unchanged_then_updated(store: ArticleStore) -> None:
    r1 = store.upsert_articles([article("u1"), article("u2", views=5)], T0)
    assert (r1.new, r1.updated, r1.unchanged) == (2, 0, 0)
    r2 = store.upsert_articles([article("u1"), article("u2", views=5)], T0 + timedelta(hours=1))
    assert (r2.new, r2.updated, r2.unchanged) == (0, 0, 2)
    r3 = store.upsert_articles([article("u1", views=11)], T0 + timedelta(hours=2))
    assert (r3.new, r3.updated, r3.unchanged) == (0, 1, 0)
    assert store.count_articles() == 2
    doc = store.articles.find_one({"canonical_url": "u1"})
    assert doc is not None
    assert doc["first_seen_at"] == T0  # $setOnInsert: never moved by later writes
    assert doc["last_seen_at"] == T0 + timedelta(hours=2)
    assert doc["views"] == 11
    # a history entry only when the count changed: 10, then 11
    assert [h["views"] for h in doc["views_history"]] == [10, 11]
    assert doc["published_at"].tzinfo is not None


def test_unique_canonical_url_index(store: ArticleStore) -> None:
    store.upsert_articles([article("u1")], T0)
    with pytest.raises(pymongo.errors.DuplicateKeyError):
        store.articles.insert_one({"canonical_url": "u1"})
    names = set(store.articles.index_information())
    assert {"canonical_url_unique", "site_published", "content_hash"} <= names
    store.ensure_indexes()  # idempotent
    assert set(store.articles.index_information()) == names


def test_known_and_republication_lookup(store: ArticleStore) -> None:
    store.upsert_articles([article("u1", body="A"), article("u2", body="B")], T0)
    store.upsert_articles([article("u3", body="A")], T0 + timedelta(hours=1))
    assert set(store.known(["u1", "u3", "nope"])) == {"u1", "u3"}
    assert found(store.articles.find_one({"canonical_url": "u3"}))["duplicate_of"] == "u1"
    assert found(store.articles.find_one({"canonical_url": "u2"})).get("duplicate_of") is None


def test_many_known_lookups_are_batched(store: ArticleStore) -> None:
    docs = [article(f"u{i}", body=str(i)) for i in range(1200)]
    store.upsert_articles(docs, T0)
    assert len(store.known([f"u{i}" for i in range(1500)])) == 1200


def test_same_url_twice_in_one_batch_is_one_document(store: ArticleStore) -> None:
    store.upsert_articles([article("u1", views=1), article("u1", views=2)], T0)
    assert store.count_articles() == 1
    assert found(store.articles.find_one({"canonical_url": "u1"}))["views"] == 2


def test_two_writers_upserting_the_same_article(store: ArticleStore, tmp_path: Path) -> None:
    other = (
        open_store(None, tmp_path)
        if store.embedded
        else ArticleStore(store.db, store.description, embedded=False)
    )
    store.upsert_articles([article("u1", views=1)], T0)
    other.upsert_articles([article("u1", views=2)], T0 + timedelta(minutes=1))
    store.upsert_articles([article("u1", views=3)], T0 + timedelta(minutes=2))
    assert store.count_articles({"canonical_url": "u1"}) == 1


def test_site_stats_and_runs_are_idempotent(store: ArticleStore) -> None:
    snap = {"site_id": "s", "run_id": "r1", "captured_at": T0, "total": 5}
    store.insert_site_stats(snap)
    store.insert_site_stats(snap)
    assert store.site_stats.count_documents({"site_id": "s"}) == 1
    store.record_run({"run_id": "r1", "site_id": "s", "started_at": T0, "verdict": "healthy"})
    store.record_run({"run_id": "r1", "site_id": "s", "started_at": T0, "verdict": "unhealthy"})
    runs = store.recent_runs("s")
    assert [r["verdict"] for r in runs] == ["unhealthy"]


def test_aggregation_articles_per_site(store: ArticleStore) -> None:
    store.upsert_articles([article("u1"), article("u2"), {**article("u3"), "site_id": "x"}], T0)
    rows = list(
        store.articles.aggregate(
            [
                {"$group": {"_id": "$site_id", "n": {"$sum": 1}}},
                {"$sort": {"n": -1}},
            ]
        )
    )
    assert rows == [{"_id": "nd-giaothuy", "n": 2}, {"_id": "x", "n": 1}]


def test_unreachable_mongo_fails_fast_with_masked_uri(tmp_path: Path) -> None:
    uri = "mongodb://crawler:s3cretpass@127.0.0.1:1/govnews"
    with pytest.raises(StoreUnavailable) as info:
        open_store(uri, tmp_path, timeout_ms=300)
    message = str(info.value)
    assert "s3cretpass" not in message and "crawler:" not in message
    assert "mongodb://***@127.0.0.1:1" in message


def test_masking() -> None:
    assert (
        mask_uri("mongodb+srv://u:p@cluster.example/db") == "mongodb+srv://***@cluster.example/db"
    )
    assert "hunter22" not in mask_secrets("auth failed for hunter22", "mongodb://bob:hunter22@h/db")


def test_insert_race_falls_back_to_upsert(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process stored the URL between our lookup and our insert: no error, one document."""
    store.upsert_articles([article("u1", views=1)], T0)
    monkeypatch.setattr(
        store, "known", lambda urls, fields=(): {}
    )  # our lookup missed the other write
    result = store.upsert_articles([article("u1", views=2), article("u2")], T0 + timedelta(hours=1))
    assert result.new == 2  # as far as this writer knew
    assert store.count_articles() == 2
    doc = found(store.articles.find_one({"canonical_url": "u1"}))
    assert doc["views"] == 2
    assert doc["first_seen_at"] == T0
