"""Page objects driven by a profile: saved bytes in, fields out.

``ArticlePage(profile, url, sel).extract()`` returns an :class:`ArticleData`;
``ListingPage(profile, url, sel)`` gives article links and the next listing page. Nothing here
touches the network, the Scrapy engine or the store (see ``tests/unit/test_layering.py``).
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector
from w3lib.encoding import html_to_unicode

from crawler.extract.body import body_element, extract_body
from crawler.extract.byline import is_account
from crawler.extract.dates import parse_vi_datetime
from crawler.extract.fallback import Metadata, main_text, microdata_date, structured_metadata
from crawler.extract.layoutfree import FreeArticle, read_article
from crawler.extract.layoutfree.blocks import document_base
from crawler.extract.layoutfree.listing import FreeListing, read_listing
from crawler.extract.legacy_encodings import legacy_decode, legacy_encoding
from crawler.extract.markup_bounds import cap_attributes
from crawler.extract.numbers import parse_int_vi
from crawler.extract.selectors import PageNodes, apply_rule, first, select_nodes
from crawler.extract.site_stats import extract_site_stats
from crawler.extract.text import nfc, normalize_text, to_nfc
from crawler.fields import COVERAGE_FIELDS, ArticleFields
from crawler.profiles import get_profile
from crawler.profiles.schema import FieldRule, Profile
from crawler.urls import drop_session_path

GENERIC = "generic"  # the profile whose implementation is the layout-free reader
MIN_ARTICLE_CHARS = 200  # less prose than this beside a list of links: a listing page
LISTING_PROSE, LISTING_ITEMS = 800, 6  # ... or less than this beside this many, and no headline
_NOT_FOUND = re.compile(
    r"(?:trang|bài\s+viết|nội\s+dung|tin\s+bài|đường\s+dẫn)(?:\s+bạn\s+(?:yêu\s+cầu|tìm))?\s+không\s+tồn\s+tại"
    r"|không\s+tìm\s+thấy\s+(?:trang|bài\s+viết|nội\s+dung)|page\s+not\s+found|\b404\b.{0,20}not\s+found"
    r"|lỗi\s+404",
    re.IGNORECASE,
)


_SINGLE_BYTE_LATIN = (
    "cp1252",
    "latin-1",
    "latin_1",
    "iso8859",
    "iso-8859",
    "ascii",
    "windows-1252",
)
_COMBINING_UTF8 = ((b"\xcc", 0xBF), (b"\xcd", 0xAF))  # lead byte, last continuation byte
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def looks_binary(body: bytes) -> bool:
    """A PDF, image, Office file or archive served with an HTML content type.

    UTF-16 text (with its BOM) is not binary, nor is a page with a stray NUL byte: only a head
    made of NULs (a tenth or more of its bytes) is.
    """
    head = body[:1024].lstrip()
    if head.startswith(BINARY_MAGIC):
        return True
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return head.count(b"\x00") * 10 >= max(len(head), 1)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes to text, honouring the HTTP charset, then ``<meta charset>``, then a guess.

    w3lib knows the WHATWG aliases; Vietnamese ``windows-1258`` maps to Python's ``cp1258``.
    A page that declares a Western single-byte charset but is valid UTF-8 (a common portal
    misconfiguration) is read as UTF-8, since real Vietnamese text is never valid in both.
    The text is NFC-normalised: ``windows-1258`` (and some editors) spell tones as combining
    marks, and selectors or labels written in ordinary (NFC) Vietnamese must still match.
    A windows-1258 or TCVN3 page labelled (or defaulted to) UTF-8 or Latin-1 is repaired
    (:func:`repaired_encoding`).
    """
    return _decode(body, content_type)[0]


def repaired_encoding(body: bytes, content_type: str | None = None) -> str | None:
    """``"cp1258"`` or ``"tcvn3"`` when the page is windows-1258 or TCVN3 read as UTF-8 or a
    Western single-byte encoding (mislabelled or unlabelled); else ``None``
    (:mod:`crawler.extract.legacy_encodings`)."""
    encoding, text = html_to_unicode(content_type, body)
    return legacy_encoding(body, encoding, text)


