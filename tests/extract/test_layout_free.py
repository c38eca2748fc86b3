"""The layout-free reader on pages it was not written against.

Every family's fixtures are read with that family's profiles hidden, and the test-only layouts
in ``tests/fixtures/unprofiled/`` (which never get a profile) are read as a portal nobody
profiled; ``benchmarks/generalization.py`` prints the same figures. The floors below are the
regression line under the measured figures (README "Portals nobody profiled").
"""

from __future__ import annotations

import pytest
from parsel import Selector

from benchmarks import generalization as gen
from crawler.extract import ArticlePage, ListingPage, selector_for
from crawler.profiles import get_profile

RESULTS = gen.run()
HELD_OUT = [g for g in RESULTS.groups if g.kind == gen.HELD_OUT]
LAYOUT_FREE = "layout_free"


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_every_held_out_layout_is_there() -> None:
    assert {g.name for g in HELD_OUT} >= {
        "aspnet-tables",
        "static-rebuild",
        "sharepoint-webpart",
        "wordpress-gov",
        "joomla-gov",
        "drupal-gov",
        "mvc-bootstrap-gov",
        "dnn-gov",
        "laravel-gov",
        "php-com-gov",
        "aspnet-guid-gov",
        "nuxt-gov",
        "sp2010-tables-gov",
        "websphere-gov",
        "elementor-gov",
        "asp-classic-1258",
        "amp-gov",
        "hanam-custom",
        "drupal7-gov",
        "next-gov",
        "google-sites-xa",
        "mobile-gov",
        "word-paste-gov",
        "jsp-struts-gov",
        "blogger-xa",
        "umbraco-gov",
        "angular-ssr-gov",
        "sitefinity-gov",
        "wagtail-gov",
        "magazine-gov",
        "webcenter-gov",
        "notice-gov",
        "coldfusion-gov",
        "plone-gov",
        "gallery-gov",
        "cmc-gov",
        "fpt-gov",
        "viettel-xa",
        "shared-ward-hcm",
        "astro-static-gov",
        "emagazine-gov",
        "frontpage-xa",
        "vi-classnames-php",
        "hashed-css-spa",
        "frameset-xa",
        "vnportal-2024",
        "infinite-next-gov",
        "tabbed-article-gov",
        "domino-gov",
        "joomla-k2-xa",
        "nukeviet-theme-2025",
        "liferay-dxp-2025",
        "entity-xhtml-gov",
        "video-news-gov",
        "bootstrap5-cards-xa",
        "dashboard-widgets-gov",
        "longform-interview-gov",
        "party-committee-gov",
        "bilingual-labels-gov",
        "print-view-gov",
        "a11y-landmarks-gov",
        "repost-sync-xa",
        "tandan-clone-gov",
        "wp-gutenberg-xa",
        "dual-date-legal-gov",
        "br-text-xa",
        "megamenu-portal-gov",
        "card-grid-gov",
        "dropcap-columns-gov",
        "schema-jsonld-gov",
        "event-notice-gov",
        "photo-story-gov",
        "comments-gov",
        "inline-styles-xa",
        "sidebar-first-gov",
        "multipage-article-gov",
        "pdf-notice-xa",
        "table-report-gov",
        "egov-framework-2025",
        "inline-related-gov",
        "quotes-sapo-gov",
        "hentry-xa",
        "dl-meta-gov",
        "date-grouped-gov",
        "microdata-gov",
        "tailwind-utility-xa",
        "sharepoint-modern-gov",
        "merged-archive-xa",
    }
    assert not RESULTS.skipped


# measured blind in the session's last hour and not fixed yet: held to its blind figure, its
# 0.90 check a strict expected failure, so fixing it shows (README "Portals nobody profiled")
NOT_YET: dict[str, float] = {}
# layouts measured blind whose listings are not read right yet (a subset of NOT_YET's)
LINKS_NOT_YET: set[str] = set()


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(
            g,
            marks=pytest.mark.xfail(strict=True, reason="measured blind, not fixed yet")
            if g.name in NOT_YET
            else (),
        )
        for g in RESULTS.held_out
    ],
    ids=[g.name for g in RESULTS.held_out],
)
def test_each_family_left_out_and_each_layout_reads_at_least_90_percent(group: gen.Group) -> None:
    assert share(gen.field_pairs([group], LAYOUT_FREE)) >= 0.9


@pytest.mark.parametrize("name", sorted(NOT_YET))
def test_a_layout_not_fixed_yet_holds_its_blind_figure(name: str) -> None:
    (group,) = [g for g in RESULTS.held_out if g.name == name]
    assert share(gen.field_pairs([group], LAYOUT_FREE)) >= NOT_YET[name]


def test_every_field_over_all_held_out_pages() -> None:
    groups = [g for g in RESULTS.held_out if g.name not in NOT_YET]
    assert share(gen.field_pairs(groups, LAYOUT_FREE)) >= 0.99
    for name in ("title", "published_at", "views", "site_stats"):
        assert share(gen.field_pairs(groups, LAYOUT_FREE, name)) == 1.0, name
    for name in ("author", "source"):
        assert share(gen.field_pairs(groups, LAYOUT_FREE, name)) >= 0.95, name
    # one known noisy body: laravel-gov's lead <figure> among the paragraphs, whose caption and
    # photo credit its author left out of the body (the seed article keeps such a caption)
    assert sum(gen.noise_flags(groups, LAYOUT_FREE)) <= 1


@pytest.mark.parametrize(
    "listing",
    [
        pytest.param(
            x,
            marks=pytest.mark.xfail(strict=True, reason="measured blind, not fixed yet")
            if x.group in LINKS_NOT_YET
            else (),
        )
        for g in RESULTS.held_out
        for x in g.listings
    ],
    ids=lambda x: f"{x.group}/{x.case}",
)
def test_listing_links_and_next_page(listing: gen.ListingResult) -> None:
    score = listing.scores[LAYOUT_FREE]
    assert (score.links.recall or 0.0) >= 0.95 and (score.links.precision or 0.0) >= 0.9
    assert score.next_right is not False and not score.false_next


TRAPS = """<html><head><title>Hội nghị tổng kết công tác tư pháp năm 2024 - Cổng thông tin điện tử
xã Mẫu</title></head><body>
<div class="topbar">Thứ Năm, 03/12/2026</div>
<h1 class="site-name">Cổng thông tin điện tử xã Mẫu</h1>
<div style="display:none"><a href="/quan-tri">Quản trị</a> Lượt xem: 99999</div>
<table><tr><td class="left">
  <div class="box"><div class="box-title">Tin xem nhiều</div><ul>
    <li><a href="/tin-tuc/giai-bong-da-thieu-nien-xa-mau-nam-2024-11.html">Giải bóng đá thiếu niên
    xã Mẫu năm 2024 khép lại thành công</a> (01/10/2024) Lượt xem: 5.432</li>
    <li><a href="/tin-tuc/ra-quan-ve-sinh-moi-truong-12.html">Ra quân vệ sinh môi trường chào mừng
    ngày thành lập xã</a> (02/10/2024) Lượt xem: 4.321</li></ul></div>
</td><td class="content">
  <h2>Trang chủ</h2>
  <h3>Hội nghị tổng kết công tác tư pháp năm 2024</h3>
  <div>Ngày 5 tháng 12 năm 2024 | Số lượt xem: 321</div>
  <p>Sáng ngày 5/12, UBND xã Mẫu tổ chức hội nghị tổng kết công tác tư pháp năm 2024 và triển khai
  nhiệm vụ năm 2025 với sự tham dự của đại diện các ban, ngành, đoàn thể.</p>
  <p><img src="/img/blank.gif" data-src="/upload/hoi-nghi.jpg"></p>
  <p>Quang cảnh hội nghị tổng kết</p>
  <p>Năm 2024, công tác hòa giải ở cơ sở đạt kết quả tốt, 95% vụ việc được hòa giải thành; công tác
  chứng thực, hộ tịch được thực hiện đúng quy định, không để tồn đọng hồ sơ (ngày 20/11/2024).</p>
  <p align="right"><b>Hoàng Lan</b></p>
  <div class="other"><b>Tin liên quan</b><ul>
    <li><a href="/tin-tuc/tap-huan-hoa-giai-vien-co-so-9.html">Tập huấn nghiệp vụ cho hòa giải viên
    cơ sở năm 2024</a> (20/11/2024)</li></ul></div>
</td></tr></table>
<div>Thống kê truy cập: Đang online 5 Hôm nay 120 Tổng
  <span>0</span><span>1</span><span>2</span><span>3</span><span>4</span></div>
</body></html>"""
URL = "https://mau.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-tu-phap-nam-2024-15.html"


