"""The layout-free reader on meta rows and bylines of builds nobody profiled (template-faithful,
after ``tests/fixtures/unprofiled/megamenu-portal-gov``, ``card-grid-gov``, ``br-text-xa`` and
``dual-date-legal-gov``): a date row with a share count or the poster's account beside it is
no body text; a 12-hour clock before a weekday and the date; "PV:" names the author; "Lượt
truy cập bài viết" is the article's count, not the site's visit widget; "Theo Báo …" under a
labelled byline is the source; a bold name between ``<br>``s ends an old editor's body; a
table of the documents an article announces is its text, its attachment field is not."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.profiles import get_profile

URL = "https://soyte.thanhhoa.gov.vn/tin-tuc/y-te-du-phong/phong-chong-sot-xuat-huyet-3361.html"
TITLE = "Chủ động phòng, chống sốt xuất huyết và tay chân miệng dịp cuối năm"
PROSE = (
    "<p>Sở Y tế đã ban hành văn bản đề nghị các cơ sở y tế, UBND các xã, phường tăng cường giám"
    " sát, phát hiện sớm ca bệnh, xử lý triệt để ổ dịch trong những tháng cuối năm.</p>"
    "<p>Trung tâm Kiểm soát bệnh tật tỉnh đã tổ chức 26 đợt phun hóa chất diệt muỗi tại các"
    " khu dân cư có nguy cơ cao, kết hợp chiến dịch diệt bọ gậy tại 120 thôn, tổ dân phố.</p>"
)
WIDGET = """<footer><div class="visit-counter"><h4>Thống kê truy cập</h4><table>
<tr><td>Đang truy cập</td><td>157</td></tr><tr><td>Hôm nay</td><td>8426</td></tr>
<tr><td>Tháng này</td><td>214380</td></tr><tr><td>Tổng lượt truy cập</td><td>30918455</td></tr>
</table></div><p>Chịu trách nhiệm chính: Chánh Văn phòng UBND tỉnh</p></footer>"""


def _read(meta: str, after: str = "", body: str = PROSE, widget: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<header><div class="clock">Thứ Năm, ngày 20/11/2025</div></header>
<main><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/y-te.html">Y tế</a></div>
<article class="news-detail"><h1 class="nd-title">{TITLE}</h1>
<div class="nd-meta">{meta}</div>
<div class="nd-content">{body}</div>
{after}
</article></main>{widget}</body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_a_date_row_with_a_share_count_is_the_date_not_body_text() -> None:
    data = _read('<span>Thứ Ba, 18-11-2025 09:15</span> <span class="share">Chia sẻ: 14</span>')
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-11-18T09:15:00+07:00"
    assert data.body is not None and not data.body.startswith("Thứ Ba")
    assert "Chia sẻ" not in data.body and data.views is None


def test_a_date_row_with_the_posters_account_is_no_body_text() -> None:
    data = _read("<span>Thứ Tư, ngày 5 tháng 11 năm 2025</span> <span>Người đăng: bientap01</span>")
    assert data.published_at is not None and data.published_date_only
    assert data.published_at.date().isoformat() == "2025-11-05"
    assert data.body is not None and "bientap01" not in data.body


def test_a_12_hour_clock_before_the_weekday_and_the_date() -> None:
    data = _read("<span>07:40 CH, Thứ Sáu 21/11/2025</span>")
    assert data.published_at is not None and not data.published_date_only
    assert data.published_at.isoformat() == "2025-11-21T19:40:00+07:00"


def test_pv_names_the_author() -> None:
    data = _read("<span>20/11/2025 08:05</span>", '<p align="right"><b>PV: Hà Linh</b></p>')
    assert data.author == "Hà Linh"


def test_an_articles_visits_are_its_views_and_not_the_site_widget() -> None:
    data = _read(
        "<span>20/11/2025 08:05</span> <span>Lượt truy cập bài viết: 873</span>", widget=WIDGET
    )
    assert data.views == 873
    assert data.site_stats is not None
    assert data.site_stats["month"] == 214380 and data.site_stats["total"] == 30918455


def test_theo_under_a_labelled_byline_is_the_source() -> None:
    after = (
        '<div class="byline"><p>Tác giả: <b>Lê Minh</b></p><p><i>Theo Báo Thanh Hóa</i></p></div>'
    )
    data = _read("<span>02/12/2025</span>", after)
    assert (data.author, data.source) == ("Lê Minh", "Báo Thanh Hóa")


def test_a_bold_name_between_brs_ends_an_old_editors_body() -> None:
    body = (
        '<font face="Arial">Sáng ngày 04/11, UBND xã Tân Lạc tổ chức lễ ra quân làm đường giao'
        " thông nông thôn mùa khô năm 2025 tại xóm Bái Khẻ.<br><br>Phát biểu tại buổi lễ, đồng chí"
        " Chủ tịch UBND xã đề nghị các xóm công khai các khoản đóng góp, huy động <b>“dân biết,"
        " dân bàn, dân làm”</b> để hoàn thành kế hoạch.<br><br><b>Nguyễn Văn Hùng</b><br>"
        "(Nguồn: Đài Truyền thanh xã Tân Lạc)</font>"
    )
    data = _read("<span>Ngày đăng: 05-11-2025</span>", body=body)
    assert (data.author, data.source) == ("Nguyễn Văn Hùng", "Đài Truyền thanh xã Tân Lạc")
    assert data.body is not None and data.body.endswith("hoàn thành kế hoạch.")


DOCUMENTS = """<table><thead><tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th>
<th>Tải về</th></tr></thead><tbody>
<tr><td>45/2025/NQ-HĐND</td><td>03/11/2025</td><td>Quy định mức chi hỗ trợ công tác hòa giải ở
cơ sở</td><td><a href="/Uploads/45.pdf">PDF</a></td></tr>
<tr><td>54/2025/QĐ-UBND</td><td>12/11/2025</td><td>Phân cấp thẩm quyền cấp giấy phép xây
dựng</td><td><a href="/Uploads/54.pdf">PDF</a></td></tr></tbody></table>"""
ATTACHED = """<div class="news-attach"><b>Tệp đính kèm:</b><ul>
<li><a href="/Uploads/tong-hop.pdf">Tong-hop-van-ban.pdf</a> (412 KB)</li>
<li><a href="/Uploads/de-cuong.docx">De-cuong-gioi-thieu.docx</a> (86 KB)</li></ul></div>"""


def test_a_table_of_announced_documents_is_text_and_the_attachments_are_not() -> None:
    data = _read(
        "<span>Ngày đăng: 14/11/2025 10:20</span>",
        ATTACHED + '<div class="news-author">Tác giả: Phòng Văn bản - Thông tin</div>',
        body=PROSE + DOCUMENTS,
    )
    assert data.body is not None
    assert "Số ký hiệu" in data.body and "Phân cấp thẩm quyền cấp giấy phép xây" in data.body
    assert "Tệp đính kèm" not in data.body and "De-cuong" not in data.body
    assert data.author == "Phòng Văn bản - Thông tin"


def test_a_source_after_the_attachments_is_read() -> None:
    data = _read(
        "<span>(12/11/2025 14:35)</span>",
        ATTACHED + '<div class="news-source">Nguồn: Sở Tư pháp</div>',
    )
    assert data.source == "Sở Tư pháp"


def test_an_articles_visits_label_heads_no_widget_among_several() -> None:
    from lxml import html as lxml_html

    from crawler.extract.site_stats import find_headings

    widget = "<div><h4>Thống kê truy cập</h4><p>Hôm nay: 5</p><p>Tổng: 99</p></div>"
    root = lxml_html.fromstring(
        f"<html><body><span>Lượt truy cập bài viết: 873</span>{widget}{widget}</body></html>"
    )
    assert [h.text for h in find_headings(root)] == ["Thống kê truy cập"] * 2


def test_theo_under_a_labelled_line_after_the_body_is_the_source() -> None:
    after = (
        '<div class="nd-info"><p>Tác giả: <b>Lê Minh</b></p><p>Theo Báo Thanh Hóa</p></div>'
        '<div class="related"><h3>Tin cùng chuyên mục</h3><ul><li><a href="/tin/ra-quan-1089'
        '.html">Hoằng Hóa ra quân làm đồng, vệ sinh môi trường</a> (28/11)</li><li><a href="/tin'
        '/hoi-nghi-1090.html">Hội nghị tổng kết công tác dân vận năm 2025 của xã</a> (27/11)'
        "</li></ul></div>"
    )
    data = _read("<span>02/12/2025</span>", after)
    assert (data.author, data.source) == ("Lê Minh", "Báo Thanh Hóa")


def test_a_tailwind_semibold_lead_is_the_summary() -> None:
    lead = (
        "Năm 2025, toàn tỉnh có thêm 38 hợp tác xã được cấp chứng nhận sản xuất theo tiêu chuẩn"
        " VietGAP với tổng diện tích hơn 1.100 ha, góp phần nâng cao giá trị nông sản."
    )
    data = _read(
        "<span>14:32, 21/11/2025</span>",
        body=f'<p class="font-semibold text-lg text-gray-900 mb-4">{lead}</p>{PROSE}',
    )
    assert data.summary == lead
    assert data.body is not None and not data.body.startswith("Năm 2025")
