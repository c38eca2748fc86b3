"""Fallbacks when a profile rule finds nothing: structured metadata, then main-content heuristics.

Order (fixed, not a vote): JSON-LD ``NewsArticle``/``Article``, OpenGraph and ``<meta>`` tags
for title, date, author and summary; then trafilatura's main-content extraction for the body.
Every use is reported back (``ArticleData.fallbacks``) so the crawl can count it per field and
method: a profile that silently stopped matching shows up in the stats.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from lxml import etree
from parsel import Selector

from crawler.extract.selectors import compiled
from crawler.extract.text import normalize_text

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "webpage"}
META_ATTRS = ("property", "name", "itemprop")
_META_TAGS = etree.XPath("//meta[@content]")
LD_JSON = 'script[type="application/ld+json"]::text'
MetaIndex = dict[tuple[str, str], str]  # (attribute, value) -> content of the first such tag


@dataclass
class Metadata:
    title: tuple[str, str] | None = None  # (value, method)
    published: tuple[str, str] | None = None
    author: tuple[str, str] | None = None
    summary: tuple[str, str] | None = None
    category: tuple[str, str] | None = None  # the article's section


def _ld_objects(sel: Selector) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for raw in compiled(LD_JSON, None)(sel.root):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if not isinstance(obj, dict):
                continue
            stack.extend(obj.get("@graph", []) if isinstance(obj.get("@graph"), list) else [])
            kinds = obj.get("@type", [])
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(str(k).lower() in ARTICLE_TYPES for k in kinds):
                found.append(obj)
    return found


def _ld_author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_author(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        kind = str(value.get("@type", "Person")).lower()
        return normalize_text(str(value.get("name", ""))) if kind == "person" else None
    return normalize_text(value) if isinstance(value, str) else None


def _meta_index(sel: Selector) -> MetaIndex:
    """Every ``<meta>`` with a content, by (attribute, value): one scan for all the names."""
    index: MetaIndex = {}
    for tag in _META_TAGS(sel.root):
        for attr in META_ATTRS:
            value = tag.get(attr)
            if value is not None:
                index.setdefault((attr, value), tag.get("content"))
    return index


def _meta(index: MetaIndex, *names: str) -> str | None:
    """The first name whose first ``<meta property|name|itemprop=...>`` has a non-blank content."""
    for name in names:
        for attr in META_ATTRS:
            value = normalize_text(index.get((attr, name)))
            if value:
                return value
    return None


def _section(objects: list[dict[str, Any]], tags: MetaIndex) -> tuple[str, str] | None:
    """The article's section (its category): JSON-LD ``articleSection``, else the OpenGraph
    ``article:section`` tag."""
    for obj in objects:
        value = obj.get("articleSection")
        if isinstance(value, list):
            value = value[0] if value else None
        if section := normalize_text(str(value or "")):
            return section, "jsonld"
    section = _meta(tags, "article:section")
    return (section, "meta") if section else None


_DATE_PUBLISHED = etree.XPath('//*[@itemprop="datePublished"][@content or @datetime or @title]')


def microdata_date(sel: Selector) -> str | None:
    """schema.org microdata's ``datePublished`` given in an attribute: ``<abbr
    itemprop="datePublished" title="2026-03-14T09:40:00+07:00">9:40 SA</abbr>`` (Blogger),
    ``<time itemprop="datePublished" datetime="…">``."""
    for el in _DATE_PUBLISHED(sel.root):
        for attr in ("content", "datetime", "title"):
            if value := normalize_text(el.get(attr)):
                return value
    return None


def structured_metadata(sel: Selector) -> Metadata:
    """Title, date, author, summary and section from JSON-LD, then OpenGraph, then meta tags
    (microdata's date: :func:`microdata_date`, asked only when the page prints no time)."""
    meta = Metadata()
    tags = _meta_index(sel)
    objects = _ld_objects(sel)
    meta.category = _section(objects, tags)
    for obj in objects:
        if meta.title is None and (headline := normalize_text(str(obj.get("headline") or ""))):
            meta.title = (headline, "jsonld")
        if meta.published is None and (date := normalize_text(str(obj.get("datePublished") or ""))):
            meta.published = (date, "jsonld")
        if meta.author is None and (author := _ld_author(obj.get("author"))):
            meta.author = (author, "jsonld")
        if meta.summary is None and (desc := normalize_text(str(obj.get("description") or ""))):
            meta.summary = (desc, "jsonld")
    _from_tags(meta, tags)
    return meta


def _from_tags(meta: Metadata, tags: MetaIndex) -> None:
    """What JSON-LD left empty, from OpenGraph and meta tags."""
    if meta.title is None and (title := _meta(tags, "og:title", "twitter:title")):
        meta.title = (title, "opengraph")
    if meta.published is None and (
        date := _meta(tags, "article:published_time", "datePublished", "pubdate", "date", "dc.date")
    ):
        meta.published = (date, "meta")
    if meta.author is None and (author := _meta(tags, "article:author", "author")):
        meta.author = (author, "meta")
    if meta.summary is None and (desc := _meta(tags, "og:description", "description")):
        meta.summary = (desc, "meta")


def main_text(html: str, url: str) -> str | None:
    """Main-content body by trafilatura (precision first, no comments), paragraphs kept."""
    import trafilatura  # heavy import: only when a profile's body rule missed

    try:
        text = trafilatura.extract(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            with_metadata=False,
        )
    except (ValueError, TypeError) as exc:  # malformed trees: a miss, not a crash
        logger.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if not text:
        return None
    paragraphs = [normalize_text(p) for p in text.split("\n")]
    return "\n\n".join(p for p in paragraphs if p) or None
