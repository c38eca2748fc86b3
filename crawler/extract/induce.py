"""Rules induced from a sample of a portal's pages: turn a layout-free crawl into a profile (pure).

For every sampled article page the layout-free reader says what each field is and which element
it came from. For each field, candidate CSS selectors are built from that element (its tag,
classes and id, alone or under a classed ancestor), and each candidate is applied with the
profile machinery to *every* sampled page. A candidate is kept when it reproduces the layout-free
value on at least ``AGREEMENT`` of the pages where that value exists; among those the most
agreeing, then the shortest, wins (ties broken by the selector text, so two runs on the same
pages give the same rules). The body rule is the article block's selector plus ``body_remove``
selectors for the noise the reader dropped inside it (share bars, related lists); when no such
rule walk reproduces the reader's body (a lead photo set apart, a byline or attachment line,
a document's record inside the block), the block's selector alone, read by the layout-free
reader (``body_reading = "layout-free"``), if it names the reader's block on as many pages.

A field no candidate reproduces is left to the layout-free reader, with the reason; ``title``
and ``body`` must be reproduced (a site profile needs both rules), else learning is refused.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.extract.body import body_element, extract_body
from crawler.extract.dates import parse_vi_datetime
from crawler.extract.layoutfree.article import FreeArticle
from crawler.extract.layoutfree.blocks import Element
from crawler.extract.layoutfree.meta import VIEWS_WORDS
from crawler.extract.numbers import parse_int_vi
from crawler.extract.pages import ArticlePage, selector_for
from crawler.extract.selectors import first
from crawler.extract.text import normalize_text
from crawler.profiles.schema import Byline, FieldRule, Profile

AGREEMENT = 0.9
REQUIRED = ("title", "body")
FIELDS = ("title", "summary", "published_at", "views", "body")
MAX_ANCESTORS = 4
_STABLE = re.compile(r"^[A-Za-z][\w-]{1,40}$")  # not generated ids/classes such as "x-1f3a9c77"
_GENERATED = re.compile(r"\d{3,}|[0-9a-f]{8,}", re.IGNORECASE)
VIEWS_PATTERN = rf"(?:{VIEWS_WORDS})\s*:?\s*(\d[\d.,]*)"


@dataclass(frozen=True)
class Sample:
    url: str
    body: bytes
    content_type: str | None = None


@dataclass
class FieldResult:
    name: str
    rule: dict[str, Any] | None
    agree: int
    total: int
    reason: str = ""


@dataclass
class Learned:
    rules: dict[str, FieldResult] = field(default_factory=dict)
    body_remove: list[str] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)  # per page: url and field values
    problems: list[str] = field(default_factory=list)  # why learning is refused

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Page:
    url: str
    page: ArticlePage
    free: FreeArticle
    body: str | None  # the body the site gets with no profile of its own


def _simple(el: Element) -> list[str]:
    """Selectors for one element: ``tag.class``, ``.class``, ``tag#id``, ``tag[itemprop=...]``."""
    tag = el.tag if isinstance(el.tag, str) else ""
    out: list[str] = []
    ident = el.get("id") or ""
    if _STABLE.match(ident) and not _GENERATED.search(ident):
        out.append(f"{tag}#{ident}")
    classes = [
        c for c in (el.get("class") or "").split() if _STABLE.match(c) and not _GENERATED.search(c)
    ]
    for cls in classes:
        out.extend([f"{tag}.{cls}", f".{cls}"])
    if len(classes) > 1:
        out.append(tag + "".join(f".{c}" for c in classes))
    prop = el.get("itemprop")
    if prop and _STABLE.match(prop):
        out.append(f'{tag}[itemprop="{prop}"]')
    return out


def candidates(el: Element) -> list[str]:
    """Selectors for ``el``: its own, and each under one of its classed or id'd ancestors."""
    own = _simple(el) or ([el.tag] if isinstance(el.tag, str) else [])
    found = list(own)
    node = el.getparent()
    for _ in range(MAX_ANCESTORS):
        if node is None or node.tag in ("body", "html"):
            break
        for outer in _simple(node):
            found.extend(f"{outer} {inner}" for inner in own)
        node = node.getparent()
    return list(dict.fromkeys(found))


