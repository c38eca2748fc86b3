"""The article fields the national report counts, kept beside the embedded store's articles
(``crawler.storage.articlefields``): made when the store opens, filled by a report, emptied
for a document by any write to it (SQLite triggers), never kept from bytes that changed; the
counts always equal those of the store's queries and of every document read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler import runstate
from crawler.analytics import national_articles
from crawler.analytics.national_files import national_from_files
from crawler.analytics.national_queries import national_by_queries
from crawler.storage import ArticleStore, articlefields, open_store, recent
from crawler.storage.store import ARTICLES
from tests.analytics.test_report_national import national_store

NOW = datetime(2026, 12, 3, tzinfo=UTC)


@pytest.fixture
def national(tmp_path: Path) -> Iterator[ArticleStore]:
    store = national_store(tmp_path)
    yield store
    store.close()


def _folder(store: ArticleStore) -> Path:
    assert store.path is not None
    return store.path


def _kept(store: ArticleStore) -> int:
    with recent.read_only(_folder(store) / ARTICLES) as conn:
        (count,) = conn.execute(f"SELECT count(*) FROM {articlefields.TABLE}").fetchone()
    conn.close()
    return int(count)


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ROWIDs of the documents whose bytes the report cut fields out of."""
    seen: list[int] = []
    real = national_articles.cut

    def counting(rowid: int, blob: bytes) -> Any:
        seen.append(rowid)
        return real(rowid, blob)

    monkeypatch.setattr(national_articles, "cut", counting)
    return seen


def _same_as_the_queries(store: ArticleStore) -> None:
    files, _ = national_from_files(_folder(store), None, None)
    assert files == national_by_queries(store, None, None)


def test_the_store_makes_the_table_and_its_triggers_when_it_opens(
    national: ArticleStore,
) -> None:
    with recent.read_only(_folder(national) / ARTICLES) as conn:
        assert articlefields.has_table(conn)
    conn.close()
    assert _kept(national) == 0  # filled by the report, not by the crawl


def test_a_report_keeps_the_fields_and_the_next_one_reads_no_document(
    national: ArticleStore, cuts: list[int]
) -> None:
    total = national.articles.count_documents({})
    first, rows = national_from_files(_folder(national), None, None)
    assert len(cuts) == total and _kept(national) == total
    cuts.clear()
    again, rows_again = national_from_files(_folder(national), None, None)
    assert cuts == [] and again == first and rows_again.rowids == rows.rowids
    assert first == national_by_queries(national, None, None)


def test_any_write_to_an_article_drops_its_kept_fields(
    national: ArticleStore, cuts: list[int]
) -> None:
    national_from_files(_folder(national), None, None)
    cuts.clear()
    url = "https://px-big.gov.vn/tin/1.html"
    national.articles.update_one({"canonical_url": url}, {"$set": {"province": "Hà Nội"}})
    national.articles.delete_one({"canonical_url": "https://px-big.gov.vn/tin/2.html"})
    stored = national.articles.find_one({"canonical_url": url}, {"_id": 0})
    assert stored is not None
    result = national.upsert_articles([{**stored, "title": "Mới"}], NOW)
    assert result.refused == []
    national.articles.insert_one(
        {"canonical_url": "https://px-new.gov.vn/1", "site_id": "px-new", "province": "Huế"}
    )
    _same_as_the_queries(national)
    assert len(cuts) == 2  # the updated article and the new one; the deleted one is gone
    total = national.articles.count_documents({})
    assert _kept(national) == total
    data, _ = national_from_files(_folder(national), None, None)
    assert data.lines["px-new"].articles == 1 and len(cuts) == 2


def test_fields_cut_from_bytes_that_changed_since_are_not_kept(national: ArticleStore) -> None:
    path = _folder(national) / ARTICLES
    with recent.read_only(path) as conn:
        rowid, blob = conn.execute("SELECT ROWID, doc FROM documents LIMIT 1").fetchone()
    conn.close()
    fields = national_articles.cut(rowid, blob)
    national.articles.update_many({}, {"$set": {"province": "Huế"}})
    assert articlefields.keep(path, [(fields, blob)]) == 0
    assert _kept(national) == 0
    _same_as_the_queries(national)


def test_nothing_is_kept_while_a_crawl_is_in_progress(national: ArticleStore) -> None:
    data_dir = _folder(national).parents[1]
    runstate.begin(data_dir, "r-now", ["px-big"])
    try:
        _same_as_the_queries(national)
        assert _kept(national) == 0
    finally:
        runstate.end(data_dir)
    _same_as_the_queries(national)
    assert _kept(national) == national.articles.count_documents({})


def test_an_older_store_is_read_whole_then_gets_the_table_when_next_opened(
    national: ArticleStore, cuts: list[int]
) -> None:
    folder = _folder(national)
    with sqlite3.connect(folder / ARTICLES) as conn:
        for name in ("gov_article_insert", "gov_article_update", "gov_article_delete"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"DROP TABLE {articlefields.TABLE}")
    conn.close()
    _same_as_the_queries(national)
    total = national.articles.count_documents({})
    assert len(cuts) == total
    national.close()
    again = open_store(None, folder.parents[1])
    try:
        cuts.clear()
        _same_as_the_queries(again)
        assert len(cuts) == total and _kept(again) == total
    finally:
        again.close()