def test_traps_of_an_unknown_layout() -> None:
    """Header clock, most-read sidebar with counts and dates, "Trang chủ" heading, hidden admin
    menu, related list with dates, digit-per-cell counter: none of them is read as the article's."""
    data = ArticlePage(get_profile("generic"), URL, Selector(text=TRAPS)).extract()
    assert data.title == "Hội nghị tổng kết công tác tư pháp năm 2024"
    assert (
        data.published_at is not None
        and data.published_at.isoformat() == "2024-12-05T00:00:00+07:00"
    )
    assert data.published_date_only
    assert data.views == 321
    assert data.author == "Hoàng Lan"
    assert data.images == [
        {"url": "https://mau.gov.vn/upload/hoi-nghi.jpg", "caption": "Quang cảnh hội nghị tổng kết"}
    ]
    assert data.body is not None and data.body.startswith("Sáng ngày 5/12, UBND xã Mẫu")
    for noise in ("Tin liên quan", "Tập huấn", "Hoàng Lan", "Lượt xem", "Trang chủ", "Quản trị"):
        assert noise not in data.body
    assert data.site_stats is not None and data.site_stats["total"] == 1234
    assert data.methods["title"] in ("slug", "meta_title") and data.fallbacks == {}


def test_a_menu_is_not_a_news_list_and_a_listing_is_not_an_article() -> None:
    menu = (
        "<html><body><ul class='x'>"
        + "".join(f"<li><a href='/p/{n}.aspx'>Chỉ đạo điều hành số {n}</a></li>" for n in range(8))
        + "</ul></body></html>"
    )
    assert (
        ListingPage(
            get_profile("generic"), "https://a.gov.vn/", Selector(text=menu)
        ).article_links()
        == []
    )
    for case in gen.unprofiled_fixtures(gen.UNPROFILED, True, []):
        if case.group in NOT_YET:
            continue
        sel = selector_for(case.page, case.content_type)
        assert ArticlePage(get_profile("generic"), case.url, sel).looks_like_listing(), case.case
    for case in gen.unprofiled_fixtures(gen.UNPROFILED, False, []):
        if case.group in NOT_YET:
            continue
        sel = selector_for(case.page, case.content_type)
        assert not ArticlePage(get_profile("generic"), case.url, sel).looks_like_listing(), (
            case.case
        )


def _byline_page(after_body: str) -> str:
    return f"""<html><head><title>Hội nghị sơ kết vụ Hè Thu năm 2024</title></head><body>
<table><tr><td class="content">
  <h1>Hội nghị sơ kết vụ Hè Thu năm 2024</h1>
  <div>Ngày 20/11/2024</div>
  <div class="news-body"><p>Chiều 20/11, UBND huyện tổ chức hội nghị sơ kết sản xuất vụ Hè Thu năm
  2024 và triển khai kế hoạch sản xuất vụ Đông Xuân với sự tham dự của các xã, thị trấn.</p>
  <p>Năm 2024, toàn huyện gieo trồng vượt kế hoạch, năng suất lúa bình quân đạt 62 tạ/ha, cao hơn
  cùng kỳ năm trước; các xã đã chủ động phương án phòng, chống hạn hán cục bộ./.</p></div>
</td></tr>
{after_body}
<tr><td><div class="other"><b>Tin khác</b><ul>
  <li><a href="/tin/tap-huan-ky-thuat-trong-lua-9.html">Tập huấn kỹ thuật trồng lúa cho nông dân
  năm 2024</a> (19/11/2024)</li></ul></div></td></tr></table></body></html>"""


BYLINE_URL = "https://huyen.gov.vn/tin/hoi-nghi-so-ket-vu-he-thu-nam-2024-15.html"


@pytest.mark.parametrize(
    ("after_body", "author", "source"),
    [
        # a row of its own, right-aligned and bold, then the source in italics
        (
            '<tr><td align="right"><b>Minh Châu</b><br><i>Nguồn: Báo Đắk Lắk</i></td></tr>',
            "Minh Châu",
            "Báo Đắk Lắk",
        ),
        ('<tr><td><div class="author text-right">Thu Hà</div></td></tr>', "Thu Hà", None),
        # the views and the author on one line, the label says which is which
        (
            "<tr><td><div>Lượt xem: 1.532 | Tác giả: Minh Anh</div></td></tr>",
            "Minh Anh",
            None,
        ),
        # set apart but not a byline: a date line, a heading of other news, a plain line
        ('<tr><td align="right">Cập nhật 20/11/2024</td></tr>', None, None),
        ('<tr><td align="right"><b>Tin liên quan</b></td></tr>', None, None),
        ("<tr><td>Thu Hà</td></tr>", None, None),
    ],
)
def test_a_byline_of_its_own_right_after_the_body(
    after_body: str, author: str | None, source: str | None
) -> None:
    html = _byline_page(after_body)
    data = ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract()
    assert data.body is not None and data.body.endswith("hạn hán cục bộ./.")
    assert (data.author, data.source) == (author, source)


def _category_of(head: str, crumbs: str) -> str | None:
    html = (
        _byline_page("").replace("<head>", f"<head>{head}").replace("<table>", crumbs + "<table>")
    )
    return ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract().category


def test_category_from_the_breadcrumb_whose_items_are_named_too() -> None:
    crumbs = (
        '<nav><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Trang chủ</a></li>'
        '<li class="breadcrumb-item"><a href="/tin-tuc">Nông nghiệp</a></li></ol></nav>'
    )
    assert _category_of("", crumbs) == "Nông nghiệp"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:section" content="Chuyển đổi số">',
        (
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "articleSection": ["Chuyển đổi số"]}</script>'
        ),
    ],
)
def test_category_from_the_section_metadata_when_there_is_no_breadcrumb(head: str) -> None:
    assert _category_of(head, "") == "Chuyển đổi số"
    assert _category_of("", "") is None


def test_a_note_is_body_and_a_save_button_is_not() -> None:
    note = "<p>Lưu ý: hồ sơ nộp tại bộ phận một cửa của UBND huyện trước ngày 30/11/2024.</p>"
    html = _byline_page("").replace("cục bộ./.</p>", f"cục bộ./.</p>{note}<p>Lưu bài</p>")
    data = ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract()
    assert data.body is not None
    assert data.body.endswith(
        "Lưu ý: hồ sơ nộp tại bộ phận một cửa của UBND huyện trước ngày 30/11/2024."
    )


FIELDS_PAGE = """<html><head><title>Tập huấn canh tác lúa giảm phát thải</title></head><body>
<div class="node__content">
  <h1 class="page-title">Tập huấn canh tác lúa giảm phát thải</h1>
  <div class="post-meta">Thứ Sáu, 18/09/2026 - 9:30 SA</div>
  {lead}
  <div class="field field--name-field-mo-ta">Từ ngày 15 đến 17/9/2026, Chi cục Trồng trọt tổ chức
  3 lớp tập huấn kỹ thuật canh tác lúa giảm phát thải cho hơn 180 nông dân.</div>
  <div class="field field--name-body field--type-text-with-summary">
    <p>Đề án một triệu héc-ta lúa chất lượng cao, phát thải thấp được tỉnh triển khai trên diện
    tích gần 92.000 ha, năm 2026 thí điểm tại 14 hợp tác xã.</p>
    <p>Học viên được hướng dẫn kỹ thuật tưới ướt khô xen kẽ để giảm lượng khí mê-tan phát sinh
    từ ruộng lúa, bón phân cân đối theo bảng so màu lá.</p>
  </div>
  <div class="field__label">Tác giả</div><div class="field__item">Ngọc Hân</div>
  <div class="field__label">Nguồn</div><div class="field__item">Chi cục Trồng trọt</div>
</div>
<ul class="links inline"><li class="statistics-counter">1.245 lượt xem</li></ul>
<div class="field__label">Từ khóa</div><div class="field__item"><a href="/tag/lua">lúa</a></div>
<h2>Tin liên quan</h2>
<div><a href="/tin/so-ket-9-thang-nong-thon-moi-12.html">Sơ kết 9 tháng xây dựng nông thôn mới
trên địa bàn tỉnh</a> (24/09/2026) 3.210 lượt xem</div>
</body></html>"""
FIELDS_URL = "https://so.vinhlong.gov.vn/tin/tap-huan-canh-tac-lua-giam-phat-thai"
LEAD = (
    '<div class="field field--name-field-image"><img src="/files/lua-1.jpg"></div>'
    '<div class="field field--name-field-chu-thich-anh">Kỹ sư hướng dẫn nông dân đo mực nước</div>'
)


def test_fields_printed_as_label_and_value_after_a_photo_field_and_a_lead_field() -> None:
    """A field-based theme: lead photo and its caption above the body field, the lead in its
    own field, the body field named "text-with-summary", author and source as label + value,
    the counter and the tags after the article."""
    html = FIELDS_PAGE.replace("{lead}", LEAD)
    data = ArticlePage(get_profile("generic"), FIELDS_URL, Selector(text=html)).extract()
    assert data.summary is not None and data.summary.startswith("Từ ngày 15 đến 17/9/2026")
    assert data.body is not None and data.body.startswith("Đề án một triệu héc-ta")
    assert data.body.endswith("theo bảng so màu lá.")
    assert data.images == [
        {
            "url": "https://so.vinhlong.gov.vn/files/lua-1.jpg",
            "caption": "Kỹ sư hướng dẫn nông dân đo mực nước",
        }
    ]
    assert (data.author, data.source, data.views) == ("Ngọc Hân", "Chi cục Trồng trọt", 1245)


