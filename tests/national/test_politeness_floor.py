"""The politeness delay is a floor: no host gets two requests closer than its delay.

Checked on the server's own arrival times (``MiniPortal.arrivals``), with AutoThrottle on and
jitter on, which is how the nightly crawl runs. Before ``PoliteDownloader``, Scrapy's ±50%
jitter and AutoThrottle (which lowers a slot's delay down to ``DOWNLOAD_DELAY`` whatever the
profile says) let requests come at a fraction of the delay.
"""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from crawler.politeness import FloorSlot
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST

SITE = "nd-giaothuy"
FLOOR = 0.5  # s: the host's delay in DOWNLOAD_SLOTS (as a profile sets it)


def test_floor_slot_never_draws_below_its_floor() -> None:
    slot = FloorSlot(concurrency=1, delay=2.0, jitter=0.5, floor=2.0)
    assert min(slot.download_delay() for _ in range(2000)) >= 2.0
    assert max(slot.download_delay() for _ in range(2000)) <= 3.0
    slot.delay = 0.05  # AutoThrottle lowered it after fast answers
    assert min(slot.download_delay() for _ in range(2000)) >= 2.0
    slot.delay = 6.0  # a slow host: AutoThrottle may still slow it down
    assert min(slot.download_delay() for _ in range(200)) >= 6.0


def test_no_two_requests_to_a_host_closer_than_its_delay(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(SITE)
    slots = json.dumps({"127.0.0.1": {"delay": FLOOR, "concurrency": 1}})
    # FAST turns the profile delays and AutoThrottle off; put production politeness back on,
    # with a DOWNLOAD_DELAY far below the host's delay (AutoThrottle's lower limit)
    result = run_cli(
        "crawl",
        SITE,
        "--base-url",
        portal.base_url,
        "--full",
        *FAST,
        "-s",
        "AUTOTHROTTLE_ENABLED=True",
        "-s",
        "AUTOTHROTTLE_START_DELAY=0.01",
        "-s",
        "DOWNLOAD_DELAY=0.01",
        "-s",
        "DOWNLOAD_DELAY_JITTER=0.5",
        "-s",
        f"DOWNLOAD_SLOTS={slots}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert stored().count_articles({"site_id": SITE}) == 5
    arrivals = portal.arrivals
    assert len(arrivals) >= 8  # robots.txt, two listing pages, five articles
    gaps = [b - a for a, b in pairwise(arrivals)]
    assert min(gaps) >= FLOOR, [round(g, 3) for g in gaps]
    print("GAPS", [round(g, 3) for g in gaps])


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_floor_holds_when_the_event_loop_stalls(
    make_portal: MakePortal, run_cli: RunCli, where: str
) -> None:
    """A busy loop holds one request back after its slot let it go, then lets the next go on
    time: the floor is kept where requests leave (PoliteDownloadHandler), not only in the slot."""
    portal = make_portal(SITE)
    slots = json.dumps({"127.0.0.1": {"delay": FLOOR, "concurrency": 1}})
    handlers = json.dumps({"http": "tests.national.stall.StallingHandler"})
    result = run_cli(
        "crawl",
        SITE,
        "--base-url",
        portal.base_url,
        "--full",
        *FAST,
        "-s",
        "DOWNLOAD_DELAY=0.01",
        "-s",
        f"DOWNLOAD_SLOTS={slots}",
        "-s",
        f"DOWNLOAD_HANDLERS={handlers}",
        "-s",
        "STALL_SECONDS=0.3",
        "-s",
        f"STALL_WHERE={where}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    gaps = [b - a for a, b in pairwise(portal.arrivals)]
    assert len(gaps) >= 7
    assert min(gaps) >= FLOOR, [round(g, 3) for g in gaps]