def _decode(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """:func:`decode_html`'s text, and whether it is exactly ``body`` read as UTF-8."""
    encoding, text = html_to_unicode(content_type, body)
    normalized = encoding.lower().replace("_", "-")
    if normalized.startswith(_SINGLE_BYTE_LATIN) and not body[:65536].isascii():
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = body.decode("utf-8"), "utf-8"
    repair = legacy_encoding(body, encoding, text)
    if repair is not None:  # windows-1258 or TCVN3 bytes labelled (or defaulted to) UTF-8/Latin-1
        return nfc(legacy_decode(body, repair)), False
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


# lxml.html picks each element's class in a Python method, run whenever Python first touches
# an element (a third of the layout-free walk); lxml's own lookup does it in C. Every element is
# then an HtmlElement (no FormElement/InputElement form helpers, which nothing here uses).
_C_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement,
    comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity,
)


def selector_for(body: bytes | str, content_type: str | None = None) -> Selector:
    """A parsel selector of the page; UTF-8 bytes are parsed as they are (no re-encoding).
    Start tags with absurdly many attributes are cut first (:mod:`.markup_bounds`)."""
    return page_source(body, content_type)[0]


def page_source(body: bytes | str, content_type: str | None = None) -> tuple[Selector, str]:
    """:func:`selector_for`'s selector and the decoded text it was parsed from: what family
    detection searches (the same fingerprint scores as the parsed page serialised again, on
    every fixture, at a tenth of the cost)."""
    if isinstance(body, str):
        sel = Selector(text=cap_attributes(body)[0] or "<html></html>", type="html")
        return _c_lookup(sel), body
    text, verbatim = _decode(body, content_type)
    data = _parsable_as_is(body) if verbatim else None
    if data is not None:
        sel = Selector(body=cap_attributes(data)[0], type="html", encoding="utf-8")
        return _c_lookup(sel), text
    return _c_lookup(Selector(text=cap_attributes(text)[0] or "<html></html>", type="html")), text


def _c_lookup(sel: Selector) -> Selector:
    """``sel`` with C-level element classes: parsel gives each page a parser of its own."""
    parser = sel.root.getroottree().parser
    if parser is not None and parser is not lxml_html.html_parser:
        parser.set_element_class_lookup(_C_LOOKUP)
    return sel


