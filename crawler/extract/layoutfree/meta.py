"""Date, view count and labelled byline lines near the headline (pure).

Portals print the article's date and counter in a short line right by the headline ("Thứ Hai,
15/03/2021 10:20 | Lượt xem: 137"), and print other dates and counters elsewhere: the header
clock, most-read sidebars, related lists, the body text. Candidates are read in document order
around the headline; the nearest one wins, after the headline before before it, and never one
from page chrome, a link line (another article's item) or a long body paragraph.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from crawler.extract.byline import AUTHOR_WORDS, is_account
from crawler.extract.dates import CLOCK, EN_DATE, ParsedDate, parse_vi_datetime
from crawler.extract.icons import image_stem
from crawler.extract.layoutfree.blocks import (
    HEADING_TAGS,
    ICON_FONT_CLASSES,
    Block,
    Element,
    previous_element,
)
from crawler.extract.layoutfree.caseless import Caseless
from crawler.extract.numbers import parse_int_vi

# every match starts with a digit, and the pattern does too, so the regex engine skips ahead
# to digits in C (as "(?<!\d)\d{1,2}" it tried each alternative at every position): a date
# "2024-03-12T08:15", "12/03/2024" (also . and -), "5 tháng 3 năm 2024"
DATE_SHAPE = re.compile(
    r"\d(?:\d{3}-\d{2}-\d{2}T\d{2}:\d{2}"
    r"|(?<![\d/.-]\d)\d{3}([/-])\d{1,2}\1\d{1,2}(?![\d/.-])"  # year first: "2026-03-14"
    r"|(?<!\d\d)\d?(?:\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(?!\d)"
    r"|\s+(?:tháng|thg)\s+\S+(?:\s+\S+)?\s*,?\s+(?:năm\s+)?\d{4}))",
    re.IGNORECASE,
)
_CLOCK = CLOCK
# the labels of the posting date itself: one wins over an update's or a document's date
_POSTED_WORDS = (
    r"Ngày\s+đăng|Đăng\s+ngày|Đăng\s+lúc|Gửi\s+lúc|Ngày\s+xuất\s+bản|Thời\s+gian\s+đăng"
    r"|Posted|Published"
)
POSTED_LABEL = Caseless(_POSTED_WORDS)
DATE_LABEL = Caseless(rf"{_POSTED_WORDS}|Ngày\s+cập\s+nhật|Cập\s+nhật|Ngày\s+ban\s+hành")
_COUNT = r"(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\d:/])"
# the labels of an article's view count, longest first (one list: the inline form, the label
# printed alone, and the rule ``sites learn`` writes)
VIEWS_WORDS = (
    r"Số\s+lượt\s+người\s+xem|Số\s+lượt\s+xem|Số\s+lượt\s+đọc|Số\s+lần\s+xem|Số\s+lần\s+đọc"
    r"|Lượt\s+xem|Lượt\s+đọc|Lượt\s+nghe|Đã\s+xem|Lượt\s+truy\s+cập\s+bài(?:\s+viết)?|View\s+count|Views|Hits"
)  # "Lượt nghe": an audio item's plays are its view count
# ... and K2's "Đọc 245 lần" (read 245 times)
VIEWS = Caseless(rf"(?:(?:{VIEWS_WORDS})\s*[:：]?\s*|Đọc\s+(?=\d[\d.,]*\s+lần\b))" + _COUNT)
# the count before its label ("1.234 lượt xem"), read only when no label comes first; written
# "(?<![\d:/])" + _COUNT + label, starting with a digit (see DATE_SHAPE)
VIEWS_AFTER = Caseless(
    r"(\d(?<![\d:/]\d)(?:\d{0,2}(?:[.,]\d{3})+|\d*))(?![\d:/])"
    r"\s+(?:lượt\s+xem|lượt\s+đọc|lượt\s+nghe|views)\b"
)
MAX_META_CHARS = 220  # a metadata line; a longer block is body text
NEAR_AFTER = 12  # blocks after the headline where its date may be
NEAR_BEFORE = 4


@dataclass(frozen=True)
class FoundDate:
    raw: str
    parsed: ParsedDate
    block: Block


@dataclass(frozen=True)
class FoundViews:
    raw: str
    value: int
    block: Block


def _candidate(block: Block) -> bool:
    return (
        not block.chrome
        and bool(block.text)
        and block.link_density <= 0.5
        and (len(block.text) <= MAX_META_CHARS)
    )


def _tool_row(block: Block) -> bool:
    """A short row of tool links beside the article's counter ("Số lượt xem: 1.086 | In trang
    | Gửi email"): links, but none reads like another article's headline."""
    return (
        not block.chrome
        and len(block.text) <= MAX_META_CHARS
        and all(len("".join(a.itertext()).split()) < 5 for a in block.links)
    )


