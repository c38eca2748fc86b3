"""Input portals get wrong: mislabelled encodings repaired, UTF-16 and NUL bytes read, soft 404s seen."""

from __future__ import annotations

import pytest

from crawler.extract import extract_article
from crawler.extract.pages import looks_binary, repaired_encoding
from crawler.miniportal import SITES_DIR
from tests.faults.corpus import to_cp1258

SEED = (SITES_DIR / "nd-giaothuy" / "article-37511.html").read_text(encoding="utf-8")
URL = "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-37511"
TITLE = "Hội nghị trực tuyến công tác Dân vận năm 2021"


@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8", "text/html"])
def test_windows_1258_read_as_utf8_is_repaired(content_type: str | None) -> None:
    """HTTP says UTF-8 (or nothing, and the page's meta says UTF-8) but the bytes are
    windows-1258: the page is read as windows-1258, and the repair is reported."""
    body = to_cp1258(SEED)
    assert repaired_encoding(body, content_type) == "cp1258"
    data = extract_article(body, URL, "nd-giaothuy", content_type=content_type)
    assert data.title == TITLE
    assert data.author == "Hoàng Mai" and data.views == 137
    assert data.body is not None and "\ufffd" not in data.body


def test_real_utf8_is_never_repaired() -> None:
    assert repaired_encoding(SEED.encode("utf-8"), "text/html; charset=utf-8") is None
    # replacement characters that the page itself holds are not an encoding problem
    assert repaired_encoding("<p>x \ufffd y</p>".encode(), None) is None


def test_utf16_with_bom_is_text_not_binary() -> None:
    body = SEED.encode("utf-16")
    assert not looks_binary(body)
    assert extract_article(body, URL, "nd-giaothuy").title == TITLE


def test_a_stray_nul_byte_is_not_binary_but_a_pdf_is() -> None:
    assert not looks_binary(SEED.encode().replace(b"<title>", b"<title>\x00", 1))
    assert looks_binary(b"%PDF-1.4\n...")
    assert looks_binary(bytes(512))


SOFT_404 = SEED.replace(TITLE, "Trang không tồn tại").replace(
    '<div class="ArticleContent">',
    '<div class="ArticleContent"><p>Xin lỗi, trang bạn yêu cầu '
    'không tồn tại hoặc đã bị xoá.</p></div><div class="x">',
    1,
)


def test_a_soft_404_is_recognised() -> None:
    from crawler.extract import ArticlePage, selector_for
    from crawler.profiles import get_profile

    data = extract_article(SOFT_404, URL, "nd-giaothuy")
    assert ArticlePage.not_found(data)
    page = ArticlePage(get_profile("nd-giaothuy"), URL, selector_for(SEED))
    assert not ArticlePage.not_found(page.extract())
