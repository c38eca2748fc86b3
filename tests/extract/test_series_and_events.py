"""The layout-free reader on series, multi-page articles, event notices, photo stories and a
sidebar printed before the list (template-faithful, after ``tests/fixtures/unprofiled/``
``multipage-article-gov``, ``event-notice-gov``, ``photo-story-gov`` and
``sidebar-first-gov``): a series box ("Loạt bài: …", its parts linked but the one shown) is no
text and hides no byline; a byline under an article's own pager; an event's record ("Thời
gian: …", "Địa điểm: …") is not the body and its dates are not the publication date, unless it
is written as the body's paragraphs; "Ảnh và bài:" labels the author; a "Tin xem nhiều" box's
fourth item is no story of the list beside it."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.extract.layoutfree.listing import read_listing
from crawler.profiles import get_profile

URL = "https://snv.laocai.gov.vn/xay-dung-chinh-quyen/bai-3-bo-tri-can-bo-a3131.html"
TITLE = "Bài 3: Bố trí cán bộ, công chức xã sau sắp xếp - những việc cần làm tiếp"
PROSE = (
    "<p>Theo số liệu của Sở Nội vụ, sau sắp xếp, toàn tỉnh có 99 đơn vị hành chính cấp xã với"
    " tổng số 5.862 cán bộ, công chức, trong đó hơn 600 người được điều động từ cấp huyện.</p>"
    "<p>Ở cơ sở, nhiều xã đã chủ động phân công cán bộ theo năng lực thực tế, công chức trẻ có"
    " kỹ năng công nghệ được bố trí tại Bộ phận Một cửa và dịch vụ công trực tuyến.</p>"
)
SERIES = """<div class="series"><p class="series-title">Loạt bài: Chính quyền hai cấp - nhìn từ
cơ sở</p><ul><li><a href="/xay-dung-chinh-quyen/bai-1-a3108.html">Bài 1: Những ngày đầu vận hành
bộ máy mới</a></li><li><a href="/xay-dung-chinh-quyen/bai-2-a3119.html">Bài 2: Điều động cán bộ
về cơ sở</a></li><li class="current"><b>Bài 3: Bố trí cán bộ, công chức xã sau sắp xếp</b>
(đang xem)</li></ul></div>"""
RELATED = """<div class="related"><h3>Tin cùng chuyên mục</h3><ul><li><a href="/tin/hoi-nghi-a3090.html">Hội
nghị tổng kết công tác dân vận năm 2025 của tỉnh</a> (27/11)</li><li><a href="/tin/tap-huan-a3085
.html">Tập huấn nghiệp vụ cho công chức văn phòng các xã, phường</a> (25/11)</li></ul></div>"""


