"""Store faults seen from the command line: a spool left by a lost store is replayed first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from crawler.miniportal import MiniPortal
from crawler.storage.spool import Spool
from tests.fixturetypes import MakePortal, OpenStore, RecordProperty, RunCli
from tests.helpers import FAST, cli_env, store_worker_pids
from tests.miniportals.generate import generate_portal

ROOT = Path(__file__).resolve().parents[2]


def test_next_run_replays_the_spool_before_crawling(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore, data_dir: Path
) -> None:
    spool = Spool(data_dir / "spool")
    left_over = [
        {
            "canonical_url": f"http://giaothuy.namdinh.gov.vn/tin-moi/cu-{i}",
            "url": f"http://giaothuy.namdinh.gov.vn/tin-moi/cu-{i}",
            "site_id": "nd-giaothuy",
            "title": f"Tin cũ {i}",
            "body": "Nội dung",
            "views": i,
            "fetched_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
        for i in range(3)
    ]
    spool.append("article", left_over)
    spool.append(
        "site_stats",
        [
            {
                "site_id": "nd-giaothuy",
                "run_id": "old",
                "total": 9,
                "captured_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
        ],
    )
    portal = make_portal("nd-giaothuy")
    result = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "replayed 4 spooled records" in result.stderr
    store = stored()
    assert store.count_articles() == 5 + 3
    assert store.site_stats.count_documents({"run_id": "old"}) == 1
    assert not spool.path.exists() and spool.pending() == 0


def test_replay_command(run_cli: RunCli, stored: OpenStore, data_dir: Path) -> None:
    Spool(data_dir / "spool").append(
        "article", [{"canonical_url": "u1", "url": "u1", "title": "t"}]
    )
    result = run_cli("replay")
    assert result.returncode == 0
    assert "replayed 1 records" in result.stdout
    assert stored().count_articles() == 1
    again = run_cli("replay")
    assert "replayed 0 records" in again.stdout


def test_store_lost_mid_run_is_spooled_reported_and_replayed(
    tmp_path: Path, data_dir: Path, stored: OpenStore, record_property: RecordProperty
) -> None:
    """The store worker dies in the middle of a nightly run: the run says so (exit 2, the
    problem in its summary), nothing yielded is lost, and the next run stores it all once."""
    site = generate_portal(tmp_path / "portal", 30, per_page=10, in_memory=True)

    def slow_render(target: str):  # type: ignore[no-untyped-def]
        time.sleep(0.05)  # long enough to kill the store worker while the crawl goes on
        return site.render(target)

    portal = MiniPortal(tmp_path / "portal", renderer=slow_render)
    portal.start()

    def args(base_url: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            "nd-giaothuy",
            "--base-url",
            base_url,
            *FAST,
            "-s",
            "GOV_STORE_BATCH_SIZE=2",
        ]

    try:
        crawl = subprocess.Popen(
            args(portal.base_url),
            cwd=ROOT,
            env=cli_env(data_dir),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while portal.hits("/tin-moi/") < 8 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = store_worker_pids(crawl.pid)
        assert workers, "no store worker process"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        out, err = crawl.communicate(timeout=120)
    finally:
        portal.stop()
    assert crawl.returncode == 2, f"{out}\n{err[-3000:]}"
    assert "store lost mid-run" in out, out
    assert "Traceback" not in err, err[-3000:]
    spool = Spool(data_dir / "spool")
    spooled = sum(1 for line in spool.path.read_text().splitlines() if '"article"' in line)
    store = stored()
    assert spooled > 0 and store.count_articles() + spooled == 30
    store.close()

    # the next run replays the spool first: every article stored exactly once
    portal = MiniPortal(tmp_path / "portal", renderer=site.render)
    portal.start()
    try:
        again = subprocess.run(
            args(portal.base_url),
            cwd=ROOT,
            env=cli_env(data_dir),
            text=True,
            capture_output=True,
            timeout=120,
            check=False,
        )
    finally:
        portal.stop()
    assert again.returncode == 0, f"{again.stdout}\n{again.stderr[-3000:]}"
    assert "replayed" in again.stderr
    store = stored()
    urls = [d["canonical_url"] for d in store.articles.find({}, {"canonical_url": 1})]
    record_property("items_lost", 30 - len(set(urls)))  # for benchmarks/faults_table.py
    assert len(urls) == len(set(urls)) == 30
    store.close()