def _same(name: str, got: str | None, free: FreeArticle, tz: str) -> bool:
    if got is None:
        return False
    if name == "title":
        return normalize_text(got) == free.title
    if name == "summary":
        return normalize_text(got) == free.summary
    if name == "published_at":
        parsed = parse_vi_datetime(got, tz)
        return (
            parsed is not None
            and free.published is not None
            and parsed.value == free.published.value
        )
    if name == "views":
        return parse_int_vi(got) == free.views
    return False


def _rule(name: str, css: str) -> dict[str, Any]:
    return {"css": css, "pattern": VIEWS_PATTERN} if name == "views" else {"css": css}


def _paragraphs(text: str | None) -> set[str]:
    return {p for p in (text or "").split("\n\n") if p}


def _body_agrees(page: _Page, css: str, remove: list[str]) -> bool:
    found = extract_body(page.page.sel, [css], remove, Byline(), page.url)
    want, got = _paragraphs(page.free.body), _paragraphs(found.text if found else None)
    got.discard(page.free.summary or "")  # the lead: the summary rule's, cut from the body
    if not want or not got:
        return False
    return len(want & got) / len(want | got) >= AGREEMENT


def _noise(pages: list[_Page]) -> list[str]:
    """``body_remove`` selectors: classes of the noise the reader dropped, never of kept text."""
    dropped: Counter[str] = Counter()
    for page in pages:
        for el in page.free.dropped:
            node = el
            for _ in range(3):  # the nearest classed element holding the dropped line
                if node is None or node is page.free.elements.get("body"):
                    break
                simple = [s for s in _simple(node) if s.startswith(".")]
                if simple:
                    dropped[simple[0]] += 1
                    break
                node = node.getparent()
    keep: list[str] = []
    for css, _ in sorted(dropped.items()):
        clean = all(_body_text_outside(p, css) for p in pages)
        if clean:
            keep.append(css)
    return keep


def _body_text_outside(page: _Page, css: str) -> bool:
    """Whether removing ``css`` keeps every body paragraph the reader found."""
    container = page.free.elements.get("body")
    if container is None:
        return True
    removed: set[str] = set()
    for el in container.cssselect(css) if hasattr(container, "cssselect") else []:
        removed.update(" ".join(t.split()) for t in el.itertext() if t.strip())
    body = page.free.body or ""
    return not any(piece and len(piece) > 20 and piece in body for piece in removed)


def _choose(name: str, pages: list[_Page], tz: str, remove: list[str]) -> FieldResult:
    have = [p for p in pages if p.free.elements.get(name) is not None]
    if not have:
        return FieldResult(name, None, 0, 0, "the layout-free reader found it on no page")
    options: set[str] = set()
    for page in have:
        options.update(candidates(page.free.elements[name]))
    without = [p for p in pages if p.free.elements.get(name) is None]
    best: tuple[int, int, str] | None = None
    for css in sorted(options):
        agree = _agreement(name, css, (have, without), tz, remove)
        if agree is None:
            continue
        key = (agree, -len(css), css)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return FieldResult(
            name, None, 0, len(have), "every selector gives a value on a page where it has none"
        )
    agree, _, css = best
    if name in ("body", "title") and agree < AGREEMENT * len(have):
        found = (
            _block_rule(have, sorted(options))
            if name == "body"
            else _title_pair(have, without, sorted(options), tz)
        )
        if found is not None:
            return found
    if agree < AGREEMENT * len(have):
        return FieldResult(
            name,
            None,
            agree,
            len(have),
            f"no selector reproduces it on {AGREEMENT:.0%} of {len(have)} pages "
            f"(best {css!r}: {agree})",
        )
    return FieldResult(name, _rule(name, css), agree, len(have))


def _agreement(
    name: str, css: str, split: tuple[list[_Page], list[_Page]], tz: str, remove: list[str]
) -> int | None:
    """On how many pages that have the field ``css`` reproduces the reader's value; None when
    it gives a value on a page where the reader found none (a sapo rule ``p`` on a page with
    no sapo takes its first paragraph: wrong there)."""
    have, without = split
    if name == "body":
        return sum(_body_agrees(p, css, remove) for p in have)
    rule = FieldRule(**_rule(name, css))
    if any(first(p.page.sel, rule) is not None for p in without):
        return None
    return sum(_same(name, first(p.page.sel, rule), p.free, tz) for p in have)


