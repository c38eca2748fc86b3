"""Benchmark (e): one crawl job on 1 worker vs N workers sharing one Redis and one store.

Starts a throwaway ``redis-server`` on a free local port and a generated portal (default 2,000
articles, rendered from memory), then runs the same job with 1 worker and with ``--workers``
workers (``python -m crawler crawl ... -s GOV_REDIS_URL=...``, one lock file and spool each,
one embedded store). Prints wall-clock pages/s for both and the ratio, checks that every
article was stored exactly once, and how the pages were split between workers. On one 2-core
machine the portal, Redis and the workers share the cores, so this measures the coordination
overhead more than a real scale-out. Run on demand, not in CI::

    .venv/bin/python benchmarks/distributed_scaling.py [--articles 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.storage import open_store
from tests.miniportals.generate import generate_portal, serve_generated

SUMMARY = re.compile(
    r"^\S+ \S+ \S+ nd-giaothuy: (\w+) listing=(\d+) article=(\d+) (.*)$", re.MULTILINE
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_job(
    base_url: str, redis_url: str, job: str, workers: int, root: Path, concurrency: int
) -> tuple[float, list[str], int, int]:
    """Wall seconds, each worker's summary line, stored and distinct stored URLs."""
    data = root / f"data-{job}"
    env = {**os.environ, "CRAWLER_DATA_DIR": str(data)}
    env.pop("MONGO_URI", None)
    procs = []
    start = time.perf_counter()
    for w in range(workers):
        name = f"{job}-w{w}"
        cmd = [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            "nd-giaothuy",
            "--base-url",
            base_url,
            "--full",
            "--max-pages",
            "100000",
            "-s",
            "GOV_PROFILE_DELAYS=False",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
            "-s",
            "LOG_LEVEL=WARNING",
            "-s",
            f"GOV_REDIS_URL={redis_url}",
            "-s",
            f"GOV_REDIS_JOB={job}",
            "-s",
            f"GOV_WORKER_ID={name}",
            "-s",
            f"GOV_LOCK_FILE={root / (name + '.lock')}",
            "-s",
            f"GOV_SPOOL_DIR={root / ('spool-' + name)}",
        ]
        procs.append(
            subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
    split = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        match = SUMMARY.search(out)
        if match is None:
            raise RuntimeError(f"worker failed ({proc.returncode}):\n{out}\n{err[-3000:]}")
        split.append(match.group(0))
        for line in err.splitlines():
            if " ERROR: " in line or "locked" in line:
                split.append(f"  stderr: {line}")
    wall = time.perf_counter() - start
    store = open_store(None, data)
    urls = [d["canonical_url"] for d in store.articles.find({}, {"canonical_url": 1})]
    store.close()
    return wall, split, len(urls), len(set(urls))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8, help="CONCURRENT_REQUESTS_PER_DOMAIN")
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server not found: apt-get install -y redis-server", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="bench-dist-") as tmp:
        root = Path(tmp)
        port = free_port()
        redis_proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(0.5)
            site = generate_portal(root / "portal", args.articles, in_memory=True)
            pages = args.articles + site.listing_pages
            redis_url = f"redis://127.0.0.1:{port}/0"
            results = {}
            with serve_generated(root / "portal") as portal:
                for workers in (1, args.workers):
                    job = f"bench{workers}"
                    wall, split, stored, distinct = run_job(
                        portal.base_url, redis_url, job, workers, root, args.concurrency
                    )
                    results[workers] = pages / wall
                    print(
                        f"{workers} worker(s): {pages} pages in {wall:.1f} s wall "
                        f"(process start included) = {pages / wall:.0f} pages/s; stored "
                        f"{stored}, distinct {distinct}",
                        flush=True,
                    )
                    for line in split:
                        print(f"  {line}")
                    if stored != args.articles or distinct != stored:
                        print("  WARNING: not every article stored exactly once")
            print(
                f"{args.workers} workers / 1 worker: {results[args.workers] / results[1]:.2f}x "
                f"(nproc {os.cpu_count()}; portal, Redis and workers share the cores)"
            )
        finally:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
