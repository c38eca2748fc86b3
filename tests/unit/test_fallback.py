"""Fallbacks fill only what a profile rule missed, and say which method did it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.extract import extract_article
from crawler.miniportal import SITES_DIR

SEED = (SITES_DIR / "nd-giaothuy" / "article-37511.html").read_text(encoding="utf-8")
VN = timezone(timedelta(hours=7))
URL = "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-37511"
META_DATE = '<meta property="article:published_time" content="2021-03-15T10:20:00+07:00" />'


def test_no_fallback_when_the_profile_matches() -> None:
    data = extract_article(SEED, URL, "nd-giaothuy")
    assert data.fallbacks == {}


def test_missing_date_comes_from_metadata() -> None:
    page = SEED.replace('<span class="PostDate">Thứ Hai, 15/03/2021 10:20</span>', "")
    page = page.replace("</head>", META_DATE + "</head>")
    data = extract_article(page, URL, "nd-giaothuy")
    assert data.fallbacks == {"published_at": "meta"}
    assert (
        data.published_at is not None
        and data.published_at.isoformat() == "2021-03-15T10:20:00+07:00"
    )


def test_unreadable_visible_date_is_not_overridden_by_metadata() -> None:
    page = SEED.replace("15/03/2021 10:20", "31/02/2021 10:20").replace(
        "</head>", META_DATE + "</head>"
    )
    data = extract_article(page, URL, "nd-giaothuy")
    assert data.published_at is None
    assert data.published_raw == "Thứ Hai, 31/02/2021 10:20"
    assert "published_at" not in data.fallbacks


def test_layout_change_falls_back_to_the_layout_free_reader() -> None:
    page = SEED.replace("ArticleDetailControl", "NewsDetail")
    data = extract_article(page, URL, "nd-giaothuy")
    assert data.methods == {
        "title": "meta_title",
        "body": "article_block",
        "published_at": "near_headline",
        "views": "near_headline",
        "author": "byline",
        "source": "byline",
    }
    # every rule the family has that missed is a fallback; it has no source rule
    assert data.fallbacks == {k: v for k, v in data.methods.items() if k != "source"}
    assert data.title == "Hội nghị trực tuyến công tác Dân vận năm 2021"
    assert data.published_at == datetime(2021, 3, 15, 10, 20, tzinfo=VN) and data.views == 137
    assert data.body is not None and "Chánh Văn phòng Ban Dân vận Trung ương" in data.body
    assert "Thống kê truy cập" not in data.body and "Tin liên quan" not in data.body
    assert data.author == "Hoàng Mai"


def test_trafilatura_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (
        "<html><head><title>x</title><meta property='og:title' content='Thông báo lịch tiếp dân'>"
        "</head><body><nav><a href='/'>Trang chủ</a></nav><div><span>Ngày 5/6 lãnh đạo UBND "
        "huyện tiếp công dân định kỳ tại trụ sở tiếp công dân huyện, giải quyết các kiến nghị "
        "của người dân về đất đai, môi trường và chính sách xã hội theo quy định.</span>"
        "</div></body></html>"
    )
    # when the layout-free reader finds no article block, trafilatura is asked
    from crawler.extract import pages
    from crawler.extract.layoutfree import FreeArticle

    monkeypatch.setattr(
        pages,
        "read_article",
        lambda *a: FreeArticle(title="Thông báo lịch tiếp dân", methods={"title": "meta"}),
    )
    data = extract_article(page, URL, "generic")
    assert data.title == "Thông báo lịch tiếp dân"
    assert data.methods.get("body") == "trafilatura"
    assert data.fallbacks == {}  # generic has no rules to miss: its methods are not fallbacks
    assert data.body is not None and "tiếp công dân định kỳ" in data.body
