"""ArticleStore: every query and write the crawler makes, over a pymongo-API database.

The same code runs on a real MongoDB (pymongo) and on the embedded on-disk store (litemongo),
so only operators both support are used here: ``bulk_write`` of ``UpdateOne`` with
``$set``/``$unset``/``$setOnInsert``/``$push``, ``$in`` lookups, unique indexes and simple
aggregations. What depends on the stored document (which values a re-crawl keeps, ``stale``)
is computed in Python from the document read before the write.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import bson
from bson.errors import BSONError
from pymongo import ASCENDING, DESCENDING, InsertOne, UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError, WriteError
from pymongo.results import BulkWriteResult, UpdateResult

from crawler.items import KEPT_FIELDS, MUTABLE_FIELDS
from crawler.storage import files

logger = logging.getLogger(__name__)

ARTICLES = "articles"
SITE_STATS = "site_stats"
CRAWL_RUNS = "crawl_runs"

# what the store adds to an article beyond the item's fields (docs/schema.md)
STORE_ADDED_FIELDS = ("views_history", "views_checked_at", "first_seen_at", "last_seen_at", "stale")
# a field that goes with another one: kept whenever that one is kept
TIED_FIELDS = {"published_date_only": "published_at"}
LOOKUP_BATCH = 500
DUPLICATE_KEY = 11000
# MongoDB's 16 MiB document limit, less room for what the store adds (views_history, dates)
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 - 64 * 1024
# what encoding one document can raise: a value BSON cannot hold (an int beyond 64 bits, a lone
# surrogate in a string, a type it does not know)
VALUE_ERRORS = (BSONError, OverflowError, ValueError)
# what a store call raises for one record it refuses, as opposed to a store outage
RECORD_ERRORS = (*VALUE_ERRORS, WriteError)


class UnacknowledgedWrites(PyMongoError):
    """The store took writes without acknowledging them, or they are not in it afterwards (an
    unacknowledged write concern, a collection dropped, the embedded store's files deleted or
    replaced while in use). A store failure: the pipeline spools what it was writing."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _damage_named(method: _F) -> _F:
    """An SQLite damage error from the embedded store becomes a :class:`files.StoreCorrupt`
    naming the damaged file and the recovery step."""

    @functools.wraps(method)
    def wrapper(self: ArticleStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if self.path is None or not files.is_damage(exc):
                raise
            raise files.explain(self.path, exc) from None

    return cast(_F, wrapper)


def _check_acknowledged(
    result: BulkWriteResult | Mapping[str, Any], sent: int, errors: int
) -> None:
    """Every operation sent is acknowledged: inserted, upserted, matched or a write error."""
    if isinstance(result, BulkWriteResult):
        if not result.acknowledged:
            raise UnacknowledgedWrites(
                f"the store did not acknowledge {sent} writes (write concern w=0?)"
            )
        done = result.inserted_count + result.upserted_count + result.matched_count
    else:  # the details of a BulkWriteError
        counts = [result.get(key) for key in ("nInserted", "nUpserted", "nMatched")]
        if not all(isinstance(n, int) for n in counts):
            return
        done = sum(cast(list[int], counts))
    if done + errors < sent:
        raise UnacknowledgedWrites(f"the store acknowledged {done + errors} of {sent} writes")


def _put_once(collection: Any, key: str, doc: Mapping[str, Any], what: str) -> None:
    """Write the one document of a run and site: ``_id`` is ``"<run id>|<site id>"``.

    A plain insert, which the embedded store does without reading the collection (a filtered
    ``replace_one`` made litemongo build its in-memory index over every record first: seconds
    on the reactor at the first run record of a night with a national history, and memory in
    the crawler). Written again (a replayed spool, an aborted run recorded later): replaced.
    (A record written before these ids, by a run that an upgrade interrupted, is not replaced.)
    """
    try:
        result = collection.insert_one({**doc, "_id": key})
    except DuplicateKeyError:
        _check_replaced(collection.replace_one({"_id": key}, {**doc, "_id": key}), what)
        return
    if not result.acknowledged:
        raise UnacknowledgedWrites(f"the store did not acknowledge the {what} written")


def _check_replaced(result: UpdateResult, what: str) -> None:
    if not result.acknowledged or result.matched_count + (result.upserted_id is not None) < 1:
        raise UnacknowledgedWrites(f"the store did not acknowledge the {what} written")


@dataclass
class Refused:
    """A record the store would not take, and why (written to the dead-letter file)."""

    doc: dict[str, Any]
    reason: str


@dataclass
class WriteResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    republished: int = 0  # marked duplicate_of an article already stored under another URL
    refused: list[Refused] = field(default_factory=list)

    def add(self, other: WriteResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.republished += other.republished
        self.refused.extend(other.refused)


@dataclass
class _Planned:
    """One article's write: the cheapest operation, its upsert equivalent, the outcome."""

    doc: dict[str, Any]
    op: InsertOne[dict[str, Any]] | UpdateOne
    upsert: UpdateOne
    outcome: str  # "new", "updated" or "unchanged"


def _earlier(a: datetime | None, b: datetime) -> bool:
    if a is None:
        return False
    if a.tzinfo is None:  # naive datetimes from a store opened without tz_aware
        a = a.replace(tzinfo=b.tzinfo)
    return a < b


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _empty(value: Any) -> bool:
    """What a crawl that could not read a field gives: null, an empty string or list."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def value_refusal(doc: Mapping[str, Any]) -> str | None:
    """Why the store would refuse ``doc`` for its values, naming the field; ``None`` if it would
    not. Both back ends encode documents as BSON, so encoding it here finds what they refuse."""
    try:
        size = len(bson.encode(doc))
    except VALUE_ERRORS as exc:
        for name, value in doc.items():
            try:
                bson.encode({name: value})
            except VALUE_ERRORS as field_exc:
                return f"{name}: {_describe(field_exc)}"
        return _describe(exc)
    if size > MAX_DOCUMENT_BYTES:
        return f"document of {size} bytes, over the {MAX_DOCUMENT_BYTES} the store takes"
    return None


def article_refusal(doc: Mapping[str, Any]) -> str | None:
    """Why the store would refuse this article, or ``None``."""
    url = doc.get("canonical_url")
    if not isinstance(url, str) or not url:
        return "canonical_url: missing"
    return value_refusal(doc)


def _write_errors(exc: BulkWriteError) -> list[dict[str, Any]]:
    """The per-document errors of a bulk write; re-raised when the failure is the store's."""
    errors: list[dict[str, Any]] = exc.details.get("writeErrors") or []
    if not errors or exc.details.get("writeConcernErrors"):
        raise exc
    return errors


def _error_reason(error: Mapping[str, Any]) -> str:
    return f"write error {error.get('code')}: {error.get('errmsg', '')}"


def _merge(
    doc: Mapping[str, Any], old: Mapping[str, Any], now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields to ``$set`` on a stored article, and its new ``stale`` map.

    A field this crawl could not read keeps its stored value and enters ``stale`` with the time
    it was first missed; a field read again leaves ``stale``.
    """
    stale: dict[str, Any] = dict(old.get("stale") or {})
    fields: dict[str, Any] = {}
    for name in MUTABLE_FIELDS:
        if name not in doc:
            continue
        if name in KEPT_FIELDS and _empty(doc[name]) and not _empty(old.get(name)):
            stale.setdefault(name, now)
            continue
        stale.pop(name, None)
        fields[name] = doc[name]
    for tied, leader in TIED_FIELDS.items():
        if leader in doc and leader not in fields:
            fields.pop(tied, None)
    return fields, stale


class ArticleStore:
    """Articles, visit-statistics snapshots and run records in one database."""

    def __init__(
        self,
        db: Database[dict[str, Any]],
        description: str,
        embedded: bool,
        path: Path | None = None,
    ) -> None:
        self.db = db
        self.description = description  # safe to print: credentials masked
        self.embedded = embedded
        self.path = path  # the embedded database's folder (one SQLite file per collection)
        self._identity: dict[Path, tuple[int, int]] = {}
        self.articles = db[ARTICLES]
        self.site_stats = db[SITE_STATS]
        self.crawl_runs = db[CRAWL_RUNS]

    # -- the embedded store's files --------------------------------------------------------
    def remember_files(self) -> None:
        """Note which files the embedded store has open (device and inode), so that writes
        going to files deleted or replaced since are noticed (:meth:`check_files`)."""
        if self.path is None:
            return
        for name in (ARTICLES, SITE_STATS, CRAWL_RUNS):
            try:
                st = os.stat(self.path / name)
            except FileNotFoundError:
                continue
            self._identity[self.path / name] = (st.st_dev, st.st_ino)

    def check_files(self) -> None:
        """Raise :class:`UnacknowledgedWrites` if a file the store has open was deleted or
        replaced: SQLite goes on writing to the deleted file, and all of it is lost when the
        process ends (the embedded store's writes are acknowledged either way)."""
        for path, identity in self._identity.items():
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is None or (st.st_dev, st.st_ino) != identity:
                raise UnacknowledgedWrites(
                    f"embedded store file {path} was deleted or replaced while in use: writes "
                    "to it are lost"
                )

    @_damage_named
    def ensure_indexes(self) -> None:
        """Idempotent. An index that already exists under its name is not created again:
        MongoDB would do nothing, but litemongo re-checks a unique index against every stored
        document (every article decoded at each start of a crawl, a ``runs``, a ``report``:
        4 s at 80,000 articles, most of a ``runs`` command)."""
        specs: list[tuple[Any, Any, str, bool]] = [
            (self.articles, "canonical_url", "canonical_url_unique", True),
            (
                self.articles,
                [("site_id", ASCENDING), ("published_at", DESCENDING)],
                "site_published",
                False,
            ),
            (self.articles, "content_hash", "content_hash", False),
            (
                self.site_stats,
                [("site_id", ASCENDING), ("captured_at", DESCENDING)],
                "site_captured",
                False,
            ),
            (
                self.crawl_runs,
                [("site_id", ASCENDING), ("started_at", DESCENDING)],
                "site_started",
                False,
            ),
            (self.crawl_runs, "run_id", "run_id", False),
        ]
        existing: dict[str, set[str]] = {}
        for collection, keys, name, unique in specs:
            if collection.name not in existing:
                existing[collection.name] = set(collection.index_information())
            if name in existing[collection.name]:
                continue
            collection.create_index(keys, name=name, **({"unique": True} if unique else {}))
        if self.path is not None:  # the embedded store: what the national report reads
            from crawler.storage import articlefields, sitekeys

            for name in (CRAWL_RUNS, SITE_STATS):
                sitekeys.ensure_index(self.path / name)  # records by site
            articlefields.ensure_table(self.path / ARTICLES)  # the fields it counts

    # -- reads -------------------------------------------------------------------------
    @_damage_named
    def known(
        self, canonical_urls: list[str], fields: Iterable[str] = ()
    ) -> dict[str, dict[str, Any]]:
        """Stored articles among these URLs: ``{url: {published_at, views, content_hash}}``,
        plus the stored ``fields`` asked for."""
        found: dict[str, dict[str, Any]] = {}
        projection = {
            "canonical_url": 1,
            "published_at": 1,
            "views": 1,
            "content_hash": 1,
            "first_seen_at": 1,
            **dict.fromkeys(fields, 1),
        }
        for chunk in _chunks(sorted(set(canonical_urls)), LOOKUP_BATCH):
            for doc in self.articles.find({"canonical_url": {"$in": chunk}}, projection):
                found[doc["canonical_url"]] = doc
        return found

    @_damage_named
    def count_articles(self, query: Mapping[str, Any] | None = None) -> int:
        return int(self.articles.count_documents(dict(query or {})))

    # -- writes ------------------------------------------------------------------------
    @_damage_named
    def upsert_articles(self, docs: list[dict[str, Any]], now: datetime) -> WriteResult:
        """Bulk upsert keyed by ``canonical_url``.

        ``first_seen_at`` is set on insert only; mutable fields are ``$set``, except that a
        value this crawl could not read never replaces a stored one (it is kept, and named in
        ``stale``); a ``views_history`` entry is pushed only when the view count changed.
        A record the store refuses (a value BSON cannot hold, a write error naming it) is
        returned in ``refused`` and the rest of the batch is written.

        Every write is checked: the store must acknowledge each operation, every article
        written must be found in it afterwards, and (embedded) its files must still be the ones
        it opened; else :class:`UnacknowledgedWrites` is raised for the whole batch.
        """
        self.check_files()
        result = self._upsert_articles(docs, now)
        self.check_files()
        return result

    def _upsert_articles(self, docs: list[dict[str, Any]], now: datetime) -> WriteResult:
        result = WriteResult()
        by_url: dict[str, dict[str, Any]] = {}
        for doc in docs:  # the last copy of a URL in one batch wins, as sequential writes would
            reason = article_refusal(doc)
            if reason is None:
                by_url[doc["canonical_url"]] = doc
            else:
                result.refused.append(Refused(doc, reason))
        if not by_url:
            return result
        try:
            result.add(self._upsert_batch(by_url, now))
        except VALUE_ERRORS as exc:  # a value the check above let through: find its record
            if len(by_url) == 1:
                result.refused.extend(Refused(doc, _describe(exc)) for doc in by_url.values())
                return result
            logger.warning(
                "a batch of %d articles failed (%s); writing them one by one",
                len(by_url),
                _describe(exc),
            )
            for doc in by_url.values():
                result.add(self._upsert_articles([doc], now))
        return result

    def _upsert_batch(self, by_url: dict[str, dict[str, Any]], now: datetime) -> WriteResult:
        empty = {f for doc in by_url.values() for f in KEPT_FIELDS if f in doc and _empty(doc[f])}
        before = self.known(list(by_url), [*sorted(empty), "stale"])
        result = WriteResult(republished=self._mark_republished(by_url, before, now))
        plans = [self._plan(url, doc, before.get(url), now) for url, doc in by_url.items()]
        refused = self._bulk_write(plans)
        self._check_written([url for i, url in enumerate(by_url) if i not in refused])
        for index, plan in enumerate(plans):
            if index in refused:
                result.refused.append(Refused(plan.doc, refused[index]))
            else:
                setattr(result, plan.outcome, getattr(result, plan.outcome) + 1)
        return result

    @staticmethod
    def _plan(url: str, doc: dict[str, Any], old: dict[str, Any] | None, now: datetime) -> _Planned:
        stamps = {"last_seen_at": now, "views_checked_at": now}
        first_seen = doc.get("fetched_at") or now
        views = doc.get("views")
        history = {"at": now, "views": views}
        push = views is not None and (old is None or old.get("views") != views)
        if old is None:
            fields = {f: doc[f] for f in MUTABLE_FIELDS if f in doc}
            # another writer may store the URL first: its values are kept as on a re-crawl
            upsert = UpdateOne(
                {"canonical_url": url},
                {
                    "$set": {**{f: v for f, v in fields.items() if not _empty(v)}, **stamps},
                    "$setOnInsert": {
                        "first_seen_at": first_seen,
                        **{f: v for f, v in fields.items() if _empty(v)},
                    },
                    **({"$push": {"views_history": history}} if push else {}),
                },
                upsert=True,
            )
            # a plain insert is cheaper than an upsert (notably on the embedded store)
            new_doc = {"canonical_url": url, **fields, **stamps, "first_seen_at": first_seen}
            if views is not None:
                new_doc["views_history"] = [history]
            return _Planned(doc, InsertOne(new_doc), upsert, "new")
        fields, stale = _merge(doc, old, now)
        update: dict[str, Any] = {
            "$set": {**fields, **stamps},
            "$setOnInsert": {"first_seen_at": first_seen},
        }
        if stale:
            update["$set"]["stale"] = stale
        elif "stale" in old:
            update["$unset"] = {"stale": ""}
        if push:
            update["$push"] = {"views_history": history}
        upsert = UpdateOne({"canonical_url": url}, update, upsert=True)
        changed = (doc.get("content_hash") or old.get("content_hash")) != old.get("content_hash")
        outcome = "updated" if changed or push else "unchanged"
        return _Planned(doc, upsert, upsert, outcome)

    def _bulk_write(self, plans: list[_Planned]) -> dict[int, str]:
        """Write every plan; returns the refused ones: ``{index: reason}``.

        An insert that another process beat (the unique index refused it) is applied as an
        upsert to the document it made; any other per-document write error refuses that
        document only, the others being written (``ordered=False``).
        """
        try:
            done = self.articles.bulk_write([p.op for p in plans], ordered=False)
        except BulkWriteError as exc:
            errors = _write_errors(exc)
            _check_acknowledged(exc.details, len(plans), len(errors))
        else:
            _check_acknowledged(done, len(plans), 0)
            return {}
        refused = {e["index"]: _error_reason(e) for e in errors if e.get("code") != DUPLICATE_KEY}
        retry = [e["index"] for e in errors if e.get("code") == DUPLICATE_KEY]
        if retry:
            try:
                done = self.articles.bulk_write([plans[i].upsert for i in retry], ordered=False)
            except BulkWriteError as exc:
                retry_errors = _write_errors(exc)
                _check_acknowledged(exc.details, len(retry), len(retry_errors))
                for error in retry_errors:
                    refused[retry[error["index"]]] = _error_reason(error)
            else:
                _check_acknowledged(done, len(retry), 0)
        return refused

    def _check_written(self, urls: list[str]) -> None:
        """Every article just written is in the store (one ``$in`` count per batch)."""
        found = sum(
            self.articles.count_documents({"canonical_url": {"$in": chunk}})
            for chunk in _chunks(sorted(set(urls)), LOOKUP_BATCH)
        )
        if found < len(set(urls)):
            raise UnacknowledgedWrites(
                f"{len(set(urls)) - found} of {len(set(urls))} articles written are not in the "
                "store afterwards"
            )

    def _mark_republished(
        self, by_url: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]], now: datetime
    ) -> int:
        """Set ``duplicate_of`` from one ``$in`` query per batch (not one query per article).

        Only an article first seen *before* this one counts as its original, so re-crawling the
        original never marks it as a copy of its own republication.
        """
        hashes = {
            d["content_hash"]
            for d in by_url.values()
            if d.get("content_hash") and not d.get("duplicate_of")
        }
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

    @_damage_named
    def insert_site_stats(self, doc: dict[str, Any]) -> None:
        """One snapshot per site and run (idempotent, so a replayed spool adds nothing)."""
        self.check_files()
        _put_once(
            self.site_stats,
            f"{doc.get('run_id')}|{doc['site_id']}",
            doc,
            "site-statistics snapshot",
        )
        self.check_files()

    @_damage_named
    def record_run(self, doc: dict[str, Any]) -> None:
        self.check_files()
        _put_once(self.crawl_runs, f"{doc['run_id']}|{doc['site_id']}", doc, "run record")
        self.check_files()

    @_damage_named
    def recent_runs(self, site_id: str | None = None, last: int = 10) -> list[dict[str, Any]]:
        if self.embedded and self.path is not None:  # litemongo would sort every record
            from crawler.storage.recent import newest_runs

            runs = newest_runs(self.path / CRAWL_RUNS, site_id, last)
            if runs is not None:
                return runs
        query = {"site_id": site_id} if site_id else {}
        cursor = self.crawl_runs.find(query, {"_id": 0}).sort("started_at", DESCENDING).limit(last)
        return list(cursor)

    def close(self) -> None:
        self.db.client.close()
