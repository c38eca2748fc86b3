"""The portal's visit-statistics widget ("Thống kê truy cập"), read by label (pure).

Vendors label the same counters differently (portals.md §5): "Đang online" or "Đang truy cập",
"Tất cả", "Tổng", "Tổng lượt truy cập"... and group digits with dots or commas. The widget is
found by the profile's selectors, else by its heading anywhere in the page.
"""

from __future__ import annotations

import re

from lxml import etree
from parsel import Selector

from crawler.extract.numbers import parse_int_vi
from crawler.extract.selectors import PageNodes, compiled, select
from crawler.extract.text import Haystack, normalize_text

_NUM = r"(\d{1,3}(?:[.,]\d{3})+|\d+)"
# (and a bilingual template's English labels: "Visitors: Online 25 | Today 1,203 | Total …")
_LABELS: dict[str, str] = {
    "online": r"Đang\s+online|Đang\s+truy\s+cập|Trực\s+tuyến|Online",
    "today": r"Hôm\s+nay|Truy\s+cập\s+hôm\s+nay|Today",
    "yesterday": r"Hôm\s+qua|Yesterday",
    "week": r"Trong\s+tuần|Tuần\s+này|Tuần\s+hiện\s+tại|Tuần|This\s+week|Week",
    "month": r"Tháng\s+hiện\s+tại|Trong\s+tháng|Tháng\s+này|Tháng|This\s+month|Month",
    "total": (
        r"Tổng\s+lượt\s+truy\s+cập|Tổng\s+số\s+lượt\s+truy\s+cập|Tổng\s+truy\s+cập"
        r"|Tổng\s+số\s+lượt|Tổng\s+số|Tất\s+cả|Tổng\s+cộng|Tổng|Số\s+lượt\s+truy\s+cập"
        r"|Total\s+visits|Total"
    ),
}


def _counter_pattern(labels: str) -> re.Pattern[str]:
    """A label, an optional colon, then a number.

    The lookahead on the labels' first letters (same case folding) is implied by the labels;
    tested first, it lets the regex engine leave most positions at once (twice as fast).
    """
    firsts = {label[0] for label in labels.split("|")}
    ahead = f"(?=[{''.join(sorted(firsts))}])" if all(c.isalpha() for c in firsts) else ""
    body = rf"(?<!\w)(?:{labels})\s*[:：]?\s*{_NUM}(?![\d\w])"
    return re.compile(ahead + body, re.IGNORECASE)


_PATTERNS = {key: _counter_pattern(labels) for key, labels in _LABELS.items()}
# tiles that print the number above its label: "405 Đang online 18.611 Hôm nay ..."
_PATTERNS_BEFORE = {
    key: re.compile(rf"(?<![\d\w.,]){_NUM}\s*[:：]?\s*(?:{labels})(?!\w)", re.IGNORECASE)
    for key, labels in _LABELS.items()
}
# a heading text node holds one word of each group (the spellings of the XPath below)
_HEADING_WORDS = (
    ("truy cập", "TRUY CẬP", "Truy cập", "Truy Cập", "Visitor", "VISITOR"),
    (
        "Thống kê",
        "THỐNG KÊ",
        "Số lượng",
        "Lượt truy cập",
        "LƯỢT TRUY CẬP",
        "Lượt Truy Cập",
        "statistics",
        "Statistics",
        "STATISTICS",
        "Visitors",
        "VISITORS",
    ),
)


def _contains_any(words: tuple[str, ...]) -> str:
    return "[" + " or ".join(f"contains(., '{word}')" for word in words) + "]"


# text nodes first (one cheap scan), their element second
_HEADING_XPATH = (
    "//text()"
    + "".join(_contains_any(group) for group in _HEADING_WORDS)
    + "/parent::*[not(self::script) and not(self::style)]"
)
_DOCUMENT_TEXT = etree.XPath("string(/)", smart_strings=False)
# the same text nodes as the XPath above, as strings; and the element of the n-th one
_TEXT_NODES = etree.XPath("//text()", smart_strings=False)
_OWN_TEXT = etree.XPath("text()", smart_strings=False)
_NTH_TEXT_ELEMENT = etree.XPath("(//text())[$n]/parent::*[not(self::script) and not(self::style)]")
FIELDS = ("online", "today", "yesterday", "week", "month", "total")


_SKIP = frozenset(["script", "style"])


def widget_text(node: etree._Element) -> str:
    """The widget's text as a reader sees it, counters drawn digit by digit joined up.

    Counters are often drawn one digit per cell (``<td>2</td><td>6</td>...``) or as digit
    images (``<img src="/so/2.gif" alt="2">``): runs of single digits become one number.
    """
    pieces: list[str] = []
    for event, el in etree.iterwalk(node, events=("start", "end")):
        if event == "end":  # an element's tail follows its children's text
            if el is not node and el.tail and not el.tail.isspace():
                pieces.append(el.tail.strip())
            continue
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        title = el.get("title") if el is not node else None
        alt = (el.get("alt") or "").strip() if el.tag == "img" else ""
        # a counter labelled by its tooltip only (a digit image's tooltip repeats its alt)
        if title and not title.isspace() and title.strip() != alt:
            pieces.append(title.strip())
        if el.tag == "img":
            if alt.isdigit() and len(alt) == 1:
                pieces.append(alt)
        elif final := _animated_to(el):
            pieces.append(final)  # the number a script counts up to, not the "0" it starts at
        elif el.text and not el.text.isspace():
            pieces.append(el.text.strip())
    return " ".join(_join_digit_runs(pieces))


