"""Earlier nights for a national benchmark: run records and site statistics for every portal.

``synthesise(data_dir, plans, nights)`` writes, for each of ``nights`` nights before today, one
``crawl_runs`` record and one ``site_stats`` snapshot per portal into the embedded store under
``data_dir``, shaped as the crawler writes them (run id, site id, times, pages, article counts,
errors, coverage, verdict), so ``runs`` and ``report`` are timed against a year-like history
without crawling it. Inserted in bulk (``insert_many``), with the store's indexes in place.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._national_plan import PortalPlan
from crawler.storage import open_store

BATCH = 5000


def run_record(
    plan: PortalPlan, run_id: str, started: datetime, rng: random.Random
) -> dict[str, Any]:
    dead = plan.kind == "dead"
    new = 0 if dead else rng.randint(0, 5)
    return {
        "run_id": run_id,
        "site_id": plan.id,
        "cms": "vnportal",
        "mode": "incremental",
        "started_at": started,
        "finished_at": started + timedelta(seconds=rng.randint(5, 90)),
        "finish_reason": "finished",
        "pages": {
            "listing": 0 if dead else 2,
            "article": new,
            "responses": 0 if dead else 3 + new,
            "requests": 3 + new,
        },
        "articles": {
            "links_seen": 0 if dead else 20,
            "extracted": new,
            "valid": new,
            "new": new,
            "updated": 0,
            "unchanged": 0,
            "duplicate_url": 0,
            "republished": 0,
            "skipped_known": 0 if dead else 20 - new,
            "refreshed": 0,
            "dropped": {},
            "spooled": 0,
            "received": new + (0 if dead else 1),
            "dead_lettered": 0,
            "unacknowledged": 0,
            "unaccounted": 0,
        },
        "listing": {"source": "pages", "layout_free": 0, "postback_pager": False},
        "errors": {"timeout": 2} if dead else {},
        "fallbacks": {},
        "methods": {},
        "coverage": {}
        if dead
        else {"title": 1.0, "body": 1.0, "published_at": 1.0, "views": 1.0, "author": 0.9},
        "site_moved_to": None,
        "worker": None,
        "verdict": "failed" if dead else "healthy",
        "problems": ["no listing page could be fetched"] if dead else [],
    }


def stats_record(plan: PortalPlan, run_id: str, captured: datetime, night: int) -> dict[str, Any]:
    total = 1_000_000 + plan.seed * 1000 + night * 350
    return {
        "site_id": plan.id,
        "url": plan.base_url,
        "captured_at": captured,
        "online": 40,
        "today": 350,
        "yesterday": None,
        "week": 2400,
        "month": None,
        "total": total,
        "run_id": run_id,
        "province_code": None,
        "extra": {},
    }


def synthesise(data_dir: Path, plans: list[PortalPlan], nights: int, seed: int = 16) -> float:
    """Write ``nights`` earlier nights for every portal; returns the seconds it took."""
    start = time.perf_counter()
    rng = random.Random(seed)
    store = open_store(None, data_dir)
    today = datetime.now(UTC).replace(hour=17, minute=0, second=0, microsecond=0)
    runs: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []
    for night in range(nights, 0, -1):
        began = today - timedelta(days=night)
        run_id = began.strftime("%Y%m%dT%H%M%S.000000Z")
        for i, plan in enumerate(plans):
            started = began + timedelta(seconds=i * 0.05)
            runs.append(run_record(plan, run_id, started, rng))
            if plan.kind != "dead":
                stats.append(stats_record(plan, run_id, started + timedelta(seconds=2), night))
        if len(runs) >= BATCH:
            store.crawl_runs.insert_many(runs)
            store.site_stats.insert_many(stats)
            runs, stats = [], []
    if runs:
        store.crawl_runs.insert_many(runs)
    if stats:
        store.site_stats.insert_many(stats)
    store.close()
    return time.perf_counter() - start
