"""An article page read without a layout: headline first, then everything relative to it (pure).

1. The page is read once into text blocks (:mod:`.blocks`).
2. The headline: the block matching the URL slug and the page's title metadata (:mod:`.headline`).
3. The article block: the element whose blocks score best, where long low-link paragraphs
   score their length and link lines, chrome and short lines cost; it must end after the
   headline. Subtree sums make this one pass over the elements (linear in page size).
4. The body: that element's blocks after the headline, without metadata lines, share/print
   lines, link lines, and everything from an "other news" heading ("Tin liên quan", "Tin khác",
   ...) on; photo captions stay with their images; trailing right-aligned or bold short lines
   are the byline (author, source); a lead paragraph in a "sapo" element is the summary.
5. Date and views: the nearest ones to the headline (:mod:`.meta`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from crawler.extract.body import (
    DOCUMENT_HEADING,
    SEE_ALSO,
    attach_captions,
    byline_candidates,
    is_caption,
)
from crawler.extract.body import Block as BodyBlock
from crawler.extract.byline import (
    ACCOUNT,
    AUTHOR_LABEL,
    AUTHOR_WORDS,
    BARE_LABEL,
    DEFAULT_SOURCE,
    MAX_BYLINE_CHARS,
    SOURCE_LABEL,
    SOURCE_PREFIX,
    SOURCE_WORDS,
    bracketed,
    is_account,
    label_values,
    labelled_parts,
    line_parts,
    read_byline,
    unbracket,
)
from crawler.extract.credits import (
    READING_TIME,
    credit_author,
    credit_roles,
    photo_credit,
    read_credits,
)
from crawler.extract.dates import CLOCK, ParsedDate
from crawler.extract.icons import is_icon
from crawler.extract.layoutfree.blocks import (
    HEADING_TAGS,
    LONG_BLOCK,
    Block,
    Element,
    PageText,
    document_base,
    heading_button,
    next_element,
    read_page,
    text_apart,
)
from crawler.extract.layoutfree.caseless import Caseless
from crawler.extract.layoutfree.documents import ARTICLE_FIELD, event_boxes, in_box, property_boxes
from crawler.extract.layoutfree.furniture import (
    after_embed,
    contents_boxes,
    player_boxes,
    series_boxes,
)
from crawler.extract.layoutfree.headline import SITE_IMPRINT, Headline, find_headline
from crawler.extract.layoutfree.meta import (
    BARE_CLOCK,
    DATE_LABEL,
    DATE_SHAPE,
    NEAR_AFTER,
    NEAR_BEFORE,
    VIEWS,
    VIEWS_AFTER,
    VIEWS_LABEL,
    FoundDate,
    FoundViews,
    find_date,
    find_labelled_date,
    find_views,
    icon_author,
    icon_count,
    labelled_count,
    page_views,
)
from crawler.extract.photos import PHOTO_COUNTER, photo_name, thumbnail_of
from crawler.extract.text import fold_diacritics
from crawler.profiles.schema import Byline

OTHER_NEWS = re.compile(
    r"^(?:các\s+)?(?:tin|bài(?:\s+viết)?|tin\s+bài|tin\s+tức|bản\s+tin|văn\s+bản|tin\s+ảnh|ảnh|video|clip"
    r"|audio|podcast|album"
    r"|phóng\s+sự\s+ảnh)\s+(?:liên\s+quan|khác|cùng\s+chuyên\s+mục"
    r"|cùng\s+loại|đã\s+đưa|mới(?:\s+nhất|\s+hơn)?|xem\s+nhiều(?:\s+nhất)?|đọc\s+nhiều(?:\s+nhất)?"
    r"|nổi\s+bật|tiêu\s+điểm|cũ\s+hơn|trước)"
    r"|^(?:xem\s+nhiều(?:\s+nhất)?|đọc\s+nhiều(?:\s+nhất)?|cùng\s+chuyên\s+mục|có\s+thể\s+bạn\s+quan\s+tâm"
    r"|related\s+(?:news|articles|posts)|other\s+news"
    r"|ý\s+kiến\s+(?:bạn\s+đọc|của\s+bạn)|bình\s+luận|gửi\s+(?:ý\s+kiến|bình\s+luận))\b",
    re.IGNORECASE,
)
_TOOL_LINE = re.compile(
    r"^(?:chia\s+sẻ|in\s+bài(?:\s+viết)?|in\s+trang|bản\s+in|gửi\s+(?:e-?mail|bài)|quay\s+(?:lại|về)"
    r"|về\s+đầu\s+trang|lưu(?!\s+ý\b)(?:\s+bài)?|đọc\s+bài|nghe\s+(?:đọc|bài)|xem\s+chi\s+tiết|xem\s+thêm|chi\s+tiết"
    r"|tải\s+về|bình\s+luận|ý\s+kiến\s+bạn\s+đọc|facebook|zalo|twitter|tweet|like|share|print"
    r"|cỡ\s+chữ|font\s+size|a\s*-?\s*a\s*\+?|(?:bạn\s+)?đánh\s+giá|tổng\s+số\s+điểm|click\s+để\s+đánh\s+giá"
    r"|từ\s+khóa|tags?)\b",
    re.IGNORECASE,
)
# a category or attachment field printed under the body: "Chuyên mục: Văn hóa dân tộc", or
# its label alone ("Tệp đính kèm:", the file's link in the next line)
_SECTION_FIELD = re.compile(
    r"^(?:chuyên\s+mục|danh\s+mục|thể\s+loại|chủ\s+đề|(?:tệp|tập\s+tin|tài\s+liệu|file)?\s*đính\s+kèm)"
    r"\s*:\s*(?:\S.{0,60})?$"
    r"|^(?:tệp|tập\s+tin|tài\s+liệu|file)\s+đính\s+kèm$"  # the heading of the attachments
    r"|^(?:attachments?|attached\s+files?|downloads?)\s*:?\s*$",  # ... in English
    re.IGNORECASE,
)
_SAPO_CLASS = Caseless(
    r"sapo|summary|brief|lead|description|hometext|tom-?tat|trich-?(?:yeu|dan)|intro|excerpt|teaser"
    r"|mo-?ta"
)
_ACCOUNT_LABEL = re.compile(
    r"^(?:Người\s+đăng|Đăng\s+bởi|Người\s+cập\s+nhật|Người\s+duyệt|Posted\s+by|By)\b", re.IGNORECASE
)
_BREADCRUMB = re.compile(r"breadcrumb|duong-?dan|path|crumb", re.IGNORECASE)
TOOL_LINE_CHARS = 60  # a share, print or "xem chi tiết" line is no longer
LEAD_CHARS = 60  # a bold first paragraph this long is the lead (sapo), not a subheading
BODY_NEAR_HEADLINE = 15  # the article block starts this close after its headline
LISTING_LINKS = 4  # headline links in the article block that make it a listing
LISTING_HEADLINE_WORDS = 5
IMAGE_SCORE = 30
AFTER_BODY = 8  # blocks after the article block where its byline or counter may be
BYLINE = Byline()


@dataclass
class FreeArticle:
    """Fields found without a layout, and how each was found (``methods``)."""

    title: str | None = None
    summary: str | None = None
    body: str | None = None
    images: list[dict[str, str | None]] = field(default_factory=list)
    author: str | None = None
    source: str | None = None
    category: str | None = None
    published_raw: str | None = None
    published: ParsedDate | None = None
    views_raw: str | None = None
    views: int | None = None
    methods: dict[str, str] = field(default_factory=dict)
    listing_like: bool = False  # the "article block" is a list of other articles' headlines
    # where each field was read: the element of its block (the article block for the body),
    # and the body's dropped blocks (noise inside the article block); for rule induction
    elements: dict[str, Element] = field(default_factory=dict)
    dropped: list[Element] = field(default_factory=list)


def _score(block: Block) -> float:
    """What a block adds to the element that holds it: prose pays, chrome and link lines cost."""
    size = len(block.text)
    if block.chrome:
        return -float(size)
    if block.link_density > 0.5:
        return -float(block.link_chars)
    prose = size - block.link_chars
    if size >= LONG_BLOCK:
        value = float(prose)
    elif size >= 30:
        value = prose * 0.5
    else:  # a short line costs, but a data table's cell (no link) is neutral: figures
        value = 0.0 if block.element.tag in _CELLS and not block.link_chars else -5.0
    return value + IMAGE_SCORE * len(block.images)


_CELLS = frozenset(["td", "th"])


def article_element(page: PageText, after: int, before: int | None = None) -> Element | None:
    """The element whose blocks score best among those ending after block ``after`` (the
    headline), starting at most ``BODY_NEAR_HEADLINE`` blocks after it (and ending before
    block ``before``, another story's headline, when given).

    ``page.spans`` is in post-order (an element is recorded when it ends, after its
    children), so one pass adds each element's total to its parent's: linear, no recursion.
    On a tie the deeper element wins (it is met first).
    """
    sums: dict[Element, float] = {}
    for block in page.blocks:
        sums[block.element] = sums.get(block.element, 0.0) + _score(block)
    best, best_score = None, 0.0
    for el, (start, end) in page.spans.items():
        total = sums.get(el)
        if not total:
            continue  # holds no scored text: neither the best nor adding to its parent
        near = (after < 0 or start <= after + BODY_NEAR_HEADLINE) and (
            before is None or end <= before
        )
        if end > start and end - 1 > after and near and total > best_score:
            best, best_score = el, total
        parent = el.getparent()
        if parent is not None:
            sums[parent] = sums.get(parent, 0.0) + total
    return best


def _one_story(page: PageText, anchor: int) -> Element | None:
    """The article block, without the stories a reader's page runs on after it ("Đọc tiếp":
    the next article printed whole, its headline in the headline's own class or a second
    ``h1``): then the best block ending before the next story's headline."""
    container = article_element(page, anchor)
    if container is None or anchor < 0:
        return container
    head = page.blocks[anchor].element
    cls = head.get("class")
    for block in page.inside(container):
        el = block.element
        if block.index <= anchor or el is head or el.tag not in _HEADINGS:
            continue
        if (cls and el.get("class") == cls) or (el.tag == head.tag == "h1"):
            found = article_element(page, anchor, block.index)
            return found if found is not None else container
    return container


