"""Republication clusters: SimHash, banded candidates, clustering, the stored collection."""

from __future__ import annotations

import itertools
import random
import unicodedata
from datetime import UTC, datetime

import pytest

from crawler.analytics.republication import (
    MIN_JACCARD,
    REPUBLICATIONS,
    THRESHOLD,
    build_clusters,
    candidate_pairs,
    confirm_pairs,
    jaccard,
)
from crawler.analytics.simhash import hamming, shingles, simhash
from crawler.storage import ArticleStore
from tests.analytics.articles_vi import (
    DAN_VAN,
    DAN_VAN_EDITED,
    DAN_VAN_OTHER_REPORT,
    OCOP,
    OCOP_OTHER_REPORT,
    SAME_EVENT_PAIRS,
    THUY_LOI,
    THUY_LOI_OTHER_REPORT,
    Sample,
)
from tests.analytics.sample_data import article


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# -- the fingerprint ---------------------------------------------------------------------------
def test_simhash_is_stable_and_ignores_case_punctuation_and_unicode_form() -> None:
    text = DAN_VAN.text
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert simhash(decomposed) == simhash(text)
    assert simhash(text.upper()) == simhash(text)
    assert simhash(text.replace(",", " ,  ")) == simhash(text)
    # pinned: a change of tokenisation or hashing invalidates the measured threshold
    assert simhash(text) == 0x3C90FD2AD1CC2CCC
    assert simhash("") == 0 and shingles("") == set()


def test_simhash_bits_are_the_shingle_majority() -> None:
    features = shingles(DAN_VAN.text)
    assert "phó bí thư" in features  # NFC, lower case, word 3-shingles
    assert 0 <= simhash(DAN_VAN.text) < 2**64


def test_edited_copy_is_within_the_threshold() -> None:
    # new title, an added sentence and a different photo caption
    assert hamming(simhash(DAN_VAN.text), simhash(DAN_VAN_EDITED.text)) <= THRESHOLD
    assert jaccard(shingles(DAN_VAN.text), shingles(DAN_VAN_EDITED.text)) >= MIN_JACCARD


@pytest.mark.parametrize(("first", "second"), SAME_EVENT_PAIRS, ids=["dan-van", "ocop", "thuy-loi"])
def test_other_report_of_the_same_event_is_far(first: Sample, second: Sample) -> None:
    assert hamming(simhash(first.text), simhash(second.text)) > THRESHOLD + 10
    assert jaccard(shingles(first.text), shingles(second.text)) < MIN_JACCARD / 2


# -- banding finds exactly the pairs within the threshold --------------------------------------
def test_candidate_pairs_equal_brute_force_within_the_threshold() -> None:
    rng = random.Random(20251127)
    prints = [rng.getrandbits(64) for _ in range(400)]
    for base in prints[:150]:  # plant neighbours at every distance around the threshold
        flips = rng.sample(range(64), rng.randint(0, THRESHOLD + 3))
        prints.append(base ^ sum(1 << b for b in flips))
    prints = list(dict.fromkeys(prints))
    urls_by_print, pairs = candidate_pairs((str(i), fp) for i, fp in enumerate(prints))
    found = {frozenset(p) for p in pairs}
    expected = {
        frozenset((a, b))
        for a, b in itertools.combinations(prints, 2)
        if hamming(a, b) <= THRESHOLD
    }
    assert found == expected
    assert len(expected) > 100  # the planted pairs, up to the threshold exactly
    assert any(hamming(*p) == THRESHOLD for p in expected)
    assert sum(len(u) for u in urls_by_print.values()) == len(prints)


def test_identical_fingerprints_are_grouped_without_comparison() -> None:
    urls_by_print, pairs = candidate_pairs([("a", 7), ("b", 7), ("c", 7)])
    assert urls_by_print == {7: ["a", "b", "c"]} and pairs == []


# -- clusters in the store ------------------------------------------------------------------------
GT = "http://giaothuy.namdinh.gov.vn/tin-moi/"


def insert(
    store: ArticleStore, url: str, site: str, sample: Sample, published: datetime | None
) -> None:
    store.articles.insert_one(article(url, site, sample.title, sample.body, published, 100))


@pytest.fixture
def republished(store: ArticleStore) -> ArticleStore:
    insert(store, GT + "dan-van-37511", "nd-giaothuy", DAN_VAN, utc(2021, 3, 15, 3, 20))
    insert(
        store, "https://namdinh.gov.vn/dan-van", "nd-namdinh", DAN_VAN_EDITED, utc(2021, 3, 16, 2)
    )
    # the same text on a third portal, published first
    insert(
        store,
        "https://bandanvan.namdinh.gov.vn/tap-huan",
        "nd-bandanvan",
        DAN_VAN,
        utc(2021, 3, 15, 1),
    )
    insert(
        store,
        "https://baonamdinh.vn/tap-huan-dan-van",
        "nd-bao",
        DAN_VAN_OTHER_REPORT,
        utc(2021, 3, 15, 9),
    )
    insert(store, "https://sct.example.gov.vn/ocop", "xx-sct", OCOP, utc(2025, 10, 30, 2))
    insert(
        store,
        "https://ubnd.example.gov.vn/ocop",
        "xx-ubnd",
        OCOP_OTHER_REPORT,
        utc(2025, 10, 30, 5),
    )
    insert(store, GT + "thuy-loi-37310", "nd-giaothuy", THUY_LOI, utc(2020, 12, 25, 1))
    insert(
        store,
        "https://namdinh.gov.vn/thuy-loi",
        "nd-namdinh",
        THUY_LOI_OTHER_REPORT,
        utc(2020, 12, 25, 4),
    )
    return store


