"""The national overview's article counts from the embedded store's ``articles`` file.

Of each article only ``site_id``, ``province_code``, ``province``, ``published_at`` and
``first_seen_at`` are needed; they are cut out of the BSON bytes (``bsonfields``). Of these
names only ``published_at`` may also appear deeper, in ``stale``, whose fields keep their
earlier value at the top level (docs/schema.md): an article where it appears twice is decoded
whole.

Where the store keeps these fields (``crawler.storage.articlefields``: a table the documents'
triggers keep exact), only the documents written since the last report are read and cut, and
their fields are kept for the next one (unless a crawl is in progress); elsewhere every
document is read, as before. Both give the same counts (tests compare).
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

import bson

from crawler import runstate
from crawler.analytics import bsonfields as bf
from crawler.analytics.national import NationalData
from crawler.analytics.vntime import vn_day_start
from crawler.storage import articlefields, recent
from crawler.storage.articlefields import Fields

SITE = bf.header(bf.STRING, "site_id")
CODE = bf.header(bf.STRING, "province_code")
PROVINCE = bf.header(bf.STRING, "province")
PUBLISHED = bf.header(bf.DATE, "published_at")
SEEN = bf.header(bf.DATE, "first_seen_at")


def _published(blob: bytes) -> int | None:
    """``published_at`` in ms, or ``None`` (null or missing). Found twice, one is in
    ``stale``: the article is then decoded whole."""
    at = blob.find(PUBLISHED)
    if at < 0:
        return None
    if blob.rfind(PUBLISHED) != at:
        value = bson.decode(blob).get("published_at")
        return bf.to_ms(value) if isinstance(value, datetime) else None
    return int.from_bytes(
        blob[at + len(PUBLISHED) : at + len(PUBLISHED) + 8], "little", signed=True
    )


def cut(rowid: int, blob: bytes) -> Fields:
    """The fields of one stored article, from its bytes."""
    seen = blob.rfind(SEEN)  # near the end; never in stale
    start = seen + len(SEEN)
    return (
        rowid,
        bf.raw_string(blob, SITE),
        bf.raw_string(blob, CODE),
        bf.raw_string(blob, PROVINCE),
        _published(blob),
        int.from_bytes(blob[start : start + 8], "little", signed=True) if seen >= 0 else None,
    )


def _every_document(conn: sqlite3.Connection) -> Iterator[Fields]:
    for rowid, blob in conn.execute("SELECT ROWID, doc FROM documents ORDER BY ROWID"):
        yield cut(rowid, blob)


def _in_progress(folder: Path) -> bool:
    """A crawl is writing to this store (``<data>/store/<database>``): its run marker."""
    return runstate.marker_path(folder.parents[1]).exists()


def article_fields(conn: sqlite3.Connection, folder: Path) -> Iterable[Fields]:
    """Every article's fields in ROWID order: those kept, and those of the documents written
    since, cut now (and kept for the next report unless a crawl is in progress)."""
    found = articlefields.kept(conn)
    if found is None:
        return _every_document(conn)
    rows, missing = found
    if not missing:
        return rows
    blobs = recent.blobs_at(conn, missing)
    fresh = [cut(rowid, blobs[rowid]) for rowid in missing if rowid in blobs]
    if not _in_progress(folder):
        articlefields.keep(folder / "articles", ((f, blobs[f[0]]) for f in fresh))
    return heapq.merge(rows, fresh)


def tally(
    fields: Iterable[Fields], since: date | None, sites: set[str] | None, data: NationalData
) -> dict[str, list[int]]:
    """Count the articles in scope into ``data``; returns each site's ROWIDs in write order."""
    since_ms = bf.to_ms(vn_day_start(since)) if since is not None else None
    fresh_ms = bf.to_ms(data.window_start)
    wanted = {s.encode() for s in sites} if sites is not None else None
    dates: list[int] = []
    groups: dict[tuple[bytes | None, bytes | None, bytes | None], int] = defaultdict(int)
    new: dict[bytes, int] = defaultdict(int)
    rowids: dict[bytes, list[int]] = defaultdict(list)
    for rowid, site, code, province, published, seen in fields:
        if wanted is not None and site not in wanted:
            continue
        if published is None and since_ms is not None:
            continue
        if since_ms is not None and published is not None and published < since_ms:
            continue
        if published is not None:
            dates.append(published)
        groups[(code, province, site)] += 1
        if site:
            rowids[site].append(rowid)
            if seen is not None and seen >= fresh_ms:
                new[site] += 1
    data.dated = len(dates)
    if dates:
        data.first, data.last = bf.from_ms(min(dates)), bf.from_ms(max(dates))
    _add_groups(data, groups, new)
    return {_text(site) or "": ids for site, ids in rowids.items()}


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace")


def _add_groups(
    data: NationalData,
    groups: dict[tuple[bytes | None, bytes | None, bytes | None], int],
    new: dict[bytes, int],
) -> None:
    for (code, province, raw_site), n in groups.items():
        site = _text(raw_site)
        data.province_groups[(_text(code), _text(province), site)] = n
        data.articles += n
        if site:
            data.line(site).articles += n
    for raw_site, n in new.items():
        data.line(_text(raw_site) or "").new = n
