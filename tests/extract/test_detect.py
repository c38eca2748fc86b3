"""CMS-family detection: every saved page and listing is recognised as its own family.

``detect_family`` scores each CMS profile's ``[detect]`` fingerprints (raw-HTML and URL regexes)
and returns the best family reaching its ``min_score``. Site fixtures (``meta.profile`` is a site
id such as ``nd-giaothuy``) are mapped to their family through the loaded profile's ``cms``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from crawler.extract import choose_profile
from crawler.extract.detect import (
    _CASE_TRAPS,
    _html_score,
    _lowered,
    detect_family,
    fingerprint_score,
    required_literal,
)
from crawler.extract.pages import decode_html, page_source, selector_for
from crawler.profiles import load_profiles
from tests.fixture_cases import FIXTURES, Case, load_cases

PROFILES = load_profiles()
FAMILIES = sorted(p.id for p in PROFILES.values() if p.kind == "cms")
CASES = [*load_cases("pages"), *load_cases("listings")]
PLAIN_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Nhà hàng Phố Biển - Thực đơn</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><header><nav><a href="/">Trang chủ</a> <a href="/thuc-don">Thực đơn</a>
<a href="/lien-he">Liên hệ</a></nav></header>
<main><h1>Thực đơn hôm nay</h1><p>Lẩu cá, gà nướng, rau muống xào tỏi.</p>
<ul class="pagination"><li><a href="/thuc-don?page=2">2</a></li></ul></main>
<footer>Địa chỉ: 12 Trần Phú, Nha Trang. Thống kê truy cập: Hôm nay 120, Tổng 45.210</footer>
</body></html>"""


def family_of(case: Case) -> str:
    return PROFILES[case.meta["profile"]].cms


def html_of(case: Case) -> str:
    return decode_html(case.body, case.meta.get("content_type"))


# vnportal has no saved listing: its pager is AJAX and the endpoint is unknown (portals.md §2 B)
NO_LISTING_YET = {"vnportal"}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_fixtures(family: str) -> None:
    pages = [c for c in CASES if c.path.parent.parent.name == "pages" and family_of(c) == family]
    listings = [
        c for c in CASES if c.path.parent.parent.name == "listings" and family_of(c) == family
    ]
    assert len(pages) >= 1 if family in NO_LISTING_YET else len(pages) >= 2
    assert listings or family in NO_LISTING_YET


@pytest.mark.parametrize("case", CASES, ids=[f"{c.path.parent.parent.name}/{c.id}" for c in CASES])
def test_fixture_detected_as_its_family(case: Case) -> None:
    found = detect_family(PROFILES, html_of(case), case.meta["url"])
    if family_of(case) == "generic":
        # an unknown layout: no family may claim it; the generic fallback takes it
        assert found is None
        assert choose_profile(html_of(case), case.meta["url"]).profile.id == "generic"
        return
    assert found is not None, f"no family reaches min_score for {case.id}"
    assert found.method == "fingerprint"
    assert found.profile.kind == "cms"
    assert found.profile.id == family_of(case)


# the generic fallback has no fingerprints by design (min_score 99): nothing to tie with
FINGERPRINTED = [c for c in CASES if family_of(c) != "generic"]


@pytest.mark.parametrize(
    "case", FINGERPRINTED, ids=[f"{c.path.parent.parent.name}/{c.id}" for c in FINGERPRINTED]
)
def test_no_other_family_ties(case: Case) -> None:
    """The winner is strict: a tie would be decided by file order, not by evidence."""
    html, url = html_of(case), case.meta["url"]
    own = fingerprint_score(PROFILES[family_of(case)], html, url)
    others = [fingerprint_score(PROFILES[f], html, url) for f in FAMILIES if f != family_of(case)]
    assert own > max(others)


def test_plain_page_is_no_family() -> None:
    assert detect_family(PROFILES, PLAIN_PAGE, "https://phobien.example.vn/thuc-don") is None


