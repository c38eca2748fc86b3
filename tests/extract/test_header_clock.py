"""The publication date nearest the headline is taken from the headline's own box: a site
header's clock a few blocks above it ("Thứ Tư, ngày 03/12/2025", outside the article) is
never the article's date, even when the article's own date line is missing or unreadable;
a date row above the title inside the article (a kicker line) still is. A two-digit year
("20/11/25 08:05") is read with its label or its clock beside it."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.profiles import get_profile

URL = "https://dangiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2025-123.html"
TITLE = "Hội nghị tổng kết công tác dân vận năm 2025"
PROSE = (
    "<p>Sáng ngày 20/11, Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm"
    " 2025 và triển khai nhiệm vụ năm 2026 với sự tham dự của lãnh đạo các xã, phường.</p>"
    "<p>Hội nghị đánh giá cao kết quả thực hiện phong trào thi đua Dân vận khéo trên địa bàn"
    " toàn tỉnh trong năm qua, với hơn 1.200 mô hình được công nhận.</p>"
)


def _read(meta: str, kicker: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div class="clock">Thứ Tư, ngày 03/12/2025</div>
<div class="wrap"><article>{kicker}<h1>{TITLE}</h1><div class="meta">{meta}</div>
<div class="content">{PROSE}</div></article></div></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_no_date_of_its_own_gives_no_date_not_the_header_clock() -> None:
    assert _read("<span>Lượt xem: 1.234</span>").published_at is None


def test_a_two_digit_year_with_its_label_and_clock() -> None:
    data = _read("Ngày đăng: 20/11/25 08:05 | Lượt xem: 1.234")
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-11-20T08:05:00+07:00"
    assert data.views == 1234


def test_a_kicker_date_above_the_title_is_still_read() -> None:
    data = _read("", '<div class="kicker">Thời sự | 02/12/2025 10:15</div>')
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-12-02T10:15:00+07:00"
