"""Benchmark (c): end-to-end crawl throughput with every pipeline vs a bare Scrapy crawl.

A generated vnPortal site (default 2,000 articles, 20 per listing page) is served on 127.0.0.1
from this process; each crawl runs in its own subprocess (``_crawl_runner.py``) with the same
spider and settings: ``full`` has every pipeline and the run report writing into a fresh
embedded store, ``bare`` has ``ITEM_PIPELINES = {}`` and no store. Pages/s are responses over
Scrapy's ``elapsed_time_seconds``; the ratio full/bare is the figure (target >= 0.8). Each
variant runs ``--repeats`` times, alternating, and the best run counts. Also printed: how long
each batched ``bulk_write`` took in the store worker process, how often the pipeline had to wait
for it, and the longest reactor stall of each variant, to show that writes do not block the
reactor. Run on demand, not in CI::

    .venv/bin/python benchmarks/crawl_e2e.py [--articles 2000] [--repeats 3] [--concurrency 8 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.miniportal import MiniPortal
from tests.miniportals.generate import generate_portal

RUNNER = Path(__file__).with_name("_crawl_runner.py")


def run_crawl(
    base_url: str, data_dir: Path, variant: str, concurrency: int, mode: str = "full"
) -> dict[str, Any]:
    """One crawl in a fresh interpreter; its JSON figures."""
    cmd = [
        sys.executable,
        str(RUNNER),
        "--base-url",
        base_url,
        "--data-dir",
        str(data_dir),
        "--variant",
        variant,
        "--mode",
        mode,
        "--concurrency",
        str(concurrency),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, timeout=3600)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"{variant} crawl failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[8, 1],
        help="CONCURRENT_REQUESTS_PER_DOMAIN values to run",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        root = Path(tmp)
        site = generate_portal(root / "portal", args.articles)
        pages = args.articles + site.listing_pages + 2  # + home page and robots.txt
        print(
            f"portal: {args.articles} articles, {site.listing_pages} listing pages "
            f"(~{pages} requests per crawl), pages on disk"
        )
        with MiniPortal(root / "portal") as portal:
            for concurrency in args.concurrency:
                runs: dict[str, list[dict[str, Any]]] = {"bare": [], "full": []}
                for rep in range(args.repeats):
                    for variant in ("bare", "full"):
                        data_dir = root / f"data-{concurrency}-{variant}-{rep}"
                        result = run_crawl(portal.base_url, data_dir, variant, concurrency)
                        runs[variant].append(result)
                        print(
                            f"  c={concurrency} {variant:<4} run {rep + 1}: "
                            f"{result['responses']} responses in {result['elapsed_s']:.2f} s = "
                            f"{result['pages_per_s']:.1f} pages/s, stored {result['stored']}, "
                            f"reactor lag max {result['lag_max_ms']:.1f} ms",
                            flush=True,
                        )
                best = {v: max(rs, key=lambda r: r["pages_per_s"]) for v, rs in runs.items()}
                full, bare = best["full"], best["bare"]
                if full["stored"] != args.articles or full["errors"]:
                    print(
                        f"  WARNING: full crawl stored {full['stored']} of {args.articles}; "
                        f"errors {full['errors']}"
                    )
                ratio = full["pages_per_s"] / bare["pages_per_s"]
                print(
                    f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}: bare {bare['pages_per_s']:.1f} "
                    f"pages/s, full {full['pages_per_s']:.1f} pages/s, ratio full/bare "
                    f"{ratio:.2f} (target >= 0.80: {'met' if ratio >= 0.8 else 'MISSED'})"
                )
                print(
                    f"  store writes (batch 100, in the store worker process): "
                    f"{full['flush_count']} x mean {full['flush_mean_ms']:.1f} ms, max "
                    f"{full['flush_max_ms']:.1f} ms; the pipeline waited for the worker "
                    f"{full['flush_waits']} times; longest reactor stall full "
                    f"{full['lag_max_ms']:.1f} ms (p99 {full['lag_p99_ms']:.1f}) vs bare "
                    f"{bare['lag_max_ms']:.1f} ms (p99 {bare['lag_p99_ms']:.1f})"
                )
                print(
                    f"  peak RSS: full {full['maxrss_mb']:.0f} MB (+ store worker "
                    f"{full['worker_maxrss_mb']:.0f} MB), bare {bare['maxrss_mb']:.0f} MB"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
