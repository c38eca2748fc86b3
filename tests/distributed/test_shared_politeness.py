"""Shared politeness: a portal's delay holds across all workers of a shared crawl, via Redis."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.miniportal import MiniPortal
from crawler.politeness import HostBooking, booking_from_settings, host_delay
from tests.distributed.test_two_workers import start_worker
from tests.miniportals.generate import generate_portal

pytestmark = pytest.mark.redis

DELAY = 0.25


SETTINGS = {"DOWNLOAD_DELAY": DELAY, "DOWNLOAD_SLOTS": {"slow.gov.vn": {"delay": 2.0}}}


def booking(redis_url: str, **settings: object) -> HostBooking | None:
    crawler = get_crawler(settings_dict={"GOV_REDIS_URL": redis_url, **SETTINGS, **settings})
    return booking_from_settings(crawler)


def test_workers_book_one_host_one_delay_apart(redis_url: str) -> None:
    worker_a, worker_b = booking(redis_url), booking(redis_url)
    assert worker_a is not None and worker_b is not None
    host = f"{uuid.uuid4().hex[:6]}.gov.vn"
    waits = [w.reserve(host, DELAY) for w in (worker_a, worker_b, worker_a, worker_b)]
    # whichever worker asks, the k-th request of the host is booked k delays from the first
    for k, wait in enumerate(waits):
        assert k * DELAY - 0.05 <= wait <= k * DELAY, waits
    assert worker_b.reserve("other.gov.vn", DELAY) == 0  # hosts are independent


def test_the_profile_delay_of_a_host_wins() -> None:
    settings = get_crawler(settings_dict=SETTINGS).settings
    assert host_delay(settings, "slow.gov.vn") == 2.0
    assert host_delay(settings, "x.gov.vn") == DELAY


def test_booking_only_in_a_shared_crawl(redis_url: str) -> None:
    assert booking_from_settings(get_crawler(settings_dict={"GOV_REDIS_URL": ""})) is None
    assert booking(redis_url, GOV_SHARED_POLITENESS=False) is None


def test_two_workers_together_keep_the_portal_delay(tmp_path: Path, redis_url: str) -> None:
    site = generate_portal(tmp_path / "portal", 12, per_page=4, in_memory=True)
    portal = MiniPortal(tmp_path / "portal", renderer=site.render)
    portal.start()
    job = f"polite-{uuid.uuid4().hex[:8]}"
    # the production delay settings (jitter, AutoThrottle), two requests at a time per worker so
    # that both workers hold work for the one portal
    delay = ("DOWNLOAD_DELAY=0.2", "AUTOTHROTTLE_ENABLED=True", "CONCURRENT_REQUESTS=2")
    try:
        workers = [
            start_worker(name, portal, redis_url, job, tmp_path / "data", tmp_path, *delay)
            for name in ("worker-a", "worker-b")
        ]
        outputs = [proc.communicate(timeout=240) for proc in workers]
    finally:
        portal.stop()
    for proc, (out, err) in zip(workers, outputs, strict=True):
        assert proc.returncode == 0, f"{out}\n{err[-3000:]}"
        assert "Traceback" not in err
    assert len(site.article_paths()) == 12
    assert sum(portal.hits(p) for p in site.article_paths()) == 12
    assert all(n > 0 for ua, n in portal.user_agents.items() if ua.startswith("gov-crawler-test"))
    # every request to the portal, from either worker, at least one delay after the one before
    # (a little slack for the network between the booking and the server)
    gaps = [b - a for a, b in zip(portal.arrivals, portal.arrivals[1:], strict=False)]
    assert len(gaps) >= 15
    assert min(gaps) >= 0.2 * 0.8, sorted(gaps)[:5]
