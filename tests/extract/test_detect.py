"""CMS-family detection: every saved page and listing is recognised as its own family.

``detect_family`` scores each CMS profile's ``[detect]`` fingerprints (raw-HTML and URL regexes)
and returns the best family reaching its ``min_score``. Site fixtures (``meta.profile`` is a site
id such as ``nd-giaothuy``) are mapped to their family through the loaded profile's ``cms``.
"""

from __future__ import annotations

import pytest

from crawler.extract import choose_profile
from crawler.extract.detect import detect_family, fingerprint_score
from crawler.extract.pages import decode_html
from crawler.profiles import load_profiles
from tests.fixture_cases import Case, load_cases

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
def test_every_family_has_fixtures(family: str):
    pages = [c for c in CASES if c.path.parent.parent.name == "pages" and family_of(c) == family]
    listings = [c for c in CASES if c.path.parent.parent.name == "listings" and family_of(c) == family]
    assert len(pages) >= 1 if family in NO_LISTING_YET else len(pages) >= 2
    assert listings or family in NO_LISTING_YET


@pytest.mark.parametrize("case", CASES, ids=[f"{c.path.parent.parent.name}/{c.id}" for c in CASES])
def test_fixture_detected_as_its_family(case: Case):
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
def test_no_other_family_ties(case: Case):
    """The winner is strict: a tie would be decided by file order, not by evidence."""
    html, url = html_of(case), case.meta["url"]
    own = fingerprint_score(PROFILES[family_of(case)], html, url)
    others = [fingerprint_score(PROFILES[f], html, url) for f in FAMILIES if f != family_of(case)]
    assert own > max(others)


def test_plain_page_is_no_family():
    assert detect_family(PROFILES, PLAIN_PAGE, "https://phobien.example.vn/thuc-don") is None


def test_url_alone_is_not_enough():
    # one URL fingerprint (score 1) stays below every family's min_score of 2
    assert detect_family(PROFILES, "<html><body>x</body></html>", "https://x.gov.vn/vi/news/") is None