def test_a_photo_among_the_body_paragraphs_keeps_its_caption_in_the_body() -> None:
    photo = '<p><img src="/files/lua-2.jpg"></p><p>Nông dân thực hành trên đồng mẫu</p>'
    html = FIELDS_PAGE.replace("{lead}", "").replace(
        '"field field--name-body field--type-text-with-summary">',
        f'"field field--name-body field--type-text-with-summary">{photo}',
    )
    data = ArticlePage(get_profile("generic"), FIELDS_URL, Selector(text=html)).extract()
    assert data.body is not None and data.body.startswith("Nông dân thực hành trên đồng mẫu\n\n")


def test_a_counter_labelled_by_its_tooltip_with_digits_and_separators_drawn_apart() -> None:
    digits = "".join(f'<span class="odo-digit">{c}</span>' for c in "00") + (
        '<span class="odo-sep">.</span>'
        + "".join(f'<span class="odo-digit">{c}</span>' for c in "048")
        + '<span class="odo-sep">.</span>'
        + "".join(f"<span>{c}</span>" for c in "238")
    )
    widget = (
        '<section><h2>Thống kê truy cập</h2><div title="Tổng lượt truy cập">'
        f"{digits}</div><table><tr><td>Hôm nay</td><td>118</td></tr></table></section>"
    )
    html = FIELDS_PAGE.replace("{lead}", "").replace("</body>", f"{widget}</body>")
    data = ArticlePage(get_profile("generic"), FIELDS_URL, Selector(text=html)).extract()
    assert data.site_stats is not None
    assert (data.site_stats["total"], data.site_stats["today"]) == (48238, 118)


@pytest.mark.parametrize(
    ("last_lines", "author", "source"),
    [
        ('<p align="right"><b>Tin, ảnh: Quốc Bảo</b></p>', "Quốc Bảo", None),
        (
            "<p>(Phòng Văn hóa - Xã hội phường Quy Nhơn Nam)</p>",
            None,
            "Phòng Văn hóa - Xã hội phường Quy Nhơn Nam",
        ),
        ("<p>(Nguồn: Báo Gia Lai)</p>", None, "Báo Gia Lai"),
    ],
)
def test_byline_lines_ending_the_body(
    last_lines: str, author: str | None, source: str | None
) -> None:
    html = _byline_page("").replace("cục bộ./.</p></div>", f"cục bộ./.</p>{last_lines}</div>")
    data = ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract()
    assert data.body is not None and data.body.endswith("hạn hán cục bộ./.")
    assert (data.author, data.source) == (author, source)


def test_an_author_labelled_in_the_line_under_the_headline() -> None:
    html = _byline_page("").replace(
        "<div>Ngày 20/11/2024</div>",
        "<div>Ngày 20/11/2024 | Tác giả: Hoàng Yến | Lượt xem: 356</div>",
    )
    data = ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract()
    assert (data.author, data.views) == ("Hoàng Yến", 356)


def test_name_then_source_in_brackets_and_an_inline_author_label() -> None:
    html = _byline_page("").replace(
        "cục bộ./.</p></div>",
        'cục bộ./.</p><p align="right"><b>Ngọc Minh (Báo Gia Lai)</b></p></div>',
    )
    data = ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract()
    assert (data.author, data.source) == ("Ngọc Minh", "Báo Gia Lai")
    meta = "<div><span>12/11/2024 8:45:00 SA</span> <span>Tác giả: Hồng Nhung</span> <span>Lượt xem: 1.387</span></div>"
    html = _byline_page("").replace("<div>Ngày 20/11/2024</div>", meta)
    data = ArticlePage(get_profile("generic"), BYLINE_URL, Selector(text=html)).extract()
    assert (data.author, data.views) == ("Hồng Nhung", 1387)


def test_a_date_line_above_the_lead_is_not_body_and_a_main_photo_above_microdata_body() -> None:
    page = (
        FIELDS_PAGE.replace("{lead}", "")
        .replace(
            '<div class="post-meta">Thứ Sáu, 18/09/2026 - 9:30 SA</div>',
            '<div class="ngay">Thứ Sáu, ngày 18 tháng 9 năm 2026</div>'
            '<div class="main-image"><img src="/files/chinh.jpg"> Quang cảnh lớp tập huấn</div>',
        )
        .replace(
            'class="field field--name-body', 'itemprop="articleBody" class="field field--name-body'
        )
    )
    data = ArticlePage(get_profile("generic"), FIELDS_URL, Selector(text=page)).extract()
    assert data.published_date_only and data.published_at is not None
    assert data.summary is not None and data.summary.startswith("Từ ngày 15 đến 17/9/2026")
    assert data.body is not None and data.body.startswith("Đề án một triệu héc-ta")
    assert data.images[0] == {
        "url": "https://so.vinhlong.gov.vn/files/chinh.jpg",
        "caption": "Quang cảnh lớp tập huấn",
    }


LARAVEL_STYLE = """<html><head><title>Sơ kết mô hình Dân vận khéo ở xã Yên Thuận</title></head><body>
<div class="luot-truy-cap"><h4>LƯỢT TRUY CẬP</h4><table>
<tr><td>Đang truy cập</td><td>3</td></tr><tr><td>Tất cả</td><td>286,532</td></tr></table></div>
<div class="main-content">
  <p class="byline-top">N.T.H</p>
  <h1>Sơ kết mô hình Dân vận khéo ở xã Yên Thuận</h1>
  <div class="meta"><time>14:32 - 25/11/2026</time> (1.234 lượt xem)</div>
  <div class="sapo">(Báo Tuyên Quang) – Sáng 25/11, Đảng ủy xã Yên Thuận tổ chức hội nghị sơ kết
  3 năm thực hiện mô hình “Dân vận khéo” gắn với xây dựng nông thôn mới.</div>
  <p>Xã Yên Thuận được thành lập trên cơ sở sáp nhập ba xã; ngay sau khi đi vào hoạt động, Đảng ủy
  xã đã chỉ đạo các chi bộ đăng ký mô hình dân vận khéo phù hợp với từng thôn, bản.</p>
  <p>Đến nay toàn xã có 42 mô hình được công nhận, nhiều mô hình được nhân rộng ra các xã lân cận.</p>
  <div class="card"><div class="card-header">Ý kiến bạn đọc (1)</div>
  <div>Lý Văn Pao - 26/11/2026 21:10</div><div>Bài viết rất sát thực tế ở các chi bộ vùng cao.</div></div>
  <h3>Tin cùng chuyên mục</h3>
</div></body></html>"""
LARAVEL_URL = (
    "https://tinhuy.tuyenquang.gov.vn/tin-tuc/so-ket-mo-hinh-dan-van-kheo-o-xa-yen-thuan-15.html"
)


def test_byline_above_the_title_clock_first_date_source_in_the_lead_and_comments_cut() -> None:
    data = ArticlePage(get_profile("generic"), LARAVEL_URL, Selector(text=LARAVEL_STYLE)).extract()
    assert data.author == "N.T.H"
    assert (
        data.published_at is not None
        and data.published_at.isoformat() == "2026-11-25T14:32:00+07:00"
    )
    assert data.views == 1234
    assert data.source == "Báo Tuyên Quang"
    assert data.summary is not None and data.summary.startswith("Sáng 25/11, Đảng ủy xã Yên Thuận")
    assert data.body is not None and data.body.startswith("Xã Yên Thuận được thành lập")
    assert data.body.endswith("nhân rộng ra các xã lân cận.")
    assert data.site_stats is not None and data.site_stats["total"] == 286532


# session 6's blind layouts (php-com-gov, aspnet-guid-gov, nuxt-gov), their traps in one page
VENDOR_URL = "https://xaphuonghoa.laichau.gov.vn/tin-tuc/ra-mat-mo-hinh-tuyen-pho-van-minh-41.html"
VENDOR_STYLE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<base href="https://xaphuonghoa.laichau.gov.vn/">
<title>Ra mắt mô hình tuyến phố văn minh - UBND xã Phương Hòa</title></head><body>
<div class="top">Thứ Năm, 03/12/2026</div>
<div class="duongdan"><a href="index.php">Trang chủ</a> » <a href="tin-tuc">Tin tức</a></div>
<div class="detail">
 <h2 class="detail-title">Ra mắt mô hình tuyến phố văn minh</h2>
 <div class="detail-info">Cập nhật lúc 08:05 ngày 28.11.2026 &nbsp;
  <img src="images/icon_eye.png" alt="" title="Lượt xem"> 347</div>
 <div class="detail-sapo">Sáng 27/11, UBND xã Phương Hòa tổ chức ra mắt mô hình tuyến phố văn
  minh, không rác thải tại thôn Nà Khum với sự tham gia của hơn 200 hộ dân.</div>
 <div class="detail-photo"><img src="upload/2026/11/ra-mat.jpg" alt=""><br>
  <span class="chu-thich">Lãnh đạo xã trao biển mô hình cho thôn Nà Khum</span></div>
 <div class="detail-content">
  <div class="tacgia">Tác giả: Thanh Bình</div>
  <p>Mô hình được triển khai trên tuyến đường dài 1,5 km đi qua ba thôn, với 214 hộ gia đình
  cam kết phân loại rác tại nguồn và giữ gìn vệ sinh trước cửa nhà.</p>
  <p><img src="upload/2026/11/ra-quan.jpg" alt=""><br><em>Người dân ra quân thu gom rác</em></p>
  <p>Sau lễ ra mắt, các đoàn thể đã ra quân thu gom rác thải, phát quang bụi rậm dọc tuyến
  đường và trồng thêm 300 cây hoa hai bên đường.</p>
  <p>Theo kế hoạch, xã sẽ nhân rộng mô hình ra các thôn còn lại trong năm 2027.</p>
 </div>
</div>
<div class="sidebar-box"><h3>Thống kê truy cập</h3>
 <div class="tile"><b>12</b><span>Đang online</span></div>
 <div class="tile"><b>1.204</b><span>Hôm nay</span></div>
 <div class="tile"><b>2.316</b><span>Hôm qua</span></div>
 <div class="tile"><b>845.112</b><span>Tổng lượt truy cập</span></div></div>
</body></html>"""


def test_traps_of_session_6_blind_layouts() -> None:
    data = ArticlePage(get_profile("generic"), VENDOR_URL, Selector(text=VENDOR_STYLE)).extract()
    # the clock before "ngày" and the date after it
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2026-11-28T08:05:00+07:00"
    assert data.views == 347  # an eye image named by its tooltip, the count after it
    # a lead and a photo field between the headline and the body field; the eye is no photo
    assert data.summary is not None and data.summary.startswith("Sáng 27/11, UBND xã Phương Hòa")
    base = "https://xaphuonghoa.laichau.gov.vn/upload/2026/11/"  # <base href>, not the URL
    assert data.images == [
        {"url": base + "ra-mat.jpg", "caption": "Lãnh đạo xã trao biển mô hình cho thôn Nà Khum"},
        {"url": base + "ra-quan.jpg", "caption": "Người dân ra quân thu gom rác"},
    ]
    # a labelled byline line above the body's first paragraph; "Theo kế hoạch, …" is prose
    assert (data.author, data.source) == ("Thanh Bình", None)
    assert data.body is not None and data.body.startswith("Mô hình được triển khai")
    assert data.body.endswith("trong năm 2027.")
    assert "Tác giả" not in data.body and "347" not in data.body
    # tiles print the number above its label
    assert data.site_stats == {
        "online": 12,
        "today": 1204,
        "yesterday": 2316,
        "week": None,
        "month": None,
        "total": 845112,
    }


NUXT_LISTING_URL = "https://lamdong.gov.vn/chuyen-muc/tin-tuc-su-kien"


def _card(n: int, tag: str = "article") -> str:
    href = f"/tin-tuc/hoi-nghi-so-ket-cong-tac-thang-{n}-cua-tinh-uy-{40200 + n}"
    return (  # the thumbnail and the headline link in one line, the teaser under them
        f'<{tag} class="flex gap-4 py-4"><a href="{href}"><img src="/t/{n}.jpg" alt=""></a> '
        f'<a href="{href}">Hội nghị sơ kết công tác tháng {n} của Tỉnh ủy Lâm Đồng</a>'
        f"<p>Tỉnh ủy tổ chức hội nghị sơ kết công tác tháng {n} vào sáng 0{n}/12/2026, "
        f"triển khai nhiệm vụ trọng tâm của tháng tiếp theo.</p></{tag}>"
    )


def test_a_featured_card_inside_the_list_and_items_with_thumbnails() -> None:
    page = (
        '<html><body><nav><a href="/">Trang chủ</a></nav><div class="news-list">'
        + _card(1, "div")  # the featured card: shaped unlike the items after it
        + "".join(_card(n) for n in range(2, 9))
        + '</div><a href="?page=2">Trang sau ›</a></body></html>'
    )
    listing = ListingPage(get_profile("generic"), NUXT_LISTING_URL, Selector(text=page))
    links = listing.article_links()
    assert len(links) == 8 and links[0].endswith("-40201")
    # an item's headline link has its thumbnail beside it: still a list, never an article
    sel = Selector(text=page)
    assert ArticlePage(get_profile("generic"), NUXT_LISTING_URL, sel).looks_like_listing()


# session 6's second round (sp2010-tables-gov, websphere-gov, elementor-gov) in one page: the
# tab shows the section, the post info is an icon list, the visit counters count up by script
PORTAL_URL = "https://snnmt.laocai.gov.vn/wps/wcm/connect/snnmt/tin-tuc/9f3c2e1a-77b0-4c1e"
PORTAL_STYLE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Tin hoạt động - Cổng thông tin điện tử Sở Nông nghiệp và Môi trường</title></head><body>
<table class="menu"><tr><td><a href="/">Trang chủ</a></td><td><a href="/tin-hoat-dong">Tin hoạt
 động</a></td><td><a href="/van-ban">Văn bản</a></td></tr></table>
<div class="box"><div class="vb">Quyết định số 12/QĐ-SNNMT <br>Ngày ban hành: 09/02/2026</div></div>
<div class="detail">
 <h2>Tin hoạt động</h2>
 <h1 class="wcm-title">Sơ kết vụ Đông Xuân 2025 – 2026, triển khai kế hoạch vụ Hè Thu</h1>
 <ul class="post-info">
  <li><a href="/2026/03/10/"><i class="fas fa-calendar"></i> 10/03/2026</a></li>
  <li><i class="fas fa-clock"></i> 3:45 PM</li>
  <li><span class="icon"><i class="fas fa-eye"></i></span> <span>2,047</span></li>
 </ul>
 <div class="wcm-body">
  <p class="byline">Tác giả: Hoàng Anh - Nguồn: Chi cục Trồng trọt</p>
  <p>Chiều 10/3, Sở Nông nghiệp và Môi trường tổ chức hội nghị sơ kết sản xuất vụ Đông Xuân
  2025 - 2026 và triển khai kế hoạch sản xuất vụ Hè Thu năm 2026 trên địa bàn tỉnh.</p>
  <p>Toàn tỉnh gieo trồng được 48.600 ha cây hằng năm, đạt 101% kế hoạch; năng suất lúa bình
  quân ước đạt 61 tạ/ha, tăng 1,2 tạ/ha so với cùng vụ năm trước.</p>
  <div class="attach">Tệp đính kèm: <a href="/files/bao-cao-so-ket.pdf"><img src="/img/pdf.gif"
  alt=""> bao-cao-so-ket.pdf</a></div>
 </div>
</div>
<table class="webpart">
 <tr><td><table><tr><td class="ms-WPHeaderTd"><h3><span>Thống kê truy cập</span></h3></td></tr>
 </table></td></tr>
 <tr><td><table class="ThongKe">
  <tr><td>Đang online:</td><td><span data-to-value="19">0</span></td></tr>
  <tr><td>Hôm nay:</td><td><span data-to-value="1398">0</span></td></tr>
  <tr><td>Tổng truy cập:</td><td><span data-to-value="1204930">0</span></td></tr>
 </table></td></tr>
</table>
</body></html>"""


def test_traps_of_session_6_second_round() -> None:
    data = ArticlePage(get_profile("generic"), PORTAL_URL, Selector(text=PORTAL_STYLE)).extract()
    # the tab names the section (a menu link reads it too): the headline is the h1
    assert data.title == "Sơ kết vụ Đông Xuân 2025 – 2026, triển khai kế hoạch vụ Hè Thu"
    # the date linked to its day archive, the clock in the next item; not the sidebar's
    # labelled "Ngày ban hành" above the headline
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2026-03-10T15:45:00+07:00"
    assert data.views == 2047  # the eye in a wrapper, the count in the element after it
    assert (data.author, data.source) == ("Hoàng Anh", "Chi cục Trồng trọt")
    assert data.body is not None and data.body.startswith("Chiều 10/3, Sở Nông nghiệp")
    assert data.body.endswith("so với cùng vụ năm trước.")  # the attachment line is not body
    assert data.images == []  # a file-type pictogram is no photo
    # a web part's title row, then its body row; counters that a script counts up to
    assert data.site_stats is not None
    assert (data.site_stats["online"], data.site_stats["today"], data.site_stats["total"]) == (
        19,
        1398,
        1204930,
    )


def test_a_date_printed_after_the_body() -> None:
    page = PORTAL_STYLE.replace(
        '<ul class="post-info">', '<ul class="post-info" style="display:none">'
    ).replace(
        '<div class="attach">',
        '<div class="ngay">Ngày đăng: 18/08/2025 8:45:12 SA | Lượt xem: 1.245</div>'
        '<div class="attach">',
    )
    data = ArticlePage(get_profile("generic"), PORTAL_URL, Selector(text=page)).extract()
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-08-18T08:45:12+07:00"
    assert data.views == 1245


# session 6's third round (asp-classic-1258, amp-gov, hanam-custom): an AMP article and an old
# ASP table page's traps
AMP_URL = "https://svhttdl.lamdong.gov.vn/amp/tap-huan-bao-ton-di-san-van-hoa-phi-vat-the-4102.html"
AMP_STYLE = """<!doctype html><html amp lang="vi"><head><meta charset="utf-8">
<title>Tập huấn bảo tồn di sản văn hóa phi vật thể</title></head><body>
<header><span>Thứ Ba, 14/04/2026</span></header>
<article>
 <h1>Tập huấn bảo tồn di sản văn hóa phi vật thể</h1>
 <table><tr><td><img src="/images/spacer.gif" width="1" height="6"></td></tr>
 <tr><td>Ngày đăng: 18.03.2026 | Số lượt xem: 958 | <a href="#print">In trang</a>
  | <a href="mailto:">Gửi email</a></td></tr></table>
 <p><b><i>Sở Văn hóa, Thể thao và Du lịch tổ chức lớp tập huấn nghiệp vụ bảo tồn di sản văn hóa
 phi vật thể cho cán bộ văn hóa cấp xã.</i></b></p>
 <div class="noidung">
 <p>Lớp tập huấn có 120 học viên là công chức văn hóa - xã hội của các xã, phường trong tỉnh,
 diễn ra trong hai ngày tại Trung tâm Văn hóa tỉnh.</p>
 <figure><amp-img src="/uploads/news/2026/03/18/tap-huan.jpg" width="800" height="533"
  layout="responsive"></amp-img><figcaption>Quang cảnh lớp tập huấn</figcaption></figure>
 <p>Các học viên được hướng dẫn kỹ năng kiểm kê, lập hồ sơ di sản và xây dựng kế hoạch bảo vệ
 di sản tại cơ sở.</p>
 <p>Theo Báo và Phát thanh, Truyền hình Lâm Đồng</p>
 </div>
</article>
<section><h4>Thống kê truy cập</h4><div><table>
 <tr><td>Đang online:</td><td>6</td></tr><tr><td>Hôm nay:</td><td>143</td></tr>
 <tr><td>Tổng số:</td><td>96,318</td></tr></table></div></section>
</body></html>"""


def test_traps_of_session_6_third_round() -> None:
    data = ArticlePage(get_profile("generic"), AMP_URL, Selector(text=AMP_STYLE)).extract()
    # <amp-img> is a photo, a 1-pixel spacer is not
    assert data.images == [
        {
            "url": "https://svhttdl.lamdong.gov.vn/uploads/news/2026/03/18/tap-huan.jpg",
            "caption": "Quang cảnh lớp tập huấn",
        }
    ]
    assert data.views == 958  # the counter in a row of tool links
    # a bold lead set apart from the body, with no description to confirm it
    assert data.summary is not None and data.summary.startswith("Sở Văn hóa, Thể thao")
    assert data.body is not None and data.body.startswith("Lớp tập huấn có 120 học viên")
    # an agency's name may hold a comma: "Theo" and a capital after every comma
    assert (data.author, data.source) == (None, "Báo và Phát thanh, Truyền hình Lâm Đồng")
    assert data.site_stats is not None and data.site_stats["total"] == 96318  # "Tổng số:"


def test_a_featured_box_before_the_list_past_spacers() -> None:
    rows = "".join(
        f'<tr><td><a href="tintuc.asp?ID={n}&CatID=3"><img src="/t/{n}.jpg" width="100"></a></td>'
        f'<td><a href="tintuc.asp?ID={n}&CatID=3">Xã Tiên Lữ tổ chức hội nghị chuyên đề số {n} '
        f"năm 2026</a> (2{n % 10}/03/2026)</td></tr>"
        for n in range(1480, 1489)
    )
    page = (
        '<html><body><table><tr><td><a href="tintuc.asp?ID=1493&CatID=3"><img src="/t/f.jpg" '
        'width="200"></a></td><td><a href="tintuc.asp?ID=1493&CatID=3">Xã Tiên Lữ đối thoại '
        "với nhân dân quý I năm 2026</a><br>Sáng 23/3, UBND xã tổ chức hội nghị đối thoại.</td>"
        '</tr></table><img src="images/spacer.gif" width="1" height="6"><br>'
        f"<table>{rows}</table></body></html>"
    )
    url = "https://tienlu.hungyen.gov.vn/chuyenmuc.asp?CatID=3"
    links = ListingPage(get_profile("generic"), url, Selector(text=page)).article_links()
    assert links[0] == "https://tienlu.hungyen.gov.vn/tintuc.asp?ID=1493&CatID=3"
    assert len(links) == 10


def test_fields_under_the_body_end_it_and_the_byline_above_them_is_read() -> None:
    """Drupal 7: the body, a bold right-aligned author, then the node's attachment and
    category fields (label and value in lines of their own)."""
    page = """<html><head><title>Kiểm kê di sản văn hóa phi vật thể năm 2026</title></head><body>
    <h1 class="title">Kiểm kê di sản văn hóa phi vật thể năm 2026</h1>
    <div class="submitted">Gửi bởi bientap vào T5, 12/03/2026 - 09:15</div>
    <div class="content"><div class="field-name-body">
    <p>Sở Văn hóa, Thể thao và Du lịch ban hành kế hoạch kiểm kê di sản văn hóa phi vật thể trên
    địa bàn tỉnh, tập trung vào các loại hình tri thức dân gian và nghề thủ công truyền thống.</p>
    <p>Kết quả kiểm kê là cơ sở để xây dựng cơ sở dữ liệu số về di sản của tỉnh trong năm tới.</p>
    <p style="text-align:right"><strong>Minh Khang</strong></p></div>
    <div class="field-label">Tệp đính kèm:</div>
    <div class="field-item"><a href="/files/ke-hoach-45.pdf">ke-hoach-45.pdf</a></div>
    <div class="field-label">Chuyên mục:</div>
    <div class="field-item"><a href="/chuyen-muc/van-hoa">Văn hóa</a></div></div>
    </body></html>"""
    url = "https://svhttdl.quangngai.gov.vn/tin-tuc/2026/03/kiem-ke-di-san-van-hoa-phi-vat-the"
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    assert data.author == "Minh Khang"
    assert data.body is not None and data.body.endswith("của tỉnh trong năm tới.")


def test_next_image_sources_and_an_author_line_under_the_lead() -> None:
    page = """<html><head><title>Ra mắt mô hình tổ dân phố không rác thải nhựa</title></head>
    <body><div id="__next"><h1 class="Post_title__a1B">Ra mắt mô hình tổ dân phố không rác thải
    nhựa</h1><div class="Post_meta__x9">Ngày đăng: 07/03/2026 | Đã xem: 146</div>
    <div class="Post_summary__Dk8"><b>Ngày 7/3, UBND phường ra mắt mô hình tổ dân phố không rác
    thải nhựa tại Tổ dân phố Vĩnh Phước 3.</b></div>
    <p class="Post_author__Jn1">Ngọc Trâm</p>
    <div class="Post_body__Tz9"><p>Mô hình được triển khai thí điểm tại 4 tổ dân phố với hơn 1.200
    hộ gia đình tham gia, cam kết hạn chế sử dụng túi ni lông và sản phẩm nhựa dùng một lần.</p>
    <figure><img alt="" src="/_next/image?url=%2Fuploads%2F2026%2F03%2Fra-mat.jpg&amp;w=1200&amp;q=75"
    decoding="async" data-nimg="1"><figcaption>Lễ ra mắt mô hình</figcaption></figure>
    <p>Các hộ dân được phát túi vải và bình nước dùng nhiều lần trong buổi ra mắt mô hình.</p>
    </div></div></body></html>"""
    url = "https://bacnhatrang.khanhhoa.gov.vn/tin-tuc/ra-mat-mo-hinh-to-dan-pho-khong-rac-thai-nhua-812"
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    assert data.images == [
        {
            "url": "https://bacnhatrang.khanhhoa.gov.vn/uploads/2026/03/ra-mat.jpg",
            "caption": "Lễ ra mắt mô hình",
        }
    ]
    assert data.author == "Ngọc Trâm"  # in an element named an author, under the lead
    assert data.body is not None and data.body.startswith("Mô hình được triển khai")


