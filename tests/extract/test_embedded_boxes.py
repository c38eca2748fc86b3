"""The layout-free reader on what editors set inside a story (template-faithful, after
``tests/fixtures/unprofiled/`` ``pdf-notice-xa``, ``egov-framework-2025``,
``inline-related-gov`` and ``quotes-sapo-gov``): a short notice's figures table is its text; a
PDF viewer's box and its "vui lòng tải về" note are not; a related story's card, an in-body
banner and a fanpage post are not, and the body goes on after a related list and a banner;
an ``<aside>`` note before a photo is text; the article's own ``<footer>`` gives "Theo
<cite>…</cite>" after the poster's account; "Tin: X; ảnh: Y" names X; an editor's note above
the lead element is neither text nor lead; a top story beside a "Tiêu điểm" box leads the
list."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.extract.layoutfree.listing import read_listing
from crawler.profiles import get_profile

URL = "https://nghialo.laocai.gov.vn/thong-bao/cong-khai-ngan-sach-9-thang-2025-215.html"
TITLE = "Công khai tình hình thực hiện dự toán ngân sách phường 9 tháng đầu năm 2025"
P1 = (
    "<p>UBND phường Nghĩa Lộ công khai tình hình thực hiện dự toán ngân sách nhà nước của"
    " phường 9 tháng đầu năm 2025 theo quy định của Luật Ngân sách nhà nước như sau:</p>"
)
P2 = (
    "<p>Phát biểu tại buổi lễ, lãnh đạo phường đề nghị các tổ dân phố tiếp tục vận động nhân"
    " dân tham gia đóng góp ý kiến, giám sát việc sử dụng ngân sách của phường.</p>"
)
P3 = (
    "<p>Giai đoạn 2026-2030, phường đặt mục tiêu tăng thu ngân sách bình quân 8% mỗi năm, đồng"
    " thời ưu tiên chi cho giáo dục, y tế và chỉnh trang đô thị.</p>"
)


def _read(body: str, after: str = "", before: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<main><article class="news-detail"><h1>{TITLE}</h1><div class="meta">25/11/2025 10:30</div>
{before}<div class="content">{body}</div>{after}</article>
<div class="related"><h3>Các tin đã đưa</h3><ul><li><a href="/thong-bao/ke-hoach-201.html">Kế
hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2025</a> (20/11/2025)</li><li><a
href="/thong-bao/thong-bao-199.html">Thông báo lịch tiếp công dân tháng 12 năm 2025 của
phường</a> (18/11/2025)</li></ul></div></main></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


TABLE = """<table border="1"><tr><th>STT</th><th>Nội dung</th><th>Dự toán</th><th>Thực hiện</th>
<th>Tỷ lệ (%)</th></tr><tr><td>1</td><td>Tổng thu ngân sách phường</td><td>18.450</td>
<td>14.212</td><td>77,0</td></tr><tr><td>2</td><td>Tổng chi ngân sách phường</td><td>17.980</td>
<td>12.635</td><td>70,3</td></tr><tr><td>3</td><td>Chi đầu tư phát triển</td><td>6.200</td>
<td>3.914</td><td>63,1</td></tr><tr><td>4</td><td>Chi thường xuyên</td><td>11.420</td>
<td>8.721</td><td>76,4</td></tr></table>"""


def test_a_short_notices_figures_table_is_its_text() -> None:
    data = _read(P1 + TABLE + "<p>Biểu chi tiết xem file đính kèm.</p>")
    assert data.body is not None
    assert "Chi đầu tư phát triển" in data.body and "76,4" in data.body
    assert data.body.endswith("Biểu chi tiết xem file đính kèm.")


def test_a_pdf_viewers_note_is_no_text_and_the_text_after_it_is() -> None:
    viewer = (
        '<div class="pdf-viewer"><iframe src="/pdfjs/web/viewer.html?file=/uploads/a.pdf">'
        '</iframe><p class="note"><em>Nếu không xem được tệp, vui lòng tải về máy.</em></p></div>'
    )
    data = _read(P1 + viewer + P2)
    assert data.body is not None and "vui lòng tải về" not in data.body
    assert data.body.endswith("sử dụng ngân sách của phường.")


CARD = """<div class="inline-related"><a href="/tin-tuc/hoi-thao-ca-phe-1098.html"><img
src="/uploads/2025/11/ca-phe-thumb.jpg" alt=""><h4>Hội thảo phát triển cà phê đặc sản vùng cao
nguyên</h4><p>Các chuyên gia cho rằng cà phê đặc sản mang lại giá trị gấp 3-4 lần.</p></a></div>"""
BANNER = """<div class="ads-inarticle"><a href="/banner/click.html?id=27"><img
src="/banner/chuyen-doi-so-728x90.gif" alt="Chuyển đổi số"></a></div>"""
RELATED = """<ul class="related-in-body"><li class="title">Tin liên quan</li><li><a
href="/tin/phuc-dung-nha-dai-80.html">Phục dựng nhà dài truyền thống</a></li><li><a
href="/tin/lang-cu-lan-91.html">Làng Cù Lần đón đoàn khách quốc tế</a></li></ul>"""
PHOTO = '<p style="text-align:center"><img src="/uploads/2025/11/le-khoi-cong.jpg" alt=""></p>'


def test_a_related_card_and_a_banner_give_no_photo_and_the_body_goes_on() -> None:
    data = _read(P1 + CARD + P2 + RELATED + BANNER + PHOTO + P3 + BANNER)
    assert [i["url"] for i in data.images] == [
        "https://nghialo.laocai.gov.vn/uploads/2025/11/le-khoi-cong.jpg"
    ]
    assert data.body is not None and data.body.endswith("chỉnh trang đô thị.")
    assert "Hội thảo phát triển" not in data.body and "Phục dựng" not in data.body


def test_a_fanpage_post_set_in_the_story_is_no_text() -> None:
    post = (
        '<div class="fb-post"><div><strong>Cổng TTĐT tỉnh Lâm Đồng</strong> đã đăng một bài viết'
        "</div><p>Mỗi tuần 10 phút diệt lăng quăng, bọ gậy để bảo vệ gia đình khỏi sốt xuất"
        " huyết. Chung tay vì cộng đồng khỏe mạnh!</p><div>412 lượt thích</div></div>"
    )
    data = _read(P1 + post + P2)
    assert data.body is not None and "đã đăng một bài viết" not in data.body
    assert "Mỗi tuần 10 phút" not in data.body and "sử dụng ngân sách" in data.body


def test_an_aside_note_before_a_photo_is_text() -> None:
    note = '<aside class="note"><p>Khi có biểu hiện sốt cao liên tục, người dân cần đến ngay cơ sở y tế gần nhất.</p></aside>'
    figure = '<figure><img src="/uploads/2025/11/phun-thuoc.jpg" alt=""><figcaption>Phun thuốc diệt muỗi</figcaption></figure>'
    data = _read(P1 + note + figure + P2)
    assert data.body is not None and "Khi có biểu hiện sốt cao" in data.body


def test_theo_cite_in_the_articles_footer_after_the_posters_account() -> None:
    after = (
        '<address class="poster">Người đăng: <a href="/tai-khoan/admin">admin_snnmt</a></address>'
        '<footer><p class="source">Theo <cite>Báo và Phát thanh, Truyền hình Gia Lai</cite></p>'
        '<p class="tags">Từ khóa: <a href="/tag/ngan-sach">ngân sách</a></p></footer>'
    )
    data = _read(P1 + P2, after)
    assert data.source == "Báo và Phát thanh, Truyền hình Gia Lai" and data.author is None


def test_tin_then_anh_names_the_writer() -> None:
    byline = '<p style="text-align:right"><strong>Tin: Hồng Nhung; ảnh: Văn Tuấn</strong></p>'
    assert _read(P1 + P2 + byline).author == "Hồng Nhung"


def test_an_editors_note_above_the_lead_element_is_neither_text_nor_lead() -> None:
    lead = (
        "Chiều 18/11, UBND tỉnh tổ chức lễ khởi công dự án đường liên kết vùng Chợ Mới - Chợ Đồn"
        " dài 46,5 km, tổng mức đầu tư hơn 3.200 tỷ đồng."
    )
    before = (
        '<div class="lts"><p><em>Lời tòa soạn: Tuyến đường liên kết vùng là công trình đầu tiên'
        " được khởi công sau khi hợp nhất tỉnh, được cử tri hai vùng đặc biệt quan tâm.</em></p>"
        f'</div><blockquote class="sapo"><em>{lead}</em></blockquote>'
    )
    data = _read(P1 + P2, before=before)
    assert data.summary == lead
    assert data.body is not None and "Lời tòa soạn" not in data.body


def test_a_top_story_beside_a_tieu_diem_box_leads_the_list() -> None:
    item = (
        '<div class="list-item"><a class="thumb" href="/dan-van/{s}.html"><img src="/t/{s}.jpg">'
        '</a><h3><a href="/dan-van/{s}.html">{t}</a></h3><span>14/11/2025</span></div>'
    )
    stories = [
        ("mo-hinh-zalo-to-dan-pho-a18291", "Ra mắt mô hình Zalo tổ dân phố tại phường Tích Lương"),
        ("to-hoa-giai-gioi-a18287", "Tổ hòa giải giỏi góp phần giữ bình yên thôn bản vùng cao"),
        ("dan-van-chinh-quyen-a18280", "Nâng cao chất lượng công tác dân vận chính quyền cấp xã"),
    ]
    html = f"""<html><body><main><div class="top-block"><div class="lead-story"><a