def _other_item(block: Block) -> bool:
    """A link that reads like a headline: another article's item (sidebar, related list)."""
    if block.chrome or block.link_density <= 0.5:
        return False
    return any(len("".join(a.itertext()).split()) >= 5 for a in block.links)


def _walk(blocks: list[Block], anchor: int, step: int, limit: int) -> list[Block]:
    """Up to ``limit`` blocks from ``anchor`` on (a record's label cells not counted: its
    "Ngày xuất bản" row is two blocks, the label and the value)."""
    out: list[Block] = []
    i, counted = anchor + step, 0
    while 0 <= i < len(blocks) and counted < limit:
        if _other_item(blocks[i]):
            break  # what lies beyond belongs to another article's item
        out.append(blocks[i])
        counted += not _label_cell(blocks[i].element)
        i += step
    return out


_LABEL_CELLS = frozenset(["th", "dt", "td"])
_VALUE_CELLS = frozenset(["td", "dd"])
MAX_LABEL_CHARS = 40


def _label_cell(el: Element) -> bool:
    """A record's label cell: a <th>, <dt> or <td> holding a short label and no figure."""
    if el.tag not in _LABEL_CELLS:
        return False
    text = "".join(el.itertext())
    return len(text) <= MAX_LABEL_CHARS and not any(c.isdigit() for c in text)


def labelled_text(block: Block) -> str:
    """The block's text with the label cell of its row before it ("Ngày xuất bản" in the
    <th> or <dt> before the date's cell)."""
    el = block.element
    if el.tag not in _VALUE_CELLS:
        return block.text
    before = previous_element(el)
    if before is None or not _label_cell(before):
        return block.text
    return f"{' '.join(''.join(before.itertext()).split())} {block.text}"


def _order(blocks: list[Block], anchor: int) -> list[Block]:
    """Blocks near ``anchor``: its own (a date may share the headline's line), the ones after
    it nearest first, then the ones before it in the headline's own box (a kicker line, a date
    row above the title; not a site header's clock); never past another article's headline."""
    if not 0 <= anchor < len(blocks):
        return []
    box = _headline_box(blocks[anchor].element)
    return [
        blocks[anchor],
        *_walk(blocks, anchor, 1, NEAR_AFTER),
        *(b for b in _walk(blocks, anchor, -1, NEAR_BEFORE) if _inside(b.element, box)),
    ]


BOX_LEVELS = 4  # the headline's box: this many levels up at most, never <body>
_PAGE_TAGS = frozenset(["body", "html", "form"])  # ASP.NET wraps the whole page in a <form>
ANCESTORS = 64


def _headline_box(el: Element) -> set[Element]:
    box: set[Element] = set()
    node = el.getparent()
    for _ in range(BOX_LEVELS):
        if node is None or node.tag in _PAGE_TAGS:
            break
        box.add(node)
        node = node.getparent()
    return box


def _inside(el: Element, box: set[Element]) -> bool:
    return any(a in box for a in itertools.islice(el.iterancestors(), ANCESTORS))


_WEEKDAY = r"(?:(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy|[2-7])|Chủ\s+nhật|CN)\s*,?\s*)?"


# the clock right after a date: "20/11/2025 | 08:05", "… lúc 08:05"
_CLOCK_AFTER = re.compile(rf"\s*[|,\-–·•]?\s*(?:lúc\s+)?({_CLOCK})")


