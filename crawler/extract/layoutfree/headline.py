"""The headline of an article page, found without a layout (pure).

A person finds the headline as the prominent line that says what the URL and the browser tab
say. So candidates are the page's short text blocks outside page chrome, scored by how well they
match the URL slug (diacritics folded: "hoi-nghi-truc-tuyen-..." against "Hội nghị trực tuyến")
and the ``og:title``/``<title>``/JSON-LD headline with the site name cut off, plus a little for
being a heading. A breadcrumb, "Trang chủ"/"Home", the site name or a category label never win:
they match neither reference.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from crawler.extract.layoutfree.blocks import Block, Element, PageText
from crawler.extract.layoutfree.caseless import Caseless
from crawler.extract.text import fold_ascii, fold_ascii_many

_WORD = re.compile(r"[a-z0-9]+")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:»›]|::)\s+")
_SITE_NAME = Caseless(
    r"cổng\s+thông\s+tin|trang\s+thông\s+tin|cổng\s+tttđt|ubnd|uỷ\s+ban|ủy\s+ban|portal|website"
)
_NOT_A_TITLE = frozenset(
    [
        "trang chu",
        "home",
        "tin tuc",
        "tin tuc su kien",
        "gioi thieu",
        "lien he",
        "chi tiet",
        "chi tiet tin",
        "chi tiet tin tuc",
        "chi tiet bai viet",
        "xem tin",
        "noi dung tin",
    ]
)
# the lines of a site's imprint ("Địa chỉ: …", "Chịu trách nhiệm chính: …"): the site's name
# printed with them is no headline, whatever element holds them
_IMPRINT = re.compile(
    r"^(?:Địa\s+chỉ|Chịu\s+trách\s+nhiệm|Bản\s+quyền|Copyright|©|Ghi\s+rõ\s+nguồn"
    r"|Giấy\s+phép|Điện\s+thoại|Email|Fax)\b",
    re.IGNORECASE,
)
# ... of which the lines only a site's imprint prints (an article may give an address or a
# phone number): where a page with no footer element ends its article (a print view)
SITE_IMPRINT = re.compile(
    r"^(?:Bản\s+quyền|Copyright|©|Cơ\s+quan\s+chủ\s+quản|Chịu\s+trách\s+nhiệm\s+chính"
    r"|Ghi\s+rõ\s+nguồn\b.{0,120}\bphát\s+hành\s+lại)",
    re.IGNORECASE,
)
HEADING_BONUS = {"h1": 0.3, "h2": 0.2, "h3": 0.1, "h4": 0.05}
_TITLE_CLASS = Caseless(r"title|tieu-?de|headline|heading")
# class/id words of the element printing the site's name in the banner ("h1.sitename",
# "a.logo", "h2.tenxa": a commune's name); a tab title that only repeats it is no headline
_BRAND_CLASS = Caseless(
    r"logo|site-?name|site-?title|brand|banner|ten-?(?:xa|phuong|don-?vi|co-?quan)"
)
BRAND_DEPTH = 3  # the element and its nearest ancestors
MIN_MATCH = 0.6
SITE_WORDS = 9  # a site's name first in the tab title is no longer than this
MAX_TITLE_CHARS = 300
STOP_SLUG = frozenset(
    [
        "html",
        "htm",
        "aspx",
        "php",
        "asp",
        "jsp",
        "vi",
        "vn",
        "en",
        "pages",
        "news",
        "portal",
        "default",
        "index",
        "tin",
        "tuc",
    ]
)


def words(text: str) -> list[str]:
    """Folded words: "Hội nghị Dân vận" -> ["hoi", "nghi", "dan", "van"]."""
    return _WORD.findall(fold_ascii(text))


def slug_words(url: str) -> list[str]:
    """Words of the URL's most title-like path segment (the one with the most words)."""
    path = unquote(urlsplit(url).path)
    best: list[str] = []
    for segment in fold_ascii_many(path.split("/")):
        found = [w for w in _WORD.findall(segment) if not w.isdigit()]
        if len(found) > len(best):
            best = found
    return [w for w in best if w not in STOP_SLUG] if len(best) >= 3 else []


