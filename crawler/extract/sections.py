"""A portal's news sections, found in its home page by their menu labels.

A registry row with no start paths starts at the home page (``crawl.discover_sections``): the
links whose text is a news-section label ("Tin tức", "Tin tức - Sự kiện", "Tin hoạt động",
"Hoạt động", "Tin địa phương", "Thông báo"...; compared without diacritics, case or
punctuation) and that stay on the page's host are the listings to walk. Pure: a page in, URLs
out.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.extract.pages import selector_for
from crawler.extract.text import fold_diacritics

# folded labels, best first: the general news sections before announcements
SECTION_LABELS: Final[tuple[str, ...]] = (
    "tin tuc su kien",
    "tin tuc va su kien",
    "tin tuc",
    "tin tuc hoat dong",
    "tin hoat dong",
    "hoat dong",
    "tin dia phuong",
    "thong bao",
)
MAX_SECTIONS: Final[int] = 3
_NOT_WORD = re.compile(r"[\W_]+")
_DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|jpe?g|png|gif)$", re.IGNORECASE)


def fold_label(text: str) -> str:
    """``"Tin tức - Sự kiện"`` -> ``"tin tuc su kien"``: no diacritics, case or punctuation."""
    return " ".join(_NOT_WORD.sub(" ", fold_diacritics(text)).split())


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def section_links(
    page: Selector | bytes | str,
    url: str,
    labels: tuple[str, ...] = SECTION_LABELS,
    limit: int = MAX_SECTIONS,
) -> list[str]:
    """The news-section URLs linked from ``page`` (at ``url``), best label first, at most
    ``limit``; links to other hosts, documents, scripts and the page itself are skipped."""
    sel = page if isinstance(page, Selector) else selector_for(page)
    rank = {label: i for i, label in enumerate(labels)}
    home, host = _without_fragment(url).rstrip("/"), _host(url)
    found: dict[str, tuple[int, int]] = {}  # url -> (label rank, document order)
    for order, anchor in enumerate(sel.xpath("//a[@href]")):
        text = anchor.xpath("normalize-space(string(.))").get() or anchor.attrib.get("title", "")
        label = rank.get(fold_label(text))
        if label is None:
            continue
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        target = _without_fragment(urljoin(url, href))
        if (
            not target.startswith(("http://", "https://"))
            or _host(target) != host
            or target.rstrip("/") == home
            or _DOCUMENT.search(urlsplit(target).path)
        ):
            continue
        found.setdefault(target, (label, order))
    return sorted(found, key=lambda u: found[u])[:limit]
