"""Article body: paragraphs in order, photo captions kept, bylines split off (pure).

The body container comes from the profile. Noise (scripts, share bars, related lists, CMS
account lines) is removed by the profile's ``body_remove`` selectors plus a fixed list. The
remaining tree is walked in document order into text blocks; an image-only block followed by a
short line makes that line the image's caption (portals rarely use ``<figcaption>``). Trailing
right-aligned short lines are the byline: an author, a source, or a CMS account to ignore.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from crawler.extract.byline import (
    AUTHOR_LABEL,
    SOURCE_LABEL,
    bracketed,
    read_byline,
    rule_regex,
)
from crawler.extract.credits import photo_credit
from crawler.extract.icons import is_icon, picture
from crawler.extract.photos import one_per_photo
from crawler.extract.selectors import PageNodes, compiled, select
from crawler.extract.text import join_pieces, normalize_text
from crawler.profiles.schema import Byline

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "figure",
        "figcaption",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "dd",
        "dt",
        "dl",
        "center",
        "br",
        "hr",
    ]
)
DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "input", "select", "svg")
ALWAYS_REMOVE = (
    ".social-share, .share, .addthis_toolbox, .fb-like, .zalo-share-button, .print-action, "
    ".related, .related-news, .tin-lien-quan"
)
# the tags that draw a photo: AMP pages have no <img>, only <amp-img>
IMAGE_TAGS = frozenset(["img", "amp-img"])
MAX_CAPTION_CHARS = 300


@dataclass
class Block:
    text: str
    element: lxml_html.HtmlElement
    images: list[str] = field(default_factory=list)


@dataclass
class BodyResult:
    text: str | None
    images: list[dict[str, str | None]]
    author: str | None
    source: str | None


def image_src(img: lxml_html.HtmlElement) -> str | None:
    """The real source of an image, as written: lazy-load attributes before ``src``, no
    ``data:`` URIs, the photo's own address out of an image proxy's (Next.js
    ``/_next/image?url=%2Fuploads%2Fa.jpg&w=1200``)."""
    value = picture(img)
    return _proxied(value) if value else None


def _proxied(src: str) -> str:
    """The ``url`` parameter of an image proxy's address, else ``src``."""
    if "url=" not in src:
        return src
    inner = parse_qs(urlsplit(src).query).get("url", [""])[0].strip()
    return inner if inner.startswith(("/", "http://", "https://")) else src


def _image_url(img: lxml_html.HtmlElement, base_url: str) -> str | None:
    src = image_src(img)
    return urljoin(base_url, src) if src else None


class _Splitter:
    """Text and images gathered since the last block-level boundary."""

    def __init__(self, root: lxml_html.HtmlElement, base_url: str, blocks: list[Block]) -> None:
        self.base_url = base_url
        self.blocks = blocks
        self.buf: list[str] = []
        self.imgs: list[str] = []
        self.owners: list[lxml_html.HtmlElement] = [root]

    def flush(self, owner: lxml_html.HtmlElement) -> None:
        if not self.buf and not self.imgs:
            return
        text = normalize_text(join_pieces(self.buf))
        if text or self.imgs:
            self.blocks.append(Block(text or "", owner, list(self.imgs)))
        self.buf.clear()
        self.imgs.clear()

    def start(self, node: lxml_html.HtmlElement, tag: str | None) -> None:
        if tag in IMAGE_TAGS:
            url = _image_url(node, self.base_url)
            if url and not is_icon(node):  # an eye, a calendar, a PDF pictogram: no photo
                self.imgs.append(url)
            return
        if tag is None:  # a comment or processing instruction: its tail only
            return
        if tag in BLOCK_TAGS:
            self.flush(self.owners[-1])
            self.owners.append(node)
        if node.text:
            self.buf.append(node.text)

    def end(self, node: lxml_html.HtmlElement, tag: str | None) -> None:
        if tag in BLOCK_TAGS:
            self.flush(node)
            self.owners.pop()
        if node.tail:
            self.buf.append(node.tail)


