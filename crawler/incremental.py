"""IncrementalMiddleware: a nightly run fetches only what is new, as scrapy-deltafetch does.

A spider middleware, active when the spider runs in ``incremental`` mode (the default). For each
listing, home or feed page it looks up the article links the page yielded in the store, in one
call on the store worker, and drops the stored ones, except those published inside the
profile's ``refresh_views_days`` window (their view counts still move). Then it applies the
stop rule: after ``stop_after_known_pages`` listing pages in a row with nothing new, the
listing's next page is not requested (``gov/listing/stopped_known``).

If the store cannot be asked, every link is kept (the store pipeline spools what they yield,
and upserts make a re-crawl harmless), but the page counts as "known" for the stop rule: a lost
store must not turn the nightly run into a full crawl.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from crawler import statnames as stat
from crawler.exceptions import StoreUnavailable
from crawler.profiles import Profile
from crawler.storage.runtime import worker_from_settings
from crawler.storage.worker import STORE_ERRORS, StoreWorker, call
from crawler.target import SiteTarget

logger = logging.getLogger(__name__)
FILTERED_PAGES = ("listing", "home", "feed")  # the pages whose article links are filtered


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler, store: StoreWorker, target: SiteTarget) -> None:
        self.crawler = crawler
        self.store = store
        self.target = target
        self.known_pages_in_a_row: dict[str, int] = {}  # per listing start URL

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        spider = crawler.spider
        target = getattr(spider, "target", None)
        if getattr(spider, "mode", None) != "incremental" or not isinstance(target, SiteTarget):
            raise NotConfigured("not an incremental portal crawl")
        try:
            store = worker_from_settings(crawler.settings)
        except StoreUnavailable as exc:
            raise CloseSpider(f"incremental_store_unavailable: {exc}") from None
        return cls(crawler, store, target)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None  # set once the crawl started
        return self.crawler.stats

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        page_type = response.meta.get("page_type")
        if page_type not in FILTERED_PAGES:
            async for out in result:
                yield out
            return
        outputs = [out async for out in result]
        articles = [
            out.url
            for out in outputs
            if isinstance(out, Request) and out.meta.get("page_type") == "article"
        ]
        keep, looked_up = set(articles), True
        if articles and self.target.profile is not None:
            keep, looked_up = await self._new_or_refreshed(articles, self.target.profile)
        start = response.meta.get("start", response.url)
        if page_type != "feed" and articles:
            # a page whose links could not be looked up counts as "known" for the stop rule
            fresh = bool(keep) and looked_up
            self.known_pages_in_a_row[start] = (
                0 if fresh else (self.known_pages_in_a_row.get(start, 0) + 1)
            )
        for out in outputs:
            if (
                isinstance(out, Request)
                and out.meta.get("page_type") == "article"
                and (out.url not in keep)
            ):
                continue
            if self._stops_here(out, start):
                continue
            yield out

    def _stops_here(self, out: Any, start: str) -> bool:
        """The next page of a listing after too many pages with nothing new."""
        if not (
            isinstance(out, Request)
            and out.meta.get("page_type") == "listing"
            and out.meta.get("start") == start
            and int(out.meta.get("page_no", 1)) > 1
        ):
            return False
        assert self.target.profile is not None
        if (
            self.known_pages_in_a_row.get(start, 0)
            < self.target.profile.crawl.stop_after_known_pages
        ):
            return False
        self.stats.inc_value(stat.LISTING_STOPPED_KNOWN)
        return True

    async def _new_or_refreshed(self, links: list[str], profile: Profile) -> tuple[set[str], bool]:
        """The links to crawl, and whether the store was asked."""
        canon = {u: self.target.canonical(u) for u in links}
        try:
            known = await call(self.store, "known", list(canon.values()))
        except STORE_ERRORS as exc:
            if not self.stats.get_value(stat.ERROR_STORE_LOOKUP):
                logger.error("known-article lookup failed, crawling every link: %r", exc)
            self.stats.inc_value(stat.ERROR_STORE_LOOKUP)
            return set(links), False
        horizon = datetime.now(UTC) - timedelta(days=profile.crawl.refresh_views_days)
        keep = set()
        for url in links:
            doc = known.get(canon[url])
            if doc is None:
                keep.add(url)
                continue
            published = doc.get("published_at")
            if published is not None and published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            if published is not None and published >= horizon:
                self.stats.inc_value(stat.INCREMENTAL_REFRESHED)
                keep.add(url)
            else:
                self.stats.inc_value(stat.INCREMENTAL_SKIPPED_KNOWN)
        return keep, True
