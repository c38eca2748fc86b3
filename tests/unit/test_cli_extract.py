"""``python -m crawler extract``: one JSON line per page, clear errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests/fixtures/pages/nd-giaothuy/2021-03-hoi-nghi-dan-van/page.html"
LIFERAY = ROOT / "tests/fixtures/pages/hn-sotttt/2016-04-bien-doi-khi-hau-author-line/page.html"
KEYS = [
    "url",
    "site",
    "cms",
    "title",
    "summary",
    "published_at",
    "published_raw",
    "published_date_only",
    "author",
    "source",
    "views",
    "views_raw",
    "category",
    "body",
    "images",
    "site_stats",
]


def extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "extract", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_extract_many_pages_in_one_process() -> None:
    result = extract(str(SEED), str(LIFERAY), str(SEED))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["cms"] for r in lines] == ["vnportal", "liferay62", "vnportal"]
    assert lines[0] == lines[2]


def test_extract_with_url_picks_the_site() -> None:
    result = extract(str(SEED), "--url", "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-37511")
    assert result.returncode == 0, result.stderr
    seed = json.loads(result.stdout)
    assert list(seed) == KEYS
    assert seed["site"] == "nd-giaothuy" and seed["cms"] == "vnportal"  # chosen by the URL's host
    assert seed["published_at"] == "2021-03-15T10:20:00+07:00" and not seed["published_date_only"]
    assert seed["views"] == 137 and seed["author"] == "Hoàng Mai"
    assert seed["site_stats"]["total"] == 2683439


def test_extract_detects_family_without_site_or_url() -> None:
    result = extract(str(LIFERAY))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["cms"] == "liferay62" and record["site"] is None
    assert record["author"] == "Đặng Vân" and record["views"] == 976
    assert record["site_stats"] is None


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    result = extract(str(tmp_path / "missing.html"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr and "missing.html" in result.stderr
    assert "Traceback" not in result.stderr


def test_page_without_article(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>Trang chủ</p></body></html>", encoding="utf-8")
    result = extract(str(page), "--site", "nd-giaothuy")
    assert result.returncode == 2
    assert "no article found" in result.stderr
    undetected = extract(str(page))  # unknown layout: the generic fallback finds no article either
    assert undetected.returncode == 2
    assert "no article found with profile generic" in undetected.stderr
    assert "Traceback" not in result.stderr + undetected.stderr


def test_verbose_says_which_profile_was_chosen() -> None:
    result = extract(str(LIFERAY), "-v")
    assert result.returncode == 0
    assert "profile liferay62 (fingerprint)" in result.stderr


UNPROFILED = ROOT / "tests/fixtures/unprofiled/static-rebuild"


def test_extract_listing_prints_links_and_next_page() -> None:
    case = UNPROFILED / "listings/tin-tuc-trang-2"
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    want = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    result = extract("--listing", str(case / "page.html"), "--url", meta["url"])
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record) == ["url", "cms", "article_links", "next_page", "method"]
    assert record["cms"] == "generic" and record["method"] == "layout_free"
    assert record["article_links"] == want["links"]
    assert record["next_page"] == want["next_page"]


def test_extract_listing_with_a_family_profile_uses_its_rules() -> None:
    case = ROOT / "tests/fixtures/listings/nukeviet/tin-tuc-page-2"
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    result = extract(
        "--listing", str(case / "page.html"), "--url", meta["url"], "--site", "nukeviet"
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["method"] == "rule" and len(record["article_links"]) == 8


def test_extract_on_a_listing_page_exits_2() -> None:
    case = UNPROFILED / "listings/tin-tuc-trang-1"
    result = extract(str(case / "page.html"))
    assert result.returncode == 2
    assert "a listing page, not an article (use --listing)" in result.stderr
    assert result.stdout == ""


def test_extract_verbose_says_how_each_field_was_found() -> None:
    case = UNPROFILED / "articles/2025-09-khai-giang-lazy"
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    result = extract("-v", str(case / "page.html"), "--url", meta["url"])
    assert result.returncode == 0, result.stderr
    assert "profile generic (fallback)" in result.stderr
    assert "published_at by near_headline" in result.stderr and "title by " in result.stderr
