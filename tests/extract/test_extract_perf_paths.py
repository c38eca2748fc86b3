"""The extraction fast paths (benchmarks/extract_speed.py) give what the plain paths give.

Each fast path is checked against the slower form it replaces, on every saved page (and on
made-up edge cases): the CSS translation (crawler/extract/css.py), the class-led rule form,
the site-statistics heading search and its short-circuit, the decoding and parsing shortcut,
NFC in pieces, whitespace collapsing and the Haystack string search.
"""

from __future__ import annotations

import contextlib
import random
import re
import unicodedata
from typing import Any

import pytest
from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from w3lib.encoding import html_to_unicode

from crawler.extract import choose_profile, extract_article
from crawler.extract.body import ALWAYS_REMOVE
from crawler.extract.css import CLASSED, plan
from crawler.extract.legacy_encodings import legacy_decode
from crawler.extract.pages import _SINGLE_BYTE_LATIN, decode_html, repaired_encoding, selector_for
from crawler.extract.selectors import PageNodes
from crawler.extract.site_stats import (
    _HEADING_XPATH,
    extract_site_stats,
    find_headings,
    may_have_heading,
)
from crawler.extract.text import Haystack, collapse_space, nfc, to_nfc
from crawler.profiles import load_profiles
from tests.fixture_cases import Case, load_cases

PAGES = load_cases("pages")
CASES = [*PAGES, *load_cases("listings")]
PARSEL = HTMLTranslator()
EXTRA_CSS = [
    "div > p.x",
    ".a > .b .c::text",
    "td > .x::text",
    "#a .b",
    "[id] > [class]",
    ".x > li:first-child",
    "p:not(.a) .b",
    "div .b + .c",
    "li.x:last-child > a",
    "tr > td.menu a::attr(href)",
    ".a *::attr(href)",
    "div[class*='news'] span",
    "[class^='tandan'] p",
    "[class|='td']",
    "div[class*='A' i] p",
    ":is(.a, .b) p",
    "div:has(> p.x)",
    "p, .b > a",
    ":scope > div",
    "p:nth-child(2)",
    "*",
]


def _profile_css() -> list[str]:
    found: set[str] = {ALWAYS_REMOVE, *EXTRA_CSS}
    for profile in load_profiles().values():
        rules = [*profile.article.model_dump().values(), *profile.listing.model_dump().values()]
        found.update(r["css"] for r in rules if isinstance(r, dict) and r.get("css"))
        found.update([*profile.article.body, *profile.article.body_remove, *profile.site_stats.css])
        found.add(profile.article.byline.css)
    return sorted(found)


CSS = _profile_css()


def _root(case: Case) -> Any:
    return selector_for(case.body, case.meta.get("content_type")).root


def _same(got: list[Any], want: list[Any]) -> bool:
    return len(got) == len(want) and all(g is w or g == w for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_keyed_and_classed_css_select_what_parsel_selects(case: Case) -> None:
    root = _root(case)
    containers = [root, *list(root.iter("div", "article", "td"))[:15]]
    for css in CSS:
        want_xpath = etree.XPath(PARSEL.css_to_xpath(css))
        rule = plan(css, None)
        for context in containers:
            assert _same(etree.XPath(rule.xpath)(context), want_xpath(context)), css
        if rule.classed is not None:
            classed = PageNodes(root).classed(rule.tokens)
            got = etree.XPath(rule.classed)(root, **{CLASSED: classed})
            assert _same(got, want_xpath(root)), css


def test_only_plain_first_compounds_are_keyed() -> None:
    assert plan(":scope > div", None).xpath == PARSEL.css_to_xpath(":scope > div")
    assert plan("li + li.x", None).xpath == PARSEL.css_to_xpath("li + li.x")
    assert plan("div[class*='x' i]", None).classed is None
    assert plan(".a, #b", None).tokens == ("a",)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_heading_search_finds_what_the_xpath_finds(case: Case) -> None:
    root = _root(case)
    want = etree.XPath(_HEADING_XPATH)(root)
    assert _same(find_headings(root), want)
    if not may_have_heading(root):
        assert want == []


@pytest.mark.parametrize(
    "html",
    [
        "<div><p>Thống kê truy cập</p><b>THỐNG KÊ TRUY CẬP</b></div>",  # two headings
        "<div>Lượt truy cập<!-- x --><i>y</i>Số lượng truy cập</div>",  # two text nodes, one parent
        "<style>TRUY CẬP THỐNG KÊ</style><p>truy cập</p>",  # in a style: no element
        "<p>Thống kê</p><p>truy cập</p>",  # the two words in different text nodes
    ],
)
def test_heading_search_edge_cases(html: str) -> None:
    root = Selector(text=html, type="html").root
    assert _same(find_headings(root), etree.XPath(_HEADING_XPATH)(root))


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.id)
def test_site_stats_short_circuit_keeps_every_widget(case: Case) -> None:
    """Every saved widget is still found (through its heading: the short-circuit lets it by)."""
    data = extract_article(
        case.body, case.meta["url"], case.meta.get("profile"), case.meta.get("content_type")
    )
    profile = choose_profile("", case.meta["url"], case.meta.get("profile")).profile
    expected = case.expected.get("site_stats")  # not given: the page has no widget
    assert data.site_stats == expected
    if not profile.site_stats.css and expected is not None:  # found through its heading
        assert may_have_heading(_root(case))


