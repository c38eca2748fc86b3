"""The layout-free reader's fast paths give what the straightforward forms give.

``read_page`` is one tight loop over lxml events (benchmarks/extract_speed.py, no-profile
column); here it is checked against the walker it replaced, kept below as the reference, on
every saved page and on random trees full of the traps the walk must handle (hidden and
skipped subtrees with tails, chrome by tag, role, class and id, nested links and blocks, lazy
and digit images, entities, invisible and decomposed characters).
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html

from crawler.extract.body import BLOCK_TAGS, IMAGE_TAGS, image_src
from crawler.extract.icons import is_icon
from crawler.extract.layoutfree.blocks import (
    CHROME_ROLES,
    CHROME_TAGS,
    SKIP_TAGS,
    PageText,
    _chrome_element,
    _chrome_words,
    _hidden_class,
    heading_button,
    inactive_tab,
    read_page,
)
from crawler.extract.pages import selector_for
from crawler.extract.text import join_pieces, normalize_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(FIXTURES.glob("**/*.html"))
_LINK_CLASSES = {"lienket", "lien-ket", "lien_ket", "link"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# --- the reference: the walker read_page replaced, as it was ---------------------------------


def _ref_hidden(el: Any) -> bool:
    attrib = el.attrib
    if not attrib:
        return False
    if "hidden" in attrib or (attrib.get("aria-hidden") == "true" and el.tag in BLOCK_TAGS):
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = attrib.get("class")
    return (bool(cls) and _hidden_class(cls)) or inactive_tab(el)


def _ref_chrome(el: Any, tag: str) -> bool:
    if tag in CHROME_TAGS or _chrome_element(tag):
        quoting = el.getparent() is not None and el.getparent().tag in ("blockquote", "figure")
        before, after = el.getprevious(), el.getnext()
        story = ("p", "figure", "blockquote", "table", "ul", "ol")
        boxed = (
            before is not None
            and after is not None
            and "p" in (before.tag, after.tag)
            and before.tag in story
            and after.tag in story
        )
        return not ((tag == "footer" and quoting) or (tag == "aside" and boxed))
    if tag == "header":
        return el.getparent() is not None and not any(
            a.tag in ("article", "main") for a in el.iterancestors()
        )
    attrib = el.attrib
    if not attrib:
        return False
    if (attrib.get("role") or "").lower() in CHROME_ROLES:
        return True
    cls = attrib.get("class") or ""
    if tag == "a":  # a link's own "lienket" / "link" class only says it is a link
        cls = " ".join(w for w in cls.split() if w.lower() not in _LINK_CLASSES)
    words = f"{cls} {attrib.get('id') or ''}"
    return not words.isspace() and _chrome_words(words)


def reference_read_page(  # noqa: C901 (the old walk, kept as written to compare against)
    root: Any,
) -> tuple[list[tuple[Any, ...]], dict[Any, tuple[int, int]], list[tuple[Any, bool]]]:
    blocks: list[tuple[Any, ...]] = []
    spans: dict[Any, tuple[int, int]] = {}
    anchors: list[tuple[Any, bool]] = []
    buf: list[str] = []
    link_buf: list[int] = []
    links: list[Any] = []
    images: list[tuple[str, Any]] = []

    def flush(owner: Any, chrome: bool) -> None:
        if not buf and not images:
            return
        text = normalize_text(join_pieces(buf)) or ""  # no space before a glued comma
        if text or images:
            blocks.append(
                (
                    len(blocks),
                    text,
                    owner,
                    min(len(text), sum(link_buf)),
                    list(links),
                    list(images),
                    chrome,
                )
            )
        buf.clear()
        link_buf.clear()
        links.clear()
        images.clear()

    def add(text: str | None, in_link: bool) -> None:
        if text and not text.isspace():
            buf.append(text)
            if in_link:
                link_buf.append(len(" ".join(text.split())))

    owners: list[tuple[Any, bool]] = [(root, False)]
    chrome_depth = [False]
    link_depth = 0
    starts: dict[Any, int] = {}
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "comment":  # the text after a comment is read (it once was lost)
            add(node.tail, link_depth > 0)
            continue
        if event == "start":
            if tag is None or (tag in SKIP_TAGS and not heading_button(node)) or _ref_hidden(node):
                walker.skip_subtree()
                if tag is not None and tag not in ("head",):
                    add(node.tail, link_depth > 0)
                continue
            chrome = chrome_depth[-1] or _ref_chrome(node, tag)
            chrome_depth.append(chrome)
            if tag in BLOCK_TAGS:
                flush(*owners[-1])
                owners.append((node, chrome))
            starts[node] = len(blocks)
            if tag == "a":
                if node.get("href"):
                    anchors.append((node, chrome))
                    links.append(node)
                link_depth += 1
            elif tag in IMAGE_TAGS:
                url = image_src(node)
                if url and not is_icon(node):  # pictograms are no photos (session 6)
                    images.append((url, node))
                alt = (node.get("alt") or "").strip()
                if alt.isdigit() and len(alt) <= 3:
                    add(alt, link_depth > 0)
            add(node.text, link_depth > 0)
            continue
        if tag is None or node not in starts:
            continue
        if tag == "a":
            link_depth -= 1
        if tag in BLOCK_TAGS:
            flush(*owners[-1])
            owners.pop()
        chrome_depth.pop()
        spans[node] = (starts[node], len(blocks))
        add(node.tail, link_depth > 0)
    flush(*owners[-1])
    return blocks, spans, anchors


def _shape(
    page: PageText,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, tuple[int, int]]], list[tuple[Any, bool]]]:
    blocks = [
        (b.index, b.text, b.element, b.link_chars, b.links, b.images, b.chrome) for b in page.blocks
    ]
    for b in page.blocks:
        assert b.link_density == (b.link_chars / len(b.text) if b.text else 0.0)
    return blocks, list(page.spans.items()), page.anchors


def _same(root: Any) -> None:
    keep = list(root.iter())  # noqa: F841 - one proxy per element, so both walks see the same objects
    got = _shape(read_page(root))
    blocks, spans, anchors = reference_read_page(root)
    assert got[0] == blocks
    assert got[1] == list(spans.items())  # same spans, in the same (post-)order
    assert got[2] == anchors


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_read_page_matches_the_reference_on_saved_pages(path: Path) -> None:
    _same(selector_for(path.read_bytes()).root)


# --- random trees -----------------------------------------------------------------------------

TAGS = [
    "div",
    "p",
    "span",
    "a",
    "a",
    "img",
    "br",
    "ul",
    "li",
    "table",
    "td",
    "h1",
    "h2",
    "header",
    "nav",
    "footer",
    "aside",
    "article",
    "main",
    "strong",
    "b",
    "em",
    "font",
    "section",
    "script",
    "style",
    "noscript",
    "select",
    "option",
    "button",
    "iframe",
    "hr",
    "figure",
    "figcaption",
    "form",
    "label",
    "input",
    "textarea",
    "center",
]
CLASSES = [
    "",
    "content",
    "menu",
    "main-menu",
    "news-menu-item",
    "sidebar",
    "hidden",
    "d-none",
    "Hidden",
    "ArticleHeader",
    "share-bar",
    "social_links",
    "item",
    "col-md-8",
    "footer-x",
    "breadcrumb",
    "ads",
    "header",
    "news",
    "print",
    "top-bar",
    "sr-only",
    "tin-tuc",
]
TEXTS = [
    "",
    " ",
    "\n\t ",
    "Tin tức",
    "Hội nghị tổng kết",
    "a &amp; b",
    "Tho\u0302ng ba\u0301o",
    "zero\u200bwidth",
    "\u00a0",
    "12/03/2024",
    "7",
    "Lượt xem: 137",
    "x" * 90,
]


def _random_tree(rng: random.Random, depth: int = 0) -> str:
    if depth > 6 or rng.random() < 0.2:
        return rng.choice(TEXTS)
    tag = rng.choice(TAGS)
    attrs = []
    if rng.random() < 0.6:
        attrs.append(f'class="{" ".join(rng.sample(CLASSES, rng.randint(1, 2)))}"')
    if rng.random() < 0.2:
        attrs.append(f'id="{rng.choice(CLASSES) or "x"}"')
    if rng.random() < 0.08:
        attrs.append(
            rng.choice(
                [
                    'style="display: none"',
                    'style="color:red"',
                    "hidden",
                    'style="VISIBILITY:hidden"',
                ]
            )
        )
    if rng.random() < 0.08:
        attrs.append(f'role="{rng.choice(["navigation", "main", "Banner", "search"])}"')
    if tag == "a" and rng.random() < 0.8:
        attrs.append(f'href="/tin/{rng.randint(1, 5)}.html"')
    if tag == "img":
        attrs.append(
            rng.choice(
                [
                    'src="/a.jpg"',
                    'data-src="/b.jpg" src="data:x"',
                    'alt="4"',
                    'alt=" 12 "',
                    'src=" "',
                    'data-original="/c.png"',
                    'src="/images/icon_eye.png"',
                    'src="/d.jpg" width="14"',
                ]
            )
        )
    if tag in ("img", "br", "hr", "input"):
        return f"<{tag} {' '.join(attrs)}>{rng.choice(TEXTS)}"
    inner = "".join(_random_tree(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    comment = "<!-- c -->" if rng.random() < 0.1 else ""
    return (
        f"<{tag} {' '.join(attrs)}>{rng.choice(TEXTS)}{inner}{comment}</{tag}>{rng.choice(TEXTS)}"
    )


@pytest.mark.parametrize("seed", range(300))
def test_read_page_matches_the_reference_on_random_trees(seed: int) -> None:
    rng = random.Random(seed)
    body = "".join(_random_tree(rng) for _ in range(rng.randint(1, 6)))
    _same(selector_for(f"<html><head><title>t</title></head><body>{body}</body></html>").root)


# --- the parse ---------------------------------------------------------------------------------


def test_selector_for_gives_html_elements_and_leaves_lxml_html_alone() -> None:
    page = b"<html><body><form><input name='q'></form><p class='x'>a</p><!-- c --></body></html>"
    root = selector_for(page).root
    assert all(isinstance(el, lxml_html.HtmlElement) for el in root.iter("form", "input", "p"))
    assert root.cssselect("p.x")[0].text_content() == "a"
    # lxml.html's own parser keeps its form classes
    assert isinstance(lxml_html.fromstring(page).find(".//form"), lxml_html.FormElement)


# --- case-insensitive patterns and digit-led regexes ------------------------------------------

ORIGINALDATE_SHAPE = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"
    r"|(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(?!\d)"
    r"|(?<!\d)\d{1,2}\s+tháng\s+\S+(?:\s+\S+)?\s*,?\s+(?:năm\s+)?\d{4}",
    re.IGNORECASE,
)
ORIGINAL_VIEWS_AFTER = re.compile(
    r"(?<![\d:/])(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\d:/])\s+(?:lượt\s+xem|lượt\s+đọc|views)\b",
    re.IGNORECASE,
)


def _caseless_patterns() -> list[Any]:
    from crawler.extract.layoutfree import article, headline, listing, meta
    from crawler.extract.layoutfree.caseless import Caseless

    return [
        v
        for m in (article, headline, listing, meta)
        for v in vars(m).values()
        if isinstance(v, Caseless)
    ]


CASELESS = _caseless_patterns()
PIECES = [
    "sapo",
    "SUMMARY",
    "Title",
    "tieu-de",
    "ADMIN",
    "admin Admin",
    "Ban Biên Tập",
    "ban bien tap",
    "test TEST",
    "Super User",
    " 1.234 lượt xem",
    "12 LƯỢT ĐỌC",
    "5 Views",
    "ITALIC",
    "center",
    "Cổng Thông Tin",
    "UBND",
    "Ủy ban",
    "UỶ BAN",
    ".PDF",
    "/Tag/",
    "?q=",
    "Current",
    "is-active",
    "fa-eye",
    "_",
    "1",
    "12",
    "2024",
    "123",
    "03",
    "/",
    ".",
    "-",
    ",",
    ":",
    " ",
    "  ",
    "T",
    "tháng",
    "THÁNG",
    "năm",
    "Năm",
    "ba",
    "x",
    "lượt xem",
    "LƯỢT XEM",
    "Lượt đọc",
    "views",
    "VİEWS",
    "Số",
    "Ngày đăng",
    "ngay",
    "Đã xem",
    "Hits",
    "hıts",
    "Hiſts",
    "ΣΑΣ",
    "İ",
    "1.234",
    "08:15",
    "Lượt truy cập bài",
    "Posted",
    "\u00a0",
    "đ",
    "Đ",
    "Cập nhật",
    "(",
    ")",
    "|",
]


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))


def _spans(found: re.Match[str] | None) -> Any:
    return None if found is None else (found.span(), found.groups())


def test_caseless_traps_are_every_letter_ignorecase_equates_differently() -> None:
    from crawler.extract.layoutfree.caseless import TRAPS

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyzăâđêôơưáàảãạốồổỗộớờởỡợứừửữự":
        for c in re.findall(re.escape(letter), everything, re.IGNORECASE):
            assert c in TRAPS or c.lower() == letter, (letter, c)


@pytest.mark.parametrize("seed", range(40))
def test_caseless_and_digit_led_patterns_match_like_the_plain_regexes(seed: int) -> None:
    from crawler.extract.layoutfree.caseless import Caseless
    from crawler.extract.layoutfree.meta import DATE_LABEL, DATE_SHAPE, VIEWS, VIEWS_AFTER

    rng = random.Random(seed)
    pairs = [(DATE_SHAPE, ORIGINALDATE_SHAPE), (VIEWS_AFTER.regex, ORIGINAL_VIEWS_AFTER)]
    caseless = [p for p in (DATE_LABEL, VIEWS, VIEWS_AFTER) if isinstance(p, Caseless)]
    caseless += CASELESS
    assert all(p._fast is not None for p in caseless)
    for _ in range(200):
        text = _random_text(rng)
        for new, old in pairs:
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]
            assert _spans(new.search(text)) == _spans(old.search(text)), text
        for pattern in caseless:
            plain = re.compile(pattern.pattern, re.IGNORECASE)
            assert _spans(pattern.search(text)) == _spans(plain.search(text)), text
            assert _spans(pattern.match(text)) == _spans(plain.match(text)), text


def test_caseless_falls_back_for_patterns_it_cannot_lower() -> None:
    from crawler.extract.layoutfree.caseless import Caseless

    assert Caseless(r"\x41bc")._fast is None  # \x41 is "A"
    assert Caseless(r"\x41bc").search("xabc") is not None
    assert Caseless("ſ")._fast is None
    found = Caseless(r"\S+ Xem").search("lượt XEM")
    assert found is not None and found.group(0) == "lượt XEM"  # \S stays \S


# --- folding for word matching ----------------------------------------------------------------

_WORDS = re.compile(r"[a-z0-9]+")


def test_fold_ascii_gives_the_words_fold_diacritics_gives() -> None:
    from crawler.extract.text import fold_ascii, fold_ascii_many, fold_diacritics

    rng = random.Random(7)
    # every Latin, combining, Greek, Cyrillic, punctuation and letter-like code point, and a
    # random sample of the rest, each alone and between letters
    chosen = [
        *range(0x80, 0x2200),
        *range(0x1E00, 0x1F00),
        *range(0xFF00, 0xFF70),
        *rng.sample(range(0x2200, 0x110000), 20_000),
    ]
    chars = [chr(c) for c in chosen if not 0xD800 <= c <= 0xDFFF]
    for c in chars:
        for text in (c, f"a{c}b", f"Hộ{c}i"):
            assert _WORDS.findall(fold_ascii(text)) == _WORDS.findall(fold_diacritics(text)), text
    texts = [
        "".join(rng.choice(chars[:3000] + list("aăâđêôơư ĐÔ-–“”1")) for _ in range(30))
        for _ in range(300)
    ]
    assert [_WORDS.findall(f) for f in fold_ascii_many(texts)] == [
        _WORDS.findall(fold_diacritics(t)) for t in texts
    ]
    assert fold_ascii("Hội nghị – Đảng ủy") == "hoi nghi   dang uy"


def test_byline_candidates_skip_a_last_block_that_cannot_be_a_byline() -> None:
    """article._byline calls byline_candidates only when the last block may be a byline, and
    with the last ``max_lines`` blocks: what byline_candidates reads itself."""
    from crawler.extract.body import Block as BodyBlock
    from crawler.extract.body import byline_candidates
    from crawler.extract.byline import MAX_BYLINE_CHARS
    from crawler.extract.layoutfree.article import BYLINE

    root = lxml_html.fromstring('<div><p align="right">x</p></div>')
    p = root.find("p")
    short = BodyBlock("Nguồn: Báo Nam Định", p, [])
    for last in (
        BodyBlock("x" * (MAX_BYLINE_CHARS + 1), p, []),
        BodyBlock("", p, []),
        BodyBlock("Ảnh", p, ["/a.jpg"]),
    ):
        assert byline_candidates([short, short, last], root, BYLINE) == 3
    tail = [short] * (BYLINE.max_lines + 3)
    assert byline_candidates(tail, root, BYLINE) == 3  # reads max_lines blocks from the end
