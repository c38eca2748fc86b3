"""Which report to build: the full one, or the national overview with detail for a few sites.

Up to ``detail_sites`` sites in scope (``GOV_REPORT_DETAIL_SITES``), the report is exactly the
full report of ``report_data.collect`` (``collect_national`` gives ``None``). Past it, the
overview of every site is read first (``national_files`` on the embedded store,
``national_queries`` elsewhere), the sites that need
attention are ranked (``national.rank``), and the full detail (articles per week, view counts,
growth, visits, run tables) is collected for those sites only. The overview cards, the province
table and the republication clusters stay national.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

import bson

from crawler.analytics import report_data as rd
from crawler.analytics.national import NationalData, NationalView, rank
from crawler.analytics.national_files import FileRows, national_from_files
from crawler.analytics.national_queries import national_by_queries
from crawler.analytics.report_articles import ArticleTally
from crawler.analytics.report_history import run_window, visit_series
from crawler.analytics.republication import REPUBLICATIONS
from crawler.storage import ArticleStore, recent
from crawler.storage.store import ARTICLES, CRAWL_RUNS, SITE_STATS

logger = logging.getLogger(__name__)


def _national(
    store: ArticleStore, since: date | None, sites: list[str] | None
) -> tuple[NationalData, FileRows | None]:
    if store.embedded and store.path is not None:
        try:
            return national_from_files(store.path, since, sites)
        except (sqlite3.DatabaseError, bson.errors.BSONError) as exc:
            logger.info("report: reading the store's files directly failed (%s); querying", exc)
    return national_by_queries(store, since, sites), None


def _overview(store: ArticleStore, data: NationalData, since: date | None) -> rd.Overview:
    result = rd.Overview(articles=data.articles, first_published=data.first)
    result.last_published = data.last
    result.undated = data.articles - data.dated if since is None else 0
    result.sites = sorted({s for (_c, _p, s) in data.province_groups if isinstance(s, str) and s})
    result.last_run = data.last_finished
    result.clusters = store.db[REPUBLICATIONS].count_documents({})
    return result


def _detail_from_files(
    folder: Path, since: date | None, chosen: list[str], rows: FileRows
) -> rd.ReportData:
    tally = ArticleTally(
        since, chosen, rd.TOP_ARTICLES, rd.GROWTH_ARTICLES, tuple(rd.VIEW_BOUNDARIES)
    )
    wanted = sorted(r for site in chosen for r in rows.rowids.get(site, []))
    if wanted:
        with recent.read_only(folder / ARTICLES) as conn:
            docs = recent.documents_at(conn, wanted)
        tally.add_all(docs[r] for r in wanted)
    runs = folder / CRAWL_RUNS
    window = (
        run_window(runs, since, chosen, rd.RUNS_PER_SITE, rows.runs) if runs.is_file() else None
    )
    stats = folder / SITE_STATS
    visits = (
        visit_series(stats, since, chosen, rd.VISIT_POINTS, rows.stats) if stats.is_file() else {}
    )
    return rd.ReportData(
        since=since,
        sites=chosen,
        overview=rd.Overview(),
        weekly=dict(tally.weekly),
        view_buckets=tally.view_buckets(),
        top_articles=tally.top.rows(),
        growth=tally.growth_rows(),
        visits=visits,
        runs=window.runs if window else {},
        clusters=[],
        clusters_built=False,
    )


def collect_national(
    store: ArticleStore, since: date | None, sites: list[str] | None, detail_sites: int
) -> rd.ReportData | None:
    """The national report past ``detail_sites`` sites in scope; ``None`` up to it (the full
    report is then ``report_data.collect``)."""
    sites = list(sites) if sites else None
    national, rows = _national(store, since, sites)
    if len(national.lines) <= detail_sites:
        return None
    chosen = rank(national, detail_sites)
    if rows is not None and store.path is not None:
        detail = _detail_from_files(store.path, since, chosen, rows)
    else:
        detail = rd.collect_by_queries(store, since, chosen)
    detail.sites = sites
    detail.overview = _overview(store, national, since)
    detail.provinces = rd.province_rows(
        ({"code": c, "province": p, "site": s}, n)
        for (c, p, s), n in national.province_groups.items()
    )
    detail.clusters = rd.clusters(store, since, sites)
    detail.clusters_built = rd.clusters_built(store)
    detail.runs = {s: detail.runs[s] for s in chosen if s in detail.runs}  # most urgent first
    detail.visits = {s: detail.visits[s] for s in chosen if s in detail.visits}
    detail.national = NationalView(national, chosen, detail_sites)
    return detail
