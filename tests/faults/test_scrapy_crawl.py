"""``scrapy crawl portal`` gets the CLI's verdicts, exit codes and run lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.runlock import run_lock
from tests.conftest import ROOT
from tests.fixturetypes import MakePortal, OpenStore, RecordProperty
from tests.helpers import cli_env

SITE = "nd-giaothuy"


def scrapy_crawl(
    data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "portal",
            "-a",
            f"site={SITE}",
            *args,
            "-s",
            "GOV_PROFILE_DELAYS=False",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "DOWNLOAD_DELAY=0",
        ],
        cwd=ROOT,
        env=cli_env(data_dir, **(env or {})),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_unhealthy_site_exits_2(make_portal: MakePortal, data_dir: Path) -> None:
    portal = make_portal(SITE)
    for page in portal.folder.glob("article-*.html"):  # a layout change: coverage drops
        page.write_text(
            page.read_text(encoding="utf-8").replace("ArticleDetailControl", "X"), encoding="utf-8"
        )
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 2, result.stderr[-3000:]
    assert "UNHEALTHY" in result.stderr


def test_healthy_site_exits_0_and_the_lock_is_honoured(
    make_portal: MakePortal, data_dir: Path
) -> None:
    portal = make_portal(SITE)
    with run_lock(data_dir / "crawl.lock"):
        held = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert held.returncode == 4, held.stderr[-2000:]
    assert "error: not started: another run" in held.stderr
    assert not portal.requests  # nothing was fetched
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HEALTHY" in result.stderr


def test_store_down_is_one_line_exit_3(data_dir: Path, record_property: RecordProperty) -> None:
    result = scrapy_crawl(data_dir, env={"MONGO_URI": "mongodb://crawler:s3cret@127.0.0.1:1/db"})
    record_property("secrets_shown", int("s3cret" in result.stderr + result.stdout))
    assert result.returncode == 3, result.stderr[-3000:]
    assert "error: store unavailable" in result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr


def left_over(n: int) -> list[dict[str, object]]:
    from datetime import UTC, datetime

    return [
        {
            "canonical_url": f"http://giaothuy.namdinh.gov.vn/tin-moi/cu-{i}",
            "url": f"http://giaothuy.namdinh.gov.vn/tin-moi/cu-{i}",
            "site_id": SITE,
            "title": f"Tin cũ {i}",
            "body": "Nội dung",
            "views": i,
            "fetched_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
        for i in range(n)
    ]


def test_a_spool_left_by_an_earlier_run_is_replayed_first(
    make_portal: MakePortal, data_dir: Path, stored: OpenStore, record_property: RecordProperty
) -> None:
    """Before: ``scrapy crawl`` never replayed; the spool stayed until a CLI crawl or
    ``replay`` ran."""
    from crawler.storage.spool import Spool

    spool = Spool(data_dir / "spool")
    spool.append("article", left_over(3))
    spool.append("site_stats", [{"site_id": SITE, "run_id": "old", "total": 9}])
    portal = make_portal(SITE)
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "replayed 4 spooled records from an earlier run" in result.stderr
    assert spool.pending() == 0 and not spool.path.exists()
    store = stored()
    record_property("items_lost", 3 - store.count_articles({"title": {"$regex": "^Tin cũ"}}))
    assert store.count_articles() == 5 + 3  # the portal's five, the spool's three
    assert store.site_stats.count_documents({"run_id": "old"}) == 1
    store.close()


def test_an_interrupted_replay_is_finished_by_scrapy_crawl(
    make_portal: MakePortal, data_dir: Path, stored: OpenStore
) -> None:
    """A replay killed part way (its work file and checkpoint left): the next ``scrapy crawl``
    stores the rest, each record once."""
    from crawler.storage.spool import Spool

    spool = Spool(data_dir / "spool")
    spool.append("article", left_over(6))
    spool.path.rename(spool.work)
    records = list(spool.records(spool.work))
    spool.save_state("killed", records[2][1])  # the first three were stored before the kill
    store = stored()
    from datetime import UTC, datetime

    store.upsert_articles([r[3] for r in records[:3]], datetime.now(UTC))
    store.close()
    portal = make_portal(SITE)
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "replayed 3 spooled records" in result.stderr
    assert spool.pending() == 0 and not spool.work.exists()
    store = stored()
    assert store.count_articles() == 5 + 6
    store.close()


def test_a_run_killed_outright_is_recorded_as_aborted(
    make_portal: MakePortal, data_dir: Path, stored: OpenStore
) -> None:
    from crawler import runstate

    runstate.begin(data_dir, "killed-run", [SITE])
    portal = make_portal(SITE)
    result = scrapy_crawl(data_dir, "-a", f"base_url={portal.base_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{SITE}: ABORTED run killed-run (killed outright); recorded now" in result.stderr
    store = stored()
    verdicts = {r["run_id"]: r["verdict"] for r in store.recent_runs(SITE)}
    assert verdicts["killed-run"] == "aborted"
    assert list(verdicts.values()).count("healthy") == 1
    store.close()