@lru_cache(maxsize=4096)  # a site's menus link the same pages from every page
def _path(url: str) -> str:
    return urlsplit(url).path


def overlap(candidate: list[str], reference: list[str]) -> float:
    """Share of ``reference``'s words in ``candidate``, times share of ``candidate`` in it."""
    if not candidate or not reference:
        return 0.0
    ref, cand = set(reference), set(candidate)
    common = len(ref & cand)
    return (common / len(ref)) * (common / len(cand))


def reference_titles(meta_titles: list[str]) -> tuple[list[str], set[str]]:
    """Title references with the site name cut off, and the folded site-name parts.

    "Hội nghị ... - Cổng thông tin điện tử huyện Giao Thủy" gives the reference "Hội nghị ..."
    and the site name "cong thong tin dien tu huyen giao thuy".
    """
    refs: list[str] = []
    site: set[str] = set()
    for title in meta_titles:
        parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
        if not parts:
            continue
        # a site's name: "Cổng thông tin …", "UBND xã …", but not a first part that long (a
        # headline may start with "UBND phường …": the site's name comes after it)
        named = [
            p
            for i, p in enumerate(parts)
            if _SITE_NAME.search(p) and (i > 0 or len(p.split()) <= SITE_WORDS)
        ]
        site.update(" ".join(words(p)) for p in named)
        rest = [p for p in parts if p not in named] or parts
        refs.append(max(rest, key=len))
        # a title holding a separator itself ("Vụ Đông Xuân 2025 – 2026, …"): the tab without
        # its last (or first) part, where the site name usually is
        seps = list(_TITLE_SEPARATORS.finditer(title))
        if len(seps) >= 2:
            cut = [title[: seps[-1].start()].strip(), title[seps[0].end() :].strip()]
            refs += [r for r in cut if not any(p in r for p in named)]
    return list(dict.fromkeys(refs)), site


def _heading_bonus(block: Block) -> float:
    bonus = 0.0
    el = block.element
    for _ in range(3):
        if el is None:
            break
        tag = el.tag if isinstance(el.tag, str) else ""
        bonus = max(bonus, HEADING_BONUS.get(tag, 0.0))
        if _TITLE_CLASS.search(
            f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
        ):
            bonus = max(bonus, 0.2)
        el = el.getparent()
    return bonus


@dataclass(frozen=True)
class Headline:
    text: str
    block: Block | None
    method: str  # "slug", "meta_title" (a heading matching it), "meta" (metadata only), "heading"


def _usable(block: Block, url: str, site: set[str]) -> bool:
    if block.chrome or not block.text or len(block.text) > MAX_TITLE_CHARS:
        return False
    return _title_like(" ".join(words(block.text)), site) and _own_link(block, urlsplit(url).path)


def _title_like(folded: str, site: set[str]) -> bool:
    """Folded words that may be a title: not "Trang chủ", the site name or a stub."""
    return folded not in _NOT_A_TITLE and folded not in site and len(folded) >= 6


def _own_link(block: Block, own: str) -> bool:
    """A headline may link to its own page; a link elsewhere is another article's title."""
    if block.link_density > 0.5:
        hrefs = [a.get("href") or "" for a in block.links]
        return any(h and _path(h) == own for h in hrefs)
    return True


CATEGORY_WORDS = 5  # a tab title this short that a link of the page also reads is a section


def _sections(refs: list[str], page: PageText) -> set[str]:
    """The references that only name a section of the site: a short tab title ("Tin tổng
    hợp - Cổng thông tin …") that a menu or breadcrumb link of the page reads too (portals
    whose tab shows the section, not the article)."""
    short = {" ".join(words(r)): r for r in refs if 0 < len(words(r)) <= CATEGORY_WORDS}
    if not short:
        return set()
    texts = ["".join(a.itertext()) for a, _ in page.anchors]
    linked = {" ".join(_WORD.findall(t)) for t in fold_ascii_many(texts)}
    # a part of a menu item's name names it too ("Tin tức" of "Tin tức - Sự kiện")
    spaced = [f" {t} " for t in linked if len(t.split()) <= CATEGORY_WORDS]
    return {
        ref
        for folded, ref in short.items()
        if folded in linked or any(f" {folded} " in t for t in spaced)
    }


