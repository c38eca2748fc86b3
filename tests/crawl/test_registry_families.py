"""``nightly --all`` over a registry of one row per CMS family, each served by its family's mini
portal and mapped with ``--base-url ID=URL``: every row it can reach is crawled."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from crawler.miniportal import SITES_DIR, MiniPortal
from crawler.registry import FIELDS
from tests.fixturetypes import OpenStore, RunCli
from tests.helpers import FAST

UNPROFILED = (
    Path(__file__).resolve().parents[1] / "fixtures" / "unprofiled" / "static-rebuild" / "site"
)
# registry row id -> (family, mini portal folder); liferay62's mini portal (hn-sotttt) is left
# out: its home page is an HTTrack mirror whose menu links mirror file names, not served paths
ROWS = {
    "nd-vnportaltest": ("vnportal", SITES_DIR / "nd-giaothuy"),
    "tw-liferay7test": ("liferay7", SITES_DIR / "liferay7"),
    "tn-nukeviettest": ("nukeviet", SITES_DIR / "nukeviet"),
    "th-tandantest": ("tandan_sharepoint", SITES_DIR / "tandan_sharepoint"),
    "tw-ministrytest": ("ministry_sharepoint", SITES_DIR / "ministry_sharepoint"),
    "nb-unknowntest": ("unknown", UNPROFILED),
}
PROVINCE = {
    "nd": "Nam Định",
    "hn": "Hà Nội",
    "tw": "Trung ương",
    "tn": "Tây Ninh",
    "th": "Thanh Hóa",
    "nb": "Ninh Bình",
}


def test_nightly_all_crawls_every_family_row_it_can_reach(
    tmp_path: Path, run_cli: RunCli, stored: OpenStore
) -> None:
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(FIELDS), lineterminator="\n", restval="")
        writer.writeheader()
        for n, (row_id, (family, _)) in enumerate(ROWS.items()):
            writer.writerow(
                {
                    "id": row_id,
                    "name": f"Cổng thử {family}",
                    "province": PROVINCE[row_id[:2]],
                    "level": "department",
                    "cms": family,
                    "base_url": f"https://thu{n}.{row_id[:2]}.gov.vn/",
                    "status": "active",
                    "evidence": "test row",
                }
            )
    profiles = tmp_path / "profiles"
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "crawler" / "profiles" / "cms", profiles / "cms"
    )
    (profiles / "sites").mkdir()
    portals = {}
    for row_id, (_, folder) in ROWS.items():
        copy = tmp_path / row_id
        shutil.copytree(folder, copy)
        portals[row_id] = MiniPortal(copy)
        portals[row_id].start()
    try:
        mapping = [
            arg for row_id, p in portals.items() for arg in ("--base-url", f"{row_id}={p.base_url}")
        ]
        result = run_cli(
            "nightly",
            "--all",
            *mapping,
            "--full",
            *FAST,
            env={"CRAWLER_REGISTRY": str(path), "CRAWLER_PROFILES_DIR": str(profiles)},
        )
    finally:
        for p in portals.values():
            p.stop()
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    store = stored()
    crawled = {r["site_id"]: r for r in store.recent_runs(last=50)}
    assert set(crawled) == set(ROWS), result.stdout
    for row_id in ROWS:
        run = crawled[row_id]
        assert run["pages"]["listing"] >= 1, (row_id, run["problems"])
        assert store.count_articles({"site_id": row_id}) >= 1, (row_id, run["problems"])
        assert portals[row_id].requests, row_id  # fetched from its own mini portal


def test_a_base_url_for_a_site_not_in_the_run_is_an_error(run_cli: RunCli) -> None:
    result = run_cli("crawl", "nd-giaothuy", "--base-url", "hn-sotttt=http://127.0.0.1:9/")
    assert result.returncode == 1
    assert "--base-url hn-sotttt=...: 'hn-sotttt' is not a site of this run" in result.stderr
