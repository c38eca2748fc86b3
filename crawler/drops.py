"""Why the pipelines drop an item: Scrapy's ``DropItem`` with the reason counted in the stats.

Kept apart from ``crawler.exceptions`` (which the read-only commands import) because importing
``scrapy.exceptions`` imports all of Scrapy; ``crawler.exceptions`` still exports both names.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class InvalidArticle(DropItem):
    """An article failed validation; ``reason`` is a short slug counted in the stats."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class DuplicateArticle(DropItem):
    """The same canonical URL was already processed in this run."""
