"""A legal document's attribute box on announcement pages (pure).

Portals publish "Thông báo", "Kế hoạch", "Công văn" and "Giấy mời" as articles with the
document's record beside the text: a table (or a definition list, or rows of label and value
boxes) of "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Người ký", "Trích yếu". That box
describes the document; it is not the article's text, and its signer is not the author.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crawler.extract.body import DOCUMENT_PROPERTY, RECORD_LABELS
from crawler.extract.layoutfree.blocks import Block

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


def property_boxes(blocks: Iterable[Block]) -> set[Element]:
    """The elements among ``blocks`` holding at least ``RECORD_LABELS`` document labels."""
    counts: dict[Element, int] = {}
    for block in blocks:
        if len(block.text) <= 40 and DOCUMENT_PROPERTY.match(block.text):
            box = _box_of(block.element)
            if box is not None:
                counts[box] = counts.get(box, 0) + 1
    return {box for box, n in counts.items() if n >= RECORD_LABELS}


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
