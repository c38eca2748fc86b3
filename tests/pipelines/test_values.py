"""ValidatePipeline checks each value on its own: out-of-range integers and dates become null,
invalid Unicode is repaired, each counted as ``gov/extract/bad_value/<field>``, logged once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import bson
import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.exceptions import InvalidArticle
from crawler.items import ArticleItem, to_doc
from pipelines.validate import ValidatePipeline
from pipelines.values import INT64_MAX, INT64_MIN, repair_text
from tests.helpers import article_out


@pytest.fixture
def crawler() -> Crawler:
    c = get_crawler()
    c.stats.open_spider()
    return c


def item(**kw: Any) -> ArticleItem:
    base = {
        "url": "http://giaothuy.namdinh.gov.vn/tin-moi/a-1",
        "site_id": "nd-giaothuy",
        "cms": "vnportal",
        "title": "Tin",
        "body": "Nội dung bài viết",
        "published_at": datetime(2021, 3, 15, 3, 20, tzinfo=UTC),
    }
    return ArticleItem(**{**base, **kw})


@pytest.mark.parametrize(
    ("views", "kept"),
    [
        (INT64_MAX, True),
        (INT64_MIN, True),
        (INT64_MAX + 1, False),
        (INT64_MIN - 1, False),
        (2**70, False),
        (0, True),
    ],
)
def test_integers_beyond_int64_become_null(crawler: Crawler, views: int, kept: bool) -> None:
    out = article_out(
        ValidatePipeline(crawler).process_item(item(views=views, views_raw=str(views)))
    )
    assert out.views == (views if kept else None)
    assert out.views_raw == str(views)  # the printed text stays, as for any unreadable count
    assert crawler.stats.get_value("gov/extract/bad_value/views") == (None if kept else 1)


def test_invalid_unicode_is_repaired_in_every_text_field(crawler: Crawler) -> None:
    out = article_out(
        ValidatePipeline(crawler).process_item(
            item(
                title="Tin \ud800 mới",
                author="\udfff",
                body="Đoạn 1\ud83d\ude00",
                images=[{"url": "http://x/1.jpg", "caption": "Ảnh \udc00"}],
            )
        )
    )
    assert out.title == "Tin \ufffd mới"
    assert out.author == "\ufffd"
    assert out.body == "Đoạn 1😀"  # a pair split in two surrogates is joined, not lost
    assert out.images == [{"url": "http://x/1.jpg", "caption": "Ảnh \ufffd"}]
    for name in ("title", "author", "body", "images"):
        assert crawler.stats.get_value(f"gov/extract/bad_value/{name}") == 1, name
    bson.encode(to_doc(out))  # the store can hold every value now


def test_repair_text() -> None:
    assert repair_text("abc") == "abc"
    assert repair_text("\ud83d\ude00\ud800") == "😀\ufffd"


def test_dates_before_1990_become_null(crawler: Crawler) -> None:
    out = article_out(
        ValidatePipeline(crawler).process_item(
            item(
                published_at=datetime(1900, 1, 1, tzinfo=UTC),
                published_date_only=True,
                fetched_at=datetime(1, 1, 1, tzinfo=UTC),
            )
        )
    )
    assert out.published_at is None and out.published_date_only is False
    assert out.fetched_at is None
    assert crawler.stats.get_value("gov/extract/bad_value/published_at") == 1
    assert crawler.stats.get_value("gov/extract/bad_value/fetched_at") == 1
    assert crawler.stats.get_value("gov/articles/valid") == 1


def test_future_published_date_is_still_dropped_and_naive_dates_do_not_crash(
    crawler: Crawler,
) -> None:
    pipeline = ValidatePipeline(crawler)
    naive_future = (datetime.now(UTC) + timedelta(days=3)).replace(tzinfo=None)
    with pytest.raises(InvalidArticle) as info:
        pipeline.process_item(item(published_at=naive_future))
    assert info.value.reason == "future_date"
    naive = datetime(2021, 3, 15, 3, 20)
    assert article_out(pipeline.process_item(item(published_at=naive))).published_at == naive
    future_fetch = datetime.now(UTC) + timedelta(days=3)
    assert article_out(pipeline.process_item(item(fetched_at=future_fetch))).fetched_at is None


def test_good_values_are_untouched(crawler: Crawler) -> None:
    it = item(
        views=137,
        author="Hoàng Mai",
        images=[{"url": "http://x/1.jpg", "caption": None}],
        published_date_only=True,
        fetched_at=datetime.now(UTC),
    )
    before = to_doc(it)
    assert to_doc(article_out(ValidatePipeline(crawler).process_item(it))) == before
    assert not [k for k in crawler.stats.get_stats() if k.startswith("gov/extract/bad_value")]


def test_each_field_is_logged_once_and_counted_every_time(
    crawler: Crawler, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = ValidatePipeline(crawler)
    with caplog.at_level(logging.WARNING, logger="pipelines.validate"):
        for _ in range(3):
            pipeline.process_item(item(views=2**64))
    assert crawler.stats.get_value("gov/extract/bad_value/views") == 3
    assert len([r for r in caplog.records if "bad views value" in r.getMessage()]) == 1
