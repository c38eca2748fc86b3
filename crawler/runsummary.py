"""The one-line summary of a site's run, as ``crawl``, ``nightly``, ``runs`` and the crawl log
print it::

    2026-12-03 02:00+07:00 20261202T190000.123456Z nd-giaothuy: HEALTHY listing=2 article=5 new=5
    updated=0 unchanged=0 dropped=0 errors=0 [12 s, incremental] (problems, if any)

Times are Vietnam time (+07:00; Vietnam has no daylight saving time).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

# crawler.extract.dates.VN_TZ, not imported from there: ``runs`` needs no extraction stack
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(value: Any) -> datetime | None:
    """A stored time in Vietnam time (the embedded store gives back naive UTC)."""
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(VN_TZ)


def _duration(report: dict[str, Any]) -> str:
    start, end = local_time(report.get("started_at")), local_time(report.get("finished_at"))
    if start is None or end is None:
        return "?"
    seconds = int((end - start).total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def summary_lines(reports: list[dict[str, Any]]) -> list[str]:
    """One line per site: when it started (Vietnam time), run id, verdict, counts, how long,
    which mode, and the problems."""
    return [summary_line(r) for r in reports]


def summary_line(r: dict[str, Any]) -> str:
    """One run report (``crawl_runs`` record) as one line."""
    art = r.get("articles", {})
    started = local_time(r.get("started_at"))
    when = f"{started:%Y-%m-%d %H:%M}+07:00 " if started else ""  # Vietnam has no DST
    return (
        f"{when}{r.get('run_id', '?')} "
        f"{r.get('site_id')}: {str(r.get('verdict', '?')).upper()} "
        f"listing={r.get('pages', {}).get('listing', 0)} "
        f"article={r.get('pages', {}).get('article', 0)} new={art.get('new', 0)} "
        f"updated={art.get('updated', 0)} unchanged={art.get('unchanged', 0)} "
        f"dropped={sum(art.get('dropped', {}).values())} "
        f"errors={sum(r.get('errors', {}).values())} "
        f"[{_duration(r)}, {r.get('mode') or '?'}]"
        + (f" ({'; '.join(r['problems'])})" if r.get("problems") else "")
    )
