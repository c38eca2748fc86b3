"""Normalize, validate and dedup pipelines on real items, with counted drop reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.exceptions import DuplicateArticle, InvalidArticle
from crawler.fingerprint import content_hash
from crawler.items import ArticleItem, SiteStatsItem
from crawler.storage import ArticleStore
from pipelines.dedup import DedupPipeline
from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline
from tests.helpers import article_out, found


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


def test_normalize_cleans_text_and_sets_canonical_url(crawler: Crawler) -> None:
    it = item(
        title="  Th&ocirc;ng  b&aacute;o\u200b ",
        author="",
        body="Đoạn 1\n\n  \n\nĐoạn&nbsp;2",
        url="http://GiaoThuy.namdinh.gov.vn/tin-moi/a-1?b=2&a=1#x",
    )
    out = article_out(NormalizePipeline(crawler).process_item(it))
    assert out.title == "Thông báo"
    assert out.author is None
    assert out.body == "Đoạn 1\n\nĐoạn 2"
    assert out.canonical_url == "http://giaothuy.namdinh.gov.vn/tin-moi/a-1?a=1&b=2"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"url": ""}, "no_url"),
        ({"title": None}, "no_title"),
        ({"body": None}, "no_body"),
        ({"published_at": datetime.now(UTC) + timedelta(days=3)}, "future_date"),
    ],
)
def test_validate_drops_with_counted_reason(
    crawler: Crawler, changes: dict[str, Any], reason: str
) -> None:
    pipeline = ValidatePipeline(crawler)
    with pytest.raises(InvalidArticle) as info:
        pipeline.process_item(item(**changes))
    assert info.value.reason == reason
    assert crawler.stats.get_value(f"gov/dropped/{reason}") == 1
    assert crawler.stats.get_value("gov/articles/valid") is None


def test_validate_counts_valid_articles_and_passes_stats(crawler: Crawler) -> None:
    pipeline = ValidatePipeline(crawler)
    pipeline.process_item(item(author="Hoàng Mai"))
    pipeline.process_item(item(views=3))
    snapshot = SiteStatsItem(site_id="x", url="u", captured_at=datetime.now(UTC))
    assert pipeline.process_item(snapshot) is snapshot
    assert crawler.stats.get_value("gov/articles/valid") == 2


def test_dedup_same_url_dropped_and_in_run_republication_marked(crawler: Crawler) -> None:
    pipeline = DedupPipeline(crawler)
    first = article_out(
        pipeline.process_item(item(canonical_url="http://giaothuy.namdinh.gov.vn/tin-moi/a-1"))
    )
    assert first.duplicate_of is None
    assert first.content_hash == content_hash("Nội dung bài viết")
    with pytest.raises(DuplicateArticle):
        pipeline.process_item(item(canonical_url="http://giaothuy.namdinh.gov.vn/tin-moi/a-1"))
    copy = article_out(
        pipeline.process_item(
            item(canonical_url="http://namdinh.gov.vn/portal/Pages/hoi-nghi.aspx")
        )
    )
    assert copy.duplicate_of == "http://giaothuy.namdinh.gov.vn/tin-moi/a-1"
    other = article_out(
        pipeline.process_item(
            item(
                canonical_url="http://giaothuy.namdinh.gov.vn/tin-moi/a-2", body="Một bài khác hẳn"
            )
        )
    )
    assert other.duplicate_of is None
    assert crawler.stats.get_value("gov/dedup/same_url") == 1
    assert crawler.stats.get_value("gov/dedup/duplicate_of") == 1


def test_store_marks_republication_of_stored_text_once_per_batch(store: ArticleStore) -> None:
    earlier = "http://namdinh.gov.vn/portal/Pages/2021-3-15/hoi-nghi.aspx"
    body_hash = content_hash("Nội dung bài viết")
    doc = {"title": "Hội nghị", "body": "Nội dung bài viết", "content_hash": body_hash}
    store.upsert_articles(
        [{**doc, "canonical_url": earlier, "url": earlier}], datetime(2021, 3, 15, tzinfo=UTC)
    )
    copy = "http://giaothuy.namdinh.gov.vn/tin-moi/a-1"
    result = store.upsert_articles(
        [
            {**doc, "canonical_url": copy, "url": copy},
            {**doc, "canonical_url": "u-other", "url": "u-other", "content_hash": "different"},
        ],
        datetime(2021, 3, 16, tzinfo=UTC),
    )
    assert result.republished == 1
    assert found(store.articles.find_one({"canonical_url": copy}))["duplicate_of"] == earlier
    # re-crawling the original never makes it a copy of its own republication
    again = store.upsert_articles(
        [{**doc, "canonical_url": earlier, "url": earlier}], datetime(2021, 3, 17, tzinfo=UTC)
    )
    assert again.republished == 0
    assert found(store.articles.find_one({"canonical_url": earlier})).get("duplicate_of") is None