href="/dan-van/dan-van-kheo-phu-thong-a18298.html"><img src="/big.jpg"></a><h2><a
href="/dan-van/dan-van-kheo-phu-thong-a18298.html">Dân vận khéo ở xã Phủ Thông: vận động nhân
dân hiến đất mở đường</a></h2><p>Từ một con đường đất lầy lội, 46 hộ dân đã tự nguyện hiến
đất.</p></div><div class="tieu-diem"><h3>Tiêu điểm</h3><ul><li><a
href="/dan-van/hoi-nghi-bao-cao-vien-a18342.html">Hội nghị báo cáo viên quý IV năm 2025 của
tỉnh</a></li><li><a href="/dan-van/tong-ket-cuoc-thi-a18320.html">Tổng kết Cuộc thi chính luận
bảo vệ nền tảng tư tưởng của Đảng</a></li></ul></div></div><div class="news-list">
{"".join(item.format(s=s, t=t) for s, t in stories)}</div></main></body></html>"""
    root = Selector(text=html).root
    found = read_listing(root, "https://tuyengiao.thainguyen.gov.vn/dan-van").links
    base = "https://tuyengiao.thainguyen.gov.vn/dan-van/"
    assert found == [
        base + "dan-van-kheo-phu-thong-a18298.html",
        *(f"{base}{s}.html" for s, _ in stories),
    ]
