"""Page objects driven by a profile: saved bytes in, fields out.

``ArticlePage(profile, url, sel).extract()`` returns an :class:`ArticleData`;
``ListingPage(profile, url, sel)`` gives article links and the next listing page. Nothing here
touches the network, the Scrapy engine or the store (see ``tests/unit/test_layering.py``).
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector
from w3lib.encoding import html_to_unicode

from crawler.extract.body import body_from_element, densest_block, extract_body
from crawler.extract.dates import parse_vi_datetime
from crawler.extract.fallback import main_text, structured_metadata
from crawler.extract.numbers import parse_int_vi
from crawler.extract.selectors import PageNodes, apply_rule, first
from crawler.extract.site_stats import extract_site_stats
from crawler.extract.text import nfc, to_nfc
from crawler.profiles.schema import COVERAGE_FIELDS, FieldRule, Profile

ARTICLE_FIELDS = COVERAGE_FIELDS


_SINGLE_BYTE_LATIN = ("cp1252", "latin-1", "latin_1", "iso8859", "iso-8859", "ascii", "windows-1252")
_COMBINING_UTF8 = ((b"\xcc", 0xBF), (b"\xcd", 0xAF))  # lead byte, last continuation byte
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def looks_binary(body: bytes) -> bool:
    """A PDF, image, Office file or archive served with an HTML content type."""
    head = body[:1024].lstrip()
    return head.startswith(BINARY_MAGIC) or b"\x00" in head


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes to text, honouring the HTTP charset, then ``<meta charset>``, then a guess.

    w3lib knows the WHATWG aliases; Vietnamese ``windows-1258`` maps to Python's ``cp1258``.
    A page that declares a Western single-byte charset but is valid UTF-8 (a common portal
    misconfiguration) is read as UTF-8, since real Vietnamese text is never valid in both.
    The text is NFC-normalised: ``windows-1258`` (and some editors) spell tones as combining
    marks, and selectors or labels written in ordinary (NFC) Vietnamese must still match.
    """
    return _decode(body, content_type)[0]


