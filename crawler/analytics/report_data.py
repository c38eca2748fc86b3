"""What the HTML report shows, read from the store with bounded memory.

Counting, bucketing, sorting and limiting run in the database through stages both back ends
implement (``$match``, ``$group``, ``$bucket``, ``$sort``, ``$limit``, ``$project``); the runs
and visit snapshots of every site are read in one query each, in the order of the
``(site_id, started_at)`` and ``(site_id, captured_at)`` indexes, keeping each site's window.
Nothing here loads every article: the largest result is one row per site and week.

:func:`collect` reads the embedded store's files directly instead (``report_embedded``: litemongo
decodes and copies a whole collection for every query); :func:`collect_by_queries` is the way
through the store's queries, MongoDB's, and both give the same report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.collection import Collection

from crawler.analytics.national import NationalView
from crawler.analytics.republication import REPUBLICATIONS
from crawler.analytics.vntime import VN_OFFSET_MS, as_utc, vn_range
from crawler.registry import current_province_code, province_name
from crawler.storage import ArticleStore

VIEW_BOUNDARIES = (0, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10**12)
TOP_ARTICLES = 15
GROWTH_ARTICLES = 8
RUNS_PER_SITE = 8
VISIT_POINTS = 400  # most recent snapshots per site
CLUSTERS = 10


@dataclass
class Overview:
    articles: int = 0
    sites: list[str] = field(default_factory=list)
    first_published: datetime | None = None
    last_published: datetime | None = None
    undated: int = 0
    last_run: datetime | None = None
    clusters: int = 0


@dataclass
class ReportData:
    since: date | None
    sites: list[str] | None
    overview: Overview
    weekly: dict[str, dict[str, int]]  # site -> ISO week "2021-W02" -> articles
    view_buckets: list[tuple[int, int]]  # (lower bound, articles)
    top_articles: list[dict[str, Any]]
    growth: list[dict[str, Any]]  # {title, site_id, canonical_url, views_history}
    visits: dict[str, list[dict[str, Any]]]  # site -> snapshots, oldest first
    runs: dict[str, list[dict[str, Any]]]  # site -> runs, newest first
    clusters: list[dict[str, Any]]
    clusters_built: bool
    # articles per current province: {province_code, name, provinces, sites, articles}
    provinces: list[dict[str, Any]] = field(default_factory=list)
    # past GOV_REPORT_DETAIL_SITES sites: every site's overview line, the sites in detail
    national: NationalView | None = None

    @property
    def empty(self) -> bool:
        return not (self.overview.articles or self.visits or self.runs)


def _scope(sites: list[str] | None, field_name: str, since: date | None) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if sites:
        query["site_id"] = {"$in": sites}
    if since is not None:
        query[field_name] = vn_range(since, None)
    return query


def overview(store: ArticleStore, since: date | None, sites: list[str] | None) -> Overview:
    result = Overview()
    scope = _scope(sites, "published_at", since)
    result.articles = store.articles.count_documents(scope)
    dated = {**scope, "published_at": {"$ne": None, **scope.get("published_at", {})}}
    pipeline: list[dict[str, Any]] = [
        {"$match": dated},
        {
            "$group": {
                "_id": None,
                "first": {"$min": "$published_at"},
                "last": {"$max": "$published_at"},
                "n": {"$sum": 1},
            }
        },
    ]
    for row in store.articles.aggregate(pipeline):
        if not isinstance(row.get("first"), datetime):  # the embedded store groups nothing too
            continue
        result.first_published, result.last_published = as_utc(row["first"]), as_utc(row["last"])
        result.undated = result.articles - int(row["n"]) if since is None else 0
    result.sites = sorted(s for s in store.articles.distinct("site_id", scope) if s)
    last = store.crawl_runs.find_one(
        _scope(sites, "started_at", None), {"finished_at": 1}, sort=[("finished_at", DESCENDING)]
    )
    result.last_run = as_utc(last["finished_at"]) if last and last.get("finished_at") else None
    result.clusters = store.db[REPUBLICATIONS].count_documents({})
    return result


def weekly_counts(
    store: ArticleStore, since: date | None, sites: list[str] | None
) -> dict[str, dict[str, int]]:
    """Articles per site and ISO week of publication in Vietnam time (``%G-W%V``)."""
    scope = _scope(sites, "published_at", since)
    scope["published_at"] = {"$ne": None, **scope.get("published_at", {})}
    pipeline: list[dict[str, Any]] = [
        {"$match": scope},
        {
            "$group": {
                "_id": {
                    "site": "$site_id",
                    "week": {
                        "$dateToString": {
                            "format": "%G-W%V",
                            "date": {"$subtract": ["$published_at", -VN_OFFSET_MS]},
                        }
                    },
                },
                "n": {"$sum": 1},
            }
        },
    ]
    weekly: dict[str, dict[str, int]] = defaultdict(dict)
    for row in store.articles.aggregate(pipeline):
        weekly[row["_id"]["site"] or "?"][row["_id"]["week"]] = int(row["n"])
    return dict(weekly)


def view_buckets(
    store: ArticleStore, since: date | None, sites: list[str] | None
) -> list[tuple[int, int]]:
    """Articles per order of magnitude of their view count."""
    scope = _scope(sites, "published_at", since)
    scope["views"] = {"$type": "number"}
    pipeline: list[dict[str, Any]] = [
        {"$match": scope},
        {
            "$bucket": {
                "groupBy": "$views",
                "boundaries": list(VIEW_BOUNDARIES),
                "default": "other",
                "output": {"n": {"$sum": 1}},
            }
        },
    ]
    counts = {row["_id"]: int(row["n"]) for row in store.articles.aggregate(pipeline)}
    return [(low, counts.get(low, 0)) for low in VIEW_BOUNDARIES[:-1]]


_ARTICLE_FIELDS = {
    "_id": 0,
    "canonical_url": 1,
    "site_id": 1,
    "title": 1,
    "published_at": 1,
    "views": 1,
}


def top_articles(
    store: ArticleStore, since: date | None, sites: list[str] | None, limit: int = TOP_ARTICLES
) -> list[dict[str, Any]]:
    scope = _scope(sites, "published_at", since)
    scope["views"] = {"$type": "number"}
    pipeline: list[dict[str, Any]] = [
        {"$match": scope},
        {"$sort": {"views": -1, "canonical_url": 1}},
        {"$limit": limit},
        {"$project": _ARTICLE_FIELDS},
    ]
    return list(store.articles.aggregate(pipeline))


def growth(
    store: ArticleStore, since: date | None, sites: list[str] | None, limit: int = GROWTH_ARTICLES
) -> list[dict[str, Any]]:
    """The most viewed articles with two or more view counts; else those with one."""
    scope = _scope(sites, "published_at", since)
    for min_points in (2, 1):
        query = {**scope, f"views_history.{min_points - 1}": {"$exists": True}}
        pipeline: list[dict[str, Any]] = [
            {"$match": query},
            {"$sort": {"views": -1, "canonical_url": 1}},
            {"$limit": limit},
            {"$project": {**_ARTICLE_FIELDS, "views_history": 1}},
        ]
        rows = list(store.articles.aggregate(pipeline))
        if rows:
            return rows
    return []


VISIT_PROJECTION = {
    "_id": 0,
    "site_id": 1,
    "captured_at": 1,
    "online": 1,
    "today": 1,
    "week": 1,
    "month": 1,
    "total": 1,
}


def _newest_per_site(
    collection: Collection[dict[str, Any]],
    scope: dict[str, Any],
    projection: dict[str, int],
    time_field: str,
    per_site: int,
) -> dict[str, list[dict[str, Any]]]:
    """One query for every site: the scope's records by site, newest first, each site's
    ``per_site`` newest kept (the ``(site_id, <time>)`` index gives the order on MongoDB)."""
    found: dict[str, list[dict[str, Any]]] = {}
    cursor = collection.find(scope, projection, batch_size=1000)
    for doc in cursor.sort([("site_id", ASCENDING), (time_field, DESCENDING)]):
        site = doc.pop("site_id", None)
        if not isinstance(site, str) or not site:
            continue
        rows = found.setdefault(site, [])
        if len(rows) < per_site:
            rows.append(doc)
    return {site: found[site] for site in sorted(found)}


def visits(
    store: ArticleStore, since: date | None, sites: list[str] | None, points: int = VISIT_POINTS
) -> dict[str, list[dict[str, Any]]]:
    """Each site's ``points`` newest snapshots, oldest first."""
    scope = _scope(sites, "captured_at", since)
    newest = _newest_per_site(store.site_stats, scope, VISIT_PROJECTION, "captured_at", points)
    return {site: rows[::-1] for site, rows in newest.items()}