# count-up widgets (Elementor, countUp.js, odometer themes) print 0 and keep the figure here
_ANIMATED = ("data-to-value", "data-to", "data-count", "data-target", "data-number", "data-end")


def _animated_to(el: etree._Element) -> str | None:
    attrib = el.attrib
    if len(attrib) == 0:  # most elements: nothing to look up
        return None
    for name in _ANIMATED:
        value = (attrib.get(name) or "").strip()
        if value and value.replace(".", "").replace(",", "").isdigit():
            return value
    return None


def _join_digit_runs(pieces: list[str]) -> list[str]:
    """Runs of one-digit pieces joined into one number, with the group separators drawn
    between them ("0 0 . 0 4 8" -> "00.048")."""
    tokens: list[str] = []
    run = False
    for piece in pieces:
        digit = len(piece) == 1 and piece.isdigit()
        if run and (digit or piece in (".", ",")):
            tokens[-1] += piece
            continue
        if run:
            tokens[-1] = tokens[-1].rstrip(".,")
        tokens.append(piece)
        run = digit
    if run:
        tokens[-1] = tokens[-1].rstrip(".,")
    return tokens


_ANY_LABEL = re.compile(r"(?<!\w)(?:" + "|".join(_LABELS.values()) + r")(?!\w)", re.IGNORECASE)
_FIRST_NUMBER = re.compile(_NUM)


def parse_counters(text: str) -> dict[str, int | None]:
    """Counters by label from the widget's text; a missing label gives ``None``; a number
    before every label that no counter took is the total (an odometer of digit images over
    the rows: "0285604 Hôm nay 182 Hôm qua 264 …")."""
    found = _by_label(text)
    number = _FIRST_NUMBER.search(text)
    label = _ANY_LABEL.search(text)
    if (
        found["total"] is None
        and number is not None
        and label is not None
        and number.end() <= label.start()
        and _count(found) >= 2
    ):
        leading = parse_int_vi(number.group(0))
        if leading is not None and leading not in found.values():
            found["total"] = leading
    return found


def _by_label(text: str) -> dict[str, int | None]:
    """Counters by label from the widget's text; a missing label gives ``None``.

    Labels are read with the number after them ("Hôm nay: 1.287"). Where a number comes
    before the first label (tiles: "18.611 Hôm nay"), each label takes the number before it,
    and a label no number precedes the one after it ("… 5.381 Tháng Tổng: 186.424").
    Otherwise, where that reading finds fewer counters, the other one is taken.
    """
    after = _counters(text, _PATTERNS)
    label = _ANY_LABEL.search(text)
    number = _FIRST_NUMBER.search(text)
    if label is not None and number is not None and number.start() < label.start():
        found_after, found_before = _placed(text, _PATTERNS), _placed(text, _PATTERNS_BEFORE)
        # a leading tile, then label-number rows ("313.821 Tổng lượt truy cập Đang online 35
        # Hôm nay 511"): each number is one counter's, so the reading that uses a number
        # twice is the wrong one
        for first, second in ((found_before, found_after), (found_after, found_before)):
            merged = {k: v if v is not None else second[k] for k, v in first.items()}
            spans = [v[1] for v in merged.values() if v is not None]
            if len(spans) > _count(after) and len(set(spans)) == len(spans):
                return {k: None if v is None else v[0] for k, v in merged.items()}
    if re.search(r"\d\s*$", text):  # ends with a number: it follows its label
        return after
    before = _counters(text, _PATTERNS_BEFORE)
    return before if _count(before) > _count(after) else after


def _placed(text: str, patterns: dict[str, re.Pattern[str]]) -> dict[str, tuple[int, int] | None]:
    """Each counter's value and where its number starts in ``text``."""
    found: dict[str, tuple[int, int] | None] = {}
    for key, pat in patterns.items():
        m = pat.search(text)
        value = parse_int_vi(m.group(1)) if m else None
        found[key] = None if m is None or value is None else (value, m.start(1))
    return found


def _count(counters: dict[str, int | None]) -> int:
    return sum(v is not None for v in counters.values())


def _counters(text: str, patterns: dict[str, re.Pattern[str]]) -> dict[str, int | None]:
    return {key: None if v is None else v[0] for key, v in _placed(text, patterns).items()}


def may_have_heading(root: etree._Element, text: str | None = None) -> bool:
    """Whether the document's text (``text``, when the caller has it) holds a word of each
    heading group at all.

    Every text node is a substring of the document's text (``string(/)``, one C-level
    concatenation), so a page without them cannot have a heading text node: the text-node
    scan of the whole page is skipped.
    """
    text = _DOCUMENT_TEXT(root) if text is None else text
    return all(any(word in text for word in group) for group in _HEADING_WORDS)


