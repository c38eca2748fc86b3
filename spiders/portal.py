"""PortalSpider: one generic, profile-driven spider for every portal.

``scrapy crawl portal -a site=nd-giaothuy`` walks the site's listing pages and their pagination,
follows article links, and yields :class:`ArticleItem` plus one :class:`SiteStatsItem` per run.
Arguments (``-a``):

- ``site``: a site profile id; or ``start_url``: a listing URL of a portal with no profile yet
  (its CMS family is detected from the first page);
- ``base_url``: serve the site from another address (a local mini portal, a moved portal);
- ``mode``: ``incremental`` (default; known articles are skipped except those inside the
  refresh window) or ``full``;
- ``max_pages``: cap on listing pages per start URL.

Links are followed only on the site's own hosts, plus any host a start page redirected to
(portals moved after the 2025 merger): the site id stays the same.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response

from crawler.exceptions import ProfileError, StoreUnavailable
from crawler.extract import ArticlePage, ListingPage, choose_profile, selector_for
from crawler.extract.feeds import feed_links
from crawler.extract.pages import looks_binary, repaired_encoding
from crawler.extract.sections import section_links
from crawler.items import ArticleItem, SiteStatsItem
from crawler.profiles import Profile, with_base_url
from crawler.profiles.resolve import resolve_site
from crawler.registry import current_province_code
from crawler.storage.runtime import worker_from_settings
from crawler.storage.worker import STORE_ERRORS, StoreWorker, call
from crawler.urls import canonicalize

MODES = ("incremental", "full")
MAX_CHILD_SITEMAPS = 5
# stable error names for stats and crawl_runs, whatever Scrapy/Twisted version raised them
ERROR_KINDS = {
    "DNSLookupError": "dns_failure",
    "CannotResolveHostError": "dns_failure",
    "ConnectionRefusedError": "connection_refused",
    "DownloadConnectionRefusedError": "connection_refused",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DownloadTimeoutError": "timeout",
    "DownloadCancelledError": "too_large_or_cancelled",
    "ResponseNeverReceived": "connection_lost",
    "ConnectionLost": "connection_lost",
    "ResponseFailed": "connection_lost",
    "_ResponseFailed": "connection_lost",
    "ConnectionDone": "connection_lost",
}


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
        if not site and not start_url:
            raise ValueError("give -a site=<profile id> or -a start_url=<listing URL>")
        self.mode = mode
        self.start_url = start_url
        self.profile: Profile | None = None
        self.alias: tuple[str, str] | None = None  # (served-from base, real base)
        if site:
            profile = resolve_site(site)  # a site profile file, else its registry row
            if profile.kind != "site":
                raise ProfileError(f"{site!r} is a CMS family, not a site; use -a start_url=...")
            self.profile = with_base_url(profile, base_url) if base_url else profile
            self.site_id = profile.id
            if base_url and profile.base_url:
                # the site served from another address (a mirror, the local mini portal): its
                # articles keep their real URLs as ids, so runs from anywhere dedup together
                self.alias = (self.profile.base_url or base_url, profile.base_url)
        else:
            assert start_url is not None
            # the host, unless the operator names the site (``-a site_id=...``, ``--site-id``)
            self.site_id = site_id or (urlsplit(start_url).hostname or "unknown").removeprefix("www.")
        policy = self.profile.crawl if self.profile else None
        self.max_pages = int(max_pages) if max_pages else (policy.max_listing_pages if policy else 10)
        start_host = (urlsplit(start_url or "").hostname or "").removeprefix("www.")
        self.hosts: set[str] = set(self.profile.hosts if self.profile else [start_host])
        self.stats_sent = False
        self.fallback_warned = False
        self.side_requests_sent = False
        self.known_pages_in_a_row: dict[str, int] = {}
        self.store: StoreWorker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
        if spider.mode == "incremental":
            try:
                spider.store = worker_from_settings(crawler.settings)
            except StoreUnavailable as exc:
                raise CloseSpider(f"incremental_store_unavailable: {exc}") from None
        if spider.profile is not None and crawler.settings.getbool("GOV_PROFILE_DELAYS", True):
            slot_settings = {"delay": spider.profile.crawl.delay,
                             "concurrency": spider.profile.crawl.concurrency}
            slots = dict(crawler.settings.getdict("DOWNLOAD_SLOTS"))
            for host in spider.profile.hosts:
                slots.setdefault(host, slot_settings)
            crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    # -- helpers ---------------------------------------------------------------------------
    def _request(self, url: str, page_type: str, callback: Any, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self._on_error,
            meta={"page_type": page_type, "site_id": self.site_id, **meta},
        )

    def own(self, url: str) -> bool:
        """Whether ``url`` is on one of the site's hosts (or a host it moved to)."""
        return self._own(url)

    def _own(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def _note_redirect(self, response: Response) -> None:
        """A start page that redirected to another host: the site moved; follow it there."""
        host = (urlsplit(response.url).hostname or "").lower().removeprefix("www.")
        if response.meta.get("redirect_urls") and host not in self.hosts:
            self.logger.warning("site %s moved to %s; following it", self.site_id, host)
            self.hosts.add(host)
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("gov/site/moved_to", host)

    def _canonical(self, url: str, profile: Profile) -> str:
        """The article's id: canonical URL, on the site's real host when served from an alias."""
        if self.alias and url.startswith(self.alias[0]):
            url = self.alias[1] + url[len(self.alias[0]) :]
        return canonicalize(url, profile.urls.strip_params)

    @staticmethod
    def _unusable(response: Response) -> str | None:
        """Why a response cannot hold an article: empty, binary, or not HTML at all."""
        body = response.body
        if not body.strip():
            return "empty_page"
        content_type = (response.headers.get("Content-Type") or b"").lower()
        if content_type and not content_type.startswith((b"text/html", b"application/xhtml")):
            return "not_html"
        if looks_binary(body):
            return "binary_page"
        return None

    @staticmethod
    def _selector(response: Response) -> Selector:
        content_type = response.headers.get("Content-Type")
        return selector_for(response.body, content_type.decode("latin-1") if content_type else None)

    def _profile_for(self, response: Response, sel: Selector) -> Profile:
        if self.profile is None:
            detection = choose_profile(sel.get(), response.url)
            self.profile = detection.profile
            self.logger.info(
                "%s: detected CMS family %s (%s)", self.site_id, self.profile.cms, detection.method
            )
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("gov/detected_cms", self.profile.cms)
        return self.profile

    def _stats_item(self, response: Response, counters: dict[str, int | None]) -> SiteStatsItem:
        self.stats_sent = True
        return SiteStatsItem(
            site_id=self.site_id,
            url=response.url,
            captured_at=datetime.now(UTC),
            run_id=self.crawler.settings.get("GOV_RUN_ID") or None,
            province_code=current_province_code(self.profile.province) if self.profile else None,
            online=counters.get("online"),
            today=counters.get("today"),
            yesterday=counters.get("yesterday"),
            week=counters.get("week"),
            month=counters.get("month"),
            total=counters.get("total"),
        )

    # -- crawl -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        urls = self.profile.start_urls if self.profile else [self.start_url or ""]
        discover = self.profile is not None and self.profile.crawl.discover_sections
        for url in urls:
            if discover:
                yield self._request(url, "home", self.parse_home_sections)
            else:
                yield self._request(url, "listing", self.parse_listing, page_no=1, start=url)
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
        requests = [self._request(urljoin(base, feed), "feed", self.parse_feed)
                    for feed in profile.listing.feeds]
        if base != start:
            home = self._request(base, "home", self.parse_home)
            home.priority = -10
            requests.append(home)
        return requests

    async def parse_listing(self, response: Response) -> AsyncIterator[Request | SiteStatsItem]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("gov/pages/listing")
        self._note_redirect(response)
        if self._unusable(response):
            stats.inc_value("gov/listing/unusable")
            return
        sel = self._selector(response)
        try:
            profile = self._profile_for(response, sel)
        except ProfileError as exc:
            stats.inc_value("gov/errors/no_profile")
            self.logger.error("%s", exc)
            return
        for request in self._side_requests(profile, response.meta.get("start", response.url)):
            yield request
        if not self.stats_sent:
            counters = ArticlePage(profile, response.url, sel).extract_site_stats()
            if counters:
                yield self._stats_item(response, counters)
        page = ListingPage(profile, response.url, sel)
        links = [u for u in page.article_links() if self._own(u)]
        if page.method == "layout_free":
            stats.inc_value("gov/listing/layout_free")
        if page.postback_only and not stats.get_value("gov/listing/postback_pager"):
            # a pager that only posts back cannot be followed: read the sitemap instead
            stats.set_value("gov/listing/postback_pager", True)
            self.logger.warning("%s: the pager of %s only posts back; reading /sitemap.xml",
                                self.site_id, response.url)
            yield self._request(urljoin(response.url, "/sitemap.xml"), "feed", self.parse_feed)
        stats.inc_value("gov/listing/links", len(links))
        if not links:
            # nothing to read here, and nothing beyond it worth guessing at
            stats.inc_value("gov/listing/empty")
            return
        new_links, looked_up = await self._filter_known(links, profile)
        start = response.meta.get("start", response.url)
        # a page whose links could not be looked up is crawled, but counts as "known" for the
        # stop rule: a lost store must not turn the nightly run into a full crawl
        if self.mode == "full" or (new_links and looked_up):
            self.known_pages_in_a_row[start] = 0
        else:
            self.known_pages_in_a_row[start] = self.known_pages_in_a_row.get(start, 0) + 1
        for url in new_links:
            yield self._request(url, "article", self.parse_article)
        page_no = int(response.meta.get("page_no", 1))
        nxt = page.next_page(page_no, start)
        if nxt is None or not self._own(nxt) or nxt == response.url:
            return
        if page_no >= self.max_pages:
            stats.inc_value("gov/listing/stopped_max_pages")
            return
        if self.known_pages_in_a_row[start] >= profile.crawl.stop_after_known_pages:
            stats.inc_value("gov/listing/stopped_known")
            return
        yield self._request(nxt, "listing", self.parse_listing, page_no=page_no + 1, start=start)

    async def parse_feed(self, response: Response) -> AsyncIterator[Request]:
        """sitemap.xml (or a sitemap index) or RSS/Atom: article links for AJAX-only listings."""
        stats = self.crawler.stats
        assert stats is not None
        assert self.profile is not None
        stats.inc_value("gov/pages/feed")
        links, children = feed_links(response.body)
        for child in children[:MAX_CHILD_SITEMAPS]:
            if self._own(child):
                yield self._request(child, "feed", self.parse_feed)
        allow = [re.compile(p, re.IGNORECASE) for p in self.profile.urls.article_allow]
        links = [u for u in links if self._own(u) and (not allow or any(p.search(u) for p in allow))]
        stats.inc_value("gov/feed/links", len(links))
        stats.set_value("gov/listing/source", "feed")
        for url in (await self._filter_known(links, self.profile))[0]:
            yield self._request(url, "article", self.parse_article)

    async def _filter_known(self, links: list[str], profile: Profile) -> tuple[list[str], bool]:
        """Incremental mode: drop stored articles, except those inside the refresh window.

        The lookup runs on the store worker; if the store is gone, every link is kept (the
        store pipeline spools what they yield, and upserts make a re-crawl harmless). Returns
        the links to crawl, and whether the store was asked.
        """
        if self.mode == "full" or self.store is None or not links:
            return links, True
        stats = self.crawler.stats
        assert stats is not None
        canon = {u: self._canonical(u, profile) for u in links}
        try:
            known = await call(self.store, "known", list(canon.values()))
        except STORE_ERRORS as exc:
            if not stats.get_value("gov/errors/store_lookup"):
                self.logger.error("known-article lookup failed, crawling every link: %r", exc)
            stats.inc_value("gov/errors/store_lookup")
            return links, False
        horizon = datetime.now(UTC) - timedelta(days=profile.crawl.refresh_views_days)
        keep = []
        for url in links:
            doc = known.get(canon[url])
            if doc is None:
                keep.append(url)
                continue
            published = doc.get("published_at")
            if published is not None and published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            if published is not None and published >= horizon:
                stats.inc_value("gov/incremental/refreshed")
                keep.append(url)
            else:
                stats.inc_value("gov/incremental/skipped_known")
        return keep, True

    def _drop(self, response: Response, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"gov/dropped/{reason}")
        stats.inc_value("gov/dropped")
        self.logger.warning("article %s dropped: %s", response.url, reason)

    def parse_article(self, response: Response) -> Iterator[ArticleItem | SiteStatsItem]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("gov/pages/article")
        reason = self._unusable(response)
        if reason:
            self._drop(response, reason)
            return
        if not response.body.isascii() and not _is_utf8(response.body):
            content_type = response.headers.get("Content-Type")
            repair = repaired_encoding(response.body,
                                       content_type.decode("latin-1") if content_type else None)
            if repair:  # windows-1258 or TCVN3 sent as UTF-8 or Latin-1: counted, with which
                stats.inc_value("gov/extract/encoding_repaired")
                stats.inc_value(f"gov/extract/encoding_repaired/{repair}")
        sel = self._selector(response)
        profile = self._profile_for(response, sel)
        data = ArticlePage(profile, response.url, sel, site=self.site_id).extract()
        if ArticlePage.not_found(data):  # "Trang không tồn tại" served with status 200
            self._drop(response, "not_found_page")
            return
        stats.inc_value("gov/articles/extracted")
        for name in data.missing:
            stats.inc_value(f"gov/extract/missing/{name}")
        for name, method in data.methods.items():
            stats.inc_value(f"gov/extract/method/{name}/{method}")
        self._count_fallbacks(data.fallbacks, profile, response.url)
        if data.published_raw and data.published_at is None:
            stats.inc_value("gov/extract/bad_date")
        if data.views_raw and data.views is None:
            stats.inc_value("gov/extract/bad_views")
        if data.date_method == "dateparser":
            stats.inc_value("gov/extract/date_fallback")
        if data.site_stats and not self.stats_sent:
            yield self._stats_item(response, data.site_stats)
        request_url = response.request.url if response.request else response.url
        yield ArticleItem(
            url=request_url,
            response_url=response.url,
            canonical_url=self._canonical(request_url, profile),
            site_id=self.site_id,
            cms=profile.cms,
            title=data.title,
            summary=data.summary,
            body=data.body,
            images=data.images,
            author=data.author,
            source=data.source,
            category=data.category,
            published_at=data.published_at.astimezone(UTC) if data.published_at else None,
            published_raw=data.published_raw,
            published_date_only=data.published_date_only,
            views=data.views,
            views_raw=data.views_raw,
            province=profile.province or None,
            province_code=current_province_code(profile.province),
            level=profile.level,
            fetched_at=datetime.now(UTC),
            missing=data.missing,
        )

    def _count_fallbacks(self, fallbacks: dict[str, str], profile: Profile, url: str) -> None:
        """Count every fallback use; warn once per site, so a profile that broke is visible."""
        if not fallbacks:
            return
        stats = self.crawler.stats
        assert stats is not None
        for name, method in fallbacks.items():
            stats.inc_value(f"gov/extract/fallback/{name}")
            stats.inc_value(f"gov/extract/fallback/{name}/{method}")
        if not self.fallback_warned:
            self.fallback_warned = True
            used = ", ".join(f"{k} by {v}" for k, v in sorted(fallbacks.items()))
            self.logger.warning(
                "%s: profile %s missed fields on %s; fallback used (%s). Later uses are only "
                "counted in gov/extract/fallback/*", self.site_id, profile.id, url, used,
            )

    def parse_home(self, response: Response) -> Iterator[SiteStatsItem]:
        self._note_redirect(response)
        if self._unusable(response):
            return
        sel = self._selector(response)
        profile = self._profile_for(response, sel)
        counters = ArticlePage(profile, response.url, sel).extract_site_stats()
        if counters and not self.stats_sent:
            yield self._stats_item(response, counters)

    async def parse_home_sections(
        self, response: Response
    ) -> AsyncIterator[Request | SiteStatsItem]:
        """A home page (``crawl.discover_sections``): walk its news sections as listings, and
        read the home page itself as one too (portal homes list the latest news; it is all
        there is when no section is found, or when the sections are gone)."""
        self._note_redirect(response)  # a moved portal: its sections are on the new host
        sel = None if self._unusable(response) else self._selector(response)
        sections = [u for u in section_links(sel, response.url) if self._own(u)] if sel else []
        if not sections:
            async for result in self.parse_listing(response):
                yield result
            return
        self.logger.info("%s: news sections from the home page: %s", self.site_id,
                         ", ".join(sections))
        async for result in self.parse_listing(response):
            yield result
        for url in sections:
            yield self._request(url, "listing", self.parse_listing, page_no=1, start=url)

    def _on_error(self, failure: Any) -> None:
        stats = self.crawler.stats
        assert stats is not None
        request = getattr(failure, "request", None)
        page_type = request.meta.get("page_type", "unknown") if request is not None else "unknown"
        name = failure.type.__name__ if failure.type else "Error"
        value = failure.value
        status = getattr(getattr(value, "response", None), "status", None)
        key = f"http_{status}" if status else ERROR_KINDS.get(name, name)
        text = str(value).lower()
        if name == "IgnoreRequest" and "robots.txt" in text:
            key = "robots_forbidden"
        elif name == "IgnoreRequest" and text.startswith("offsite_redirect"):
            key = "offsite_redirect"
        elif name == "IgnoreRequest" and "redirect" in text:
            key = "redirect_loop"
        stats.inc_value(f"gov/errors/{key}")
        stats.inc_value(f"gov/errors_by_page/{page_type}")
        self.logger.warning("%s %s failed: %s", page_type, request.url if request else "?", key)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
