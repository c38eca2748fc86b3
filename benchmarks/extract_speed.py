"""Benchmark (a): article extraction time per page vs a plain lxml parse of the same bytes.

For every ``tests/fixtures/pages/*/*/page.html`` (with the ``url``, ``profile`` and optional
``content_type`` of its ``meta.json``) it times ``crawler.extract.extract_article`` (decoding,
parsing, every field, the body walk, dates, the visit widget) against
``lxml.html.fromstring(bytes)``, the floor any extraction pays. Each figure is the median of
``--repeats`` timed calls after a warm-up call (profiles loaded, selectors compiled). Prints the
per-page and overall ratios; the target is <= 5x. Run on demand, not in CI::

    .venv/bin/python benchmarks/extract_speed.py [--repeats 50] [--profile] [--cpu-time]

``--cpu-time`` reads this thread's CPU time (``time.thread_time``) instead of the wall clock:
on a machine shared with other jobs, a wall-clock median charges their load to whichever call
was running (a 3 ms extraction is preempted more often than a 0.2 ms parse), while CPU time
counts this process's work only. Baseline and extraction use the same clock.

**No profile.** The same pages, and the article pages of ``tests/fixtures/unprofiled`` (layouts
no profile describes), are also read the way a page of an unknown portal is: what
``extract_article(body, url)`` does for a host no site owns (decode and parse, then
``choose_profile``'s host lookup and family detection over the decoded text), then the ``generic`` profile, i.e.
the layout-free reader (``ArticlePage(get_profile("generic"), url, sel).extract()``), whatever
the detection found. Timed against the same run's lxml parse of the same bytes (target <= 5x);
``detect ms`` is the detection part alone (``detect_family`` on the decoded text).

**Linearity.** Synthetic pages with N = 1,000, 10,000 and 100,000 paragraphs in one container
(and listings with N items in one list) are read the same way once or a few times each; a
linear reader costs about the same per 1,000 paragraphs at every N. A size is skipped when the
previous ones project it past ``LINEAR_BUDGET`` seconds (a superlinear reader).
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

from crawler.extract import ArticlePage, ListingPage, extract_article, page_source, selector_for
from crawler.extract.detect import detect_family, site_for_host
from crawler.profiles import get_profile, load_profiles

PAGES = ROOT / "tests" / "fixtures" / "pages"
UNPROFILED = ROOT / "tests" / "fixtures" / "unprofiled"
TARGET = 5.0
LINEAR_SIZES = (1_000, 10_000, 100_000)
LINEAR_BUDGET = 60.0  # seconds one synthetic page may be projected to take
GENERIC = get_profile("generic")


CLOCK: Callable[[], float] = time.perf_counter  # time.thread_time with --cpu-time


def median_time(fn: Callable[[], object], repeats: int) -> float:
    """The median of ``repeats`` calls after a warm-up call; one cold call if ``repeats`` < 2."""
    clock = CLOCK
    if repeats < 2:
        start = clock()
        fn()
        return clock() - start
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def detect(html: str, url: str) -> object:
    """What ``extract_article(body, url)`` adds to the parse for a host no site owns: the host
    lookup and family detection over the page's decoded text."""
    profiles = load_profiles()
    site_for_host(profiles, url)
    return detect_family(profiles, html, url)


def no_profile(body: bytes, url: str, ctype: str | None) -> object:
    """``extract_article(body, url)`` with no profile, forced onto the layout-free reader."""
    sel, html = page_source(body, ctype)
    detect(html, url)
    return ArticlePage(GENERIC, url, sel).extract()


def free_listing(body: bytes, url: str) -> object:
    """A listing read with no profile: layout-free article links and next page."""
    page = ListingPage(GENERIC, url, selector_for(body))
    return page.article_links(), page.next_page(1)


