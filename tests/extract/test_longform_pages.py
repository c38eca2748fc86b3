"""Long-form stories read with no profile: the cover photo in the headline's hero section, a
credit box naming the writer (above the story or after it), a reading time and a drop cap."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import ArticlePage
from crawler.extract.credits import credit_author
from crawler.extract.text import join_pieces
from crawler.profiles import get_profile

HOST = "https://laocai.gov.vn"
URL = f"{HOST}/emagazine/ruong-bac-thang-mu-cang-chai-mua-nuoc-do-post2207.html"
TITLE = "Ruộng bậc thang Mù Cang Chải mùa nước đổ"
HERO = f"{HOST}/uploads/emagazine/2025/05/ruong-bac-thang/hero.jpg"
PHOTO = f"{HOST}/uploads/emagazine/2025/05/ruong-bac-thang/do-nuoc.jpg"


def _page(credits_top: str, credits_end: str) -> str:
    return f"""<html><head><title>{TITLE}</title></head><body>
<header class="site-header"><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH LÀO CAI</div></header>
<article class="emg">
<section class="emg-hero"><img class="emg-hero__img" src="{HERO}" alt="{TITLE}">
<div class="emg-hero__overlay"><span class="kicker">E-MAGAZINE</span><h1>{TITLE}</h1>
<div class="meta"><span>Thứ Sáu, 16/05/2025 08:30</span> <span>7 phút đọc</span></div></div>
</section>{credits_top}
<div class="emg-body">
<p><span class="dropcap">T</span>háng Năm, khi những cơn mưa đầu mùa đổ xuống, đồng bào Mông ở Mù
Cang Chải bắt đầu dẫn nước vào những thửa ruộng bậc thang trải dài trên sườn núi.</p>
<h2>Mùa nước đổ</h2>
<p>Những thửa ruộng loang loáng nước phản chiếu bầu trời, thu hút hàng nghìn du khách và nhiếp
ảnh gia trong và ngoài nước tìm đến mỗi năm.</p>
<figure><img src="{PHOTO}" alt=""><figcaption>Người dân dẫn nước vào ruộng</figcaption></figure>
<p>Chính quyền các xã đã hỗ trợ người dân làm homestay, phát triển du lịch cộng đồng gắn với
bảo tồn cảnh quan ruộng bậc thang, nâng cao thu nhập cho đồng bào.</p>
{credits_end}</div></article>
<footer>Cổng thông tin điện tử tỉnh Lào Cai</footer></body></html>"""


def _read(html: str):  # type: ignore[no-untyped-def]
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


@pytest.mark.parametrize(
    ("top", "end"),
    [
        (
            '<div class="credit"><p>Nội dung: Lò Thu — Ảnh: Sùng A Páo — Trình bày: Hà My</p></div>',
            "",
        ),
        (
            "",
            (
                '<div class="credit"><p>Thực hiện: Lò Thu</p><p>Ảnh: Sùng A Páo</p>'
                "<p>Trình bày: Hà My</p></div>"
            ),
        ),
    ],
    ids=["credit-line-above", "credit-box-after"],
)
def test_a_long_form_story(top: str, end: str) -> None:
    data = _read(_page(top, end))
    assert data.title == TITLE
    assert data.author == "Lò Thu"
    assert data.images[0] == {"url": HERO, "caption": None}
    assert data.images[1] == {"url": PHOTO, "caption": "Người dân dẫn nước vào ruộng"}
    assert data.body is not None and data.body.startswith("Tháng Năm, khi những cơn mưa")
    assert "Mùa nước đổ" in data.body
    for noise in ("phút đọc", "Trình bày", "Sùng A Páo", "E-MAGAZINE"):
        assert noise not in data.body
    assert data.body.endswith("nâng cao thu nhập cho đồng bào.")


def test_credits_need_two_roles_and_name_the_writer() -> None:
    assert credit_author(["Nội dung: A Dơ — Ảnh: Thảo Vy"]) == "A Dơ"
    assert credit_author(["Thực hiện: Lò Thu", "Ảnh: Sùng A Páo"]) == "Lò Thu"
    assert credit_author(["Nội dung: Kế hoạch tổ chức hội nghị tổng kết"]) is None
    assert credit_author(["Ảnh: Sùng A Páo", "Trình bày: Hà My"]) is None  # no writer
    assert credit_author(["Ảnh: Sùng A Páo", "Người dân dẫn nước vào ruộng"]) is None


def test_a_drop_cap_joins_its_word() -> None:
    assert join_pieces(["T", "háng Năm, khi"]) == "Tháng Năm, khi"
    assert join_pieces(["A", "Páo nói"]) == "A Páo nói"  # a name: upper case after
    assert join_pieces(["Ông", "Páo"]) == "Ông Páo"
    assert join_pieces(["Ô", "Tô"]) == "Ô Tô"


def test_a_lazy_hero_photo_beside_links_in_its_section() -> None:
    page = _page("", "").replace(
        f'<img class="emg-hero__img" src="{HERO}" alt="{TITLE}">',
        '<a class="share" href="https://facebook.com/sharer?u=x">Chia sẻ</a>'
        f'<img class="emg-hero__img lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        f'data-src="{HERO}" alt="">',
    )
    assert _read(page).images[0] == {"url": HERO, "caption": None}
