"""The read-only commands start without the crawling stack: ``python -m crawler report``,
``runs``, ``export`` and ``--help`` import no Scrapy, Twisted, dateparser or extraction code
(each is a quarter of a second or more of every command's start; issue 16: ``report`` <= 2 s).

Checked in a real subprocess with ``python -X importtime``, which names on stderr every module
the process imports."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.storage import open_store
from tests.helpers import cli_env

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scrapy", "twisted", "dateparser", "crawler.extract", "crawler.profiles", "spiders")
START = datetime(2026, 11, 30, 17, tzinfo=UTC)


def imported(data_dir: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules ``python -m crawler ARGS`` imported, and how it ended."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "crawler", *args],
        cwd=ROOT,
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return names, done


def heavy(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY))


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A data dir with two sites' runs, snapshots and one article each."""
    data = tmp_path / "data"
    store = open_store(None, data)
    for i, site in enumerate(("px-a", "px-b")):
        started = START + timedelta(minutes=i)
        store.record_run(
            {
                "run_id": "r1",
                "site_id": site,
                "mode": "incremental",
                "started_at": started,
                "finished_at": started + timedelta(minutes=2),
                "verdict": "healthy",
            }
        )
        store.insert_site_stats(
            {"site_id": site, "run_id": "r1", "captured_at": started, "total": 10 + i}
        )
        url = f"https://{site}.gov.vn/tin/1.html"
        store.articles.insert_one(
            {
                "canonical_url": url,
                "url": url,
                "site_id": site,
                "title": "Tin",
                "published_at": started - timedelta(hours=2),
                "first_seen_at": started,
            }
        )
    store.close()
    return data


def test_the_import_check_sees_scrapy_when_it_is_imported(tmp_path: Path) -> None:
    """The check itself: ``replay`` reads Scrapy settings (``-s``), so it imports Scrapy."""
    names, done = imported(tmp_path / "data", "replay")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "crawler.cli" in names and "scrapy" in heavy(names)


@pytest.mark.parametrize("command", ["report", "runs", "export", "clusters", "sites"])
def test_help_imports_no_crawling_stack(tmp_path: Path, command: str) -> None:
    names, done = imported(tmp_path, command, "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert heavy(names) == []


def test_runs_reads_the_store_without_the_crawling_stack(small_store: Path) -> None:
    names, done = imported(small_store, "runs", "--last", "5")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "px-a" in done.stdout and "px-b" in done.stdout
    assert "crawler.storage" in names
    assert heavy(names) == []


@pytest.mark.slow  # two subprocesses that open the store
def test_report_and_export_read_the_store_without_the_crawling_stack(
    small_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    # one site in detail: the national overview (with the registry's provinces) is built too
    names, done = imported(small_store, "report", "--detail-sites", "1", "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Every site" in out.read_text(encoding="utf-8")
    assert "crawler.analytics.report_overview" in names
    assert heavy(names) == []
    names, done = imported(small_store, "export", "--out", str(tmp_path / "a.jsonl"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert heavy(names) == []


def test_the_copies_kept_apart_from_the_extraction_stack_agree() -> None:
    """``runsummary.VN_TZ`` and the registry's name folding repeat what ``crawler.extract``
    defines, so that ``runs`` and ``report`` need not import it."""
    from crawler.extract.dates import VN_TZ
    from crawler.extract.text import fold_diacritics
    from crawler.registry import fold_vietnamese
    from crawler.runsummary import VN_TZ as RUNS_TZ

    assert str(RUNS_TZ) == VN_TZ
    for text in ("  Nam  Định ", "ĐỒNG THÁP", "Thừa Thiên Huế", "Bà Rịa–Vũng Tàu", "ủy ban"):
        assert fold_vietnamese(text) == " ".join(fold_diacritics(text).split())
