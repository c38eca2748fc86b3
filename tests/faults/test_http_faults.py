"""HTTP faults on the local server: every one ends in a counted outcome and a verdict, never a hang."""

from __future__ import annotations

import socket
from typing import Any

from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST, add_listing_links

SITE = "nd-giaothuy"
LISTING = "/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/"
SEED = "/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"
BOUNDED = [
    "-s",
    "DOWNLOAD_TIMEOUT=2",
    "-s",
    "RETRY_TIMES=2",
    "-s",
    "GOV_RETRY_AFTER_MAX=5",
    "-s",
    "DOWNLOAD_MAXSIZE=1000000",
    "-s",
    "DNS_TIMEOUT=3",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_article_level_faults_in_one_crawl(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(SITE)
    seed_file = {"file": "article-37511.html"}
    faults: dict[str, dict[str, Any]] = {
        "/tin-moi/flaky-503-90001": {**seed_file, "fail_times": 2, "fail_status": 503},
        "/tin-moi/flaky-500-90002": {**seed_file, "fail_times": 1, "fail_status": 500},
        "/tin-moi/rate-limited-90003": {
            **seed_file,
            "fail_times": 1,
            "fail_status": 429,
            "fail_headers": {"Retry-After": "1"},
        },
        "/tin-moi/rate-limited-long-90004": {
            **seed_file,
            "fail_times": 5,
            "fail_status": 429,
            "fail_headers": {"Retry-After": "3600"},
        },
        "/tin-moi/slow-90005": {**seed_file, "delay": 4},
        # a redirect loop whose URLs keep changing, so only REDIRECT_MAX_TIMES stops it
        "/tin-moi/loop-90006": {"status": 302, "headers": {"Location": "/tin-moi/loop-90006?n=1"}},
        **{
            f"/tin-moi/loop-90006?n={i}": {
                "status": 302,
                "headers": {"Location": f"/tin-moi/loop-90006?n={i + 1}"},
            }
            for i in range(1, 12)
        },
        "/tin-moi/too-big-90008": {"body": "<p>" + "x" * 1_500_000 + "</p>"},
        "/tin-moi/private/secret-90009": seed_file,
        "/tin-moi/gone-90010": {"status": 404, "body": "not found"},
        "/robots.txt": {
            "body": "User-agent: *\nDisallow: /tin-moi/private/\n",
            "content_type": "text/plain",
        },
    }
    portal.routes.update(faults)
    add_listing_links(portal.folder, [p for p in faults if p != "/robots.txt" and "?n=" not in p])
    result = run_cli("crawl", SITE, "--base-url", portal.base_url, "--full", *FAST, *BOUNDED)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2)
    run = stored().recent_runs(SITE)[0]
    errors = run["errors"]
    # 503 twice then 200, and 500 once then 200: retried and stored (same text: republication)
    assert portal.hits("/tin-moi/flaky-503-90001") == 3
    assert portal.hits("/tin-moi/flaky-500-90002") == 2
    # 429 + Retry-After: 1 honoured, then stored; Retry-After: 3600 is over the bound: given up
    assert portal.hits("/tin-moi/rate-limited-90003") == 2
    assert portal.hits("/tin-moi/rate-limited-long-90004") == 1
    assert errors["retry_after_too_long"] == 1
    assert errors["http_429"] == 1
    # timeout: retried RETRY_TIMES times, then counted
    assert errors["timeout"] == 1
    # redirect loop: bounded by REDIRECT_MAX_TIMES, counted
    assert errors.get("redirect_loop") == 1, errors
    assert portal.hits("/tin-moi/loop-90006") == 6  # the first request and 5 redirects
    # over DOWNLOAD_MAXSIZE: cancelled and counted
    assert portal.hits("/tin-moi/too-big-90008") >= 1
    assert errors["too_large_or_cancelled"] == 1
    # robots.txt disallows /tin-moi/private/: never requested
    assert portal.hits("/tin-moi/private/") == 0
    assert errors["robots_forbidden"] == 1
    assert errors["http_404"] == 1
    store = stored()
    base = portal.base_url.rstrip("/")
    urls = {d["url"].removeprefix(base) for d in store.articles.find()}
    assert {
        "/tin-moi/flaky-503-90001",
        "/tin-moi/flaky-500-90002",
        "/tin-moi/rate-limited-90003",
    } <= urls
    assert run["verdict"] in ("healthy", "unhealthy")


def test_connection_refused_site(run_cli: RunCli, stored: OpenStore) -> None:
    port = free_port()
    result = run_cli("crawl", SITE, "--base-url", f"http://127.0.0.1:{port}/", *FAST, *BOUNDED)
    assert result.returncode == 2
    assert "nd-giaothuy: FAILED" in result.stdout
    run = stored().recent_runs(SITE)[0]
    assert run["verdict"] == "failed"
    assert run["errors"]["connection_refused"] >= 1


def test_dns_failure_site(run_cli: RunCli, stored: OpenStore) -> None:
    result = run_cli(
        "crawl", SITE, "--base-url", "http://portal-that-does-not-exist.invalid/", *FAST, *BOUNDED
    )
    assert result.returncode == 2
    run = stored().recent_runs(SITE)[0]
    assert run["verdict"] == "failed"
    assert run["errors"]["dns_failure"] >= 1


def test_missing_listing_page(make_portal: MakePortal, run_cli: RunCli, stored: OpenStore) -> None:
    portal = make_portal(SITE)
    del portal.routes[LISTING]
    result = run_cli("crawl", SITE, "--base-url", portal.base_url, *FAST, *BOUNDED)
    assert result.returncode == 2
    run = stored().recent_runs(SITE)[0]
    assert run["verdict"] == "failed"
    assert run["errors"]["http_404"] == 1
    assert "no listing page could be fetched" in run["problems"]


def test_dead_portal_does_not_stop_the_others(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    """Two portals in one process: one dead (connection refused), one alive."""
    alive = make_portal(SITE)
    dead = f"http://127.0.0.1:{free_port()}/"
    result = run_cli(
        "crawl",
        SITE,
        "--base-url",
        alive.base_url,
        "--start-url",
        dead + "tin-tuc",
        *FAST,
        *BOUNDED,
    )
    assert result.returncode == 2
    assert "nd-giaothuy: HEALTHY" in result.stdout
    assert "127.0.0.1: FAILED" in result.stdout
    assert stored().count_articles({"site_id": SITE}) == 5


def test_redirect_cycles_and_offsite_article_redirects_are_counted(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    """A -> A and A -> B -> A would be dropped by the duplicate filter without a word; an
    article redirecting to another host would be fetched there. Both are counted errors."""
    portal = make_portal(SITE)
    faults = {
        "/tin-moi/self-loop-90101": {
            "status": 302,
            "headers": {"Location": "/tin-moi/self-loop-90101"},
        },
        "/tin-moi/ping-90102": {"status": 302, "headers": {"Location": "/tin-moi/pong-90103"}},
        "/tin-moi/pong-90103": {"status": 302, "headers": {"Location": "/tin-moi/ping-90102"}},
        "/tin-moi/offsite-90104": {
            "status": 302,
            "headers": {"Location": "http://quangcao.example.com/x"},
        },
    }
    portal.routes.update(faults)
    add_listing_links(
        portal.folder, ["/tin-moi/self-loop-90101", "/tin-moi/ping-90102", "/tin-moi/offsite-90104"]
    )
    result = run_cli("crawl", SITE, "--base-url", portal.base_url, "--full", *FAST, *BOUNDED)
    assert "Traceback" not in result.stderr
    errors = stored().recent_runs(SITE)[0]["errors"]
    assert errors.get("redirect_loop") == 2, errors
    assert errors.get("offsite_redirect") == 1, errors
    assert portal.hits("/tin-moi/self-loop-90101") == 1 and portal.hits("/tin-moi/pong-90103") == 1