@dataclass(kw_only=True)
class ArticleData(ArticleFields):
    """What extraction read from one article page, and how."""

    url: str
    site: str
    cms: str
    site_stats: dict[str, int | None] | None = None
    missing: list[str] = field(default_factory=list)
    date_method: str | None = None
    fallbacks: dict[str, str] = field(default_factory=dict)  # field -> method, rule missed
    methods: dict[str, str] = field(default_factory=dict)  # field -> how it was found

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ArticlePage:
    def __init__(self, profile: Profile, url: str, sel: Selector, site: str | None = None):
        self.profile = profile
        self.url = url
        self.sel = sel
        self.site = site or profile.id
        self.rules = profile.article
        self.base = document_base(sel.root, url)  # relative links resolve against it
        self._nodes = PageNodes(sel.root)  # rule results shared within this page
        self._free_read: FreeArticle | None = None
        self._metadata: Metadata | None = None

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
        body = self._read_body(data)
        lead = self._first(self.rules.lead_image)
        if lead:
            lead_url = urljoin(self.base, lead)
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
        self._fallbacks(data, body_container=body)
        data.missing = [f for f in COVERAGE_FIELDS if getattr(data, f) in (None, [], "")]
        return data

    def _read_body(self, data: ArticleData) -> bool:
        """Body, photos and byline from the element the body rule names (walked by the rules,
        or read by the layout-free reader as the article block); whether it is there."""
        if self.rules.body_reading == "layout-free":
            if self._block() is None:
                return False
            free = self._free()
            data.body, data.images = free.body, free.images
            data.author, data.source = free.author, free.source
            return True
        body = extract_body(
            self.sel,
            self.rules.body,
            self.rules.body_remove,
            self.rules.byline,
            self.base,
            self._nodes,
        )
        if body is not None:
            data.body = body.text
            data.images = body.images
            data.author, data.source = body.author, body.source
        return body is not None

    def _block(self) -> Any:
        """The article block the body rule names when the layout-free reader reads it."""
        if self.rules.body_reading != "layout-free":
            return None
        return body_element(self.sel, self.rules.body, self._nodes)

    def looks_like_listing(self) -> bool:
        """Whether the page is a list of other articles rather than one article: its article
        block is mostly headline links, or it has a list of them and next to no prose."""
        free = self._free()
        if free.listing_like:
            return True
        prose = len(free.body or "")
        if prose < MIN_ARTICLE_CHARS:
            return len(read_listing(self.sel.root, self.url).links) >= 3
        # no line of the page is its headline, little prose, and a list of many articles: a
        # grid of cards whose excerpts outweigh any one title (site builders)
        return (
            prose < LISTING_PROSE
            and free.methods.get("title") not in ("slug", "meta_title")
            and len(read_listing(self.sel.root, self.url).links) >= LISTING_ITEMS
        )

    @staticmethod
    def not_found(data: ArticleData) -> bool:
        """A "page not found" served with status 200 (a soft 404): the title or the little
        text there is says the article does not exist."""
        text = " ".join(t for t in (data.title, data.body) if t)
        return len(data.body or "") < MIN_ARTICLE_CHARS and bool(_NOT_FOUND.search(text))

    def _free(self) -> FreeArticle:
        """The layout-free reading of this page (computed once, on demand)."""
        if self._free_read is None:
            meta = self._meta()
            titles = [
                t for t in (meta.title[0] if meta.title else None, _page_title(self.sel)) if t
            ]
            descriptions = [meta.summary[0]] if meta.summary else []
            self._free_read = read_article(
                self.sel.root, self.url, titles, descriptions, self.profile.timezone, self._block()
            )
        return self._free_read

    def _meta(self) -> Metadata:
        if self._metadata is None:
            self._metadata = structured_metadata(self.sel)
        return self._metadata

    def _fallbacks(self, data: ArticleData, body_container: bool) -> None:
        """Fill what the profile's rules missed (or, for ``generic``, every field).

        The layout-free reader (``crawler.extract.layoutfree``) fills each field a rule
        exists for but missed; structured metadata (JSON-LD, OpenGraph) fills a date the page
        does not print. A date the page prints but that cannot be read (``published_raw`` set)
        stays null: metadata never overrides what the page shows. A body container that
        exists but holds nothing is an empty article, not a missed rule. For a family profile
        every such use is a fallback (counted: the profile stopped matching); for ``generic``
        it is the method itself (``methods``).
        """
        generic = self.profile.cms == GENERIC
        wanted = self._missed(data, body_container, generic)
        if not wanted:
            return
        used: dict[str, str] = {}
        free = self._free()
        for name in wanted:
            self._fill(name, data, free, used)
        if generic:
            _add_photos_around_the_body(data, free)
            _drop_byline_lines(data, free)
        meta = self._meta()
        # a JSON-LD Person; <meta name="author"> on portals names the site, not a writer
        if (
            generic
            and data.author is None
            and meta.author
            and meta.author[1] == "jsonld"
            and (not is_account(meta.author[0]))
        ):
            data.author, used["author"] = meta.author
        if data.summary and data.body and data.body.startswith(data.summary):
            data.body = data.body[len(data.summary) :].lstrip() or None
        data.methods.update(used)
        # a miss of the page's own rule is a fallback (counted: the layout may have changed);
        # the generic profile's fields, and the fields a site has no rule of its own for, are
        # read layout-free by design
        data.fallbacks.update({k: v for k, v in used.items() if self._own_rule(k)})

    def _missed(self, data: ArticleData, body_container: bool, generic: bool) -> list[str]:
        """The fields to read layout-free: core fields whose rule missed, and the optional
        ones (views, author, source; lead and category for ``generic``) when the layout broke."""
        rules = self.rules
        core = [
            name
            for name, missed in (
                # a title element that is there but empty is a broken page, not a missed rule
                ("title", data.title is None and (generic or not self._present(rules.title))),
                ("body", data.body is None and not body_container),
                ("published_at", data.published_raw is None and data.published_at is None),
            )
            if missed
        ]
        # views, author and source are often simply not on a page: their rules are backed up
        # only when the layout broke (a core rule missed too), so a page that matched pays
        # nothing for the layout-free reader
        if not (generic or core):
            return core
        return core + [
            name
            for name, missed in (
                ("views", data.views_raw is None and (generic or rules.views is not None)),
                ("author", data.author is None and (generic or rules.author is not None)),
                ("source", data.source is None and (generic or rules.source is not None)),
                # a family's lead and category are optional parts of its template
                ("summary", data.summary is None and generic),
                ("category", data.category is None and generic),
            )
            if missed
        ]

    def _fill(self, name: str, data: ArticleData, free: FreeArticle, used: dict[str, str]) -> None:
        """One missed field from the layout-free reading (``used``: field -> method)."""
        if name == "published_at":
            self._fill_date(data, free, used)
        elif name == "body":
            self._fill_body(data, free, used)
        elif name == "views":
            if free.views is not None:
                data.views_raw, data.views = free.views_raw, free.views
                used["views"] = free.methods["views"]
        elif name == "category" and free.category is None and data.category is None:
            section = self._meta().category  # no breadcrumb: the section metadata names
            if section is not None:
                data.category, used["category"] = section
        elif getattr(free, name) is not None and getattr(data, name) is None:
            setattr(data, name, getattr(free, name))
            used[name] = free.methods[name]

    def _fill_body(self, data: ArticleData, free: FreeArticle, used: dict[str, str]) -> None:
        """The layout-free body (with the byline under it), else trafilatura's main text."""
        if free.body is not None:
            data.body, data.images = free.body, free.images
            used["body"] = free.methods["body"]
            for extra in ("author", "source"):
                if getattr(data, extra) is None and getattr(free, extra) is not None:
                    setattr(data, extra, getattr(free, extra))
                    used.setdefault(extra, free.methods[extra])
        elif data.title is not None:
            data.body = main_text(self.sel.get(), self.url)
            if data.body:
                used["body"] = "trafilatura"

    def _own_rule(self, name: str) -> bool:
        """Whether the profile has a rule for ``name`` beyond the generic profile's."""
        rules = self.rules
        rule: object = {
            "title": rules.title,
            "body": rules.body,
            "published_at": rules.published,
            "views": rules.views,
            "author": rules.author,
            "source": rules.source,
            "summary": rules.summary,
            "category": rules.category,
        }[name]
        if self.profile.cms != GENERIC or rule is None:
            return rule is not None
        generic = get_profile(GENERIC).article
        base = {"published_at": generic.published}.get(name, getattr(generic, name, None))
        return rule is not base and rule != base

    def _present(self, rule: FieldRule) -> bool:
        return bool(select_nodes(self.sel, rule, self._nodes))

    def _fill_date(self, data: ArticleData, free: FreeArticle, used: dict[str, str]) -> None:
        """The date printed near the headline, else the one in structured metadata.

        A printed date without a time takes the time from metadata of the same day.
        """
        meta = self._meta()
        found = free.published
        if found is not None and not found.date_only:
            meta = Metadata()  # the page prints date and time: metadata is not needed
        elif meta.published is None and (date := microdata_date(self.sel)):
            meta = replace(meta, published=(date, "microdata"))
        parsed = (
            parse_vi_datetime(meta.published[0], self.profile.timezone) if meta.published else None
        )
        if found is not None:
            data.published_raw = free.published_raw
            data.published_at, data.date_method = found.value, found.method
            data.published_date_only = found.date_only
            used["published_at"] = free.methods["published_at"]
            if (
                found.date_only
                and parsed is not None
                and not parsed.date_only
                and (parsed.value.date() == found.value.date())
            ):
                data.published_at, data.published_date_only = parsed.value, False
            return
        if meta.published and parsed is not None:
            data.published_raw = meta.published[0]
            data.published_at, data.date_method = parsed.value, parsed.method
            data.published_date_only = parsed.date_only
            used["published_at"] = meta.published[1]


