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

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from crawler.extract.body import BLOCK_TAGS, IMAGE_TAGS, image_src
from crawler.extract.icons import is_icon
from crawler.extract.text import NOT_PLAIN, join_pieces, normalize_text

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
        "mat-icon",  # an icon font's ligature: "event", "visibility" draw pictograms
    ]
)
# icon fonts drawing a pictogram from a word ("person", "visibility"): no text is shown
ICON_FONT_CLASSES = frozenset(
    [
        "material-icons",
        "material-icons-outlined",
        "material-icons-round",
        "material-icons-sharp",
        "material-symbols-outlined",
        "material-symbols-rounded",
        "material-symbols-sharp",
    ]
)
HIDDEN_CLASSES = (
    frozenset(["hidden", "d-none", "hide", "invisible", "sr-only", "visually-hidden"])
    | ICON_FONT_CLASSES
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
LONG_BLOCK = 80  # characters: a block this long is prose, not a label or a link line
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
    r"|page-header-top|sidebox"
    r"|comments|comments?-(?:area|list|respond|form|section|box|wrap)|respond|binh-?luan)$"
)
_CONTENT_WORD = re.compile(
    r"article|news|content|detail|list|title|tin-?tuc|bai-?viet|post|entry|item"
)
# the classes social networks' embed scripts look for
_SOCIAL_EMBED = re.compile(
    r"^(?:fb-(?:post|video|page|comments?|like)|twitter-(?:tweet|timeline)|instagram-media"
    r"|tiktok-embed|zalo-(?:share|follow|comment)[\w-]*)$"
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


def next_element(el: Element) -> Element | None:
    """The element after ``el`` among its siblings, comments and processing instructions
    passed over."""
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt


def previous_element(el: Element) -> Element | None:
    """The element before ``el`` among its siblings, comments passed over."""
    before = el.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    return before


def text_apart(block: Block) -> Block:
    """The block's photos without its text (a gallery's "Ảnh 1/6" beside the photo)."""
    return Block(block.index, "", block.element, images=block.images, chrome=block.chrome)


@cache
def _chrome_token(token: str) -> bool:
    if _SOCIAL_EMBED.match(token):
        return True  # a fanpage's post embedded in the story ("fb-post"): not its text
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


# "liên kết" (link) names a box of links to other sites, but on a link itself it only says it
# is a link (``<a class="lienket">`` in a list of articles)
_LINK_WORD = re.compile(r"(?<!\S)(?:lien[-_]?ket|link)(?!\S)", re.IGNORECASE)


def _names_chrome(tag: str, cls: str | None, ident: str | None) -> bool:
    if tag == "a" and cls and _LINK_WORD.search(cls):
        cls = _LINK_WORD.sub(" ", cls)
    return _chrome_names(cls, ident)


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


HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])


def heading_button(el: Element) -> bool:
    """An accordion's header button (``<h2><button>1. Bối cảnh</button></h2>``): a heading's
    text, not a control's."""
    parent = el.getparent()
    return el.tag == "button" and parent is not None and parent.tag in HEADING_TAGS


def _chrome_header(el: Element) -> bool:
    """A ``<header>`` is the page's (chrome) unless it heads an article or the main part."""
    return el.getparent() is not None and not any(
        a.tag in ("article", "main") for a in el.iterancestors()
    )


# a web component's tag naming page chrome: Angular's <app-footer>, <app-sidebar>
_CHROME_ELEMENT = re.compile(r"^[a-z][\w.]*-(?:[\w.-]*-)?(?:footer|sidebar|nav|navbar|menu)$")


@cache
def _chrome_element(tag: str) -> bool:
    return "-" in tag and _CHROME_ELEMENT.match(tag) is not None


STORY_SIBLINGS = frozenset(["p", "figure", "blockquote", "table", "ul", "ol"])


def _story_box(el: Element, tag: str) -> bool:
    """A ``<footer>`` citing a quotation or a figure's author (``<blockquote><p>…</p><footer>
    Ông …, Giám đốc …</footer>``), or an ``<aside>`` set between two paragraphs (a story's
    "Thông tin thêm" box; a paragraph on one side, a paragraph, photo, quotation, table or
    list on the other): the story's text, not the page's footer or sidebar."""
    if tag == "aside":
        before, after = el.getprevious(), el.getnext()
        return (
            before is not None
            and after is not None
            and "p" in (before.tag, after.tag)
            and before.tag in STORY_SIBLINGS
            and after.tag in STORY_SIBLINGS
        )
    parent = el.getparent()
    return tag == "footer" and parent is not None and parent.tag in ("blockquote", "figure")


