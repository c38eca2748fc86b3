"""The national overview from the embedded store's files, reading only what it needs.

Documents are hardly decoded: the few top-level fields the overview needs are cut out of the
BSON bytes (``bsonfields``), and only the records it shows are decoded.

* run records: each site's rows newest first, by their keys (``<run id>|<site id>``; from the
  store's site index, ``crawler.storage.sitekeys``, where it has one), until two
  rows in a row finished before the newest start found (the rule of ``report_history``: rows
  follow ``finished_at``, the second row guards against one written late); the newest run is
  then decoded (several, if they started at the same time);
* visit snapshots: each site's rows newest first, until two rows in a row were captured before
  the window's start (snapshots are written when taken); the newest and the oldest in the
  window are decoded;
* articles: ``site_id``, ``province``, ``province_code``, ``published_at`` and
  ``first_seen_at`` of each (``national_articles``: kept by the store, cut out of the bytes of
  the documents written since). Each site's ROWIDs are kept, so the detail decodes the chosen
  sites' articles only.

Run records and snapshots have no embedded document with these names. The result equals
``national_queries.national_by_queries`` on the same store (tests compare).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import bson

from crawler.analytics import bsonfields as bf
from crawler.analytics import national_articles
from crawler.analytics.national import (
    WINDOW_DAYS,
    NationalData,
    note_run,
    note_snapshot,
    window_start,
)
from crawler.analytics.report_history import SiteRows, site_rows
from crawler.storage import recent

STARTED = bf.header(bf.DATE, "started_at")
FINISHED = bf.header(bf.DATE, "finished_at")
CAPTURED = bf.header(bf.DATE, "captured_at")
AHEAD = WINDOW_DAYS + 3  # snapshots read at once per site: a window of nights, 2 guards
RUNS_AHEAD = 4  # run records read at once per site: the newest, 2 guards, one late


@dataclass
class FileRows:
    """Where each site's records are, for the detail: its articles' ROWIDs in write order,
    and the run records' and snapshots' :func:`~crawler.analytics.report_history.site_rows`."""

    rowids: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    runs: SiteRows | None = None
    stats: SiteRows | None = None


def _rows_ahead(
    conn: sqlite3.Connection, rows: dict[str, Sequence[int]], ahead: int
) -> dict[int, bytes]:
    return recent.blobs_at(conn, [r for ids in rows.values() for r in ids[:ahead]])


def _blob(conn: sqlite3.Connection, blobs: dict[int, bytes], rowid: int) -> bytes:
    found = blobs.get(rowid)
    return found if found is not None else recent.blobs_at(conn, [rowid])[rowid]


def _decoded(
    conn: sqlite3.Connection, found: SiteRows, blobs: dict[int, bytes], rowid: int
) -> dict[str, Any]:
    doc = found[1].get(rowid)
    if doc is None:
        doc = bson.decode(_blob(conn, blobs, rowid), codec_options=recent.NAIVE)
    return doc


def _window_rows(
    conn: sqlite3.Connection, blobs: dict[int, bytes], found: SiteRows, site: str, start: int
) -> list[tuple[int, int]]:
    """``(captured ms, ROWID)`` of the site's snapshots in the window, newest first."""
    kept: list[tuple[int, int]] = []
    below = 0
    for rowid in found[0][site]:
        doc = found[1].get(rowid)
        if doc is not None:  # an older record, decoded to know its site
            value = doc.get("captured_at")
            captured = bf.to_ms(value) if isinstance(value, datetime) else None
        else:
            captured = bf.millis(_blob(conn, blobs, rowid), CAPTURED)
        if captured is None:
            continue
        if captured < start:
            below += 1
            if below >= 2:
                break
            continue
        below = 0
        kept.append((captured, rowid))
    return kept


def _snapshots(conn: sqlite3.Connection, found: SiteRows, data: NationalData) -> None:
    start = bf.to_ms(data.window_start)
    blobs = _rows_ahead(conn, found[0], AHEAD)
    for site in found[0]:
        kept = _window_rows(conn, blobs, found, site, start)
        if not kept:
            continue
        newest, oldest = max(kept)[0], min(kept)[0]
        line = data.line(site)
        for captured, rowid in kept:  # ties: note_snapshot orders them by their values
            if captured in (newest, oldest):
                note_snapshot(line, _decoded(conn, found, blobs, rowid), data.window_start)


def _run_times(doc: dict[str, Any] | None, blob: bytes | None) -> tuple[int | None, int | None]:
    if doc is not None:
        started, finished = doc.get("started_at"), doc.get("finished_at")
        return (
            bf.to_ms(started) if isinstance(started, datetime) else None,
            bf.to_ms(finished) if isinstance(finished, datetime) else None,
        )
    assert blob is not None
    return bf.millis(blob, STARTED), bf.millis(blob, FINISHED)


def _newest_runs(
    conn: sqlite3.Connection, blobs: dict[int, bytes], found: SiteRows, site: str
) -> tuple[list[int], int | None]:
    """The ROWIDs of the site's newest run (several if started at the same time) and its
    newest ``finished_at`` (ms)."""
    best: tuple[bool, int] | None = None
    chosen: list[int] = []
    last: int | None = None
    below: int | None = None
    for rowid in found[0][site]:
        doc = found[1].get(rowid)
        started, finished = _run_times(doc, None if doc is not None else _blob(conn, blobs, rowid))
        if finished is not None:
            last = finished if last is None else max(last, finished)
        too_old = finished is not None and best is not None and (True, finished) < best
        if too_old and below is not None and finished is not None and finished <= below:
            break
        below = finished if too_old else None
        key = (started is not None, started if started is not None else 0)
        if best is None or key > best:
            best, chosen = key, [rowid]
        elif key == best:
            chosen.append(rowid)
    return chosen, last


def _runs(folder: Path, sites: list[str] | None, data: NationalData, rows: FileRows) -> None:
    path = folder / "crawl_runs"
    if not path.is_file():
        return
    newest: datetime | None = None
    with recent.read_only(path) as conn:
        rows.runs = found = site_rows(conn, set(sites) if sites else None)
        blobs = _rows_ahead(conn, found[0], RUNS_AHEAD)
        for site in found[0]:
            chosen, last = _newest_runs(conn, blobs, found, site)
            line = data.line(site)
            for rowid in chosen:
                note_run(line, _decoded(conn, found, blobs, rowid))
            if last is not None:
                end = bf.from_ms(last)
                data.last_finished = max(data.last_finished or end, end)
            started = (line.last_run or {}).get("started_at")
            if isinstance(started, datetime) and (newest is None or started > newest):
                newest = started
    data.window_start = window_start(data.since, newest)


def national_from_files(
    folder: Path, since: date | None, sites: list[str] | None
) -> tuple[NationalData, FileRows]:
    """The overview of every site in scope from the collection files under ``folder``."""
    wanted = set(sites) if sites else None
    data = NationalData(window_start=window_start(since, None), since=since)
    rows = FileRows()
    _runs(folder, sites, data, rows)
    if (folder / "site_stats").is_file():
        with recent.read_only(folder / "site_stats") as conn:
            rows.stats = site_rows(conn, wanted)
            _snapshots(conn, rows.stats, data)
    if (folder / "articles").is_file():
        with recent.read_only(folder / "articles") as conn:
            fields = national_articles.article_fields(conn, folder)
            rows.rowids = national_articles.tally(fields, since, wanted, data)
    for site in sites or []:
        data.line(site)
    return data, rows