def date_window(text: str, match: re.Match[str]) -> str:
    """The date with the clock beside it (either side), without the rest of the line."""
    start, end = match.start(), match.end()
    # "08:05 ngày 28.11.2026", "07:40 CH, Thứ Sáu 21/11/2025": the clock first, the date
    # after "ngày" or the weekday
    before = re.search(
        rf"({_CLOCK})\s*[|,\-–(·•]?\s*{_WEEKDAY}(?:ngày\s+)?$",
        text[max(0, start - 40) : start],
        re.IGNORECASE,
    )
    after = _CLOCK_AFTER.match(text[end : end + 25])
    if after:
        end += after.end()
    elif before:
        start -= len(before.group(0))
    return text[start:end].strip(" |,-–·•")


def find_date(
    blocks: list[Block], anchor: int, tz: str, prose: frozenset[int] | set[int] = frozenset()
) -> FoundDate | None:
    """The date nearest the headline block ``anchor``; a labelled one wins over a bare one,
    unless it is above the headline and the bare one below it and nearer (a document's "Ngày
    ban hành" in a sidebar above the article, the article's date right under its title).
    Blocks in ``prose`` (the article's lead and body) are passed over."""
    labelled: FoundDate | None = None
    bare: FoundDate | None = None
    for block in _order(blocks, anchor):
        if block.index in prose:
            continue  # the article's own text ("Ngày 04/3, …", a schedule's dates)
        found = _date_of(blocks, block, anchor, tz)
        if found is None:
            continue
        label = labelled_text(block)  # a record's "Ngày xuất bản" cell names its date's
        dated = DATE_LABEL.search(block.text) or POSTED_LABEL.search(label)
        if dated and (labelled is None or _posted_over(label, labelled)):
            labelled = found
        if bare is None:
            bare = found
    if labelled is not None and bare is not None and _nearer_below(bare, labelled, blocks, anchor):
        return bare
    return labelled or bare


def _posted_over(label: str, labelled: FoundDate) -> bool:
    """A posting date (``label``: "Ngày xuất bản …") after the labelled date found first: a
    document's "Ngày ban hành" row above it in the same record, or "Cập nhật lần cuối"."""
    first = labelled_text(labelled.block)
    return POSTED_LABEL.search(label) is not None and POSTED_LABEL.search(first) is None


def _nearer_below(bare: FoundDate, labelled: FoundDate, blocks: list[Block], anchor: int) -> bool:
    """A bare date under the headline, nearer to it than the labelled one above it, or as
    near when that one is outside the headline's box and names no view count (a site
    header's "Cập nhật: …", not the article's "Lượt xem: … | Gửi lúc: …")."""
    below, above = bare.block.index - anchor, anchor - labelled.block.index
    if below < 0 or below > above:
        return False
    article_line = _same_box(labelled.block, blocks[anchor]) or VIEWS.search(labelled.block.text)
    return below < above or not article_line


def _same_box(a: Block, b: Block) -> bool:
    """Whether two blocks' elements are siblings (the headline's box)."""
    parent = a.element.getparent()
    return parent is not None and parent is b.element.getparent()


def find_labelled_date(blocks: list[Block], tz: str) -> FoundDate | None:
    """The first labelled date among ``blocks`` ("Ngày đăng: …" printed after the body)."""
    for block in blocks:
        if DATE_LABEL.search(block.text) and (found := _date_of(blocks, block, -1, tz)):
            return found
    return None


# what an earlier date of the line may be instead: an edit's, a document's
_NOT_POSTED = Caseless(
    r"Cập\s+nhật|Sửa\s+đổi|Chỉnh\s+sửa|Updated|Modified|Ngày\s+ban\s+hành|Ngày\s+hiệu\s+lực"
)