def _card_box(n: int) -> str:
    """A site builder's card: the picture and the title each wrapped in boxes of their own."""
    href = f"/tin-tuc/hoi-nghi-chuyen-de-so-{n}-cua-ubnd-xa-thanh-son"
    deep = "<div><div><div><div>{}</div></div></div></div>"
    picture = deep.format(f'<a href="{href}"><img src="https://lh3.example/{n}=w1280"></a>')
    title = deep.format(
        f'<h3><a href="{href}">Hội nghị chuyên đề số {n} của UBND xã Thanh Sơn</a></h3>'
    )
    excerpt = f"<p>Ngày {n}/4/2026, UBND xã tổ chức hội nghị chuyên đề lần thứ {n} trong năm.</p>"
    return f'<div class="col"><div><div>{picture}{title}{excerpt}</div></div></div>'


def test_a_grid_of_deep_cards_in_rows_is_one_list_and_a_listing() -> None:
    """Free site builders: cards three a row, each link ten boxes below its card."""
    rows = "".join(
        f'<div class="row">{"".join(_card_box(3 * r + c) for c in range(1, 4))}</div>'
        for r in range(3)
    )
    page = (
        '<html><head><title>Tin tức</title></head><body><div class="side"><p>Tin mới</p><ul>'
        + "".join(
            f'<li><a href="/tin-tuc/tin-moi-so-{n}-cua-xa-thanh-son">Tin mới số {n} của xã Thanh'
            f" Sơn năm 2026</a></li>"
            for n in range(5)
        )
        + f"</ul></div>{rows}</body></html>"
    )
    url = "https://xathanhson.phutho.gov.vn/tin-tuc"
    links = ListingPage(get_profile("generic"), url, Selector(text=page)).article_links()
    assert len(links) == 9 and all("hoi-nghi-chuyen-de-so" in link for link in links)
    assert ArticlePage(get_profile("generic"), url, Selector(text=page)).looks_like_listing()


def test_a_headline_longer_than_its_slug_and_a_site_header_date() -> None:
    page = """<html><head><title>Tổng kết quý I/2026</title></head><body>
    <div class="zfr3Q"><p>Địa chỉ: Khu Tân Lập, xã Thanh Sơn</p><p>Cập nhật: 15/04/2026</p></div>
    <div class="content"><h2>Xã Thanh Sơn tổng kết công tác quý I, triển khai nhiệm vụ trọng tâm
    quý II năm 2026</h2><p>(24-03-2026)</p>
    <p><span style="font-weight: 700;">Chiều 7/4, UBND xã Thanh Sơn tổ chức hội nghị đánh giá kết
    quả thực hiện nhiệm vụ quý I và triển khai nhiệm vụ quý II năm 2026.</span></p>
    <p>Quý I, thu ngân sách trên địa bàn xã đạt 31% dự toán; xã hoàn thành 12 công trình giao
    thông nông thôn và đưa vào sử dụng nhà văn hóa khu Liên Phương.</p></div></body></html>"""
    url = "https://xathanhson.phutho.gov.vn/tin-tuc/tong-ket-cong-tac-quy-i-nam-2026"
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    # the tab gives a short page name: the heading holding the whole slug is the headline
    assert data.title is not None and data.title.startswith("Xã Thanh Sơn tổng kết công tác quý I")
    # the bare date under it, not the site header's "Cập nhật" line as near above it
    assert data.published_at is not None and data.published_at.date().isoformat() == "2026-03-24"
    # a lead in bold by its style
    assert data.summary is not None and data.summary.startswith("Chiều 7/4")
    assert data.body is not None and data.body.startswith("Quý I, thu ngân sách")


def test_a_headline_starting_like_a_site_name_and_a_bracketed_source_with_its_label() -> None:
    page = """<html><head><title>UBND phường Vân Phú đối thoại với hộ kinh doanh về hóa đơn điện
    tử - Phường Vân Phú - Phú Thọ</title></head><body><div class="m-detail">
    <h2 class="m-title">UBND phường Vân Phú đối thoại với hộ kinh doanh về hóa đơn điện tử</h2>
    <div class="m-meta">07.04.2026 16:40 · Đã xem: 598</div>
    <div class="m-content"><p>Chiều 07/4, UBND phường Vân Phú tổ chức hội nghị đối thoại với hộ,
    cá nhân kinh doanh về việc sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền.</p>
    <p>Đến nay, trên địa bàn phường đã có 86 hộ kinh doanh đăng ký sử dụng hóa đơn điện tử.</p>
    <p style="text-align:right"><em>(Theo Báo và Phát thanh, Truyền hình Phú Thọ)</em></p>
    </div></div></body></html>"""
    url = (
        "https://m.vanphu.phutho.gov.vn/m/bai-viet/ubnd-phuong-van-phu-doi-thoai-hoa-don-1541.html"
    )
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    # "UBND phường …" first in the tab is the headline, not the site's name
    assert data.title == "UBND phường Vân Phú đối thoại với hộ kinh doanh về hóa đơn điện tử"
    assert (data.author, data.source) == (None, "Báo và Phát thanh, Truyền hình Phú Thọ")


def test_links_rewritten_with_a_session_id_are_one_link_each() -> None:
    """A servlet writes ";jsessionid=…" into some links of an item and not others."""
    rows = "".join(
        f'<tr><td><a href="tintuc.do?method=detail&amp;id={n}"><img src="/t/{n}.jpg"></a></td>'
        f'<td><a href="tintuc.do;jsessionid=8F3A9C0D.tomcat1?method=detail&amp;id={n}">'
        f"Sở Khoa học và Công nghệ nghiệm thu nhiệm vụ khoa học số {n} năm 2026</a>"
        f'<a href="tintuc.do;jsessionid=8F3A9C0D.tomcat1?method=detail&amp;id={n}">Xem tiếp</a>'
        f"</td></tr>"
        for n in range(4500, 4508)
    )
    pager = '<a href="tintuc.do;jsessionid=8F3A9C0D.tomcat1?method=list&amp;catId=7&amp;page=2">Trang sau</a>'
    page = f"<html><body><table>{rows}</table>{pager}</body></html>"
    url = "https://sokhcn.tayninh.gov.vn/portal/tintuc.do?method=list&catId=7"
    listing = ListingPage(get_profile("generic"), url, Selector(text=page))
    links = listing.article_links()
    assert links == [
        f"https://sokhcn.tayninh.gov.vn/portal/tintuc.do?method=detail&id={n}"
        for n in range(4500, 4508)
    ]
    assert listing.next_page(1) == (
        "https://sokhcn.tayninh.gov.vn/portal/tintuc.do?method=list&catId=7&page=2"
    )


def _static_title_page(title: str, banner: str) -> str:
    return f"""<html><head><title>{title}</title></head><body><table>
    <tr><td class="top-logo">{banner}</td></tr>
    <tr><td class="menu"><a href="/p/ds.do?cat=1">Tin tức - Sự kiện</a>
    <a href="/p/ds.do?cat=2">Văn hóa - Xã hội</a></td></tr>
    <tr><td class="box-title">LIÊN KẾT WEBSITE HỮU ÍCH</td></tr>
    <tr><td class="box-title">Đường dây nóng</td></tr>
    <tr><td class="news-title">Phường Bình Minh ra mắt tổ công nghệ số cộng đồng tại 12 khu phố</td></tr>
    <tr><td class="news-date">Cập nhật: 11/03/2026 09:05</td></tr>
    <tr><td class="news-author">Tác giả: <b></b></td></tr>
    <tr><td class="news-body"><p>Sáng 10/3, UBND phường Bình Minh tổ chức ra mắt tổ công nghệ
    số cộng đồng tại 12 khu phố, với 96 thành viên là cán bộ khu phố và đoàn viên thanh niên.</p>
    <p>Các tổ có nhiệm vụ hướng dẫn người dân cài đặt ứng dụng định danh điện tử và nộp hồ sơ
    trực tuyến.</p><p>Xem danh sách thành viên các tổ tại tệp đính kèm dưới đây.</p></td></tr>
    <tr><td class="files">Đính kèm: <a href="/p/dl.do?f=ds-to-cnsccd.xlsx">ds-to-cnsccd.xlsx</a></td></tr>
    <tr><td align="right"><i>(Văn phòng HĐND và UBND phường)</i></td></tr>
    <tr><td>Lượt xem: 214</td></tr>
    <tr><td>Chia sẻ | In trang | « Quay lại</td></tr>
    </table></body></html>"""


