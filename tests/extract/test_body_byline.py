"""The profile path's body: trailing byline lines told apart as the layout-free reader does
(a labelled line, a bracketed office, a bold name, a class-aligned box), a "Xem thêm" box
inside the body and a document's record dropped, a glued comma kept glued."""

from __future__ import annotations

from parsel import Selector

from crawler.extract.body import extract_body
from crawler.profiles.schema import Byline

LEAD = (
    "<p>Sáng 12/5, UBND xã tổ chức hội nghị tổng kết công tác phòng chống thiên tai năm 2025 "
    "và triển khai nhiệm vụ năm 2026 với sự tham dự của 80 đại biểu.</p>"
)


def _read(tail: str) -> tuple[str | None, str | None, str | None]:
    page = f'<html><body><div class="content">{LEAD}{tail}</div></body></html>'
    found = extract_body(Selector(text=page), [".content"], [], Byline(), "https://xa.gov.vn/")
    assert found is not None
    return found.text, found.author, found.source


def test_a_bold_name_ends_the_body_as_its_author() -> None:
    text, author, _ = _read("<p><strong>Ngọc Lan</strong></p>")
    assert author == "Ngọc Lan" and text is not None and "Ngọc Lan" not in text


def test_a_bold_sentence_stays_body() -> None:
    text, author, _ = _read("<p><strong>Hội nghị kết thúc lúc 11 giờ.</strong></p>")
    assert author is None and text is not None and text.endswith("11 giờ.")


def test_labelled_and_bracketed_lines_and_class_aligned_boxes() -> None:
    _, author, source = _read("<p>Tin, ảnh: Đức Thuận</p>")
    assert author == "Đức Thuận"
    text, _, source = _read("<p><em>(Văn phòng HĐND và UBND xã)</em></p>")
    assert source == "Văn phòng HĐND và UBND xã" and text is not None and "Văn phòng" not in text
    _, author, _ = _read('<div class="news-author text-right">Thanh Hải</div>')
    assert author == "Thanh Hải"


def test_a_see_also_box_inside_the_body_and_a_comma_after_a_tag() -> None:
    box = (
        "<p><b>Xem thêm:</b></p><ul><li><a href='/a-1.html'><img src='/t1.jpg'></a>"
        "<a href='/a-1.html'>Tổng kết công tác phòng chống thiên tai năm 2024</a></li></ul>"
        "<p>Xã Quỳnh <span>Phụ</span>, xã Hưng Hà được khen thưởng.</p>"
    )
    text, _, _ = _read(box)
    assert text is not None and "Xem thêm" not in text and "năm 2024" not in text
    assert "Quỳnh Phụ, xã Hưng Hà" in text


def test_a_documents_record_inside_the_body_is_dropped_a_data_table_stays() -> None:
    record = (
        "<div>Thông tin văn bản</div><table><tr><th>Số ký hiệu</th><td>35/KH-UBND</td></tr>"
        "<tr><th>Ngày ban hành</th><td>06/03/2026</td></tr>"
        "<tr><th>Người ký</th><td>Phạm Thị Hồng Nhung</td></tr></table>"
    )
    data = (
        "<table><tr><th>Số ký hiệu</th><th>Ngày ban hành</th></tr>"
        "<tr><td>12/TB-UBND</td><td>01/03/2026</td></tr></table>"
    )
    text, author, _ = _read(record + data)
    assert text is not None and author is None
    assert "35/KH-UBND" not in text and "Thông tin văn bản" not in text and "Người ký" not in text
    assert "12/TB-UBND" in text and text.startswith("Sáng 12/5")
