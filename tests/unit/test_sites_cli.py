"""``sites`` list/filter, ``sites validate`` and ``sites check --live`` (against the mini portal)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.livecheck import check_site
from crawler.profiles import get_profile
from tests.fixturetypes import MakePortal

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_sites_list_filters() -> None:
    out = cli("sites", "--province", "nam dinh", "--level", "district")
    assert out.returncode == 0, out.stderr
    assert "nd-giaothuy" in out.stdout and "hn-sotttt" not in out.stdout
    out = cli("sites", "--cms", "liferay62")
    assert "hn-sotttt" in out.stdout and "nd-giaothuy" not in out.stdout
    merged = cli("sites", "--status", "merged", "--json")
    assert merged.returncode == 0 and '"status": "merged"' in merged.stdout


def test_sites_validate() -> None:
    out = cli("sites", "validate")
    assert out.returncode == 0, out.stderr
    assert "every selector and regex compiled" in out.stdout


def test_live_check_against_local_portal(make_portal: MakePortal) -> None:
    portal = make_portal("nd-giaothuy")
    check = check_site(get_profile("nd-giaothuy"), portal.base_url, timeout=10)
    assert check.ok, check.error
    assert check.fields["views"] == 137 or check.fields["title"]
    out = cli("sites", "check", "nd-giaothuy", "--live", "--base-url", portal.base_url)
    assert out.returncode == 0, out.stderr
    assert "nd-giaothuy: OK" in out.stdout and "author" in out.stdout


def test_live_check_reports_a_dead_portal() -> None:
    out = cli("sites", "check", "nd-giaothuy", "--live", "--base-url", "http://127.0.0.1:9/")
    assert out.returncode == 2
    assert "nd-giaothuy: BROKEN" in out.stdout and "error:" in out.stdout


def test_check_requires_live_flag() -> None:
    out = cli("sites", "check", "nd-giaothuy")
    assert out.returncode == 1 and "--live" in out.stderr
