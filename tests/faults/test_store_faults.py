"""Store faults seen from the command line: a spool left by a lost store is replayed first."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.storage.spool import Spool
from tests.helpers import FAST


def test_next_run_replays_the_spool_before_crawling(make_portal, run_cli, stored, data_dir):
    spool = Spool(data_dir / "spool")
    left_over = [{"canonical_url": f"http://giaothuy.namdinh.gov.vn/tin-moi/cu-{i}",
                  "url": f"http://giaothuy.namdinh.gov.vn/tin-moi/cu-{i}", "site_id": "nd-giaothuy",
                  "title": f"Tin cũ {i}", "body": "Nội dung", "views": i,
                  "fetched_at": datetime(2026, 1, 1, tzinfo=UTC)} for i in range(3)]
    spool.append("article", left_over)
    spool.append("site_stats", [{"site_id": "nd-giaothuy", "run_id": "old", "total": 9,
                                 "captured_at": datetime(2026, 1, 1, tzinfo=UTC)}])
    portal = make_portal("nd-giaothuy")
    result = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "replayed 4 spooled records" in result.stderr
    store = stored()
    assert store.count_articles() == 5 + 3
    assert store.site_stats.count_documents({"run_id": "old"}) == 1
    assert not spool.path.exists() and spool.pending() == 0


def test_replay_command(run_cli, stored, data_dir):
    Spool(data_dir / "spool").append("article", [{"canonical_url": "u1", "url": "u1", "title": "t"}])
    result = run_cli("replay")
    assert result.returncode == 0
    assert "replayed 1 records" in result.stdout
    assert stored().count_articles() == 1
    again = run_cli("replay")
    assert "replayed 0 records" in again.stdout