def _class_words(el: object) -> str:
    get = getattr(el, "get", None)
    return f"{get('class') or ''} {get('id') or ''}" if get is not None else ""


def _branded(block: Block) -> bool:
    """Whether a block sits in an element named as the site's name or logo."""
    el = block.element
    for _ in range(BRAND_DEPTH):
        if el is None:
            return False
        if _BRAND_CLASS.search(_class_words(el)):
            return True
        el = el.getparent()
    return False


def _banner_names(refs: list[str], page: PageText) -> set[str]:
    """The references that only repeat (part of) the site's name printed in the banner: a
    static tab title ("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH …") found in an element named so."""
    lowered = {r: " ".join(r.lower().split()) for r in refs}
    shortest = min(map(len, lowered.values()), default=0)
    named: set[str] = set()
    for b in page.blocks:
        if not shortest <= len(b.text) <= MAX_TITLE_CHARS:
            continue
        text = b.text.lower()  # a cheap test first: the element's names only for a match
        hits = [r for r, low in lowered.items() if low and low in text and r not in named]
        if hits and _branded(b):
            named.update(hits)
    return named


# a date printed in brackets right after the headline, in its element: "… 2025 - 2026 (03/12/2025)"
_BRACKETED_DATE = re.compile(
    r"\s*[(\[]\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(?:\s*[-,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"\s*[)\]]$"
)


def find_headline(page: PageText, url: str, meta_titles: list[str]) -> Headline | None:
    """The article's headline (its text without a bracketed date printed after it)."""
    found = _find_headline(page, url, meta_titles)
    if found is not None and (m := _BRACKETED_DATE.search(found.text)) and m.start() > 0:
        return Headline(found.text[: m.start()], found.block, found.method)
    return found


def _find_headline(page: PageText, url: str, meta_titles: list[str]) -> Headline | None:
    refs, site = reference_titles(meta_titles)
    if named := _banner_names(refs, page):
        refs = [r for r in refs if r not in named]
        site.update(" ".join(words(r)) for r in named)
    if sections := _sections(refs, page):
        refs = [r for r in refs if r not in sections]
    ref_sets = [set(r) for r in (words(r) for r in refs) if r]
    slug = set(slug_words(url))
    own = urlsplit(url).path
    # candidates (short text outside chrome) are folded together: one NFD pass for the page
    # (and not links to other pages: list items of other articles are most of a page's lines)
    imprints = {b.element for b in page.blocks if _IMPRINT.match(b.text)}
    shown = [
        b
        for b in page.blocks
        if b.text
        and not b.chrome
        and len(b.text) <= MAX_TITLE_CHARS
        and _own_link(b, own)
        and b.element not in imprints
    ]
    best, holder = _best_lines(shown, slug, ref_sets, site)
    if best is not None:
        return Headline(best[1].text, best[1], best[2])
    if holder is not None:  # a long headline that a short slug was cut from
        return Headline(holder[1].text, holder[1], "slug")
    heading = _first_heading(page, url, site)
    if heading is not None:
        return heading
    if titles := [r for r in refs if _title_like(" ".join(words(r)), site)]:
        return Headline(max(titles, key=len), None, "meta")
    return None


