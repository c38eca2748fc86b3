"""``scrapy crawl portal`` gets the CLI's verdicts, exit codes and run lock."""

from __future__ import annotations

import subprocess
import sys

from crawler.runlock import run_lock
from tests.conftest import ROOT
from tests.helpers import cli_env

SITE = "nd-giaothuy"


def scrapy_crawl(data_dir, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"site={SITE}", *args,
         "-s", "GOV_PROFILE_DELAYS=False", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "DOWNLOAD_DELAY=0"],
        cwd=ROOT, env=cli_env(data_dir, **(env or {})), capture_output=True, text=True,
        timeout=300, check=False)


def test_unhealthy_site_exits_2(make_portal, data_dir):
    portal = make_portal(SITE)
    for page in portal.folder.glob("article-*.html"):  # a layout change: coverage drops
        page.write_text(page.read_text(encoding="utf-8").replace("ArticleDetailControl", "X"),
                        encoding="utf-8")
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 2, result.stderr[-3000:]
    assert "UNHEALTHY" in result.stderr


def test_healthy_site_exits_0_and_the_lock_is_honoured(make_portal, data_dir):
    portal = make_portal(SITE)
    with run_lock(data_dir / "crawl.lock"):
        held = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert held.returncode == 4, held.stderr[-2000:]
    assert "error: not started: another run" in held.stderr
    assert not portal.requests  # nothing was fetched
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HEALTHY" in result.stderr


def test_store_down_is_one_line_exit_3(data_dir):
    result = scrapy_crawl(data_dir, env={"MONGO_URI": "mongodb://crawler:s3cret@127.0.0.1:1/db"})
    assert result.returncode == 3, result.stderr[-3000:]
    assert "error: store unavailable" in result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr
