"""The layout-free reader and HTML sectioning: an article's own ``<footer>`` holds its source
line, a list item's footer ("Đọc thêm…") does not make the list page chrome, and a byline
line's parts end at the next em dash."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import ArticlePage, ListingPage
from crawler.profiles import get_profile

HOST = "https://skhcn.tinh.gov.vn"
TITLE = "Hội đồng khoa học tỉnh nghiệm thu 6 nhiệm vụ khoa học và công nghệ cấp tỉnh"
URL = f"{HOST}/tin-tuc/hoi-dong-khoa-hoc-tinh-nghiem-thu-6-nhiem-vu-khoa"


def _article(byline: str, footer: str) -> str:
    return f"""<html><head><title>{TITLE} — Sở KH&amp;CN</title></head><body>
<header><div class="site-name">SỞ KHOA HỌC VÀ CÔNG NGHỆ</div></header>
<main><article id="content"><header><h1 class="documentFirstHeading">{TITLE}</h1>
<div class="documentByLine">{byline}</div></header>
<div id="parent-fieldname-text"><p>Từ ngày 16 đến 18/6/2025, Sở Khoa học và Công nghệ tổ chức các
hội đồng tư vấn đánh giá, nghiệm thu kết quả thực hiện 6 nhiệm vụ khoa học và công nghệ.</p>
<p>Các nhiệm vụ thuộc các lĩnh vực nông nghiệp, y tế và chuyển đổi số đều được đánh giá đạt yêu
cầu, trong đó 2 nhiệm vụ xếp loại xuất sắc và được đề nghị ứng dụng rộng rãi.</p></div>
<footer>{footer}<div class="share">Chia sẻ: <a href="https://facebook.com/x">Facebook</a></div>
</footer></article></main>
<footer id="portal-footer">Sở Khoa học và Công nghệ. Nguồn: Cổng thông tin điện tử tỉnh</footer>
</body></html>"""


def _read(html: str) -> tuple[str | None, str | None, str]:
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.title == TITLE and data.body is not None
    assert data.body.endswith("ứng dụng rộng rãi.")
    return data.author, data.source, data.body


def test_a_source_line_in_the_articles_own_footer() -> None:
    html = _article(
        "<span>Tác giả: <a href='/author/khoi'>Minh Khôi</a></span>"
        "<span> — Thứ Tư, 18/06/2025 - 09:05 SA</span><span> — Đã xem: 218</span>",
        '<div class="news-source"><strong>Nguồn:</strong> Trung tâm Công nghệ thông tin</div>',
    )
    author, source, body = _read(html)
    assert (author, source) == ("Minh Khôi", "Trung tâm Công nghệ thông tin")
    assert "Nguồn" not in body and "Chia sẻ" not in body


def test_the_pages_footer_gives_no_source() -> None:
    _, source, _ = _read(_article("<span>18/06/2025 09:05</span>", ""))
    assert source is None


def test_list_items_with_a_read_more_footer_are_the_list() -> None:
    items = "".join(
        f"""<article class="tileItem"><h2><a href="{HOST}/tin-tuc/nghiem-thu-nhiem-vu-khoa-hoc-so-{n}">
Nghiệm thu nhiệm vụ khoa học và công nghệ cấp tỉnh số {n} năm 2025</a></h2>
<div class="documentByLine">— 1{n}/06/2025 15:42</div>
<div class="tileFooter"><a href="{HOST}/tin-tuc/nghiem-thu-nhiem-vu-khoa-hoc-so-{n}">Đọc thêm…</a>
</div></article>"""
        for n in range(1, 7)
    )
    html = f"""<html><body><nav><a href="{HOST}/">Trang chủ</a></nav><main>
<h1>Tin tức</h1><div class="entries">{items}</div></main></body></html>"""
    page = ListingPage(get_profile("generic"), f"{HOST}/tin-tuc", Selector(text=html))
    assert page.article_links() == [
        f"{HOST}/tin-tuc/nghiem-thu-nhiem-vu-khoa-hoc-so-{n}" for n in range(1, 7)
    ]


def test_a_tool_link_in_the_byline_row_ends_the_authors_name() -> None:
    html = _article(
        "<span>09:05 - 18/06/2025</span> <span>Tác giả: Minh Khôi</span> <span>"
        "<a href='javascript:window.print()'>In trang</a> <a href='#'>Chia sẻ</a></span>",
        "",
    )
    author, _, body = _read(html)
    assert author == "Minh Khôi"
    assert "In trang" not in body


def test_a_bracketed_date_after_the_headline_is_no_part_of_the_title() -> None:
    html = _article("<span>Lượt xem: 218</span>", "").replace(
        f'<h1 class="documentFirstHeading">{TITLE}</h1>',
        f'<div class="detail-title"><span>{TITLE}</span> <span class="d">(18/06/2025)</span></div>',
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.title == TITLE
    assert data.published_at is not None and data.published_at.date().isoformat() == "2025-06-18"


def test_a_name_after_a_person_icon_is_the_author_an_account_is_not() -> None:
    icon = "<span><i class='fa-regular fa-user'></i> {}</span> <span>09:05 18/06/2025</span>"
    author, _, body = _read(_article(icon.format("Hoài Nam"), ""))
    assert author == "Hoài Nam" and "Hoài Nam" not in body
    assert _read(_article(icon.format("Quản trị viên"), ""))[0] is None


def test_a_players_label_and_a_feedback_form_are_no_text() -> None:
    player = (
        "<div class='tts'><button type='button'>Nghe đọc bài viết</button>"
        "<span>Công nghệ đọc tự động</span></div>"
    )
    form = (
        "<div class='rating'><p>Bạn đánh giá thế nào về bài viết này?</p><form method='post'>"
        "<label>Ý kiến góp ý của bạn</label><textarea name='c'></textarea>"
        "<button type='submit'>Gửi góp ý</button></form></div>"
    )
    html = _article("<span>09:05 18/06/2025</span>", "").replace(
        '<div id="parent-fieldname-text">', f'{player}<div id="parent-fieldname-text">'
    )
    html = html.replace('<footer><div class="share">', f'{form}<footer><div class="share">')
    _, _, body = _read(html)
    assert "đọc tự động" not in body and "thế nào" not in body and "góp ý" not in body


def test_a_count_named_for_screen_readers_and_the_posting_date_over_the_last_edit() -> None:
    byline = (
        "<p>Cập nhật lần cuối: 16:40, 20/06/2025</p><p>Đăng ngày 18/06/2025 09:05</p>"
        '<span aria-label="Lượt xem"><svg aria-hidden="true"><path d="M0 0"/></svg>'
        "<span>2.047</span></span>"
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=_article(byline, ""))).extract()
    assert data.views == 2047
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-06-18T09:05:00+07:00"


def test_a_lead_photos_credit_line_goes_with_the_photo_not_the_body() -> None:
    lead = (
        '<figure class="anh-dai-dien"><img src="/uploads/2025/06/nghiem-thu.jpg" alt="">'
        "<figcaption>Hội đồng nghiệm thu làm việc tại Sở</figcaption></figure>"
        '<p class="photo-credit" style="text-align:right"><em>Ảnh: Thanh Hà</em></p>'
    )
    html = _article("<span>09:05 18/06/2025</span>", "").replace(
        '<div id="parent-fieldname-text">', f'{lead}<div id="parent-fieldname-text">'
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.images == [
        {
            "url": f"{HOST}/uploads/2025/06/nghiem-thu.jpg",
            "caption": "Hội đồng nghiệm thu làm việc tại Sở",
        }
    ]
    assert data.body is not None and data.body.startswith("Từ ngày 16 đến 18/6/2025")
    assert "Thanh Hà" not in data.body and data.author is None


def test_a_first_paragraph_the_description_cuts_short_is_body_when_photos_follow_it() -> None:
    """A description the CMS cut from the first paragraph is no lead field: the next
    paragraph sits in the same element once the photo between them and its caption are
    passed over."""
    first = (
        "Cuối tháng 11 hằng năm, khi mùa mưa vừa dứt, dã quỳ bắt đầu nở rộ khắp các triền đồi "
        "và ven đường trên cao nguyên Lâm Viên."
    )
    photo = (
        '<div class="lg-photo"><a href="/uploads/da-quy-01.jpg"><img src="/uploads/da-quy-01.jpg"'
        ' alt=""></a><p class="photo-caption"><em>Dã quỳ nở rộ dọc đèo Prenn</em></p></div>'
    )
    html = (
        _article("<span>09:05 18/06/2025</span>", "")
        .replace("<title>", f'<meta name="description" content="{first[:90]}"><title>')
        .replace(
            '<div id="parent-fieldname-text">',
            f'<div id="parent-fieldname-text"><p>{first}</p>{photo}',
        )
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.summary is None
    assert data.body is not None and data.body.startswith(first)


def test_so_lan_doc_is_a_views_label_and_bbt_signs_no_person() -> None:
    """ "Số lần đọc: 245" is the article's view count (hand-built commune sites); "BBT", the
    editorial board signing the article, is no author."""
    html = _article("<span>Cập nhật: 18/06/2025 16:40 | Số lần đọc: 245</span>", "").replace(
        "</div>\n<footer>", '<p style="text-align:right"><strong>BBT</strong></p></div>\n<footer>'
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.views == 245
    assert data.author is None
    assert data.body is not None and "BBT" not in data.body


def test_a_visit_counter_of_digit_images_under_so_luot_truy_cap_is_the_total() -> None:
    digits = "".join(f'<img src="/counter/{d}.gif" alt="{d}">' for d in "0274913")
    widget = (
        "<table><tr><td><b>Thống kê truy cập</b></td></tr>"
        f"<tr><td>Số lượt truy cập:<br>{digits}</td></tr>"
        "<tr><td>Đang truy cập: <b>7</b><br>Hôm nay: <b>132</b><br>Hôm qua: <b>208</b></td></tr>"
        "</table>"
    )
    html = _article("<span>09:05 18/06/2025</span>", "").replace(
        '<footer id="portal-footer">',
        f'<div class="box-left">{widget}</div><footer id="portal-footer">',
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.site_stats == {
        "online": 7,
        "today": 132,
        "yesterday": 208,
        "week": None,
        "month": None,
        "total": 274913,
    }


def test_a_heading_wins_over_a_tab_title_no_line_of_the_page_repeats() -> None:
    """A hand-built site's tab title names the site ("Chi nhánh VPĐKĐĐ … - Tin tức") and the
    URL has no slug: the page's title cell is the headline, not the tab title."""
    headline = "Chi nhánh Văn phòng Đăng ký đất đai khu vực Giao Thủy đẩy mạnh hồ sơ trực tuyến"
    html = f"""<html><head><title>Chi nhánh VPĐKĐĐ khu vực Giao Thủy - Tin tức</title></head>
<body><table width="780" align="center"><tr><td><img src="/images/banner.jpg" alt=""></td></tr>
<tr><td width="424" valign="top"><table width="100%">
<tr><td class="title"><font size="4" color="#CC0000"><b>{headline}</b></font></td></tr>
<tr><td><font size="1">Cập nhật: 18/11/2025 16:40 | Số lần đọc: 245</font></td></tr>
<tr><td><font size="2">Thực hiện chủ trương chuyển đổi số, Chi nhánh đã hướng dẫn người dân nộp
hồ sơ đăng ký biến động đất đai qua Cổng dịch vụ công trực tuyến.<br><br>Trong tháng 11, Chi
nhánh tiếp nhận 312 hồ sơ trực tuyến, tăng gấp đôi so với cùng kỳ năm trước.</font></td></tr>
</table></td></tr></table></body></html>"""
    url = "https://cnvpdkdd-giaothuy.ninhbinh.gov.vn/tintuc.php?id=218"
    data = ArticlePage(get_profile("generic"), url, Selector(text=html)).extract()
    assert data.title == headline
    assert data.methods["title"] == "heading"


def test_a_bold_lead_in_an_element_of_its_own_above_the_body_is_the_summary() -> None:
    """A lead printed in bold between the date line and the body's element, its class saying
    nothing (hashed CSS-in-JS classes), the page giving no description, is the summary, not
    body text."""
    lead = (
        "Chiều 20/11, tổ dân phố Trần Tế Xương long trọng tổ chức Ngày hội Đại đoàn kết toàn "
        "dân tộc năm 2025."
    )
    paragraphs = "".join(
        f"<p>Đoạn {i}: Ủy ban MTTQ phường đánh giá kết quả thực hiện cuộc vận động xây dựng "
        "đời sống văn hóa ở khu dân cư, trao giấy khen cho các hộ tiêu biểu.</p>"
        for i in range(6)
    )
    related = "".join(
        f'<div class="sc-gKsewC"><a href="/bai-viet/hoi-nghi-tong-ket-cong-tac-mat-tran-so-{i}">'
        f"Hội nghị tổng kết công tác Mặt trận năm 2025 ở khu dân cư số {i}</a>"
        f"<span>1{i}/11/2025</span></div>"
        for i in range(5)
    )
    html = f"""<html><head><title>{TITLE} | Cổng TTĐT</title></head><body>
<div class="sc-KHQFqu llyaoA"><div class="sc-RgFPES qxmqkE">
<div role="heading" aria-level="1" class="sc-SbTpcj wIHNtN">{TITLE}</div>
<div class="sc-EMXpov zabdYg"><span>21/11/2025 09:15</span><span>Lượt đọc: 2.310</span></div>
<div class="sc-aqcIFo yfKqNQ"><strong>{lead}</strong></div>
<div class="sc-fzdrBq nyHjmu">{paragraphs}</div>
<div class="sc-hKgILt kPrXrd"><a href="https://facebook.com/sharer">Chia sẻ Facebook</a>
<a href="https://zalo.me/share">Chia sẻ Zalo</a> <a href="#print">In bài</a></div>
<div class="sc-eCssSg fBkdHe"><div class="sc-jSgupP">Tin liên quan</div>{related}</div>
</div></div></body></html>"""
    page = ArticlePage(get_profile("generic"), URL, Selector(text=html))
    data = page.extract()
    assert page._free().elements["body"].get("class") == "sc-fzdrBq nyHjmu"  # above the block
    assert data.summary == lead
    assert data.body is not None and data.body.startswith("Đoạn 0")


FRAME_BODY = """<table><tr><td class="noidungtin"><p>Ngày 13/11, UBND xã phối hợp với Trung tâm
Khuyến nông tỉnh tổ chức hội thảo đánh giá kết quả mô hình nuôi tôm hai giai đoạn.</p>
<p>Mô hình được triển khai từ tháng 5/2025 trên diện tích 1,2 ha của 6 hộ dân, năng suất bình
quân đạt 21 tấn/ha/vụ, tỷ lệ sống đạt trên 82%.</p></td></tr></table>"""
FRAME_URL = "https://quynhluu.nghean.gov.vn/tintuc/chitiet.asp?id=812"
FRAME_TITLE = "Xã Quỳnh Lưu tổng kết mô hình nuôi tôm hai giai đoạn trong nhà lưới"


@pytest.mark.parametrize(
    ("tab", "headline"),
    [
        ("UBND XA QUYNH LUU", f'<td><span class="tieude">{FRAME_TITLE}</span></td>'),
        (
            "Chi tiết tin",
            (
                f"<td><font size='4'><b>{FRAME_TITLE}</b></font><br>"
                "<span>Ngày cập nhật: 14/11/2025</span></td>"
            ),
        ),
        ("", f"<td><h3>{FRAME_TITLE}</h3></td>"),
    ],
)
def test_a_frame_documents_headline_with_no_title_to_match(tab: str, headline: str) -> None:
    """A pop-up or frame document: the tab says the site's name, "Chi tiết tin" or nothing;
    the headline is an inline element named a title, a line wholly in bold, or an ``h3``."""
    html = (
        f"<html><head><title>{tab}</title></head><body><table><tr>{headline}</tr>"
        f"<tr><td>Ngày đăng: 14/11/2025 Số lần xem: 112</td></tr></table>{FRAME_BODY}"
        "<div>SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG<br>Địa chỉ: Số 92 Nguyễn Thị Minh Khai"
        "<br>Chịu trách nhiệm chính: Chánh Văn phòng</div></body></html>"
    )
    data = ArticlePage(get_profile("generic"), FRAME_URL, Selector(text=html)).extract()
    assert data.title == FRAME_TITLE


