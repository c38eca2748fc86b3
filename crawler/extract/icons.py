"""Pictograms among a page's images (pure): icons, file-type and tool pictograms, spacers.

An article's photos are what a reader looks at; an eye before a view count, a calendar before
a date, a PDF pictogram before an attachment or a print button are not.
"""

from __future__ import annotations

import re
from typing import Any

_ICON = re.compile(
    r"(?:^|[\s_-])(?:icons?|ico|eye|clock|calendar|lich|date|time|view|luot-?xem|spacer)(?:$|[\s_-])",
    re.IGNORECASE,
)
# ... but a photo's file name may be its story's slug ("du-lich-dem-ho-xuan-huong.jpg"): there
# only the words no story uses count, and a short name ("ico-lich", "view_2x") counts whole
_ICON_WORD = re.compile(r"(?:^|[\s_-])(?:icons?|ico|spacer)(?:$|[\s_-])", re.IGNORECASE)
ICON_NAME_PARTS = 3
_PARTS = re.compile(r"[\s_-]+")
# file names of a file type's or a tool's pictogram ("images/pdf.gif", "print.gif")
_TOOL_ICON = re.compile(
    r"^(?:pdf|docx?|xlsx?|zip|rar|file|attach|print|mail|email|share)$", re.IGNORECASE
)
ICON_PX = 32
# where an <img> keeps its picture, lazy-load attributes first (``src`` is then a placeholder)
IMAGE_ATTRS = ("data-original", "data-src", "data-lazy-src", "src")
# an author's portrait beside the byline: class "author-avatar", "/uploads/authors/x.jpg"
_AVATAR = re.compile(r"avatar|/(?:avatars?|authors?|tac-?gia)/", re.IGNORECASE)
# a pictogram's folder: Domino's "/icons/expand.gif", a theme's "/images/icons/print.png"
_ICON_FOLDER = re.compile(r"/(?:icons?|ico)/", re.IGNORECASE)


def image_stem(src: str) -> str:
    """``/images/icon-eye.png?v=2`` -> ``icon-eye``."""
    return src.split("?", 1)[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]


def is_icon(img: Any) -> bool:
    """A pictogram, not a photo: named so (``images/icon_eye.png``, ``class="icon"``) or kept
    in an icons folder, an author's avatar, or drawn no larger than ``ICON_PX`` by its declared
    size. A lazy photo is judged by the picture it loads, not by its placeholder
    (``src="images/spacer.gif"``)."""
    path, css = picture(img), img.get("class") or ""
    src = image_stem(path)
    named = _ICON if len(_PARTS.split(src)) <= ICON_NAME_PARTS else _ICON_WORD
    if named.search(src) or _TOOL_ICON.search(src) or _ICON.search(css):
        return True
    where = path.split("?", 1)[0]
    if _AVATAR.search(css) or _AVATAR.search(where) or _ICON_FOLDER.search(where):
        return True
    sizes = [img.get("width") or "", img.get("height") or ""]
    return any(v.strip().isdigit() and int(v) <= ICON_PX for v in sizes)


def picture(img: Any) -> str:
    """The address an image shows in the end: its first lazy-load attribute, else ``src``."""
    for attr in IMAGE_ATTRS:
        value: str = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return ""
