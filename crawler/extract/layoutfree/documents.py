"""A legal document's attribute box on announcement pages (pure).

Portals publish "Thông báo", "Kế hoạch", "Công văn" and "Giấy mời" as articles with the
document's record beside the text: a table (or a definition list, or rows of label and value
boxes) of "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Người ký", "Trích yếu". That box
describes the document; it is not the article's text, and its signer is not the author.
An event's announcement carries the event's record the same way ("Thời gian: 08h00, ngày
15/12/2025", "Địa điểm: …", "Hạn đăng ký: …"): not text, and its dates are not the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.extract.body import DOCUMENT_PROPERTY, RECORD_LABELS
from crawler.extract.layoutfree.blocks import LONG_BLOCK, Block

Element = Any  # an lxml element

_BOX_TAGS = frozenset(["table", "dl", "ul", "ol"])
BOX_DEPTH = 4  # how far above a label its table or list may be
WITHIN_DEPTH = 12


def _box_of(label: Element) -> Element | None:
    """The table or list holding a label, else its row's container (rows of two boxes)."""
    node = label
    for _ in range(BOX_DEPTH):
        node = node.getparent()
        if node is None:
            return None
        if node.tag in _BOX_TAGS:
            return node
    row = label.getparent()
    return row.getparent() if row is not None else None


# the article's own record printed as label and value rows (Lotus Domino forms, old
# ASP builds): "Tiêu đề: / Ngày đăng: / Người viết: / Nguồn tin: / Số lần xem: / Người tạo:"
ARTICLE_FIELD = re.compile(
    r"^(?:tiêu\s+đề|ngày\s+(?:đăng|cập\s+nhật|tạo|gửi|xuất\s+bản)|người\s+(?:viết|tạo|đăng|cập\s+nhật|gửi)"
    r"|tác\s+giả|nguồn(?:\s+tin)?|số\s+(?:lần|lượt)\s+xem|lượt\s+(?:xem|đọc)|chuyên\s+mục"
    r"|tóm\s+tắt)\s*:?$",
    re.IGNORECASE,
)


def property_boxes(
    blocks: Iterable[Block], labels: re.Pattern[str] = DOCUMENT_PROPERTY
) -> set[Element]:
    """The elements among ``blocks`` holding at least ``RECORD_LABELS`` labels (a document's,
    by default; ``ARTICLE_FIELD``: the article's own record)."""
    counts: dict[Element, list[Element]] = {}
    for block in blocks:
        if len(block.text) <= 40 and labels.match(block.text):
            box = _box_of(block.element)
            if box is not None:
                counts.setdefault(box, []).append(block.element)
    found = {
        box: found
        for box, found in counts.items()
        if len(found) >= RECORD_LABELS and not _list_of_documents(box, found)
    }
    if labels is DOCUMENT_PROPERTY:
        return set(found)
    # the article's record may share its table with the body (a row below the fields): only
    # the fields' own rows
    return {_row_of(label) for labels_ in found.values() for label in labels_}


LIST_ROWS = 3  # a header row and two documents


def _list_of_documents(box: Element, labels: list[Element]) -> bool:
    """A table whose labels head its columns, one row per document ("Số ký hiệu | Ngày ban
    hành | Trích yếu | Tải về" over the documents an article announces): the article's text,
    not one document's record."""
    rows = {_row_of(label) for label in labels}
    if len(rows) != 1 or next(iter(rows)).tag != "tr":
        return False
    return box.tag == "table" and sum(1 for _ in box.iter("tr")) >= LIST_ROWS


def _row_of(label: Element) -> Element:
    node = label
    for _ in range(BOX_DEPTH):
        parent = node.getparent()
        if parent is None:
            break
        if parent.tag in ("tr", "li"):
            return parent
        if parent.tag in _BOX_TAGS:
            break  # a definition list's label: the list is the row (not a layout table's row)
        node = parent
    return label.getparent() if label.getparent() is not None else label


def in_box(block: Block, boxes: set[Element]) -> bool:
    """Whether the block sits in one of ``boxes``."""
    if not boxes:
        return False
    node = block.element
    for _ in range(WITHIN_DEPTH):
        if node is None:
            return False
        if node in boxes:
            return True
        node = node.getparent()
    return False


# an event's fields ("Thời gian thi:", "Thời hạn nộp hồ sơ:"; never "Thời gian đăng:")
EVENT_FIELD = re.compile(
    r"^(?:thời\s+(?:gian|điểm|hạn)(?!\s+(?:đăng|cập\s+nhật|xuất\s+bản))(?:\s+[^\s:]+){0,4}"
    r"|địa\s+điểm(?:\s+[^\s:]+){0,2}|hạn\s+(?:chót|cuối|đăng\s+ký|nộp)(?:\s+[^\s:]+){0,3}"
    r"|ngày\s+(?:thi|tổ\s+chức|diễn\s+ra|khai\s+mạc|bế\s+mạc|bắt\s+đầu|kết\s+thúc)"
    r"|(?:người\s+)?chủ\s+trì|đối\s+tượng(?:\s+[^\s:]+){0,2}|thành\s+phần(?:\s+tham\s+dự)?"
    r"|(?:đầu\s+mối\s+)?liên\s+hệ)\s*:",
    re.IGNORECASE,
)
EVENT_FIELDS = 2  # an event's fields in one box that make it the event's record
_CELLS = frozenset(["td", "th", "dt", "dd"])


def event_boxes(blocks: list[Block]) -> set[Element]:
    """The boxes holding an event's record: two or more event fields and no paragraph of
    prose (the same fields written as the body's own paragraphs are its text)."""
    counts: dict[Element, int] = {}
    for block in blocks:
        if block.text and EVENT_FIELD.match(block.text):
            el = block.element
            box = _box_of(el) if el.tag in _CELLS else el.getparent()
            if box is not None:
                counts[box] = counts.get(box, 0) + 1
    return {
        box
        for box, count in counts.items()
        if count >= EVENT_FIELDS and not any(_prose(b) and in_box(b, {box}) for b in blocks)
    }


def _prose(block: Block) -> bool:
    return (
        len(block.text) >= LONG_BLOCK
        and block.element.tag not in _CELLS
        and not EVENT_FIELD.match(block.text)
    )
