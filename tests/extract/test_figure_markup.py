"""The layout-free reader on a story's figures (template-faithful, after the emagazine-gov and
domino-gov held-out layouts): a pair of photos in one table row takes the captions of the row
under it in order; a quotation's ``<footer>`` attribution is the story's text, not the page's
footer; a pictogram kept in an ``/icons/`` folder is no photo."""

from __future__ import annotations

from lxml import html as lxml_html
from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.extract.icons import is_icon
from crawler.profiles import get_profile

URL = "https://snnmt.tuyenquang.gov.vn/emagazine/giu-rung-dau-nguon-1187.html"
TITLE = "Giữ rừng đầu nguồn: chuyện những người gác rừng ở Nà Thài"
LONG = (
    "Tổ bảo vệ rừng thôn Nà Thài có 12 thành viên, mỗi tháng tuần tra bốn lần trên diện tích hơn"
    " 600 ha rừng phòng hộ đầu nguồn, ghi dữ liệu bằng ứng dụng trên điện thoại."
)


def _read(middle: str) -> ArticleData:
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
    assert [(str(i["url"]).rsplit("/", 1)[-1], i["caption"]) for i in data.images] == [
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


def _sections(after: str) -> ArticleData:
    """A site builder's page: each section a box of its own, no article container."""
    sec = '<div class="oKdM2c"><div class="jXK9ad">{}</div></div>'
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div class="LkDMRd"><div>{sec.format(f"<h2>{TITLE}</h2><p>20/11/2025</p>")}
{sec.format(f"<p>{LONG}</p><p>{LONG.replace('12', '14')}</p><p>{LONG.replace('12', '16')}</p>")}
{sec.format('<iframe src="https://drive.google.com/file/d/1zY8/preview"></iframe>')}
{after}
{sec.format('<a href="https://www.facebook.com/sharer/sharer.php?u=x">Chia sẻ Facebook</a>')}
{sec.format("<h3>TIN KHÁC</h3>" + "".join(f'<p><a href="/tin-tuc/tin-khac-so-{n}">Tập huấn kỹ thuật trồng chè an toàn đợt {n} năm 2026</a></p>' for n in range(6)))}
</div></div></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_the_text_after_an_embedded_document_continues_the_body() -> None:
    closing = (
        '<div class="oKdM2c"><div class="jXK9ad"><p>UBND xã Thanh Sơn thông báo để Nhân dân trên'
        ' địa bàn biết, thực hiện.</p><p style="text-align: right"><span style="font-weight:'
        ' 700">Nguồn: Văn phòng HĐND và UBND xã</span></p></div></div>'
    )
    data = _sections(closing)
    assert data.body is not None and data.body.endswith("biết, thực hiện.")
    assert data.source == "Văn phòng HĐND và UBND xã"
    assert "TIN KHÁC" not in data.body and "Chia sẻ" not in data.body
