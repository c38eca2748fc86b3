"""Typed exceptions shared by the profile loader, the pipelines and the storage layer."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class ProfileError(ValueError):
    """A site or CMS profile is invalid; the message names the file and the field."""


class StoreUnavailable(RuntimeError):
    """The configured store (MongoDB) cannot be reached."""


class InvalidArticle(DropItem):
    """An article failed validation; ``reason`` is a short slug counted in the stats."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class DuplicateArticle(DropItem):
    """The same canonical URL was already processed in this run."""