def synthetic_article(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>Đoạn {i}: Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm, "
        f"đánh giá kết quả thực hiện nhiệm vụ và triển khai kế hoạch năm tới.</p>"
        for i in range(n)
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<title>Hội nghị tổng kết công tác năm 2024</title></head><body>"
        "<div class='menu'><ul><li><a href='/'>Trang chủ</a></li>"
        "<li><a href='/tin-tuc'>Tin tức</a></li></ul></div>"
        "<div class='main'><h1>Hội nghị tổng kết công tác năm 2024</h1>"
        "<div class='date'>Ngày đăng: 12/03/2024 08:15</div>"
        f"<div class='content'>{paragraphs}</div></div>"
        "<div class='footer'>Cổng thông tin điện tử tỉnh</div></body></html>"
    ).encode()


def synthetic_listing(n: int) -> bytes:
    items = "".join(
        f"<li><a href='/tin-tuc/hoi-nghi-so-{i}-tong-ket-cong-tac.html'>Hội nghị số {i} tổng "
        f"kết công tác năm của tỉnh</a> <span>12/03/2024</span></li>"
        for i in range(n)
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin tức</title></head><body>"
        f"<div class='main'><h1>Tin tức</h1><ul class='news'>{items}</ul>"
        "<div class='pager'><a href='/tin-tuc?page=2'>2</a> "
        "<a href='/tin-tuc?page=2'>Trang sau</a></div></div></body></html>"
    ).encode()


