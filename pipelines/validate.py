"""ValidatePipeline: drop articles without a URL, title or body, or dated in the future.

Every drop raises :class:`InvalidArticle` with a reason counted as ``gov/dropped/<reason>``.
Then every field of a kept article (and of a site-statistics snapshot) is checked on its own
(:mod:`pipelines.values`): an integer the store cannot hold (beyond signed 64 bits), a date
before 1990 or in the future becomes ``None``, text with invalid Unicode (lone surrogates) is
repaired; each is counted as ``gov/extract/bad_value/<field>`` and logged once per field.
Valid articles are counted
(``gov/articles/valid``); field coverage is counted at extraction time by the spider, where a
profile rule's misses are visible. Settings: ``GOV_MAX_FUTURE_SKEW_HOURS`` (default 24).
"""

from __future__ import annotations

import logging
from dataclasses import fields
from datetime import UTC, datetime, timedelta

from scrapy.crawler import Crawler

from crawler import config
from crawler import statnames as stat
from crawler.exceptions import InvalidArticle
from crawler.items import ArticleItem, SiteStatsItem
from pipelines.values import as_utc, check_value

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.max_skew = timedelta(
            hours=config.getfloat(crawler.settings, "GOV_MAX_FUTURE_SKEW_HOURS")
        )
        self.logged: set[str] = set()  # fields whose bad value was logged already

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def _drop(self, item: ArticleItem, reason: str) -> InvalidArticle:
        self.stats.inc_value(stat.dropped(reason))
        self.stats.inc_value(stat.DROPPED)
        return InvalidArticle(reason, f"dropped ({reason}): {item.url}")

    def process_item(self, item: object) -> object:
        if isinstance(item, SiteStatsItem):
            self._check_values(item, datetime.now(UTC) + self.max_skew)
        if not isinstance(item, ArticleItem):
            return item
        if not item.url:
            raise self._drop(item, "no_url")
        if not item.title:
            raise self._drop(item, "no_title")
        if not item.body:
            raise self._drop(item, "no_body")
        latest = datetime.now(UTC) + self.max_skew
        if item.published_at is not None and as_utc(item.published_at) > latest:
            raise self._drop(item, "future_date")
        self._check_values(item, latest)
        self.stats.inc_value(stat.ARTICLES_VALID)
        return item

    def _check_values(self, item: ArticleItem | SiteStatsItem, latest: datetime) -> None:
        for f in fields(item):
            value, bad = check_value(getattr(item, f.name), latest)
            if bad:
                setattr(item, f.name, value)
                self._count_bad(item, f.name, value)
                if f.name == "published_at" and isinstance(item, ArticleItem):
                    item.published_date_only = False

    def _count_bad(self, item: ArticleItem | SiteStatsItem, name: str, value: object) -> None:
        self.stats.inc_value(stat.bad_value(name))
        if name not in self.logged:
            self.logged.add(name)
            logger.warning(
                "bad %s value in %s, stored as %s (further ones only counted as %s)",
                name,
                item.url,
                "null" if value is None else "repaired",
                stat.bad_value(name),
            )
