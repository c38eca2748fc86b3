"""The scheduler switch and the request serializer of distributed mode (no Redis needed)."""

from __future__ import annotations

import pytest
from scrapy.core.scheduler import Scheduler
from scrapy.http import Request
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler

from crawler import distributed
from spiders.portal import PortalSpider


def test_without_a_redis_url_the_scheduler_is_scrapys_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOV_REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    crawler = get_crawler(PortalSpider, {"SCHEDULER": "crawler.distributed.GovScheduler"})
    scheduler = distributed.GovScheduler.from_crawler(crawler)
    assert type(scheduler) is Scheduler


def test_a_redis_url_setting_selects_the_shared_scheduler() -> None:
    crawler = get_crawler(PortalSpider, {"GOV_REDIS_URL": "redis://127.0.0.1:1/0"})
    scheduler = distributed.GovScheduler.from_crawler(crawler)  # connects lazily
    assert isinstance(scheduler, distributed.SharedScheduler)
    crawler = get_crawler(PortalSpider, {"REDIS_URL": "redis://127.0.0.1:1/0"})
    assert distributed.redis_url(crawler.settings) == "redis://127.0.0.1:1/0"


def test_requests_round_trip_as_json_not_pickle() -> None:
    crawler = get_crawler(PortalSpider, {"GOV_PROFILE_DELAYS": False})
    spider = PortalSpider.from_crawler(crawler, site="nd-giaothuy", mode="full")
    request = spider._request(
        "http://giaothuy.namdinh.gov.vn/tin-moi/a-37511",
        "article",
        spider.parse_article,
        page_no=2,
        start="http://x/",
    )
    request.headers["Referer"] = "http://giaothuy.namdinh.gov.vn/"
    request.meta["redirect_urls"] = ["http://old/"]
    data = distributed.dumps(request.to_dict(spider=spider))
    assert data.startswith(b"{")  # JSON, never pickle
    back = request_from_dict(distributed.loads(data), spider=spider)
    assert back.url == request.url and back.callback == spider.parse_article
    assert back.errback is None  # failures are counted by crawler.errors, not an errback
    assert back.meta == request.meta
    assert back.headers.getlist("Referer") == [b"http://giaothuy.namdinh.gov.vn/"]
    assert distributed.loads(distributed.dumps({"body": b"\x00\xff"})) == {"body": b"\x00\xff"}


def test_a_meta_value_json_cannot_carry_fails_loudly() -> None:
    with pytest.raises(TypeError, match="cannot share a request"):
        distributed.dumps(Request("http://x/", meta={"obj": object()}).to_dict())


def test_redis_password_is_masked() -> None:
    assert distributed.mask_redis_url("redis://:s3cret@db:6379/0") == "redis://***@db:6379/0"
    assert distributed.mask_redis_url("redis://db:6379/0") == "redis://db:6379/0"
