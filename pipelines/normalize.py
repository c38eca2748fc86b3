"""NormalizePipeline: text cleanup (NFC, whitespace, entities), empty strings to ``None``.

Extraction already normalises what it reads; this stage guarantees it for every item, whatever
produced it (profile rules, fallbacks, replayed spools).
"""

from __future__ import annotations

from dataclasses import fields

from scrapy.crawler import Crawler

from crawler.extract.text import normalize_text
from crawler.fields import TEXT_FIELDS
from crawler.items import ArticleItem
from crawler.urls import canonicalize


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        for name in TEXT_FIELDS:
            setattr(item, name, normalize_text(getattr(item, name)))
        if item.body is not None:
            paragraphs = [normalize_text(p) for p in item.body.split("\n\n")]
            item.body = "\n\n".join(p for p in paragraphs if p) or None
        if item.url and not item.canonical_url:
            item.canonical_url = canonicalize(item.url)
        for f in fields(item):
            if getattr(item, f.name) == "":
                setattr(item, f.name, None)
        return item