def _walk(root: lxml_html.HtmlElement, base_url: str, blocks: list[Block]) -> None:
    """Split the tree into blocks at block-level tags, keeping document order.

    Iterative (``iterwalk``), so a page nested thousands of levels deep cannot exhaust the stack.
    """
    split = _Splitter(root, base_url, blocks)
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if node is root:
            if event == "start" and node.text:
                split.buf.append(node.text)
            continue
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if event == "start":
            split.start(node, tag)
        else:
            split.end(node, tag)
    split.flush(root)


def is_caption(block: Block, figure_caption: bool) -> bool:
    if not block.text or block.images or len(block.text) > MAX_CAPTION_CHARS:
        return False
    if figure_caption:
        return True
    # a caption is one short sentence: no sentence-ending "./." or several sentences
    return not block.text.endswith(("./.", ":")) and block.text.count(". ") < 2


CaptionTest = Callable[[Block, bool], bool]


def attach_captions(
    blocks: list[Block], caption: CaptionTest = is_caption
) -> list[dict[str, str | None]]:
    """Images in order, each with the caption beside it: its own block's short text, else the
    next block when ``caption(block, in_figure)`` says it is one."""
    images: list[dict[str, str | None]] = []
    paired: list[str] = []  # a row of photos' captions in the row under it, in order
    run_end = 0
    for i, block in enumerate(blocks):
        for url in block.images:
            images.append({"url": url, "caption": None})
        if not block.images:
            continue
        if i >= run_end:
            run_end = _photo_run_end(blocks, i)  # once per run: linear in the blocks
        paired = paired or _caption_row(blocks, i, run_end, caption)
        if paired:
            images[-1]["caption"] = paired.pop(0)
            continue
        # caption: text in the same block (e.g. <figure><img><figcaption>), else the next block
        if block.text and len(block.text) <= MAX_CAPTION_CHARS:
            images[-1]["caption"] = _without_credit(block)
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        in_figure = nxt is not None and nxt.element.tag == "figcaption"
        if nxt is not None and _opens_table(nxt, block):
            continue  # the next table's own <caption>, not the photo's
        if nxt is not None and caption(nxt, in_figure):
            images[-1]["caption"] = _without_credit(nxt)
    return one_per_photo(images)


def _without_credit(block: Block) -> str:
    """A photo's caption without the photographer's credit that closes it in an element of its
    own (K2's ``<span class="itemImageCaption">…</span><span class="itemImageCredits">Ảnh:
    Minh Tuấn</span>``); a credit written into the caption's sentence stays."""
    text = block.text
    for el in block.element.iterdescendants("span", "em", "i", "small", "p", "div", "cite"):
        own = " ".join("".join(el.itertext()).split())
        if own and own != text and text.endswith(own) and photo_credit(own):
            return text[: -len(own)].rstrip()
    return text


def _photo_run_end(blocks: list[Block], start: int) -> int:
    """Where the run of photo cells starting at ``start`` ends (blocks of one photo, no text)."""
    end = start
    while end < len(blocks) and len(blocks[end].images) == 1 and not blocks[end].text:
        end += 1
    return end


def _caption_row(blocks: list[Block], start: int, end: int, caption: CaptionTest) -> list[str]:
    """The captions of the row of photos from ``start`` to ``end`` (two or more cells of one
    photo each, no text) when the row right after it holds as many captions (a table's photo
    pair: ``<tr><td><img></td><td><img></td></tr><tr><td>…</td><td>…</td></tr>``), else []."""
    count = end - start
    row = blocks[end : end + count]
    if count < 2 or len(row) < count or any(b.images or not caption(b, False) for b in row):
        return []
    return [b.text for b in row]


