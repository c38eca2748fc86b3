"""ValidatePipeline: drop articles without a URL, title or body, or dated in the future.

Every drop raises :class:`InvalidArticle` with a reason counted as ``gov/dropped/<reason>``.
Valid articles are counted (``gov/articles/valid``); field coverage is counted at extraction
time by the spider, where a profile rule's misses are visible. Settings:
``GOV_MAX_FUTURE_SKEW_HOURS`` (default 24).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from scrapy.crawler import Crawler

from crawler.exceptions import InvalidArticle
from crawler.items import ArticleItem

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.max_skew = timedelta(hours=crawler.settings.getfloat("GOV_MAX_FUTURE_SKEW_HOURS", 24))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def _drop(self, item: ArticleItem, reason: str) -> InvalidArticle:
        self.stats.inc_value(f"gov/dropped/{reason}")
        self.stats.inc_value("gov/dropped")
        return InvalidArticle(reason, f"dropped ({reason}): {item.url}")

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        if not item.url:
            raise self._drop(item, "no_url")
        if not item.title:
            raise self._drop(item, "no_title")
        if not item.body:
            raise self._drop(item, "no_body")
        if item.published_at is not None:
            now = datetime.now(UTC)
            if item.published_at > now + self.max_skew:
                raise self._drop(item, "future_date")
        self.stats.inc_value("gov/articles/valid")
        return item
