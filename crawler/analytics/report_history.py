"""The report's run records and visit snapshots from the embedded store's files, bounded.

The report shows, per site, its ``RUNS_PER_SITE`` newest runs and ``VISIT_POINTS`` newest visit
snapshots. litemongo answers each per-site query by building its in-memory index over every
record and copying the matches: minutes for 3,355 portals x 100 nights. Here:

* run records are read newest first by their keys (``<run id>|<site id>``: no document is
  decoded to know its site), and a site's documents are decoded only until its window is
  full and the next one finished before the window's oldest start. Run records are written
  when a site's run finishes, so a site's rows follow its ``finished_at``: once two records
  in a row finished before the window's oldest start, no record further back can be newer
  (the rule of ``crawler/storage/recent.py``, made safe against one record written late).
  About ``RUNS_PER_SITE + 2`` records are decoded per site, whatever the history's length;
* visit snapshots are decoded once each, in one pass (dates naive, many documents per call:
  a third of the cost of decoding them one by one with aware dates), and each site keeps its
  newest ``VISIT_POINTS``.

Same scope and projections as ``report_data.runs`` / ``report_data.visits`` on any store; the
tests compare both.
"""

from __future__ import annotations

import operator
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawler.analytics.vntime import vn_day_start
from crawler.storage import recent

RUN_FIELDS = (
    "run_id",
    "started_at",
    "finished_at",
    "mode",
    "verdict",
    "problems",
    "pages",
    "articles",
    "errors",
    "coverage",
    "site_moved_to",
)
VISIT_FIELDS = ("captured_at", "online", "today", "week", "month", "total")
_CAPTURED = operator.itemgetter("captured_at")


def _time_key(value: Any) -> tuple[bool, datetime]:
    """Sort key of a (naive UTC) date field: missing and null values before every date."""
    return (True, value) if isinstance(value, datetime) else (False, datetime.min)


# a run in a site's window: (started_at key, -ROWID, projected record); the largest is the
# newest, and of two runs started at the same time the one written first (the store's order)
_Entry = tuple[tuple[bool, datetime], int, dict[str, Any]]


@dataclass
class _SiteRuns:
    runs: list[_Entry] = field(default_factory=list)
    done: bool = False
    last_finished: datetime | None = None  # the newest finished_at seen
    below: tuple[bool, datetime] | None = None  # end of the last record, if it was too old

    def oldest_needed(self, per_site: int, start: datetime | None) -> tuple[bool, datetime] | None:
        """A record that finished before this cannot be in the window."""
        if len(self.runs) >= per_site:
            return self.runs[per_site - 1][0]
        return _time_key(start) if start is not None else None


@dataclass
class RunWindow:
    """Each site's ``per_site`` newest runs (newest first) and the newest ``finished_at`` of
    the sites in scope (``Overview.last_run``)."""

    runs: dict[str, list[dict[str, Any]]]
    last_finished: datetime | None


def _add_run(
    state: _SiteRuns, rowid: int, doc: dict[str, Any], per_site: int, start: datetime | None
) -> None:
    """Take one decoded record of the site (newest first in the file). The site is done after
    two records in a row that finished, in that order, before the window's oldest start: a
    record written late (a replayed spool, an aborted run recorded by the next one) cannot
    close the window alone."""
    finished = doc.get("finished_at")
    end = _time_key(finished)
    if isinstance(finished, datetime) and (
        state.last_finished is None or finished > state.last_finished
    ):
        state.last_finished = finished
    bound = state.oldest_needed(per_site, start)
    too_old = isinstance(finished, datetime) and bound is not None and end < bound
    if too_old and state.below is not None and end <= state.below:
        state.done = True
        return
    state.below = end if too_old else None
    started = doc.get("started_at")
    if start is not None and not (isinstance(started, datetime) and started >= start):
        return
    state.runs.append((_time_key(started), -rowid, {k: doc[k] for k in RUN_FIELDS if k in doc}))
    if len(state.runs) > 1 and state.runs[-1][:2] > state.runs[-2][:2]:
        state.runs.sort(key=lambda e: e[:2], reverse=True)
    del state.runs[per_site:]


SiteRows = tuple[dict[str, Sequence[int]], dict[int, dict[str, Any]]]