STOCK_SHAREPOINT = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Tin hoạt động - UBND huyện</title>
<script>var _spPageContextInfo = {webServerRelativeUrl: "/", siteClientTag: "0$$15.0"};</script>
</head><body><div id="s4-workspace"><div class="ms-webpart-zone">
<div class="ms-rtestate-field"><h1>Hội nghị sơ kết</h1><p>Nội dung bài viết.</p></div>
</div></div></body></html>"""


def test_platform_markers_alone_claim_no_family() -> None:
    """Another vendor's SharePoint build carries the stock SharePoint markers Tân Dân pages
    have too (2 points, its min_score): without a Tân Dân fingerprint it is no Tân Dân page."""
    tandan = PROFILES["tandan_sharepoint"]
    assert set(tandan.detect.platform) >= {"ms-rtestate-field", "_spPageContextInfo"}
    assert fingerprint_score(tandan, STOCK_SHAREPOINT, "https://x.gov.vn/Pages/tin.aspx") == 0
    assert detect_family(PROFILES, STOCK_SHAREPOINT, "https://x.gov.vn/Pages/tin.aspx") is None
    # one Tân Dân fingerprint beside them: the markers count again (1 + 2)
    tagged = STOCK_SHAREPOINT.replace("<h1>", '<div class="tandan-tieude"></div><h1>')
    found = detect_family(PROFILES, tagged, "https://x.gov.vn/Pages/tin.aspx")
    assert found is not None and (found.profile.id, found.score) == ("tandan_sharepoint", 3)


def test_url_alone_is_not_enough() -> None:
    # one URL fingerprint (score 1) stays below every family's min_score of 2
    assert (
        detect_family(PROFILES, "<html><body>x</body></html>", "https://x.gov.vn/vi/news/") is None
    )


# --- the literal pre-check of crawler/extract/detect.py gives the plain regex scores ----------

DETECT_PAGES = sorted(
    page
    for kind in ("pages", "listings", "unprofiled")
    for page in (FIXTURES / kind).glob("**/page.html")
)


def reference_scores(html: str, url: str) -> dict[str, int]:
    """Every CMS family's score as detection computed it before the pre-check: one
    ``re.search`` (IGNORECASE) per ``[detect]`` pattern over the whole page and the URL; the
    ``platform`` markers count only when one of the family's own patterns matched."""
    scores = {}
    for p in (p for p in PROFILES.values() if p.kind == "cms"):
        own = sum(1 for r in p.detect.html if re.search(r, html, re.IGNORECASE)) + sum(
            1 for r in p.detect.url if re.search(r, url, re.IGNORECASE)
        )
        shared = sum(1 for r in p.detect.platform if re.search(r, html, re.IGNORECASE))
        scores[p.id] = own + shared if own else 0
    return scores


def reference_detect(html: str, url: str) -> tuple[str, int] | None:
    """The best family reaching its ``min_score``; on a tie the first family met stays."""
    best: tuple[str, int] | None = None
    for family, score in reference_scores(html, url).items():
        if score >= PROFILES[family].detect.min_score and (best is None or score > best[1]):
            best = (family, score)
    return best


def _swapcase_ascii(text: str) -> str:
    return "".join(c.swapcase() if c.isascii() else c for c in text)


@pytest.mark.parametrize(
    "page", DETECT_PAGES, ids=[str(p.parent.relative_to(FIXTURES)) for p in DETECT_PAGES]
)
def test_detect_family_equals_plain_regex_search(page: Path) -> None:
    meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
    body, url, ctype = page.read_bytes(), meta["url"], meta.get("content_type")
    # what choose_profile sees (the parsed page re-serialised), the decoded text, the same with
    # ASCII case swapped, and with every "i" a dotless "ı", which IGNORECASE still reads as i
    # (_CASE_TRAPS: the pre-check must stand aside)
    serialised = selector_for(body, ctype).get()
    variants = [
        serialised,
        decode_html(body, ctype),
        _swapcase_ascii(serialised),
        serialised.replace("i", "\u0131"),
    ]
    for html in variants:
        expected = reference_detect(html, url)
        found = detect_family(PROFILES, html, url)
        assert ((found.profile.id, found.score) if found else None) == expected
        assert {f: fingerprint_score(PROFILES[f], html, url) for f in FAMILIES} == reference_scores(
            html, url
        )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("portlet-boundary", ("portlet-boundary", True, True)),
        ("Liferay\\.Loader", ("liferay.loader", True, True)),
        ("var Liferay\\s*=", ("var liferay", False, True)),
        ('/portal/Pages/[^"]+\\.aspx', ("/portal/pages/", False, True)),
        ('_ctl00_pn(?:Nguontin|Hide)"', ("_ctl00_pn", False, True)),
        ("x(?:ab|cd)yz", ("yz", False, False)),
        ("abc?de", ("ab", False, True)),
        ("a?bcd", ("bcd", False, False)),
        ("ab*cde", ("cde", False, False)),
        ("ab+cd", ("ab", False, True)),
        ("ab{2}cde", ("cde", False, False)),
        ("ab{2,}cde", ("cde", False, False)),
        ("[abc]def", ("def", False, False)),
        ("[]x]yz|", ("", False, False)),
        ("[^]|]yz", ("yz", False, False)),
        ("(a|[)]b)cd", ("cd", False, False)),
        ("ab\\dcd", ("ab", False, True)),
        ("x.yz$", ("yz", False, False)),
        ("abc|d", ("", False, False)),
        ("(?i)abc", ("", False, False)),
        ("ab\\x27cd", ("", False, False)),
        ("(a)\\1bc", ("", False, False)),
        ("ab{cd", ("", False, False)),
        ("ab{}", ("", False, False)),
        ("ĐàNang", ("nang", False, False)),
        ("", ("", True, False)),
    ],
)
def test_required_literal(pattern: str, expected: tuple[str, bool, bool]) -> None:
    assert required_literal(pattern) == expected


