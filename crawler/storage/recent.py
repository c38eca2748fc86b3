"""The newest run records of the embedded store, read from the end of its file.

litemongo answers ``find().sort("started_at", -1).limit(n)`` by decoding, copying and sorting
every record of ``crawl_runs`` (and building its in-memory query index first): 12 s for
30,000 records (300 portals x 100 nights), minutes for a national history. Run records are
written when a site's run finishes, so the file's row order follows ``finished_at``; this reads
rows newest first, in chunks, straight from the collection's SQLite file (read-only; the BSON
documents litemongo stores; for one site only the rows that hold its id are decoded), and
stops once a whole chunk finished before the ``last``-th newest start found so far: no record
further back can be newer. Same result as the query
(newest ``started_at`` first, at most ``last``), for the ``runs`` command.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import bson

from crawler.storage import sitekeys

CHUNK = 500
_CODEC: bson.CodecOptions[dict[str, Any]] = bson.CodecOptions(tz_aware=True)
_ROWID = operator.itemgetter(0)
NAIVE: bson.CodecOptions[dict[str, Any]] = bson.CodecOptions(tz_aware=False)


def _started(doc: dict[str, Any]) -> datetime | None:
    value = doc.get("started_at")
    return value if isinstance(value, datetime) else None


def _key(doc: dict[str, Any]) -> tuple[bool, Any]:
    started = _started(doc)
    return (started is not None, started.timestamp() if started else 0.0)


def newest_runs(path: Path, site_id: str | None, last: int) -> list[dict[str, Any]] | None:
    """The ``last`` newest run records (of ``site_id``, or of every site), or ``None`` when the
    file cannot be read this way (the caller then asks the store)."""
    if last <= 0 or not path.is_file():
        return [] if last <= 0 else None
    found: list[dict[str, Any]] = []
    # a record of the site holds its id as a BSON string (length, bytes, NUL): skip the others
    # without decoding them
    needle = None if site_id is None else site_id.encode() + b"\x00"
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            below = conn.execute("SELECT max(ROWID) FROM documents").fetchone()[0]
            while below:
                rows = conn.execute(
                    "SELECT ROWID, doc FROM documents WHERE ROWID <= ? ORDER BY ROWID DESC LIMIT ?",
                    (below, CHUNK),
                ).fetchall()
                if not rows:
                    break
                below = rows[-1][0] - 1
                for _rowid, blob in rows:
                    if needle is not None and needle not in blob:  # another site's record
                        continue
                    doc = bson.decode(blob, codec_options=_CODEC)
                    doc.pop("_id", None)
                    if site_id is None or doc.get("site_id") == site_id:
                        found.append(doc)
                found.sort(key=_key, reverse=True)
                del found[last:]
                if len(found) == last:
                    # the chunk's newest row finished last of it (rows follow finished_at)
                    kth = _started(found[-1])
                    head = bson.decode(rows[0][1], codec_options=_CODEC)
                    end = head.get("finished_at") or head.get("started_at")
                    if kth is not None and isinstance(end, datetime) and end < kth:
                        break
    except (sqlite3.OperationalError, bson.errors.BSONError):
        return None  # cannot be read this way (locked, not a litemongo file): ask the store
    return found  # a damaged file (sqlite3.DatabaseError) is for the store to name


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to one collection file of the embedded store."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def site_of_key(key: Any) -> str | None:
    """The site id in a store key ``s:<run id>|<site id>`` (run records and visit snapshots,
    docs/schema.md); ``None`` for any other key (an ObjectId of an older record)."""
    if isinstance(key, str) and key.startswith("s:") and "|" in key:
        return key.split("|", 1)[1]
    return None


def _may_be_of(key: Any, sites: set[str]) -> bool:
    site = site_of_key(key)
    return site is None or site in sites


def keys_newest_first(conn: sqlite3.Connection) -> list[tuple[int, str | None]]:
    """``(ROWID, site id from the key)`` of every row, the last written first, without reading
    the documents: SQLite reads the keys' index (a few MB, where the table holds every
    document) and cuts the site id out of each key."""
    rows = conn.execute(
        "SELECT ROWID, CASE WHEN _id LIKE 's:%|%' THEN substr(_id, instr(_id, '|') + 1) END "
        "FROM documents"
    ).fetchall()
    rows.sort(key=_ROWID, reverse=True)
    return rows


_SITE_OF_KEY = "CASE WHEN _id LIKE 's:%|%' THEN substr(_id, instr(_id, '|') + 1) END"


def rowids_by_site(conn: sqlite3.Connection) -> tuple[dict[str, Sequence[int]], list[int]]:
    """Each site's ROWIDs, the last written first, from the keys alone, and the ROWIDs whose
    key names no site (records written before keys named them), also last written first.
    With the store's site index (``crawler.storage.sitekeys``) each site's rows are read from
    it as far as they are used; without it SQLite groups every key (a few strings cross into
    Python)."""
    if sitekeys.has_index(conn):
        by_site, unkeyed_rows = sitekeys.rowids_by_site(conn)
        return dict(by_site), unkeyed_rows
    found: dict[str, Sequence[int]] = {}
    unkeyed: list[int] = []
    query = f"SELECT {_SITE_OF_KEY} AS site, group_concat(ROWID) FROM documents GROUP BY site"
    for site, joined in conn.execute(query):
        rowids = sorted(map(int, joined.split(",")), reverse=True)
        if site is None:
            unkeyed = rowids
        else:
            found[site] = rowids
    return found, unkeyed


def blobs_at(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, bytes]:
    """The BSON bytes stored at these ROWIDs, undecoded, in a few queries."""
    found: dict[int, bytes] = {}
    for i in range(0, len(rowids), CHUNK):
        chunk = rowids[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT ROWID, doc FROM documents WHERE ROWID IN ({marks})"
        found.update(conn.execute(query, chunk).fetchall())
    return found


def documents_at(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, dict[str, Any]]:
    """The documents stored at these ROWIDs (dates naive, UTC), in a few queries (each
    decoding many documents in one call)."""
    found: dict[int, dict[str, Any]] = {}
    for i in range(0, len(rowids), CHUNK):
        chunk = rowids[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT ROWID, doc FROM documents WHERE ROWID IN ({marks})"
        rows = conn.execute(query, chunk).fetchall()
        docs = bson.decode_all(b"".join(blob for _, blob in rows), NAIVE)
        found.update(zip((rowid for rowid, _ in rows), docs, strict=True))
    return found


def document(conn: sqlite3.Connection, rowid: int) -> dict[str, Any]:
    """The document stored at ``rowid``, dates naive (UTC)."""
    (blob,) = conn.execute("SELECT doc FROM documents WHERE ROWID = ?", (rowid,)).fetchone()
    return bson.decode(blob, codec_options=NAIVE)


def documents(
    conn: sqlite3.Connection, sites: set[str] | None = None, joined: bool = False
) -> Iterator[dict[str, Any]]:
    """Every document in write order, streamed, dates naive (UTC: decoding aware dates costs
    twice as much); with ``sites``, a row whose key names another site is skipped without
    decoding it. ``joined`` decodes ``CHUNK`` small documents in one call."""
    cursor = conn.execute("SELECT _id, doc FROM documents ORDER BY ROWID")
    while rows := cursor.fetchmany(CHUNK):
        if sites is not None:
            rows = [(k, b) for k, b in rows if _may_be_of(k, sites)]
        if joined:
            yield from bson.decode_all(b"".join(b for _, b in rows), NAIVE)
        else:
            for _, blob in rows:
                yield bson.decode(blob, codec_options=NAIVE)
