"""64-bit SimHash over word 3-shingles, and Hamming distance between two fingerprints.

The text (title and body) is NFC-normalised and lower-cased, punctuation folded
(:func:`crawler.fingerprint.normalized_for_hash`), split into words, and every distinct run of
three consecutive words (a shingle) votes on each of the 64 bits with its BLAKE2b hash. Similar
texts share most shingles, so their fingerprints differ in few bits; unrelated texts differ in
about 32. The votes are added with one big-integer sum per shingle (64 lanes of 32 bits each)
instead of 64 Python additions, which keeps the pure-Python cost low.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

from crawler.fingerprint import normalized_for_hash

BITS = 64
SHINGLE_WORDS = 3
_LANE = 32  # bits per vote counter in the packed sum: room for 2**32 shingles
_LANE_MASK = (1 << _LANE) - 1


@cache
def _spread_table(byte_index: int) -> tuple[int, ...]:
    """For each byte value, its 8 bits spread into 8 counter lanes (one vote per set bit)."""
    base = byte_index * 8
    return tuple(
        sum(1 << ((base + bit) * _LANE) for bit in range(8) if value >> bit & 1)
        for value in range(256)
    )


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Distinct runs of ``size`` consecutive words of the normalised text."""
    words = normalized_for_hash(text).split()
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash64(feature: str) -> int:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def simhash_features(features: Iterable[str]) -> int:
    """Bit ``i`` is set when more than half of the features' hashes have bit ``i`` set."""
    tables = [_spread_table(i) for i in range(BITS // 8)]
    packed = count = 0
    for feature in features:
        digest = _hash64(feature)
        count += 1
        for i, table in enumerate(tables):
            packed += table[digest >> (8 * i) & 0xFF]
    fingerprint = 0
    for bit in range(BITS):
        if 2 * (packed >> (bit * _LANE) & _LANE_MASK) > count:
            fingerprint |= 1 << bit
    return fingerprint


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text`` (0 for text without words)."""
    return simhash_features(shingles(text))


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()