def _opens_table(nxt: Block, photo: Block) -> bool:
    """Whether ``nxt`` is the first text of a table the photo is not in (its ``<caption>``)."""
    table = nxt.element
    return table.tag == "table" and table not in photo.element.iterancestors()


def _within(el: lxml_html.HtmlElement, matched: set[lxml_html.HtmlElement]) -> bool:
    """Whether ``el`` or one of its ancestors is in ``matched``."""
    node: lxml_html.HtmlElement | None = el
    while node is not None:
        if node in matched:
            return True
        node = node.getparent()
    return False


def byline_candidates(blocks: list[Block], root: lxml_html.HtmlElement, rule: Byline) -> int:
    """Index of the first trailing byline block (``len(blocks)`` when there is none)."""
    aligned_nodes = set(compiled(rule.css, None)(root))
    # ``exclude``: right-aligned elements of the template that are never a byline (a date line)
    excluded = {node for css in rule.exclude for node in compiled(css, None)(root)}
    source_re = rule_regex(rule.source_pattern)
    start = len(blocks)
    for i in range(len(blocks) - 1, max(-1, len(blocks) - 1 - rule.max_lines), -1):
        block = blocks[i]
        if block.images or not block.text or len(block.text) > 120:
            break
        if excluded and _within(block.element, excluded):
            break
        aligned = _within(block.element, aligned_nodes)
        if not (
            aligned
            or source_re.search(block.text)
            or _says_byline(block.text)
            or (i == len(blocks) - 1 and _bold_name(block))
        ):
            break
        start = i
    return start


def _says_byline(text: str) -> bool:
    """A line that is a byline by its words alone: "Tin, ảnh: Đức Thuận", "Nguồn: …",
    "(Trung tâm …)"."""
    return bool(AUTHOR_LABEL.match(text) or SOURCE_LABEL.match(text)) or bracketed(text)


BOLD_NAME_WORDS = 5


def _bold_name(block: Block) -> bool:
    """A short last line written wholly in bold, with no digit and no sentence's period: the
    writer's name as editors sign ("<p><strong>Ngọc Lan</strong></p>")."""
    text, el = block.text, block.element
    if (
        not text
        or len(text.split()) > BOLD_NAME_WORDS
        or any(c.isdigit() for c in text)
        or text.endswith((".", ":", ";"))
    ):
        return False
    bold = [b for b in el.iter("strong", "b") if b is not el]
    if el.tag in ("strong", "b"):
        return True
    return bool(bold) and " ".join(" ".join(b.itertext()) for b in bold).split() == text.split()


def extract_body(
    sel: Selector,
    containers: list[str],
    remove: list[str],
    byline: Byline,
    base_url: str,
    page: PageNodes | None = None,
) -> BodyResult | None:
    """The first matching container's body; ``None`` when no container matches."""
    element = body_element(sel, containers, page)
    return None if element is None else body_from_element(element, remove, byline, base_url)


def body_element(
    sel: Selector, containers: list[str], page: PageNodes | None = None
) -> lxml_html.HtmlElement | None:
    """The element of the first container rule that matches one."""
    for css in containers:
        nodes = select(sel.root, css, None, page)
        if nodes and not isinstance(nodes[0], str):
            return nodes[0]
    return None


# the label of a box of links to other articles set inside the body
SEE_ALSO = re.compile(
    r"^(?:xem\s+thêm|đọc\s+thêm|tin\s+liên\s+quan|bài\s+liên\s+quan|tin\s+khác|có\s+thể\s+bạn"
    r"\s+quan\s+tâm)\s*[:：]?$",
    re.IGNORECASE,
)


