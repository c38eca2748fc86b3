"""DedupPipeline: one article per canonical URL per run; republished text is marked.

The same canonical URL twice in a run raises :class:`DuplicateArticle` (``gov/dedup/same_url``).
The body's content hash is computed; when another URL already carries the same text (in this
run or in the store) the article is kept and ``duplicate_of`` names the earliest one
(``gov/dedup/duplicate_of``), since a republication is information in itself.
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.exceptions import DuplicateArticle, StoreUnavailable
from crawler.fingerprint import content_hash
from crawler.items import ArticleItem
from crawler.storage import ArticleStore
from crawler.storage.runtime import store_from_settings


class DedupPipeline:
    def __init__(self, crawler: Crawler, store: ArticleStore | None) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.store = store
        self.seen_urls: set[str] = set()
        self.seen_hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler, store_from_settings(crawler.settings))

    def _stored_duplicate(self, digest: str, url: str) -> str | None:
        if self.store is None:
            return None
        try:
            return self.store.url_with_hash(digest, url)
        except StoreUnavailable:
            return None

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        url = item.canonical_url or item.url
        if url in self.seen_urls:
            self.stats.inc_value("gov/dedup/same_url")
            raise DuplicateArticle(f"already processed in this run: {url}")
        self.seen_urls.add(url)
        item.content_hash = content_hash(item.body)
        if item.content_hash:
            original = self.seen_hashes.get(item.content_hash)
            if original is None:
                original = self._stored_duplicate(item.content_hash, url)
            if original and original != url:
                item.duplicate_of = original
                self.stats.inc_value("gov/dedup/duplicate_of")
            self.seen_hashes.setdefault(item.content_hash, url)
        return item
