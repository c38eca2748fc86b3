"""A store lost mid-run in incremental mode: links are crawled, but pagination still stops."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from pymongo.errors import AutoReconnect
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.incremental import IncrementalMiddleware
from crawler.storage.worker import InlineStoreWorker
from spiders.portal import PortalSpider

LISTING = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "hn-sotttt" / "page-67"


class LostStore:
    def known(self, urls: list[str]) -> dict[str, Any]:
        raise AutoReconnect("connection closed")


async def _aiter(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


async def parse(
    spider: PortalSpider, middleware: IncrementalMiddleware, response: HtmlResponse
) -> list[Any]:
    result = _aiter(spider.parse_listing(response))
    return [out async for out in middleware.process_spider_output(response, result)]


def test_failed_lookups_keep_links_and_count_the_page_as_known() -> None:
    meta = json.loads((LISTING / "meta.json").read_text(encoding="utf-8"))
    crawler = get_crawler(PortalSpider, {"GOV_PROFILE_DELAYS": False})
    crawler.stats.open_spider()
    spider = PortalSpider.from_crawler(crawler, site="hn-sotttt", mode="full")
    middleware = IncrementalMiddleware(
        crawler,
        InlineStoreWorker(LostStore()),  # type: ignore[arg-type]
        spider.target,
    )
    spider.context.stats_sent = spider.side_requests_sent = True
    body = (LISTING / "page.html").read_bytes()
    start = meta["url"]

    outputs = []
    for page_no in (1, 2):
        request = Request(start, meta={"page_no": page_no, "start": start, "page_type": "listing"})
        response = HtmlResponse(start, body=body, request=request)
        outputs.append(asyncio.run(parse(spider, middleware, response)))

    articles = [
        r for r in outputs[0] if isinstance(r, Request) and r.meta["page_type"] == "article"
    ]
    assert len(articles) == crawler.stats.get_value("gov/listing/links") / 2 > 0  # all kept
    assert crawler.stats.get_value("gov/errors/store_lookup") == 2
    # stop_after_known_pages (2): the second unlooked-up page ends the pagination
    assert middleware.known_pages_in_a_row[start] == 2
    assert [r for r in outputs[0] if isinstance(r, Request) and r.meta["page_type"] == "listing"]
    assert not [
        r for r in outputs[1] if isinstance(r, Request) and r.meta["page_type"] == "listing"
    ]
    assert crawler.stats.get_value("gov/listing/stopped_known") == 1
