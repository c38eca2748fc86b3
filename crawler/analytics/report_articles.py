"""The article side of the report in one pass over the documents, for the embedded store.

litemongo answers each of the report's article queries (a count, six aggregations) by decoding,
copying and filtering every article again: seven passes, about 100 us per article each.
:class:`ArticleTally` takes each article once and gives the same answers as the queries of
``report_data`` (same scope, same sort orders and ties, same projections), so the report reads
the articles' file once (``crawler.storage.recent.documents``). ``tests/analytics`` checks that
both ways give the same report.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from crawler.analytics.vntime import vn_day_start

VN_HOURS = timedelta(hours=7)
ARTICLE_FIELDS = ("canonical_url", "site_id", "title", "published_at", "views")


def is_number(value: Any) -> bool:
    """What ``{"$type": "number"}`` matches."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def iso_week(published: datetime) -> str:
    """``%G-W%V`` of the date in Vietnam time, as the weekly query formats it."""
    year, week, _ = (published + VN_HOURS).isocalendar()
    return f"{year}-W{week:02d}"


def _type_rank(value: Any) -> int:
    """MongoDB's sort order of the types a view count may have: null < numbers < the rest."""
    if value is None:
        return 0
    return 1 if is_number(value) else 2


def view_order(doc: dict[str, Any]) -> tuple[Any, ...]:
    """Sort key for ``{"views": -1, "canonical_url": 1}`` as the largest key first."""
    views = doc.get("views")
    rank = _type_rank(views)
    value = views if rank == 1 else 0
    url = doc.get("canonical_url")
    return (rank, value, _Reversed(url if isinstance(url, str) else ""))


class _Reversed:
    """A string that sorts backwards (the ascending tie-break inside a descending order)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: _Reversed) -> bool:
        return self.text > other.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)


@dataclass
class _Top:
    """The ``limit`` largest documents by :func:`view_order` (a bounded heap)."""

    limit: int
    heap: list[tuple[tuple[Any, ...], int, dict[str, Any]]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def offer(self, doc: dict[str, Any], keep: tuple[str, ...]) -> None:
        full = len(self.heap) >= self.limit
        if full and self._below(doc.get("views")):
            return
        key = view_order(doc)
        if full and not self.heap[0][0] < key:
            return
        row = {name: doc[name] for name in keep if name in doc}
        entry = (key, -next(self.counter), row)
        if len(self.heap) < self.limit:
            heapq.heappush(self.heap, entry)
        else:
            heapq.heapreplace(self.heap, entry)

    def _below(self, views: Any) -> bool:
        """The view count alone puts the document under the smallest kept (most do)."""
        rank, value = _type_rank(views), views
        low_rank, low_value = self.heap[0][0][:2]
        if rank != low_rank:
            return bool(rank < low_rank)
        return bool(rank == 1 and value < low_value)

    def rows(self) -> list[dict[str, Any]]:
        ordered = sorted(self.heap, key=lambda e: e[:2], reverse=True)
        return [_aware(row) for _, _, row in ordered]


def _utc(value: Any) -> Any:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else value


def _aware(row: dict[str, Any]) -> dict[str, Any]:
    """The row's dates as the store's queries give them: aware, UTC."""
    if "published_at" in row:
        row["published_at"] = _utc(row["published_at"])
    history = row.get("views_history")
    if isinstance(history, list):
        row["views_history"] = [
            {k: _utc(v) for k, v in h.items()} if isinstance(h, dict) else h for h in history
        ]
    return row


@dataclass
class ArticleTally:
    """Everything the report shows of the articles in its scope, from one pass."""

    since: date | None
    sites: list[str] | None
    top_limit: int
    growth_limit: int
    boundaries: tuple[int, ...]
    articles: int = 0
    dated: int = 0
    first: datetime | None = None
    last: datetime | None = None
    site_ids: set[Any] = field(default_factory=set)
    weekly: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    buckets: dict[Any, int] = field(default_factory=lambda: defaultdict(int))
    provinces: dict[tuple[Any, Any, Any], int] = field(default_factory=lambda: defaultdict(int))
    top: _Top = field(init=False)
    growth: dict[int, _Top] = field(init=False)

    def __post_init__(self) -> None:
        self.top = _Top(self.top_limit)
        self.growth = {2: _Top(self.growth_limit), 1: _Top(self.growth_limit)}
        # the documents' dates are naive UTC (``recent.documents``)
        start = vn_day_start(self.since) if self.since is not None else None
        self._start = start.replace(tzinfo=None) if start is not None else None
        self._sites = set(self.sites) if self.sites else None

    def in_scope(self, doc: dict[str, Any]) -> bool:
        if self._sites is not None and doc.get("site_id") not in self._sites:
            return False
        if self._start is None:
            return True
        published = doc.get("published_at")
        return isinstance(published, datetime) and published >= self._start

    def add_all(self, docs: Iterable[dict[str, Any]]) -> ArticleTally:
        for doc in docs:
            if self.in_scope(doc):
                self.add(doc)
        return self

    def add(self, doc: dict[str, Any]) -> None:
        self.articles += 1
        site = doc.get("site_id")
        self.site_ids.add(site)
        self.provinces[(doc.get("province_code"), doc.get("province"), site)] += 1
        published = doc.get("published_at")
        if published is not None:
            self._dated(site, published)
        views = doc.get("views")
        if is_number(views):
            self.buckets[self._bucket(views)] += 1
            self.top.offer(doc, ARTICLE_FIELDS)
        history = doc.get("views_history")
        if isinstance(history, list) and history:
            for points in (2, 1) if len(history) >= 2 else (1,):
                self.growth[points].offer(doc, (*ARTICLE_FIELDS, "views_history"))

    def _dated(self, site: Any, published: Any) -> None:
        self.dated += 1
        if not isinstance(published, datetime):
            return
        self.first = published if self.first is None else min(self.first, published)
        self.last = published if self.last is None else max(self.last, published)
        week = iso_week(published)
        counts = self.weekly[site or "?"]
        counts[week] = counts.get(week, 0) + 1

    def _bucket(self, views: Any) -> Any:
        for low, high in itertools.pairwise(self.boundaries):
            if low <= views < high:
                return low
        return "other"

    def view_buckets(self) -> list[tuple[int, int]]:
        return [(low, self.buckets.get(low, 0)) for low in self.boundaries[:-1]]

    def growth_rows(self) -> list[dict[str, Any]]:
        return self.growth[2].rows() or self.growth[1].rows()

    def province_groups(self) -> list[tuple[dict[str, Any], int]]:
        return [
            ({"code": code, "province": province, "site": site}, n)
            for (code, province, site), n in self.provinces.items()
        ]
