"""The layout-free reader on long-form interviews (template-faithful, after
``tests/fixtures/unprofiled/longform-interview-gov``): a "Nội dung chính" table of contents
is no text; an info box (``<aside>``) set between paragraphs is; the interviewer's closing
question or thanks in bold ends the body and names no one; a chapter heading under a photo is
no caption; "Thực hiện: …" alone, or over "Biên tập: …" and a "Theo …" line, names the author."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.profiles import get_profile

URL = "https://sonnmt.khanhhoa.gov.vn/phong-van-doi-thoai/hop-nhat-de-tinh-gon-2207.html"
TITLE = "Giám đốc Sở Nông nghiệp và Môi trường: Hợp nhất để tinh gọn, không để công việc gián đoạn"
ANSWER = (
    "<p><strong>Ông Huỳnh Ngọc Thạch:</strong> Toàn bộ 37 hồ sơ đang giải quyết dở dang của hai sở"
    " cũ đã được lập danh sách, giao đích danh cho từng công chức, bảo đảm không hồ sơ nào bị"
    " trễ hạn trong giai đoạn chuyển tiếp.</p>"
)


def _read(body: str, after: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div class="ig-wrap"><div class="ig-main"><h1 class="ig-title">{TITLE}</h1>
<div class="ig-meta">Thứ Tư, ngày 5 tháng 3 năm 2025</div>
<div class="ig-content">{body}</div>{after}
<div class="ig-share"><a href="javascript:window.print()">In trang</a></div></div>
<div class="ig-side"><h3>Đọc nhiều</h3><ul><li><a href="/phong-van-doi-thoai/x-1.html">Chuyển
đổi số cấp xã: những việc cần làm ngay trong năm 2026</a></li></ul></div></div>
</body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


TOC = (
    '<div class="ig-toc"><div class="ig-toc-head">Nội dung chính</div><ul>'
    '<li><a href="#ndc-1">1. Ổn định tổ chức ngay trong tuần đầu</a></li>'
    '<li><a href="#ndc-2">2. Không để hồ sơ của người dân phải chờ</a></li></ul></div>'
)


def test_contents_box_out_info_box_in_closing_question_stays() -> None:
    body = (
        TOC
        + "<h3 id='ndc-1'>Ổn định tổ chức ngay trong tuần đầu</h3>"
        + "<p><strong>Phóng viên: Ông có thể chia sẻ về việc giải quyết thủ tục đất đai trong"
        " giai đoạn chuyển tiếp?</strong></p>"
        + ANSWER
        + '<aside class="ig-infobox"><h4>Thông tin thêm</h4><p>Đường dây nóng tiếp nhận phản'
        " ánh: 0258.3811.246.</p></aside>"
        + ANSWER.replace("37", "41")
        + "<p><strong>Phóng viên: Xin trân trọng cảm ơn ông về cuộc trao đổi này!</strong></p>"
    )
    data = _read(body, '<div class="ig-authorbox"><span>Bài, ảnh: Lan Hương</span></div>')
    assert data.body is not None
    assert "Nội dung chính" not in data.body
    assert "Đường dây nóng tiếp nhận phản ánh" in data.body
    assert data.body.endswith("Xin trân trọng cảm ơn ông về cuộc trao đổi này!")
    assert data.author == "Lan Hương"


def test_a_chapter_heading_under_a_photo_is_no_caption() -> None:
    body = (
        ANSWER
        + '<figure><img src="/uploads/cdc-sxh-02.jpg" alt=""></figure>'
        + "<h2>Diệt lăng quăng là việc của mỗi gia đình</h2>"
        + ANSWER.replace("37", "41")
    )
    data = _read(body)
    assert [i["caption"] for i in data.images] == [None]


def test_a_makers_credit_after_the_body_names_the_author() -> None:
    alone = '<div class="ig-authorbox"><span>Thực hiện:</span> <strong>Minh Châu - Đức Anh</strong></div>'
    assert _read(ANSWER * 2, alone).author == "Minh Châu - Đức Anh"
    inside = ANSWER * 2 + (
        "<p>Thực hiện: <strong>Thu Hà</strong></p><p>Biên tập: Hoàng Yến</p>"
        "<p>Theo Báo Khánh Hòa</p>"
    )
    data = _read(inside)
    assert (data.author, data.source) == ("Thu Hà", "Báo Khánh Hòa")
    assert data.body is not None and "Biên tập" not in data.body
