"""The national overview of the report: one line per site, and which sites get full detail.

Past ``GOV_REPORT_DETAIL_SITES`` sites in scope, the report shows every site as one table row
(:class:`SiteLine`: last run, articles stored and new in the window, latest visit counters and
their change over the window) and full detail only for the sites that need attention, ranked by
:func:`rank`: last run failed or aborted, then unhealthy or incomplete, then no run in the
window, then the largest visit changes. The window is the report's ``--since`` day, or the
``WINDOW_DAYS`` days before the newest run record in scope (the store's own clock, so the same
store always gives the same report). Both ways of reading the store (``national_files``,
``national_queries``) fill the same :class:`NationalData`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from crawler.analytics.vntime import as_utc, vn_day_start

WINDOW_DAYS = 7
VISIT_COUNTERS = ("online", "today", "week", "month", "total")
RUN_KEYS = ("run_id", "started_at", "finished_at", "verdict")
SNAPSHOT_KEYS = ("captured_at", *VISIT_COUNTERS)
URGENCY = {"failed": 0, "aborted": 0, "unhealthy": 1, "incomplete": 1}
NO_RUN = 2  # no run started in the window
VISITS = 3  # ranked by the size of the visit change


@dataclass
class SiteLine:
    """One site of the overview (dates aware, UTC)."""

    site: str
    last_run: dict[str, Any] | None = None  # RUN_KEYS of the newest run (by started_at)
    articles: int = 0  # in the report's scope
    new: int = 0  # first seen in the window
    newest: dict[str, Any] | None = None  # newest visit snapshot in the window
    oldest: dict[str, Any] | None = None  # oldest visit snapshot in the window

    def change(self, counter: str = "total") -> int | None:
        """How much a visit counter grew over the window (``None`` if not measurable)."""
        if self.newest is None or self.oldest is None:
            return None
        new, old = self.newest.get(counter), self.oldest.get(counter)
        return new - old if isinstance(new, int) and isinstance(old, int) else None

    def urgency(self, start: datetime) -> int:
        verdict = str((self.last_run or {}).get("verdict") or "")
        if verdict in URGENCY:
            return URGENCY[verdict]
        started = (self.last_run or {}).get("started_at")
        if not isinstance(started, datetime) or started < start:
            return NO_RUN
        return VISITS

    def reason(self, start: datetime) -> str:
        level = self.urgency(start)
        if level < NO_RUN:
            return f"last run {(self.last_run or {}).get('verdict')}"
        if level == NO_RUN:
            return "no run in the window"
        return "visit change"


@dataclass
class NationalData:
    """The overview of every site in scope, and the totals of the report's overview cards."""

    window_start: datetime  # aware UTC
    since: date | None = None
    lines: dict[str, SiteLine] = field(default_factory=dict)
    articles: int = 0
    dated: int = 0
    first: datetime | None = None
    last: datetime | None = None
    last_finished: datetime | None = None
    # (province_code, province, site) -> articles, as report_data.province_rows takes them
    province_groups: dict[tuple[Any, Any, Any], int] = field(default_factory=dict)

    def line(self, site: str) -> SiteLine:
        found = self.lines.get(site)
        if found is None:
            found = self.lines[site] = SiteLine(site)
        return found

    def sorted_lines(self) -> list[SiteLine]:
        return [self.lines[s] for s in sorted(self.lines)]


@dataclass
class NationalView:
    """The overview of every site in scope, and the sites shown in detail (most urgent first)."""

    data: NationalData
    detail: list[str]
    limit: int


def window_start(since: date | None, newest_start: datetime | None) -> datetime:
    """The day ``--since`` starts (Vietnam time), else ``WINDOW_DAYS`` before the newest run."""
    if since is not None:
        return vn_day_start(since)
    if newest_start is None:
        return datetime.min.replace(tzinfo=UTC)
    return as_utc(newest_start) - timedelta(days=WINDOW_DAYS)


def _size(line: SiteLine) -> float:
    """The visit change relative to the counter at the window's start; unknown: last."""
    change = line.change()
    if change is None:
        return -1.0
    base = (line.oldest or {}).get("total")
    return abs(change) / max(base if isinstance(base, int) else 0, 1)


def rank(data: NationalData, limit: int) -> list[str]:
    """The ``limit`` sites that need attention most, in that order."""
    start = data.window_start

    def key(line: SiteLine) -> tuple[int, float, str]:
        return (line.urgency(start), -_size(line), line.site)

    return [line.site for line in sorted(data.lines.values(), key=key)[: max(limit, 0)]]


def _order(doc: dict[str, Any], when: str, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """Newer is larger; two records of the same time are ordered by their other values, so
    that the order they are read in does not matter."""
    at = doc.get(when)
    stamp = as_utc(at) if isinstance(at, datetime) else datetime.min.replace(tzinfo=UTC)
    return (isinstance(at, datetime), stamp, *(str(doc.get(k)) for k in keys))


def note_run(line: SiteLine, doc: dict[str, Any]) -> None:
    """Keep ``doc`` as the site's last run if it started later."""
    if line.last_run is None or _order(doc, "started_at", RUN_KEYS) > _order(
        line.last_run, "started_at", RUN_KEYS
    ):
        line.last_run = _pick(doc, RUN_KEYS)


def note_snapshot(line: SiteLine, doc: dict[str, Any], start: datetime) -> None:
    """Keep the newest and the oldest snapshot captured in the window."""
    captured = doc.get("captured_at")
    if not isinstance(captured, datetime):
        return
    at = as_utc(captured)
    if at < start:
        return
    newest, oldest = line.newest, line.oldest
    if (
        newest is None
        or at > newest["captured_at"]
        or (at == newest["captured_at"] and _later(doc, newest))
    ):
        line.newest = _pick(doc, SNAPSHOT_KEYS)
    if (
        oldest is None
        or at < oldest["captured_at"]
        or (at == oldest["captured_at"] and _later(oldest, doc))
    ):
        line.oldest = _pick(doc, SNAPSHOT_KEYS)


def _later(doc: dict[str, Any], kept: dict[str, Any]) -> bool:
    """Of two snapshots taken at the same time, the one with the larger values is the newer
    (any fixed order would do: the result must not depend on the order they are read in)."""
    return _order(doc, "captured_at", SNAPSHOT_KEYS) > _order(kept, "captured_at", SNAPSHOT_KEYS)


def _pick(doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {
        k: as_utc(doc[k]) if isinstance(doc.get(k), datetime) else doc.get(k)
        for k in keys
        if k in doc
    }
