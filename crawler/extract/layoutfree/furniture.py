"""Boxes set in a story that are not its text, or that continue it (pure): an audio or video
player's box, a table of contents of in-page links, a series' list of its parts, the text
after an embedded document.

The layout-free reader (``article.py``) leaves the first three out of the body and reads the
last as the body's continuation.
"""

from __future__ import annotations

import re

from crawler.extract.layoutfree.blocks import LONG_BLOCK, Block, Element, PageText, next_element

EMBEDS = ("iframe", "embed", "object", "video")


def after_embed(page: PageText, container: Element | None) -> list[Block]:
    """The body's text after an embedded document or video set in a section of its own
    between the article block and the rest (a site builder's sections: text, the embedded
    PDF, text and the source line): the next section's blocks when none is chrome or a link
    line, else none."""
    span = page.spans.get(container) if container is not None else None
    if container is None or span is None:
        return []
    top = container
    while (up := top.getparent()) is not None and page.spans.get(up) == span:
        top = up
    embed = next_element(top)
    if embed is None or page.inside(embed) or next(embed.iter(*EMBEDS), None) is None:
        return []
    section = next_element(embed)
    found = page.inside(section) if section is not None else []
    if any(b.chrome or b.link_density > 0.5 or b.images for b in found):
        return []
    return found


def player_boxes(page: PageText, container: Element | None) -> set[Element]:
    """The boxes around the article's audio and video players and document viewers (an
    ``<iframe>``/``<object>`` showing a PDF): the outermost element over each holding no
    paragraph of prose (the player's label, fallback text, time, speed and download lines,
    its cover picture; a viewer's "vui lòng tải về" note)."""
    if container is None:
        return set()
    held: set[Element] = set()  # the elements holding a paragraph of prose
    for block in page.inside(container):
        if len(block.text) >= LONG_BLOCK:
            held.update(block.element.iterancestors())
            held.add(block.element)
    boxes: set[Element] = set()
    media_elements = [
        *container.iter("audio", "video"),
        *(e for e in container.iter(*VIEWERS) if _DOCUMENT_SOURCE.search(_source(e))),
    ]
    for media in media_elements:
        box, parent = media, media.getparent()
        while parent is not None and parent is not container and parent not in held:
            box, parent = parent, parent.getparent()
        boxes.add(box)
    return boxes


VIEWERS = ("iframe", "object", "embed")
# a viewer of a document: "/pdfjs/web/viewer.html?file=….pdf", "…/ke-hoach.pdf",
# Google's and Office's online viewers
_DOCUMENT_SOURCE = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?)(?:[?#&\s]|$)|viewer|[?&]file=|docs\.google\.com|officeapps",
    re.IGNORECASE,
)


def _source(el: Element) -> str:
    return f"{el.get('src') or ''} {el.get('data') or ''} {el.get('type') or ''}".replace(
        "application/pdf", ".pdf"
    )


def contents_boxes(blocks: list[Block]) -> set[Element]:
    """A long story's table of contents ("Nội dung chính": links to its own chapters, ``#…``):
    the element holding two or more in-page links and nothing else but its heading."""
    boxes: set[Element] = set()
    for block in blocks:
        if len(block.links) != 1 or not (block.links[0].get("href") or "").startswith("#"):
            continue
        box = block.element.getparent()
        while box is not None and box.tag in ("ul", "ol", "li", "nav"):
            box = box.getparent()
        if box is not None and _in_page_links(box) >= 2 and not _prose_in(box):
            boxes.add(box)
    return boxes


# the heading of a series' parts: "Loạt bài: Chuyển đổi số ở cơ sở", "Các bài trong loạt"
_SERIES = re.compile(
    r"^(?:loạt\s+bài|chuỗi\s+bài|tuyến\s+bài|(?:các\s+)?bài(?:\s+viết)?\s+(?:trong|cùng)"
    r"\s+(?:loạt|chuỗi|tuyến)(?:\s+bài)?)\b",
    re.IGNORECASE,
)
SERIES_HEADING_CHARS = 120
SERIES_DEPTH = 3  # from the heading's element up to the box around it and the parts' list


def series_boxes(blocks: list[Block]) -> set[Element]:
    """A series box ("Loạt bài: …" over the list of its parts, linked but the one shown): the
    element holding the heading and two or more links to the other parts, no prose."""
    boxes: set[Element] = set()
    for block in blocks:
        if len(block.text) > SERIES_HEADING_CHARS or not _SERIES.match(block.text):
            continue
        box = block.element
        for _ in range(SERIES_DEPTH):
            if sum(1 for a in box.iter("a") if a.get("href")) >= 2 and not _prose_in(box):
                boxes.add(box)
                break
            box = box.getparent()
            if box is None:
                break
    return boxes


def _in_page_links(box: Element) -> int:
    hrefs = [a.get("href") or "" for a in box.iter("a")]
    return len(hrefs) if all(h.startswith("#") and len(h) > 1 for h in hrefs) else 0


def _prose_in(box: Element) -> bool:
    return any(len(" ".join("".join(p.itertext()).split())) >= LONG_BLOCK for p in box.iter("p"))
