"""Announcement pages (Thông báo, Kế hoạch, Công văn) read without a profile: the document's
attribute box is not the body, and a table of documents is a listing."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import ArticlePage, ListingPage
from crawler.extract.pages import ArticleData
from crawler.profiles import get_profile

URL = "https://sonv.tinh.gov.vn/thong-bao/ke-hoach-tap-huan-van-thu-luu-tru-nam-2026-4796.html"
TITLE = "Kế hoạch tập huấn nghiệp vụ văn thư, lưu trữ năm 2026"
PROSE = """<p>Theo Kế hoạch, lớp tập huấn được tổ chức thành 4 đợt tại Hội trường Trung tâm Lưu trữ
lịch sử tỉnh và trực tuyến đến điểm cầu các xã, phường trên địa bàn tỉnh.</p>
<p>Các cơ quan, đơn vị gửi danh sách cán bộ tham gia về Chi cục Văn thư - Lưu trữ trước ngày
18/3/2026 qua Hệ thống quản lý văn bản và điều hành của tỉnh.</p>"""
LAST = "Hệ thống quản lý văn bản và điều hành của tỉnh."

TABLE = """<table class="table vb-attr">
<tr><th>Số ký hiệu</th><td>58/KH-SNV</td></tr>
<tr><th>Ngày ban hành</th><td>03/03/2026</td></tr>
<tr><th>Cơ quan ban hành</th><td>Sở Nội vụ</td></tr>
<tr><th>Người ký</th><td>Đỗ Minh Tuấn</td></tr>
<tr><th>Trích yếu</th><td>Kế hoạch tập huấn nghiệp vụ văn thư, lưu trữ năm 2026</td></tr>
</table>"""
# the same record as rows of two boxes, under its own heading
GRID = """<div class="vanban-box"><div class="title">Thông tin văn bản</div><div class="grid">
<div class="row"><div class="lbl">Số ký hiệu:</div><div>58/KH-SNV</div></div>
<div class="row"><div class="lbl">Ngày ban hành:</div><div>03/03/2026</div></div>
<div class="row"><div class="lbl">Người ký:</div><div>Đỗ Minh Tuấn</div></div>
<div class="row"><div class="lbl">Loại văn bản:</div><div>Kế hoạch</div></div>
</div></div>"""


def _page(above: str, below: str, byline: str = "") -> str:
    return f"""<html><head><title>{TITLE}</title></head><body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/thong-bao.html">Thông báo</a></div>
<div class="news-detail"><h1>{TITLE}</h1><div class="meta">Ngày đăng: 05/03/2026 08:30</div>
{above}<div class="detail-content">{PROSE}{byline}</div>{below}</div>
<footer>Sở Nội vụ tỉnh. Địa chỉ: Số 12 đường Lý Thái Tổ.</footer></body></html>"""


def _read(html: str) -> ArticleData:
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


@pytest.mark.parametrize(("above", "below"), [(TABLE, ""), ("", TABLE), ("", GRID), (GRID, "")])
def test_the_documents_record_is_not_the_body_and_its_signer_not_the_author(
    above: str, below: str
) -> None:
    data = _read(_page(above, below))
    assert data.body is not None
    assert data.body.startswith("Theo Kế hoạch, lớp tập huấn") and data.body.endswith(LAST)
    for noise in ("Số ký hiệu", "58/KH-SNV", "Người ký", "Đỗ Minh Tuấn", "Thông tin văn bản"):
        assert noise not in data.body
    assert data.author is None


def test_a_table_with_two_such_labels_is_the_articles_own() -> None:
    own = """<table><tr><th>Số ký hiệu</th><th>Nội dung</th></tr>
    <tr><td>12/TB-UBND</td><td>Lịch tiếp công dân định kỳ của Chủ tịch UBND xã tháng 3</td></tr>
    <tr><th>Ngày ban hành</th><td>01/03/2026</td></tr></table>"""
    data = _read(_page("", "").replace(PROSE, PROSE + own))
    assert data.body is not None and "12/TB-UBND" in data.body


def test_author_and_source_labels_on_one_line() -> None:
    byline = (
        '<div class="byline"><span>Tác giả: <b>Nguyễn Thu Hà</b></span> '
        "<span>Nguồn: Chi cục Văn thư - Lưu trữ</span></div>"
    )
    data = _read(_page("", TABLE, byline))
    assert (data.author, data.source) == ("Nguyễn Thu Hà", "Chi cục Văn thư - Lưu trữ")
    assert data.body is not None and data.body.endswith(LAST)


def _row(n: int, pdf: bool) -> str:
    slug = f"thong-bao-ket-qua-xet-tuyen-vien-chuc-dot-{n}-nam-2026-{4800 + n}"
    download = (
        f'<a class="dl" href="/uploads/van-ban/{n}-TB-SNV.pdf"><i class="fa fa-download"></i> '
        "Tải về</a>"
        if pdf
        else "-"
    )
    return f"""<tr><td>{n}</td><td>{n}/TB-SNV</td>
<td><a href="/thong-bao/{slug}.html">Thông báo kết quả xét tuyển viên chức đợt {n} năm 2026</a>
<div>Ngày đăng: 1{n}/03/2026</div></td><td>1{n}/03/2026</td><td>{download}</td></tr>"""


def test_a_table_of_documents_with_download_links_is_a_listing() -> None:
    rows = "".join(_row(n, pdf=n != 3) for n in range(1, 7))
    html = f"""<html><body><div class="menu"><a href="/">Trang chủ</a></div>
<h1>Thông báo</h1><table class="table-vanban"><thead><tr><th>STT</th><th>Số ký hiệu</th>
<th>Trích yếu</th><th>Ngày ban hành</th><th>Tải về</th></tr></thead><tbody>{rows}</tbody></table>
<div class="pager"><span class="active">1</span> <a href="/thong-bao/trang-2.html">2</a></div>
</body></html>"""
    page = ListingPage(
        get_profile("generic"), "https://sonv.tinh.gov.vn/thong-bao.html", Selector(text=html)
    )
    links = page.article_links()
    assert len(links) == 6 and all(link.endswith(".html") for link in links)
    assert not any(".pdf" in link for link in links)
