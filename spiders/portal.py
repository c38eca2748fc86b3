"""PortalSpider: one generic, profile-driven spider for every portal.

``scrapy crawl portal -a site=nd-giaothuy`` walks the site's listing pages and their pagination,
follows article links, and yields :class:`ArticleItem` plus one :class:`SiteStatsItem` per run.
Arguments (``-a``):

- ``site``: a site profile id; or ``start_url``: a listing URL of a portal with no profile yet
  (its CMS family is detected from the first page), stored under ``site_id`` or its host;
- ``base_url``: serve the site from another address (a local mini portal, a moved portal);
- ``mode``: ``incremental`` (default; known articles are skipped except those inside the
  refresh window) or ``full``;
- ``max_pages``: cap on listing pages per start URL.

The spider only routes: pages are read by page objects (``crawler.pageobjects``), the site and
its hosts are a :class:`crawler.target.SiteTarget`, and the cross-cutting parts are components:
the incremental filter (``crawler.incremental``), failure counting (``crawler.errors``), the
profile's download slots (``crawler.politeness``). ``docs/architecture.md`` has the picture.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawler import statnames as stat
from crawler.exceptions import ProfileError
from crawler.extract.feeds import feed_links
from crawler.extract.sections import section_links
from crawler.items import ArticleItem, SiteStatsItem
from crawler.pageobjects import ArticleResponsePage, CrawlContext, ListingResponsePage, PortalPage
from crawler.politeness import use_profile_slots
from crawler.profiles import Profile
from crawler.target import SiteTarget

MODES = ("incremental", "full")
MAX_CHILD_SITEMAPS = 5
Output = Request | ArticleItem | SiteStatsItem


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        site: str | None = None,
        start_url: str | None = None,
        base_url: str | None = None,
        mode: str = "incremental",
        max_pages: str | int | None = None,
        site_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        self.target = SiteTarget.from_args(site, start_url, base_url, site_id, max_pages)
        self.site_id = self.target.site_id
        self.side_requests_sent = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
        use_profile_slots(crawler.settings, spider.target.profile)
        return spider

    @cached_property
    def context(self) -> CrawlContext:
        """What the page objects share; the crawler's stats exist once the crawl started."""
        stats = self.crawler.stats
        assert stats is not None
        return CrawlContext(
            self.target, stats, self.logger, self.crawler.settings.get("GOV_RUN_ID") or None
        )

    @property
    def profile(self) -> Profile | None:
        return self.target.profile

    def own(self, url: str) -> bool:
        """Whether ``url`` is on one of the site's hosts (or a host it moved to)."""
        return self.target.own(url)

    def _request(self, url: str, page_type: str, callback: Any, **meta: Any) -> Request:
        return Request(
            url, callback=callback, meta={"page_type": page_type, "site_id": self.site_id, **meta}
        )

    def _listing(self, url: str, start: str, page_no: int = 1) -> Request:
        return self._request(url, "listing", self.parse_listing, page_no=page_no, start=start)

    # -- crawl -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        urls = self.target.start_urls
        discover = self.profile is not None and self.profile.crawl.discover_sections
        for url in urls:
            yield (
                self._request(url, "home", self.parse_home_sections)
                if discover
                else self._listing(url, url)
            )
        if self.profile is not None:
            for request in self._side_requests(self.profile, urls[0]):
                yield request

    def _side_requests(self, profile: Profile, start: str) -> list[Request]:
        """Feeds (sitemap/RSS) and the home page, once per run, as soon as the family is known.

        With ``start_url`` the family is only known after the first listing page, so they are
        scheduled from there. The home page is a low-priority request (the visit-statistics
        widget often lives only there), dropped by the dupe filter when it is also a listing.
        """
        if self.side_requests_sent:
            return []
        self.side_requests_sent = True
        parts = urlsplit(start)
        base = profile.base_url or f"{parts.scheme}://{parts.netloc}/"
        requests = [
            self._request(urljoin(base, feed), "feed", self.parse_feed)
            for feed in profile.listing.feeds
        ]
        if base != start:
            home = self._request(base, "home", self.parse_home)
            home.priority = -10
            requests.append(home)
        return requests

    def parse_listing(self, response: Response) -> Iterator[Output]:
        stats = self.context.stats
        stats.inc_value(stat.PAGES_LISTING)
        page = ListingResponsePage(response, self.context)
        if page.problem:
            stats.inc_value(stat.LISTING_UNUSABLE)
            return
        try:
            profile = page.profile
        except ProfileError as exc:
            stats.inc_value(stat.ERROR_NO_PROFILE)
            self.logger.error("%s", exc)
            return
        start = response.meta.get("start", response.url)
        yield from self._side_requests(profile, start)
        yield from page.site_stats(page.reader().extract_site_stats())
        if page.postback_pager():  # it cannot be followed: read the sitemap instead
            yield self._request(urljoin(response.url, "/sitemap.xml"), "feed", self.parse_feed)
        links = page.links()
        if not links:  # nothing to read here, and nothing beyond it worth guessing at
            return
        for url in links:
            yield self._request(url, "article", self.parse_article)
        page_no = int(response.meta.get("page_no", 1))
        nxt = page.next_url(page_no, start)
        if nxt is not None:
            yield self._listing(nxt, start, page_no + 1)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """sitemap.xml (or a sitemap index) or RSS/Atom: article links for AJAX-only listings."""
        stats = self.context.stats
        assert self.profile is not None
        stats.inc_value(stat.PAGES_FEED)
        links, children = feed_links(response.body)
        for child in children[:MAX_CHILD_SITEMAPS]:
            if self.own(child):
                yield self._request(child, "feed", self.parse_feed)
        allow = [re.compile(p, re.IGNORECASE) for p in self.profile.urls.article_allow]
        links = [u for u in links if self.own(u) and (not allow or any(p.search(u) for p in allow))]
        stats.inc_value(stat.FEED_LINKS, len(links))
        stats.set_value(stat.LISTING_SOURCE, "feed")
        for url in links:
            yield self._request(url, "article", self.parse_article)

    def parse_article(self, response: Response) -> Iterator[ArticleItem | SiteStatsItem]:
        self.context.stats.inc_value(stat.PAGES_ARTICLE)
        yield from ArticleResponsePage(response, self.context).items()

    def parse_home(self, response: Response) -> Iterator[SiteStatsItem]:
        yield from PortalPage(response, self.context).home_stats()

    def parse_home_sections(self, response: Response) -> Iterator[Output]:
        """A home page (``crawl.discover_sections``): walk its news sections as listings, and
        read the home page itself as one too (portal homes list the latest news; it is all
        there is when no section is found, or when the sections are gone)."""
        page = PortalPage(response, self.context)  # a moved portal: its sections are there
        sections = (
            []
            if page.problem
            else [u for u in section_links(page.selector, response.url) if self.own(u)]
        )
        if sections:
            self.logger.info(
                "%s: news sections from the home page: %s", self.site_id, ", ".join(sections)
            )
        yield from self.parse_listing(response)
        for url in sections:
            yield self._listing(url, url)
