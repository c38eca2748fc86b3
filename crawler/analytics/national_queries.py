"""The national overview through the store's queries (MongoDB, or any store).

Every run record and every snapshot of the window in scope is read once (projected), and the
articles are grouped in the database. On MongoDB that is one indexed pass per collection; the
embedded store reads its files directly instead (``national_files``), and both give the same
:class:`~crawler.analytics.national.NationalData` (``tests/analytics/test_report_national.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crawler.analytics.national import (
    RUN_KEYS,
    SNAPSHOT_KEYS,
    NationalData,
    note_run,
    note_snapshot,
    window_start,
)
from crawler.analytics.vntime import as_utc, vn_range
from crawler.storage import ArticleStore


def _sites(sites: list[str] | None) -> dict[str, Any]:
    return {"site_id": {"$in": sites}} if sites else {}


def _runs(store: ArticleStore, sites: list[str] | None, data: NationalData) -> datetime | None:
    """Each site's newest run; returns the newest start of all."""
    projection = {"_id": 0, "site_id": 1, **dict.fromkeys(RUN_KEYS, 1)}
    newest: datetime | None = None
    for doc in store.crawl_runs.find(_sites(sites), projection, batch_size=1000):
        site = doc.get("site_id")
        if not isinstance(site, str) or not site:
            continue
        note_run(data.line(site), doc)
        started, finished = doc.get("started_at"), doc.get("finished_at")
        if isinstance(started, datetime) and (newest is None or as_utc(started) > newest):
            newest = as_utc(started)
        if isinstance(finished, datetime) and (
            data.last_finished is None or as_utc(finished) > data.last_finished
        ):
            data.last_finished = as_utc(finished)
    return newest


def _snapshots(store: ArticleStore, sites: list[str] | None, data: NationalData) -> None:
    query = {**_sites(sites), "captured_at": {"$gte": data.window_start}}
    projection = {"_id": 0, "site_id": 1, **dict.fromkeys(SNAPSHOT_KEYS, 1)}
    for doc in store.site_stats.find(query, projection, batch_size=1000):
        site = doc.get("site_id")
        if isinstance(site, str) and site:
            note_snapshot(data.line(site), doc, data.window_start)


def _group(store: ArticleStore, match: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    key = {"code": "$province_code", "province": "$province", "site": "$site_id"}
    pipeline: list[dict[str, Any]] = [
        {"$match": match},
        {"$group": {"_id": key, "n": {"$sum": 1}, **extra}},
    ]
    return list(store.articles.aggregate(pipeline))


def _articles(
    store: ArticleStore, since: date | None, sites: list[str] | None, data: NationalData
) -> None:
    scope = {**_sites(sites)}
    if since is not None:
        scope["published_at"] = vn_range(since, None)
    for row in _group(store, scope):
        key = row.get("_id") or {}
        site, n = key.get("site"), int(row["n"])
        data.province_groups[(key.get("code"), key.get("province"), site)] = n
        data.articles += n
        if isinstance(site, str) and site:
            data.line(site).articles += n
    dated = {**scope, "published_at": {"$ne": None, **scope.get("published_at", {})}}
    for row in _group(
        store, dated, first={"$min": "$published_at"}, last={"$max": "$published_at"}
    ):
        data.dated += int(row["n"])
        first, last = row.get("first"), row.get("last")
        if isinstance(first, datetime) and (data.first is None or as_utc(first) < data.first):
            data.first = as_utc(first)
        if isinstance(last, datetime) and (data.last is None or as_utc(last) > data.last):
            data.last = as_utc(last)
    fresh = {**scope, "first_seen_at": {"$gte": data.window_start}}
    for row in _group(store, fresh):
        site = (row.get("_id") or {}).get("site")
        if isinstance(site, str) and site:
            data.line(site).new += int(row["n"])


def national_by_queries(
    store: ArticleStore, since: date | None, sites: list[str] | None
) -> NationalData:
    """The overview of every site in scope, through the store's queries."""
    data = NationalData(window_start=window_start(since, None), since=since)
    newest = _runs(store, sites, data)
    data.window_start = window_start(since, newest)
    _snapshots(store, sites, data)
    _articles(store, since, sites, data)
    for site in sites or []:
        data.line(site)
    return data