def test_edited_copy_clusters_with_its_original_and_other_reports_do_not(
    republished: ArticleStore,
) -> None:
    clusters = build_clusters(republished)
    assert len(clusters) == 1
    cluster = clusters[0]
    assert {m.canonical_url for m in cluster.members} == {
        GT + "dan-van-37511",
        "https://namdinh.gov.vn/dan-van",
        "https://bandanvan.namdinh.gov.vn/tap-huan",
    }
    assert cluster.sites == ["nd-bandanvan", "nd-giaothuy", "nd-namdinh"]
    # the earliest publisher is the one with the earliest published_at, wherever it was crawled
    assert cluster.earliest.canonical_url == "https://bandanvan.namdinh.gov.vn/tap-huan"
    # every member here has a published_at (a None would fail the comparison all the same)
    assert [m.published_at for m in cluster.members] == sorted(
        m.published_at for m in cluster.members
    )  # type: ignore[type-var]
    distance = hamming(simhash(DAN_VAN.text), simhash(DAN_VAN_EDITED.text))
    assert cluster.max_distance == distance
    assert [m.distance for m in cluster.members] == [0, 0, distance]


def test_clusters_are_stored_and_a_rebuild_replaces_them(republished: ArticleStore) -> None:
    first = build_clusters(republished, now=utc(2026, 11, 1))
    coll = republished.db[REPUBLICATIONS]
    docs = list(coll.find({}, {"_id": 0}))
    assert len(docs) == 1
    doc = docs[0]
    assert doc["cluster_id"] == first[0].cluster_id
    assert doc["size"] == 3 and doc["site_count"] == 3
    assert doc["sites"] == ["nd-bandanvan", "nd-giaothuy", "nd-namdinh"]
    assert doc["earliest"] == {
        "canonical_url": "https://bandanvan.namdinh.gov.vn/tap-huan",
        "site_id": "nd-bandanvan",
        "published_at": utc(2021, 3, 15, 1),
        "title": DAN_VAN.title,
    }
    assert set(doc["members"][0]) == {
        "canonical_url",
        "site_id",
        "published_at",
        "title",
        "distance",
    }
    assert doc["built_at"] == utc(2026, 11, 1) and doc["threshold"] == THRESHOLD
    # same data: same cluster, replaced, not added
    build_clusters(republished, now=utc(2026, 11, 2))
    docs = list(coll.find({}, {"_id": 0}))
    assert len(docs) == 1 and docs[0]["cluster_id"] == doc["cluster_id"]
    assert docs[0]["built_at"] == utc(2026, 11, 2)
    # the edited copy is gone: the cluster shrinks and keeps its id (same earliest member)
    republished.articles.delete_one({"canonical_url": "https://namdinh.gov.vn/dan-van"})
    build_clusters(republished)
    docs = list(coll.find({}, {"_id": 0}))
    assert len(docs) == 1 and docs[0]["size"] == 2 and docs[0]["cluster_id"] == doc["cluster_id"]
    # no republication left: the stale cluster is removed
    republished.articles.delete_one({"canonical_url": "https://bandanvan.namdinh.gov.vn/tap-huan"})
    assert build_clusters(republished) == []
    assert coll.count_documents({}) == 0


def test_undated_member_is_never_the_earliest(store: ArticleStore) -> None:
    insert(store, "https://a.gov.vn/1", "site-a", DAN_VAN, None)
    insert(store, "https://b.gov.vn/1", "site-b", DAN_VAN, utc(2021, 3, 20))
    (cluster,) = build_clusters(store)
    assert cluster.earliest.canonical_url == "https://b.gov.vn/1"
    assert cluster.members[-1].published_at is None


def test_short_texts_are_not_fingerprinted(store: ArticleStore) -> None:
    short = Sample("Thông báo", "Lịch tiếp công dân tháng 3 của Chủ tịch UBND huyện.")
    insert(store, "https://a.gov.vn/tb", "site-a", short, utc(2021, 3, 1))
    insert(store, "https://b.gov.vn/tb", "site-b", short, utc(2021, 3, 2))
    assert build_clusters(store) == []


def test_candidates_with_different_texts_are_rejected(store: ArticleStore) -> None:
    insert(store, "https://a.gov.vn/1", "site-a", DAN_VAN, utc(2021, 3, 15))
    insert(store, "https://b.gov.vn/1", "site-b", OCOP, utc(2021, 3, 15))
    urls_by_print = {1: ["https://a.gov.vn/1"], 2: ["https://b.gov.vn/1"]}
    assert confirm_pairs(store, urls_by_print, [(1, 2)]) == []
    insert(store, "https://c.gov.vn/1", "site-c", DAN_VAN_EDITED, utc(2021, 3, 16))
    urls_by_print[3] = ["https://c.gov.vn/1"]
    assert confirm_pairs(store, urls_by_print, [(1, 2), (1, 3)]) == [(1, 3)]
