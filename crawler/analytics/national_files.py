"""The national overview from the embedded store's files, reading only what it needs.

* run records: each site's newest, read newest first by the records' keys
  (``report_history.run_window`` with a window of one run: about three records per site);
* visit snapshots: each site's rows newest first, by their keys, decoded only until two rows
  in a row were captured before the window's start (snapshots are written when taken, so a
  site's rows follow ``captured_at``; the second row guards against one written late);
* articles: no document is decoded. The few top-level fields the overview needs (``site_id``,
  ``province``, ``province_code``, ``published_at``, ``first_seen_at``) are cut out of the BSON
  bytes by their element headers: one byte for the type, the name, a NUL. Of these names only
  ``published_at`` may also appear deeper, in ``stale`` (docs/schema.md); an article whose
  ``stale`` comes before its ``published_at`` is decoded whole. The ROWIDs of every site's
  articles are kept, so the detail reads the chosen sites' articles only.

The result equals ``national_queries.national_by_queries`` on the same store (tests compare).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import bson

from crawler.analytics.national import NationalData, note_run, note_snapshot, window_start
from crawler.analytics.report_history import run_window, site_rows
from crawler.analytics.vntime import as_utc, vn_day_start
from crawler.storage import recent

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SITE = b"\x02site_id\x00"
CODE = b"\x02province_code\x00"
PROVINCE = b"\x02province\x00"
PUBLISHED = b"\x09published_at\x00"
SEEN = b"\x09first_seen_at\x00"
STALE = b"\x03stale\x00"
AHEAD = 12  # snapshots decoded at once per site (a week of nights, and the two guard rows)


def _ms(value: datetime) -> int:
    return (as_utc(value) - EPOCH) // timedelta(milliseconds=1)


def _date(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def _string(blob: bytes, header: bytes) -> str | None:
    at = blob.find(header)
    if at < 0:
        return None
    start = at + len(header) + 4
    size = int.from_bytes(blob[start - 4 : start], "little")
    return blob[start : start + size - 1].decode("utf-8", "replace")


def _millis(blob: bytes, at: int, header: bytes) -> int:
    start = at + len(header)
    return int.from_bytes(blob[start : start + 8], "little", signed=True)


def _published(blob: bytes) -> int | None:
    """``published_at`` in ms, or ``None`` (null or missing); decodes only an article whose
    ``stale`` map precedes the top-level field."""
    at = blob.find(PUBLISHED)
    if at < 0:
        return None
    if blob.find(STALE, 0, at) >= 0:
        value = bson.decode(blob).get("published_at")
        return _ms(value) if isinstance(value, datetime) else None
    return _millis(blob, at, PUBLISHED)


@dataclass
class ArticleRows:
    """What the overview takes from the articles, and each site's ROWIDs in write order."""

    rowids: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


def _articles(
    conn: sqlite3.Connection, since: date | None, sites: set[str] | None, data: NationalData
) -> ArticleRows:
    found = ArticleRows()
    since_ms = _ms(vn_day_start(since)) if since is not None else None
    fresh_ms = _ms(data.window_start)
    first = last = None
    groups: dict[tuple[Any, Any, Any], int] = defaultdict(int)
    new: dict[str, int] = defaultdict(int)
    for rowid, blob in conn.execute("SELECT ROWID, doc FROM documents ORDER BY ROWID"):
        site = _string(blob, SITE)
        if sites is not None and site not in sites:
            continue
        published = _published(blob)
        if since_ms is not None and (published is None or published < since_ms):
            continue
        groups[(_string(blob, CODE), _string(blob, PROVINCE), site)] += 1
        if site:
            found.rowids[site].append(rowid)
        if published is not None:
            data.dated += 1
            first = published if first is None else min(first, published)
            last = published if last is None else max(last, published)
        seen = blob.rfind(SEEN)
        if site and seen >= 0 and _millis(blob, seen, SEEN) >= fresh_ms:
            new[site] += 1
    if first is not None and last is not None:
        data.first, data.last = _date(first), _date(last)
    _add_groups(data, groups, new)
    return found


def _add_groups(
    data: NationalData, groups: dict[tuple[Any, Any, Any], int], new: dict[str, int]
) -> None:
    data.province_groups = dict(groups)
    for (_code, _province, site), n in groups.items():
        data.articles += n
        if isinstance(site, str) and site:
            data.line(site).articles += n
    for site, n in new.items():
        data.line(site).new = n


def _snapshots(conn: sqlite3.Connection, sites: set[str] | None, data: NationalData) -> None:
    start = data.window_start
    rows, decoded = site_rows(conn, sites)
    ahead = [r for ids in rows.values() for r in ids[:AHEAD] if r not in decoded]
    decoded.update(recent.documents_at(conn, ahead))
    for site, rowids in rows.items():
        line, below = data.line(site), 0
        for rowid in rowids:
            doc = decoded.get(rowid) or recent.document(conn, rowid)
            captured = doc.get("captured_at")
            if isinstance(captured, datetime) and as_utc(captured) < start:
                below += 1
                if below >= 2:
                    break
                continue
            below = 0
            note_snapshot(line, doc, start)


def national_from_files(
    folder: Path, since: date | None, sites: list[str] | None
) -> tuple[NationalData, ArticleRows]:
    """The overview of every site in scope from the collection files under ``folder``."""
    wanted = set(sites) if sites else None
    data = NationalData(window_start=window_start(since, None))
    newest: datetime | None = None
    if (folder / "crawl_runs").is_file():
        window = run_window(folder / "crawl_runs", None, sites, 1)
        data.last_finished = as_utc(window.last_finished) if window.last_finished else None
        for site, runs in window.runs.items():
            note_run(data.line(site), runs[0])
            started = (data.line(site).last_run or {}).get("started_at")
            if isinstance(started, datetime) and (newest is None or started > newest):
                newest = started
    data.window_start = window_start(since, newest)
    if (folder / "site_stats").is_file():
        with recent.read_only(folder / "site_stats") as conn:
            _snapshots(conn, wanted, data)
    rows = ArticleRows()
    if (folder / "articles").is_file():
        with recent.read_only(folder / "articles") as conn:
            rows = _articles(conn, since, wanted, data)
    for site in sites or []:
        data.line(site)
    return data, rows