_HEADINGS = frozenset(["h1", "h2", "h3", "h4"])


def _within(el: Element, ancestor: Element, depth: int = 50) -> bool:
    node = el
    for _ in range(depth):
        if node is None:
            return False
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _meta_line(block: Block) -> bool:
    """A date, views or account line (not prose): "Thứ Hai, 15/03/2021 | Lượt xem: 137"."""
    text = block.text
    if len(text) > 200:
        return False
    labelled = DATE_LABEL.search(text) or VIEWS.search(text) or VIEWS_AFTER.search(text)
    if len(text) <= 20 and (
        icon_count(block) or labelled_count(block) or VIEWS_LABEL.search(text)
    ):  # an eye icon and its count; a label alone, its count in the next element
        return True
    return (
        bool(labelled or BARE_CLOCK.match(text) or _ACCOUNT_LABEL.match(text))
        or (
            len(text) <= 60
            and (
                (sum(c.isdigit() for c in text) >= 6 and "/" in text)
                or ((m := DATE_SHAPE.search(text)) is not None and _dated_meta(text, m))
            )
        )
        or _figures_and_byline(text)
        or _separated_meta(text)
    )


_DATE_CLOCK = re.compile(CLOCK)


# the poster's label inside a line ("Thứ Tư, ngày 5 tháng 11 năm 2025 Người đăng: bientap01")
_ACCOUNT_PART = re.compile(
    r"(?<!\w)(?:Người\s+đăng|Đăng\s+bởi|Người\s+cập\s+nhật|Người\s+duyệt|Posted\s+by)\s*:",
    re.IGNORECASE,
)


def _dated_meta(text: str, date: re.Match[str]) -> bool:
    """A short line that is its date, the clock beside it and little else ("Thứ Ba,
    18-11-2025 09:15 Chia sẻ: 14"), or the poster's account besides."""
    rest = text[: date.start()] + " " + text[date.end() :]
    rest = _DATE_CLOCK.sub("", rest, count=1).strip()
    return len(rest) <= 25 or _ACCOUNT_PART.search(rest) is not None


_SEPARATOR = re.compile(r"\s+[|·•]\s+")
SEPARATED_META_CHARS = 100
META_PART_WORDS = 4


def _separated_meta(text: str) -> bool:
    """A date and short parts between "·" or "|" ("Thứ Sáu, ngày 5 tháng 12 năm 2025 · Ngọc
    Hân · 386": labels printed for screen readers only, the values bare)."""
    if len(text) > SEPARATED_META_CHARS or not _SEPARATOR.search(text):
        return False
    parts = [p for p in _SEPARATOR.split(text) if not DATE_SHAPE.search(p)]
    dated = len(parts) < len(_SEPARATOR.split(text))
    return dated and all(len(p.split()) <= META_PART_WORDS and "." not in p[-1:] for p in parts)


# a byline label inside a line: what follows it is a name, not prose
_BYLINE_PART = re.compile(rf"(?:{AUTHOR_WORDS}|{SOURCE_WORDS})\s*:", re.IGNORECASE)
_FIGURE = re.compile(rf"{CLOCK}|\d[\d.,/-]*|[|•·–—-]")


def _figures_and_byline(text: str) -> bool:
    """A line of a date, a clock and a count followed by a labelled byline: "18.11.2025 |
    07:45 1.032 Tác giả: Lê Hoàng Yến" (icons gave the figures their meaning)."""
    if len(text) > 120 or not DATE_SHAPE.search(text):
        return False
    label = _BYLINE_PART.search(text)
    head = text if label is None else text[: label.start()]
    return label is not None and len(_FIGURE.sub(" ", head).split()) <= 1


