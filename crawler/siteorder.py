"""The order a night starts its sites in: the longest last time first.

The pool (``crawler/sitepool.py``) holds ``GOV_SITES_AT_ONCE`` places and the night ends when
its last site ends. Started in the registry's order, a very slow portal (8 s an answer, seven
requests: a minute) taken near the end runs alone for that minute after every other site is
done (measured at 3,355 portals: the last 50 s of a 185 s night had fewer than ten sites
running). Started first, it runs beside the others. This is longest-processing-time-first
scheduling: the night then ends within 4/3 of the best possible order's end.

How long each site took is kept in ``GOV_DATA_DIR/site_durations.json`` (site id -> seconds of
its last finished run), written at the end of every crawl and read at the start of the next;
a site never timed goes first (it may be slow, and nothing is lost: the order only changes
which site waits). ``GOV_LONGEST_FIRST = False`` keeps the order the sites are named in.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DURATIONS_FILE = "site_durations.json"


def durations_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / DURATIONS_FILE


def load_durations(data_dir: str | Path) -> dict[str, float]:
    """Each site's seconds in its last finished run; empty when none was kept or the file
    cannot be read (the night then runs in the order given, and says so in the log)."""
    path = durations_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning(
            "site durations not read (%s): %s; sites start in the given order", path, exc
        )
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}


def _job_site(job: dict[str, Any]) -> str | None:
    site = job.get("site")
    return str(site) if site else None


def longest_first(jobs: list[dict[str, Any]], durations: dict[str, float]) -> list[dict[str, Any]]:
    """``jobs`` with the sites that took longest last time first, those never timed before
    them all; ties keep the order given."""

    def last_time(job: dict[str, Any]) -> float:
        site = _job_site(job)
        return durations.get(site, float("inf")) if site else float("inf")

    return sorted(jobs, key=lambda job: -last_time(job))


def _seconds(report: dict[str, Any]) -> float | None:
    start, end = report.get("started_at"), report.get("finished_at")
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return None
    return max(0.0, (end - start).total_seconds())


def remember_durations(data_dir: str | Path, reports: Iterable[dict[str, Any]]) -> None:
    """Keep the seconds of every site this run finished (an incomplete run's time says nothing
    of the site: its earlier figure stays); the file is replaced whole, never half written."""
    found = {
        str(r["site_id"]): seconds
        for r in reports
        if r.get("site_id")
        and r.get("verdict") != "incomplete"
        and (seconds := _seconds(r)) is not None
    }
    if not found:
        return
    path = durations_path(data_dir)
    merged = {**load_durations(data_dir), **{k: round(v, 1) for k, v in found.items()}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(merged, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        logger.warning("site durations not kept (%s): %s", path, exc)
        tmp.unlink(missing_ok=True)