def linearity(kind: str, build: Callable[[int], bytes], read: Callable[[bytes], object]) -> None:
    """Time ``read`` on ``build(n)`` for each N and print its cost per 1,000 paragraphs/items."""
    seen: list[tuple[int, float]] = []  # (n, seconds)
    for n in LINEAR_SIZES:
        if seen:
            # the last time scaled linearly, and by the per-1,000 growth seen so far
            (n0, t0), (n1, t1) = seen[0], seen[-1]
            projected = t1 * n / n1 * max(1.0, (t1 / n1) / (t0 / n0))
            if projected > LINEAR_BUDGET:
                print(f"  {kind:<8} N={n:>7,}: skipped, projected {projected:.0f} s")
                continue
        body = build(n)
        repeats = 5_000 // n  # 5 timed calls at N = 1,000, then one cold call
        base = median_time(lambda body=body: lxml_html.fromstring(body), repeats)
        ours = median_time(lambda body=body: read(body), repeats)
        seen.append((n, ours))
        print(
            f"  {kind:<8} N={n:>7,} ({len(body) / 2**20:5.1f} MB): {ours * 1000:8.0f} ms "
            f"= {ours * 1e6 / n:6.1f} ms per 1,000 (lxml parse {base * 1e6 / n:5.2f} ms "
            f"per 1,000; {ours / base:4.0f}x)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the extraction runs and the slowest no-profile page",
    )
    parser.add_argument("--no-linearity", action="store_true", help="skip the synthetic pages")
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="time with this thread's CPU time (a machine shared with other jobs)",
    )
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.cpu_time else time.perf_counter
    print(
        f"clock: {'CPU time (time.thread_time)' if args.cpu_time else 'wall (time.perf_counter)'}"
    )

    cases = sorted(PAGES.glob("*/*/page.html"))
    unprofiled = sorted(UNPROFILED.glob("*/articles/*/page.html"))
    if not cases:
        print(f"no pages under {PAGES}", file=sys.stderr)
        return 1
    names = {
        p: str(p.parent.relative_to(PAGES if p in cases else UNPROFILED.parent))
        for p in [*cases, *unprofiled]
    }
    width = max(58, *map(len, names.values()))
    print(
        f"{'page':<{width}} {'KB':>5} {'lxml ms':>8} {'extract ms':>10} {'ratio':>6} "
        f"{'detect ms':>9} {'no-prof ms':>10} {'ratio':>6}"
    )
    total_lxml = total_extract = 0.0
    ratios = []
    # (page, lxml s, detection s, no-profile s) by fixture folder
    free: dict[str, list[tuple[Path, float, float, float]]] = {
        "fixtures/pages": [],
        "fixtures/unprofiled": [],
    }
    for page in [*cases, *unprofiled]:
        meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
        body = page.read_bytes()
        url, profile, ctype = meta["url"], meta.get("profile"), meta.get("content_type")
        profiled = page in cases

        def parse(body: bytes = body) -> object:
            return lxml_html.fromstring(body)

        def extract(
            body: bytes = body,
            url: str = url,
            profile: str | None = profile,
            ctype: str | None = ctype,
        ) -> object:
            return extract_article(body, url, profile, ctype)

        decoded = page_source(body, ctype)[1]

        def detection(html: str = decoded, url: str = url) -> object:
            return detect(html, url)

        def layout_free(body: bytes = body, url: str = url, ctype: str | None = ctype) -> object:
            return no_profile(body, url, ctype)

        base = median_time(parse, args.repeats)
        found = median_time(detection, args.repeats)
        bare = median_time(layout_free, args.repeats)
        folder = "fixtures/pages" if profiled else "fixtures/unprofiled"
        free[folder].append((page, base, found, bare))
        if profiled:
            ours = median_time(extract, args.repeats)
            total_lxml += base
            total_extract += ours
            ratios.append(ours / base)
            profiled_cols = f"{ours * 1000:10.2f} {ours / base:5.1f}x"
        else:
            profiled_cols = f"{'-':>10} {'-':>6}"
        print(
            f"{names[page]:<{width}} {len(body) / 1024:5.0f} {base * 1000:8.2f} "
            f"{profiled_cols} {found * 1000:9.2f} {bare * 1000:10.2f} {bare / base:5.1f}x"
        )
    overall = total_extract / total_lxml
    print(
        f"\n{len(cases)} pages: lxml {total_lxml * 1000:.2f} ms, extract_article "
        f"{total_extract * 1000:.2f} ms in total ({total_extract * 1000 / len(cases):.2f} "
        f"ms/page); overall ratio {overall:.2f}x "
        f"(per-page median {statistics.median(ratios):.2f}x, max {max(ratios):.1f}x); "
        f"target <= {TARGET:.0f}x: {'met' if overall <= TARGET else 'MISSED'}"
    )
    for label, rows in free.items():
        if not rows:
            continue
        lxml_s, detect_s, free_s = (sum(r[i] for r in rows) for i in (1, 2, 3))
        free_ratios = [r[3] / r[1] for r in rows]
        print(
            f"no profile (detection + layout-free), {len(rows)} pages of {label}: "
            f"{free_s * 1000 / len(rows):.2f} ms/page (detection "
            f"{detect_s * 1000 / len(rows):.2f}), {free_s / lxml_s:.1f}x an lxml parse "
            f"(per-page median "
            f"{statistics.median(free_ratios):.1f}x, max {max(free_ratios):.1f}x); "
            f"target <= {TARGET:.0f}x: {'met' if free_s / lxml_s <= TARGET else 'MISSED'}"
        )

    if not args.no_linearity:
        print("\nlinearity (no profile, synthetic pages; linear = constant ms per 1,000):")
        article_url = "https://example.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-nam-2024.html"
        linearity("article", synthetic_article, lambda body: no_profile(body, article_url, None))
        linearity(
            "listing",
            synthetic_listing,
            lambda body: free_listing(body, "https://example.gov.vn/tin-tuc"),
        )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for page in cases:
            meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
            for _ in range(max(1, args.repeats // 5)):
                extract_article(
                    page.read_bytes(), meta["url"], meta.get("profile"), meta.get("content_type")
                )
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        slowest = max((row for rows in free.values() for row in rows), key=lambda row: row[3])
        meta = json.loads((slowest[0].parent / "meta.json").read_text(encoding="utf-8"))
        print(f"no profile, slowest page: {slowest[0].parent.relative_to(ROOT)}")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(max(1, args.repeats // 5)):
            no_profile(slowest[0].read_bytes(), meta["url"], meta.get("content_type"))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
