"""The analyst queries of ``docs/schema.md``, one function each, over a pymongo ``Database``.

``docs/schema.md`` shows the source of every function here verbatim, and
``tests/analytics/test_queries.py`` fails when the two differ, runs every function on the
embedded store (and on MongoDB with ``-m mongo``), and executes the document's code blocks.
Only operators both back ends implement are used: the embedded store has no ``$dateToString``
time zone, ``$dateTrunc``, ``$sortByCount``, ``$text``, and no ``$add`` of a date and a number,
so Vietnam time is obtained by *subtracting* minus seven hours before formatting.
Pass ``open_store(...).db``, or ``MongoClient(uri, tz_aware=True).get_default_database()``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pymongo.database import Database

from crawler.analytics.vntime import VN_OFFSET_MS, vn_range

__all__ = [
    "articles_per_site_month",
    "most_viewed",
    "republished_across_portals",
    "site_visits",
    "view_growth",
]


def articles_per_site_month(
    db: Database[dict[str, Any]], since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """Articles per site and month of publication (Vietnam time), oldest month first."""
    pipeline: list[dict[str, Any]] = [
        {"$match": {"published_at": {"$ne": None, **vn_range(since, until)}}},
        {
            "$group": {
                "_id": {
                    "site": "$site_id",
                    "month": {
                        "$dateToString": {
                            "format": "%Y-%m",
                            "date": {"$subtract": ["$published_at", -VN_OFFSET_MS]},  # UTC+7
                        }
                    },
                },
                "articles": {"$sum": 1},
            }
        },
        {"$sort": {"_id.site": 1, "_id.month": 1}},
    ]
    return [
        {"site_id": row["_id"]["site"], "month": row["_id"]["month"], "articles": row["articles"]}
        for row in db.articles.aggregate(pipeline)
    ]


def most_viewed(
    db: Database[dict[str, Any]],
    since: date,
    until: date,
    limit: int = 10,
    sites: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The most viewed articles published from ``since`` to ``until`` (Vietnam days, included)."""
    query: dict[str, Any] = {"published_at": vn_range(since, until), "views": {"$ne": None}}
    if sites:
        query["site_id"] = {"$in": sites}
    projection = {
        "_id": 0,
        "canonical_url": 1,
        "site_id": 1,
        "title": 1,
        "published_at": 1,
        "views": 1,
    }
    cursor = db.articles.find(query, projection).sort([("views", -1), ("canonical_url", 1)])
    return list(cursor.limit(limit))


def view_growth(db: Database[dict[str, Any]], canonical_url: str) -> list[dict[str, Any]]:
    """One article's view count at each check where it changed, with the gain per day."""
    doc = db.articles.find_one({"canonical_url": canonical_url}, {"_id": 0, "views_history": 1})
    history = sorted((doc or {}).get("views_history") or [], key=lambda h: h["at"])
    growth: list[dict[str, Any]] = []
    for entry in history:
        row = {"at": entry["at"], "views": entry["views"], "gained": None, "per_day": None}
        if growth:
            previous = growth[-1]
            row["gained"] = entry["views"] - previous["views"]
            days = (entry["at"] - previous["at"]).total_seconds() / 86400
            row["per_day"] = round(row["gained"] / days, 1) if days > 0 else None
        growth.append(row)
    return growth


def site_visits(
    db: Database[dict[str, Any]],
    site_id: str,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """The site's visit-statistics snapshots (one per crawl run), oldest first."""
    query: dict[str, Any] = {"site_id": site_id}
    if since or until:
        query["captured_at"] = vn_range(since, until)
    projection = {
        "_id": 0,
        "captured_at": 1,
        "online": 1,
        "today": 1,
        "week": 1,
        "month": 1,
        "total": 1,
    }
    return list(db.site_stats.find(query, projection).sort("captured_at", 1))


def republished_across_portals(
    db: Database[dict[str, Any]], min_sites: int = 2, limit: int = 20
) -> list[dict[str, Any]]:
    """Republication clusters spanning at least ``min_sites`` portals, widest and largest first.

    Built by ``python -m crawler clusters`` (``crawler.analytics.republication``).
    """
    projection = {
        "_id": 0,
        "cluster_id": 1,
        "size": 1,
        "sites": 1,
        "earliest": 1,
        "members": 1,
        "max_distance": 1,
    }
    cursor = db.republications.find({"site_count": {"$gte": min_sites}}, projection)
    return list(cursor.sort([("site_count", -1), ("size", -1), ("cluster_id", 1)]).limit(limit))
