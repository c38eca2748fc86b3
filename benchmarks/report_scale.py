"""Benchmark: ``runs`` and ``report`` against a national history, without crawling it.

    .venv/bin/python benchmarks/report_scale.py [--portals 3355] [--nights 100] [--articles 20]
        [--repeat 2] [--keep DIR]

Builds, in a fresh embedded store, ``--nights`` earlier nights of run records and visit
snapshots for every portal of a national plan (``benchmarks/_national_history.py``, as
``national_nightly.py --history`` does) and ``--articles`` articles per live portal shaped as the
crawler stores them (with view histories), then times the real commands in subprocesses,
process start included: ``python -m crawler runs --last 20`` and
``python -m crawler report --out FILE``. The baseline in the same run is the report's per-site
reads the way they were made before (one query per site and collection, see
:func:`old_per_site_reads`), timed in-process on the first ``--baseline-sites`` sites and
projected to every site. Run on demand, not in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._national_history import synthesise, synthesise_articles
from benchmarks._national_plan import plan_portals, write_registry


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"crawler {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return took, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=3355)
    parser.add_argument("--nights", type=int, default=100)
    parser.add_argument("--articles", type=int, default=20, help="articles per live portal")
    parser.add_argument("--repeat", type=int, default=2, help="timings of each command")
    parser.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="bench-report-"))
    root.mkdir(parents=True, exist_ok=True)
    plans = plan_portals(args.portals)
    write_registry(plans, root / "registry.csv")
    env = {
        **os.environ,
        "CRAWLER_REGISTRY": str(root / "registry.csv"),
        "CRAWLER_DATA_DIR": str(root / "data"),
    }
    env.pop("MONGO_URI", None)
    try:
        if not (root / "data" / "store").exists():
            took = synthesise(root / "data", plans, args.nights)
            took += synthesise_articles(root / "data", plans, args.articles, args.nights)
            print(f"history written in {took:.1f} s", flush=True)
        report_scale(root, env, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def report_scale(root: Path, env: dict[str, Any], repeat: int) -> None:
    for _ in range(repeat):
        runs_s, _ = timed(["runs", "--last", "20"], env)
        report_s, said = timed(["report", "--out", str(root / "report.html")], env)
        print(f"runs: {runs_s:.2f} s, report: {report_s:.2f} s ({said})", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
