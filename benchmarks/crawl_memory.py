"""Benchmark (d): peak RSS of a large crawl, and whether it grows with the store's size.

1. A crawl of a generated 20,000-article portal (pages rendered from memory, nothing on disk;
   incremental, the nightly mode) into an empty embedded store: peak RSS of the crawl process.
2. The same crawl into a store pre-filled with 50,000 other articles: the two peaks, their
   ratio, and where the difference comes from (a process that only opens the store and
   queries it once is measured too).

Each crawl runs in its own subprocess (``_crawl_runner.py``) and reports its own peak RSS
(``VmHWM``; the pre-fill also runs in a child, so the parent serving the portal stays small),
and the peak RSS of its store worker process, which holds the store's connection (and, for the
embedded store, litemongo's in-memory index of every stored document) as a MongoDB server
would. Run on demand, not in CI (about 5 minutes on 2 cores)::

    .venv/bin/python benchmarks/crawl_memory.py [--big 20000] [--prefill 50000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.crawl_e2e import run_crawl
from crawler.fingerprint import content_hash
from tests.miniportals.generate import GeneratedSite, generate_portal, serve_generated

PREFILL_BATCH = 500
OPEN_PROBE = """
import sys
sys.path.insert(0, {root!r})
from benchmarks._crawl_runner import peak_rss_mb
from crawler.storage import open_store
store = open_store(None, {data!r})
store.known(["http://probe.example/x"])        # builds the embedded store's query index
print(peak_rss_mb())
"""
PREFILL = """
import sys
sys.path.insert(0, {root!r})
from benchmarks.crawl_memory import prefill
print(prefill({data!r}, {n}))
"""


def prefill(data_dir: Path | str, n: int) -> float:
    """Store ``n`` articles of another (generated) site; returns the seconds it took."""
    from crawler.storage import open_store

    site = GeneratedSite(n, seed=99)
    store = open_store(None, Path(data_dir))
    start = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for i in range(n):
        article = site.article(i)
        body = "\n\n".join(article.paragraphs)
        url = f"http://prefill.example.gov.vn{article.path}"
        batch.append(
            {
                "canonical_url": url,
                "url": url,
                "site_id": "prefill",
                "cms": "vnportal",
                "title": article.title,
                "summary": article.summary,
                "body": body,
                "images": [],
                "author": article.author,
                "source": article.source,
                "views": article.views,
                "published_at": article.published.replace(tzinfo=UTC),
                "category": "Tin tức",
                "content_hash": content_hash(body),
                "fetched_at": datetime.now(UTC),
                "missing": [],
            }
        )
        if len(batch) >= PREFILL_BATCH:
            store.upsert_articles(batch, datetime.now(UTC))
            batch = []
    store.upsert_articles(batch, datetime.now(UTC))
    store.close()
    return time.perf_counter() - start


def prefill_in_subprocess(data_dir: Path, n: int) -> float:
    """:func:`prefill` in a child process, so that this one (which serves the portal) stays small."""
    code = PREFILL.format(root=str(ROOT), data=str(data_dir), n=n)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def store_open_rss(data_dir: Path) -> float:
    """Peak RSS (MB) of a fresh process that only opens the store and runs one lookup of each kind."""
    code = OPEN_PROBE.format(root=str(ROOT), data=str(data_dir))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def crawl(site_dir: Path, data_dir: Path, mode: str) -> dict[str, Any]:
    with serve_generated(site_dir) as portal:
        return run_crawl(portal.base_url, data_dir, "full", 8, mode=mode)


def describe(label: str, result: dict[str, Any]) -> None:
    print(
        f"  {label}: {result['responses']} responses in {result['elapsed_s']:.1f} s "
        f"({result['pages_per_s']:.0f} pages/s), stored {result['stored']} (new {result['new']}), "
        f"peak RSS {result['maxrss_mb']:.0f} MB, store worker "
        f"{result['worker_maxrss_mb']:.0f} MB (Scrapy memusage: startup "
        f"{result['memusage_startup_mb']:.0f} MB, max {result['memusage_max_mb']:.0f} MB)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=20_000, help="articles in the crawl")
    parser.add_argument("--prefill", type=int, default=50_000, help="articles already stored")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-mem-") as tmp:
        root = Path(tmp)
        generate_portal(root / "big", args.big, in_memory=True)
        print(
            f"1. crawl of {args.big} articles (incremental, the nightly mode; pages rendered in "
            f"memory) into an empty store"
        )
        empty = crawl(root / "big", root / "data-empty", "incremental")
        describe(f"{args.big} articles into an empty store", empty)

        print(f"2. the same crawl into a store already holding {args.prefill} other articles")
        seconds = prefill_in_subprocess(root / "data-full", args.prefill)
        size = sum(f.stat().st_size for f in (root / "data-full").rglob("*") if f.is_file())
        print(
            f"  pre-filled {args.prefill} articles in {seconds:.0f} s "
            f"({size / 2**20:.0f} MB on disk)",
            flush=True,
        )
        open_empty = store_open_rss(root / "data-empty-probe")
        open_full = store_open_rss(root / "data-full")
        full = crawl(root / "big", root / "data-full", "incremental")
        describe(f"{args.big} articles into {args.prefill} stored", full)
        ratio = full["maxrss_mb"] / empty["maxrss_mb"]
        worker_ratio = full["worker_maxrss_mb"] / empty["worker_maxrss_mb"]
        print(
            f"  crawler peak RSS ratio pre-filled/empty: {ratio:.2f} "
            f"({full['maxrss_mb'] - empty['maxrss_mb']:+.0f} MB)"
        )
        print(
            f"  store worker peak RSS ratio: {worker_ratio:.2f} "
            f"({full['worker_maxrss_mb'] - empty['worker_maxrss_mb']:+.0f} MB: the embedded "
            f"store's in-memory index); a process that only opens the store and queries it "
            f"once peaks at {open_empty:.0f} MB (empty) vs {open_full:.0f} MB "
            f"({args.prefill} stored)"
        )
        verdict = "flat" if ratio <= 1.1 else "GROWS with the number of stored articles"
        print(f"  => crawler peak RSS {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
