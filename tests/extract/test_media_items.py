"""The layout-free reader on a multimedia section's items (template-faithful, after
``tests/fixtures/unprofiled/video-news-gov``): an audio bulletin whose title names a day, its
plays counted as views, its player box (label, fallback text, timer, speed links, cover) left
out; a video's crew credits under it or after its body give the author, never the source."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.profiles import get_profile

HOST = "https://tuyenquang.gov.vn"
PROSE = [
    (
        "Bản tin tối nay có các nội dung chính: HĐND tỉnh khai mạc Kỳ họp thứ Năm, xem xét, quyết"
        " định nhiều nghị quyết quan trọng về phát triển kinh tế - xã hội năm 2026."
    ),
    (
        "Toàn tỉnh đã trồng được hơn 8.500 ha rừng tập trung, vượt 6% kế hoạch năm; tỷ lệ che phủ"
        " rừng duy trì trên 60%, cao hơn bình quân cả nước."
    ),
    (
        "Mời quý vị và các bạn đón nghe các bản tin tiếp theo vào lúc 6 giờ 00 và 11 giờ 30 hằng"
        " ngày trên sóng phát thanh và trang thông tin điện tử của tỉnh."
    ),
]


def _page(title: str, meta: str, player: str, credits: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    return f"""<html><head><meta charset="utf-8"><title>{title} - UBND tỉnh</title>
<meta property="og:title" content="{title}"></head><body>
<div class="top">Thứ Tư, ngày 03/12/2025</div>
<div class="row"><div class="col-md-8"><article class="mm-detail">
<div class="mm-cat"><a href="/media/audio">Audio - Podcast</a></div>
<h1 class="mm-title">{title}</h1>
<div class="mm-meta">{meta}</div>
{player}
<div class="mm-content">{paragraphs}</div>
{credits}
<div class="related"><h3>Các bản tin đã đưa</h3><ul>
<li><a href="/media/audio/ban-tin-thoi-su-sang-ngay-02-12-2025-4515.html">Bản tin Thời sự
sáng ngày 02/12/2025</a> (02/12/2025 06:10)</li>
<li><a href="/media/audio/ban-tin-thoi-su-toi-ngay-01-12-2025-4512.html">Bản tin Thời sự
tối ngày 01/12/2025</a> (01/12/2025 19:02)</li></ul></div>
</article></div></div></body></html>"""


AUDIO = """<div class="mm-audio"><div class="audio-head"><strong>Nghe bản tin</strong></div>
<img class="audio-cover" src="/uploads/audio/cover/ban-tin-thoi-su-toi.jpg" width="120">
<audio controls preload="none"><source src="/audio/thoi-su-toi-02122025.mp3" type="audio/mpeg">
Trình duyệt của bạn không hỗ trợ phát âm thanh.</audio>
<div class="audio-meta"><span>00:00 / 14:52</span> · <span>Thời lượng: 14:52</span> ·
<a href="/audio/thoi-su-toi-02122025.mp3" download>Tải về</a></div>
<div class="speed">Tốc độ: <a href="#">0.75x</a> <a href="#">1x</a></div></div>"""


def _read(title: str, meta: str, player: str, credits: str) -> ArticleData:
    url = f"{HOST}/media/audio/ban-tin-thoi-su-toi-ngay-02-12-2025-4517.html"
    html = _page(title, meta, player, credits)
    return ArticlePage(get_profile("generic"), url, Selector(text=html)).extract()


def test_an_audio_bulletin_its_date_plays_and_player() -> None:
    data = _read(
        "Bản tin Thời sự tối ngày 02/12/2025",
        "<span>Thứ Ba, 02/12/2025 - 19:05</span> <span>Lượt nghe: 412</span>",
        AUDIO,
        '<div class="mm-credits"><p><span>Phát thanh viên:</span> Minh Hằng - Quốc Trung</p>'
        "<p><em>(Theo Đài PT-TH tỉnh Tuyên Quang)</em></p></div>",
    )
    assert str(data.published_at) == "2025-12-02 19:05:00+07:00"  # not the title's day
    assert data.published_date_only is False
    assert data.views == 412
    assert data.images == []  # the player's cover is no photo of the story
    assert data.body is not None and data.body.startswith("Bản tin tối nay")
    for noise in ("Nghe bản tin", "Trình duyệt", "14:52", "Tốc độ", "Phát thanh viên", "đã đưa"):
        assert noise not in data.body
    assert data.body.endswith("trang thông tin điện tử của tỉnh.")
    assert (data.author, data.source) == (None, "Đài PT-TH tỉnh Tuyên Quang")


def test_a_date_beside_the_headline_in_its_own_element_still_counts() -> None:
    title = "Khai mạc Kỳ họp thứ Năm HĐND tỉnh <span class='d'>02/12/2025 08:30</span>"
    data = _read(title, "", "", "")
    assert str(data.published_at) == "2025-12-02 08:30:00+07:00"


def test_a_videos_crew_after_its_body_names_the_editor_as_author() -> None:
    data = _read(
        "Đưa nước sạch về với đồng bào vùng cao xã Thượng Lâm",
        "<span>Đăng lúc 07:40 CH, 21/11/2025</span> <span>Lượt xem: 1.532</span>",
        '<div class="mm-player"><video controls poster="/p.jpg"><source src="/v.mp4"></video>'
        '<div class="bar">00:00 / 03:45 · Thời lượng: 03:45</div></div>',
        '<div class="mm-credits"><p><span>Biên tập:</span> Thu Trang</p>'
        "<p><span>Quay phim:</span> Minh Đức</p><p><span>Dựng:</span> Hoàng Long</p>"
        "<p>Nguồn: Đài PT-TH tỉnh Tuyên Quang</p></div>",
    )
    assert (data.author, data.source) == ("Thu Trang", "Đài PT-TH tỉnh Tuyên Quang")
    assert data.body is not None and "03:45" not in data.body and "Quay phim" not in data.body


def test_crew_lines_closing_the_body_are_credits_not_a_source() -> None:
    credits = (
        '<p style="text-align:right"><strong>Phóng viên: Ngọc Ánh</strong></p>'
        '<p style="text-align:right">Quay phim: Văn Khải - Dựng: Thanh Tùng</p>'
    )
    html = _page("Mùa hoa tam giác mạch trên cao nguyên đá", "20/11/2025", "", "")
    html = html.replace(f"{PROSE[-1]}</p></div>", f"{PROSE[-1]}</p>{credits}</div>")
    data = ArticlePage(
        get_profile("generic"),
        f"{HOST}/media/video/mua-hoa-tam-giac-mach-21074.html",
        Selector(text=html),
    ).extract()
    assert (data.author, data.source) == ("Ngọc Ánh", None)
    assert data.body is not None and "Quay phim" not in data.body


def test_credit_boxes() -> None:
    from crawler.extract.credits import read_credits

    assert read_credits(["Phát thanh viên: Minh Hằng - Quốc Trung"]) == (True, None)
    assert read_credits(["Biên tập: Thu Trang", "Quay phim: Minh Đức"]) == (True, "Thu Trang")
    assert read_credits(["Nội dung: Minh Thu", "Biên tập: Lan"]) == (True, "Minh Thu")
    assert read_credits(["Nội dung: Minh Thu"]) == (False, None)  # a document's record
    assert read_credits(["Biên tập: Thu Trang"]) == (False, None)
