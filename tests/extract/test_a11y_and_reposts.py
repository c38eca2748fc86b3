"""The layout-free reader on accessible templates and re-posted stories (template-faithful,
after ``tests/fixtures/unprofiled/a11y-landmarks-gov`` and ``repost-sync-xa``): a decorative
copy of the title kept from screen readers (``aria-hidden``) is no headline; labels printed for
screen readers only ("Lượt xem:", "Tác giả:") name the bare values after them; a re-post's
notice and its link to the original are no text; "Thu Hà - Báo Tuyên Quang" is an author and
a source."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.extract.byline import read_byline
from crawler.profiles import get_profile
from crawler.profiles.schema import Byline

URL = "https://xuanhuongdalat.lamdong.gov.vn/bai-viet/1582/ra-mat-mo-hinh-to-dan-pho"
TITLE = "Phường Xuân Hương - Đà Lạt ra mắt mô hình tổ dân phố không rác thải nhựa"
SAPO = (
    "Mô hình được triển khai thí điểm tại 6 tổ dân phố quanh hồ Xuân Hương với hơn 1.100 hộ"
    " tham gia, hướng tới giảm 30% lượng rác thải nhựa trong năm 2026."
)
PARAS = "".join(
    f"<p>Sáng {n}/12, UBND phường Xuân Hương - Đà Lạt phối hợp với Ủy ban MTTQ phường tổ chức"
    f" ra mắt mô hình tại tổ dân phố số {n}, phát túi vải và thùng phân loại cho các hộ.</p>"
    for n in range(2, 6)
)


def _read(meta: str, before_sapo: str = "") -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE} | Cổng TTĐT</title></head><body>
<a class="sr-only" href="#main">Chuyển đến nội dung chính</a>
<main id="main"><div class="visual-banner" aria-hidden="true"><p>{TITLE}</p></div>
<article><h1>{TITLE}</h1><p class="news-meta">{meta}</p>{before_sapo}
<div class="sapo">{SAPO}</div><div class="news-content">{PARAS}</div></article></main>
</body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_labels_for_screen_readers_name_the_bare_values() -> None:
    data = _read(
        '<span class="visually-hidden">Ngày đăng:</span> Thứ Sáu, ngày 5 tháng 12 năm 2025'
        ' <span aria-hidden="true">·</span> <span class="visually-hidden">Tác giả:</span> Ngọc Hân'
        ' <span aria-hidden="true">·</span> <span class="visually-hidden">Lượt xem:</span> 386'
    )
    assert data.title == TITLE
    assert str(data.published_at) == "2025-12-05 00:00:00+07:00"
    assert (data.author, data.views, data.summary) == ("Ngọc Hân", 386, SAPO)
    assert data.body is not None and data.body.startswith("Sáng 2/12")


def test_a_reposts_notice_and_original_link_are_no_text() -> None:
    notice = (
        '<div class="exa-sync-box"><span>Tin được đồng bộ từ Cổng TTĐT tỉnh Lâm Đồng</span>'
        ' <a href="https://lamdong.gov.vn/tin-tuc/ra-mat-mo-hinh-48213.html">Xem bài gốc</a></div>'
    )
    data = _read("20/11/2025 14:35 | Lượt xem: 57", notice)
    assert data.summary == SAPO
    assert data.body is not None and "đồng bộ" not in data.body and "bài gốc" not in data.body
    link = (
        '<div class="exa-origin">Bài viết gốc: <a href="https://baotuyenquang.com.vn/x-224517.html">'
        "https://baotuyenquang.com.vn/x-224517.html</a></div>"
    )
    data = _read("20/11/2025 14:35 | Lượt xem: 57", link)
    assert data.body is not None and "Bài viết gốc" not in data.body


def test_a_name_a_dash_and_an_agency() -> None:
    assert read_byline(["Thu Hà - Báo Tuyên Quang"], Byline()) == ("Thu Hà", "Báo Tuyên Quang")
    assert read_byline(["Thu Hà - Minh Tuấn"], Byline())[0] == "Thu Hà - Minh Tuấn"


def test_a_cms_account_in_an_author_named_element_is_no_author() -> None:
    # WordPress's wp-block-post-author-name prints the account that posted the story
    data = _read("20/11/2025", '<div class="wp-block-post-author-name">admin</div>')
    assert data.author is None
    data = _read("20/11/2025", '<div class="wp-block-post-author-name">Ngọc Hân</div>')
    assert data.author == "Ngọc Hân"