def _page_title(sel: Selector) -> str | None:
    found = sel.root.find(".//title")
    return normalize_text(found.text) if found is not None else None


def _compiled(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


class ListingPage:
    """Article links and the next page of a listing: the profile's rules, else layout-free.

    ``generic`` reads every listing layout-free; a family profile whose link rule finds nothing
    falls back to it (``method`` says which was used: ``rule`` or ``layout_free``).
    """

    def __init__(self, profile: Profile, url: str, sel: Selector):
        self.profile = profile
        self.url = url
        self.sel = sel
        self.base = document_base(sel.root, url)  # relative links resolve against it
        self.method = "layout_free" if profile.cms == GENERIC else "rule"
        self._free_read: FreeListing | None = None

    def _free(self) -> FreeListing:
        if self._free_read is None:
            self._free_read = read_listing(self.sel.root, self.url)
        return self._free_read

    @property
    def postback_only(self) -> bool:
        """The page's pager only posts back (``__doPostBack``): it cannot be followed."""
        return self.method == "layout_free" and self._free().postback and not self._free().next_page

    def article_links(self) -> list[str]:
        """Absolute article URLs in page order, filtered by the profile's URL rules."""
        if self.method == "layout_free":
            return self._filtered(self._free().links, allow=False)
        links = self._filtered(apply_rule(self.sel, self.profile.listing.article_links), allow=True)
        if links:
            return links
        free = self._filtered(self._free().links, allow=False)
        if free:
            self.method = "layout_free"
        return free

    def _filtered(self, hrefs: list[str], allow: bool) -> list[str]:
        allow_re = _compiled(self.profile.urls.article_allow) if allow else []
        deny = _compiled(self.profile.urls.article_deny)
        seen: set[str] = set()
        links: list[str] = []
        for href in hrefs:
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = drop_session_path(urljoin(self.base, href))
            if allow_re and not any(p.search(url) for p in allow_re):
                continue
            if any(p.search(url) for p in deny) or url in seen or url == self.url:
                continue
            seen.add(url)
            links.append(url)
        return links

    def next_page(self, page_no: int, start_url: str | None = None) -> str | None:
        """The next listing URL: the page's next link, else the profile's URL template.

        ``page_no`` is the number of the page being parsed (1 for the start page) and
        ``start_url`` the listing the walk began at (templates are applied to it). Read
        layout-free, the next page is the pager's (see ``crawler.extract.layoutfree.listing``).
        """
        if self.method == "layout_free":
            nxt = self._free().next_page
            return None if nxt is None or nxt == self.url else nxt
        rule = self.profile.listing.next_page
        if rule is not None:
            href = first(self.sel, rule)
            if href and not href.startswith(("javascript:", "#")):
                nxt = drop_session_path(urljoin(self.base, href))
                return None if nxt == self.url else nxt
        pagination = self.profile.listing.pagination
        if pagination is None:
            return None
        return paginate(
            start_url or self.url, pagination.param, pagination.path, pagination.first + page_no
        )


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


def _drop_byline_lines(data: ArticleData, free: FreeArticle) -> None:
    """A microdata ``articleBody`` read whole ends with the byline lines the layout-free
    reader told apart (a bold name, "(Chi cục …)"): those paragraphs are not body."""
    if not (data.body and free.body) or not (free.author or free.source):
        return
    kept = set(free.body.split("\n\n"))
    names = [n for n in (free.author, free.source) if n]
    paragraphs = data.body.split("\n\n")
    while (
        len(paragraphs) > 1
        and paragraphs[-1] not in kept
        and len(paragraphs[-1]) <= MAX_BYLINE_LINE
        and any(n in paragraphs[-1] for n in names)
    ):
        paragraphs.pop()
    data.body = "\n\n".join(paragraphs)


MAX_BYLINE_LINE = 150


def _add_photos_around_the_body(data: ArticleData, free: FreeArticle) -> None:
    """The layout-free reading's photos when they hold every photo the body rule found and
    more: a main photo printed above a microdata ``articleBody`` is the article's too."""
    found = {image["url"] for image in data.images}
    read = {image["url"] for image in free.images}
    if found <= read and read:  # the same photos: the reader's captions are set apart by style
        data.images = [dict(image) for image in free.images]