def test_the_sites_name_in_its_imprint_is_no_headline() -> None:
    """The tab names the site; the footer prints that name above "Địa chỉ:" and "Chịu trách
    nhiệm chính:": the title-named element is the headline, not the imprint's line."""
    html = (
        "<html><head><title>SO NONG NGHIEP VA MOI TRUONG NGHE AN</title></head><body>"
        f'<div class="tieude_tin">{FRAME_TITLE}</div><div>Ngày 28/11/2025 10:20</div>'
        f"{FRAME_BODY}<div class='dai_duoi'>SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH NGHỆ AN<br>"
        "Địa chỉ: Số 92 đường Nguyễn Thị Minh Khai<br>Chịu trách nhiệm chính: Chánh Văn phòng"
        "</div></body></html>"
    )
    data = ArticlePage(get_profile("generic"), FRAME_URL, Selector(text=html)).extract()
    assert data.title == FRAME_TITLE


def test_links_classed_lienket_are_a_list_not_a_box_of_web_links() -> None:
    """``<a class="lienket">`` only says the element is a link: a list of such links is the
    listing (a box classed "lienket-web" still is chrome)."""
    rows = "".join(
        f'<tr><td class="dongtin"><a href="chitiet.asp?id={800 + i}" target="_blank" '
        f"onclick=\"javascript:openWin('chitiet.asp?id={800 + i}');return false;\" "
        f'class="lienket">Xã Quỳnh Lưu ra quân tổng vệ sinh môi trường đợt {i} năm 2025</a> '
        f'<span class="ngay">({10 + i}/11/2025)</span></td></tr>'
        for i in range(6)
    )
    html = (
        f"<html><body><table>{rows}</table><div class='lienket-web'><a href='/x/lien-ket-1'>"
        "Cổng thông tin điện tử tỉnh Nghệ An và các sở ngành</a><a href='/x/lien-ket-2'>"
        "Cổng dịch vụ công quốc gia và hệ thống một cửa</a></div></body></html>"
    )
    url = "https://quynhluu.nghean.gov.vn/tintuc/danhsach.asp?cm=2&trang=1"
    links = ListingPage(get_profile("generic"), url, Selector(text=html)).article_links()
    assert links == [
        f"https://quynhluu.nghean.gov.vn/tintuc/chitiet.asp?id={800 + i}" for i in range(6)
    ]


