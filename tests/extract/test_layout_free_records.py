"""Layout-free reading of meta records and rows, on template-faithful pages of the
thirteenth blind round's layouts: a definition list or table of the article's facts, a stats
row that leads with the clock, a notice box above the date row, a footer view counter, a
comments area, a timeline listing grouped by day."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage, ListingPage
from crawler.profiles import get_profile

BODY = (
    "<p>Sáng 28/11, Sở Văn hóa, Thể thao và Du lịch tổ chức khai giảng lớp bồi dưỡng nghiệp vụ "
    "văn hóa cơ sở cho 120 cán bộ văn hóa - xã hội các xã, phường sau sắp xếp.</p>"
    "<p>Lớp học diễn ra trong 5 ngày với các chuyên đề về quản lý di sản, tổ chức lễ hội, "
    "xây dựng đời sống văn hóa ở khu dân cư và chuyển đổi số trong lĩnh vực văn hóa.</p>"
    "<p>Kết thúc khóa học, học viên được cấp giấy chứng nhận hoàn thành chương trình.</p>"
)
TITLE = "Khai giảng lớp bồi dưỡng nghiệp vụ văn hóa cơ sở năm 2025"
URL = "https://svhttdl.example.gov.vn/tin-tuc/khai-giang-lop-boi-duong-nghiep-vu-van-hoa-co-so.html"


def _read(inner: str, url: str = URL) -> ArticleData:
    page = f"<html><head><title>{TITLE}</title></head><body>{inner}</body></html>"
    return ArticlePage(get_profile("generic"), url, Selector(text=page)).extract()


def test_a_records_posting_date_wins_over_the_documents_date_above_it() -> None:
    """A <dl> of the article's facts: "Ngày ban hành" (the document it reports on) comes first,
    "Ngày xuất bản" (the article's) after it; the count is "Lượt đọc" in the same record, and an
    empty "Nguồn" row names no source."""
    data = _read(
        f"<div class='news-detail'><h1>{TITLE}</h1><dl class='doc-info'>"
        "<dt>Ngày ban hành</dt><dd>20/11/2025</dd>"
        "<dt>Ngày xuất bản</dt><dd>Thứ Sáu, 28/11/2025 - 09:40</dd>"
        "<dt>Nguồn</dt><dd></dd><dt>Lượt đọc</dt><dd>1.204</dd></dl>"
        f"<div class='content'>{BODY}</div></div>"
    )
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-11-28T09:40:00+07:00"
    assert data.views == 1204
    assert data.source is None
    assert data.body is not None and data.body.startswith("Sáng 28/11")
    assert "Ngày ban hành" not in data.body


def test_a_table_record_reads_its_posting_row_and_its_count() -> None:
    data = _read(
        f"<h1>{TITLE}</h1><table class='thong-tin'>"
        "<tr><th>Ngày ban hành</th><td>18/11/2025</td></tr>"
        "<tr><th>Ngày đăng</th><td>27/11/2025 15:05</td></tr>"
        "<tr><th>Lượt đọc</th><td>532</td></tr></table>"
        f"<div class='noi-dung'>{BODY}</div>"
    )
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-11-27T15:05:00+07:00"
    assert data.views == 532


def test_an_edit_date_first_on_the_line_is_not_the_posting_date() -> None:
    data = _read(
        f"<h1>{TITLE}</h1><div class='meta'>Cập nhật lần cuối: 03/12/2025 15:10 | "
        "Ngày đăng: 01/12/2025 09:00</div>"
        f"<div class='content'>{BODY}</div>"
    )
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-12-01T09:00:00+07:00"


def test_a_clock_before_the_date_and_a_clock_leading_the_stats_row() -> None:
    """ "08:15 · 27/11/2025" (an svg icon between), and a date alone with "14:15 · 876 lượt xem"
    on the row under it."""
    before = _read(
        f"<h1>{TITLE}</h1><div class='flex'><svg></svg><span>08:15 · 27/11/2025</span></div>"
        f"<article class='prose'>{BODY}</article>"
    )
    assert before.published_at is not None
    assert before.published_at.isoformat() == "2025-11-27T08:15:00+07:00"
    stats = _read(
        f"<h1>{TITLE}</h1><div class='date'>26/11/2025</div>"
        "<div class='stats'>14:15 · 876 lượt xem</div>"
        f"<div class='content'>{BODY}</div>"
    )
    assert stats.published_at is not None
    assert stats.published_at.isoformat() == "2025-11-26T14:15:00+07:00"
    assert stats.views == 876


def test_a_footer_view_counter_is_read_but_never_one_of_a_list_entry() -> None:
    """The page's one "Lượt xem: N" line, in a footer web part past the related list, is the
    article's; the same line inside a related list's entry is not."""
    related = (
        "<div class='related'><h3>Tin liên quan</h3><ul>"
        "<li><a href='/tin-tuc/hoi-nghi-tong-ket-cong-tac-van-hoa-nam-2025.html'>Hội nghị tổng"
        " kết công tác văn hóa cơ sở năm 2025</a> <span>Lượt xem: 45</span></li></ul></div>"
    )
    data = _read(
        f"<h1>{TITLE}</h1><div class='date'>28/11/2025</div>"
        f"<div class='content'>{BODY}</div>"
        "<div class='related'><h3>Tin liên quan</h3><ul>"
        "<li><a href='/tin-tuc/hoi-nghi-tong-ket-cong-tac-van-hoa-nam-2025.html'>Hội nghị tổng"
        " kết công tác văn hóa cơ sở năm 2025</a></li></ul></div>"
        "<div class='ms-webpart-zone'><div class='ms-webpart-chrome'><div class='ms-wpContent'>"
        "<span>Lượt xem: 987</span></div></div></div>"
    )
    assert data.views == 987
    only_listed = _read(
        f"<h1>{TITLE}</h1><div class='date'>28/11/2025</div>"
        f"<div class='content'>{BODY}</div>{related}"
    )
    assert only_listed.views is None


def test_a_notice_box_above_the_date_row_is_not_the_text() -> None:
    data = _read(
        f"<article><h1>{TITLE}</h1><div class='hop-luu-tru'>Bài viết được chuyển từ Cổng TTĐT "
        "xã Đồng Cao (cũ) — đăng ngày 03/01/2025<br><small>Nội dung được giữ nguyên như khi "
        "đăng trên cổng thông tin của xã cũ.</small></div>"
        "<div class='bv-thongtin'><span>Ngày chuyển: 09/07/2025</span> | "
        "<span>Lượt xem: 93</span></div>"
        f"<div class='bv-noidung'>{BODY}<p>(Nguồn: Cổng TTĐT xã Đồng Cao (cũ))</p></div>"
        "</article>"
    )
    assert data.body is not None and data.body.startswith("Sáng 28/11")
    assert "được chuyển từ" not in data.body
    assert data.source == "Cổng TTĐT xã Đồng Cao (cũ)"
    assert data.views == 93


def test_a_comments_area_is_chrome() -> None:
    """A comments box after the text ("binh-luan", WordPress's "comments-area") is the page's
    furniture, whatever it holds."""
    for box in ("binh-luan", "comments-area"):
        data = _read(
            f"<h1>{TITLE}</h1><div class='date'>28/11/2025</div>"
            f"<div class='entry-content'>{BODY}<div class='{box}'><p>Chưa có bình luận nào cho "
            "bài viết này, mời bạn đọc gửi ý kiến đóng góp về nội dung bài viết.</p></div></div>"
        )
        assert data.body is not None and data.body.endswith("hoàn thành chương trình.")


def test_a_timeline_grouped_by_day_gives_every_entry() -> None:
    """Day groups, each a list whose entries carry modifier classes (text-only or with a
    thumbnail): one list of news, not a dozen small ones."""

    def entry(n: int, media: bool) -> str:
        href = f"/tin-tuc/xa-lam-binh-trien-khai-nhiem-vu-trong-tam-dot-{n}-{100 + n}.html"
        title = (
            f"<h3 class='TimelineItem__title'><a href='{href}'>Xã Lâm Bình triển khai nhiệm vụ"
            f" trọng tâm đợt {n}</a></h3>"
        )
        if media:
            title = (
                f"<div class='TimelineItem__body'><a class='TimelineItem__thumb' href='{href}'>"
                f"<img src='/media/{n}.jpg' alt=''></a>{title}<p class='TimelineItem__sapo'>"
                "Hội nghị quán triệt nhiệm vụ trọng tâm cho cán bộ các thôn bản.</p></div>"
            )
        kind = "media" if media else "text"
        return (
            f"<li class='TimelineItem TimelineItem--{kind}'><span class='TimelineItem__time'>"
            f"{n % 12 + 7}:15</span>{title}</li>"
        )

    kinds = ["tmm", "tmtm", "tmt", "mt"]  # a day's entries: text-only (t) or with a photo (m)
    days = "".join(
        f"<section class='Timeline__day'><h2>Ngày {4 - d}/12/2025</h2>"
        "<ul class='Timeline__items'>"
        + "".join(entry(d * 4 + i, k == "m") for i, k in enumerate(day))
        + "</ul></section>"
        for d, day in enumerate(kinds)
    )
    page = (
        "<html><body><ul class='menu'><li><a href='/'>Trang chủ</a></li></ul>"
        f"<div class='Timeline'>{days}</div></body></html>"
    )
    url = "https://lambinh.example.gov.vn/chuyen-muc/tin-dia-phuong"
    links = ListingPage(get_profile("generic"), url, Selector(text=page)).article_links()
    assert len(links) == 12


def test_the_source_line_under_a_related_box_closing_the_text() -> None:
    """ "Tin liên quan:" and its links close the text inside the body's block; the article's
    "Nguồn: …" row right under that block is still its source. A list of other news after the
    article's block keeps what follows it out."""
    related = (
        "<div class='tin-lien-quan'><b>Tin liên quan:</b><ul><li><a href='/tin-tuc/"
        "xa-son-van-cap-ma-so-vung-trong-5492.html'>Xã Sơn Vân được cấp 6 mã số vùng trồng cam"
        " sành</a> (18/10/2025)</li><li><a href='/tin-tuc/tap-huan-phong-tru-benh-5465.html'>"
        "Tập huấn phòng trừ bệnh vàng lá trên cây cam</a> (07/10/2025)</li></ul></div>"
    )
    data = _read(
        f"<article><h1>{TITLE}</h1><div class='date'>28/11/2025</div>"
        f"<div class='bv-noidung'>{BODY}{related}</div>"
        "<div class='bv-nguon' style='text-align:right'>Nguồn: <b>Báo Tuyên Quang</b></div>"
        "</article>"
    )
    assert data.source == "Báo Tuyên Quang"
    assert data.body is not None and "Tin liên quan" not in data.body
    outside = _read(
        f"<article><h1>{TITLE}</h1><div class='date'>28/11/2025</div>"
        f"<div class='bv-noidung'>{BODY}</div></article>{related}"
        "<div class='khoi'>Nguồn: Báo Tuyên Quang</div>"
    )
    assert outside.source is None
