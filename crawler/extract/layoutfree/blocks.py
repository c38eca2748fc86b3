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
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from lxml import etree

from crawler.extract.body import BLOCK_TAGS, IMAGE_ATTRS
from crawler.extract.text import NOT_PLAIN, normalize_text

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


class Block:
    """A run of visible text (and images) between two block-level tags."""

    __slots__ = (
        "chrome",
        "element",
        "images",
        "index",
        "link_chars",
        "link_density",
        "links",
        "text",
    )

    def __init__(
        self,
        index: int,
        text: str,
        element: Element,  # the block-level element that owns the text
        link_chars: int = 0,
        links: list[Element] | None = None,  # the <a> elements whose text is here
        images: list[tuple[str, Element]] | None = None,  # (url, <img>)
        chrome: bool = False,  # inside navigation, header, footer, sidebar or a share bar
    ) -> None:
        self.index = index
        self.text = text
        self.element = element
        self.link_chars = link_chars
        self.links = links if links is not None else []
        self.images = images if images is not None else []
        self.chrome = chrome
        self.link_density = link_chars / len(text) if text else 0.0

    def __repr__(self) -> str:
        return f"Block({self.index}, {self.text[:40]!r}, <{self.element.tag}>)"


@cache
def _chrome_token(token: str) -> bool:
    if len(token) > MAX_TOKEN or _CONTENT_WORD.search(token):
        return False
    return bool(_CHROME_WORD.match(token))


@cache
def _chrome_words(words: str) -> bool:
    """Whether a class/id value (``"class id"``) names page chrome (cached: pages repeat them)."""
    return any(_chrome_token(t.replace("_", "-")) for t in _SPLIT.split(words.lower()) if t)


@lru_cache(maxsize=8192)  # ids may be unique per element: bounded
def _chrome_names(cls: str | None, ident: str | None) -> bool:
    """Whether an element's class and id name page chrome (cached per pair)."""
    words = f"{cls or ''} {ident or ''}"
    return not words.isspace() and _chrome_words(words)


@cache
def _hidden_class(cls: str) -> bool:
    return any(t in HIDDEN_CLASSES for t in cls.lower().split())


@cache
def _hidden_style(style: str) -> bool:
    return _HIDDEN_STYLE.search(style) is not None


def is_hidden(el: Element) -> bool:
    attrib = el.attrib
    if not attrib:
        return False
    if "hidden" in attrib:
        return True
    style = el.get("style")
    if style and _hidden_style(style):
        return True
    cls = el.get("class")
    return bool(cls) and _hidden_class(cls)


def _chrome_header(el: Element) -> bool:
    """A ``<header>`` is the page's (chrome) unless it heads an article or the main part."""
    return el.getparent() is not None and not any(
        a.tag in ("article", "main") for a in el.iterancestors()
    )


def is_chrome(el: Element, tag: str) -> bool:
    if tag in CHROME_TAGS:
        return True
    if tag == "header":
        return _chrome_header(el)
    if not el.attrib:
        return False
    if (el.get("role") or "").lower() in CHROME_ROLES:
        return True
    return _chrome_names(el.get("class"), el.get("id"))


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
    # element -> (first block index, one past the last) of the blocks inside it, in post-order
    # (an element after its descendants)
    spans: dict[Element, tuple[int, int]]
    anchors: list[tuple[Element, bool]]  # every visible <a href>, and whether it is in chrome

    def inside(self, el: Element) -> list[Block]:
        start, end = self.spans.get(el, (0, 0))
        return self.blocks[start:end]


def read_page(root: Element) -> PageText:  # noqa: C901 (one hot loop, see the docstring)
    """Walk ``root`` once (iteratively: deep pages cannot exhaust the stack).

    One loop over lxml's ``iterwalk`` events with its state in local variables: this walk is
    the largest part of the layout-free reader's cost, so an element costs a few attribute
    reads, and the cached class/id verdicts; tests/extract/test_layout_free_speed.py checks it
    against the straightforward walker it replaced.
    """
    blocks: list[Block] = []
    spans: dict[Element, tuple[int, int]] = {}
    anchors: list[tuple[Element, bool]] = []
    buf: list[str] = []  # text pieces of the block being read
    link_lens: list[int] = []  # lengths of its link text pieces
    links: list[Element] = []
    images: list[tuple[str, Element]] = []

    def flush(owner: Element, chrome: bool) -> None:
        """End the block being read (called only when it holds text or images)."""
        raw = " ".join(buf)
        text = (normalize_text(raw) or "") if NOT_PLAIN.search(raw) else " ".join(raw.split())
        if text or images:
            link_chars = min(len(text), sum(link_lens))
            blocks.append(Block(len(blocks), text, owner, link_chars, links[:], images[:], chrome))
        buf.clear()
        link_lens.clear()
        links.clear()
        images.clear()

    owner, owner_chrome = root, False  # the block-level element whose text is being read
    owners: list[tuple[Element, bool]] = []  # the enclosing ones
    starts: list[int] = []  # per open element: the index of the first block inside it
    chrome = False  # the open elements end in page chrome...
    chrome_root = None  # ...from this one on
    in_link = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    skip = walker.skip_subtree
    block_tags, skip_tags, chrome_tags, chrome_roles = (
        BLOCK_TAGS,
        SKIP_TAGS,
        CHROME_TAGS,
        CHROME_ROLES,
    )
    for event, node in walker:
        if event == "start":
            tag = node.tag
            keys = node.keys()
            cls = node.get("class") if keys and "class" in keys else None
            if tag in skip_tags or (
                keys
                and (
                    "hidden" in keys
                    or ("style" in keys and _hidden_style(node.get("style")))
                    or (cls and _hidden_class(cls))
                )
            ):
                skip()
                next(walker)  # its end event: nothing inside it is read
                if tag != "head":  # its tail belongs to the text around it
                    text = node.tail
                    if text and not text.isspace():
                        buf.append(text)
                        if in_link:
                            link_lens.append(len(" ".join(text.split())))
                continue
            if not chrome:
                if tag in chrome_tags:
                    chrome, chrome_root = True, node
                elif tag == "header":
                    if _chrome_header(node):
                        chrome, chrome_root = True, node
                elif keys and (
                    ("role" in keys and (node.get("role") or "").lower() in chrome_roles)
                    or _chrome_names(cls, node.get("id") if "id" in keys else None)
                ):
                    chrome, chrome_root = True, node
            if tag in block_tags:
                if buf or images:
                    flush(owner, owner_chrome)
                owners.append((owner, owner_chrome))
                owner, owner_chrome = node, chrome
            elif tag == "a":
                if node.get("href"):
                    anchors.append((node, chrome))
                    links.append(node)
                in_link += 1
            elif tag == "img":
                url = image_url(node)
                if url:
                    images.append((url, node))
                alt = (node.get("alt") or "").strip()
                if alt.isdigit() and len(alt) <= 3:  # counters drawn as digit images
                    buf.append(alt)
                    if in_link:
                        link_lens.append(len(alt))
            starts.append(len(blocks))
            text = node.text
        else:
            tag = node.tag
            if tag in block_tags:
                if buf or images:
                    flush(owner, owner_chrome)
                owner, owner_chrome = owners.pop()
            elif tag == "a":
                in_link -= 1
            spans[node] = (starts.pop(), len(blocks))
            if node is chrome_root:
                chrome, chrome_root = False, None
            text = node.tail
        if text and not text.isspace():
            buf.append(text)
            if in_link:
                link_lens.append(len(" ".join(text.split())))
    if buf or images:
        flush(owner, owner_chrome)
    return PageText(blocks, spans, anchors)
