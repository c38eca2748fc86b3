"""DedupPipeline: one article per canonical URL per run; republished text is marked.

The same canonical URL twice in a run raises :class:`DuplicateArticle` (``gov/dedup/same_url``).
The body's content hash is computed; when another URL of this run already carried the same text
the article is kept and ``duplicate_of`` names it (``gov/dedup/duplicate_of``), since a
republication is information in itself. Texts already in the store are matched by the store
at write time, one query per batch (``ArticleStore.upsert_articles``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler import statnames as stat
from crawler.exceptions import DuplicateArticle
from crawler.fingerprint import content_hash
from crawler.items import ArticleItem


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.seen_urls: set[str] = set()
        self.seen_hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        url = item.canonical_url or item.url
        if url in self.seen_urls:
            self.stats.inc_value(stat.DEDUP_SAME_URL)
            raise DuplicateArticle(f"already processed in this run: {url}")
        self.seen_urls.add(url)
        item.content_hash = content_hash(item.body)
        if item.content_hash:
            original = self.seen_hashes.get(item.content_hash)
            if original and original != url:
                item.duplicate_of = original
                self.stats.inc_value(stat.DEDUP_DUPLICATE_OF)
            self.seen_hashes.setdefault(item.content_hash, url)
        return item