@pytest.mark.parametrize(
    ("title", "banner"),
    [
        # a static tab title that the banner's site-name element repeats
        ("PHƯỜNG BÌNH MINH - TỈNH VĨNH LONG", "PHƯỜNG BÌNH MINH - TỈNH VĨNH LONG"),
        # the site's name and a menu item's part ("Tin tức" of "Tin tức - Sự kiện")
        ("Trang thông tin điện tử phường Bình Minh :: Tin tức - Sự kiện", "PHƯỜNG BÌNH MINH"),
    ],
)
def test_a_tab_title_naming_only_the_site_gives_way_to_the_title_classed_line(
    title: str, banner: str
) -> None:
    url = "https://binhminh.vinhlong.gov.vn/p/chitiet.do?id=8812"
    data = ArticlePage(
        get_profile("generic"), url, Selector(text=_static_title_page(title, banner))
    ).extract()
    # the longest line of a title-named cell, not the box labels beside it nor the tab title
    assert data.title == "Phường Bình Minh ra mắt tổ công nghệ số cộng đồng tại 12 khu phố"
    assert data.published_at is not None and data.published_at.isoformat().startswith(
        "2026-03-11T09:05"
    )
    # an author label with its value left empty is neither author nor body
    assert data.author is None
    assert data.body is not None and data.body.startswith("Sáng 10/3")
    # the attachment field above the source line ends the body; a row of tool links is none
    assert data.body.endswith("tệp đính kèm dưới đây.")
    assert data.source == "Văn phòng HĐND và UBND phường"
    assert data.views == 214


def test_traps_of_session_7_blind_layouts() -> None:
    """Icon-font ligatures, a label-and-value list, number-above-label tiles ending with a
    labelled total, a comment beside an eye icon, a "Xem thêm" box inside a microdata body."""
    page = """<html><head><title>Nghiệm thu mô hình nuôi tôm tuần hoàn - Sở Nông nghiệp</title>
    </head><body><app-header><div class="logo">SỞ NÔNG NGHIỆP</div></app-header>
    <main><h1 itemprop="headline">Nghiệm thu mô hình nuôi tôm tuần hoàn tại xã Bình Đại</h1>
    <dl class="info"><dt>Ngày đăng</dt><dd>12/05/2026 10:20</dd>
    <dt><span class="material-icons">visibility</span></dt><dd>2.417</dd>
    <dt>Tác giả</dt><dd>Phạm Thu Trang</dd><dt>Nguồn:</dt><dd><a href="https://baobentre.vn">
    Báo Bến Tre</a></dd></dl>
    <div itemprop="articleBody"><p>Sáng 11/5, Hội đồng nghiệm thu cấp tỉnh đánh giá mô hình nuôi
    tôm thẻ chân trắng tuần hoàn khép kín tại xã Bình Đại.</p>
    <p class="lbl"><strong>Xem thêm:</strong></p><ul>
    <li><a href="/tin/ra-quan-phong-chong-dich-benh-tren-tom-12.html">Ra quân phòng chống dịch
    bệnh trên tôm nuôi</a></li><li><a href="/tin/tap-huan-nuoi-tom-cong-nghe-cao-13.html">Tập
    huấn nuôi tôm công nghệ cao cho nông dân</a></li></ul>
    <p>Mô hình cho năng suất 18 tấn mỗi ha, tiết kiệm 40% lượng nước so với ao nuôi thường.</p>
    </div></main>
    <app-footer><div class="foot-top"><p class="foot-name">SỞ NÔNG NGHIỆP</p>
    <div class="stats"><div class="t"><b>4</b> Đang online</div><div class="t"><b>350</b> Hôm
    nay</div><div class="t"><b>1.020</b> Hôm qua</div><div class="t"><b>6.300</b> Tuần</div>
    <div class="t"><b>25.100</b> Tháng</div><p>Thống kê truy cập - Tổng lượt truy cập:
    <b>1.204.551</b></p></div></div></app-footer></body></html>"""
    url = "https://snn.bentre.gov.vn/tin/nghiem-thu-mo-hinh-nuoi-tom-tuan-hoan-11.html"
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    assert data.published_at is not None
    assert data.published_at.isoformat().startswith("2026-05-12T10:20")
    assert data.views == 2417  # the count after an icon-font eye ("visibility" is no text)
    assert (data.author, data.source) == ("Phạm Thu Trang", "Báo Bến Tre")
    assert data.body is not None and "Xem thêm" not in data.body
    assert "Ra quân phòng chống" not in data.body and data.body.endswith("ao nuôi thường.")
    assert data.site_stats == {
        "online": 4,
        "today": 350,
        "yesterday": 1020,
        "week": 6300,
        "month": 25100,
        "total": 1204551,
    }
    # an eye icon followed by a comment, then its count: no crash, the count is read
    icon = """<html><body><h1>Hội nghị tổng kết công tác khuyến nông năm 2026 của tỉnh</h1>
    <div class="meta">14/06/2026 <span><i class="fa fa-eye"></i><!--ng-container--><span>88
    </span></span></div><p>Chiều 13/6, Trung tâm Khuyến nông tỉnh tổ chức hội nghị tổng kết
    công tác khuyến nông năm 2026 và triển khai nhiệm vụ năm 2027 với 120 đại biểu.</p>
    </body></html>"""
    url = "https://snn.bentre.gov.vn/tin/hoi-nghi-tong-ket-cong-tac-khuyen-nong-14.html"
    assert ArticlePage(get_profile("generic"), url, Selector(text=icon)).extract().views == 88


def test_a_blog_list_dates_in_the_body_and_a_microdata_time() -> None:
    """A blog: the day above the title, the time in microdata under the post, a schedule's
    dates in the body; its label list pages on with "Bài đăng Cũ hơn"."""
    post = """<html><head><title>Xã Hòa Bình: Lịch tiếp công dân tháng 6</title></head><body>
    <h2 class="date-header"><span>Thứ Hai, 1 tháng 6, 2026</span></h2>
    <h3 class="post-title">Lịch tiếp công dân tháng 6 năm 2026 của Chủ tịch UBND xã</h3>
    <div class="post-body"><div>Thực hiện Luật Tiếp công dân, Chủ tịch UBND xã thông báo lịch
    tiếp công dân định kỳ tháng 6 năm 2026 tại trụ sở UBND xã như sau.</div>
    <table><tr><td>Thứ Năm, 11/6/2026</td><td>Chủ tịch UBND xã</td></tr>
    <tr><td>Thứ Năm, 25/6/2026</td><td>Phó Chủ tịch UBND xã</td></tr></table>
    <div>Công dân đến làm việc mang theo giấy tờ tùy thân và hồ sơ liên quan.</div></div>
    <div class="post-footer">vào lúc <abbr itemprop="datePublished"
    title="2026-06-01T07:45:00+07:00">7:45 SA</abbr></div></body></html>"""
    url = "https://xahoabinh.example.gov.vn/2026/06/lich-tiep-cong-dan-thang-6.html"
    data = ArticlePage(get_profile("generic"), url, Selector(text=post)).extract()
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2026-06-01T07:45:00+07:00"
    assert data.summary is None  # a div before a table is the body's first paragraph
    assert data.body is not None and data.body.startswith("Thực hiện Luật Tiếp công dân")
    items = "".join(
        f'<div class="post-outer"><h3><a href="/2026/05/xa-hoa-binh-ra-quan-ve-sinh-thon-{n}.html">'
        f"Xã Hòa Bình ra quân vệ sinh môi trường thôn {n}</a></h3><p>Sáng 3/5, đoàn viên thôn"
        f" {n} ra quân dọn vệ sinh đường làng.</p></div>"
        for n in range(8)
    )
    listing = f"""<html><body><div class="blog-posts">{items}</div>
    <div class="blog-pager"><a class="newer" href="/search/label/Tin?updated-min=2026-05-30">Bài
    đăng Mới hơn</a> <a class="home-link" href="/">Trang chủ</a> <a class="older"
    href="/search/label/Tin?updated-max=2026-05-02&amp;max-results=8">Bài đăng Cũ hơn</a></div>
    </body></html>"""
    page = ListingPage(
        get_profile("generic"),
        "https://xahoabinh.example.gov.vn/search/label/Tin",
        Selector(text=listing),
    )
    links = page.article_links()
    assert len(links) == 8 and "https://xahoabinh.example.gov.vn/" not in links
    assert page.next_page(1) == (
        "https://xahoabinh.example.gov.vn/search/label/Tin?updated-max=2026-05-02&max-results=8"
    )


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Ngày đăng: 2026-04-09 15:20:00", "2026-04-09T15:20:00+07:00"),
        ("Cập nhật lúc 15 giờ 20 phút, ngày 09/04/2026", "2026-04-09T15:20:00+07:00"),
        ("09/04/2026 - 15g20", "2026-04-09T15:20:00+07:00"),
    ],
)
def test_dates_printed_year_first_or_with_a_spelled_clock(printed: str, iso: str) -> None:
    page = f"""<html><body><h1>Kiểm tra an toàn thực phẩm tại các bếp ăn tập thể</h1>
    <div class="date">{printed}</div><p>Ngày 8/4, đoàn kiểm tra liên ngành của xã kiểm tra công
    tác bảo đảm an toàn thực phẩm tại 12 bếp ăn tập thể của các trường mầm non.</p></body></html>"""
    url = "https://xa.example.gov.vn/tin/kiem-tra-an-toan-thuc-pham-tai-cac-bep-an-tap-the.html"
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    assert data.published_at is not None and data.published_at.isoformat() == iso


