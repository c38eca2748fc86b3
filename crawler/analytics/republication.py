"""Republication across portals: clusters of near-duplicate articles in ``republications``.

Every article's title and body get a 64-bit SimHash (:mod:`crawler.analytics.simhash`). Two
articles are near duplicates when their fingerprints differ in at most :data:`THRESHOLD` bits
(chosen by measurement: ``benchmarks/simhash_threshold.py``, ``docs/schema.md``) and their
texts share at least :data:`MIN_JACCARD` of their word 3-shingles (which removes the rare
unrelated pairs that SimHash lets through at this threshold). A cluster is a connected group
of near duplicates.

Candidates come from banding, not from comparing every pair: the fingerprint is cut into 4
bands of 16 bits, and a fingerprint is compared only with those whose band value is within
``THRESHOLD // 4`` flipped bits of its own on some band. Two fingerprints within
``THRESHOLD`` bits always qualify (pigeonhole: at least one band holds at most a quarter of
the differing bits), so banding loses no near duplicate.

Memory: articles are streamed (title and body, one batch at a time), and what is kept is a URL
and a 64-bit integer per article; only candidate texts are read again. The rebuild replaces the
collection's content: clusters are upserted by ``cluster_id`` (derived from the earliest
member's URL, so a cluster keeps its id while it grows) and clusters of earlier builds deleted.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

from pymongo import DESCENDING, ReplaceOne
from pymongo.collection import Collection

from crawler.analytics.scan import BATCH_SIZE, scan
from crawler.analytics.simhash import BITS, hamming, shingles, simhash
from crawler.storage import ArticleStore

logger = logging.getLogger(__name__)

REPUBLICATIONS = "republications"
THRESHOLD = 11  # max Hamming distance between near duplicates (measured: docs/schema.md)
MIN_JACCARD = 0.4  # and the share of 3-shingles two candidate texts must have in common
MIN_WORDS = 40  # shorter texts (title + body) are not fingerprinted: too few shingles
BANDS = 4
BAND_BITS = BITS // BANDS
_BAND_MASK = (1 << BAND_BITS) - 1
_MAX_PAIRWISE = 200  # clusters larger than this report max distance to the earliest only


@dataclass(frozen=True)
class Member:
    canonical_url: str
    site_id: str | None
    published_at: datetime | None
    title: str | None
    distance: int  # Hamming distance to the earliest member's fingerprint

    def sort_key(self) -> tuple[bool, datetime, str]:
        """Earliest first: by published_at (unknown dates last), then URL."""
        return (
            self.published_at is None,
            self.published_at or datetime.max.replace(tzinfo=UTC),
            self.canonical_url,
        )


@dataclass
class Cluster:
    members: list[Member]  # earliest first
    max_distance: int
    built_at: datetime
    threshold: int = THRESHOLD
    build_id: str = ""
    fingerprints: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def earliest(self) -> Member:
        return self.members[0]

    @property
    def cluster_id(self) -> str:
        return hashlib.sha1(self.earliest.canonical_url.encode("utf-8")).hexdigest()[:20]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def sites(self) -> list[str]:
        return sorted({m.site_id for m in self.members if m.site_id})

    def to_document(self) -> dict[str, Any]:
        first = self.earliest
        return {
            "cluster_id": self.cluster_id,
            "members": [
                {
                    "canonical_url": m.canonical_url,
                    "site_id": m.site_id,
                    "published_at": m.published_at,
                    "title": m.title,
                    "distance": m.distance,
                }
                for m in self.members
            ],
            "earliest": {
                "canonical_url": first.canonical_url,
                "site_id": first.site_id,
                "published_at": first.published_at,
                "title": first.title,
            },
            "size": self.size,
            "sites": self.sites,
            "site_count": len(self.sites),
            "max_distance": self.max_distance,
            "threshold": self.threshold,
            "built_at": self.built_at,
            "build_id": self.build_id,
        }


def fingerprints(store: ArticleStore, batch_size: int = BATCH_SIZE) -> Iterator[tuple[str, int]]:
    """``(canonical_url, simhash)`` of every article with at least :data:`MIN_WORDS` words."""
    projection = {"_id": 0, "canonical_url": 1, "title": 1, "body": 1}
    skipped = 0
    for doc in scan(store, store.articles, {}, projection, batch_size=batch_size):
        text = f"{doc.get('title') or ''}\n{doc.get('body') or ''}"
        if len(text.split()) < MIN_WORDS:
            skipped += 1
            continue
        yield doc["canonical_url"], simhash(text)
    if skipped:
        logger.info(
            "republication: %d articles under %d words not fingerprinted", skipped, MIN_WORDS
        )


def _probe_masks(radius: int) -> list[int]:
    """Every ``BAND_BITS``-bit mask with at most ``radius`` bits set (0 first)."""
    masks = [0]
    for bits in range(1, radius + 1):
        masks += [sum(1 << b for b in chosen) for chosen in combinations(range(BAND_BITS), bits)]
    return masks


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def candidate_pairs(
    prints: Iterable[tuple[str, int]], threshold: int = THRESHOLD
) -> tuple[dict[int, list[str]], list[tuple[int, int]]]:
    """URLs by distinct fingerprint, and the fingerprint pairs within ``threshold`` bits.

    Each fingerprint is looked up in the four band tables under every band value within
    ``threshold // 4`` flipped bits: all pairs within ``threshold`` are found, and only the
    fingerprints sharing such a band value are compared.
    """
    masks = _probe_masks(threshold // BANDS)
    urls_by_print: dict[int, list[str]] = defaultdict(list)
    bands: list[dict[int, list[int]]] = [defaultdict(list) for _ in range(BANDS)]
    pairs: list[tuple[int, int]] = []
    for url, fp in prints:
        known = fp in urls_by_print
        urls_by_print[fp].append(url)
        if known:  # identical fingerprint: already compared and indexed
            continue
        candidates: set[int] = set()
        for band in range(BANDS):
            value = fp >> (band * BAND_BITS) & _BAND_MASK
            table = bands[band]
            for mask in masks:
                candidates.update(table.get(value ^ mask, ()))
        pairs.extend((other, fp) for other in candidates if hamming(fp, other) <= threshold)
        for band in range(BANDS):
            bands[band][fp >> (band * BAND_BITS) & _BAND_MASK].append(fp)
    return urls_by_print, pairs


def jaccard(first: set[str], second: set[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def confirm_pairs(
    store: ArticleStore,
    urls_by_print: dict[int, list[str]],
    pairs: list[tuple[int, int]],
    batch_size: int = BATCH_SIZE,
) -> list[tuple[int, int]]:
    """The pairs whose texts share at least :data:`MIN_JACCARD` of their shingles.

    SimHash alone lets through about one random pair in 20 million at 11 bits, which is
    hundreds of false pairs among 100,000 articles; re-reading the few candidate texts removes
    them (measured: copies share >= 0.60 of their shingles, other texts <= 0.15).
    """
    involved = {fp for pair in pairs for fp in pair}
    url_to_print = {urls_by_print[fp][0]: fp for fp in involved}
    texts: dict[int, set[str]] = {}
    urls = sorted(url_to_print)
    projection = {"_id": 0, "canonical_url": 1, "title": 1, "body": 1}
    for start in range(0, len(urls), batch_size):
        query = {"canonical_url": {"$in": urls[start : start + batch_size]}}
        for doc in store.articles.find(query, projection):
            text = f"{doc.get('title') or ''}\n{doc.get('body') or ''}"
            texts[url_to_print[doc["canonical_url"]]] = shingles(text)
    confirmed = [
        (a, b)
        for a, b in pairs
        if a in texts and b in texts and jaccard(texts[a], texts[b]) >= MIN_JACCARD
    ]
    if len(confirmed) < len(pairs):
        logger.info(
            "republication: %d of %d candidate pairs confirmed by their text",
            len(confirmed),
            len(pairs),
        )
    return confirmed


def near_duplicate_groups(
    urls_by_print: dict[int, list[str]], pairs: Iterable[tuple[int, int]]
) -> list[list[tuple[str, int]]]:
    """Connected groups of two or more articles: same fingerprint, or linked by a pair."""
    links = _UnionFind()
    for a, b in pairs:
        links.union(a, b)
    groups: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for fp, urls in urls_by_print.items():
        groups[links.find(fp)].extend((url, fp) for url in urls)
    return [group for group in groups.values() if len(group) > 1]


def _metadata(store: ArticleStore, urls: list[str], batch_size: int) -> dict[str, dict[str, Any]]:
    projection = {"_id": 0, "canonical_url": 1, "site_id": 1, "published_at": 1, "title": 1}
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(urls), batch_size):
        chunk = urls[start : start + batch_size]
        for doc in store.articles.find({"canonical_url": {"$in": chunk}}, projection):
            found[doc["canonical_url"]] = doc
    return found


def _max_distance(prints: list[int], earliest: int) -> int:
    if len(prints) > _MAX_PAIRWISE:
        return max(hamming(earliest, fp) for fp in prints)
    return max((hamming(a, b) for a, b in combinations(prints, 2)), default=0)


def _cluster(
    group: list[tuple[str, int]], meta: dict[str, dict[str, Any]], now: datetime
) -> Cluster:
    prints = dict(group)
    members = [
        Member(
            url,
            meta.get(url, {}).get("site_id"),
            meta.get(url, {}).get("published_at"),
            meta.get(url, {}).get("title"),
            0,
        )
        for url in prints
    ]
    members.sort(key=Member.sort_key)
    first = prints[members[0].canonical_url]
    members = [
        Member(
            m.canonical_url,
            m.site_id,
            m.published_at,
            m.title,
            hamming(first, prints[m.canonical_url]),
        )
        for m in members
    ]
    return Cluster(members, _max_distance(list(prints.values()), first), now, fingerprints=prints)


def republications(store: ArticleStore) -> Collection[dict[str, Any]]:
    """The clusters collection, its indexes ensured (idempotent)."""
    coll = store.db[REPUBLICATIONS]
    coll.create_index("cluster_id", unique=True, name="cluster_id_unique")
    coll.create_index([("size", DESCENDING)], name="size")
    coll.create_index([("site_count", DESCENDING), ("size", DESCENDING)], name="site_count_size")
    coll.create_index("members.canonical_url", name="member_url")
    return coll


def save_clusters(store: ArticleStore, clusters: list[Cluster], build_id: str) -> None:
    """Replace the stored clusters with ``clusters`` (upsert by id, then drop the rest)."""
    coll = republications(store)
    ops = [ReplaceOne({"cluster_id": c.cluster_id}, c.to_document(), upsert=True) for c in clusters]
    for start in range(0, len(ops), BATCH_SIZE):
        coll.bulk_write(ops[start : start + BATCH_SIZE], ordered=False)
    removed = coll.delete_many({"build_id": {"$ne": build_id}}).deleted_count
    logger.info("republication: %d clusters stored, %d stale removed", len(clusters), removed)


def build_clusters(
    store: ArticleStore,
    threshold: int = THRESHOLD,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> list[Cluster]:
    """Rebuild ``republications`` from the articles; the clusters, largest first."""
    now = now or datetime.now(UTC)
    build_id = uuid.uuid4().hex
    urls_by_print, pairs = candidate_pairs(fingerprints(store, batch_size), threshold)
    pairs = confirm_pairs(store, urls_by_print, pairs, batch_size)
    groups = near_duplicate_groups(urls_by_print, pairs)
    meta = _metadata(store, [url for group in groups for url, _ in group], batch_size)
    clusters = [_cluster(group, meta, now) for group in groups]
    for cluster in clusters:
        cluster.threshold, cluster.build_id = threshold, build_id
    clusters.sort(key=lambda c: (-len(c.sites), -c.size, c.earliest.sort_key()))
    save_clusters(store, clusters, build_id)
    return clusters
