"""Benchmark (a): article extraction time per page vs a plain lxml parse of the same bytes.

For every ``tests/fixtures/pages/*/*/page.html`` (with the ``url``, ``profile`` and optional
``content_type`` of its ``meta.json``) it times ``crawler.extract.extract_article`` (decoding,
parsing, every field, the body walk, dates, the visit widget) against
``lxml.html.fromstring(bytes)``, the floor any extraction pays. Each figure is the median of
``--repeats`` timed calls after a warm-up call (profiles loaded, selectors compiled). Prints the
per-page and overall ratios; the target is <= 5x. Run on demand, not in CI::

    .venv/bin/python benchmarks/extract_speed.py [--repeats 50] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
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

PAGES = ROOT / "tests" / "fixtures" / "pages"
TARGET = 5.0


def median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile the extraction runs")
    args = parser.parse_args()

    cases = sorted(PAGES.glob("*/*/page.html"))
    if not cases:
        print(f"no pages under {PAGES}", file=sys.stderr)
        return 1
    print(f"{'page':<58} {'KB':>5} {'lxml ms':>8} {'extract ms':>10} {'ratio':>6}")
    total_lxml = total_extract = 0.0
    ratios = []
    for page in cases:
        meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
        body = page.read_bytes()
        url, profile, ctype = meta["url"], meta.get("profile"), meta.get("content_type")

        def parse(body: bytes = body) -> object:
            return lxml_html.fromstring(body)

        def extract(body: bytes = body, url: str = url, profile: str | None = profile,
                    ctype: str | None = ctype) -> object:
            return extract_article(body, url, profile, ctype)

        base = median_time(parse, args.repeats)
        ours = median_time(extract, args.repeats)
        total_lxml += base
        total_extract += ours
        ratios.append(ours / base)
        name = str(page.parent.relative_to(PAGES))
        print(f"{name:<58} {len(body) / 1024:5.0f} {base * 1000:8.2f} {ours * 1000:10.2f} "
              f"{ours / base:5.1f}x")
    overall = total_extract / total_lxml
    print(f"\n{len(cases)} pages: lxml {total_lxml * 1000:.2f} ms, extract_article "
          f"{total_extract * 1000:.2f} ms in total ({total_extract * 1000 / len(cases):.2f} "
          f"ms/page); overall ratio {overall:.2f}x "
          f"(per-page median {statistics.median(ratios):.2f}x, max {max(ratios):.1f}x); "
          f"target <= {TARGET:.0f}x: {'met' if overall <= TARGET else 'MISSED'}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for page in cases:
            meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
            for _ in range(max(1, args.repeats // 5)):
                extract_article(page.read_bytes(), meta["url"], meta.get("profile"),
                                meta.get("content_type"))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
