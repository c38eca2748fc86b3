"""The analyst queries: real answers on both stores, and docs/schema.md showing exactly them."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo.database import Database

from crawler.analytics import queries, vntime
from crawler.analytics.queries import (
    articles_per_site_month,
    most_viewed,
    republished_across_portals,
    site_visits,
    view_growth,
)
from crawler.storage import ArticleStore, open_store
from tests.analytics.sample_data import A1, A2, B1, populate

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "schema.md"
DOC_FUNCTIONS = [vntime.vn_day_start, vntime.vn_range] + [
    getattr(queries, n) for n in queries.__all__
]


@pytest.fixture
def db(store: ArticleStore) -> Database[dict[str, Any]]:
    populate(store)
    return store.db


def test_articles_per_site_month_buckets_in_vietnam_time(db: Database[dict[str, Any]]) -> None:
    # nd-a1 is 17:30Z on 31 January: 00:30 on 1 February in Vietnam; the undated article is left out
    assert articles_per_site_month(db) == [
        {"site_id": "hn-sotttt", "month": "2021-02", "articles": 1},
        {"site_id": "hn-sotttt", "month": "2022-01", "articles": 1},
        {"site_id": "nd-giaothuy", "month": "2021-01", "articles": 1},
        {"site_id": "nd-giaothuy", "month": "2021-02", "articles": 2},
    ]


def test_articles_per_site_month_filters_vietnam_days(db: Database[dict[str, Any]]) -> None:
    assert articles_per_site_month(db, since=date(2021, 2, 1), until=date(2021, 2, 1)) == [
        {"site_id": "nd-giaothuy", "month": "2021-02", "articles": 1},
    ]
    assert articles_per_site_month(db, since=date(2022, 1, 1)) == [
        {"site_id": "hn-sotttt", "month": "2022-01", "articles": 1},
    ]


def test_most_viewed_of_a_period(db: Database[dict[str, Any]]) -> None:
    top = most_viewed(db, date(2021, 1, 1), date(2021, 12, 31), limit=3)
    assert [(a["canonical_url"], a["views"]) for a in top] == [(B1, 38661), (A2, 1200), (A1, 500)]
    assert set(top[0]) == {"canonical_url", "site_id", "title", "published_at", "views"}
    assert top[0]["published_at"] == datetime(2021, 2, 15, 3, tzinfo=UTC)
    local = most_viewed(db, date(2021, 1, 1), date(2021, 12, 31), sites=["nd-giaothuy"])
    assert [a["canonical_url"] for a in local] == [A2, A1]  # the article without views is left out
    # one Vietnam day: nd-a1 (00:30 on 1 Feb) is in, nd-a2 (23:30 on 31 Jan) is not
    assert [a["canonical_url"] for a in most_viewed(db, date(2021, 2, 1), date(2021, 2, 1))] == [A1]


def test_view_growth_of_one_article(db: Database[dict[str, Any]]) -> None:
    assert view_growth(db, A1) == [
        {"at": datetime(2021, 2, 2, tzinfo=UTC), "views": 100, "gained": None, "per_day": None},
        {"at": datetime(2021, 2, 5, tzinfo=UTC), "views": 400, "gained": 300, "per_day": 100.0},
        {"at": datetime(2021, 2, 7, tzinfo=UTC), "views": 500, "gained": 100, "per_day": 50.0},
    ]
    assert view_growth(db, "http://example.gov.vn/unknown") == []


def test_site_visits_over_time(db: Database[dict[str, Any]]) -> None:
    visits = site_visits(db, "nd-giaothuy")
    assert [v["total"] for v in visits] == [2683100, 2683200, 2683300]
    assert [v["captured_at"].day for v in visits] == [1, 2, 3]
    assert set(visits[0]) == {"captured_at", "online", "today", "week", "month", "total"}
    # captured 15:00Z on 2 February = 22:00 on 2 February in Vietnam
    assert [
        v["total"]
        for v in site_visits(db, "nd-giaothuy", since=date(2021, 2, 2), until=date(2021, 2, 2))
    ] == [2683200]
    assert site_visits(db, "nowhere") == []


def test_republished_across_portals(db: Database[dict[str, Any]]) -> None:
    across = republished_across_portals(db)
    assert len(across) == 1
    cluster = across[0]
    assert cluster["sites"] == ["hn-sotttt", "nd-giaothuy"]
    assert cluster["size"] == 2
    assert cluster["earliest"]["canonical_url"] == A1  # published before the edited copy B1
    assert {m["canonical_url"] for m in cluster["members"]} == {A1, B1}
    assert republished_across_portals(db, min_sites=3) == []


# -- the document shows these functions, verbatim, and its code runs ---------------------------
def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", SCHEMA.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize("func", DOC_FUNCTIONS, ids=lambda f: f.__name__)
def test_schema_doc_shows_the_function_source_verbatim(func: Callable[..., Any]) -> None:
    source = inspect.getsource(func)
    assert any(source in block for block in python_blocks()), (
        f"docs/schema.md does not show the current source of {func.__name__}: copy it from "
        f"{inspect.getsourcefile(func)}"
    )


def test_schema_doc_constants_match_the_code() -> None:
    text = "\n".join(python_blocks())
    for name in ("VN", "VN_OFFSET_MS"):
        line = next(x for x in inspect.getsource(vntime).splitlines() if x.startswith(f"{name} = "))
        assert line in text, f"docs/schema.md lacks: {line}"


def test_schema_doc_python_blocks_run_on_a_populated_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(None, tmp_path)
    populate(store)
    monkeypatch.setenv("CRAWLER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGO_URI", raising=False)
    namespace: dict[str, object] = {"__name__": "schema_doc"}
    blocks = python_blocks()
    assert len(blocks) == 1 + len(queries.__all__)
    for block in blocks:
        exec(compile(block, str(SCHEMA), "exec"), namespace)
    db = store.db
    assert namespace["per_month"] == articles_per_site_month(db)
    assert namespace["top_2021"] == most_viewed(db, date(2021, 1, 1), date(2021, 12, 31))
    assert namespace["growth"] == view_growth(db, B1)
    assert namespace["visits"] == site_visits(db, "nd-giaothuy")
    assert namespace["across"] == republished_across_portals(db)
    assert len(namespace["across"]) == 1
    store.close()
