"""The report past GOV_REPORT_DETAIL_SITES sites: every site in the overview, full detail only
for the ranked ones, the hint line; the same overview from the files and from the queries;
below the threshold, the report as before."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import bson
import pytest

from crawler.analytics import report_scope
from crawler.analytics.national_files import national_from_files
from crawler.analytics.national_queries import national_by_queries
from crawler.analytics.report import build_report, render
from crawler.analytics.report_data import ReportData, collect
from crawler.storage import ArticleStore, open_store
from tests.fixturetypes import RunIn

NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)
LAST = datetime(2026, 11, 30, 17, tzinfo=UTC)  # the newest night
# site -> (verdict of its last run, nights since its last run, visits at the window's start
# and at the end)
SITES = {
    "px-failed": ("failed", 0, 100, 100),
    "px-unhealthy": ("unhealthy", 0, 100, 100),
    "px-quiet": ("healthy", 9, 100, 100),  # no run in the last 7 days
    "px-big": ("healthy", 0, 1000, 1600),
    "px-small": ("healthy", 0, 1000, 1010),
    "px-flat": ("healthy", 0, 500, 500),
}
NIGHTS = 12


def _night(store: ArticleStore, night: int) -> None:
    """Night ``night`` (0: the newest) for every site still crawled then."""
    began = LAST - timedelta(days=night)
    for i, (site, (verdict, idle, first, last)) in enumerate(SITES.items()):
        if night < idle:
            continue
        started = began + timedelta(minutes=i)
        run_id = f"r{NIGHTS - night:03d}"
        share = (NIGHTS - night) / NIGHTS
        store.insert_site_stats(
            {
                "site_id": site,
                "run_id": run_id,
                "captured_at": started + timedelta(seconds=20),
                "online": 3,
                "today": 40 + night,
                "week": None,
                "month": 900,
                "total": first + int((last - first) * share),
            }
        )
        store.record_run(
            {
                "run_id": run_id,
                "site_id": site,
                "mode": "incremental",
                "started_at": started,
                "finished_at": started + timedelta(minutes=3),
                "verdict": verdict if night == idle else "healthy",
                "pages": {"listing": 2, "article": 1},
                "articles": {"extracted": 1, "new": 1},
                "errors": {},
                "coverage": {"title": 1.0},
                "problems": ["no listing page could be fetched"] if verdict == "failed" else [],
            }
        )


def _article(site: str, n: int, days_ago: int, **extra: Any) -> dict[str, Any]:
    seen = LAST - timedelta(days=days_ago)
    url = f"https://{site}.gov.vn/tin/{n}.html"
    return {
        "canonical_url": url,
        "url": url,
        "site_id": site,
        "province": "Nam Định" if site != "px-flat" else "Hà Nội",
        "title": f"Tin {n} của {site}",
        "body": "Nội dung " * 50,
        "published_at": seen - timedelta(hours=3),
        "views": 10 * n,
        "views_history": [{"at": seen, "views": 10 * n}],
        "first_seen_at": seen,
        **extra,
    }


def _articles(store: ArticleStore) -> None:
    docs = [_article(site, n, n * 3) for site in SITES for n in range(5)]
    # stale first: its published_at comes before the article's own
    when = datetime(2026, 11, 1, tzinfo=UTC)
    docs.append({"stale": {"published_at": when}, **_article("px-big", 99, 1)})
    docs.append(_article("px-big", 98, 2, published_at=None, province_code="37"))
    docs.append({**_article("px-small", 97, 40), "site_id": None})
    store.articles.insert_many(docs)


def national_store(tmp_path: Path) -> ArticleStore:
    """Twelve nights of the six ``SITES`` and their articles in an embedded store."""
    store = open_store(None, tmp_path)
    for night in range(NIGHTS - 1, -1, -1):
        _night(store, night)
    _articles(store)
    # an older snapshot under an ObjectId key (before keys named their site)
    store.site_stats.insert_one(
        {
            "site_id": "px-flat",
            "captured_at": LAST - timedelta(days=7, minutes=-5, seconds=-10),
            "total": 490,
        }
    )
    return store


@pytest.fixture
def national(tmp_path: Path) -> Iterator[ArticleStore]:
    store = national_store(tmp_path)
    yield store
    store.close()


def _by_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(*_args: Any) -> Any:
        raise sqlite3.DatabaseError("file is not a database")

    monkeypatch.setattr(report_scope, "national_from_files", unreadable)


def _generated(html: str) -> str:
    return re.sub(r"Generated [^(]*\(", "Generated (", html)


def _detail_sites(html: str) -> list[str]:
    health = html[html.index('<section id="health">') :]
    return re.findall(r"<h3>([^<]+)</h3>", health[: health.index("</section>")])


def test_overview_lists_every_site_and_details_the_ranked_ones(national: ArticleStore) -> None:
    html = build_report(national, detail_sites=3)
    table = html[html.index("<h3>Every site</h3>") :]
    table = table[: table.index("</table>")]
    for site in SITES:
        assert f"<td>{site}</td>" in table
    assert _detail_sites(html) == ["px-failed", "px-unhealthy", "px-quiet"]
    assert "python -m crawler report --site ID" in html and "6 sites in scope" in html
    visits = html[html.index('<section id="visits">') : html.index('<section id="health">')]
    assert "px-big" not in visits and "px-failed" in visits
    # one more site: the largest visit change comes next
    assert _detail_sites(build_report(national, detail_sites=4))[-1] == "px-big"


def test_overview_line_figures(national: ArticleStore) -> None:
    data, _ = national_from_files(national.path or Path(), None, None)
    assert data.window_start == LAST - timedelta(days=7) + timedelta(minutes=5)
    big = data.lines["px-big"]
    assert (big.articles, big.new) == (7, 5)  # first seen 0, 3, 6 days ago and the 2 added
    assert big.change() == 1600 - (1000 + 600 * 6 // 12)  # from the window's first snapshot
    assert data.lines["px-quiet"].newest is None and data.lines["px-quiet"].change() is None
    assert data.lines["px-flat"].oldest is not None
    assert data.lines["px-flat"].oldest["total"] == 490  # the ObjectId-keyed snapshot
    assert (data.articles, data.dated) == (33, 32)
    assert data.province_groups[("37", "Nam Định", "px-big")] == 1


@pytest.mark.parametrize(
    ("since", "sites"),
    [(None, None), (date(2026, 11, 20), None), (None, ["px-big", "px-quiet", "px-flat", "px-x"])],
)
def test_files_and_queries_give_the_same_overview(
    national: ArticleStore, since: date | None, sites: list[str] | None
) -> None:
    files, rows = national_from_files(national.path or Path(), since, sites)
    assert files == national_by_queries(national, since, sites)
    assert rows.rowids["px-big"] == sorted(rows.rowids["px-big"])


def test_files_and_queries_give_the_same_national_report(
    national: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_files = report_scope.collect_national(national, None, None, 2)
    _by_queries(monkeypatch)
    from_queries = report_scope.collect_national(national, None, None, 2)
    assert isinstance(from_files, ReportData) and isinstance(from_queries, ReportData)
    assert render(from_files, NOW) == render(from_queries, NOW)


def test_below_the_threshold_the_report_is_the_full_one(national: ArticleStore) -> None:
    assert report_scope.collect_national(national, None, None, 6) is None
    html = build_report(national, detail_sites=6)
    assert _generated(html) == _generated(render(collect(national), NOW))
    assert "Every site" not in html
    assert "Every site" not in build_report(national, sites=["px-big", "px-flat"], detail_sites=2)


def test_the_article_fields_are_cut_from_the_bytes_not_decoded(
    national: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[bytes] = []
    real = bson.decode

    def counting(blob: bytes, *args: Any, **kwargs: Any) -> Any:
        decoded.append(blob)
        return real(blob, *args, **kwargs)

    monkeypatch.setattr(bson, "decode", counting)
    data, _ = national_from_files(national.path or Path(), None, None)
    assert [real(b).get("canonical_url") for b in decoded if b"canonical_url" in b] == [
        "https://px-big.gov.vn/tin/99.html"  # the one with published_at in stale too
    ]
    assert data.first is not None and data.first.tzinfo is not None


@pytest.mark.slow  # runs the CLI in a subprocess
def test_report_command_detail_sites(national: ArticleStore, tmp_path: Path, run_in: RunIn) -> None:
    out = tmp_path / "report.html"
    folder = (national.path or Path()).parents[1]
    national.close()
    result = run_in(folder, "report", "--detail-sites", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert _detail_sites(out.read_text(encoding="utf-8")) == ["px-failed", "px-unhealthy"]
    bad = run_in(folder, "report", "--detail-sites", "many", "--out", str(out))
    assert bad.returncode == 1 and "expected a number of sites" in bad.stderr


def test_stored_site_ids_from_the_files_as_from_the_queries(national: ArticleStore) -> None:
    from crawler.analytics import sites

    folder = national.path or Path()
    everything = {s for name in sites.COLLECTIONS for s in national.db[name].distinct("site_id")}
    assert sites.file_site_ids(folder) == {s for s in everything if isinstance(s, str) and s}
    assert sites.stored_site_ids(national) == set(SITES)
    # every wanted id among the runs' and snapshots' keys: the articles are not read
    assert sites.file_site_ids(folder, {"px-big"}) == set(SITES)
    assert sites.unknown_sites_problem(national, ["px-big", "px-flat"], configured=()) is None
    assert "px-bi'" in (sites.unknown_sites_problem(national, ["px-bi"], configured=()) or "")
