"""The embedded store's size limit: past GOV_EMBEDDED_MAX_ARTICLES the crawl warns, once, and
points at MongoDB (crawler/storage/limits.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.storage import open_store
from crawler.storage.limits import size_warning, stored_articles
from tests.fixturetypes import MakePortal, RunCli
from tests.helpers import FAST


def _fill(data_dir: Path, n: int) -> None:
    store = open_store(None, data_dir)
    now = datetime.now(UTC)
    store.articles.insert_many(
        [
            {"canonical_url": f"https://x.gov.vn/a-{i}", "site_id": "x", "first_seen": now}
            for i in range(n)
        ]
    )
    store.close()


def test_stored_articles_reads_the_embedded_file(tmp_path: Path) -> None:
    assert stored_articles(tmp_path / "data" / "store" / "govnews") == 0  # nothing yet
    _fill(tmp_path / "data", 25)
    assert stored_articles(tmp_path / "data" / "store" / "govnews") == 25


def test_size_warning_names_the_limit_and_mongodb() -> None:
    assert size_warning(199_999, 200_000) is None
    assert size_warning(10**6, 0) is None  # 0 turns the check off
    message = size_warning(1_000_000, 200_000)
    assert message is not None
    assert "1,000,000 articles" in message and "200,000" in message
    assert "MONGO_URI" in message and "3.2 GB" in message


def test_a_crawl_into_a_store_over_the_limit_warns_once(
    make_portal: MakePortal, run_cli: RunCli, data_dir: Path
) -> None:
    _fill(data_dir, 30)
    portal = make_portal("nd-giaothuy")
    result = run_cli(
        "crawl",
        "nd-giaothuy",
        "--base-url",
        portal.base_url,
        *FAST,
        "-s",
        "GOV_EMBEDDED_MAX_ARTICLES=20",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count("over its limit of 20 (GOV_EMBEDDED_MAX_ARTICLES)") == 1
    quiet = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, *FAST)
    assert "GOV_EMBEDDED_MAX_ARTICLES" not in quiet.stderr


def test_indexes_that_exist_are_not_created_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """litemongo re-checks a unique index against every stored article when it is created
    again: opening a big store did that at every start."""
    _fill(tmp_path, 5)
    store = open_store(None, tmp_path)
    for collection in (store.articles, store.site_stats, store.crawl_runs):

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("create_index on an existing index")

        monkeypatch.setattr(collection, "create_index", refuse)
    store.ensure_indexes()
    assert {"canonical_url_unique", "site_published", "content_hash"} <= set(
        store.articles.index_information()
    )
    store.close()
