"""A store lost mid-run in incremental mode: links are crawled, but pagination still stops."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from pymongo.errors import AutoReconnect
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.storage.worker import InlineStoreWorker
from spiders.portal import PortalSpider

LISTING = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "hn-sotttt" / "page-67"


class LostStore:
    def known(self, urls: list[str]) -> dict[str, Any]:
        raise AutoReconnect("connection closed")


async def parse(spider: PortalSpider, response: HtmlResponse) -> list[Any]:
    return [out async for out in spider.parse_listing(response)]


def test_failed_lookups_keep_links_and_count_the_page_as_known() -> None:
    meta = json.loads((LISTING / "meta.json").read_text(encoding="utf-8"))
    crawler = get_crawler(PortalSpider, {"GOV_PROFILE_DELAYS": False})
    crawler.stats.open_spider()
    spider = PortalSpider.from_crawler(crawler, site="hn-sotttt", mode="full")
    spider.mode, spider.store = "incremental", InlineStoreWorker(LostStore())  # type: ignore[arg-type]
    spider.stats_sent = spider.side_requests_sent = True
    body = (LISTING / "page.html").read_bytes()
    start = meta["url"]

    outputs = []
    for page_no in (1, 2):
        request = Request(start, meta={"page_no": page_no, "start": start})
        outputs.append(asyncio.run(parse(spider, HtmlResponse(start, body=body, request=request))))

    articles = [r for r in outputs[0] if isinstance(r, Request) and r.meta["page_type"] == "article"]
    assert len(articles) == crawler.stats.get_value("gov/listing/links") / 2 > 0  # all kept
    assert crawler.stats.get_value("gov/errors/store_lookup") == 2
    # stop_after_known_pages (2): the second unlooked-up page ends the pagination
    assert spider.known_pages_in_a_row[start] == 2
    assert not [r for r in outputs[1] if isinstance(r, Request) and r.meta["page_type"] == "listing"]
    assert crawler.stats.get_value("gov/listing/stopped_known") == 1