def _first_date(text: str) -> re.Match[str] | None:
    """The block's date: the one after its posting label when the first one is an edit's
    ("Cập nhật lần cuối: 03/12/2025 15:10 | Ngày đăng: 01/12/2025 09:00")."""
    match = DATE_SHAPE.search(text) or EN_DATE.search(text) or _short(text)
    if match is None or not _NOT_POSTED.search(text[: match.start()]):
        return match
    posted = POSTED_LABEL.search(text)
    if posted is not None and posted.end() > match.end():
        return DATE_SHAPE.search(text, posted.end()) or EN_DATE.search(text, posted.end()) or match
    return match


def _date_of(blocks: list[Block], block: Block, anchor: int, tz: str) -> FoundDate | None:
    match = _first_date(block.text)
    if match is None or not (
        _candidate(block) or block.index == anchor or _date_link(block, match)
    ):
        return None
    if block.index == anchor and _in_headline_words(block.element, match[0]):
        return None  # "Bản tin Thời sự tối ngày 02/12/2025": the title names a day
    raw = date_window(block.text, match)
    parsed = parse_vi_datetime(raw, tz)
    if parsed is not None and parsed.date_only and (clock := _clock_after(blocks, block)):
        raw = f"{raw} {clock}"  # the time in an item of its own: "27-02-2026", "04:20 CH"
        parsed = parse_vi_datetime(raw, tz) or parsed
    return None if parsed is None else FoundDate(raw, parsed, block)


# a two-digit year ("20/11/25 08:05"): a date only with its label or its clock beside it
_SHORT_DATE = re.compile(r"(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1\d{2}(?![\d/.-])")


def _short(text: str) -> re.Match[str] | None:
    match = _SHORT_DATE.search(text)
    if match is None or len(text) > MAX_META_CHARS:
        return None
    clock = _CLOCK_AFTER.match(text[match.end() :])
    return match if clock or DATE_LABEL.search(text[: match.start()]) else None


_HEADLINE_INLINE = frozenset(["a", "b", "strong", "em", "i", "font"])


def _in_headline_words(element: Element, date: str) -> bool:
    """Whether ``date`` is written in a heading's own words (its text, or a link's or bold
    run's in it), not in a date element beside them (``<h1>… <span>20/11/2025</span></h1>``)."""
    if element.tag not in HEADING_TAGS:
        return False
    runs = [element.text or ""]
    for child in element.iterdescendants():
        if isinstance(child.tag, str) and child.tag in _HEADLINE_INLINE:
            runs.append(child.text or "")
        if child.getparent() is element:
            runs.append(child.tail or "")
    return any(date in run for run in runs)


BARE_CLOCK = re.compile(rf"^\s*(?:lúc\s+)?({_CLOCK})\s*$", re.IGNORECASE)


def _date_link(block: Block, match: re.Match[str]) -> bool:
    """A date that is all its line says, linked to the day's archive (WordPress)."""
    return not block.chrome and len(block.text) - len(match[0]) <= 5


# the clock leading the stats row under a date: "14:15 · 876 lượt xem"
_CLOCK_THEN = re.compile(rf"^\s*(?:lúc\s+)?({_CLOCK})\s*[|·•,\-–]\s*(.+)$", re.IGNORECASE)


def _clock_after(blocks: list[Block], block: Block) -> str | None:
    """The clock in the block right after ``block`` (``blocks`` is the page's): printed alone,
    or leading the view count's row."""
    at = block.index + 1
    if at >= len(blocks) or blocks[at].index != at:
        return None
    text = blocks[at].text
    if m := BARE_CLOCK.match(text):
        return m[1]
    if (m := _CLOCK_THEN.match(text)) and (VIEWS.search(m[2]) or VIEWS_AFTER.search(m[2])):
        return m[1]
    return None


# an eye icon (or a "views" class) in front of a bare count: NukeViet's ``fa-eye``
_VIEWS_ICON = Caseless(
    r"(?:^|[\s_-])(?:fa-eye|icon-eye|glyphicon-eye-open|eye|views?|luot-?xem|hits?|view-?count)(?:$|[\s_-])"
)
# ... or named by its tooltip (``title="Lượt xem"``), or an eye image (``images/icon_eye.png``)
_VIEWS_TOOLTIP = Caseless(r"^\s*(?:số\s+)?lượt\s+(?:xem|đọc)|^\s*đã\s+xem|^\s*views?\b|^\s*hits\b")
_BARE_COUNT = re.compile(r"^\s*" + _COUNT + r"\s*$")


