"""Every active registry row can be crawled: no site profile needed.

A row's family (or the layout-free reader, for ``unknown`` and ``custom``) plus its base URL
make the site; its news sections are found from the home page menu.
"""

from __future__ import annotations

import json
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.miniportal import MiniPortal
from crawler.registry import FIELDS, load_registry
from tests.fixturetypes import OpenStore, RunCli
from tests.helpers import FAST, as_utc

SITE_ID = "nb-xagiaothuy"
REAL_BASE = "https://xagiaothuy.ninhbinh.gov.vn"
ROWS = [
    {
        "id": SITE_ID,
        "name": "Cổng thông tin điện tử xã Giao Thủy",
        "province": "Ninh Bình",
        "level": "commune",
        "cms": "unknown",
        "base_url": REAL_BASE + "/",
        "status": "active",
        "evidence": "test-only: tests/fixtures/unprofiled/static-rebuild",
    },
    {
        "id": "nd-xagiaothuy",
        "name": "Cổng thông tin điện tử xã Giao Thủy (cũ)",
        "province": "Nam Định",
        "level": "commune",
        "cms": "unknown",
        "base_url": "https://xagiaothuy.namdinh.gov.vn/",
        "status": "merged",
        "merged_into": "Xã Giao Thủy",
        "evidence": "test-only",
    },
]
QUICK = [*FAST, "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=3"]


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def registry_env(tmp_path: Path) -> dict[str, str]:
    """A registry of one active row (the static rebuild, family unknown) and one merged row,
    and profiles with no site profile files."""
    import csv

    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(FIELDS), lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(ROWS)
    profiles = tmp_path / "profiles"
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "crawler" / "profiles" / "cms", profiles / "cms"
    )
    (profiles / "sites").mkdir()
    return {"CRAWLER_REGISTRY": str(path), "CRAWLER_PROFILES_DIR": str(profiles)}


def test_every_active_registry_row_is_crawled(run_cli: RunCli, stored: OpenStore) -> None:
    """One process, every active row, all served from a dead address: each ends on the
    connection error (exit 2), none on "unknown site" (exit 1)."""
    ids = [e.id for e in load_registry() if e.status == "active"]
    assert len(ids) >= 25
    result = run_cli("crawl", *ids, "--base-url", f"http://127.0.0.1:{dead_port()}/", *QUICK)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "unknown site" not in result.stderr
    # "<date> <time>+07:00 <run id> <site id>: VERDICT ..."
    lines = {line.split(": ")[0].split()[-1]: line for line in result.stdout.splitlines()}
    assert set(lines) == set(ids)
    store = stored()
    for site in ids:
        assert f"{site}: FAILED" in lines[site], lines[site]
        run = store.recent_runs(site)[0]
        assert run["errors"].get("connection_refused", 0) >= 1, (site, run["errors"])
    store.close()


def test_merged_row_is_refused_naming_its_successor(run_cli: RunCli) -> None:
    result = run_cli("crawl", "nd-ubnd")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: nd-ubnd: not crawled: merged → Tỉnh Ninh Bình (https://ninhbinh.gov.vn/)"
    )


def test_unknown_family_row_crawled_from_its_home_page(
    portal: MiniPortal, run_cli: RunCli, stored: OpenStore, registry_env: dict[str, str]
) -> None:
    """The row has no start paths: the home page's "Tin tức - Sự kiện" menu link is the listing;
    its three pages and twelve articles are read layout-free, HEALTHY; a second run fetches no
    article again."""
    truth = json.loads((portal.folder / "truth.json").read_text(encoding="utf-8"))
    articles: dict[str, dict[str, Any]] = truth["articles"]
    command = ["crawl", SITE_ID, "--base-url", portal.base_url, *FAST]
    result = run_cli(*command, "--full", env=registry_env)
    tail = result.stderr[-4000:]
    assert result.returncode == 0, tail
    assert (
        f"{SITE_ID}: news sections from the home page: {portal.base_url}tin-tuc/trang-1.html"
        in result.stderr
    ), tail
    assert f"{SITE_ID}: HEALTHY listing=4 article=12 new=12" in result.stdout, result.stdout

    store = stored()
    docs = {urlsplit(d["canonical_url"]).path: d for d in store.articles.find({"site_id": SITE_ID})}
    assert set(docs) == set(articles)
    for path, want in articles.items():
        doc = docs[path]
        assert doc["canonical_url"] == REAL_BASE + path  # the registry row's host, not 127.0.0.1
        assert (doc["cms"], doc["province"], doc["level"]) == ("generic", "Ninh Bình", "commune")
        for name in ("title", "author", "source", "views"):
            assert doc[name] == want[name], f"{path}: {name}"
        expected = datetime.fromisoformat(want["published_at"]).astimezone(UTC)
        assert as_utc(doc["published_at"]) == expected, f"{path}: published_at"
    run = store.recent_runs(SITE_ID)[0]
    assert run["fallbacks"] == {} and run["cms"] == "generic"
    store.close()

    before = len(portal.requests)
    again = run_cli(*command, env=registry_env)
    assert again.returncode == 0, again.stderr[-3000:]
    refetched = [p for p in (urlsplit(t).path for t in portal.requests[before:]) if p in articles]
    assert refetched == []


def test_home_page_without_sections_is_read_as_a_listing(
    portal: MiniPortal, run_cli: RunCli, stored: OpenStore, registry_env: dict[str, str]
) -> None:
    home = portal.folder / "home.html"
    html = home.read_text(encoding="utf-8")
    html = html.replace("Tin tức - Sự kiện</font>", "Tin nổi bật</font>")  # no section label
    html = html.replace("<b>TIN MỚI</b>", "<b>TIN HOẠT ĐỘNG</b>")  # the home page's own list
    home.write_text(html, encoding="utf-8")
    result = run_cli(
        "crawl", SITE_ID, "--base-url", portal.base_url, "--full", *FAST, env=registry_env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{SITE_ID}: HEALTHY listing=1 article=6 new=6" in result.stdout, result.stdout
    assert "/tin-tuc/trang-1.html" not in portal.requests
    assert stored().count_articles({"site_id": SITE_ID}) == 6


def test_nightly_all_crawls_active_rows_only(
    portal: MiniPortal, run_cli: RunCli, stored: OpenStore, registry_env: dict[str, str]
) -> None:
    result = run_cli(
        "nightly", "--all", "--base-url", portal.base_url, "--full", *FAST, env=registry_env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert [line.split(": ")[0].split()[-1] for line in result.stdout.splitlines()] == [SITE_ID]
    assert stored().count_articles({"site_id": SITE_ID}) == 12
    refused = run_cli("crawl", "nd-xagiaothuy", env=registry_env)
    assert refused.returncode == 1
    assert "nd-xagiaothuy: not crawled: merged → Xã Giao Thủy" in refused.stderr