# the labels of a legal document's record ("Thuộc tính văn bản") printed beside an
# announcement's text: the page's description of the document, not the article
DOCUMENT_PROPERTY = re.compile(
    r"^(?:số\s+(?:ký|kí)\s+hiệu|số\s+hiệu(?:\s+văn\s+bản)?|số\s+văn\s+bản|ngày\s+ban\s+hành"
    r"|ngày\s+(?:có\s+)?hiệu\s+lực|ngày\s+hết\s+hiệu\s+lực|cơ\s+quan\s+ban\s+hành|đơn\s+vị\s+ban\s+hành"
    r"|cấp\s+ban\s+hành|người\s+(?:ký|kí)(?:\s+duyệt)?|loại\s+văn\s+bản|trích\s+yếu(?:\s+nội\s+dung)?"
    r"|lĩnh\s+vực|tình\s+trạng(?:\s+hiệu\s+lực)?|chức\s+vụ(?:\s+người\s+ký)?)\s*:?$",
    re.IGNORECASE,
)
# the heading of such a record or of the document's viewer ("Thông tin văn bản", "Nội dung văn bản")
DOCUMENT_HEADING = re.compile(
    r"^(?:thông\s+tin|thuộc\s+tính|nội\s+dung|chi\s+tiết|xem)\s+văn\s+bản\s*:?$", re.IGNORECASE
)
RECORD_LABELS = 3  # labels in one table that make it a document's record


def _text(el: lxml_html.HtmlElement) -> str:
    return " ".join("".join(el.itertext()).split())


def _one_link(item: lxml_html.HtmlElement) -> bool:
    """A list item that is one link to another article: its links (a thumbnail's and a
    title's) all go to one address and hold all its text."""
    links = item.findall(".//a")
    hrefs = {(a.get("href") or "").strip() for a in links}
    return (
        item.tag == "li"
        and len(hrefs) == 1
        and "" not in hrefs
        and _text(item) == " ".join(t for a in links if (t := _text(a)))
    )


def _drop_see_also(root: lxml_html.HtmlElement) -> None:
    """Drop the "Xem thêm:" boxes inside the body: the label, and the list after it whose
    every item is one link (other articles' titles, thumbnails), as a reader skips them."""
    for items in list(root.iter("ul", "ol")):
        label = items.getprevious()
        if label is None or not SEE_ALSO.match(_text(label)):
            continue
        entries = [li for li in items if isinstance(li.tag, str)]
        if entries and all(_one_link(li) for li in entries):
            label.drop_tree()
            items.drop_tree()


def _drop_document_record(root: lxml_html.HtmlElement) -> None:
    """Drop the tables and definition lists holding a document's record ("Số ký hiệu",
    "Ngày ban hành", "Người ký", "Trích yếu"), with a "Thông tin văn bản" heading before them."""
    for box in list(root.iter("table", "dl")):
        cells = box.iter("th", "td", "dt")
        labels = sum(1 for c in cells if DOCUMENT_PROPERTY.match(_text(c)))
        if labels < RECORD_LABELS or box.getparent() is None:
            continue
        heading = box.getprevious()
        if heading is not None and DOCUMENT_HEADING.match(_text(heading)):
            heading.drop_tree()
        box.drop_tree()


def body_from_element(
    found: lxml_html.HtmlElement, remove: list[str], byline: Byline, base_url: str
) -> BodyResult:
    """Blocks, captions and byline of one container element (a copy: the page is untouched)."""
    root = copy.deepcopy(found)  # a C-level copy: the page itself is never modified
    root.tail = None
    for bad in list(root.iter(*DROP_TAGS)):  # C-level tag filter: no XPath scan per tag
        bad.drop_tree()
    for css in (*remove, ALWAYS_REMOVE):
        for bad in compiled(css, None)(root):
            if bad is not root:
                bad.drop_tree()
    _drop_see_also(root)
    _drop_document_record(root)
    blocks: list[Block] = []
    _walk(root, base_url, blocks)
    cut = byline_candidates(blocks, root, byline)
    author, source = read_byline([b.text for b in blocks[cut:]], byline)
    blocks = blocks[:cut]
    images = attach_captions(blocks)
    text = "\n\n".join(b.text for b in blocks if b.text) or None
    return BodyResult(text, images, author, source)