def test_required_literal_is_required_fuzz() -> None:
    """Random patterns over a small grammar: the pre-check never changes a search's answer."""
    rng = random.Random(7)
    atoms = [
        "a",
        "b",
        "B",
        "i",
        "k",
        "\\.",
        ".",
        "[ab]",
        "[^a]",
        "\\w",
        "(?:ab|b)",
        "(?!a)",
        "\\b",
        "-",
    ]
    quantifiers = ["", "", "", "?", "*", "+", "{2}", "{0,1}"]
    for _ in range(3000):
        parts = [rng.choice(atoms) + rng.choice(quantifiers) for _ in range(rng.randint(1, 6))]
        pattern = "".join(parts) if rng.random() > 0.05 else "|".join(parts)
        try:
            re.compile(pattern)
        except re.error:  # "\\b?", "(?!a)*": nothing to repeat
            continue
        for _ in range(5):
            text = "".join(rng.choice("aAbBiIkK.-_ \u0131\u212a") for _ in range(rng.randrange(30)))
            plain = re.search(pattern, text, re.IGNORECASE) is not None
            assert _html_score([pattern], text, _lowered(text)) == plain, (pattern, text)
            lowered = _lowered(text)
            if plain and lowered is not None:
                assert required_literal(pattern)[0].encode() in lowered, (pattern, text)


def test_case_traps_cover_every_case_alias_of_ascii() -> None:
    """Outside _CASE_TRAPS, lowercasing keeps indices and makes no ASCII letter that
    ``re.IGNORECASE`` would not equate with the same character."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        c
        for c in map(chr, range(0x80, 0x110000))
        if letter.match(c) or len(c.lower()) != 1 or c.lower().isascii()
    }
    assert odd <= set(_CASE_TRAPS)


def test_pre_check_bytes_stand_for_other_letters_only_where_the_regex_says_so() -> None:
    """The pre-check searches Latin-1 bytes where any other character is "?": a literal
    holding "?" found there is confirmed by the regex, and indices stay those of the text."""
    pattern = r"Default\.aspx\?sname="
    assert required_literal(pattern) == ("default.aspx?sname=", True, True)
    for text, plain in [
        ("x Default.aspxạsname=y", 0),
        ("Đà DEFAULT.ASPX?sname=", 1),
        ("ạạ default.aspxạsname= default.aspx?SNAME=", 1),
        ("ạ", 0),
    ]:
        assert _html_score([pattern], text, _lowered(text)) == plain, text
    text = "Hội nghị <div class='portlet-boundary'> Liferay "
    lowered = _lowered(text)
    assert lowered is not None and len(lowered) == len(text)
    assert lowered.index(b"portlet-boundary") == text.index("portlet-boundary")
    assert _html_score(["var Liferay\\s*=", "Portlet-Boundary", "Hội"], text, lowered) == 2


def test_every_html_fingerprint_has_a_literal_to_pre_check() -> None:
    """A pattern with no required literal is searched as a regex over every page (a 50 KB
    scan each time, whatever family the page is): keep a plain run of 3 or more characters
    in every ``html`` and ``platform`` fingerprint (a top-level ``|`` loses it)."""
    short = [
        (p.id, pattern)
        for p in PROFILES.values()
        if p.kind == "cms"
        for pattern in (*p.detect.html, *p.detect.platform)
        if len(required_literal(pattern)[0]) < 3
    ]
    assert short == []


def test_detection_over_the_decoded_text_scores_as_over_the_parsed_page() -> None:
    """``extract_article`` and ``extract`` detect over the text the page was parsed from
    (``page_source``), not the parsed page serialised again: every fixture page, listing and
    mini-portal page scores the same for every profile both ways."""
    pages = sorted(FIXTURES.rglob("*.html"))
    assert len(pages) > 150
    for page in pages:
        meta_file = page.parent / "meta.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        url = meta.get("url", "https://xa.example.gov.vn/tin-tuc/bai-viet.html")
        sel, text = page_source(page.read_bytes(), meta.get("content_type"))
        serialised = sel.get()
        for profile in PROFILES.values():
            assert fingerprint_score(profile, text, url) == fingerprint_score(
                profile, serialised, url
            ), (page, profile.id)
