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
            # the ids the crawler gives them (``<run id>|<site id>``, crawler/storage/store.py)
            key = f"{run_id}|{plan.id}"
            runs.append({**run_record(plan, run_id, started, rng), "_id": key})
            if plan.kind != "dead":
                captured = started + timedelta(seconds=2)
                stats.append({**stats_record(plan, run_id, captured, night), "_id": key})
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


WORDS = (
    "Ủy ban nhân dân",
    "tổ chức",
    "hội nghị",
    "triển khai",
    "kế hoạch",
    "chuyển đổi số",
    "nông thôn mới",
    "cải cách hành chính",
)


def article_record(
    plan: PortalPlan, n: int, published: datetime, checks: list[datetime], rng: random.Random
) -> dict[str, Any]:
    """One article as the crawler stores it (docs/schema.md), with a view count seen at each of
    ``checks`` (``views_history`` keeps the counts that changed)."""
    url = f"{plan.base_url}tin-tuc/bai-viet-{n}.html"
    body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(4))
    views = rng.randint(0, 200)
    history = []
    for at in checks:
        history.append({"at": at, "views": views})
        views += rng.randint(1, 60)
    last = history[-1]["views"] if history else None
    province = plan.province.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    return {
        "canonical_url": url,
        "url": url,
        "response_url": url,
        "site_id": plan.id,
        "cms": "vnportal",
        "province": province,
        "level": plan.level,
        "title": f"{plan.name}: {rng.choice(WORDS)} số {n}",
        "summary": body[:160],
        "body": body,
        "images": [],
        "author": "Văn phòng",
        "source": None,
        "category": "Tin tức",
        "published_at": published,
        "published_raw": published.strftime("%d/%m/%Y %H:%M"),
        "published_date_only": False,
        "views": last,
        "views_raw": None if last is None else str(last),
        "views_history": history,
        "views_checked_at": checks[-1] if checks else published,
        "content_hash": f"{plan.seed:08x}{n:032x}",
        "first_seen_at": checks[0] if checks else published,
        "last_seen_at": checks[-1] if checks else published,
        "missing": [],
    }


def synthesise_articles(
    data_dir: Path, plans: list[PortalPlan], per_site: int, nights: int, seed: int = 16
) -> float:
    """Write ``per_site`` articles for every portal but the dead ones, published over the last
    ``nights`` nights, each seen by a few of those nights' crawls; returns the seconds it took."""
    start = time.perf_counter()
    rng = random.Random(seed)
    store = open_store(None, data_dir)
    today = datetime.now(UTC).replace(hour=17, minute=0, second=0, microsecond=0)
    batch: list[dict[str, Any]] = []
    n = 0
    for plan in plans:
        if plan.kind == "dead":
            continue
        for k in range(per_site):
            night = max(1, nights - k * max(1, nights // max(1, per_site)))
            published = today - timedelta(days=night, hours=rng.randint(1, 12))
            checks = [today - timedelta(days=d) for d in range(night - 1, 0, -max(1, night // 4))][
                :5
            ]
            batch.append(article_record(plan, n, published, checks, rng))
            n += 1
            if len(batch) >= BATCH:
                store.articles.insert_many(batch)
                batch = []
    if batch:
        store.articles.insert_many(batch)
    store.close()
    return time.perf_counter() - start
