"""One pass over a page: its visible text as blocks, with links, images and region flags (pure).

A *block* is the text between two block-level tags (a paragraph, a list item, a table cell),
as a reader sees it. Each block knows how much of its text is link text, which images it holds,
the element that owns it, and whether it sits in page chrome (navigation, header, footer,
sidebars, breadcrumbs, share bars: told by tag, by class/id words and by ARIA roles). Hidden
elements (``display:none``, ``hidden``, ``.hidden``/``.d-none``; admin menus) are skipped with
their subtree, like scripts. Everything later (headline, article block, date, views, listing
groups) is read from these blocks, so the whole page is walked once: linear in its size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from crawler.extract.body import BLOCK_TAGS, IMAGE_ATTRS
from crawler.extract.text import normalize_text

Element = Any  # an lxml element

SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "select",
        "option",
        "button",
        "svg",
        "iframe",
        "object",
        "textarea",
        "input",
        "map",
    ]
)
HIDDEN_CLASSES = frozenset(["hidden", "d-none", "hide", "invisible", "sr-only", "visually-hidden"])
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
CHROME_TAGS = frozenset(["nav", "aside", "footer"])
CHROME_ROLES = frozenset(
    ["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"]
)
# class/id words of page chrome; words that name content ("article", "news", "content",
# "detail", "list", "title") never count, so "ArticleHeader" or "news-menu-item" stay content
_CHROME_WORD = re.compile(
    r"^(?:\w*menu\w*|nav|navbar|navigation|\w*sidebar\w*|\w*footer\w*|breadcrumbs?|banner|topbar"
    r"|top-bar|copyright|login|dang-?nhap|search|tim-?kiem|ads?|advert\w*|quang-?cao|marquee"
    r"|social\w*|share\w*|sharing|toolbar|print|weblinks?|lien-?ket(?:-?web\w*)?|header|site-header"
    r"|page-header-top|sidebox)$"
)
_CONTENT_WORD = re.compile(
    r"article|news|content|detail|list|title|tin-?tuc|bai-?viet|post|entry|item"
)
_SPLIT = re.compile(r"[\s]+")
MAX_TOKEN = 40


@dataclass
class Block:
    """A run of visible text (and images) between two block-level tags."""

    index: int
    text: str
    element: Element  # the block-level element that owns the text
    link_chars: int = 0
    links: list[Element] = field(default_factory=list)  # the <a> elements whose text is here
    images: list[tuple[str, Element]] = field(default_factory=list)  # (url, <img>)
    chrome: bool = False  # inside navigation, header, footer, sidebar or a share bar

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@cache
def _chrome_token(token: str) -> bool:
    if len(token) > MAX_TOKEN or _CONTENT_WORD.search(token):
        return False
    return bool(_CHROME_WORD.match(token))


@cache
def _chrome_words(words: str) -> bool:
    """Whether a class/id value (``"class id"``) names page chrome (cached: pages repeat them)."""
    return any(_chrome_token(t.replace("_", "-")) for t in _SPLIT.split(words.lower()) if t)


@cache
def _hidden_class(cls: str) -> bool:
    return any(t in HIDDEN_CLASSES for t in cls.lower().split())


def is_hidden(el: Element) -> bool:
    attrib = el.attrib
    if not attrib:
        return False
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = attrib.get("class")
    return bool(cls) and _hidden_class(cls)


def is_chrome(el: Element, tag: str) -> bool:
    if tag in CHROME_TAGS:
        return True
    if tag == "header":
        return el.getparent() is not None and not any(
            a.tag in ("article", "main") for a in el.iterancestors()
        )
    attrib = el.attrib
    if not attrib:
        return False
    if (attrib.get("role") or "").lower() in CHROME_ROLES:
        return True
    words = f"{attrib.get('class') or ''} {attrib.get('id') or ''}"
    return not words.isspace() and _chrome_words(words)


def image_url(img: Element) -> str | None:
    """The real source of an image: lazy-load attributes before ``src``, no ``data:`` URIs."""
    for attr in IMAGE_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


@dataclass
class PageText:
    """The blocks of a page, in document order, and where each element's blocks are."""

    blocks: list[Block]
    # element -> (first block index, one past the last) of the blocks inside it
    spans: dict[Element, tuple[int, int]]
    anchors: list[tuple[Element, bool]]  # every visible <a href>, and whether it is in chrome

    def inside(self, el: Element) -> list[Block]:
        start, end = self.spans.get(el, (0, 0))
        return self.blocks[start:end]


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.spans: dict[Element, tuple[int, int]] = {}
        self.anchors: list[tuple[Element, bool]] = []
        self.buf: list[str] = []
        self.link_buf: list[int] = []  # lengths of link text pieces
        self.links: list[Element] = []
        self.images: list[tuple[str, Element]] = []

    def flush(self, owner: Element, chrome: bool) -> None:
        if not self.buf and not self.images:
            return
        raw = " ".join(self.buf)
        text = normalize_text(raw) or ""
        if text or self.images:
            link_chars = min(len(text), sum(self.link_buf))
            self.blocks.append(
                Block(
                    len(self.blocks),
                    text,
                    owner,
                    link_chars,
                    list(self.links),
                    list(self.images),
                    chrome,
                )
            )
        self.buf.clear()
        self.link_buf.clear()
        self.links.clear()
        self.images.clear()

    def add(self, text: str | None, in_link: bool) -> None:
        if text and not text.isspace():
            self.buf.append(text)
            if in_link:
                self.link_buf.append(len(" ".join(text.split())))


def read_page(root: Element) -> PageText:
    """Walk ``root`` once (iteratively: deep pages cannot exhaust the stack)."""
    w = _Walker()
    owners: list[tuple[Element, bool]] = [(root, False)]
    chrome_depth: list[bool] = [False]
    link_depth = 0
    starts: dict[Element, int] = {}
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else None  # lxml.html lowercases tags
        if event == "start":
            if tag is None or tag in SKIP_TAGS or is_hidden(node):
                walker.skip_subtree()
                if tag is not None and tag not in ("head",):
                    # the subtree is skipped; its tail still belongs to the text around it
                    w.add(node.tail, link_depth > 0)
                continue
            chrome = chrome_depth[-1] or is_chrome(node, tag)
            chrome_depth.append(chrome)
            if tag in BLOCK_TAGS:
                w.flush(*owners[-1])
                owners.append((node, chrome))
            starts[node] = len(w.blocks)
            if tag == "a":
                if node.get("href"):
                    w.anchors.append((node, chrome))
                    w.links.append(node)
                link_depth += 1
            elif tag == "img":
                url = image_url(node)
                if url:
                    w.images.append((url, node))
                alt = (node.get("alt") or "").strip()
                if alt.isdigit() and len(alt) <= 3:  # counters drawn as digit images
                    w.add(alt, link_depth > 0)
            w.add(node.text, link_depth > 0)
            continue
        if tag is None or node not in starts:
            continue
        if tag == "a":
            link_depth -= 1
        if tag in BLOCK_TAGS:
            w.flush(*owners[-1])
            owners.pop()
        chrome_depth.pop()
        w.spans[node] = (starts[node], len(w.blocks))
        w.add(node.tail, link_depth > 0)
    w.flush(*owners[-1])
    return PageText(w.blocks, w.spans, w.anchors)
