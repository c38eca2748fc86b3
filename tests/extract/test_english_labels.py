"""The layout-free reader on a bilingual template's English labels (template-faithful, after
``tests/fixtures/unprofiled/bilingual-labels-gov``): "Posted on November 20, 2025" and "Nov
18, 2025 2:35 PM" are dates; "By:" names the author and "Source:" the source, "Posted by:" the
account; a "Visitors: Online … | Today … | Total …" line or a "Visitor statistics" box is the
visit widget; an "Attachments:" heading is no byline; an English summary under the Vietnamese
story is no part of it."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.extract.dates import parse_vi_datetime
from crawler.profiles import get_profile

URL = "https://bqlkcn.bacninh.gov.vn/vi/news/thu-hut-fdi-11-thang-2025-1187.html"
TITLE = "Bắc Ninh thu hút hơn 4,6 tỷ USD vốn đầu tư trực tiếp nước ngoài trong 11 tháng"
PARAS = "".join(
    f"<p>Trong 11 tháng năm 2025, các khu công nghiệp của tỉnh đã cấp mới {n} dự án đầu tư"
    f" trực tiếp nước ngoài, điều chỉnh vốn cho {n}2 lượt dự án đang hoạt động.</p>"
    for n in range(3, 7)
)


@pytest.mark.parametrize(
    ("raw", "iso", "date_only"),
    [
        ("Posted on November 20, 2025", "2025-11-20T00:00:00+07:00", True),
        ("Nov 18, 2025 2:35 PM", "2025-11-18T14:35:00+07:00", False),
        ("20 November 2025 08:10", "2025-11-20T08:10:00+07:00", False),
        ("Dec. 3, 2025", "2025-12-03T00:00:00+07:00", True),
    ],
)
def test_english_dates(raw: str, iso: str, date_only: bool) -> None:
    parsed = parse_vi_datetime(raw)
    assert parsed is not None and parsed.value.isoformat() == iso
    assert parsed.date_only is date_only


def _read(meta: str, after: str = "", footer: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div class="top">Friday, November 21, 2025 | VI | EN</div>
<div class="ip2-main"><h1>{TITLE}</h1><div class="ip2-meta">{meta}</div>
<div class="ip2-body">{PARAS}</div>{after}
<div class="ip2-tools"><a href="#">Share Facebook</a> <a href="#">Print this page</a></div></div>
<footer>Ban Quản lý các KCN tỉnh Bắc Ninh{footer}</footer></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_english_byline_labels_and_the_visitors_line() -> None:
    data = _read(
        "Posted: 20/11/2025 14:35 · By: Minh Châu · Views: 1,532",
        '<div class="ip2-source">Source: Báo Đầu tư</div>',
        '<div class="ip2-visitors">Visitors: Online <b>25</b> | Today <b>1,203</b> |'
        " Total <b>2,345,678</b></div>",
    )
    assert (data.author, data.source, data.views) == ("Minh Châu", "Báo Đầu tư", 1532)
    assert str(data.published_at) == "2025-11-20 14:35:00+07:00"
    assert data.site_stats is not None
    assert (data.site_stats["online"], data.site_stats["today"], data.site_stats["total"]) == (
        25,
        1203,
        2345678,
    )


def test_posted_by_is_an_account_and_a_month_name_date_is_read() -> None:
    data = _read("Nov 18, 2025 2:35 PM · Posted by: <b>bbt.kkt</b> · Views: 642")
    assert data.author is None
    assert str(data.published_at) == "2025-11-18 14:35:00+07:00"


def test_attachments_heading_and_english_summary_are_not_the_story() -> None:
    data = _read(
        "Posted on November 20, 2025 · By: Thu Hằng",
        '<div class="ip2-en-summary"><p><strong>Summary:</strong> In the first eleven months'
        " the industrial parks of Bac Ninh attracted more than 4.6 billion USD of foreign"
        " direct investment.</p></div>"
        '<div class="ip2-attach"><strong>Attachments:</strong><br><a href="/f/ds.pdf">'
        "Danh mục dự án.pdf</a></div>",
    )
    assert data.author == "Thu Hằng"
    assert data.published_date_only is True
    assert data.body is not None and "Summary" not in data.body and "Attachments" not in data.body


def test_a_story_typed_without_diacritics_is_read_whole() -> None:
    paras = "".join(
        f"<p>Chieu ngay {n}/11, UBND xa to chuc hoi nghi tong ket cong tac phong chong thien tai"
        f" nam 2025 va trien khai nhiem vu nam 2026 voi su tham gia cua {n}0 dai bieu.</p>"
        for n in range(2, 6)
    )
    html = f"""<html><head><meta charset="utf-8"><title>Hoi nghi tong ket phong chong thien tai
</title></head><body><div class="main"><h1>Hoi nghi tong ket phong chong thien tai</h1>
<div class="date">20/11/2025</div><div class="content">{paras}</div></div></body></html>"""
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.body is not None and data.body.count("UBND xa to chuc") == 4
