"""End-to-end crawls of the local mini portals into an embedded store in a temp folder."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from crawler.miniportal import MiniPortal
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST, found

GIAO_THUY = "nd-giaothuy"
SEED_PATH = "/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"


def crawl(
    run_cli: RunCli, site: str, portal: MiniPortal, *extra: str
) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", site, "--base-url", portal.base_url, *FAST, *extra)


def test_crawl_district_portal_end_to_end(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(GIAO_THUY)
    result = crawl(run_cli, GIAO_THUY, portal, "--full")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nd-giaothuy: HEALTHY" in result.stdout
    store = stored()
    docs = {d["url"].removeprefix(portal.base_url.rstrip("/")): d for d in store.articles.find()}
    assert len(docs) == 5
    seed = docs[SEED_PATH]
    assert seed["site_id"] == GIAO_THUY and seed["cms"] == "vnportal"
    assert seed["title"] == "Hội nghị trực tuyến công tác Dân vận năm 2021"
    assert seed["author"] == "Hoàng Mai"
    assert seed["source"] == "Trung tâm VH-TT-TT Giao Thủy"
    assert seed["views"] == 137 and seed["views_raw"] == "137"
    assert seed["published_at"] == datetime(2021, 3, 15, 3, 20, tzinfo=UTC)
    assert seed["published_raw"] == "Thứ Hai, 15/03/2021 10:20"
    assert next(i["caption"] for i in seed["images"]).startswith("Hội nghị trực tuyến tập huấn")
    assert "Thống kê truy cập" not in seed["body"] and "Tin liên quan" not in seed["body"]
    assert seed["province"] == "Nam Định" and seed["level"] == "district"
    assert [h["views"] for h in seed["views_history"]] == [137]
    assert seed["first_seen_at"].tzinfo is not None
    # one visit-statistics snapshot for the run
    snaps = list(store.site_stats.find({"site_id": GIAO_THUY}))
    assert len(snaps) == 1
    assert (snaps[0]["online"], snaps[0]["today"], snaps[0]["week"], snaps[0]["total"]) == (
        33,
        361,
        14218,
        2683439,
    )
    # one run record with a verdict
    runs = store.recent_runs(GIAO_THUY)
    assert len(runs) == 1
    assert runs[0]["verdict"] == "healthy"
    assert runs[0]["articles"]["new"] == 5
    assert runs[0]["pages"] == {**runs[0]["pages"], "listing": 2, "article": 5}
    assert runs[0]["coverage"]["title"] == 1.0


def test_second_crawl_stores_no_duplicates(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(GIAO_THUY)
    assert crawl(run_cli, GIAO_THUY, portal, "--full").returncode == 0
    second = crawl(run_cli, GIAO_THUY, portal, "--full")
    assert second.returncode == 0, second.stderr[-3000:]
    store = stored()
    assert store.count_articles() == 5
    assert len({d["canonical_url"] for d in store.articles.find()}) == 5
    runs = store.recent_runs(GIAO_THUY)
    assert [r["articles"]["unchanged"] for r in runs] == [5, 0]
    for doc in store.articles.find():
        assert len(doc["views_history"]) == 1  # counts did not change between the runs


def test_incremental_run_skips_known_articles(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(GIAO_THUY)
    assert crawl(run_cli, GIAO_THUY, portal).returncode == 0
    before = portal.hits("/tin-moi/")
    assert before == 5
    result = crawl(run_cli, GIAO_THUY, portal)
    assert result.returncode == 0, result.stderr[-3000:]
    assert portal.hits("/tin-moi/") == before  # no article page fetched again
    run = stored().recent_runs(GIAO_THUY)[0]
    assert run["articles"]["skipped_known"] == 5
    assert run["verdict"] == "healthy"


def test_liferay_portal_with_stats_on_home_page(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal("hn-sotttt")
    result = crawl(run_cli, "hn-sotttt", portal, "--full")
    assert result.returncode == 0, result.stderr[-3000:]
    store = stored()
    docs = {d["title"]: d for d in store.articles.find({"site_id": "hn-sotttt"})}
    assert len(docs) == 4
    upu = docs[
        "Cuộc thi viết thư quốc tế UPU lần thứ 47 (2018) của Việt Nam trên địa bàn thành phố Hà Nội"
    ]
    assert upu["views"] == 38661 and upu["author"] == "Thanh Bình"
    legacy = next(d for t, d in docs.items() if t.startswith("Phổ biến quy định"))
    assert legacy["author"] is None and legacy["published_date_only"] is True
    snap = store.site_stats.find_one({"site_id": "hn-sotttt"})
    assert snap is not None and (snap["online"], snap["total"]) == (27, 4798809)
    assert portal.hits("/robots.txt") == 1


def test_portal_moved_to_another_host_keeps_site_id(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    new = make_portal(GIAO_THUY, host="127.0.0.1")
    old = make_portal(GIAO_THUY, host="localhost")
    start = "/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/"
    old.routes.clear()
    old.routes[start] = {"status": 301, "headers": {"Location": new.base_url.rstrip("/") + start}}
    result = run_cli("crawl", GIAO_THUY, "--base-url", old.base_url, "--full", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    store = stored()
    assert store.count_articles({"site_id": GIAO_THUY}) == 5
    assert new.hits("/tin-moi/") == 5
    run = store.recent_runs(GIAO_THUY)[0]
    assert run["site_moved_to"] == "127.0.0.1"


def test_unreachable_store_fails_fast(run_cli: RunCli, make_portal: MakePortal) -> None:
    portal = make_portal(GIAO_THUY)
    result = run_cli(
        "crawl",
        GIAO_THUY,
        "--base-url",
        portal.base_url,
        *FAST,
        env={
            "MONGO_URI": "mongodb://reader:topsecret@127.0.0.1:1/govnews?serverSelectionTimeoutMS=300"
        },
    )
    assert result.returncode == 3
    assert "store unavailable" in result.stderr
    assert "topsecret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert portal.hits() == 0  # nothing was fetched before the store check


def test_unknown_site_is_a_configuration_error(run_cli: RunCli) -> None:
    result = run_cli("crawl", "nd-nowhere")
    assert result.returncode == 1
    assert "unknown site 'nd-nowhere'" in result.stderr


def test_runs_command_shows_the_run(make_portal: MakePortal, run_cli: RunCli) -> None:
    portal = make_portal(GIAO_THUY)
    assert crawl(run_cli, GIAO_THUY, portal, "--full").returncode == 0
    result = run_cli("runs", "--site", GIAO_THUY, "--json")
    assert result.returncode == 0
    run = json.loads(result.stdout.splitlines()[0])
    assert run["site_id"] == GIAO_THUY and run["verdict"] == "healthy"


def test_overlapping_run_is_refused(run_cli: RunCli, data_dir: Path) -> None:
    from crawler.runlock import run_lock

    with run_lock(data_dir / "crawl.lock"):
        result = run_cli("nightly", "--all")
    assert result.returncode == 4
    assert "another run" in result.stderr
    assert "Traceback" not in result.stderr


def test_progress_lines_under_cron(make_portal: MakePortal, run_cli: RunCli) -> None:
    portal = make_portal(GIAO_THUY)
    result = crawl(run_cli, GIAO_THUY, portal, "--full", "-s", "GOV_PROGRESS_INTERVAL=0.2")
    assert result.returncode == 0
    lines = [ln for ln in result.stderr.splitlines() if "progress: " in ln]
    assert lines, result.stderr[-2000:]
    assert lines[-1].endswith("progress: sites 1/1 done · pages 7 · articles new 5")


def test_demo_twice_stores_no_duplicates(run_cli: RunCli, stored: OpenStore) -> None:
    """The demo serves the portals on random local ports: articles keep their real URLs as ids."""
    first = run_cli("demo")
    assert first.returncode == 0, first.stderr[-2000:]
    assert "nd-giaothuy: 5 articles" in first.stdout and "hn-sotttt: 4 articles" in first.stdout
    second = run_cli("demo")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "nd-giaothuy: HEALTHY listing=2 article=5 new=0 updated=0 unchanged=5" in second.stdout
    store = stored()
    assert store.count_articles() == 9
    seed = found(store.articles.find_one({"views": 137}))
    assert seed["canonical_url"] == (
        "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"
    )
    assert seed["url"].startswith("http://127.0.0.1:")  # where it was actually fetched from