def find_headings(root: etree._Element, text: str | None = None) -> list[etree._Element]:
    """The elements of the heading text nodes (``_HEADING_XPATH``), searched in Python.

    libxml2 copies every text node to test ``contains()`` (~0.4 µs each); here the text nodes
    come back as one list of strings, searched with ``str.find``. A single heading (the usual
    case) is fetched by its position; several go through the XPath, which orders them.
    """
    if not may_have_heading(root, text):
        return []
    texts: list[str] = _TEXT_NODES(root)
    needles, topics = _HEADING_WORDS
    hits = [
        i
        for i in Haystack(texts).holding(needles)
        if any(t in texts[i] for t in topics) and not _ARTICLE_VISITS.search(texts[i])
    ]
    if len(hits) > 1:
        found = compiled(None, _HEADING_XPATH)(root)
        return [el for el in found if not _ARTICLE_VISITS.search(" ".join(_OWN_TEXT(el)))]
    return [element for i in hits for element in _NTH_TEXT_ELEMENT(root, n=i + 1)]


# an article's own count ("Lượt truy cập bài viết: 873"), not the site's widget
_ARTICLE_VISITS = re.compile(r"truy\s+cập\s+(?:bài|tin)\b", re.IGNORECASE)


CLIMB = 8  # levels from the heading's text up to the widget (web part tables nest deep)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


BOXES_AFTER = 1000  # a title box's body: the boxes after it, this many characters at most


def _found(text: str) -> int:
    """How many counters ``text`` holds."""
    return sum(v is not None for v in parse_counters(text).values())


def _boxes_after(node: etree._Element) -> str:
    """The text of the boxes after ``node`` up to the next titled one: a widget's body when
    ``node`` is its title box (a title row and a body row; a heading widget, then a widget)."""
    texts: list[str] = []
    size = 0
    for box in node.itersiblings():
        if not isinstance(box.tag, str):
            continue
        if (
            size > BOXES_AFTER
            or box.tag in _HEADING_TAGS
            or next(box.iter(*_HEADING_TAGS), None) is not None
        ):
            break
        texts.append(widget_text(box))
        size += len(texts[-1])
    return " ".join(texts)


def _climb(heading: etree._Element) -> str | None:
    """Climb from the heading until its box holds at least two counters; a box that holds
    none yet is read with the boxes after it."""
    node: etree._Element | None = heading
    for _ in range(CLIMB):
        if node is None:
            return None
        text = widget_text(node)
        found = _found(text)
        if not found:
            text = f"{text} {_boxes_after(node)}"
            found = _found(text)
        if found >= 2:
            return text
        node = node.getparent()
    return None


def _heading_widget_texts(root: etree._Element, text: str | None = None) -> list[str]:
    return [box for heading in find_headings(root, text) if (box := _climb(heading)) is not None]


# a widget with no heading is found by its "online" counter, and read when its box (a few
# levels up) holds three counters or more: "Đang online: 52 · Hôm nay: 4.812 · Tổng: …"
_ONLINE_WORDS = ("Đang online", "Đang truy cập", "ĐANG ONLINE", "ĐANG TRUY CẬP")
_ONLINE_XPATH = etree.XPath(
    "//text()" + _contains_any(_ONLINE_WORDS) + "/parent::*[not(self::script)]"
)
UNTITLED_CLIMB = 5  # a counter in <font> in a cell of a row of the table
UNTITLED_COUNTERS = 3
# ... or two, when one is the site's visit total by name ("Số lượt truy cập: 1.234.567")
_VISITS_TOTAL = re.compile(r"(?:Số|Tổng)\s+lượt\s+truy\s+cập", re.IGNORECASE)


def _untitled_widget_texts(root: etree._Element, text: str) -> list[str]:
    if not any(word in text for word in _ONLINE_WORDS):
        return []
    for node in _ONLINE_XPATH(root):
        for _ in range(UNTITLED_CLIMB):
            if node is None:
                break
            box = widget_text(node)
            found = _found(box)
            if found >= UNTITLED_COUNTERS or (found >= 2 and _VISITS_TOTAL.search(box)):
                return [box]
            node = node.getparent()
    return []


def _widget_texts(sel: Selector, selectors: list[str], page: PageNodes | None) -> list[str]:
    root = sel.root
    texts = [
        n if isinstance(n, str) else widget_text(n)
        for css in selectors
        for n in select(root, css, None, page)
    ]
    if texts:
        return texts
    text = _DOCUMENT_TEXT(root)  # the document's text once, for both lookups
    return _heading_widget_texts(root, text) or _untitled_widget_texts(root, text)


def extract_site_stats(
    sel: Selector, selectors: list[str], page: PageNodes | None = None
) -> dict[str, int | None] | None:
    """``{online, today, yesterday, week, month, total}`` or ``None`` when no widget is found."""
    for raw in _widget_texts(sel, selectors, page):
        text = normalize_text(raw) or ""
        counters = parse_counters(text)
        if counters["total"] is not None or sum(v is not None for v in counters.values()) >= 2:
            return counters
    return None