def _decode(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """:func:`decode_html`'s text, and whether it is exactly ``body`` read as UTF-8."""
    encoding, text = html_to_unicode(content_type, body)
    normalized = encoding.lower().replace("_", "-")
    if normalized.startswith(_SINGLE_BYTE_LATIN) and not body[:65536].isascii():
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = body.decode("utf-8"), "utf-8"
    if codecs.lookup(encoding).name != "utf-8":
        return to_nfc(text), False
    if _utf8_has_mark(body):
        return nfc(text), False
    # no BOM dropped, no invalid byte replaced: the text is the bytes, character for character
    return text, not body.startswith(codecs.BOM_UTF8) and "\ufffd" not in text


def _utf8_has_mark(body: bytes) -> bool:
    """Whether UTF-8 ``body`` spells a combining mark (U+0300..U+036F): what :func:`to_nfc`
    looks for in the text, found with a few byte searches (memchr) instead of a regex scan.

    Only the byte pairs CC 80..BF and CD 80..AF decode to one, even among invalid bytes:
    0xCC and 0xCD never continue another character.
    """
    for lead, last in _COMBINING_UTF8:
        at = body.find(lead)
        while at != -1:
            follower = body[at + 1 : at + 2]
            if follower and 0x80 <= follower[0] <= last:
                return True
            at = body.find(lead, at + 1)
    return False


def _parsable_as_is(body: bytes) -> bytes | None:
    """``body`` stripped, when that is what parsel would parse from its decoded text.

    parsel encodes ``text.strip().replace("\\0", "")`` back to UTF-8 before parsing; for a
    verbatim UTF-8 page without NUL bytes that is ``body.strip()``, unless the text also ends
    in non-ASCII whitespace (``str.strip`` removes it, ``bytes.strip`` does not).
    """
    data = body.strip()
    if not data or b"\0" in body:
        return None
    first, last = data[:4].decode("utf-8", "ignore")[:1], data[-4:].decode("utf-8", "ignore")[-1:]
    return None if first.isspace() or last.isspace() else data


def selector_for(body: bytes | str, content_type: str | None = None) -> Selector:
    """A parsel selector of the page; UTF-8 bytes are parsed as they are (no re-encoding)."""
    if isinstance(body, str):
        return Selector(text=body or "<html></html>", type="html")
    text, verbatim = _decode(body, content_type)
    data = _parsable_as_is(body) if verbatim else None
    if data is not None:
        return Selector(body=data, type="html", encoding="utf-8")
    return Selector(text=text or "<html></html>", type="html")


@dataclass
class ArticleData:
    url: str
    site: str
    cms: str
    title: str | None = None
    summary: str | None = None
    published_at: datetime | None = None
    published_raw: str | None = None
    published_date_only: bool = False
    author: str | None = None
    source: str | None = None
    views: int | None = None
    views_raw: str | None = None
    category: str | None = None
    body: str | None = None
    images: list[dict[str, str | None]] = field(default_factory=list)
    site_stats: dict[str, int | None] | None = None
    missing: list[str] = field(default_factory=list)
    date_method: str | None = None
    fallbacks: dict[str, str] = field(default_factory=dict)  # field -> method, rule missed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ArticlePage:
    def __init__(self, profile: Profile, url: str, sel: Selector, site: str | None = None):
        self.profile = profile
        self.url = url
        self.sel = sel
        self.site = site or profile.id
        self.rules = profile.article
        self._nodes = PageNodes(sel.root)  # rule results shared within this page

    def _first(self, rule: FieldRule | None) -> str | None:
        return first(self.sel, rule, self._nodes)

    def title(self) -> str | None:
        return self._first(self.rules.title)

    def summary(self) -> str | None:
        return self._first(self.rules.summary)

    def category(self) -> str | None:
        return self._first(self.rules.category)

    def extract_site_stats(self) -> dict[str, int | None] | None:
        return extract_site_stats(self.sel, self.profile.site_stats.css, self._nodes)

    def extract(self) -> ArticleData:
        data = ArticleData(url=self.url, site=self.site, cms=self.profile.cms)
        data.title = self.title()
        data.summary = self.summary()
        data.category = self.category()
        body = extract_body(
            self.sel, self.rules.body, self.rules.body_remove, self.rules.byline, self.url,
            self._nodes,
        )
        if body is not None:
            data.body = body.text
            data.images = body.images
            data.author, data.source = body.author, body.source
        lead = self._first(self.rules.lead_image)
        if lead:
            lead_url = urljoin(self.url, lead)
            caption = self._first(self.rules.lead_caption)
            known = next((img for img in data.images if img["url"] == lead_url), None)
            if known is None:
                data.images.insert(0, {"url": lead_url, "caption": caption})
            elif known["caption"] is None:
                known["caption"] = caption
        # explicit rules win over the byline heuristic
        data.author = self._first(self.rules.author) or data.author
        data.source = self._first(self.rules.source) or data.source
        if data.summary and data.body and data.body.startswith(data.summary):
            data.body = data.body[len(data.summary) :].lstrip() or None
        data.published_raw = self._first(self.rules.published)
        parsed = parse_vi_datetime(data.published_raw, self.profile.timezone)
        if parsed is not None:
            data.published_at = parsed.value
            data.published_date_only = parsed.date_only
            data.date_method = parsed.method
        data.views_raw = self._first(self.rules.views)
        data.views = parse_int_vi(data.views_raw)
        data.site_stats = self.extract_site_stats()
        self._fallbacks(data, body_container=body is not None)
        data.missing = [f for f in ARTICLE_FIELDS if getattr(data, f) in (None, [], "")]
        return data


    def _fallbacks(self, data: ArticleData, body_container: bool) -> None:
        """Fill what the profile's rules missed: metadata first, then the main-content body.

        A date the page prints but that cannot be read (``published_raw`` set) stays null:
        metadata never overrides what the page shows. Author and summary come from metadata
        only for the ``generic`` profile: on portals, meta authors are usually the site's name.
        A body container that exists but holds nothing is an empty article, not a missed rule.
        """
        generic = self.profile.cms == "generic"
        wanted = data.title is None or data.body is None or (
            data.published_raw is None and data.published_at is None
        ) or generic
        if not wanted:
            return
        meta = structured_metadata(self.sel)
        if data.title is None and meta.title:
            data.title, data.fallbacks["title"] = meta.title
        if data.published_raw is None and meta.published:
            parsed = parse_vi_datetime(meta.published[0], self.profile.timezone)
            if parsed is not None:
                data.published_raw = meta.published[0]
                data.published_at, data.date_method = parsed.value, parsed.method
                data.fallbacks["published_at"] = meta.published[1]
        if generic and data.author is None and meta.author:
            data.author, data.fallbacks["author"] = meta.author
        if generic and data.summary is None and meta.summary:
            data.summary, data.fallbacks["summary"] = meta.summary
        if data.body is None and data.title is not None and not body_container:
            block = densest_block(self.sel)
            if block is not None:
                found = body_from_element(block, self.rules.body_remove, self.rules.byline, self.url)
                data.body, data.images = found.text, found.images
                data.author = data.author or found.author
                data.source = data.source or found.source
                data.fallbacks["body"] = "density"
            else:
                data.body = main_text(self.sel.get(), self.url)
                if data.body:
                    data.fallbacks["body"] = "trafilatura"
        if data.summary and data.body and data.body.startswith(data.summary):
            data.body = data.body[len(data.summary) :].lstrip() or None


def _compiled(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


class ListingPage:
    def __init__(self, profile: Profile, url: str, sel: Selector):
        self.profile = profile
        self.url = url
        self.sel = sel

    def article_links(self) -> list[str]:
        """Absolute article URLs in page order, filtered by the profile's URL rules."""
        allow = _compiled(self.profile.urls.article_allow)
        deny = _compiled(self.profile.urls.article_deny)
        seen: set[str] = set()
        links: list[str] = []
        for href in apply_rule(self.sel, self.profile.listing.article_links):
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(self.url, href)
            if allow and not any(p.search(url) for p in allow):
                continue
            if any(p.search(url) for p in deny) or url in seen or url == self.url:
                continue
            seen.add(url)
            links.append(url)
        return links

    def next_page(self, page_no: int, start_url: str | None = None) -> str | None:
        """The next listing URL: the page's next link, else the profile's URL template.

        ``page_no`` is the number of the page being parsed (1 for the start page) and
        ``start_url`` the listing the walk began at (templates are applied to it).
        """
        rule = self.profile.listing.next_page
        if rule is not None:
            href = first(self.sel, rule)
            if href and not href.startswith(("javascript:", "#")):
                nxt = urljoin(self.url, href)
                return None if nxt == self.url else nxt
        pagination = self.profile.listing.pagination
        if pagination is None:
            return None
        return paginate(start_url or self.url, pagination.param, pagination.path,
                        pagination.first + page_no)


def paginate(url: str, param: str | None, path: str | None, n: int) -> str:
    """``url`` with page ``n`` set through a query parameter or a last path segment."""
    parts = urlsplit(url)
    if param is not None:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
        query.append((param, str(n)))
        return urlunsplit(parts._replace(query=urlencode(query)))
    assert path is not None
    segment = re.compile("^" + re.escape(path).replace(re.escape("{n}"), r"\d+") + "$")
    head, _, last = parts.path.rpartition("/")
    base = head if segment.match(last) else parts.path.rstrip("/")
    return urlunsplit(parts._replace(path=f"{base}/{path.replace('{n}', str(n))}"))