def test_traps_of_session_7_second_round() -> None:
    """A read-more box between paragraphs, an author box with an avatar, "Tác giả X" in a
    metadata line cut by "|", the clock before a bracketed date, a table's caption after an
    uncaptioned photo, and a labelled source linked to its newspaper."""
    page = """<html><head><title>Khánh thành nhà văn hóa tổ dân phố 7 phường An Lạc</title></head>
    <body><div class="news"><h1>Khánh thành nhà văn hóa tổ dân phố 7 phường An Lạc</h1>
    <div class="meta">09:30 (14-04-2026) | Tác giả Lê Vũ Bảo | Lượt xem: 311</div>
    <p>Sáng 13/4, UBND phường An Lạc tổ chức lễ khánh thành nhà văn hóa tổ dân phố 7 với tổng
    kinh phí 2,1 tỷ đồng từ ngân sách và nhân dân đóng góp.</p>
    <div class="inline-more"><p>Đọc thêm</p><ul>
    <li><a href="/tin/phuong-an-lac-ra-quan-ve-sinh-moi-truong-99.html"><img src="/t/99.jpg">
    </a><a href="/tin/phuong-an-lac-ra-quan-ve-sinh-moi-truong-99.html">Phường An Lạc ra quân
    vệ sinh môi trường đầu năm</a></li></ul></div>
    <p>Nhà văn hóa có hội trường 150 chỗ ngồi, sân thể thao và khu vui chơi cho thiếu nhi, phục
    vụ sinh hoạt cộng đồng của hơn 600 hộ dân.</p>
    <p><img src="/uploads/2026/04/nha-van-hoa.jpg"></p>
    <table><caption>Nguồn kinh phí xây dựng</caption><tr><td>Ngân sách phường</td>
    <td>1,5 tỷ đồng</td></tr><tr><td>Nhân dân đóng góp</td><td>0,6 tỷ đồng</td></tr></table>
    <p>Dịp này, phường trao tặng tổ dân phố 7 bộ âm thanh và 100 ghế ngồi phục vụ sinh hoạt.</p>
    <div class="author-box"><img class="avatar" src="/uploads/authors/le-vu-bao.jpg">
    <p class="author-name"><a href="/tac-gia/le-vu-bao">Lê Vũ Bảo</a></p>
    <p class="author-job">Phóng viên Trung tâm Văn hóa phường</p>
    <a href="/tac-gia/le-vu-bao">Bài viết của tác giả</a></div></div>
    <p class="src">Nguồn: <a href="https://baodongnai.com.vn">Báo Đồng Nai</a></p>
    </body></html>"""
    url = "https://anlac.example.gov.vn/tin/khanh-thanh-nha-van-hoa-to-dan-pho-7-101.html"
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    assert data.published_at is not None
    assert data.published_at.isoformat().startswith("2026-04-14T09:30")
    assert (data.author, data.source, data.views) == ("Lê Vũ Bảo", "Báo Đồng Nai", 311)
    assert data.body is not None
    assert "Đọc thêm" not in data.body and "ra quân vệ sinh" not in data.body
    assert "Bài viết của tác giả" not in data.body and "Phóng viên Trung" not in data.body
    assert data.body.endswith("phục vụ sinh hoạt.")
    assert data.images == [
        {"url": "https://anlac.example.gov.vn/uploads/2026/04/nha-van-hoa.jpg", "caption": None}
    ]


def _story(n: int, title: str) -> str:
    return f'<li><a href="/chinh-tri/{title.lower().replace(" ", "-")}-a{n}.html">{title}</a></li>'


def test_a_featured_block_above_the_list_but_not_a_titled_box_of_highlights() -> None:
    titles = [f"Hội nghị triển khai nhiệm vụ chính trị quý {n} năm 2026 của Sở" for n in range(8)]
    items = "".join(_story(100 + n, t) for n, t in enumerate(titles))
    featured = (
        '<div class="top"><h2><a href="/chinh-tri/lanh-dao-so-tiep-doan-cong-tac-cua-tinh-a200.html">'
        "Lãnh đạo Sở tiếp đoàn công tác của tỉnh về chuyển đổi số</a></h2>"
        "<p>Sáng 2/4, lãnh đạo Sở làm việc với đoàn công tác.</p></div>"
    )
    special = '<div class="special"><span>Chuyên đề</span><a href="/emagazine/e1.html"><img src="/e.jpg"></a></div>'
    highlights = (
        '<div class="hot"><h3>Tiêu điểm</h3><ul>'
        + _story(300, "Công bố quyết định thành lập Sở Văn hóa Thể thao")
        + "</ul></div>"
    )
    url = "https://svh.example.gov.vn/chinh-tri/"
    for before, wanted in ((featured + special, 9), (highlights, 8)):
        page = f"<html><body>{before}<ul class='list'>{items}</ul></body></html>"
        links = ListingPage(get_profile("generic"), url, Selector(text=page)).article_links()
        assert len(links) == wanted, before[:30]
        if wanted == 9:
            assert links[0].endswith("-a200.html")  # the featured story first
        assert not any(link.endswith("-a300.html") or "emagazine" in link for link in links)


def test_a_sidebar_of_stories_before_the_list_is_not_its_featured_block() -> None:
    titles = [f"Hội nghị triển khai nhiệm vụ chính trị quý {n} năm 2026 của Sở" for n in range(8)]
    items = "".join(_story(100 + n, t) for n, t in enumerate(titles))
    side = (
        '<div class="sidebar"><ul>'
        + _story(400, "Công bố quyết định thành lập Sở Văn hóa mới")
        + "</ul></div>"
    )
    page = f"<html><body>{side}<ul class='list'>{items}</ul></body></html>"
    url = "https://svh.example.gov.vn/chinh-tri/"
    links = ListingPage(get_profile("generic"), url, Selector(text=page)).article_links()
    assert len(links) == 8 and not any(link.endswith("-a400.html") for link in links)


def test_a_back_link_is_a_tool_but_a_line_starting_like_one_is_prose() -> None:
    page = """<html><body><h1>Học sinh xã Tân Phú trở lại trường sau kỳ nghỉ Tết Nguyên đán</h1>
    <div class="date">24/02/2026</div>
    <p>Sáng 23/2, hơn 1.200 học sinh các trường trên địa bàn xã Tân Phú trở lại trường sau kỳ nghỉ
    Tết Nguyên đán Bính Ngọ với tỷ lệ chuyên cần đạt 99,6%.</p>
    <p>Trở lại lớp học, nhiều em đã sẵn sàng.</p>
    <p>Các trường đã vệ sinh phòng học, kiểm tra cơ sở vật chất trước ngày đón học sinh.</p>
    <p>« Trở về</p></body></html>"""
    url = (
        "https://tanphu.example.gov.vn/tin/hoc-sinh-xa-tan-phu-tro-lai-truong-sau-ky-nghi-tet.html"
    )
    data = ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()
    assert data.body is not None and "Trở lại lớp học, nhiều em đã sẵn sàng." in data.body
    assert "Trở về" not in data.body


def test_a_total_tile_above_label_and_number_rows() -> None:
    """ "313.821 Tổng lượt truy cập" as a tile, then "Đang online | 35" rows: each number is one
    counter's (reading every label with the number before it would shift the rows)."""
    tile = "".join(f'<span class="odo">{c}</span>' for c in "00313821")
    rows = "".join(
        f"<tr><td>{label}</td><td>{n}</td></tr>"
        for label, n in (
            ("Đang online", 35),
            ("Hôm nay", 511),
            ("Hôm qua", 604),
            ("Tháng này", 511),
        )
    )
    widget = (
        f"<section><h2>Thống kê truy cập</h2><div>{tile}<p>Tổng lượt truy cập</p></div>"
        f"<table>{rows}</table></section>"
    )
    html = FIELDS_PAGE.replace("{lead}", "").replace("</body>", f"{widget}</body>")
    data = ArticlePage(get_profile("generic"), FIELDS_URL, Selector(text=html)).extract()
    assert data.site_stats == {
        "online": 35,
        "today": 511,
        "yesterday": 604,
        "week": None,
        "month": 511,
        "total": 313821,
    }


def test_a_visit_line_with_no_heading_is_read_by_its_online_counter() -> None:
    """No "Thống kê truy cập" heading: a footer line of three counters, each value in its own
    tag and a separator after it ("<span>Đang online: <b>52</b></span> &middot; …")."""
    line = " &middot; ".join(
        f"<span>{label}: <b>{n}</b></span>"
        for label, n in (("Đang online", "52"), ("Hôm nay", "4.812"), ("Tổng", "12.604.337"))
    )
    html = FIELDS_PAGE.replace("{lead}", "").replace(
        "</body>", f'<footer><div class="visit-inline">{line}</div></footer></body>'
    )
    data = ArticlePage(get_profile("generic"), FIELDS_URL, Selector(text=html)).extract()
    assert data.site_stats is not None
    assert (data.site_stats["online"], data.site_stats["today"], data.site_stats["total"]) == (
        52,
        4812,
        12604337,
    )
