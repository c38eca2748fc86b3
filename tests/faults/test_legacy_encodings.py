"""TCVN3 and windows-1258 pages that their server mislabels (issue 13: "windows-1258 or TCVN3
with no charset ... stored as text full of U+FFFD, nothing counted").

The TCVN3 pages are authored in Unicode and encoded to TCVN3 here, as an old ``.VnTime`` site
holds them: the seed article (vnPortal layout) and an old FrontPage commune page.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from crawler.extract import extract_article
from crawler.extract.legacy_encodings import (
    DECODING_TABLE,
    is_syllable,
    legacy_decode,
    legacy_encoding,
    to_tcvn3,
)
from crawler.extract.pages import decode_html, repaired_encoding
from tests.faults.corpus import SEED, TITLE, build, to_cp1258
from tests.faults.legacy_pages import (
    COMMUNE_AUTHOR,
    COMMUNE_BODY,
    COMMUNE_PAGE,
    COMMUNE_TITLE,
    COMMUNE_URL,
)

URL = "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-37511"
CASES = {case.name: case for case in build()}
LOWER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv")
def test_the_table_is_tcvn_5712_as_glibc_has_it() -> None:
    """Bytes 0xA0-0xFF against glibc's TCVN5712-1 (an independent implementation)."""
    upper = bytes(range(0xA0, 0x100))
    glibc = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=upper, capture_output=True, check=False
    )
    if glibc.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert DECODING_TABLE[0xA0:] == glibc.stdout.decode("utf-8")


def test_every_vietnamese_letter_round_trips() -> None:
    letters = LOWER + "ĂÂÊÔƠƯĐ"
    assert len(letters.encode("tcvn3")) == len(letters)  # one byte each
    assert letters.encode("tcvn3").decode("tcvn3") == letters
    assert "Hội nghị".encode("tcvn3") == b"H\xe9i ngh\xde"
    assert bytes(range(256)).decode("tcvn3").encode("tcvn3") == bytes(range(256))
    # the curly quotes and dashes Word stores in .VnTime text: windows-1252's
    assert b"\x93\x94\x96".decode("tcvn3") == "\u201c\u201d\u2013"


@pytest.mark.parametrize("name", ["tcvn3-labelled-latin1", "tcvn3-no-charset"])
@pytest.mark.parametrize(
    "content_type", [None, "text/html", "text/html; charset=iso-8859-1", "text/html; charset=utf-8"]
)
def test_a_tcvn3_article_is_repaired(name: str, content_type: str | None) -> None:
    body = CASES[name].body
    assert repaired_encoding(body, content_type) == "tcvn3"
    data = extract_article(body, URL, "nd-giaothuy", content_type=content_type)
    assert data.title == TITLE
    assert data.author == "Hoàng Mai" and data.source == "Trung tâm VH-TT-TT Giao Thủy"
    assert data.views == 137 and data.published_at is not None
    assert data.body is not None and "\ufffd" not in data.body
    assert "Chánh Văn phòng Ban Dân vận Trung ương" in data.body
    assert "“Tăng cường và đổi mới công tác Dân vận trong tình hình mới”" in data.body


@pytest.mark.parametrize("content_type", [None, "text/html; charset=windows-1252"])
def test_an_old_commune_page_in_tcvn3_is_read_with_no_profile(content_type: str | None) -> None:
    body = to_tcvn3(COMMUNE_PAGE)
    assert body.count(b"\xb8") >= 10  # "á" as TCVN3 writes it
    assert repaired_encoding(body, content_type) == "tcvn3"
    data = extract_article(body, COMMUNE_URL, content_type=content_type)
    assert data.title == COMMUNE_TITLE
    assert data.author == COMMUNE_AUTHOR
    assert data.published_at is not None and data.published_at.strftime("%d/%m/%Y") == "12/05/2009"
    assert data.body is not None and "\ufffd" not in data.body
    # TCVN3 has no toned capitals: "Ủy" comes back as "ủy" (all a .VnTime page can hold)
    for paragraph in COMMUNE_BODY:
        assert paragraph.casefold() in data.body.casefold()


def test_a_heading_in_a_capitals_font_comes_back_in_capitals() -> None:
    body = to_tcvn3("<h1>ỦY BAN NHÂN DÂN HUYỆN GIAO THỦY</h1><p>Đảng ủy xã Giao Thiện</p>")
    assert b"HUY\xd6N" in body  # "ệ": the lower-case code, drawn as a capital by .VnTimeH
    text = legacy_decode(body, "tcvn3")
    assert "ỦY BAN NHÂN DÂN HUYỆN GIAO THỦY" in text
    assert "Đảng ủy xã Giao Thiện" in text  # a word with a lower-case ASCII letter is kept


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "text/html", "text/html; charset=windows-1252"]
)
def test_windows_1258_is_not_taken_for_tcvn3(content_type: str | None) -> None:
    body = to_cp1258(SEED)
    assert repaired_encoding(body, content_type) == "cp1258"
    assert extract_article(body, URL, "nd-giaothuy", content_type=content_type).title == TITLE


def test_a_correct_windows_1252_page_is_left_alone() -> None:
    """Vietnamese in windows-1252 with entities for what it lacks (a legitimate page), and a
    French page: both decoded as declared."""
    text = unicodedata.normalize("NFC", SEED).replace("charset=utf-8", "charset=windows-1252")
    body = text.encode("cp1252", "xmlcharrefreplace")
    assert repaired_encoding(body, None) is None
    assert extract_article(body, URL, "nd-giaothuy").title == TITLE
    french = (
        "<html><head><meta charset='windows-1252'><title>Ministère</title></head><body>"
        "<p>Le ministère de l'Économie a publié un résumé détaillé des élèves, à côté du "
        "café où l'on discute après la réunion générale.</p></body></html>"
    )
    assert repaired_encoding(french.encode("cp1252"), None) is None
    assert "réunion générale" in decode_html(french.encode("cp1252"))


def test_a_utf8_page_with_one_stray_byte_is_not_reread() -> None:
    """Before: any non-UTF-8 byte made the page windows-1258 if that reading had three
    Vietnamese letters, and UTF-8 Vietnamese read as windows-1258 always has them."""
    body = SEED.encode("utf-8").replace(b"<h1>", b"<h1>\xd2", 1)
    assert repaired_encoding(body, "text/html; charset=utf-8") is None
    assert extract_article(body, URL, "nd-giaothuy").author == "Hoàng Mai"


def test_a_page_declaring_tcvn3_is_decoded_by_the_codec() -> None:
    page = SEED.replace("charset=utf-8", "charset=TCVN3")
    assert extract_article(to_tcvn3(page), URL, "nd-giaothuy").title == TITLE


@pytest.mark.parametrize(
    ("word", "valid"),
    [
        ("nghiêng", True),
        ("Người", True),
        ("HUYỆN", True),
        ("khuya", True),
        ("gì", True),
        ("Héi", True),  # "Hội" read as windows-1252: a plausible syllable, hence the counting
        ("c«ng", False),
        ("nghÞ", False),
        ("tØnh", False),
        ("HuYện", False),
        ("Hụũi", False),
    ],
)
def test_syllable_check(word: str, valid: bool) -> None:
    assert is_syllable(word) is valid


def test_usual_pages_are_not_scored() -> None:
    assert legacy_encoding(b"<p>ascii</p>", "cp1252") is None
    assert legacy_encoding("<p>Hội</p>".encode(), "utf-8", "<p>Hội</p>") is None
    assert legacy_encoding(to_tcvn3(SEED), "shift_jis") is None  # declared, not Western
    assert legacy_encoding(b"\xe9", "no-such-codec") is None
