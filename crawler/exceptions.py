"""Typed exceptions shared by the profile loader, the pipelines and the storage layer.

``InvalidArticle`` and ``DuplicateArticle`` (Scrapy ``DropItem``\\ s) live in ``crawler.drops``
and are imported from there on first use: this module is imported by every command, and
``scrapy.exceptions`` would import all of Scrapy (``python -m crawler report`` needs none of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.drops import DuplicateArticle, InvalidArticle

__all__ = ["DuplicateArticle", "InvalidArticle", "ProfileError", "StoreUnavailable"]


class ProfileError(ValueError):
    """A site or CMS profile is invalid; the message names the file and the field."""


class StoreUnavailable(RuntimeError):
    """The configured store (MongoDB) cannot be reached."""


def __getattr__(name: str) -> Any:
    """``InvalidArticle`` and ``DuplicateArticle``, from ``crawler.drops`` (Scrapy) on first use."""
    if name in ("InvalidArticle", "DuplicateArticle"):
        from crawler import drops

        return getattr(drops, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
