"""The report's data from the embedded store's files: each collection read once, directly.

litemongo answers every query of ``report_data`` by decoding and copying whole collections
(and the per-site queries did so once per site): more than five minutes for 3,355 portals with
100 nights of history. Here the articles' file is read once (``report_articles``), the run
records newest first and only as far back as each site's window reaches, and the visit
snapshots once (``report_history``); the republication clusters, small, still go through the
store. The result equals ``report_data.collect_by_queries`` on the same store (tests compare
them); a file that cannot be read this way (locked, damaged, not a litemongo file) gives
``None``, and the caller asks the store instead, as before.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import bson

from crawler.analytics import bsonfields as bf
from crawler.analytics import report_data as rd
from crawler.analytics.report_articles import ArticleTally
from crawler.analytics.report_history import run_window, visit_series
from crawler.analytics.republication import REPUBLICATIONS
from crawler.analytics.vntime import as_utc
from crawler.storage import ArticleStore, recent
from crawler.storage.store import ARTICLES, CRAWL_RUNS, SITE_STATS

logger = logging.getLogger(__name__)
_T = TypeVar("_T")


def _tally(path: Path, since: date | None, sites: list[str] | None) -> ArticleTally:
    tally = ArticleTally(
        since, sites, rd.TOP_ARTICLES, rd.GROWTH_ARTICLES, tuple(rd.VIEW_BOUNDARIES)
    )
    if not path.is_file():
        return tally
    with recent.read_only(path) as conn:
        if not sites:
            return tally.add_all(recent.documents(conn))
        return tally.add_all(_documents_of(conn, set(sites)))


def _documents_of(conn: sqlite3.Connection, sites: set[str]) -> Iterator[dict[str, Any]]:
    """The articles of these sites, in write order; another site's article is skipped by the
    ``site_id`` cut out of its bytes, without decoding it (``report --site ID`` at national
    scale)."""
    head = bf.header(bf.STRING, "site_id")
    wanted = {s.encode() for s in sites}
    for (blob,) in conn.execute("SELECT doc FROM documents ORDER BY ROWID"):
        if bf.raw_string(blob, head) in wanted:
            yield bson.decode(blob, codec_options=recent.NAIVE)


def _overview(store: ArticleStore, tally: ArticleTally, last_run: Any) -> rd.Overview:
    result = rd.Overview(articles=tally.articles)
    if tally.first is not None and tally.last is not None:
        result.first_published, result.last_published = as_utc(tally.first), as_utc(tally.last)
        result.undated = tally.articles - tally.dated if tally.since is None else 0
    result.sites = sorted(s for s in tally.site_ids if s)
    result.last_run = as_utc(last_run) if last_run else None
    result.clusters = store.db[REPUBLICATIONS].count_documents({})
    return result


def collect_embedded(
    store: ArticleStore, since: date | None, sites: list[str] | None
) -> rd.ReportData | None:
    """The report's data read from the files under ``store.path``, or ``None``."""
    assert store.path is not None
    try:
        tally = _tally(store.path / ARTICLES, since, sites)
        window = _read(
            store.path / CRAWL_RUNS, lambda p: run_window(p, since, sites, rd.RUNS_PER_SITE)
        )
        snapshots = _read(
            store.path / SITE_STATS, lambda p: visit_series(p, since, sites, rd.VISIT_POINTS)
        )
    except (sqlite3.DatabaseError, bson.errors.BSONError) as exc:  # locked, damaged, not ours
        logger.info("report: reading the store's files directly failed (%s); querying it", exc)
        return None
    runs, last_run = (window.runs, window.last_finished) if window else ({}, None)
    return rd.ReportData(
        since=since,
        sites=sites,
        overview=_overview(store, tally, last_run),
        weekly=dict(tally.weekly),
        view_buckets=tally.view_buckets(),
        top_articles=tally.top.rows(),
        growth=tally.growth_rows(),
        visits=snapshots or {},
        runs=runs,
        clusters=rd.clusters(store, since, sites),
        clusters_built=rd.clusters_built(store),
        provinces=rd.province_rows(tally.province_groups()),
    )


def _read(path: Path, read: Callable[[Path], _T]) -> _T | None:
    """``read(path)``, or ``None`` when the collection has no file yet."""
    return read(path) if path.is_file() else None
