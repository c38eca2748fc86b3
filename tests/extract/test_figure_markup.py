"""The layout-free reader on a story's figures (template-faithful, after the emagazine-gov and
domino-gov held-out layouts): a pair of photos in one table row takes the captions of the row
under it in order; a quotation's ``<footer>`` attribution is the story's text, not the page's
footer; a pictogram kept in an ``/icons/`` folder is no photo."""

from __future__ import annotations

from lxml import html as lxml_html
from parsel import Selector

from crawler.extract import ArticlePage
from crawler.extract.icons import is_icon
from crawler.profiles import get_profile

URL = "https://snnmt.tuyenquang.gov.vn/emagazine/giu-rung-dau-nguon-1187.html"
TITLE = "Giữ rừng đầu nguồn: chuyện những người gác rừng ở Nà Thài"
LONG = (
    "Tổ bảo vệ rừng thôn Nà Thài có 12 thành viên, mỗi tháng tuần tra bốn lần trên diện tích hơn"
    " 600 ha rừng phòng hộ đầu nguồn, ghi dữ liệu bằng ứng dụng trên điện thoại."
)


def _read(middle: str) -> object:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<main><article><h1>{TITLE}</h1><div class="meta">20/11/2025 08:30</div>
<div class="story"><p>{LONG}</p>{middle}<p>{LONG.replace("12", "14")}</p></div></article></main>
<footer class="site">Cơ quan chủ quản: Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang</footer>
</body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_a_row_of_photos_takes_the_captions_of_the_row_under_it() -> None:
    data = _read(
        '<table class="pair"><tr><td><img src="/u/tuan-tra-na-thai.jpg"></td>'
        '<td><img src="/u/ghi-du-lieu-smart.jpg"></td></tr>'
        '<tr><td class="caption">Tổ bảo vệ rừng thôn Nà Thài tuần tra trong rừng phòng hộ</td>'
        '<td class="caption">Kiểm lâm địa bàn hướng dẫn người dân ghi dữ liệu tuần tra</td></tr>'
        "</table>"
    )
    assert [(i["url"].rsplit("/", 1)[-1], i["caption"]) for i in data.images] == [
        ("tuan-tra-na-thai.jpg", "Tổ bảo vệ rừng thôn Nà Thài tuần tra trong rừng phòng hộ"),
        ("ghi-du-lieu-smart.jpg", "Kiểm lâm địa bàn hướng dẫn người dân ghi dữ liệu tuần tra"),
    ]


def test_a_quotations_footer_is_the_storys_text() -> None:
    data = _read(
        "<blockquote><p>Rừng còn thì nước còn, bản làng còn. Giữ rừng là giữ cho con cháu.</p>"
        "<footer>Anh Ma Văn Thịnh, Tổ trưởng Tổ bảo vệ rừng thôn Nà Thài</footer></blockquote>"
    )
    assert data.body is not None
    assert "Anh Ma Văn Thịnh, Tổ trưởng Tổ bảo vệ rừng thôn Nà Thài" in data.body
    assert "Cơ quan chủ quản" not in data.body  # the page's own footer still is chrome


def test_a_pictogram_in_an_icons_folder_is_no_photo() -> None:
    def img(src: str) -> lxml_html.HtmlElement:
        return lxml_html.fragment_fromstring(f'<img src="{src}">')

    assert is_icon(img("/icons/collapse.gif"))
    assert is_icon(img("/images/icons/print.png"))
    assert not is_icon(img("/web/portal.nsf/47258F6E/$File/anh.jpg?OpenElement"))


def test_a_credit_in_an_element_of_its_own_leaves_the_caption() -> None:
    data = _read(
        '<div class="itemImageBlock"><span class="itemImage"><img src="/media/k2/items/cache/'
        '3f9c1a7b_L.jpg"></span><span class="itemImageCaption">Quang cảnh Ngày hội Đại đoàn kết'
        ' tại thôn Trung Linh</span><span class="itemImageCredits">Ảnh: Minh Tuấn</span></div>'
    )
    assert [i["caption"] for i in data.images] == [
        "Quang cảnh Ngày hội Đại đoàn kết tại thôn Trung Linh"
    ]
    inline = _read(
        '<figure><img src="/u/tap-huan.jpg"><figcaption>Quang cảnh lớp tập huấn tại Hội trường Sở.'
        " Ảnh: Thu Trang</figcaption></figure>"
    )
    assert [i["caption"] for i in inline.images] == [
        "Quang cảnh lớp tập huấn tại Hội trường Sở. Ảnh: Thu Trang"
    ]
