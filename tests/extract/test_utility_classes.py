"""The layout-free reader on a Bootstrap 5 commune theme (template-faithful, after
``tests/fixtures/unprofiled/bootstrap5-cards-xa``): the byline is aligned and weighted by
utility classes (``.text-end``, ``.fw-bold``), not by ``align``/``style``; a photographer's
trailing credit ("Ảnh: …") is no author."""

from __future__ import annotations

from parsel import Selector

from crawler.extract import ArticleData, ArticlePage
from crawler.extract.byline import read_byline
from crawler.profiles import get_profile
from crawler.profiles.schema import Byline

URL = "https://binhgiang.vinhlong.gov.vn/?post=1251"
TITLE = "Phường Bình Giang mở điểm phục vụ hành chính công lưu động tại các khóm"
PROSE = (
    "<p>Từ ngày 25/11, UBND phường Bình Giang mở điểm phục vụ hành chính công lưu động tại nhà"
    " văn hóa các khóm, giúp người dân nộp hồ sơ mà không phải đến trụ sở phường.</p>"
    "<p>Trong buổi đầu tiên tại nhà văn hóa khóm 7, điểm lưu động đã tiếp nhận 38 hồ sơ, hướng"
    " dẫn 52 lượt người dân kích hoạt tài khoản định danh điện tử mức độ 2.</p>"
)


def _read(after_body: str) -> ArticleData:
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<header><h1 class="fs-5">UBND PHƯỜNG BÌNH GIANG</h1></header>
<div class="container"><div class="row"><div class="col-lg-8"><div class="card"><div class="card-body">
<h2 class="h4 fw-bold">{TITLE}</h2>
<div class="small text-muted">(28/11/2025 16:20) | Lượt xem: 94</div>
<div class="content">{PROSE}</div>
{after_body}
<div class="small text-muted text-end">Người đăng: quantri.pbg</div>
</div></div></div></div></div></body></html>"""
    return ArticlePage(get_profile("generic"), URL, Selector(text=html)).extract()


def test_a_utility_classed_byline_after_the_body_is_read() -> None:
    data = _read(
        '<p class="text-end fw-bold">Đoàn Minh Khoa</p>'
        '<div class="alert small">Tệp đính kèm: <a href="/upload/files/ke-hoach-215.pdf">Kế hoạch'
        " số 215/KH-UBND ngày 20/11/2025 của UBND phường về phục vụ lưu động</a></div>"
    )
    assert data.author == "Đoàn Minh Khoa"


def test_a_bold_class_line_alone_is_a_byline_too() -> None:
    data = _read('<p class="fw-bold">Đoàn Minh Khoa</p>')
    assert data.author == "Đoàn Minh Khoa"


def test_a_photographers_credit_is_not_the_author() -> None:
    assert read_byline(
        ["Ảnh: Minh Tâm", "(Theo Văn phòng HĐND-UBND phường Bình Giang)"], Byline()
    ) == (
        None,
        "Văn phòng HĐND-UBND phường Bình Giang",
    )
    assert read_byline(["Bài, ảnh: Minh Tâm"], Byline())[0] == "Minh Tâm"