_EYE_LIGATURES = frozenset(["visibility", "remove_red_eye"])


def _ligature(el: Element) -> bool:
    """An icon font's pictogram drawn from the word it holds (``<mat-icon>event</mat-icon>``)."""
    return el.tag == "mat-icon" or any(
        t in ICON_FONT_CLASSES for t in (el.get("class") or "").lower().split()
    )


# a label printed for screen readers only, the value after it shown bare
_SR_ONLY = Caseless(
    r"(?:^|\s)(?:sr-only|visually-hidden|screen-reader-text|element-invisible)(?:\s|$)"
)
_AUTHOR_SR_LABEL = re.compile(rf"^\s*(?:{AUTHOR_WORDS}|By)\s*:?\s*$", re.IGNORECASE)


def _screen_reader_label(el: Element) -> bool:
    return len(el) == 0 and _SR_ONLY.search(el.get("class") or "") is not None


def _marks_views(el: Element) -> bool:
    """An element that stands for the label of the count beside it (an eye icon, a views
    tooltip, an icon font's "visibility")."""
    if _VIEWS_ICON.search(el.get("class") or ""):
        return True
    if _VIEWS_TOOLTIP.search(el.get("title") or el.get("aria-label") or ""):
        return True  # named by its tooltip or for screen readers
    if _screen_reader_label(el) and _VIEWS_TOOLTIP.search(el.text or ""):
        return True  # <span class="sr-only">Lượt xem:</span> 1.204
    if _ligature(el) and (el.text or "").strip() in _EYE_LIGATURES:
        return True
    return el.tag == "img" and bool(_VIEWS_ICON.search(image_stem(el.get("src") or "")))


def _beside_mark(
    block: Block, marks: Callable[[Element], bool], value: re.Pattern[str]
) -> re.Match[str] | None:
    """The ``value`` written in or right after an element of the block that ``marks`` says
    stands for its label (an eye icon before a count, a person icon before a name)."""
    for el in block.element.iter():
        if el is block.element or not isinstance(el.tag, str) or not marks(el):
            continue
        inner = "".join(el.itertext()) if len(el) else None
        for text in (el.tail, el.text, inner, _text_after(el, block.element)):
            if text and (m := value.match(text)):
                return m
    return None


def icon_count(block: Block) -> str | None:
    m = _beside_mark(block, _marks_views, _BARE_COUNT)
    return None if m is None else m.group(1)


# a person or pen pictogram before a bare name: "<i class="fa-regular fa-user"></i> Hoài Nam"
_AUTHOR_ICON = Caseless(
    r"(?:^|[\s_-])(?:fa-user|fa-user-o|fa-user-circle|fa-user-pen|fa-pen|fa-pen-nib|fa-pencil"
    r"|icon-user|glyphicon-user|bi-person|bi-person-fill|author-icon)(?:$|\s)"
)
_PERSON_LIGATURES = frozenset(["person", "account_circle", "edit"])
# a name: capitalised, at most six words, no digits or punctuation of a date or a label
_NAME = re.compile(r"^\s*((?-i:[A-ZĐÀ-Ỹ])[^\d|:()\s]+(?:\s+[^\d|:()\s]+){0,5})\s*$")


def _marks_author(el: Element) -> bool:
    if _ligature(el) and (el.text or "").strip() in _PERSON_LIGATURES:
        return True
    if _screen_reader_label(el) and _AUTHOR_SR_LABEL.match(el.text or ""):
        return True  # <span class="visually-hidden">Tác giả:</span> Minh Châu
    return bool(_AUTHOR_ICON.search(el.get("class") or ""))


def icon_author(block: Block) -> str | None:
    """The name after a person or pen pictogram in the block, unlabelled (never an account)."""
    m = _beside_mark(block, _marks_author, _NAME)
    return None if m is None or is_account(m.group(1)) else m.group(1)


