"""Benchmark (b): the regex fast path of ``crawler.extract.dates`` vs ``dateparser``.

The strings are the date shapes of ``../shared/docs/portals.md`` §4 and the ``published_raw``
of every saved fixture page, plus shapes the fast path leaves to ``dateparser`` (dates in words).
For each string it times ``parse_vi_datetime`` (fast path, with its own fallback) and
``dateparser.parse(raw, languages=["vi"], settings={"DATE_ORDER": "DMY"})``, each the median of
``--repeats`` calls after a warm-up, and checks that both read the same day. Prints the speed
ratio and the share of strings the fast path handles. Run on demand, not in CI::

    .venv/bin/python benchmarks/dates.py [--repeats 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dateparser

from crawler.extract.dates import parse_vi_datetime

# portals.md §4 "Date formats seen" (one string per shape), as printed by the portals
PORTALS_MD = [
    "Ngày đăng 24/08/2022 | 4:30 PM",
    "Ngày đăng 24/10/2013 | 12:00 AM",
    "Thứ năm, 30/10/2025 | 10:31",
    "10:31 | 30/10/2025",
    "2025-10-30T10:31:51+07:00",
    "Thứ hai - 22/10/2007 07:28",
    "14/01/2021",
    "• 14/01/2021",
    "Đăng ngày 14/03/2023 08:15",
    "05/12/2013 15:42:27",
    "(24/08/2022)",
]
# shapes the fast path does not read (no numeric day/month/year): dateparser's job
WORDS = [
    "ngày 5 tháng 3 năm 2021",
    "Thứ Năm, ngày 30 tháng 10 năm 2025",
    "Cập nhật lúc 08:30 ngày 12 tháng 7 năm 2024",
    "15 tháng 3, 2021",
]
SETTINGS = {"DATE_ORDER": "DMY"}


def fixture_dates() -> list[str]:
    found = []
    for path in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*/*/expected.json")):
        raw = json.loads(path.read_text(encoding="utf-8")).get("published_raw")
        if raw:
            found.append(raw)
    return found


def median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()

    strings = list(dict.fromkeys(PORTALS_MD + fixture_dates() + WORDS))
    print(f"{'string':<46} {'ours us':>8} {'method':>10} {'dateparser us':>14} {'ratio':>7}  day")
    ours_total = theirs_total = 0.0
    fast = disagree = 0
    by_method: dict[str, list[tuple[float, float]]] = {"fast": [], "fallback": []}
    for raw in strings:
        parsed = parse_vi_datetime(raw)
        reference = dateparser.parse(raw, languages=["vi"], settings=SETTINGS)  # type: ignore[arg-type]
        ours = median_time(lambda raw=raw: parse_vi_datetime(raw), args.repeats)
        theirs = median_time(
            lambda raw=raw: dateparser.parse(raw, languages=["vi"], settings=SETTINGS),  # type: ignore[arg-type]
            max(10, args.repeats // 10),
        )
        ours_total += ours
        theirs_total += theirs
        method = parsed.method if parsed else "none"
        fast += method == "fast"
        by_method["fast" if method == "fast" else "fallback"].append((ours, theirs))
        same = day(parsed.value if parsed else None) == day(reference)
        disagree += not same
        print(
            f"{raw[:46]:<46} {ours * 1e6:8.1f} {method:>10} {theirs * 1e6:14.1f} "
            f"{theirs / ours:6.1f}x  {day(parsed.value if parsed else None)}"
            f"{'' if same else f' (dateparser: {day(reference)})'}"
        )
    share = fast / len(strings)
    print(
        f"\n{len(strings)} strings; the fast path handles {fast} ({share:.0%}), "
        f"{disagree} read as another day (or none) than plain dateparser"
    )
    for name, pairs in by_method.items():
        if pairs:
            ours_sum, theirs_sum = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
            print(
                f"  {name:<8} strings ({len(pairs):2}): ours {ours_sum * 1e6 / len(pairs):7.1f} us, "
                f"dateparser {theirs_sum * 1e6 / len(pairs):7.1f} us per string; "
                f"dateparser/ours = {theirs_sum / ours_sum:.1f}x"
            )
    print(
        f"  all      strings ({len(strings):2}): dateparser/ours = {theirs_total / ours_total:.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
