"""The report with many nights of history: the embedded store's files read once, the run
records only as far back as each site's window, and the same report as the store's queries
and as the per-site queries it used to make."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo import DESCENDING

from crawler.analytics import report_data, report_history
from crawler.analytics.report import render
from crawler.analytics.report_data import collect, collect_by_queries
from crawler.storage import ArticleStore, open_store, recent
from tests.analytics.sample_data import populate

SITES = ("nd-giaothuy", "hn-sotttt", "px-new", "px-dead")
NIGHTS = 30
NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)
BASE = datetime(2026, 10, 1, 17, tzinfo=UTC)


def _run(site: str, night: int, started: datetime, took: timedelta | None) -> dict[str, Any]:
    return {
        "run_id": f"r{night:03d}",
        "site_id": site,
        "mode": "incremental",
        "started_at": started,
        "finished_at": started + took if took is not None else None,
        "verdict": "healthy" if took is not None else "aborted",
        "pages": {"listing": 2, "article": night % 4},
        "articles": {"extracted": night % 4, "new": night % 4},
        "errors": {"timeout": 1} if site == "px-dead" else {},
        "coverage": {"title": 1.0, "views": 0.5 + night / 100},
        "problems": [f"problem of night {night}"] if night % 7 == 0 else [],
    }


def _night(store: ArticleStore, night: int) -> None:
    """One night as the crawler writes it: each site's run record when the site finishes
    (the long one last), its visit snapshot during the run."""
    began = BASE + timedelta(days=night)
    sites = [s for s in SITES if not (s == "px-new" and night < NIGHTS - 3)]
    for i, site in enumerate(sites):
        started = began + timedelta(minutes=i)
        if site != "px-dead":
            store.insert_site_stats(
                {
                    "site_id": site,
                    "run_id": f"r{night:03d}",
                    "captured_at": started + timedelta(seconds=30),
                    "online": night,
                    "today": 10 * night,
                    "week": None,
                    "month": 300 + night,
                    "total": 1000 * night + i,
                }
            )
    finish_order = sorted(sites, key=lambda s: s == "hn-sotttt")  # hn-sotttt runs for hours
    for site in finish_order:
        started = began + timedelta(minutes=sites.index(site))
        took: timedelta | None = timedelta(hours=3) if site == "hn-sotttt" else timedelta(minutes=2)
        if site == "nd-giaothuy" and night == NIGHTS - 2:
            took = None  # killed: recorded as aborted, no finished_at
        store.record_run(_run(site, night, started, took))


@pytest.fixture
def history(tmp_path: Path) -> Iterator[ArticleStore]:
    store = open_store(None, tmp_path)
    populate(store)  # articles, two older snapshots kept under ObjectId keys, clusters
    for night in range(NIGHTS):
        _night(store, night)
    # a replayed run record of an old night, written last; one older record without the id
    store.record_run(_run("nd-giaothuy", -40, BASE - timedelta(days=40), timedelta(minutes=1)))
    store.crawl_runs.insert_one(
        _run("px-dead", -50, BASE - timedelta(days=50), timedelta(minutes=1))
    )
    yield store
    store.close()


def per_site_queries(store: ArticleStore, since: date | None, sites: list[str] | None) -> Any:
    """The runs and visits the report read before: one query per site and collection."""
    runs, visits = {}, {}
    run_scope = report_data._scope(sites, "started_at", since)
    for site in sorted(s for s in store.crawl_runs.distinct("site_id", run_scope) if s):
        cursor = store.crawl_runs.find({**run_scope, "site_id": site}, {"_id": 0, "site_id": 0})
        runs[site] = list(cursor.sort("started_at", DESCENDING).limit(report_data.RUNS_PER_SITE))
    visit_scope = report_data._scope(sites, "captured_at", since)
    for site in sorted(s for s in store.site_stats.distinct("site_id", visit_scope) if s):
        cursor = store.site_stats.find(
            {**visit_scope, "site_id": site}, dict.fromkeys(report_history.VISIT_FIELDS, 1)
        )
        rows = list(cursor.sort("captured_at", DESCENDING).limit(report_data.VISIT_POINTS))
        visits[site] = [{k: v for k, v in r.items() if k != "_id"} for r in rows[::-1]]
    return runs, visits


def _projected(runs: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    fields = report_history.RUN_FIELDS
    return {s: [{k: r[k] for k in fields if k in r} for r in rows] for s, rows in runs.items()}


def _utc(value: Any) -> Any:
    """Naive dates (the embedded store's files hold UTC) as aware ones, anywhere inside."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, dict):
        return {k: _utc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utc(v) for v in value]
    return value


SCOPES = [
    (None, None),
    (date(2026, 10, 20), None),
    (None, ["nd-giaothuy", "px-new"]),
    (date(2021, 2, 1), ["hn-sotttt"]),
]


@pytest.mark.parametrize(("since", "sites"), SCOPES)
def test_files_read_directly_give_the_report_of_the_queries(
    history: ArticleStore, since: date | None, sites: list[str] | None
) -> None:
    fast = collect(history, since, sites)
    slow = collect_by_queries(history, since, sites)
    assert fast.runs and fast.overview.last_run is not None
    assert render(fast, NOW) == render(slow, NOW)
    runs, visits = per_site_queries(history, since, sites)
    assert _utc(fast.runs) == _projected(runs) == slow.runs
    assert _utc(fast.visits) == visits == slow.visits


def test_the_window_is_the_newest_runs_with_an_aborted_and_a_replayed_record(
    history: ArticleStore,
) -> None:
    data = collect(history)
    gt = data.runs["nd-giaothuy"]
    assert len(gt) == report_data.RUNS_PER_SITE
    assert [r["run_id"] for r in gt[:3]] == [f"r{NIGHTS - 1:03d}", f"r{NIGHTS - 2:03d}", "r027"]
    assert gt[1]["verdict"] == "aborted" and gt[1]["finished_at"] is None
    assert [r["run_id"] for r in data.runs["px-new"]] == ["r029", "r028", "r027"]
    # hn-sotttt finished last on the last night: the newest finished_at of every record
    last = BASE + timedelta(days=NIGHTS - 1, minutes=1, hours=3)
    assert data.overview.last_run == last
    assert len(data.visits["nd-giaothuy"]) == NIGHTS + 3  # 3 sample snapshots of Feb 2021


def test_only_the_window_of_run_records_is_decoded(
    history: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[int] = []
    one, many = recent.document, recent.documents_at

    def counting_one(conn: sqlite3.Connection, rowid: int) -> dict[str, Any]:
        decoded.append(rowid)
        return one(conn, rowid)

    def counting_many(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, dict[str, Any]]:
        decoded.extend(rowids)
        return many(conn, rowids)

    monkeypatch.setattr(recent, "document", counting_one)
    monkeypatch.setattr(recent, "documents_at", counting_many)
    assert history.path is not None
    window = report_history.run_window(history.path / "crawl_runs", None, None, 8)
    assert sum(len(v) for v in window.runs.values()) == 3 * 8 + 3
    assert len(set(decoded)) == len(decoded)  # none twice
    total = history.crawl_runs.count_documents({})
    assert total == 3 * NIGHTS + 3 + 2
    # each site's window and the two records that close it, plus the record without a
    # "<run id>|<site id>" key (its site is only known once decoded): about a third
    assert len(decoded) <= 4 * (8 + 2) + 1, (len(decoded), total)


def test_an_unreadable_file_falls_back_to_the_queries(
    history: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("database is locked")

    expected = render(collect_by_queries(history), NOW)
    monkeypatch.setattr(recent, "read_only", locked)
    assert render(collect(history), NOW) == expected


def test_an_empty_store_reads_no_file(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    try:
        data = collect(store)
        assert data.empty and not data.clusters_built
        assert render(data, NOW) == render(collect_by_queries(store), NOW)
    finally:
        store.close()


def test_the_cycle_collector_is_paused_while_the_report_is_built(
    history: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from crawler.analytics import report

    seen: list[bool] = []

    def watching(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return collect(*args)

    monkeypatch.setattr("crawler.analytics.report.collect", watching)
    assert gc.isenabled()
    html = report.build_report(history)
    assert seen == [False] and gc.isenabled()  # paused, then restored
    assert "nd-giaothuy" in html


def test_articles_counted_in_one_pass_as_the_queries_count_them(tmp_path: Path) -> None:
    """Ties of views (broken by URL), counts of no view or an odd type, single-point view
    histories only (growth falls back to them), dates on Vietnam-week edges, no site."""
    from tests.analytics.sample_data import article, utc

    store = open_store(None, tmp_path)
    try:
        docs = [
            article(
                f"https://a.gov.vn/{n}",
                "a-one",
                f"T{n}",
                "body",
                utc(2026, 3, 1 + n, 16 + n % 2, 59),
                views,
                [(utc(2026, 3, 9), views)] if views is not None else None,
            )
            for n, views in enumerate([50, 50, None, 7, 10**13, 0, 50])
        ]
        docs.append({**article("https://b.gov.vn/x", "", "no site", "b", None, 3), "views": "3"})
        float_views = article("https://b.gov.vn/y", "b-two", "float", "b", utc(2026, 1, 4, 17), 9)
        docs.append({**float_views, "views": 9.5})
        store.articles.insert_many(docs)
        for since, sites in [(None, None), (date(2026, 3, 4), None), (None, ["a-one"])]:
            fast, slow = collect(store, since, sites), collect_by_queries(store, since, sites)
            assert render(fast, NOW) == render(slow, NOW)
            assert fast.weekly == slow.weekly and fast.view_buckets == slow.view_buckets
            assert [a["canonical_url"] for a in fast.growth] == [
                a["canonical_url"] for a in slow.growth
            ]
            assert fast.overview == slow.overview
    finally:
        store.close()