_ATTACHMENT = Caseless(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar)(?:[/?#]|$)")


def _attachment_line(block: Block) -> bool:
    """A line linking the article's attached documents: part of the article, not a link list."""
    return bool(block.links) and all(_ATTACHMENT.search(a.get("href") or "") for a in block.links)


def _headline_link(block: Block) -> bool:
    return block.link_density > 0.6 and len(block.text.split()) >= LISTING_HEADLINE_WORDS


def _body_blocks(
    page: PageText, container: Element | None, after: int, players: set[Element]
) -> tuple[list[Block], int]:
    """The container's prose after the headline, cut at the first "other news" heading, and
    how many headline links the container held before that cut (a listing holds many)."""
    kept: list[Block] = []
    links = 0
    within = page.inside(container) + after_embed(page, container) if container is not None else []
    inside = [b for b in within if b.index > after]
    # a document's "Số ký hiệu / Người ký" table, the article's own "Người viết:" record
    records = property_boxes(inside) | property_boxes(inside, ARTICLE_FIELD)
    records |= players | contents_boxes(inside) | series_boxes(inside) | event_boxes(inside)
    skip_to = 0
    shown: set[str] = set()
    for at, block in enumerate(inside):
        if at < skip_to:
            continue  # a box of links to other articles set between the body's paragraphs
        found = _not_text(block, records, shown)
        if found is None or _tab_label(block.element):
            continue
        block, text = found, found.text
        if text and len(text) <= 60 and kept and (OTHER_NEWS.match(text) or SEE_ALSO.match(text)):
            skip_to = _inline_box_end(inside, at, kept[-1])
            if skip_to:
                continue
            if OTHER_NEWS.match(text):
                break
        if kept and SITE_IMPRINT.match(text):
            kept = _before_imprint(kept, block)
            break  # the site's imprint, with no footer element around it (a print view)
        if (block.chrome and not block.images) or _tool_block(text) or _banner(block):
            continue
        links += _headline_link(block)  # with its thumbnail or without
        if _link_or_meta_line(block, kept):
            continue
        kept.append(block)
        shown.update(photo_name(u) for u, _ in block.images)
    return _trim_tail(kept), links


def _link_or_meta_line(block: Block, kept: list[Block]) -> bool:
    """A line of links or the article's meta row (with at most icons, a date line's, and no
    attachment): not text. A meta row also drops the short byline or notice lines kept above it."""
    text = block.text
    if not text or any(not is_icon(i) for _, i in block.images) or _attachment_line(block):
        return False
    if block.link_density > 0.6 and len(text) <= 200:
        return True
    if not kept and _meta_line(block):
        return True
    if _preamble(kept) and block.element.tag not in SCHEDULE_CELLS and _meta_line(block):
        kept.clear()  # byline lines or a notice box above the article's date row
        return True
    return False


SCHEDULE_CELLS = frozenset(["td", "th"])  # a dated cell under the first lines: a schedule's


PREAMBLE_BLOCKS = 2  # a notice box's lines above the date row: "Bài viết được chuyển từ …"
PREAMBLE_CHARS = 160


def _preamble(kept: list[Block]) -> bool:
    """Whether the body so far is at most a notice's two short lines (or labelled byline lines:
    a meta row's items, "Tác giả: …" then "532 lượt xem"): what is above a date row is not the
    text."""
    if len(kept) > PREAMBLE_BLOCKS and not all(_labelled_byline(b) for b in kept):
        return False
    return all(len(b.text) <= PREAMBLE_CHARS and not b.images for b in kept)


def _labelled_byline(block: Block) -> bool:
    return len(block.text) <= MAX_BYLINE_CHARS and all(
        AUTHOR_LABEL.match(p) or SOURCE_LABEL.match(p) for p in line_parts(block.text)
    )


# a print view's "Địa chỉ bài viết: https://…" (the article's address printed under it)
# ... and a re-posted story's link to where it was first published ("Bài viết gốc: https://…"),
# or the notice of it ("Tin được đồng bộ từ Cổng TTĐT tỉnh … Xem bài gốc")
_PRINTED_ADDRESS = re.compile(
    r"^(?:địa\s+chỉ|đường\s+dẫn|link|url|bài(?:\s+viết)?\s+gốc|nguồn\s+bài\s+gốc)"
    r"(?:\s+(?:bài\s+viết|bài|tin|trang))?\s*:?\s*https?://\S+$"
    r"|^(?:tin|bài(?:\s+viết)?)\s+(?:được\s+)?(?:đồng\s+bộ|đăng\s+lại|chia\s+sẻ)\s+từ\b.{0,80}$",
    re.IGNORECASE,
)


def _tool_block(text: str) -> bool:
    """Share, print, "xem chi tiết" lines, with or without their icons, and a print view's
    printed address of the article."""
    return bool(text) and (_tool_line(text) or _PRINTED_ADDRESS.match(text) is not None)


def _before_imprint(kept: list[Block], imprint: Block) -> list[Block]:
    """The blocks before a site's imprint without the lines of its box above it (the site's
    name over "Chịu trách nhiệm chính: …")."""
    box = imprint.element.getparent()
    while kept and kept[-1].element.getparent() is box and box is not None:
        kept = kept[:-1]
    return kept


def _tab_label(el: Element) -> bool:
    """A tab's label ("Nội dung", "Văn bản liên quan" over the panels): a control, not a
    heading of other news."""
    parent = el.getparent()
    return el.get("role") == "tab" or (parent is not None and parent.get("role") == "tablist")


def _not_text(block: Block, records: set[Element], shown: set[str]) -> Block | None:
    """The block as the body reads it: None for a document's record or its heading and for a
    strip of thumbnails of photos ``shown`` already, its photo alone for a gallery's counter
    beside it ("Ảnh 1/6"), else the block itself."""
    text = block.text
    if not text and block.images and all(thumbnail_of(u, shown) for u, _ in block.images):
        return None
    if in_box(block, records) or (
        len(text) <= 40 and (DOCUMENT_HEADING.match(text) or _heads(block.element, records))
    ):
        return None
    if text and len(text) <= 30 and (PHOTO_COUNTER.match(text) or READING_TIME.match(text)):
        return text_apart(block) if block.images else None
    if text and len(text) <= 40 and _beside_controls(block.element):
        return None  # a form field's label; a player's label beside its button
    return block


def _heads(el: Element, records: set[Element]) -> bool:
    """Whether ``el`` is the title right above a record ("Văn bản liên quan" over its table)."""
    after = next_element(el)
    return after is not None and after in records


_CONTROLS = ("button", "audio", "select", "input", "textarea")
_SMALL_BOX = 60  # elements: a player bar or a feedback form, not a page's one <form>


def _beside_controls(el: Element) -> bool:
    """Whether a small element holds a visible control: its short text labels a button, a
    player or a form field ("Công nghệ Viettel AI", "Ý kiến góp ý của bạn")."""
    for at, node in enumerate(el.iter()):
        if at > _SMALL_BOX:
            return False
        if node.tag in _CONTROLS and node.get("type") != "hidden" and not heading_button(node):
            return True
    return False


_TOOL_PART = re.compile(r"\s*\|\s*")
# tool links that are tools only as a whole item ("« Trở về"; "Trở lại trường …" is prose)
_WHOLE_TOOL = re.compile(
    r"^(?:trở\s+(?:lại|về)|về\s+trang\s+trước|(?:lên\s+)?đầu\s+trang)$", re.IGNORECASE
)


def _tool_line(text: str) -> bool:
    """A share, print or "xem chi tiết" line, or a row of tool links between "|" most of which
    are tools ("Chia sẻ | In trang | Gửi email | « Trở về")."""
    if len(text) > TOOL_LINE_CHARS:
        return False
    if _TOOL_LINE.match(text):
        return True
    found = [p.strip("«»‹›<>←↑ ") for p in _TOOL_PART.split(text)]
    tools = sum(bool(_TOOL_LINE.match(p) or _WHOLE_TOOL.match(p)) for p in found)
    return 2 * tools > len(found)  # "« Trở về" alone, or most of a row


def _inline_box_end(blocks: list[Block], at: int, last: Block) -> int:
    """Where a "Đọc thêm" / "Tin liên quan" box starting at ``at`` ends, when it is set
    between the body's paragraphs: link lines (with thumbnails; a banner may follow), then a
    paragraph inside the element holding the one before the box (``last``); else 0 (a
    heading of other news after the body ends the body)."""
    end = _links_end(blocks, at + 1)  # its links, a headline or a short title each
    if end == at + 1:
        return 0
    while end < len(blocks) and _banner(blocks[end]):
        end += 1  # a banner set right under the box
    if end == len(blocks):
        return 0
    after, parent = blocks[end], last.element.getparent()
    beside = parent is not None and parent in after.element.iterancestors()  # in the body still
    prose = len(after.text) >= LONG_BLOCK and after.link_density <= 0.3
    photo = not after.text and bool(after.images)  # the body's next photo (banners passed)
    return end if beside and (prose or photo) else 0


def _links_end(blocks: list[Block], start: int) -> int:
    """Where the run of link lines from ``start`` on ends (a box's links to other articles)."""
    end = start
    while end < len(blocks) and blocks[end].link_density > 0.6 and len(blocks[end].text) <= 200:
        end += 1
    return end


def _trim_fields(kept: list[Block]) -> list[Block]:
    """Blocks without their trailing labelled attachment and category fields ("Tệp đính kèm:
    ….pdf"; attachments the body lists without a label are the body's), and a heading left
    with nothing under it (the "Thông tin bổ sung" over the byline's fields)."""
    while kept:
        label = 0  # the field's label, above its files (a line each) or with them
        while not _SECTION_FIELD.match(kept[-1 - label].text) and (
            label < len(kept) - 1 and _attachment_line(kept[-1 - label])
        ):
            label += 1
        if _SECTION_FIELD.match(kept[-1 - label].text):
            kept = kept[: -1 - label]
        elif kept[-1].element.tag in _HEADINGS and len(kept) > 1 and not kept[-1].images:
            kept = kept[:-1]
        else:
            break
    return kept


def _trim_tail(kept: list[Block]) -> list[Block]:
    """Blocks without their trailing date, views, tool, account, attachment ("Tệp đính kèm:
    …pdf", its icon) and category field ("Chuyên mục:") lines, and a translation after them."""
    while (
        kept
        and not any(not is_icon(img) for _, img in kept[-1].images)
        and (
            _meta_line(kept[-1])
            or _tool_line(kept[-1].text)
            or ACCOUNT.search(kept[-1].text)
            or _attachment_line(kept[-1])
            or _SECTION_FIELD.match(kept[-1].text)
            or (len(kept) > 1 and _foreign(kept[-1].text) and _vietnamese(kept[0].text))
        )
    ):
        kept = kept[:-1]
    return kept


FOREIGN_WORDS = 8


def _foreign(text: str) -> bool:
    """A paragraph with no Vietnamese letter in it (a bilingual template's English "Summary:"
    box under a story written with diacritics): a translation, not the story's text. A story
    typed without diacritics is read whole (its first paragraph has none either)."""
    return len(text.split()) >= FOREIGN_WORDS and not _vietnamese(text)


def _vietnamese(text: str) -> bool:
    return any(ord(c) > 127 and c.isalpha() for c in text)


def _sapo(page: PageText, blocks: list[Block], descriptions: list[str]) -> Block | None:
    """The lead paragraph (after a lead photo, if any): in a "sapo"-like element of its own
    (not the body's, as Drupal's ``text-with-summary`` field), or the page's meta description."""
    first = next((b for b in blocks if b.text), None)
    if first is None or len(first.text) < 40 or any(b.text for b in blocks[: blocks.index(first)]):
        return None
    if _sapo_classed(page, first):
        return first
    # a first paragraph the page also gives as its description, set apart by bold type or by
    # an element unlike the paragraphs after it (a lead field above the body field)
    if (_bold_line(first) or _unlike_next(first, blocks)) and _described(first, descriptions):
        return first
    # ... or a bold first paragraph of some length, as Vietnamese news print their lead
    return first if _bold_line(first) and len(first.text) >= LEAD_CHARS else None


def _sapo_classed(page: PageText, block: Block) -> bool:
    """Whether ``block`` is alone in an element named a lead ("sapo", "tom-tat", "summary")."""
    node = block.element
    for _ in range(3):
        if node is None or sum(1 for b in page.inside(node) if b.text) > 1:
            return False
        if _SAPO_CLASS.search(
            f"{node.get('class') or ''} {node.get('id') or ''} {node.get('itemprop') or ''}"
        ):
            return True
        node = node.getparent()
    return False


def _described(block: Block, descriptions: list[str]) -> bool:
    """Whether the page's description begins as ``block`` does (its first 80 letters)."""
    folded = fold_diacritics(block.text)[:80]
    return any(fold_diacritics(d)[:80] == folded for d in descriptions if len(d) >= 40)


def _sapo_above(
    page: PageText, anchor: int, body_start: int, descriptions: list[str]
) -> Block | None:
    """A lead in an element of its own between the headline and the article block: named a
    lead, or in bold type and given as the page's description too or of a lead's length."""
    return next(
        (
            b
            for b in page.blocks[anchor + 1 : body_start]
            if len(b.text) >= 40
            and not b.chrome
            and not b.links
            and (
                _sapo_classed(page, b)
                or (_bold_line(b) and (len(b.text) >= LEAD_CHARS or _described(b, descriptions)))
            )
        ),
        None,
    )


_NOT_PROSE = frozenset(["table", "caption", "tr", "th", "td", "figure", "figcaption"])


def _unlike_next(first: Block, blocks: list[Block]) -> bool:
    """Whether the next paragraph sits in another kind of element (a ``<div>`` lead before
    ``<p>`` paragraphs, a ``<p>`` of another class), or outside the first's parent (deeper
    inside it is the same body: an accordion's chapter); a table's or a photo's text, a
    heading and the line under a photo (its caption) are no paragraphs."""
    nxt = next(
        (
            b
            for prev, b in itertools.pairwise(blocks)
            if b.text
            and b is not first
            and b.element.tag not in _NOT_PROSE
            and b.element.tag not in _HEADINGS
            and not b.images
            and not (prev.images and not prev.text)
        ),
        None,
    )
    if nxt is None:
        return False
    el, other = first.element, nxt.element
    parent = el.getparent()  # the next paragraph may sit deeper in it (an accordion's chapter)
    return (
        el.tag != other.tag
        or el.get("class") != other.get("class")
        or parent is None
        or not _within(other, parent)
    )


_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
# utility classes: Bootstrap's .fw-bold / .font-weight-bold, Tailwind's .font-bold and
# .font-semibold
_BOLD_CLASS = Caseless(
    r"(?:^|\s)(?:fw-(?:bold|bolder|semibold)|font-(?:weight-)?bold|font-(?:semibold|extrabold))"
    r"(?:\s|$)"
)


def _bold(el: Element) -> bool:
    return (
        el.tag in ("strong", "b")
        or _BOLD_STYLE.search(el.get("style") or "") is not None
        or _BOLD_CLASS.search(el.get("class") or "") is not None
    )


def _bold_line(block: Block) -> bool:
    """A short line written entirely in bold: a byline in many editors' habit."""
    el = block.element
    if _bold(el):
        return True
    strong = [b for b in el.iterdescendants() if isinstance(b.tag, str) and _bold(b)]
    runs = [" ".join("".join(s.itertext()).split()) for s in strong]
    # the bold runs are the line; or one of them is, in an element that holds lines between
    # <br>s (an old editor's body: "… trục xóm.<br><br><B>Nguyễn Văn Hùng</B><br>")
    return bool(runs) and (" ".join(" ".join(runs).split()) == block.text or block.text in runs)


def _byline(blocks: list[Block], container: Element) -> tuple[int, str | None, str | None]:
    """Trailing byline lines (right-aligned, bold or labelled): where they start, author, source."""
    # byline_candidates reads the last ``max_lines`` blocks only, and none when the last one
    # cannot be a byline (then it would still match the byline CSS over the whole container)
    last = blocks[-1]
    if last.images or not last.text or len(last.text) > MAX_BYLINE_CHARS:
        cut = len(blocks)
    else:
        head = max(0, len(blocks) - BYLINE.max_lines)
        shaped = [BodyBlock(b.text, b.element, [u for u, _ in b.images]) for b in blocks[head:]]
        cut = head + byline_candidates(shaped, container, BYLINE)
    # a bold short last line (or two) is a byline too, where alignment says nothing
    while cut > 0 and len(blocks) - cut < BYLINE.max_lines:
        block = blocks[cut - 1]
        if block.images or not block.text or len(block.text) > MAX_BYLINE_CHARS:
            break
        if not (
            _bold_line(block)
            or labelled_parts(block.text)
            or bracketed(block.text)
            or BARE_LABEL.match(block.text)
            or (cut >= 2 and BARE_LABEL.match(blocks[cut - 2].text))  # a label's value
        ):
            break
        if block.text.endswith(("./.", ".")) and len(block.text.split()) > 8:
            break
        cut -= 1
    while cut < len(blocks) and blocks[cut].text.endswith(("?", "!")):
        cut += 1  # an interview's closing question or thanks, in bold: the body's last words
    if cut == len(blocks):
        return cut, None, None
    return cut, *read_byline([b.text for b in blocks[cut:]], BYLINE)


# align="right", text-align: right, .text-right, .pull-right, Bootstrap 5's .text-end
_RIGHT = Caseless(r"right|(?:^|\s)text-end(?:\s|$)")


def _right_aligned(el: Element) -> bool:
    return bool(
        _RIGHT.search(f"{el.get('align') or ''} {el.get('style') or ''} {el.get('class') or ''}")
    )


def _own_footer(block: Block, last: Block, text: str) -> bool:
    """A labelled line ("Nguồn: …") in the ``<footer>`` of the article holding the body's
    ``last`` block: the article's own footer (HTML sectioning), not the page's."""
    if not (labelled_parts(text) or _theo_source(text)):
        return False
    article = next(block.element.iterancestors("article"), None)
    return article is not None and _within(last.element, article)


def _past_box(page: PageText, start: int, container: Element) -> int:
    """Past a related box closing the article's text inside its block ("Tin liên quan:" and
    its link lines) when the article's labelled byline line follows it ("Nguồn: …")."""
    blocks = page.blocks
    if (
        start >= len(blocks)
        or len(blocks[start].text) > 60
        or not SEE_ALSO.match(blocks[start].text)
    ):
        return start
    if not any(a is container for a in blocks[start].element.iterancestors()):
        return start  # a list after the article block: other news
    end = _links_end(blocks, start + 1)
    return end if end > start + 1 and end < len(blocks) and _labelled_byline(blocks[end]) else start


def _after_body(
    page: PageText, blocks: list[Block], start: int | None = None
) -> tuple[list[str], list[str]]:
    """Byline lines right after the article block, in a row or box of their own: short, no
    links, and right-aligned, bold or labelled ("Tác giả: …", "Nguồn: …"), and the credit
    lines among them ("Biên tập: …", "Quay phim: …"). A line with a digit that carries no
    label (a date, a counter) ends them, as do headings of other news; attachment and
    category fields are passed over."""
    lines: list[str] = []
    credits: list[str] = []
    start = blocks[-1].index + 1 if start is None else start
    for block in page.blocks[start : start + BYLINE.max_lines + CREDIT_LINES]:
        text = block.text
        if _SECTION_FIELD.match(text) or _attachment_line(block) or _pager_line(block):
            continue  # the article's attachment or category field, its pages' pager
        if _ACCOUNT_LABEL.match(text) and len(text) <= MAX_BYLINE_CHARS:
            continue  # the poster's account ("Người đăng: admin_snnmt"), a byline may follow
        if len(lines) >= BYLINE.max_lines:
            break
        if (block.chrome and not _own_footer(block, blocks[-1], text)) or block.images or not text:
            break
        if not (block.link_chars or labelled_parts(text)) and credit_roles(text) is not None:
            credits.append(text)  # a video's crew under it
            continue
        if block.link_chars and not labelled_parts(text):
            break  # a link, unless a labelled one ("Nguồn: <a>Báo Cần Thơ</a>")
        if len(text) > MAX_BYLINE_CHARS or OTHER_NEWS.match(text) or _TOOL_LINE.match(text):
            break
        labelled = labelled_parts(text)
        value = bool(lines) and BARE_LABEL.match(lines[-1]) is not None
        if not (labelled or value or BARE_LABEL.match(text) or _theo_line(block, lines)) and (
            any(c.isdigit() for c in text)
            or not (_right_aligned(block.element) or _bold_line(block))
        ):
            break
        lines += labelled or [text]
    return lines, credits


# an article printed over several pages: "Trang 1 2 3 | Trang sau »" under its text
_PAGER_LINE = re.compile(
    r"^(?:trang\s*:?\s*)?(?:[\d«»‹›|…,.\s-]|trang\s+(?:sau|trước|tiếp|kế|đầu|cuối)"
    r"|tiếp|sau|trước|next|prev)+$",
    re.IGNORECASE,
)
_PAGER_MARK = re.compile(r"\d\s+\d|[«»‹›]|trang|tiếp|next", re.IGNORECASE)


def _pager_line(block: Block) -> bool:
    """A row of page links ("Trang 1 2 3 | Trang sau »"), not a count or a date."""
    text = block.text
    return bool(block.links) and bool(_PAGER_LINE.match(text) and _PAGER_MARK.search(text))


def _theo_line(block: Block, lines: list[str]) -> bool:
    """ "Theo Báo Thanh Hóa" under a byline line, set in italics or in the article's own
    ``<footer>``: where the article comes from, with no label's colon."""
    return _theo_source(block.text) and (bool(lines) or _italic(block.element) or block.chrome)


def _theo_source(text: str) -> bool:
    return (
        text.startswith("Theo ")
        and not any(c.isdigit() for c in text)
        and DEFAULT_SOURCE.match(text) is not None
    )


def _italic(el: Element) -> bool:
    """Set in italics: an ``<em>``/``<i>`` wrapping the whole line, or an italic style."""
    kids = [k for k in el if isinstance(k.tag, str)]
    whole = len(kids) == 1 and kids[0].tag in ("em", "i") and not (el.text or "").strip()
    return whole or el.tag in ("em", "i") or "italic" in (el.get("style") or "")


_CAPTION_STYLE = Caseless(
    r"italic|center|caption|chu-?thich|image-?desc|img-?desc|photo-?desc|note"
)
MAX_PLAIN_CAPTION = 150


def _styled(el: Element) -> bool:
    """Set apart as a caption: italic, centred, or a caption class (here or just inside)."""
    for node in (el, *el.iterchildren()):
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("em", "i", "figcaption", "caption") or _CAPTION_STYLE.search(
            f"{node.get('class') or ''} {node.get('style') or ''} {node.get('align') or ''}"
        ):
            return True
    return False


def caption_line(block: BodyBlock, in_figure: bool) -> bool:
    """Without a layout, the line after a photo is its caption when it is set apart (italic,
    centred, a caption class), or short and unpunctuated; a prose paragraph never is."""
    if not is_caption(block, in_figure) or block.element.tag in HEADING_TAGS:
        return False  # a chapter's heading under a photo is no caption
    if in_figure or _styled(block.element):
        return True
    return len(block.text) <= MAX_PLAIN_CAPTION and not block.text.endswith((".", ";", ":"))


# a label inside a metadata line, its value up to the next label, digit or separator:
# "12/11/2026 8:45:00 SA Tác giả: Hồng Nhung Lượt xem: 1.387"
_NEXT_LABEL = (
    r"(?=\s*(?:$|[|\d(]|(?:Lượt|Số\s+lượt|Đã\s+xem|Cập\s+nhật|Ngày|Đăng|Nguồn|Tác\s+giả"
    r"|Chuyên\s+mục|Danh\s+mục|Views|Posted|Source)\b))"
)
_INLINE_AUTHOR = re.compile(
    rf"(?:^|\s)(?:{AUTHOR_WORDS})\s*:\s*([^|:\d()]{{2,60}}?)" + _NEXT_LABEL, re.IGNORECASE
)
_INLINE_SOURCE = re.compile(
    rf"(?:^|\s)(?:{SOURCE_WORDS})\s*:\s*([^|:\d()]{{2,100}}?)" + _NEXT_LABEL, re.IGNORECASE
)


_BYLINE_CLASS = Caseless(r"byline|author|tac-?gia|nguoi-?viet")


def _byline_classed(block: Block) -> bool:
    """A short line in an element named a byline ("byline-top", "tac-gia", "Post_author__x")."""
    text, el = block.text, block.element
    return (
        bool(text)
        and len(text) <= 40
        and not block.links
        and not any(c.isdigit() for c in text)
        and not BARE_LABEL.match(text)  # "Tác giả:" with its value left empty
        and _BYLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}") is not None
    )


AUTHOR_BOX_CHARS = 300


def _credits(blocks: list[Block], between: list[Block]) -> tuple[list[Block], str | None]:
    """The body's blocks without a credit box opening or closing them ("Nội dung: …",
    "Ảnh: …", "Trình bày: …"; closing, it may sit above the source line), and the writer it
    names (or one set between the headline and the body names)."""

    def run(candidates: list[Block]) -> int:
        count = 0
        for block in candidates:
            if block.images or credit_roles(block.text) is None:
                break
            count += 1
        return count

    head = run(blocks[:CREDIT_LINES])
    source = _source_lines(blocks) if head < len(blocks) else 0
    end = len(blocks) - source
    tail = run(blocks[:end][::-1][:CREDIT_LINES]) if head < end else 0
    opening, opening_author = read_credits([b.text for b in blocks[:head]])
    closing, closing_author = read_credits([b.text for b in blocks[end - tail : end]])
    if opening or closing:
        kept = blocks[head if opening else 0 : end - tail if closing else end]
        return kept + blocks[end:], opening_author or closing_author
    last = run(between[::-1])  # the box between the headline and the body
    return blocks, credit_author([b.text for b in between[len(between) - last :]]) if last else None


SOURCE_LINES = 2


def _source_lines(blocks: list[Block]) -> int:
    """How many of the last blocks name the source ("Nguồn: …", "(Theo …)")."""
    count = 0
    for block in blocks[::-1][:SOURCE_LINES]:
        text = block.text
        source = SOURCE_LABEL.match(text) or _THEO.match(text) or DEFAULT_SOURCE.match(text)
        if block.images or len(text) > MAX_BYLINE_CHARS or not source:
            break
        count += 1
    return count


_THEO = re.compile(r"^\(\s*(?:theo|nguồn)\b.{3,100}\)$", re.IGNORECASE)  # "(Theo …)"


CREDIT_LINES = 6


def _author_box(blocks: list[Block]) -> tuple[list[Block], Element | None]:
    """The body's blocks without an author box ending them (an element named so: avatar,
    name, job line, "Bài viết của tác giả"), and that box."""
    if len(blocks) < 2:
        return blocks, None
    box, el = None, blocks[-1].element
    for _ in range(BYLINE_BOX_DEPTH):
        if el is None:
            break
        if _BYLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            box = el  # the outermost one near: "author-box" around "author-info"
        el = el.getparent()
    if box is None:
        return blocks, None
    start = len(blocks)
    while start > 1 and (
        blocks[start - 1].element is box or box in blocks[start - 1].element.iterancestors()
    ):
        start -= 1
    text = " ".join("".join(box.itertext()).split())
    if len(text) > AUTHOR_BOX_CHARS:
        return blocks, None
    return blocks[:start], box


def _author_box_after(container: Element | None) -> Element | None:
    """An author box right after the article block (the writer's avatar, name and "Bài viết
    của tác giả" under the text, outside its box)."""
    after = next_element(container) if container is not None else None
    if after is None or next(after.iter("img"), None) is None:
        return None  # a box with the writer's photo, not a one-line "Nguồn: …" row
    if not _BYLINE_CLASS.search(f"{after.get('class') or ''} {after.get('id') or ''}"):
        return None
    text = " ".join("".join(after.itertext()).split())
    return after if 0 < len(text) <= AUTHOR_BOX_CHARS else None


def _fill_from_box(out: FreeArticle, page: PageText, box: Element) -> None:
    """The author and source an author box gives: its labelled fields ("Tác giả" /
    "Nguồn", or "Theo Báo …" under the author), else the name it shows."""
    lines = page.inside(box)
    author = _labelled(lines, AUTHOR_LABEL) or _box_name(box)
    theo = (b.text for at, b in enumerate(lines) if _theo_line(b, [x.text for x in lines[:at]]))
    source = _labelled(lines, SOURCE_LABEL) or SOURCE_PREFIX.sub("", next(theo, "")) or None
    if out.author is None and author:
        out.author, out.methods["author"] = author, "byline"
    if out.source is None and source:
        out.source, out.methods["source"] = source, "byline"


RECORD_AFTER = 16  # blocks after the article block where its record may be (label, value)


def _fill_from_record(
    out: FreeArticle, page: PageText, container: Element | None, credit: str | None
) -> None:
    """The writer a credit box names; then author and source from the article's own record of
    label and value rows ("Người viết: Trần Văn Hải", "Nguồn tin: Chi cục Thủy lợi";
    "Người tạo: Administrator/SNNMT" is an account), when the byline gave none."""
    if credit:
        out.author, out.methods["author"] = credit, "credits"
    if container is None or (out.author and out.source):
        return
    inside = page.inside(container)
    if inside:  # and the record right after the article block ("<dl>" under the text)
        inside = [*inside, *page.blocks[inside[-1].index + 1 : inside[-1].index + 1 + RECORD_AFTER]]
    boxes = property_boxes(inside, ARTICLE_FIELD)
    fields = [b for b in inside if in_box(b, boxes)]
    if not fields:
        return
    if out.author is None and (author := _labelled(fields, AUTHOR_LABEL)):
        out.author, out.methods["author"] = author, "record"
    if out.source is None and (source := _labelled(fields, SOURCE_LABEL)):
        out.source, out.methods["source"] = source, "record"


def _box_name(box: Element) -> str | None:
    """The name an author box shows: in an element named so ("author-name"), else its first
    short line that reads like a name (not "Bài viết của tác giả" nor a job line)."""
    lines: list[tuple[bool, str]] = []
    for el in box.iter():
        if not isinstance(el.tag, str) or el is box:
            continue
        line = " ".join("".join(el.itertext()).split())
        named = "name" in f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if (
            2 <= len(line.split()) <= 5
            and not any(c.isdigit() for c in line)
            and not BARE_LABEL.match(line)
            and not _BYLINE_WORDS.search(line)
        ):
            lines.append((named, line))
    named_lines = [line for named, line in lines if named]
    found = named_lines or [line for _, line in lines]
    return found[0] if found else None


BYLINE_BOX_DEPTH = 3
# a link or line of the box that is no name: "Bài viết của tác giả", "Xem thêm"
_BYLINE_WORDS = Caseless(r"bài\s+viết|tác\s+giả|xem\s+thêm|biên\s+tập|phóng\s+viên\s+|theo\s+dõi")


def _classed_byline(blocks: list[Block]) -> str | None:
    """A short line right by the headline in an element named a byline: an author printed
    above the title ("N.T.H") or under it, without a label."""
    for block in blocks:
        if _byline_classed(block) and not is_account(block.text):  # a CMS's "admin"
            return block.text.strip(" .-–") or None
    return None


def _inline(blocks: list[Block], label: re.Pattern[str]) -> str | None:
    for block in blocks:
        if len(block.text) <= 300 and (m := label.search(block.text)):
            return m.group(1).strip(" .,-–") or None
    return None


# in a metadata line cut by "|", a label may go without its colon: "… | Tác giả Minh Khoa"
_BARE_AUTHOR_PART = re.compile(rf"^(?:{AUTHOR_WORDS})\s+(\S.*)$", re.IGNORECASE)


def _labelled(blocks: list[Block], label: re.Pattern[str]) -> str | None:
    """The value of the first ``label``ed line, or part of a line ("… | Tác giả: X | …"); a
    label printed alone takes the next line ("<dt>Tác giả</dt><dd>Minh Hằng</dd>")."""
    for text in label_values([b.text for b in blocks]):
        if len(text) > MAX_BYLINE_CHARS + 100:
            continue
        text = text[1:-1].strip() if bracketed(text) else text  # "(Nguồn: …)"
        parts = line_parts(text)
        for part in parts:
            m = label.match(part)
            if m is None and label is AUTHOR_LABEL and len(parts) > 1:
                m = _BARE_AUTHOR_PART.match(part)
            if len(part) <= MAX_BYLINE_CHARS and m:
                value = unbracket(_VALUE_END.split(m.group(1))[0].strip(" -–—")) or None
                if not (value and label is AUTHOR_LABEL and is_account(value)):
                    return value  # "Viết bởi admin": an account, the next label may name one
    return None


COUNT_LABELS = r"(?:Số\s+)?lượt\s+(?:xem|đọc|truy\s+cập)|Đã\s+xem|Cập\s+nhật(?:\s+lần\s+cuối)?"
# where a labelled value ends when the date or the count follows it on the line:
# "Tác giả: Đỗ Văn Hùng - 12/11/2026 03:40 CH (856 lượt xem)"
_VALUE_END = re.compile(
    r"\s+[-–—]\s+(?=\d)|\s*\(\s*\d"
    # "Tác giả: Đức Thịnh Thứ Hai, ngày 23 tháng 2 năm 2026": a weekday or a date follows
    r"|\s+(?=(?:Thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|Chủ\s+nhật|ngày\s+\d|lúc\s+\d)\b)"
    r"|\s+(?=\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4})"
    # "Tác giả: Thu Hà Lượt xem: 1.387": the next capitalised label
    rf"|\s+(?=(?-i:[A-ZĐ]))(?=(?:{AUTHOR_WORDS}|{SOURCE_WORDS}|{COUNT_LABELS})\s*:)"
    # "Tác giả: Hoàng Long In trang": a capitalised tool link in the same row
    r"|\s+(?=(?-i:In\s+(?:trang|bài)|Chia\s+sẻ|Gửi\s+(?:email|e-mail|bài|bạn\s+bè)|Bản\s+in)\b)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _crumb_names(cls: str | None, ident: str | None) -> bool:
    return _BREADCRUMB.search(f"{cls or ''} {ident or ''}") is not None


def _crumb_of(anchor: Element, seen: set[Element]) -> Element | None:
    """The breadcrumb ``anchor`` is in (its outermost element named so), if it is in one."""
    node, hops = anchor.getparent(), 0
    while node is not None and hops < 4:
        if node not in seen:
            if _crumb_names(node.get("class"), node.get("id")):
                parent = node.getparent()
                while parent is not None and _crumb_names(parent.get("class"), parent.get("id")):
                    node, parent = parent, parent.getparent()  # li.breadcrumb-item in ol.breadcrumb
                return node
            seen.add(node)
        node, hops = node.getparent(), hops + 1
    return None


def _category(page: PageText) -> str | None:
    """The last breadcrumb link that is not the home page."""
    seen: set[Element] = set()  # ancestors already found not to be a breadcrumb
    for anchor, _ in page.anchors:
        crumb = _crumb_of(anchor, seen)
        if crumb is None:
            continue
        links = [" ".join("".join(a.itertext()).split()) for a in crumb.iter("a")]
        links = [t for t in links if t and fold_diacritics(t) not in ("trang chu", "home")]
        if links:
            return links[-1]
        seen.add(crumb)
    return None


def _fill_body(
    out: FreeArticle,
    page: PageText,
    container: Element,
    body: list[Block],
    blocks: list[Block],
    sapo: Block | None,
    url: str,
    lead: int = 0,
) -> None:
    """The body text and its images; blocks of the article block left out are ``dropped``.
    The first ``lead`` blocks (the lead photo and its caption) give an image, not text."""
    out.images = attach_captions(_shaped(body, url), caption_line)
    text = "\n\n".join(b.text for b in body[lead:] if b.text)
    out.body, out.methods["body"] = text or None, "article_block"
    out.elements["body"] = container
    kept = {id(b) for b in blocks} | ({id(sapo)} if sapo is not None else set())
    out.dropped = [b.element for b in page.inside(container) if id(b) not in kept and b.text]


def _shaped(blocks: list[Block], url: str) -> list[BodyBlock]:
    return [BodyBlock(b.text, b.element, [urljoin(url, u) for u, _ in b.images]) for b in blocks]


def _lead_photo(blocks: list[Block], url: str) -> int:
    """How many blocks at the start of ``blocks`` are a photo and its caption: a photo alone
    and the caption under it (2), or a photo with its caption beside it (1), and the photo's
    credit line after them; else 0."""
    if len(blocks) < 2 or not blocks[0].images:
        return 0
    if blocks[0].text:  # the photo with its caption in one block
        text = blocks[0].text
        return 1 if len(text) <= MAX_PLAIN_CAPTION and not text.endswith((";", ":")) else 0
    caption = _shaped(blocks[1:2], url)[0]
    lead = 2 if caption_line(caption, blocks[1].element.tag == "figcaption") else 1
    # the photographer's credit under it ("Ảnh: Thanh Hà") belongs to the photo too
    return lead + 1 if len(blocks) > lead + 1 and photo_credit(blocks[lead].text) else lead


def _photo_above(
    page: PageText, anchor: int, body_start: int, base: str, players: set[Element]
) -> list[dict[str, str | None]]:
    """The photo between the headline and the article block (a lead photo field of its own,
    outside the element holding the body), with the caption under it."""
    between = page.blocks[anchor + 1 : body_start]
    for i, block in enumerate(between):
        if block.chrome or block.links or not any(not is_icon(img) for _, img in block.images):
            continue
        if in_box(block, players):
            continue  # a player's cover
        shaped = _shaped(between[i : i + 2], base)
        shaped[0].images = [urljoin(base, u) for u, img in block.images if not is_icon(img)]
        return attach_captions(shaped, caption_line)
    return []


def _add_photo_above(
    out: FreeArticle, page: PageText, anchor: int, start: int, base: str, players: set[Element]
) -> None:
    """The photo set above the body (a lead photo field, a hero's cover) before its photos."""
    shown = {img["url"] for img in out.images}
    photos = _photo_above(page, anchor, start, base, players) or _hero_photo(page, anchor, base)
    out.images = [*(i for i in photos if i["url"] not in shown), *out.images]


def _hero_photo(page: PageText, anchor: int, base: str) -> list[dict[str, str | None]]:
    """A story's cover photo set just before its headline in the headline's own box (a hero
    section: the photo, a kicker, the title over it)."""
    parent = page.blocks[anchor].element.getparent()
    box = parent.getparent() if parent is not None else None
    if box is None:
        return []
    for block in reversed(page.blocks[max(0, anchor - HERO_BLOCKS) : anchor]):
        photos = [u for u, img in block.images if not is_icon(img) and not _linked(img)]
        if photos and not block.chrome and _within(block.element, box):
            return [{"url": urljoin(base, photos[0]), "caption": None}]
    return []


def _linked(img: Element) -> bool:
    """Whether an image is (inside) a link: another page's thumbnail or a button."""
    return any(a.tag == "a" for a in img.iterancestors())


# a link to the photo itself: its file, an image scale ("…/@@images/image/large"), a viewer
_IMAGE_LINK = Caseless(r"\.(?:jpe?g|png|gif|webp|bmp|tiff?)(?:[?#]|$)|image|photo|hinh-?anh")
_VIEWER = Caseless(r"lightbox|fancybox|modal|zoom|popup|gallery|magnific|photoswipe")


def _linked_away(img: Element) -> bool:
    """An image linking to another page (a related story's card, a banner), not to its own
    full-size file or a lightbox."""
    a = next(img.iterancestors("a"), None)
    if a is None:
        return False
    href = (a.get("href") or "").strip()
    marks = " ".join(f"{k} {v}" for k, v in a.attrib.items() if k != "href")
    return (
        bool(href)
        and not href.startswith(("#", "javascript:"))
        and not _IMAGE_LINK.search(href)
        and not _VIEWER.search(marks)
    )


def _banner(block: Block) -> bool:
    """A block of images only, each linking to another page: a banner or a story's thumbnail
    set in the body, not the article's photo."""
    return not block.text and bool(block.images) and all(_linked_away(i) for _, i in block.images)


HERO_BLOCKS = 3


def _set_apart(blocks: list[Block], lead: int) -> bool:
    """Whether the lead photo is outside the element holding the prose after it (a photo
    field above the body field); a photo among the body's own paragraphs is not, and its
    caption is body text."""
    if not 0 < lead < len(blocks):
        return False
    prose = blocks[lead].element.getparent()
    return prose is not None and not any(a is prose for a in blocks[0].element.iterancestors())


def _fill_meta(
    out: FreeArticle,
    page: PageText,
    container: Element | None,
    anchor: int,
    tz: str,
    body_end: int | None = None,
    prose: frozenset[int] | set[int] = frozenset(),
) -> None:
    """The date and the view count nearest the headline (views: else inside the article, else
    in the few blocks right after its last one, ``body_end``, as a "1.245 lượt xem" link bar).
    A date in the article's own text (``prose``: its lead and body blocks, a table's cells)
    is not its publication date."""
    near = page.blocks[max(0, anchor - NEAR_BEFORE) : anchor + NEAR_AFTER + 1]
    events = event_boxes(near)  # an event's time and deadline are not the article's date
    prose = set(prose) | {b.index for b in near if in_box(b, events)}
    date: FoundDate | None = find_date(page.blocks, anchor, tz, prose)
    if date is None and body_end is not None:  # "Ngày đăng: …" in a row after the body
        date = find_labelled_date(page.blocks[body_end + 1 : body_end + 1 + AFTER_BODY], tz)
    if date is not None:
        out.published_raw, out.published = date.raw, date.parsed
        out.methods["published_at"] = "near_headline"
        out.elements["published_at"] = date.block.element
    views: FoundViews | None = find_views(page.blocks, anchor) or (
        find_views(page.inside(container), -1, limit=None) if container is not None else None
    )
    if views is None and body_end is not None:
        after = page.blocks[body_end + 1 : body_end + 1 + AFTER_BODY]
        views = find_views(after, -1, limit=None)
    views = views or page_views(page.blocks)
    if views is not None:
        out.views_raw, out.views = views.raw, views.value
        out.methods["views"] = "near_headline"
        out.elements["views"] = views.block.element


# "(Báo Tuyên Quang) – Sáng 18/11, …": the lead opens with where the article comes from
_LEAD_SOURCE = re.compile(r"^\(([^()]{3,100})\)\s*[-–—]\s*(\S.*)$", re.DOTALL)


def _source_in_the_lead(out: FreeArticle) -> None:
    if out.summary and (m := _LEAD_SOURCE.match(out.summary)):
        out.summary = m[2]
        if out.source is None:
            out.source, out.methods["source"] = m[1].strip(), "lead"


LEAD_BYLINE_BLOCKS = 6  # a labelled byline line this near the body's start is above it


def _lead_bylines(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The body's blocks without its labelled byline lines at the top ("Tác giả: Thanh Bình"
    above the lead, the lead photo or the first paragraph), and those lines: the lines met
    before the second paragraph of prose (the first may be the lead)."""
    lines: list[Block] = []
    prose = 0
    for block in blocks[:LEAD_BYLINE_BLOCKS]:
        text = block.text
        if len(text) >= LONG_BLOCK:
            prose += 1
            if prose == 2:
                break
        elif (
            text
            and not block.images
            and len(text) <= MAX_BYLINE_CHARS
            and all(
                AUTHOR_LABEL.match(p) or SOURCE_LABEL.match(p) or BARE_LABEL.match(p)
                for p in line_parts(text)
            )
        ) or _byline_classed(block):
            lines.append(block)
    if not lines or lines[-1] is blocks[-1]:
        return blocks, []
    return [b for b in blocks if b not in lines], lines


def _fill_byline(
    out: FreeArticle,
    page: PageText,
    container: Element,
    blocks: list[Block],
    anchor: int,
    above: list[Block],
    after: int | None = None,
) -> int:
    """Author and source: the body's trailing lines, else a byline row or box of its own right
    after the body (or ``after`` an author box), else labelled lines between the headline and
    the body (``above``: those taken from the top of the article block). Returns where the
    body's byline lines start."""
    cut, author, source = _byline(blocks, container)
    if not (author and source):
        start = after if after is not None else _past_box(page, blocks[-1].index + 1, container)
        lines, credits = _after_body(page, blocks, start)
        after_author, after_source = read_byline(lines, BYLINE)
        author = author or after_author or read_credits(credits)[1]
        source = source or after_source
    between = page.blocks[anchor + 1 : blocks[0].index] if anchor >= 0 else []
    between = [*between, *(b for b in above if b not in between)]
    author = author or _labelled(between, AUTHOR_LABEL) or _inline(between, _INLINE_AUTHOR)
    out.author = (
        author
        or _classed_byline(page.blocks[max(0, anchor - 1) : anchor] + between)
        or next(filter(None, map(icon_author, between)), None)
    )
    out.source = source or _labelled(between, SOURCE_LABEL) or _inline(between, _INLINE_SOURCE)
    if out.author:
        out.methods["author"] = "byline"
    if out.source:
        out.methods["source"] = "byline"
    return cut


def _own_element(el: Element, text: str) -> Element:
    """``el`` if it holds ``text`` and nothing else, else the innermost element under it that
    does (a title in a ``<span>`` inside a ``<div>`` holding more), for rule induction."""
    if " ".join("".join(el.itertext()).split()) == text:
        return el  # the block's element holds the title alone: its own selector is the rule
    found, deeper = el, True
    while deeper:  # down one level at a time: each level's text is read once
        deeper = False
        for child in found.iterchildren():
            if isinstance(child.tag, str) and " ".join("".join(child.itertext()).split()) == text:
                found, deeper = child, True
                break
    return found


_EDITORS_NOTE = re.compile(r"^(?:Lời\s+t(?:òa|oà|oa)\s+soạn|LTS)\s*[:.]", re.IGNORECASE)


def _note_above_lead(page: PageText, blocks: list[Block]) -> list[Block]:
    """Blocks without an editor's note set above a lead element ("Lời tòa soạn: …" over the
    "sapo"): the paper's word on the article, not its text (a "LTS:" paragraph after the lead,
    among the body's own, is)."""
    texts = [b for b in blocks if b.text][:2]
    if len(texts) == 2 and _EDITORS_NOTE.match(texts[0].text) and _sapo_classed(page, texts[1]):
        return [b for b in blocks if b is not texts[0]]
    return blocks


def _read_sapo(
    out: FreeArticle,
    page: PageText,
    blocks: list[Block],
    anchor: int,
    url: str,
    descriptions: list[str],
) -> tuple[list[Block], Block | None]:
    """The lead paragraph (``summary``): the body's first (after a lead photo), else one in an
    element of its own above the article block; the body's blocks without it (and without an
    editor's note above a lead element)."""
    blocks = _note_above_lead(page, blocks)
    sapo = _sapo(page, blocks[_lead_photo(blocks, url) :], descriptions)
    if sapo is None and blocks and anchor >= 0:
        sapo = _sapo_above(page, anchor, blocks[0].index, descriptions)
    if sapo is None:
        return blocks, None
    out.summary, out.methods["summary"] = sapo.text, "sapo"
    out.elements["summary"] = sapo.element
    return [b for b in blocks if b is not sapo], sapo


def _fill_title(out: FreeArticle, page: PageText, url: str, meta_titles: list[str]) -> int:
    """The headline into ``out``; its block's index (-1: none on the page)."""
    headline: Headline | None = find_headline(page, url, meta_titles)
    if headline is None:
        return -1
    out.title, out.methods["title"] = headline.text, headline.method
    if headline.block is None:
        return -1
    out.elements["title"] = _own_element(headline.block.element, headline.text)
    return headline.block.index


def read_article(
    root: Element,
    url: str,
    meta_titles: list[str],
    descriptions: list[str],
    tz: str,
    block: Element | None = None,
) -> FreeArticle:
    """Every field of an article page, from its tree alone (``block``: a rule's article block)."""
    page = read_page(root)
    base = document_base(root, url)  # what relative image sources resolve against
    out = FreeArticle()
    anchor = _fill_title(out, page, url, meta_titles)
    container = block if block is not None else _one_story(page, anchor)
    players = player_boxes(page, container)
    blocks, links = _body_blocks(page, container, anchor, players)
    out.listing_like = links >= LISTING_LINKS
    if anchor < 0 and blocks:
        anchor = blocks[0].index  # no headline block: read the rest around the body's start
    blocks, credit = _credits(blocks, page.blocks[anchor + 1 : blocks[0].index] if blocks else [])
    blocks, above = _lead_bylines(blocks)
    blocks, sapo = _read_sapo(out, page, blocks, anchor, url, descriptions)
    lead = _lead_photo(blocks, url)  # before the sapo or after it
    lead = lead if _set_apart(blocks, lead) else 0
    blocks, box = _author_box(blocks)
    box = box if box is not None else _author_box_after(container)
    after = page.spans[box][1] if box is not None and box in page.spans else None
    cut = _fill_byline(out, page, container, blocks, anchor, above, after) if blocks else 0
    if box is not None:
        _fill_from_box(out, page, box)
    _fill_from_record(out, page, container, credit)
    _source_in_the_lead(out)
    body = _trim_fields(blocks[:cut]) if cut < len(blocks) or box is not None else blocks
    if body:
        assert container is not None
        _fill_body(out, page, container, body, blocks, sapo, base, lead)
    if anchor >= 0 and blocks:
        _add_photo_above(out, page, anchor, blocks[0].index, base, players)
    if anchor >= 0:
        prose = {b.index for b in body} | ({sapo.index} if sapo is not None else set())
        _fill_meta(out, page, container, anchor, tz, blocks[-1].index if blocks else None, prose)
    out.category = _category(page)
    if out.category:
        out.methods["category"] = "breadcrumb"
    return out