RUN_PROJECTION = {
    "_id": 0,
    "site_id": 1,
    "run_id": 1,
    "started_at": 1,
    "finished_at": 1,
    "mode": 1,
    "verdict": 1,
    "problems": 1,
    "pages": 1,
    "articles": 1,
    "errors": 1,
    "coverage": 1,
    "site_moved_to": 1,
}


def runs(
    store: ArticleStore, since: date | None, sites: list[str] | None, per_site: int = RUNS_PER_SITE
) -> dict[str, list[dict[str, Any]]]:
    """Each site's ``per_site`` newest runs, newest first."""
    scope = _scope(sites, "started_at", since)
    return _newest_per_site(store.crawl_runs, scope, RUN_PROJECTION, "started_at", per_site)


def provinces(
    store: ArticleStore, since: date | None, sites: list[str] | None
) -> list[dict[str, Any]]:
    """Articles and sites per province as it is since the 2025 merger (``province_code``), the
    most articles first; the pre-merger provinces each one gathers are listed in ``provinces``.
    An article stored before ``province_code`` existed is counted by its ``province`` name;
    one with neither (a portal crawled without profile, a ministry) under ``None``."""
    scope = _scope(sites, "published_at", since)
    pipeline: list[dict[str, Any]] = [
        {"$match": scope},
        {
            "$group": {
                "_id": {"code": "$province_code", "province": "$province", "site": "$site_id"},
                "n": {"$sum": 1},
            }
        },
    ]
    groups = ((row.get("_id") or {}, int(row["n"])) for row in store.articles.aggregate(pipeline))
    return province_rows(groups)