def _read(meta: str, body: str, after: str = "", before: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<header><div class="clock">Thứ Tư, ngày 03/12/2025</div></header>
<main><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/xdcq.html">Xây dựng chính
quyền</a></div><article><h1>{TITLE}</h1>{before}<div class="meta">{meta}</div>
<div class="content">{body}</div>{after}{RELATED}</article></main></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_a_series_box_on_top_is_no_text() -> None:
    data = _read("<span>01/12/2025 19:40</span>", SERIES + PROSE)
    assert data.body is not None and data.body.startswith("Theo số liệu của Sở Nội vụ")
    assert "Loạt bài" not in data.body and "đang xem" not in data.body


def test_a_series_box_after_the_byline_hides_no_byline() -> None:
    byline = (
        '<p style="text-align:right"><strong>Lương Hoa</strong></p>'
        '<p style="text-align:right"><em>(Theo Báo Lào Cai)</em></p>'
    )
    data = _read("<span>01/12/2025 19:40</span>", PROSE + byline + SERIES)
    assert (data.author, data.source) == ("Lương Hoa", "Báo Lào Cai")
    assert data.body is not None and data.body.endswith("dịch vụ công trực tuyến.")


def test_the_author_under_an_articles_own_pager() -> None:
    pager = (
        '<div class="article-pager">Trang <b>1</b> <a href="?p=2">2</a> <a href="?p=3">3</a>'
        ' | <a href="?p=2">Trang sau »</a></div>'
    )
    byline = (
        '<div class="footer"><p>Tác giả: Phạm Thu Hương</p><p>Người đăng: admin_skhcn</p></div>'
    )
    data = _read("<span>28/11/2025 16:20:47</span>", PROSE, pager + byline)
    assert data.author == "Phạm Thu Hương"
    assert data.body is not None and "Trang sau" not in data.body


EVENT_BOX = """<div class="event-info"><div class="ei-head">Thông tin sự kiện</div>
<p><span>Thời gian:</span> 19h30, ngày 14/3/2026 đến ngày 16/3/2026</p>
<p><span>Địa điểm:</span> Quảng trường Lâm Viên, phường Xuân Hương - Đà Lạt</p>
<p><span>Thời hạn nộp hồ sơ:</span> 17h00 ngày 30/12/2025</p>
<p><a class="btn" href="/su-kien/dang-ky/845">Đăng ký tham dự</a></p></div>"""


def test_an_event_box_before_the_date_line_is_neither_body_nor_date() -> None:
    data = _read("<span>Thứ Sáu, 28-11-2025 16:05</span>", PROSE, before=EVENT_BOX)
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-11-28T16:05:00+07:00"
    assert data.body is not None and "Thời gian" not in data.body


def test_an_event_box_inside_the_article_block_is_no_text() -> None:
    data = _read("<span>03/12/2025 09:40</span>", EVENT_BOX + PROSE)
    assert data.body is not None and data.body.startswith("Theo số liệu")
    assert "Địa điểm" not in data.body and "Thông tin sự kiện" not in data.body


def test_an_event_record_table_gives_no_date_when_the_article_shows_none() -> None:
    table = """<table class="tt"><tr><th colspan="2">Lịch tiếp công dân</th></tr>
<tr><td>Thời gian:</td><td>07h30, ngày 10/12/2025 và ngày 24/12/2025</td></tr>
<tr><td>Địa điểm:</td><td>Trụ sở tiếp công dân phường</td></tr>
<tr><td>Người chủ trì:</td><td>Chủ tịch UBND phường</td></tr></table>"""
    data = _read("<span>Lượt xem: 203</span>", PROSE, before=table)
    assert data.published_at is None and data.views == 203


def test_event_fields_written_as_the_bodys_paragraphs_are_its_text() -> None:
    fields = (
        "<p>Thời gian: từ 7h30 đến 16h30 các ngày 6 và 7/12/2025.</p>"
        "<p>Địa điểm: trạm y tế các xã, phường và các điểm tiêm lưu động.</p>"
    )
    data = _read("<span>04/12/2025 14:15</span>", PROSE + fields)
    assert data.body is not None and "Địa điểm: trạm y tế các xã" in data.body


def test_anh_va_bai_labels_the_author() -> None:
    data = _read(
        "<span>14/11/2025 06:50</span>", PROSE, '<p align="right"><b>Ảnh và bài: Lê Hoàng</b></p>'
    )
    assert data.author == "Lê Hoàng"


LISTING = """<html><body><div class="col-left"><div class="box"><div class="box-title">Tin xem
nhiều</div><ul>{side}</ul></div></div><div class="col-main"><h2>Thời sự</h2>
<div class="news-list">{items}</div></div></body></html>"""
SIDE = [
    (
        "cong-bo-quy-hoach-tinh-sau-hop-nhat-48102",
        "Công bố điều chỉnh quy hoạch tỉnh sau hợp nhất",
        "12.480",
    ),
    (
        "danh-gia-kinh-te-xa-hoi-thang-11-48215",
        "UBND tỉnh đánh giá tình hình kinh tế - xã hội",
        "6.215",
    ),
    ("danh-sach-xa-phuong-va-tru-so-48011", "Danh sách 148 xã, phường và trụ sở làm việc", "9.731"),
    (
        "ban-giao-tru-so-cho-nganh-giao-duc-48149",
        "Bàn giao trụ sở dôi dư cho ngành giáo dục",
        "2.308",
    ),
]
ITEMS = [
    (
        "cong-bo-chi-so-cai-cach-hanh-chinh-48231",
        "Phú Thọ công bố chỉ số cải cách hành chính năm 2025",
    ),
    ("khoi-cong-cau-vuot-song-lo-48229", "Khởi công cầu vượt sông Lô nối hai xã miền núi"),
    ("hoi-nghi-chuyen-doi-so-cap-xa-48226", "Hội nghị chuyển đổi số cấp xã tháng 12 năm 2025"),
]


def test_a_sidebar_boxs_items_are_not_the_lists_featured_stories() -> None:
    side = "".join(
        f'<li><a href="/tin-tuc/thoi-su/{s}.html">{t}</a> <span>Lượt xem: {v}</span></li>'
        for s, t, v in SIDE
    )
    items = "".join(
        f'<div class="news-item"><a class="thumb" href="/tin-tuc/thoi-su/{s}.html"><img'
        f' src="/thumb/{s}.jpg"></a><h3><a href="/tin-tuc/thoi-su/{s}.html">{t}</a></h3>'
        '<span class="date">03/12/2025</span></div>'
        for s, t in ITEMS
    )
    root = Selector(text=LISTING.format(side=side, items=items)).root
    found = read_listing(root, "https://phutho.gov.vn/tin-tuc/danh-muc.aspx?cat=thoi-su").links
    assert found == [f"https://phutho.gov.vn/tin-tuc/thoi-su/{s}.html" for s, _ in ITEMS]
