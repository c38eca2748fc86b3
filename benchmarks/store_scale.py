"""Benchmark: the embedded store (litemongo) holding 100k (or 1M) articles.

    .venv/bin/python benchmarks/store_scale.py [--sizes 10000,100000] [--keep DIR]

For each size it fills a fresh embedded store with that many article documents (shaped as the
crawler stores them: ~2 KB of body text, the indexed fields), then, in a fresh process as the
crawl's store worker would be, measures what a night costs against it: opening the store, the
first incremental ``known()`` lookup (100 URLs: litemongo builds its in-memory query index over
the whole collection here), a second lookup, one batch of 100 upserts, ``count_articles`` for
one site, and the process's peak RSS (VmHWM) against the same process before the store was
touched. Prints one line per size and the growth per stored article. Run on demand, not in CI.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FILL_BATCH = 5000
SITES = 3355
WORDS = (
    "Ủy ban nhân dân",
    "tổ chức",
    "hội nghị",
    "triển khai",
    "kế hoạch",
    "chuyển đổi số",
    "nông thôn mới",
    "phường",
    "xã",
    "công tác",
    "năm 2025",
    "cải cách hành chính",
)


def article(n: int, rng: random.Random, now: datetime) -> dict[str, Any]:
    site = f"px-site-{n % SITES:05d}"
    body = " ".join(rng.choice(WORDS) for _ in range(160))  # ~2 KB
    url = f"https://site{n % SITES}.example.gov.vn/tin-tuc/bai-viet-{n}"
    return {
        "canonical_url": url,
        "url": url,
        "site_id": site,
        "cms": "vnportal",
        "title": f"Bài viết số {n}: {rng.choice(WORDS)}",
        "summary": body[:200],
        "body": body,
        "images": [],
        "author": "Nguyễn Văn A",
        "source": None,
        "category": "Tin tức",
        "published_at": now - timedelta(minutes=n),
        "published_raw": "01/01/2025",
        "views": rng.randint(0, 5000),
        "content_hash": f"{n:016x}",
        "province_code": "01",
        "first_seen": now,
        "last_seen": now,
        "views_history": [],
    }


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fill(data: Path, size: int) -> float:
    from crawler.storage import open_store

    start = time.perf_counter()
    store = open_store(None, data)
    rng = random.Random(size)
    now = datetime.now(UTC)
    for first in range(0, size, FILL_BATCH):
        store.articles.insert_many(
            [article(n, rng, now) for n in range(first, min(size, first + FILL_BATCH))]
        )
    store.close()
    return time.perf_counter() - start


def night(data: Path, size: int) -> dict[str, float]:
    """A night's store calls against ``size`` stored articles, in this (fresh) process."""
    from crawler.storage import open_store

    base = peak_mb()
    out: dict[str, float] = {"baseline_mb": base}
    t = time.perf_counter()
    store = open_store(None, data)
    out["open_s"] = time.perf_counter() - t
    urls = [
        f"https://site{n % SITES}.example.gov.vn/tin-tuc/bai-viet-{n}"
        for n in range(0, size, max(1, size // 100))
    ]
    for label in ("known_first_s", "known_again_s"):
        t = time.perf_counter()
        found = store.known(urls, ["content_hash"])
        out[label] = time.perf_counter() - t
    out["known_found"] = len(found)
    rng = random.Random(1)
    now = datetime.now(UTC)
    docs = [article(size + n, rng, now) for n in range(100)]
    t = time.perf_counter()
    store.upsert_articles(docs, now)
    out["upsert_100_s"] = time.perf_counter() - t
    t = time.perf_counter()
    store.count_articles({"site_id": "px-site-00007"})
    out["count_site_s"] = time.perf_counter() - t
    store.close()
    out["peak_mb"] = peak_mb()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--night", metavar="DIR", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.night:
        print(json.dumps(night(Path(args.night), args.size)))
        return 0
    root = Path(args.keep or tempfile.mkdtemp(prefix="bench-store-"))
    results: list[tuple[int, dict[str, float]]] = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            data = root / f"store-{size}"
            took = fill(data, size)
            disk = sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 2**20
            proc = subprocess.run(
                [sys.executable, __file__, "--night", str(data), "--size", str(size)],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append((size, r))
            print(
                f"{size:>9,} articles: fill {took:.0f} s, {disk:.0f} MB on disk; open "
                f"{r['open_s']:.2f} s, first known() {r['known_first_s']:.2f} s, again "
                f"{r['known_again_s']:.3f} s, 100 upserts {r['upsert_100_s']:.2f} s, count "
                f"{r['count_site_s']:.2f} s; peak RSS {r['peak_mb']:.0f} MB (process before "
                f"the store {r['baseline_mb']:.0f} MB)",
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(data, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    if len(results) > 1:
        (s0, r0), (s1, r1) = results[0], results[-1]
        per = (r1["peak_mb"] - r0["peak_mb"]) * 1024 / (s1 - s0)
        print(
            f"store worker growth: {per:.2f} KB per stored article "
            f"({s0:,} -> {s1:,}: {r0['peak_mb']:.0f} -> {r1['peak_mb']:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
