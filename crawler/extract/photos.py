"""Each photo of an article once (pure).

Gallery pages show a photo more than once: a slider above the text repeats the photos the
body shows with their captions, and a strip of thumbnails (the same file with a size suffix,
``…-01_150x100.jpg``, or under a ``thumbs`` folder) follows it. A reader sees one photo each.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

Photo = dict[str, str | None]  # {"url": …, "caption": …}

# a resized copy's file name: "anh-01_150x100.jpg", "anh-01-300x200.png", "anh-01_thumb.jpg"
_SIZE_SUFFIX = re.compile(
    r"[-_](?:\d{2,4}x\d{2,4}|thumb(?:nail)?|small)(?=\.\w{3,4}$)", re.IGNORECASE
)
_THUMB_FOLDER = re.compile(r"/(?:thumbs?|thumbnails?|resized?|crop)/", re.IGNORECASE)


# a gallery's counter or badge, not text: "Ảnh 1/6", "1 / 6", "(6 ảnh)", "Xem tất cả 5 ảnh"
PHOTO_COUNTER = re.compile(
    r"^(?:ảnh|hình)?\s*\d{1,3}\s*/\s*\d{1,3}$|^\(?\d{1,4}\s+(?:ảnh|hình\s+ảnh|photos?)\)?$"
    r"|^xem\s+(?:tất\s+cả\s+)?\d{1,4}\s+(?:ảnh|hình\s+ảnh)$",
    re.IGNORECASE,
)


def thumbnail_of(url: str, shown: set[str]) -> bool:
    """Whether ``url`` is a resized copy of a photo named in ``shown`` (``photo_name``)."""
    name, resized = _name(url)
    return resized and name in shown


def photo_name(url: str) -> str:
    """The photo's file name without a size suffix: one name for all copies of a photo."""
    return _name(url)[0]


def _name(url: str) -> tuple[str, bool]:
    """The photo's file name without a size suffix, and whether this copy is a resized one."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    bare = _SIZE_SUFFIX.sub("", name)
    return bare.lower(), bare != name or _THUMB_FOLDER.search(path) is not None


def one_per_photo(images: list[Photo]) -> list[Photo]:
    """``images`` in order with each photo once: a repeat of the same address, or a resized
    copy of a photo shown full size, is dropped; its caption fills the first one's if that had
    none, and a full-size copy replaces a resized one met first."""
    out: list[Photo] = []
    by_url: dict[str, Photo] = {}
    by_name: dict[str, tuple[Photo, bool]] = {}
    for image in images:
        url = image["url"] or ""
        name, resized = _name(url)
        first = by_url.get(url)
        if first is None and name in by_name:
            other, other_resized = by_name[name]
            first = other if (resized or other_resized) else None
        if first is None:
            out.append(image)
            by_url[url] = image
            by_name.setdefault(name, (image, resized))
            continue
        by_url.setdefault(url, first)  # a later repeat of this copy is the same photo
        if first["caption"] is None and image["caption"]:
            first["caption"] = image["caption"]
        if by_name.get(name, (None, False))[1] and not resized:
            first["url"] = image["url"]
            by_name[name] = (first, False)
    return out