def _block_rule(pages: list[_Page], options: list[str]) -> FieldResult | None:
    """A body rule read by the layout-free reader: selectors naming the reader's own article
    block (the same block gives the same reading) on enough of the pages whose body is that
    reading (not a microdata ``articleBody`` walked whole). One selector when one does; else up
    to ``MAX_BLOCK_RULES`` tried in order, one per template behind the listing (a news page, a
    photo report, a video page), none of them matching a page it would read wrong."""
    best: tuple[int, int, str] | None = None
    for css in options:
        agree = sum(_reads_block(p, css) for p in pages)
        if best is None or (agree, -len(css)) > best[:2]:
            best = (agree, -len(css), css)
    if best is not None and best[0] >= AGREEMENT * len(pages):
        return FieldResult("body", {"css": best[2], "reading": "layout-free"}, best[0], len(pages))
    chosen, right = _block_rules(pages, options)
    if not chosen or right < AGREEMENT * len(pages):
        return None
    rule = {"css": ", ".join(chosen), "list": chosen, "reading": "layout-free"}
    return FieldResult("body", rule, right, len(pages))


MAX_BLOCK_RULES = 3


def _title_pair(
    have: list[_Page], without: list[_Page], options: list[str], tz: str
) -> FieldResult | None:
    """Two templates behind one listing (an ``h1`` headline on one, a ``role=heading`` box on
    the other): a selector group "A, B" whose first element in the page gives the title on
    enough pages, the shortest such. Only pairs whose selectors alone read enough pages
    between them are tried as a group."""
    right: dict[str, frozenset[int]] = {}
    for css in options:
        rule = FieldRule(**_rule("title", css))
        if any(first(p.page.sel, rule) is not None for p in without):
            continue
        pages = frozenset(
            i for i, p in enumerate(have) if _same("title", first(p.page.sel, rule), p.free, tz)
        )
        if pages:
            right[css] = pages
    need = AGREEMENT * len(have)
    pairs = sorted(
        (
            f"{one}, {other}"
            for one, other in itertools.combinations(sorted(right), 2)
            if len(right[one] | right[other]) >= need
        ),
        key=lambda css: (len(css), css),
    )
    for css in pairs:  # shortest first: the first that reads enough pages as a group
        agree = _agreement("title", css, (have, without), tz, [])
        if agree is not None and agree >= need:
            return FieldResult("title", _rule("title", css), agree, len(have))
    return None


def _reads_block(page: _Page, css: str) -> bool:
    return body_element(page.page.sel, [css]) is page.free.elements.get("body") and (
        page.body == page.free.body
    )


def _block_rules(pages: list[_Page], options: list[str]) -> tuple[list[str], int]:
    """Selectors in order, each naming the block of the pages no earlier one matched, and
    matching no such page whose block it is not; and how many pages they read right."""
    todo, chosen = list(pages), list[str]()
    while todo and len(chosen) < MAX_BLOCK_RULES:
        best: tuple[int, int, str] | None = None
        for css in options:
            hits = [p for p in todo if body_element(p.page.sel, [css]) is not None]
            good = sum(_reads_block(p, css) for p in hits)
            if good and good == len(hits) and (best is None or (good, -len(css)) > best[:2]):
                best = (good, -len(css), css)
        if best is None:
            break
        chosen.append(best[2])
        todo = [p for p in todo if body_element(p.page.sel, [best[2]]) is None]
    return chosen, len(pages) - len(todo)


def induce(samples: list[Sample], generic: Profile) -> Learned:
    """Rules for each field from a portal's sampled article pages (sorted by URL first)."""
    pages: list[_Page] = []
    learned = Learned()
    for sample in sorted(samples, key=lambda s: s.url):
        sel = selector_for(sample.body, sample.content_type)
        page = ArticlePage(generic, sample.url, sel)
        data = page.extract()
        if page.looks_like_listing() or data.title is None:
            continue
        pages.append(_Page(sample.url, page, page._free(), data.body))
        learned.table.append(
            {
                "url": sample.url,
                "title": data.title,
                "published_at": data.published_at,
                "views": data.views,
                "author": data.author,
                "source": data.source,
                "body": len(data.body or ""),
            }
        )
    if len(pages) < 2:
        learned.problems.append(f"{len(pages)} article pages sampled; at least 2 are needed")
        return learned
    learned.body_remove = _noise(pages)
    for name in FIELDS:
        result = _choose(name, pages, generic.timezone, learned.body_remove)
        learned.rules[name] = result
        if name in REQUIRED and result.rule is None:
            learned.problems.append(f"{name}: {result.reason}")
    return learned