def is_chrome(el: Element, tag: str) -> bool:
    if tag in CHROME_TAGS or _chrome_element(tag):
        return not _story_box(el, tag)
    if tag == "header":
        return _chrome_header(el)
    if not el.attrib:
        return False
    if (el.get("role") or "").lower() in CHROME_ROLES:
        return True
    return _names_chrome(tag, el.get("class"), el.get("id"))


def document_base(root: Element, url: str) -> str:
    """The URL the page's relative links resolve against: its ``<base href>`` (itself resolved
    against the page's URL), else the page's URL."""
    base = root.find("head/base")
    href = (base.get("href") or "").strip() if base is not None else ""
    return urljoin(url, href) if href and not href.startswith(("javascript:", "#")) else url


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


def _hidden_keys(node: Element, keys: list[str], cls: str | None) -> bool:
    """Whether an element with attributes is hidden (``hidden``, a hiding style or class, a tab
    panel not shown)."""
    return (
        "hidden" in keys
        # a block kept from screen readers: a decorative copy (an inline separator still
        # separates the text around it)
        or ("aria-hidden" in keys and node.tag in BLOCK_TAGS and node.get("aria-hidden") == "true")
        or ("style" in keys and _hidden_style(node.get("style")))
        or (bool(cls) and _hidden_class(cls))
        or (("role" in keys or (cls is not None and "tab" in cls)) and inactive_tab(node))
    )


_TAB_PANEL = re.compile(r"(?<!\S)(?:tab-pane|ui-tabs-panel)(?!\S)")
_SHOWN_PANEL = re.compile(r"(?<!\S)(?:active|show|in)(?!\S)")
_SHOWN_STYLE = re.compile(r"display\s*:\s*block", re.IGNORECASE)


def _tab_panel(el: Element) -> bool:
    return el.get("role") == "tabpanel" or bool(_TAB_PANEL.search(el.get("class") or ""))


def _shown_panel(el: Element) -> bool:
    return bool(
        _SHOWN_PANEL.search(el.get("class") or "")
        or el.get("aria-hidden") == "false"
        or _SHOWN_STYLE.search(el.get("style") or "")
    )


def inactive_tab(el: Element) -> bool:
    """A tab panel not shown while a sibling panel is ("Văn bản liên quan", "Ý kiến bạn đọc"
    beside the "Nội dung" tab): hidden until a reader clicks its tab (an accordion's collapsed
    panel is not: its heading says what it holds, and the body's chapters may be collapsed)."""
    if not _tab_panel(el) or _shown_panel(el):
        return False
    parent = el.getparent()
    return parent is not None and any(
        sib is not el and isinstance(sib.tag, str) and _tab_panel(sib) and _shown_panel(sib)
        for sib in itertools.islice(parent, MAX_TAB_PANELS)  # bounded: linear on any page
    )


MAX_TAB_PANELS = 32


def _opens_chrome(node: Element, tag: str, keys: list[str], cls: str | None) -> bool:
    """Whether an element starts page chrome (by tag, ARIA role, class or id)."""
    if tag in CHROME_TAGS or _chrome_element(tag):
        return not _story_box(node, tag)
    if tag == "header":
        return _chrome_header(node)
    return bool(keys) and (
        ("role" in keys and (node.get("role") or "").lower() in CHROME_ROLES)
        or _names_chrome(tag, cls, node.get("id") if "id" in keys else None)
    )


