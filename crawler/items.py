"""Items the spider yields: one per article, and one visit-statistics snapshot per site and run.

Field names are English snake_case; Vietnamese stays in the data. ``docs/schema.md`` documents
what each stored field means.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass
class ArticleItem:
    url: str
    site_id: str
    cms: str
    canonical_url: str | None = None
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    images: list[dict[str, str | None]] = field(default_factory=list)
    author: str | None = None
    source: str | None = None
    category: str | None = None
    published_at: datetime | None = None
    published_raw: str | None = None
    published_date_only: bool = False
    views: int | None = None
    views_raw: str | None = None
    province: str | None = None
    # official code of the province ``province`` is part of since the 2025 merger ("37")
    province_code: str | None = None
    level: str | None = None
    fetched_at: datetime | None = None
    response_url: str | None = None
    content_hash: str | None = None
    duplicate_of: str | None = None
    missing: list[str] = field(default_factory=list)


@dataclass
class SiteStatsItem:
    site_id: str
    url: str
    captured_at: datetime
    online: int | None = None
    today: int | None = None
    yesterday: int | None = None
    week: int | None = None
    month: int | None = None
    total: int | None = None
    run_id: str | None = None
    province_code: str | None = None  # as in ArticleItem
    extra: dict[str, Any] = field(default_factory=dict)


def to_doc(item: ArticleItem | SiteStatsItem) -> dict[str, Any]:
    """The item's fields as a store document: a shallow copy (``dataclasses.asdict`` deep-copies
    every nested list and dict, ~0.3 ms per article, for values nothing changes afterwards)."""
    return {f.name: getattr(item, f.name) for f in fields(item)}