def test_site_stats_short_circuit() -> None:
    no_heading = Selector(text="<div>Hôm nay: 5<br>Tổng: 1.204</div>", type="html")
    assert not may_have_heading(no_heading.root)
    assert extract_site_stats(no_heading, []) is None
    widget = Selector(
        text="<div><h3>Thống kê truy cập</h3><p>Hôm nay: 5</p><p>Tổng: 1.204</p></div>", type="html"
    )
    assert may_have_heading(widget.root)
    assert extract_site_stats(widget, []) == {
        "online": None,
        "today": 5,
        "yesterday": None,
        "week": None,
        "month": None,
        "total": 1204,
    }


EDGE_BODIES = [
    b"",
    b"  ",
    b"\xc2\xa0<p>x</p>\xc2\xa0",
    b"\x1c<p>x</p>",
    b"<p>a\x00b</p>",
    b"\xef\xbb\xbf<p>bom</p>",
    b"<p>\xff bad</p>",
    b"<p>e\xcc\x81 \xe2\x84\xa6</p>",
    b"<p>\xcd\xb0 Greek, no mark</p>",
    b'<meta charset="cp1252"><p>\xc3\xa9</p>',
    b"<p>\xef\xbf\xbd</p>",
    b"\n<html><body><p>\xe3\x80\x80</p></body></html>\xe3\x80\x80",
    b"<p>\xe0\xcc\x80 mark after a broken lead byte</p>",
]
COMBINING = re.compile("[\u0300-\u036f]")


def _old_decode(body: bytes, content_type: str | None) -> str:
    """decode_html before the byte-level fast paths (a mislabelled windows-1258 or TCVN3 page
    is read as what it is: crawler/extract/legacy_encodings.py)."""
    repair = repaired_encoding(body, content_type)
    if repair is not None:
        return unicodedata.normalize("NFC", legacy_decode(body, repair))
    encoding, text = html_to_unicode(content_type, body)
    normalized = encoding.lower().replace("_", "-")
    if normalized.startswith(_SINGLE_BYTE_LATIN) and any(b > 0x7F for b in body[:65536]):
        with contextlib.suppress(UnicodeDecodeError):
            text = body.decode("utf-8")
    return unicodedata.normalize("NFC", text) if COMBINING.search(text) else text


@pytest.mark.parametrize("body", [c.body for c in CASES] + EDGE_BODIES)
@pytest.mark.parametrize("content_type", [None, "text/html; charset=windows-1252"])
def test_decoding_and_parsing_shortcuts(body: bytes, content_type: str | None) -> None:
    text = decode_html(body, content_type)
    assert text == _old_decode(body, content_type)
    want = Selector(text=text or "<html></html>", type="html")
    assert etree.tostring(selector_for(body, content_type).root) == etree.tostring(want.root)


def test_nfc_in_pieces_is_nfc() -> None:
    rng = random.Random(1)
    alphabet = [
        *"abc <>\n",
        "\u0301",
        "\u0323",
        "\u0302",
        "Ơ",
        "\u2126",
        "\u1100",
        "\u1161",
        "\uf900",
    ]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
        assert nfc(text) == unicodedata.normalize("NFC", text)
        assert to_nfc(text) == (
            unicodedata.normalize("NFC", text) if COMBINING.search(text) else text
        )


def test_collapse_space_is_the_regex() -> None:
    spaces = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
    text = f"{spaces}a{spaces}b \u00a0c{spaces}"
    assert collapse_space(text) == re.sub(r"\s+", " ", text).strip() == "a b c"


def test_haystack_finds_every_string_holding_a_needle() -> None:
    rng = random.Random(2)
    for _ in range(2000):
        strings = [
            "".join(rng.choice("ab c") for _ in range(rng.randint(0, 6)))
            for _ in range(rng.randint(0, 8))
        ]
        needles = [
            "".join(rng.choice("ab c") for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(0, 3))
        ]
        want = [i for i, s in enumerate(strings) if any(n in s for n in needles)]
        assert Haystack(strings).holding(needles) == want
