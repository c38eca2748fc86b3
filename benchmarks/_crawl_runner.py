"""Run one benchmark crawl of a (generated) local portal in this process; print JSON figures.

Used by ``crawl_e2e.py`` and ``crawl_memory.py``, one subprocess per variant, so each variant
gets a fresh interpreter and its own peak RSS::

    python benchmarks/_crawl_runner.py --base-url http://127.0.0.1:PORT/ --data-dir DIR \
        --variant full|bare [--mode full|incremental] [--concurrency 8] [--profile FILE]

``full`` is the production configuration (every pipeline, the run report, the store under
``--data-dir``); ``bare`` is the same spider with ``ITEM_PIPELINES = {}`` and no project
extensions, so nothing touches a store. Besides Scrapy's stats it measures how long each store
batch took to write (``StorePipeline._write``, timed in place: the write runs in the store
worker process while the crawl goes on), how often the pipeline had to wait for the worker
(``gov/store/waits``), how late a 5 ms reactor timer ran (the longest stall of the event loop,
whatever caused it), and the peak RSS of the crawler process and of the store worker process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROBE_INTERVAL = 0.005


def peak_rss_mb(pid: int | str = "self") -> float:
    """A process's peak RSS (``VmHWM``). ``ru_maxrss`` would also count the RSS of the parent
    this process was forked from (Linux keeps the pre-exec high-water mark)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Peak RSS of this process's live children: the store worker, before it is stopped."""
    import multiprocessing

    return sum(peak_rss_mb(p.pid) for p in multiprocessing.active_children() if p.pid)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--variant", choices=["full", "bare"], required=True)
    parser.add_argument("--mode", choices=["full", "incremental"], default="full")
    parser.add_argument("--concurrency", type=int, default=8, help="CONCURRENT_REQUESTS_PER_DOMAIN")
    parser.add_argument("--max-pages", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=100, help="GOV_STORE_BATCH_SIZE")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the crawl here")
    args = parser.parse_args()

    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    import crawler.settings as project_settings
    from pipelines.store import StorePipeline
    from spiders.portal import PortalSpider

    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    overrides: dict[str, Any] = {
        "GOV_DATA_DIR": args.data_dir,
        "GOV_PROFILE_DELAYS": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "GOV_STORE_BATCH_SIZE": args.batch_size,
        "GOV_RUN_ID": f"bench-{time.time():.0f}",
        "GOV_REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    if args.variant == "bare":
        overrides |= {"ITEM_PIPELINES": {}, "EXTENSIONS": {}}
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")

    flushes: list[float] = []
    if args.variant == "full":
        original = StorePipeline._write

        async def timed_write(self: StorePipeline, docs: list[dict[str, Any]]) -> None:
            start = time.perf_counter()
            await original(self, docs)
            flushes.append(time.perf_counter() - start)

        StorePipeline._write = timed_write  # type: ignore[method-assign]

    lags: list[float] = []
    last = [0.0]

    def probe() -> None:
        now = time.perf_counter()
        if last[0]:
            lags.append(max(0.0, now - last[0] - PROBE_INTERVAL))
        last[0] = now

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)

    def start_probe() -> None:
        from twisted.internet import task  # imported late: Scrapy installs the reactor first

        task.LoopingCall(probe).start(PROBE_INTERVAL)

    crawler.signals.connect(start_probe, signal=signals.engine_started)
    process.crawl(
        crawler,
        site="nd-giaothuy",
        base_url=args.base_url,
        mode=args.mode,
        max_pages=args.max_pages,
    )
    wall = time.perf_counter()
    if args.profile:
        import cProfile

        cProfile.runctx("process.start()", globals(), {"process": process}, args.profile)
    else:
        process.start()
    wall = time.perf_counter() - wall
    from crawler.storage.runtime import close_stores

    worker_rss = children_peak_rss_mb()
    close_stores()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    elapsed = float(stats.get("elapsed_time_seconds", wall))
    responses = int(stats.get("downloader/response_count", 0))
    result = {
        "variant": args.variant,
        "mode": args.mode,
        "concurrency": args.concurrency,
        "elapsed_s": round(elapsed, 3),
        "responses": responses,
        "article_pages": int(stats.get("gov/pages/article", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "stored": int(stats.get("gov/store/written", 0)),
        "new": int(stats.get("gov/articles/new", 0)),
        "errors": {
            k: v for k, v in stats.items() if k.startswith(("gov/errors/", "log_count/ERROR"))
        },
        "pages_per_s": round(responses / elapsed, 1) if elapsed else 0.0,
        "flush_count": len(flushes),
        "flush_waits": int(stats.get("gov/store/waits", 0)),
        "flush_total_s": round(sum(flushes), 3),
        "flush_mean_ms": round(1000 * sum(flushes) / len(flushes), 2) if flushes else 0.0,
        "flush_max_ms": round(1000 * max(flushes), 2) if flushes else 0.0,
        "lag_max_ms": round(1000 * max(lags, default=0.0), 2),
        "lag_p99_ms": round(1000 * percentile(lags, 0.99), 2),
        "lag_total_s": round(sum(lags), 3),
        "maxrss_mb": round(peak_rss_mb(), 1),
        "worker_maxrss_mb": round(worker_rss, 1),
        "memusage_startup_mb": round(int(stats.get("memusage/startup", 0)) / 2**20, 1),
        "memusage_max_mb": round(int(stats.get("memusage/max", 0)) / 2**20, 1),
    }
    print(json.dumps(result))
    return 0 if responses else 1


if __name__ == "__main__":
    raise SystemExit(main())
