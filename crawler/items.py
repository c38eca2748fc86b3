"""Items the spider yields: one per article, and one visit-statistics snapshot per site and run.

Field names are English snake_case; Vietnamese stays in the data. ``docs/schema.md`` documents
what each stored field means.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from crawler.fields import ONCE, PER_CRAWL, ArticleFields, flagged, spec, unflagged


@dataclass(kw_only=True)
class ArticleItem(ArticleFields):
    """An article as stored: what the page says (:class:`ArticleFields`) and where it came from.

    Field flags (``crawler.fields``): ``once`` is set when the article is first stored;
    ``per_crawl`` describes the latest crawl; ``transient`` is not stored as such.
    """

    url: str = field()
    site_id: str = field()
    cms: str = field()
    canonical_url: str | None = spec(once=True)
    province: str | None = spec()
    # official code of the province ``province`` is part of since the 2025 merger ("37")
    province_code: str | None = spec()
    level: str | None = spec()
    fetched_at: datetime | None = spec(once=True, transient=True)  # stored as first_seen_at
    response_url: str | None = spec()
    content_hash: str | None = spec()
    duplicate_of: str | None = spec(per_crawl=True)
    missing: list[str] = spec(factory=list, per_crawl=True)


# fields a re-crawl may change (everything but what is set once)
MUTABLE_FIELDS = unflagged(ArticleItem, ONCE)
# fields whose stored value a re-crawl that cannot read them keeps
KEPT_FIELDS = tuple(f for f in MUTABLE_FIELDS if f not in flagged(ArticleItem, PER_CRAWL))
# the article fields a store document holds as the item gives them
STORED_FIELDS = unflagged(ArticleItem, "transient")


@dataclass
class SiteStatsItem:
    """One snapshot of a portal's visit-statistics widget ("Thống kê truy cập")."""

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
