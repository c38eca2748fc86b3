"""The layout-free reader on a print view (template-faithful, after
``tests/fixtures/unprofiled/print-view-gov``): no header, footer or sidebar element, so the
site's imprint (its name over "Chịu trách nhiệm chính: …", "Bản quyền thuộc …") ends the
article, and the printed address of the article ("Địa chỉ bài viết: https://…") is no text;
the byline above them is read."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.profiles import get_profile

URL = "https://snnmt.angiang.gov.vn/tin-tuc/xuong-giong-vu-lua-dong-xuan-2318.html?print=1"
TITLE = "An Giang xuống giống vụ lúa Đông Xuân 2025 - 2026 theo lịch thời vụ tập trung"
PARAS = "".join(
    f"<p>Theo kế hoạch, vụ lúa Đông Xuân 2025 - 2026 toàn tỉnh gieo trồng đợt {n} trên diện tích"
    f" khoảng {n}0.000 ha, tập trung ở các xã ven biển và vùng trũng của tỉnh.</p>"
    for n in range(1, 5)
)


def _read(imprint: str) -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>In bài viết</title></head><body>
<div class="print-head"><img src="/images/logo.png" alt=""><h1>SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG</h1>
<div>Ngày in: 03/12/2025 08:14</div></div>
<div class="title">{TITLE}</div><div class="date">Ngày đăng: 18-11-2025</div>
<div class="content">{PARAS}
<p style="text-align:right"><em>Theo Chi cục Trồng trọt và Bảo vệ thực vật</em></p></div>
<div class="poster">Người đăng: bientap.snnmt</div>
<div class="link-line">Địa chỉ bài viết: https://snnmt.angiang.gov.vn/tin-tuc/xuong-giong-2318.html</div>
<div class="tools"><a href="javascript:window.print()">In bài</a> | <a href="javascript:window.close()">Đóng cửa sổ</a></div>
<div class="bottom">{imprint}</div></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_the_imprint_ends_a_print_view_and_the_byline_above_it_is_read() -> None:
    data = _read(
        "<div><b>TRANG THÔNG TIN ĐIỆN TỬ SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH AN GIANG</b></div>"
        "<div>Chịu trách nhiệm chính: Giám đốc Sở Nông nghiệp và Môi trường</div>"
        "<div>Địa chỉ: Số 12 đường Nguyễn Trung Trực, phường Rạch Giá, tỉnh An Giang</div>"
    )
    assert data.body is not None
    assert data.body.endswith("vùng trũng của tỉnh.")
    for noise in ("TRANG THÔNG TIN", "Chịu trách nhiệm", "Địa chỉ bài viết", "Người đăng"):
        assert noise not in data.body
    assert data.source == "Chi cục Trồng trọt và Bảo vệ thực vật"
    assert data.title == TITLE
