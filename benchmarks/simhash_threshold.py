"""Measure SimHash distances to choose the republication threshold (docs/schema.md).

Corpus: every article page bundled with the project (tests/fixtures/pages and the mini portals),
extracted as the crawler stores it, plus the hand-written same-event reports of
tests/analytics/articles_vi.py. For each article it measures the Hamming distance between the
original and a republished copy (new title, one added sentence, a different photo caption, and
all three together), and between articles that are not copies: other reports of the same event
and every pair of distinct articles. Prints the distributions; the threshold must separate the
copies (of articles of at least ``MIN_WORDS`` words) from everything else.

    .venv/bin/python benchmarks/simhash_threshold.py
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.analytics.republication import MIN_JACCARD, MIN_WORDS, THRESHOLD, jaccard
from crawler.analytics.simhash import hamming, shingles, simhash
from crawler.extract import ArticlePage, choose_profile, selector_for
from tests.analytics.articles_vi import SAME_EVENT_PAIRS, TRIPLES

ADDED = (
    "Dự buổi làm việc còn có đại diện lãnh đạo các phòng, ban chuyên môn và Ủy ban nhân dân các "
    "xã, thị trấn trên địa bàn."
)


def corpus() -> list[tuple[str, str, str, list[str]]]:
    """(source, title, body, photo captions) of every distinct bundled article page."""
    pages = sorted(ROOT.glob("tests/fixtures/pages/*/*/page.html"))
    pages += sorted(ROOT.glob("crawler/miniportal/sites/*/article-*.html"))
    seen: set[str] = set()
    found = []
    for page in pages:
        meta_path = page.with_name("meta.json")
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            url, profile = meta["url"], meta.get("profile")
        else:
            url, profile = "http://example.gov.vn/", page.parent.name
        sel = selector_for(page.read_bytes(), None)
        data = ArticlePage(choose_profile(sel.get(), url, profile).profile, url, sel).extract()
        if not data.title or not data.body or data.body in seen:
            continue
        seen.add(data.body)
        captions = [
            str(i["caption"]) for i in data.images if i["caption"] and i["caption"] in data.body
        ]
        found.append((str(page.relative_to(ROOT)), data.title, data.body, captions))
    return found


def edits(title: str, body: str, captions: list[str]) -> dict[str, tuple[str, str]]:
    new_title = "Tin địa phương: " + " ".join(title.split()[:-3])
    caption_body = body
    if captions:
        caption_body = body.replace(captions[0], "Quang cảnh buổi làm việc", 1)
    return {
        "title": (new_title, body),
        "sentence": (title, f"{body}\n\n{ADDED}"),
        "caption": (title, caption_body),
        "all three": (new_title, f"{caption_body}\n\n{ADDED}"),
    }


def describe(values: list[float]) -> str:
    if not values:
        return "-"
    return (
        f"n={len(values)} min={min(values):g} median={statistics.median(values):g} "
        f"max={max(values):g}"
    )


def measure(first: str, second: str) -> tuple[int, float]:
    """(Hamming distance of the SimHashes, Jaccard similarity of the 3-shingle sets)."""
    shared = jaccard(shingles(first), shingles(second))
    return hamming(simhash(first), simhash(second)), round(shared, 2)


def main() -> None:
    articles = corpus()
    print(
        f"{len(articles)} distinct articles; in use: THRESHOLD={THRESHOLD} bits, "
        f"MIN_JACCARD={MIN_JACCARD}, MIN_WORDS={MIN_WORDS}\n"
    )
    print("republished copies: distance (shared shingles)")
    print(
        f"{'words':>5}  {'new title':>11} {'+sentence':>11} {'new caption':>11} {'all three':>11}"
    )
    copies: list[tuple[int, float]] = []
    for src, title, body, captions in sorted(articles, key=lambda a: len(a[2].split())):
        original = f"{title}\n{body}"
        row = [measure(original, f"{t}\n{b}") for t, b in edits(title, body, captions).values()]
        copies += row
        cells = " ".join(f"{d:>4} ({j:.2f})" for d, j in row)
        words = len(original.split())
        print(f"{words:>5}  {cells}  {src.split('/')[-2]}{'' if captions else ' (no caption)'}")
    print("\nhand-made republications (tests/analytics/articles_vi.py):")
    for original, copy, _ in TRIPLES:
        copies.append(measure(original.text, copy.text))
        print(f"  {copies[-1][0]:>3} ({copies[-1][1]:.2f})  {copy.title}")
    print("\nother reports of the same event (must not cluster):")
    same_event = []
    for first, second in SAME_EVENT_PAIRS:
        same_event.append(measure(first.text, second.text))
        print(f"  {same_event[-1][0]:>3} ({same_event[-1][1]:.2f})  {first.title} / {second.title}")
    texts = [f"{t}\n{b}" for _, t, b, _ in articles]
    unrelated = [measure(a, b) for a, b in itertools.combinations(texts, 2)]
    print("\nsummary                   distance                       shared shingles")
    for name, rows in (
        ("copies", copies),
        ("same event, new text", same_event),
        ("unrelated pairs", unrelated),
    ):
        distances, shared = describe([d for d, _ in rows]), describe([j for _, j in rows])
        print(f"  {name:<22}  {distances:<30} {shared}")
    caught = sum(d <= THRESHOLD and j >= MIN_JACCARD for d, j in copies)
    false = sum(d <= THRESHOLD and j >= MIN_JACCARD for d, j in same_event + unrelated)
    print(
        f"\nat THRESHOLD={THRESHOLD}, MIN_JACCARD={MIN_JACCARD}: "
        f"{caught} of {len(copies)} copies "
        f"clustered, {false} false pairs"
    )
    for limit in range(6, 17):
        within = sum(d <= limit for d, _ in copies)
        print(f"  distance <= {limit:>2}: {within:>3} of {len(copies)} copies")


if __name__ == "__main__":
    main()
