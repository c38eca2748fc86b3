"""The layout-free reader on hand-edited 2000s markup: a lazy photo behind a spacer placeholder is
a photo, a clock with a minutes' mark ("14h35'") before the date is the published time, and the
category menu beside a list of ``chitiet.asp?id=N`` stories gives no story."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage, ListingPage
from crawler.extract.dates import parse_vi_datetime
from crawler.profiles import get_profile

HOST = "https://quanguyen.caobang.gov.vn"
TITLE = "Xã Quảng Uyên tổ chức Ngày hội Đại đoàn kết toàn dân tộc tại xóm Phja Khao"
URL = f"{HOST}/tintuc/chitiet.asp?id=4127&cat=12"


def _article(meta_line: str, photo: str) -> str:
    return f"""<html><head><title>{TITLE}</title></head><body>
<table width="980"><tr><td><h1>CỔNG THÔNG TIN ĐIỆN TỬ XÃ QUẢNG UYÊN</h1></td></tr></table>
<table width="980"><tr><td width="200">
<a href="/tintuc/danhmuc.asp?cat=12">Tin tức - Sự kiện</a></td>
<td><table><tr><td><font size="3"><b>{TITLE}</b></font></td></tr>
<tr><td><font size="1" color="#777777">{meta_line}</font></td></tr>
<tr><td><font face="Arial" size="2">
<p>Ngày 19/11, Ủy ban MTTQ Việt Nam xã Quảng Uyên phối hợp với Ban công tác Mặt trận xóm
Phja Khao tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2025 với đông đảo bà con tham dự.</p>
<p align="center">{photo}</p>
<p>Dịp này, Ủy ban MTTQ xã trao 15 suất quà cho các hộ gia đình có hoàn cảnh khó khăn và
biểu dương các hộ tiêu biểu trong phong trào xây dựng nông thôn mới của xóm.</p>
</font></td></tr></table></td></tr></table></body></html>"""


PHOTO = (
    '<img src="/images/spacer.gif" data-src="/Uploads/images/2025/11/ngayhoi-01.jpg"'
    ' width="480" height="320" alt="" />'
)


def _read(meta_line: str = "20/11/2025", photo: str = PHOTO) -> ArticleData:
    return ArticlePage(
        get_profile("generic"), URL, Selector(text=_article(meta_line, photo))
    ).extract()


def test_a_lazy_photo_is_judged_by_the_picture_it_loads_not_its_spacer() -> None:
    data = _read()
    assert [img["url"] for img in data.images] == [f"{HOST}/Uploads/images/2025/11/ngayhoi-01.jpg"]
    # a spacer drawn as such stays no photo
    spacer = '<img src="/images/spacer.gif" width="480" height="320" alt="" />'
    assert _read(photo=spacer).images == []


def test_a_clock_with_a_minutes_mark_before_the_date() -> None:
    data = _read("Cập nhật lúc: 14h35' ngày 20/11/2025 &nbsp;|&nbsp; Lượt xem: 1.532")
    assert data.published_at is not None
    assert data.published_at.isoformat() == "2025-11-20T14:35:00+07:00"
    assert not data.published_date_only and data.views == 1532
    parsed = parse_vi_datetime("(09 giờ 05’, 03/12/2025)")
    assert parsed is not None and parsed.value.isoformat() == "2025-12-03T09:05:00+07:00"


def _listing() -> str:
    menu = "".join(
        f'<tr><td><a href="/tintuc/danhmuc.asp?cat={n}">{name}</a></td></tr>'
        for n, name in (
            (18, "Chuyển đổi số"),
            (21, "Cải cách hành chính và chuyển đổi số"),
            (23, "Công khai ngân sách xã năm 2025"),
        )
    )
    rows = "".join(
        f'<tr><td><img src="/images/bullet.gif" width="5" height="5" alt="" /></td><td>'
        f'<a href="/tintuc/chitiet.asp?id={4100 + n}&amp;cat=12">Xã Quảng Uyên triển khai'
        f" nhiệm vụ phát triển kinh tế xã hội số {n} năm 2025</a> ({n:02d}/11/2025)</td></tr>"
        for n in range(1, 13)
    )
    return f"""<html><body><table><tr>
<td width="200" bgcolor="#F7F9FB"><table>{menu}</table></td>
<td><table>{rows}</table></td></tr></table></body></html>"""


def test_the_category_menu_beside_a_list_of_query_string_stories_is_no_story() -> None:
    url = f"{HOST}/tintuc/danhmuc.asp?cat=12"
    links = ListingPage(get_profile("generic"), url, Selector(text=_listing())).article_links()
    assert len(links) == 12
    assert all("/tintuc/chitiet.asp?id=" in link for link in links), links
