"""Page objects, as in web-poet: a fetched response in, what it holds out.

The spider hands each response to its page object and yields what the page returns:
:class:`ArticleResponsePage` gives the article item (and the visit statistics, once per run),
:class:`ListingResponsePage` gives the article links, the next listing page and the site
statistics. Reading the page is the pure extraction layer's job (``crawler.extract``); these
classes connect it to the crawl: which site and profile, the article's id, the run's
counters (``crawler.statnames``) and the warnings an operator needs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from parsel import Selector
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler import statnames as stat
from crawler.extract import ArticleData, ArticlePage, ListingPage, selector_for
from crawler.extract.pages import looks_binary, repaired_encoding
from crawler.fields import extracted_values
from crawler.items import ArticleItem, SiteStatsItem
from crawler.profiles import Profile
from crawler.registry import current_province_code
from crawler.target import SiteTarget


@dataclass
class CrawlContext:
    """What page objects share within one crawl of one site."""

    target: SiteTarget
    stats: StatsCollector
    logger: logging.Logger | logging.LoggerAdapter[Any]
    run_id: str | None = None
    stats_sent: bool = False  # the site statistics are stored once per run
    fallback_warned: bool = False  # a profile that stopped matching is reported once


class PortalPage:
    """A response of the crawled site: whether it is usable, and the profile that reads it."""

    def __init__(self, response: Response, context: CrawlContext) -> None:
        self.response = response
        self.context = context
        self.stats = context.stats
        moved = context.target.moved_to(response.url, bool(response.meta.get("redirect_urls")))
        if moved:
            context.logger.warning(
                "site %s moved to %s; following it", context.target.site_id, moved
            )
            self.stats.set_value(stat.SITE_MOVED_TO, moved)

    @cached_property
    def content_type(self) -> str | None:
        value = self.response.headers.get("Content-Type")
        return value.decode("latin-1") if value else None

    @cached_property
    def problem(self) -> str | None:
        """Why the response cannot hold a page: empty, not HTML, or binary."""
        body = self.response.body
        if not body.strip():
            return "empty_page"
        content_type = (self.content_type or "").lower()
        if content_type and not content_type.startswith(("text/html", "application/xhtml")):
            return "not_html"
        if looks_binary(body):
            return "binary_page"
        return None

    @cached_property
    def selector(self) -> Selector:
        return selector_for(self.response.body, self.content_type)

    @cached_property
    def profile(self) -> Profile:
        """The site's profile (detected on the first page of a ``start_url`` crawl). Raises
        :class:`crawler.exceptions.ProfileError` if none fits."""
        target = self.context.target
        known = target.profile is not None
        profile = target.profile_for(self.selector.get(), self.response.url)
        if not known and target.detection is not None:
            self.context.logger.info(
                "%s: detected CMS family %s (%s)",
                target.site_id,
                profile.cms,
                target.detection.method,
            )
            self.stats.set_value(stat.DETECTED_CMS, profile.cms)
        return profile

    def site_stats(self, counters: dict[str, int | None] | None) -> Iterator[SiteStatsItem]:
        """The visit-statistics snapshot, the first time a page of this run shows one."""
        context = self.context
        if not counters or context.stats_sent:
            return
        context.stats_sent = True
        profile = context.target.profile
        yield SiteStatsItem(
            site_id=context.target.site_id,
            url=self.response.url,
            captured_at=datetime.now(UTC),
            run_id=context.run_id,
            province_code=current_province_code(profile.province) if profile else None,
            online=counters.get("online"),
            today=counters.get("today"),
            yesterday=counters.get("yesterday"),
            week=counters.get("week"),
            month=counters.get("month"),
            total=counters.get("total"),
        )

    def home_stats(self) -> Iterator[SiteStatsItem]:
        """The visit statistics of a home page (the widget often lives only there)."""
        if self.problem is None and not self.context.stats_sent:
            yield from self.site_stats(self.reader().extract_site_stats())

    def reader(self) -> ArticlePage:
        return ArticlePage(
            self.profile, self.response.url, self.selector, site=self.context.target.site_id
        )


class ListingResponsePage(PortalPage):
    """A listing page: its article links (on the site's hosts) and the next page."""

    @cached_property
    def listing(self) -> ListingPage:
        return ListingPage(self.profile, self.response.url, self.selector)

    def links(self) -> list[str]:
        page = self.listing
        links = [u for u in page.article_links() if self.context.target.own(u)]
        if page.method == "layout_free":
            self.stats.inc_value(stat.LISTING_LAYOUT_FREE)
        self.stats.inc_value(stat.LISTING_LINKS, len(links))
        if not links:
            self.stats.inc_value(stat.LISTING_EMPTY)
        return links

    def postback_pager(self) -> bool:
        """True the first time a pager that only posts back is met (it cannot be followed)."""
        if not self.listing.postback_only or self.stats.get_value(stat.LISTING_POSTBACK_PAGER):
            return False
        self.stats.set_value(stat.LISTING_POSTBACK_PAGER, True)
        self.context.logger.warning(
            "%s: the pager of %s only posts back; reading /sitemap.xml",
            self.context.target.site_id,
            self.response.url,
        )
        return True

    def next_url(self, page_no: int, start: str) -> str | None:
        """The next listing page on the site's hosts, unless ``max_pages`` is reached."""
        nxt = self.listing.next_page(page_no, start)
        if nxt is None or not self.context.target.own(nxt) or nxt == self.response.url:
            return None
        if page_no >= self.context.target.max_pages:
            self.stats.inc_value(stat.LISTING_STOPPED_MAX_PAGES)
            return None
        return nxt


class ArticleResponsePage(PortalPage):
    """An article page: the article item, or a counted reason to drop it."""

    @cached_property
    def data(self) -> ArticleData:
        return self.reader().extract()

    def drop_reason(self) -> str | None:
        """Why the page holds no article: unusable, or a "page not found" served with 200."""
        if self.problem:
            return self.problem
        return "not_found_page" if ArticlePage.not_found(self.data) else None

    def items(self) -> Iterator[ArticleItem | SiteStatsItem]:
        reason = self.drop_reason()
        if reason:
            self.stats.inc_value(stat.dropped(reason))
            self.stats.inc_value(stat.DROPPED)
            self.context.logger.warning("article %s dropped: %s", self.response.url, reason)
            return
        repair = self._repaired_encoding()
        if repair:  # windows-1258 or TCVN3 sent as UTF-8 or Latin-1: counted, with which
            self.stats.inc_value(stat.EXTRACT_ENCODING_REPAIRED)
            self.stats.inc_value(stat.encoding_repaired(repair))
        self._count(self.data)
        yield from self.site_stats(self.data.site_stats)
        yield self.to_item()

    def to_item(self) -> ArticleItem:
        data, profile, response = self.data, self.profile, self.response
        url = response.request.url if response.request else response.url
        item = ArticleItem(
            **extracted_values(data),
            url=url,
            response_url=response.url,
            canonical_url=self.context.target.canonical(url),
            site_id=self.context.target.site_id,
            cms=profile.cms,
            province=profile.province or None,
            province_code=current_province_code(profile.province),
            level=profile.level,
            fetched_at=datetime.now(UTC),
            missing=data.missing,
        )
        if item.published_at is not None:
            item.published_at = item.published_at.astimezone(UTC)
        return item

    def _repaired_encoding(self) -> str | None:
        body = self.response.body
        if body.isascii():
            return None
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return repaired_encoding(body, self.content_type)
        return None

    def _count(self, data: ArticleData) -> None:
        """What extraction found, missed and fell back to, in the run's counters."""
        inc = self.stats.inc_value
        inc(stat.ARTICLES_EXTRACTED)
        for name in data.missing:
            inc(stat.extract_missing(name))
        for name, method in data.methods.items():
            inc(stat.extract_method(name, method))
        for name, method in data.fallbacks.items():
            inc(stat.extract_fallback(name))
            inc(stat.extract_fallback(name, method))
        if data.fallbacks and not self.context.fallback_warned:
            self.context.fallback_warned = True
            used = ", ".join(f"{k} by {v}" for k, v in sorted(data.fallbacks.items()))
            self.context.logger.warning(
                "%s: profile %s missed fields on %s; fallback used (%s). Later uses are only "
                "counted in gov/extract/fallback/*",
                self.context.target.site_id,
                self.profile.id,
                self.response.url,
                used,
            )
        if data.published_raw and data.published_at is None:
            inc(stat.EXTRACT_BAD_DATE)
        if data.views_raw and data.views is None:
            inc(stat.EXTRACT_BAD_VIEWS)
        if data.date_method == "dateparser":
            inc(stat.EXTRACT_DATE_FALLBACK)