def site_rows(conn: sqlite3.Connection, wanted: set[str] | None = None) -> SiteRows:
    """Each site's ROWIDs, newest first, from the keys alone (read as far as used where the
    store's site index is: ``crawler.storage.sitekeys``); a record without a
    ``<run id>|<site id>`` key (an older one) is decoded here to know its site."""
    keyed, unkeyed = recent.rowids_by_site(conn)
    rows = {s: ids for s, ids in keyed.items() if s and (wanted is None or s in wanted)}
    decoded: dict[int, dict[str, Any]] = {}
    mixed: dict[str, list[int]] = defaultdict(list)
    for rowid, doc in recent.documents_at(conn, unkeyed).items():
        site = doc.get("site_id")
        if isinstance(site, str) and site and (wanted is None or site in wanted):
            decoded[rowid] = doc
            mixed[site].append(rowid)
    for site, extra in mixed.items():
        rows[site] = sorted([*rows.get(site, ()), *extra], reverse=True)
    return rows, decoded


def run_window(
    path: Path,
    since: date | None,
    sites: list[str] | None,
    per_site: int,
    found: SiteRows | None = None,
) -> RunWindow:
    """The newest runs per site from the ``crawl_runs`` file (read only); ``found``: its
    :func:`site_rows`, when already read."""
    start = vn_day_start(since).replace(tzinfo=None) if since is not None else None
    states: dict[str, _SiteRuns] = {}
    with recent.read_only(path) as conn:
        rows, decoded = _wanted(found or site_rows(conn), sites)
        ahead = [r for ids in rows.values() for r in ids[: per_site + 2] if r not in decoded]
        decoded.update(recent.documents_at(conn, ahead))  # most windows: no further read
        for site, rowids in rows.items():
            state = states[site] = _SiteRuns()
            for rowid in rowids:
                doc = decoded.get(rowid) or recent.document(conn, rowid)
                _add_run(state, rowid, doc, per_site, start)
                if state.done:
                    break
    ends = [s.last_finished for s in states.values() if s.last_finished is not None]
    return RunWindow(
        {site: [e[2] for e in states[site].runs] for site in sorted(states) if states[site].runs},
        max(ends, key=_time_key) if ends else None,
    )


def _wanted(found: SiteRows, sites: list[str] | None) -> SiteRows:
    rows, decoded = found
    if not sites:
        return rows, dict(decoded)
    return {s: rows[s] for s in sites if s in rows}, dict(decoded)


def _naive_key(doc: dict[str, Any]) -> tuple[bool, datetime]:
    value = doc.get("captured_at")
    return (True, value) if isinstance(value, datetime) else (False, datetime.min)


def _newest(rows: list[dict[str, Any]], points: int) -> list[dict[str, Any]]:
    """The ``points`` newest of rows in write order, oldest first: the store's stable sort,
    newest first (of two taken at the same time, the one written first), then reversed.
    Dates stay naive UTC, as the embedded store's aggregations give them."""
    if all(isinstance(row.get("captured_at"), datetime) for row in rows):
        kept = sorted(rows, key=_CAPTURED, reverse=True)[:points]
    else:
        kept = sorted(rows, key=_naive_key, reverse=True)[:points]
    kept.reverse()
    return kept


def _trim(rows: list[dict[str, Any]], points: int) -> None:
    """Keep the ``points`` newest rows, in write order."""
    newest = sorted(range(len(rows)), key=lambda i: _naive_key(rows[i]), reverse=True)
    rows[:] = [rows[i] for i in sorted(newest[:points])]


def _documents_of(
    conn: sqlite3.Connection, wanted: set[str] | None, found: SiteRows | None
) -> Iterator[dict[str, Any]]:
    """The documents in write order: all of them, or with ``found``, those of the wanted
    sites only, read by their ROWIDs."""
    if found is None or wanted is None:
        yield from recent.documents(conn, wanted, joined=True)
        return
    rows, decoded = _wanted(found, sorted(wanted))
    rowids = sorted(r for ids in rows.values() for r in ids)
    docs = recent.documents_at(conn, [r for r in rowids if r not in decoded])
    for rowid in rowids:
        yield decoded.get(rowid) or docs[rowid]


def visit_series(
    path: Path,
    since: date | None,
    sites: list[str] | None,
    points: int,
    found: SiteRows | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Each site's ``points`` newest snapshots, oldest first, from the ``site_stats`` file;
    ``found``: its :func:`site_rows`, when already read."""
    wanted = set(sites) if sites else None
    start = vn_day_start(since).replace(tzinfo=None) if since is not None else None
    by_site: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with recent.read_only(path) as conn:
        for doc in _documents_of(conn, wanted, found):
            site = doc.get("site_id")
            if not isinstance(site, str) or not site or (wanted is not None and site not in wanted):
                continue
            captured = doc.get("captured_at")
            if start is not None and not (isinstance(captured, datetime) and captured >= start):
                continue
            rows = by_site[site]
            rows.append({k: doc[k] for k in VISIT_FIELDS if k in doc})
            if len(rows) >= 2 * points:  # memory bounded by the window
                _trim(rows, points)
    return {site: _newest(by_site[site], points) for site in sorted(by_site)}
