"""Photo and gallery pages read with no profile: each photo once, a gallery's counters and
thumbnail strip are no text, a line of bare figures before a labelled byline is the meta line,
an author's avatar is no photo, and "11 tháng năm 2025" (eleven months) is no date."""

from __future__ import annotations

from lxml import html as lxml_html
from parsel import Selector

from crawler.extract import ArticlePage
from crawler.extract.dates import parse_vi_datetime
from crawler.extract.icons import is_icon
from crawler.extract.photos import one_per_photo
from crawler.profiles import get_profile

HOST = "https://phuonglienchieu.danang.gov.vn"
PHOTO = f"{HOST}/uploads/images/2025/10/02"
TITLE = "Ra quân tổng vệ sinh môi trường bãi biển Nguyễn Tất Thành"
URL = f"{HOST}/multimedia/tin-anh/ra-quan-tong-ve-sinh-moi-truong-bai-bien-p2231.html"
PROSE = (
    "Sáng 02/10, UBND phường Liên Chiểu phối hợp với Ủy ban MTTQ Việt Nam phường tổ chức ra"
    " quân tổng vệ sinh môi trường dọc tuyến bãi biển Nguyễn Tất Thành với hơn 300 người tham gia."
)
LAST = (
    "Kết thúc buổi ra quân, lực lượng tham gia đã thu gom hơn 5 tấn rác thải, phát quang bụi rậm"
    " và chỉnh trang khu vực bãi tắm công cộng."
)


def _photo(n: int, caption: str) -> str:
    return (
        f'<figure class="photo-item"><a data-fancybox="album" href="{PHOTO}/ve-sinh-{n}.jpg">'
        f'<img class="lazy" src="/public/images/loading.gif" data-original="{PHOTO}/ve-sinh-{n}.jpg"'
        f' alt="{caption}" width="800"></a><figcaption>{caption}</figcaption></figure>'
    )


def _page(meta: str, above: str = "", strip: bool = True) -> str:
    thumbs = "".join(
        f'<a href="{PHOTO}/ve-sinh-{n}.jpg"><img src="/uploads/thumbs/2025/10/02/ve-sinh-{n}'
        f'_120x80.jpg" alt=""></a>'
        for n in (1, 2)
    )
    gallery = (
        f'<div class="gallery-strip"><div class="strip-label">Xem tất cả 2 ảnh</div>{thumbs}</div>'
        if strip
        else ""
    )
    return f"""<html><head><title>{TITLE}</title></head><body>
<header><div class="logo">ỦY BAN NHÂN DÂN PHƯỜNG LIÊN CHIỂU</div></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/multimedia">Multimedia</a></li></ul></nav>
<div class="main"><div class="news-detail">
<h1 class="title">{TITLE}</h1>{above}
<div class="detail-meta">{meta}</div>
<div class="detail-content">
<p>{PROSE}</p>{_photo(1, "Đoàn viên thanh niên thu gom rác dọc bãi biển")}
<p>Các lực lượng được chia thành nhiều tổ, phụ trách từng đoạn bãi biển, khơi thông cống rãnh
và tuyên truyền người dân không xả rác bừa bãi.</p>{_photo(2, "Người dân cùng tham gia dọn vệ sinh")}
<p>{LAST}</p>
<p style="text-align: right;">(Trung tâm Văn hóa - Thể thao phường Liên Chiểu)</p>
</div>{gallery}
<div class="tools"><a href="javascript:window.print();">In trang</a></div>
<div class="tin-khac"><div class="box-title">Tin ảnh khác</div><ul>
<li><a href="/multimedia/tin-anh/ngay-hoi-doc-sach-tai-phuong-lien-chieu-p2210.html">Ngày hội đọc
sách tại phường Liên Chiểu năm 2025</a></li></ul></div>
</div></div>
<footer>Bản quyền thuộc UBND phường Liên Chiểu</footer></body></html>"""


FIGURES = (
    '<span class="date"><i class="fa fa-calendar"></i> 02.10.2025 | 08:15</span>'
    '<span class="views"><i class="fa fa-eye"></i> 1.204</span>'
    '<span class="author">Tác giả: Trần Thu Hà</span>'
)