def _best_lines(
    shown: list[Block], slug: set[str], ref_sets: list[set[str]], site: set[str]
) -> tuple[tuple[float, Block, str] | None, tuple[float, Block] | None]:
    """The line matching the slug or a title reference best, and the best line holding the
    whole slug without matching it (longer than the slug)."""
    vocabulary = slug.union(*ref_sets)  # a block sharing no word with these cannot match
    best: tuple[float, Block, str] | None = None
    holder: tuple[float, Block] | None = None
    for block, folded in zip(shown, fold_ascii_many([b.text for b in shown]), strict=True):
        cand = _WORD.findall(folded)
        words_in = vocabulary.intersection(cand)
        if not words_in or not _title_like(" ".join(cand), site):
            continue
        by_slug, by_meta = _overlaps(words_in, len(set(cand)), slug, ref_sets)
        match = max(by_slug, by_meta)
        if match < MIN_MATCH:
            held = _holds_slug(words_in, slug, block)
            if held and (holder is None or held > holder[0]):
                holder = (held, block)
        elif best is None or match + _heading_bonus(block) > best[0]:
            best = (
                match + _heading_bonus(block),
                block,
                "slug" if by_slug >= by_meta else "meta_title",
            )
    return best, holder


SLUG_HELD = 0.8  # the share of a slug's words a headline longer than the slug must hold
MIN_SLUG_WORDS = 4


def _holds_slug(words_in: set[str], slug: set[str], block: Block) -> float:
    """How well a line longer than the slug holds all of it (its share of the slug's words,
    plus the heading bonus), 0 when it holds too little or is no headline-sized line."""
    if len(slug) < MIN_SLUG_WORDS or len(block.text) < 15:
        return 0.0
    share = len(words_in & slug) / len(slug)
    return share + _heading_bonus(block) if share >= SLUG_HELD else 0.0


def _overlaps(
    words_in: set[str], size: int, slug: set[str], ref_sets: list[set[str]]
) -> tuple[float, float]:
    """overlap(candidate, slug), and the best overlap(candidate, reference title): the share of
    each side's words in common, multiplied; 0 without common words."""
    by_slug = by_meta = 0.0
    if slug:
        common = len(words_in & slug)
        by_slug = (common / len(slug)) * (common / size)
    for ref in ref_sets:
        common = len(words_in & ref)
        by_meta = max(by_meta, (common / len(ref)) * (common / size))
    return by_slug, by_meta


MIN_HEADING_CHARS = 15


def _first_heading(page: PageText, url: str, site: set[str]) -> Headline | None:
    """No line matches the slug or a title: the first usable ``h1``, else ``h2``, else the
    longest line of an element named as a title ("td.tieude", "<td><span class=tieude>": box
    labels beside it are short), else the first ``h3``, else the first line set wholly in bold
    and not in capitals (a hand-built page's ``<font size=4><b>``)."""
    usable = [b for b in page.blocks if len(b.text) >= MIN_HEADING_CHARS and _usable(b, url, site)]
    for tag in ("h1", "h2"):
        found = next((b for b in usable if b.element.tag == tag), None)
        if found is not None:
            return Headline(found.text, found, "heading")
    titled = [b for b in usable if any(_TITLE_CLASS.search(_class_words(e)) for e in _wraps(b))]
    if titled:
        longest = max(titled, key=lambda b: len(b.text))
        return Headline(longest.text, longest, "heading")
    found = next((b for b in usable if b.element.tag == "h3"), None)
    # a bold line in capitals is a banner's or a box's name ("ỦY BAN NHÂN DÂN TỈNH …")
    found = found or next((b for b in usable if not b.text.isupper() and _bold_line(b)), None)
    return Headline(found.text, found, "heading") if found is not None else None


def _wraps(block: Block) -> list[Element]:
    """The block's element and the inline elements wrapping all of its text, outside in."""
    chain = [block.element]
    el = block.element
    for _ in range(3):
        kids = [k for k in el if isinstance(k.tag, str)]
        if len(kids) != 1 or (el.text or "").strip() or (kids[0].tail or "").strip():
            break
        el = kids[0]
        chain.append(el)
    return chain


def _bold_line(block: Block) -> bool:
    """Whether the block's text is wholly set in bold (a ``<b>`` or ``<strong>`` in its element
    holds all of it)."""
    bolds = itertools.islice(block.element.iter("b", "strong"), MAX_BOLDS)  # bounded: linear
    return any(" ".join("".join(b.itertext()).split()) == block.text for b in bolds)


MAX_BOLDS = 8
