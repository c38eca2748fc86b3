"""Benchmark: extraction cost on pathological markup stays linear in page size.

For N = 10,000 ... 160,000 it times ``extract_article`` (seed article, its profile) on pages
with one start tag of N attributes, with N empty elements in the article, and with N nested
``<div>`` s, and, as the baseline of the same run, on the seed with ordinary paragraphs padded
to the same size in bytes. A linear reader costs about the same per MB at every N. The raw
lxml parse of the uncut N-attribute tag is timed too (libxml2's duplicate-attribute check is
quadratic: what ``crawler/extract/markup_bounds.py`` cuts away), up to a time budget. Run on
demand, not in CI::

    .venv/bin/python benchmarks/pathological.py [--sizes 10000,40000,160000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lxml import html as lxml_html

from crawler.extract import extract_article
from crawler.miniportal import SITES_DIR

SEED = (SITES_DIR / "nd-giaothuy" / "article-37511.html").read_text(encoding="utf-8")
URL = "http://giaothuy.namdinh.gov.vn/tin-moi/hoi-nghi-37511"
OPEN = '<div class="ArticleContent">'
RAW_BUDGET = 20.0  # seconds the uncut parse may be projected to take
PARAGRAPH = "<p>Đoạn văn bản của bài viết về hội nghị tổng kết công tác năm.</p>"

KINDS: dict[str, Callable[[int], str]] = {
    "attributes": lambda n: SEED.replace(
        OPEN, OPEN + "<p " + " ".join(f'data-a{i}="v"' for i in range(n)) + ">Đoạn.</p>", 1
    ),
    "elements": lambda n: SEED.replace(OPEN, OPEN + "<span>x</span>" * n, 1),
    "nesting": lambda n: SEED.replace(OPEN, OPEN + "<div>" * n + "<p>Đoạn.</p>" + "</div>" * n, 1),
}


def timed(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def padded(size: int) -> bytes:
    """The seed with ordinary paragraphs, ``size`` bytes or a little more."""
    body = SEED.encode()
    count = max(0, (size - len(body)) // len(PARAGRAPH.encode()) + 1)
    return SEED.replace(OPEN, OPEN + PARAGRAPH * count, 1).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,40000,160000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'page':<11} {'N':>8} {'MB':>6} {'extract ms':>10} {'ms/MB':>7} "
        f"{'baseline ms/MB':>14} {'ratio':>6}"
    )
    for kind, build in KINDS.items():
        for n in sizes:
            body = build(n).encode()
            base_body = padded(len(body))
            ours = timed(lambda body=body: extract_article(body, URL, "nd-giaothuy"))
            base = timed(lambda b=base_body: extract_article(b, URL, "nd-giaothuy"))
            mb, base_mb = len(body) / 2**20, len(base_body) / 2**20
            print(
                f"{kind:<11} {n:>8,} {mb:6.2f} {ours * 1000:10.1f} {ours * 1000 / mb:7.1f} "
                f"{base * 1000 / base_mb:14.1f} {ours / base * base_mb / mb:5.2f}x"
            )
    print("\nuncut lxml parse of one tag with N attributes (libxml2 2.14's duplicate check):")
    seen: list[tuple[int, float]] = []
    for n in sizes:
        if seen and seen[-1][1] * (n / seen[-1][0]) ** 2 > RAW_BUDGET:
            print(f"  N={n:>8,}: skipped, projected {seen[-1][1] * (n / seen[-1][0]) ** 2:.0f} s")
            continue
        body = KINDS["attributes"](n).encode()
        raw = timed(lambda body=body: lxml_html.fromstring(body), repeats=1)
        seen.append((n, raw))
        print(f"  N={n:>8,}: {raw * 1000:8.0f} ms = {raw * 1e6 / n:7.1f} ms per 1,000 attributes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
