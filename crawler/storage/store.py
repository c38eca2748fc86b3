"""ArticleStore: every query and write the crawler makes, over a pymongo-API database.

The same code runs on a real MongoDB (pymongo) and on the embedded on-disk store (litemongo),
so only operators both support are used here: ``bulk_write`` of ``UpdateOne`` with
``$set``/``$setOnInsert``/``$push``, ``$in`` lookups, unique indexes and simple aggregations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, InsertOne, UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

logger = logging.getLogger(__name__)

ARTICLES = "articles"
SITE_STATS = "site_stats"
CRAWL_RUNS = "crawl_runs"

# fields that may change when an article is re-fetched; everything else is set once
MUTABLE_FIELDS = (
    "url", "site_id", "cms", "title", "summary", "body", "images", "author", "source",
    "category", "published_at", "published_raw", "published_date_only", "views", "views_raw",
    "province", "level", "content_hash", "duplicate_of", "response_url", "missing",
)
LOOKUP_BATCH = 500


@dataclass
class WriteResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    republished: int = 0  # marked duplicate_of an article already stored under another URL

    def add(self, other: WriteResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.republished += other.republished


def _earlier(a: datetime | None, b: datetime) -> bool:
    if a is None:
        return False
    if a.tzinfo is None:  # naive datetimes from a store opened without tz_aware
        a = a.replace(tzinfo=b.tzinfo)
    return a < b


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


class ArticleStore:
    """Articles, visit-statistics snapshots and run records in one database."""

    def __init__(self, db: Database[dict[str, Any]], description: str, embedded: bool) -> None:
        self.db = db
        self.description = description  # safe to print: credentials masked
        self.embedded = embedded
        self.articles = db[ARTICLES]
        self.site_stats = db[SITE_STATS]
        self.crawl_runs = db[CRAWL_RUNS]

    def ensure_indexes(self) -> None:
        """Idempotent: creating an existing index with the same spec is a no-op."""
        self.articles.create_index("canonical_url", unique=True, name="canonical_url_unique")
        self.articles.create_index(
            [("site_id", ASCENDING), ("published_at", DESCENDING)], name="site_published"
        )
        self.articles.create_index("content_hash", name="content_hash")
        self.site_stats.create_index(
            [("site_id", ASCENDING), ("captured_at", DESCENDING)], name="site_captured"
        )
        self.crawl_runs.create_index(
            [("site_id", ASCENDING), ("started_at", DESCENDING)], name="site_started"
        )
        self.crawl_runs.create_index("run_id", name="run_id")

    # -- reads -------------------------------------------------------------------------
    def known(self, canonical_urls: list[str]) -> dict[str, dict[str, Any]]:
        """Stored articles among these URLs: ``{url: {published_at, views, content_hash}}``."""
        found: dict[str, dict[str, Any]] = {}
        projection = {"canonical_url": 1, "published_at": 1, "views": 1, "content_hash": 1,
                      "first_seen_at": 1}
        for chunk in _chunks(sorted(set(canonical_urls)), LOOKUP_BATCH):
            for doc in self.articles.find({"canonical_url": {"$in": chunk}}, projection):
                found[doc["canonical_url"]] = doc
        return found

    def count_articles(self, query: Mapping[str, Any] | None = None) -> int:
        return int(self.articles.count_documents(dict(query or {})))

    # -- writes ------------------------------------------------------------------------
    def upsert_articles(self, docs: list[dict[str, Any]], now: datetime) -> WriteResult:
        """Bulk upsert keyed by ``canonical_url``.

        ``first_seen_at`` is set on insert only; mutable fields are ``$set``; a
        ``views_history`` entry is pushed only when the view count changed.
        """
        result = WriteResult()
        if not docs:
            return result
        # the last copy of a URL in one batch wins, as sequential writes would
        by_url = {doc["canonical_url"]: doc for doc in docs}
        before = self.known(list(by_url))
        result.republished = self._mark_republished(by_url, before, now)
        ops: list[InsertOne[dict[str, Any]] | UpdateOne] = []
        upserts: list[UpdateOne] = []  # the upsert equivalent of each op, for the race below
        for url, doc in by_url.items():
            old = before.get(url)
            fields = {
                **{f: doc.get(f) for f in MUTABLE_FIELDS if f in doc},
                "last_seen_at": now,
                "views_checked_at": now,
            }
            first_seen = doc.get("fetched_at") or now
            update: dict[str, Any] = {"$set": fields, "$setOnInsert": {"first_seen_at": first_seen}}
            views = doc.get("views")
            history = {"at": now, "views": views}
            if views is not None and (old is None or old.get("views") != views):
                update["$push"] = {"views_history": history}
            upsert = UpdateOne({"canonical_url": url}, update, upsert=True)
            upserts.append(upsert)
            if old is None:
                result.new += 1
                # a plain insert is cheaper than an upsert (notably on the embedded store)
                new_doc = {"canonical_url": url, **fields, "first_seen_at": first_seen}
                if views is not None:
                    new_doc["views_history"] = [history]
                ops.append(InsertOne(new_doc))
                continue
            if old.get("content_hash") != doc.get("content_hash") or old.get("views") != views:
                result.updated += 1
            else:
                result.unchanged += 1
            ops.append(upsert)
        try:
            self.articles.bulk_write(ops, ordered=False)
        except BulkWriteError as exc:
            # another process inserted the same URL between our read and write: the unique
            # index refused our insert, so apply the upsert to the document it made
            errors = exc.details.get("writeErrors", [])
            retry = [upserts[e["index"]] for e in errors if e["code"] == 11000]
            if len(retry) != len(errors):
                raise
            self.articles.bulk_write(retry, ordered=False)
        return result

    def _mark_republished(
        self, by_url: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]], now: datetime
    ) -> int:
        """Set ``duplicate_of`` from one ``$in`` query per batch (not one query per article).

        Only an article first seen *before* this one counts as its original, so re-crawling the
        original never marks it as a copy of its own republication.
        """
        hashes = {d["content_hash"] for d in by_url.values()
                  if d.get("content_hash") and not d.get("duplicate_of")}
        if not hashes:
            return 0
        earliest: dict[str, tuple[Any, str]] = {}
        projection = {"canonical_url": 1, "content_hash": 1, "first_seen_at": 1}
        for doc in self.articles.find({"content_hash": {"$in": sorted(hashes)}}, projection):
            url, first_seen = doc["canonical_url"], doc.get("first_seen_at")
            if url in by_url:
                continue
            known = earliest.get(doc["content_hash"])
            if known is None or (first_seen, url) < known:
                earliest[doc["content_hash"]] = (first_seen, url)
        marked = 0
        for url, doc in by_url.items():
            original = earliest.get(doc.get("content_hash") or "")
            own_first_seen = (before.get(url) or {}).get("first_seen_at") or now
            if original and not doc.get("duplicate_of") and _earlier(original[0], own_first_seen):
                doc["duplicate_of"] = original[1]
                marked += 1
        return marked

    def insert_site_stats(self, doc: dict[str, Any]) -> None:
        """One snapshot per site and run (idempotent, so a replayed spool adds nothing)."""
        self.site_stats.replace_one(
            {"site_id": doc["site_id"], "run_id": doc.get("run_id")}, dict(doc), upsert=True
        )

    def record_run(self, doc: dict[str, Any]) -> None:
        self.crawl_runs.replace_one(
            {"run_id": doc["run_id"], "site_id": doc["site_id"]}, dict(doc), upsert=True
        )

    def recent_runs(self, site_id: str | None = None, last: int = 10) -> list[dict[str, Any]]:
        query = {"site_id": site_id} if site_id else {}
        cursor = self.crawl_runs.find(query, {"_id": 0}).sort("started_at", DESCENDING).limit(last)
        return list(cursor)

    def close(self) -> None:
        self.db.client.close()