def _text_after(el: Element, stop: Element) -> str | None:
    """The text of the element after ``el`` (or after the wrapper it sits alone in: an icon's
    ``<span>``), when nothing but blanks comes between."""
    node = el
    for _ in range(2):
        if (node.tail or "").strip():
            return None
        after = node.getnext()
        while after is not None and not isinstance(after.tag, str):  # a comment between
            if (after.tail or "").strip():
                return str(after.tail)
            after = after.getnext()
        if after is not None:
            return "".join(after.itertext())
        parent = node.getparent()
        if parent is None or parent is stop:
            return None
        node = parent
    return None


# a views label printed alone, its count in the next element (``<dt>Lượt xem</dt><dd>873</dd>``)
VIEWS_LABEL = Caseless(rf"^\s*(?:{VIEWS_WORDS})\s*[:：]?\s*$")


def labelled_count(block: Block) -> str | None:
    """A bare count whose element follows one holding only a views label or an eye icon."""
    if len(block.text) > 20 or not (m := _BARE_COUNT.match(block.text)):
        return None
    before = previous_element(block.element)  # a comment between is passed over
    if before is None or (before.tail or "").strip():
        return None
    label = _shown_text(before)
    if VIEWS_LABEL.search(label) or (
        not label.strip() and any(isinstance(e.tag, str) and _marks_views(e) for e in before.iter())
    ):
        return m.group(1)
    return None


def _shown_text(el: Element) -> str:
    """An element's text without the words icon fonts draw as pictograms."""
    if not any(isinstance(e.tag, str) and _ligature(e) for e in el.iter()):
        return "".join(el.itertext())
    pieces: list[str] = []
    for e in el.iter():
        if not isinstance(e.tag, str) or _ligature(e):
            continue
        pieces.append(e.text or "")
        pieces += [c.tail or "" for c in e if isinstance(c.tag, str) and _ligature(c)]
    return "".join(pieces)


def find_views(
    blocks: list[Block], anchor: int, limit: int | None = NEAR_AFTER
) -> FoundViews | None:
    """The view count nearest the headline; with ``limit=None`` (and ``anchor=-1``), the
    first one in ``blocks`` (the article block) before another article's item."""
    order = _order(blocks, anchor) if limit is not None else _walk(blocks, -1, 1, len(blocks))
    for block in order:
        if not (_candidate(block) or _tool_row(block)):
            continue
        match = VIEWS.search(block.text) or VIEWS_AFTER.search(block.text)
        raw = match.group(1) if match else icon_count(block) or labelled_count(block)
        value = parse_int_vi(raw)
        if raw and value is not None:
            return FoundViews(raw, value, block)
    return None


# a line that is only the count and its label: "Lượt xem: 987"
_VIEWS_LINE = Caseless(rf"^\s*(?:{VIEWS_WORDS})\s*[:：]?\s*{_COUNT}\s*$")
ITEM_LEVELS = 4  # how far up a count's element may sit in another article's item


def page_views(blocks: list[Block]) -> FoundViews | None:
    """The page's one line that is a view count alone ("Lượt xem: 987" in a page footer web
    part, past the related lists), when no other line of the page is one; never one inside
    another article's item (a list's entry holding its headline link)."""
    found = [(b, m) for b in blocks if len(b.text) <= 40 and (m := _VIEWS_LINE.match(b.text))]
    if len(found) != 1 or _in_item(found[0][0].element):
        return None
    block, match = found[0]
    value = parse_int_vi(match.group(1))
    return None if value is None else FoundViews(match.group(1), value, block)


ITEM_CHARS = 300  # an item's box: its headline, date, count and a lead at most


def _in_item(el: Element) -> bool:
    """Whether ``el`` sits in a list's entry or a small box holding a headline link."""
    node = el
    for _ in range(ITEM_LEVELS):
        node = node.getparent()
        if node is None:
            return False
        if node.tag == "li":
            return True
        headline = any(len("".join(a.itertext()).split()) >= 5 for a in node.iter("a"))
        if headline and len("".join(node.itertext())) <= ITEM_CHARS:
            return True
    return False