def _read(html: str):  # type: ignore[no-untyped-def]
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_a_line_of_figures_before_a_labelled_byline_is_the_meta_line() -> None:
    data = _read(_page(FIGURES))
    assert data.title == TITLE
    assert data.published_at is not None and data.published_at.isoformat() == (
        "2025-10-02T08:15:00+07:00"
    )
    assert data.author == "Trần Thu Hà"
    assert data.body is not None and data.body.startswith("Sáng 02/10, UBND phường Liên Chiểu")
    assert "02.10.2025" not in data.body and "Tác giả" not in data.body


def test_a_thumbnail_strip_after_the_body_is_no_photo_and_hides_no_byline() -> None:
    data = _read(_page(FIGURES))
    assert [i["url"] for i in data.images] == [f"{PHOTO}/ve-sinh-1.jpg", f"{PHOTO}/ve-sinh-2.jpg"]
    assert data.images[1]["caption"] == "Người dân cùng tham gia dọn vệ sinh"
    assert data.source == "Trung tâm Văn hóa - Thể thao phường Liên Chiểu"
    assert data.body is not None and data.body.endswith(LAST)
    assert "Xem tất cả" not in data.body and "Tin ảnh khác" not in data.body


def test_a_slider_of_the_same_photos_with_counters_adds_no_photo_and_no_text() -> None:
    slides = "".join(
        f'<div class="slide"><img src="{PHOTO}/ve-sinh-{n}.jpg" alt=""><span class="num">{n} / 2'
        "</span></div>"
        for n in (1, 2)
    )
    data = _read(
        _page(FIGURES, strip=False).replace(
            '<div class="detail-content">',
            f'<div class="detail-content"><div class="slider">{slides}</div>',
        )
    )
    assert [i["url"] for i in data.images] == [f"{PHOTO}/ve-sinh-1.jpg", f"{PHOTO}/ve-sinh-2.jpg"]
    assert [i["caption"] for i in data.images] == [
        "Đoàn viên thanh niên thu gom rác dọc bãi biển",
        "Người dân cùng tham gia dọn vệ sinh",
    ]
    assert data.body is not None and data.body.startswith("Sáng 02/10")
    assert "1 / 2" not in data.body


def test_an_authors_avatar_is_no_photo() -> None:
    box = (
        '<div class="author-box"><img class="author-avatar" src="/uploads/authors/tran-thu-ha.jpg">'
        '<div><span>Tác giả:</span> <a href="/tac-gia/tran-thu-ha">Trần Thu Hà</a></div></div>'
    )
    data = _read(_page('<span class="date">Cập nhật lúc 08:15, 02/10/2025</span>', above=box))
    assert data.images[0]["url"] == f"{PHOTO}/ve-sinh-1.jpg"
    assert all("/authors/" not in i["url"] for i in data.images)
    for img in ('<img class="avatar" src="/a/p.jpg">', '<img src="/upload/avatars/x.png">'):
        assert is_icon(lxml_html.fragment_fromstring(img))
    assert not is_icon(lxml_html.fragment_fromstring(f'<img src="{PHOTO}/ve-sinh-1.jpg">'))


def test_each_photo_once() -> None:
    full, thumb = f"{PHOTO}/a-01.jpg", f"{HOST}/uploads/thumbs/2025/10/02/a-01_150x100.jpg"
    other = f"{PHOTO}/a-02-300x200.png"
    photos = one_per_photo(
        [
            {"url": thumb, "caption": None},
            {"url": full, "caption": "Lễ khai mạc"},
            {"url": full, "caption": None},
            {"url": other, "caption": None},
        ]
    )
    assert photos == [{"url": full, "caption": "Lễ khai mạc"}, {"url": other, "caption": None}]
    # two photos of the same name in different folders, neither resized, are both kept
    two = [{"url": f"{HOST}/a/1.jpg", "caption": None}, {"url": f"{HOST}/b/1.jpg", "caption": None}]
    assert one_per_photo([dict(p) for p in two]) == two


def test_eleven_months_of_a_year_is_no_date() -> None:
    assert parse_vi_datetime("11 tháng năm 2025") is None
    for text in ("Thứ Hai, 11 tháng năm, 2025", "11 tháng Năm năm 2025"):
        parsed = parse_vi_datetime(text)
        assert parsed is not None and parsed.value.date().isoformat() == "2025-05-11"
