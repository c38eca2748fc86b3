"""The embedded store's site index of run records and snapshots (``crawler.storage.sitekeys``):
created when the store opens, kept by SQLite at every write, read as far as needed; the same
rows, the same overview and the same national report as the keys grouped without it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from crawler.analytics import report_scope
from crawler.analytics.national_files import national_from_files
from crawler.analytics.report import render
from crawler.analytics.report_data import ReportData
from crawler.analytics.report_history import site_rows
from crawler.storage import ArticleStore, open_store, recent, sitekeys
from crawler.storage.store import CRAWL_RUNS, SITE_STATS
from tests.analytics.test_report_national import LAST, NOW, SITES, national_store


def _drop_index(folder: Path) -> None:
    for name in (CRAWL_RUNS, SITE_STATS):
        with sqlite3.connect(folder / name) as conn:
            conn.execute(f"DROP INDEX IF EXISTS {sitekeys.INDEX}")
        conn.close()


def _indexed(path: Path) -> bool:
    with recent.read_only(path) as conn:
        found = sitekeys.has_index(conn)
    conn.close()
    return found


def _plain(rows: tuple[dict[str, Sequence[int]], object]) -> dict[str, list[int]]:
    return {site: list(ids) for site, ids in rows[0].items()}


@pytest.fixture
def national(tmp_path: Path) -> Iterator[ArticleStore]:
    store = national_store(tmp_path)
    yield store
    store.close()


@pytest.fixture
def folder(national: ArticleStore) -> Path:
    assert national.path is not None
    return national.path


def test_the_store_indexes_its_run_records_and_snapshots_by_site(folder: Path) -> None:
    assert _indexed(folder / CRAWL_RUNS) and _indexed(folder / SITE_STATS)
    with recent.read_only(folder / CRAWL_RUNS) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT ROWID FROM documents WHERE "
            f"{sitekeys.SITE_OF_KEY} = ? ORDER BY ROWID DESC",
            ("px-big",),
        ).fetchall()
    assert sitekeys.INDEX in str(plan)


def test_an_older_store_gets_the_index_when_it_is_next_opened(
    national: ArticleStore, folder: Path
) -> None:
    national.close()
    _drop_index(folder)
    assert not _indexed(folder / CRAWL_RUNS)
    again = open_store(None, folder.parents[1])
    try:
        assert _indexed(folder / CRAWL_RUNS) and _indexed(folder / SITE_STATS)
    finally:
        again.close()


@pytest.mark.parametrize("name", [CRAWL_RUNS, SITE_STATS])
def test_the_same_rows_with_and_without_the_index(
    national: ArticleStore, folder: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitekeys, "HEAD", 2)  # most sites' rows go past the first read
    with recent.read_only(folder / name) as conn:
        fast = site_rows(conn)
        # read from the index, but for a site with an older, ObjectId-keyed record
        lazy = {s for s, ids in fast[0].items() if isinstance(ids, sitekeys.SiteRowids)}
        assert lazy == set(SITES) - ({"px-flat"} if name == SITE_STATS else set())
        indexed = _plain(fast)
        wanted = site_rows(conn, {"px-big", "px-flat", "px-none"})
    _drop_index(folder)
    with recent.read_only(folder / name) as conn:
        grouped = site_rows(conn)
        assert _plain(grouped) == indexed and set(indexed) == set(SITES)
        assert _plain(wanted) == _plain(site_rows(conn, {"px-big", "px-flat", "px-none"}))
        assert wanted[1].keys() == grouped[1].keys()  # the older, ObjectId-keyed snapshot


def test_site_rowids_read_further_back_only_when_asked(folder: Path) -> None:
    with recent.read_only(folder / SITE_STATS) as conn:
        big = sitekeys.rowids_by_site(conn, head=2)[0]["px-big"]
        whole = [
            r
            for (r,) in conn.execute(
                "SELECT ROWID FROM documents WHERE _id LIKE 's:%|px-big' ORDER BY ROWID DESC"
            )
        ]
        assert big[:2] == whole[:2] and big._complete is False
        assert big[0] == whole[0] and big[:5] == whole[:5] and big._complete is True
    with recent.read_only(folder / CRAWL_RUNS) as conn:
        runs = sitekeys.rowids_by_site(conn, head=3)[0]["px-small"]
        assert list(runs) == sorted(runs, reverse=True) and len(runs) == 12
        assert runs[-1] == min(runs) and runs[3:] == list(runs)[3:]


def test_rows_written_after_the_first_read_are_not_read_twice(national: ArticleStore) -> None:
    folder = national.path or Path()
    with recent.read_only(folder / CRAWL_RUNS) as conn:
        rows = sitekeys.rowids_by_site(conn, head=2)[0]["px-big"]
        first = rows[:2]
        national.record_run(
            {"run_id": "r999", "site_id": "px-big", "started_at": LAST + timedelta(days=1)}
        )
        seen = list(rows)
    assert seen[:2] == first and len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize("sites", [None, ["px-big", "px-quiet", "px-flat", "px-x"]])
def test_the_same_overview_and_national_report_with_and_without_the_index(
    national: ArticleStore, folder: Path, sites: list[str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitekeys, "HEAD", 3)
    fast, _ = national_from_files(folder, None, sites)
    fast_report = report_scope.collect_national(national, None, sites, 2)
    _drop_index(folder)
    slow, _ = national_from_files(folder, None, sites)
    slow_report = report_scope.collect_national(national, None, sites, 2)
    assert fast == slow
    assert isinstance(fast_report, ReportData) and isinstance(slow_report, ReportData)
    assert render(fast_report, NOW) == render(slow_report, NOW)


def test_no_index_where_it_cannot_be_made(tmp_path: Path) -> None:
    assert sitekeys.ensure_index(tmp_path / "missing") is False
    empty = tmp_path / "empty"
    sqlite3.connect(empty).close()
    assert sitekeys.ensure_index(empty) is False  # no documents table yet