def province_rows(groups: Iterable[tuple[dict[str, Any], int]]) -> list[dict[str, Any]]:
    """The provinces table from ``({code, province, site}, articles)`` groups."""
    rows: dict[str | None, dict[str, Any]] = {}
    for key, n in groups:
        former = key.get("province") or None
        code = key.get("code") or (current_province_code(former) if former else None)
        entry = rows.setdefault(
            code,
            {
                "province_code": code,
                "name": province_name(code),
                "provinces": set(),
                "sites": set(),
                "articles": 0,
            },
        )
        entry["articles"] += n
        entry["sites"].add(key.get("site") or "?")
        if former:
            entry["provinces"].add(former)
    ordered = sorted(rows.values(), key=lambda r: (-r["articles"], r["province_code"] or "~"))
    return [
        {**r, "provinces": sorted(r["provinces"]), "sites": sorted(r["sites"])} for r in ordered
    ]


def clusters(
    store: ArticleStore, since: date | None, sites: list[str] | None, limit: int = CLUSTERS
) -> list[dict[str, Any]]:
    query: dict[str, Any] = {}
    if sites:
        query["sites"] = {"$in": sites}
    if since is not None:
        query["members.published_at"] = vn_range(since, None)
    cursor = store.db[REPUBLICATIONS].find(query, {"_id": 0})
    return list(cursor.sort([("size", DESCENDING), ("site_count", DESCENDING)]).limit(limit))


def collect(
    store: ArticleStore, since: date | None = None, sites: list[str] | None = None
) -> ReportData:
    """What the report shows. On the embedded store its files are read directly, each once
    (``report_embedded``); elsewhere, or when they cannot be read that way, through queries."""
    sites = list(sites) if sites else None
    if store.embedded and store.path is not None:
        from crawler.analytics.report_embedded import collect_embedded

        data = collect_embedded(store, since, sites)
        if data is not None:
            return data
    return collect_by_queries(store, since, sites)


def collect_by_queries(
    store: ArticleStore, since: date | None = None, sites: list[str] | None = None
) -> ReportData:
    """What the report shows, through the store's queries (MongoDB, or any store)."""
    sites = list(sites) if sites else None
    return ReportData(
        since=since,
        sites=sites,
        overview=overview(store, since, sites),
        weekly=weekly_counts(store, since, sites),
        view_buckets=view_buckets(store, since, sites),
        top_articles=top_articles(store, since, sites),
        growth=growth(store, since, sites),
        visits=visits(store, since, sites),
        runs=runs(store, since, sites),
        clusters=clusters(store, since, sites),
        clusters_built=clusters_built(store),
        provinces=provinces(store, since, sites),
    )


def clusters_built(store: ArticleStore) -> bool:
    return REPUBLICATIONS in store.db.list_collection_names()