@pytest.mark.parametrize("next_tag", ["h1", "h2"])
def test_the_next_story_printed_under_the_article_is_not_its_body(next_tag: str) -> None:
    """An "infinite scroll" page prints the next article whole under the current one (its
    headline in the headline's own class, or a second h1), longer than the current one: the
    body, byline and photos stop before it."""

    def story(tag: str, title: str, date: str, words: str, n: int, author: str) -> str:
        paragraphs = "".join(
            f"<p>{words} đoạn {i}: các sở, ngành và địa phương tập trung triển khai đồng bộ "
            "các giải pháp, tháo gỡ vướng mắc để hoàn thành kế hoạch năm.</p>"
            for i in range(n)
        )
        return (
            f'<article class="post-item"><{tag} class="post-title">{title}</{tag}>'
            f'<div class="post-meta">{date}</div><div class="post-body">{paragraphs}'
            f'<p style="text-align:right"><strong>{author}</strong></p></div></article>'
        )

    html = (
        f"<html><head><title>{TITLE}</title></head><body><main><div id='post-stream'>"
        + story("h1", TITLE, "28/11/2025 09:15", "Giải ngân vốn đầu tư công", 3, "Minh Thư")
        + '<div class="post-divider"><span>Đọc tiếp</span></div>'
        + story(
            next_tag,
            "Thanh long vào vụ nghịch, giá bán ổn định",
            "27/11/2025 16:40",
            "Thanh long vụ nghịch",
            6,
            "Thanh Tâm",
        )
        + "</div></main></body></html>"
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.title == TITLE and data.author == "Minh Thư"
    assert data.body is not None and "Thanh long" not in data.body and "Giải ngân" in data.body
    assert data.published_at is not None and data.published_at.day == 28


PANES = {
    "bootstrap": ('class="tab-pane fade show active"', 'class="tab-pane fade"'),
    "jquery-ui": (
        'role="tabpanel" class="ui-tabs-panel" style="display: block;"',
        'role="tabpanel" class="ui-tabs-panel"',
    ),
    "aria": (
        'role="tabpanel" class="pane" aria-hidden="false"',
        'role="tabpanel" class="pane" aria-hidden="true"',
    ),
}


@pytest.mark.parametrize("kind", sorted(PANES))
def test_tab_panels_not_shown_are_no_body_and_tab_labels_no_cut(kind: str) -> None:
    """The article in the shown tab; "Văn bản liên quan" and "Ý kiến bạn đọc" panels hidden
    only by the tab framework's classes, styles or ARIA are not read, and the tab labels
    above the panels do not end the body as an "other news" heading would."""
    shown, hidden = PANES[kind]
    html = f"""<html><head><title>{TITLE}</title></head><body><main><article>
<h1>{TITLE}</h1><div>18/06/2025 09:05</div><div class="tabs">
<ul role="tablist"><li role="tab"><a href="#p1">Nội dung</a></li>
<li role="tab"><a href="#p2">Văn bản liên quan</a></li><li role="tab"><a href="#p3">Ý kiến bạn đọc</a></li></ul>
<div id="p1" {shown}><p>Từ ngày 16 đến 18/6/2025, Sở Khoa học và Công nghệ tổ chức các hội đồng
tư vấn đánh giá, nghiệm thu kết quả thực hiện 6 nhiệm vụ khoa học và công nghệ.</p>
<p>Các nhiệm vụ thuộc các lĩnh vực nông nghiệp, y tế và chuyển đổi số đều được đánh giá đạt yêu
cầu, trong đó 2 nhiệm vụ xếp loại xuất sắc và được đề nghị ứng dụng rộng rãi.</p>
<p style="text-align:right"><strong>Minh Châu</strong></p></div>
<div id="p2" {hidden}><p>Quyết định số 1502/QĐ-UBND ngày 10/6/2025 về việc phê duyệt danh mục
nhiệm vụ khoa học và công nghệ cấp tỉnh.</p></div>
<div id="p3" {hidden}><p>Trần Văn Lợi (20/06/2025 10:15): Đề nghị Sở công bố kết quả
nghiệm thu trên cổng thông tin để người dân theo dõi.</p></div></div></article></main></body></html>"""
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.body is not None and data.body.endswith("ứng dụng rộng rãi.")
    assert data.body.startswith("Từ ngày 16") and data.author == "Minh Châu"


def test_an_accordions_chapters_are_body_headings_and_all() -> None:
    """A body cut into accordion chapters: each chapter's header button is its heading, the
    collapsed chapters are body too, and the first paragraph before them is no lead."""
    chapters = "".join(
        f'<div class="accordion-item"><h2 class="accordion-header"><button class="accordion-'
        f'button" type="button">{n}. {name}</button></h2><div class="accordion-collapse '
        f'collapse{" show" if n == 1 else ""}"><div class="accordion-body"><p>Chương {n}: các '
        "địa phương rà soát, đánh giá lại mức độ đạt từng tiêu chí nông thôn mới sau hợp "
        "nhất.</p></div></div></div>"
        for n, name in ((1, "Bối cảnh"), (2, "Kết quả"), (3, "Phương hướng"))
    )
    first = (
        "Ngày 01/12/2025, Văn phòng Điều phối nông thôn mới tỉnh tổ chức hội nghị sơ kết 11 "
        "tháng thực hiện Chương trình."
    )
    html = (
        f'<html><head><title>{TITLE}</title><meta name="description" content="{first}">'
        f"</head><body><main><article><h1>{TITLE}</h1><div>01.12.2025</div>"
        f'<div class="news-body"><p>{first}</p><div class="accordion">{chapters}</div></div>'
        "</article></main></body></html>"
    )
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert data.summary is None
    assert data.body is not None and data.body.startswith(first)
    for heading in ("1. Bối cảnh", "2. Kết quả\n\nChương 2", "3. Phương hướng"):
        assert heading in data.body


def test_a_bold_line_in_capitals_is_the_banner_not_the_headline() -> None:
    html = (
        "<html><head><title>Cổng thông tin điện tử tỉnh Quảng Trị</title></head><body>"
        "<div><font size='3'><b>ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ</b></font></div><table><tr><td>"
        f"<font size='4'><b>{FRAME_TITLE}</b></font><br><font size='1'>Cập nhật ngày 28 tháng "
        f"11 năm 2025</font></td></tr></table>{FRAME_BODY}</body></html>"
    )
    data = ArticlePage(get_profile("generic"), FRAME_URL, Selector(text=html)).extract()
    assert data.title == FRAME_TITLE


@pytest.mark.parametrize(
    ("byline", "author", "views"),
    [
        (
            '<ul><li>Viết bởi <a href="/u/57">Nguyễn Thu Hà</a></li><li>Đọc <b>245</b> lần</li></ul>',
            "Nguyễn Thu Hà",
            245,
        ),
        ("<ul><li>Viết bởi  admin</li><li>Lượt xem <b>1248</b></li></ul>", None, 1248),
    ],
)
def test_k2_written_by_and_read_n_times(byline: str, author: str | None, views: int) -> None:
    """Joomla K2's byline: "Viết bởi X" (an account is no author), "Đọc 245 lần"."""
    html = _article(f"<span>27/11/2025 09:15</span>{byline}", "")
    data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
    assert (data.author, data.views) == (author, views)


def test_a_heading_left_over_the_bylines_fields_is_no_body() -> None:
    fields = (
        "<h3>Thông tin bổ sung</h3><ul><li><span>Nguồn:</span> <span>Đài Truyền thanh xã</span>"
        "</li><li><span>Tác giả:</span> <span>Trần Văn Khánh</span></li></ul>"
    )
    html = _article("<span>09:05 18/06/2025</span>", "").replace(
        "</div>\n<footer>", f"{fields}</div>\n<footer>"
    )
    author, source, body = _read(html)
    assert (author, source) == ("Trần Văn Khánh", "Đài Truyền thanh xã")
    assert "Thông tin bổ sung" not in body


def test_visit_counters_of_a_table_and_an_odometer_with_no_label() -> None:
    """Two counters in rows of a table with no title ("Số lượt truy cập", "Đang truy cập");
    an odometer of digit images (each with a tooltip repeating its digit) over label rows."""
    rows = (
        "<table><tr><td><img src='/c.gif'></td><td><font>Số lượt truy cập: <b>1.234.567</b></font>"
        "</td></tr><tr><td><img src='/o.gif'></td><td><font>Đang truy cập: <b>12</b></font></td>"
        "</tr></table>"
    )
    digits = "".join(f'<img src="/d/{d}.png" alt="{d}" title="{d}">' for d in "0285604")
    odometer = (
        f'<div class="moduletable"><h3>Thống kê truy cập</h3><div>{digits}</div><table>'
        "<tr><td>Hôm nay</td><td>182</td></tr><tr><td>Hôm qua</td><td>264</td></tr>"
        "<tr><td>Tuần này</td><td>446</td></tr><tr><td>Tháng này</td><td>4318</td></tr>"
        "</table><div>Đang online: <b>7</b></div></div>"
    )
    expect = {
        rows: {"online": 12, "total": 1234567},
        odometer: {
            "online": 7,
            "today": 182,
            "yesterday": 264,
            "week": 446,
            "month": 4318,
            "total": 285604,
        },
    }
    for widget, counters in expect.items():
        html = _article("<span>09:05 18/06/2025</span>", "").replace(
            '<footer id="portal-footer">',
            f'<div class="box">{widget}</div><footer id="portal-footer">',
        )
        data = ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()
        keys = ("online", "today", "yesterday", "week", "month", "total")
        assert data.site_stats == {k: counters.get(k) for k in keys}


def test_a_tin_moi_box_in_the_column_before_the_list_gives_no_stories() -> None:
    """A left column of boxes (a menu, then a "TIN MỚI" box whose label is a table row) sits
    before the list: its stories, in the list's own folder, are not the list's."""

    def row(i: int, when: str) -> str:
        return (
            f'<tr><td><a href="/web/portal.nsf/ViewTinTuc/{i:032X}?OpenDocument">Triển khai '
            f"các biện pháp phòng, chống đói rét cho đàn gia súc đợt {i}</a><br>"
            f"<font>({when})</font></td></tr>"
        )

    column = (
        "<td><table><tr><td><a href='/web/portal.nsf/ViewChanNuoi?OpenView'>Chăn nuôi</a>"
        "</td></tr></table><table><tr><td><b>TIN MỚI</b></td></tr><tr><td><table>"
        + "".join(row(900 + i, "04/12/2025") for i in range(5))
        + "</table></td></tr></table></td>"
    )
    listing = (
        "<td><table>" + "".join(row(100 + i, "20/11/2025") for i in range(8)) + "</table></td>"
    )
    html = f"<html><body><table><tr>{column}{listing}</tr></table></body></html>"
    url = "https://snnmt.quangtri.gov.vn/web/portal.nsf/ViewTinTuc?OpenView&Start=16"
    links = ListingPage(get_profile("generic"), url, Selector(text=html)).article_links()
    assert links == [
        f"https://snnmt.quangtri.gov.vn/web/portal.nsf/ViewTinTuc/{100 + i:032X}?OpenDocument"
        for i in range(8)
    ]


LEAD = (
    "Từ ngày 24 đến 26/11/2025, đoàn công tác của Sở đã kiểm tra hiện trạng 12 hồ chứa thủy "
    "lợi xung yếu sau đợt mưa lũ."
)


def test_the_articles_own_record_of_fields_gives_the_byline_and_is_no_body() -> None:
    """A Domino-style form: label and value rows ("Tiêu đề:", "Ngày đăng:", "Người viết:",
    "Nguồn tin:", "Số lần xem:", "Người tạo:" an account, "Tóm tắt:") in the same table as
    the body's row: the author and source come from them, and none of the rows is body."""

    def field(label: str, value: str) -> str:
        return f"<tr><td><b>{label}</b></td><td>{value}</td></tr>"

    html = (
        f"<html><head><title>{FRAME_TITLE}</title></head><body><table>"
        + field("Tiêu đề:", f"<b>{FRAME_TITLE}</b>")
        + field("Ngày đăng:", "27/11/2025 09:15:04 AM")
        + field("Người viết:", "Trần Văn Hải")
        + field("Nguồn tin:", "Chi cục Thủy lợi")
        + field("Số lần xem:", "1.532")
        + field("Người tạo:", "Administrator/SNNMT")
        + field("Tóm tắt:", f"<b><i>{LEAD}</i></b>")
        + "<tr><td colspan='2'><hr></td></tr>"
        + f"<tr><td colspan='2'>{FRAME_BODY}</td></tr></table></body></html>"
    )
    data = ArticlePage(get_profile("generic"), FRAME_URL, Selector(text=html)).extract()
    assert (data.author, data.source, data.views) == ("Trần Văn Hải", "Chi cục Thủy lợi", 1532)
    assert data.body is not None and data.body.startswith("Ngày 13/11")
    assert "Người tạo" not in data.body and "Administrator" not in data.body


def test_the_posters_line_is_no_author() -> None:
    """ "Người đăng: Quản trị viên" right-aligned under the body names the uploader."""
    html = _article("<span>09:05 18/06/2025</span>", "").replace(
        "</div>\n<footer>",
        '<p style="text-align:right"><small>Người đăng: Quản trị viên</small></p></div>\n<footer>',
    )
    author, _, body = _read(html)
    assert author is None and "Người đăng" not in body