class _Walk:
    """The state of one walk: the blocks read so far, the block being read, the open elements."""

    __slots__ = (
        "anchors",
        "blocks",
        "buf",
        "chrome_root",
        "images",
        "in_link",
        "link_lens",
        "links",
        "owner",
        "owners",
        "spans",
        "starts",
    )

    def __init__(self, root: Element) -> None:
        self.blocks: list[Block] = []
        self.spans: dict[Element, tuple[int, int]] = {}
        self.anchors: list[tuple[Element, bool]] = []
        self.buf: list[str] = []  # text pieces of the block being read
        self.link_lens: list[int] = []  # lengths of its link text pieces
        self.links: list[Element] = []  # its <a href> elements
        self.images: list[tuple[str, Element]] = []  # its (url, <img>)
        self.owner: tuple[Element, bool] = (root, False)  # the block element read, in chrome?
        self.owners: list[tuple[Element, bool]] = []  # the enclosing ones
        self.starts: list[int] = []  # per open element: the index of the first block inside it
        self.chrome_root: Element | None = None  # the open elements are chrome from this one on
        self.in_link = 0

    def start(self, node: Element) -> bool:
        """An element opens; False when nothing inside it is to be read."""
        tag = node.tag
        keys = node.keys()
        cls = node.get("class") if keys and "class" in keys else None
        if (tag in SKIP_TAGS and not heading_button(node)) or (
            keys and _hidden_keys(node, keys, cls)
        ):
            return False  # nothing inside is read: scripts and the like, hidden elements
        chrome = self.chrome_root is not None
        if (
            not chrome
            and (keys or tag in CHROME_TAGS or tag == "header" or "-" in tag)
            and _opens_chrome(node, tag, keys, cls)
        ):
            self.chrome_root, chrome = node, True
        if tag in BLOCK_TAGS:
            if self.buf or self.images:
                self.flush()
            self.owners.append(self.owner)
            self.owner = (node, chrome)
        elif tag == "a":
            if node.get("href"):
                self.anchors.append((node, chrome))
                self.links.append(node)
            self.in_link += 1
        elif tag in IMAGE_TAGS:
            self.image(node)
        self.starts.append(len(self.blocks))
        return True

    def end(self, node: Element) -> None:
        """An element (that was read) closes."""
        tag = node.tag
        if tag in BLOCK_TAGS:
            if self.buf or self.images:
                self.flush()
            self.owner = self.owners.pop()
        elif tag == "a":
            self.in_link -= 1
        self.spans[node] = (self.starts.pop(), len(self.blocks))
        if node is self.chrome_root:
            self.chrome_root = None

    def text(self, text: str) -> None:
        self.buf.append(text)
        if self.in_link:
            self.link_lens.append(len(" ".join(text.split())))

    def image(self, node: Element) -> None:
        """An ``<img>`` (``<amp-img>``): its source unless a pictogram, and its ``alt`` as text
        when it draws a counter's digits."""
        url = image_src(node)
        if url and not is_icon(node):
            self.images.append((url, node))
        alt = (node.get("alt") or "").strip()
        if alt.isdigit() and len(alt) <= 3:
            self.text(alt)

    def flush(self) -> None:
        """End the block being read (called only when it holds text or images)."""
        buf, images, links = self.buf, self.images, self.links
        raw = join_pieces(buf)  # "Quỳnh <span>Phụ</span>, xã": no space before the comma
        text = (normalize_text(raw) or "") if NOT_PLAIN.search(raw) else " ".join(raw.split())
        if text or images:
            owner, chrome = self.owner
            link_chars = min(len(text), sum(self.link_lens))
            block = Block(len(self.blocks), text, owner, link_chars, links[:], images[:], chrome)
            self.blocks.append(block)
        buf.clear()
        self.link_lens.clear()
        links.clear()
        images.clear()


def read_page(root: Element) -> PageText:
    """Walk ``root`` once, iteratively (deep pages cannot exhaust the stack): lxml's
    ``iterwalk`` events, handed to a ``_Walk``. Comments are walked for their tails (the text
    after ``<!-- -->``). tests/extract/test_layout_free_speed.py checks the walk against the
    straightforward recursive walker it replaced."""
    walk = _Walk(root)
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    start, end, skip, buf, link_lens = (
        walk.start,
        walk.end,
        walker.skip_subtree,
        walk.buf,
        walk.link_lens,
    )
    for event, node in walker:
        if event == "start":
            if start(node):
                text = node.text
            else:
                skip()
                next(walker)  # its end event; its tail belongs to the text around it
                text = node.tail if node.tag != "head" else None
        elif event == "end":
            end(node)
            text = node.tail
        else:  # a comment: only its tail is text
            text = node.tail
        if text and not text.isspace():
            buf.append(text)
            if walk.in_link:
                link_lens.append(len(" ".join(text.split())))
    if walk.buf or walk.images:
        walk.flush()
    return PageText(walk.blocks, walk.spans, walk.anchors)
