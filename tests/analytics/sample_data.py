"""A small hand-made dataset whose query answers are known, including Vietnam-time edges.

``nd-a2`` is published at 23:30 on 31 January in Vietnam (16:30Z) and ``nd-a1`` at 00:30 on
1 February (17:30Z on 31 January): bucketing or filtering in UTC instead of Vietnam time moves
``nd-a1`` into January, and the tests notice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crawler.analytics.republication import build_clusters
from crawler.storage import ArticleStore
from tests.analytics.articles_vi import DAN_VAN, DAN_VAN_EDITED, OCOP, THUY_LOI

GT = "http://giaothuy.namdinh.gov.vn/tin-moi/"
HN = "https://sotttt.hanoi.gov.vn/vi/tin-tuc-su-kien/"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def article(
    url: str,
    site: str,
    title: str,
    body: str,
    published: datetime | None,
    views: int | None,
    history: list[tuple[datetime, int]] | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "canonical_url": url,
        "url": url,
        "site_id": site,
        "cms": "vnportal",
        "title": title,
        "body": body,
        "published_at": published,
        "views": views,
        "views_raw": None if views is None else str(views),
        "images": [],
        "missing": [],
        "first_seen_at": utc(2026, 11, 1),
        "last_seen_at": utc(2026, 11, 2),
    }
    if history:
        doc["views_history"] = [{"at": at, "views": v} for at, v in history]
    return doc


A1 = GT + "hoi-nghi-dan-van-1"
A2 = GT + "thuy-loi-2"
A3 = GT + "ocop-3"
B1 = HN + "dan-van-b1"
B2 = HN + "undated-b2"
B3 = HN + "new-year-b3"

ARTICLES = [
    article(
        A1,
        "nd-giaothuy",
        DAN_VAN.title,
        DAN_VAN.body,
        utc(2021, 1, 31, 17, 30),
        500,
        [(utc(2021, 2, 2), 100), (utc(2021, 2, 5), 400), (utc(2021, 2, 7), 500)],
    ),
    article(
        A2,
        "nd-giaothuy",
        THUY_LOI.title,
        THUY_LOI.body,
        utc(2021, 1, 31, 16, 30),
        1200,
        [(utc(2021, 2, 2), 1200)],
    ),
    article(A3, "nd-giaothuy", OCOP.title, OCOP.body, utc(2021, 2, 10, 2), None),
    article(
        B1,
        "hn-sotttt",
        DAN_VAN_EDITED.title,
        DAN_VAN_EDITED.body,
        utc(2021, 2, 15, 3),
        38661,
        [(utc(2021, 2, 16), 38000), (utc(2021, 2, 18), 38661)],
    ),
    article(
        B2, "hn-sotttt", "Thông báo lịch tiếp công dân", "Lịch tiếp công dân tháng 3.", None, 5
    ),
    article(
        B3,
        "hn-sotttt",
        "Chúc mừng năm mới 2022",
        "Sở Thông tin và Truyền thông chúc mừng.",
        utc(2022, 1, 1, 1),
        10,
    ),
]

SITE_STATS: list[dict[str, Any]] = [
    {
        "site_id": "nd-giaothuy",
        "run_id": f"r{day}",
        "url": GT,
        "captured_at": utc(2021, 2, day, 15),
        "online": 30 + day,
        "today": 300 + day,
        "yesterday": None,
        "week": 14000 + day,
        "month": None,
        "total": 2683000 + 100 * day,
        "extra": {},
    }
    for day in (1, 2, 3)
] + [
    {
        "site_id": "hn-sotttt",
        "run_id": "r1",
        "url": HN,
        "captured_at": utc(2021, 2, 1, 15),
        "online": 27,
        "today": None,
        "yesterday": None,
        "week": None,
        "month": None,
        "total": 4798809,
        "extra": {},
    },
]


def populate(store: ArticleStore) -> None:
    """Insert the articles and snapshots, then build the republication clusters."""
    store.articles.insert_many([dict(a) for a in ARTICLES])
    store.site_stats.insert_many([dict(s) for s in SITE_STATS])
    build_clusters(store)
