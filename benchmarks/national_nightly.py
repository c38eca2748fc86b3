"""Benchmark: a national night, N portals on N hosts, one worker or K sharing the job.

    .venv/bin/python benchmarks/national_nightly.py [--portals 300] [--workers 1] [--history 0]

Generates N commune/ward portals (``_national_plan.py``: real names from vietnam-provinces,
each on its own loopback address 127.16.x.y, 100-500 ms latency, 1% dead and 1% very slow
hosts) and serves them from one asyncio process (``_national_server.py``: two listing pages,
20 articles, 3 new ones each night). Then, with the production politeness (profile delay,
one request at a time per host, AutoThrottle), it runs ``python -m crawler crawl --full`` over
all of them (night 1) and ``python -m crawler nightly`` (night 2, incremental), and prints for
each night: wall time, requests, per-host spacing from the server's own log (no two requests
to one host closer than its delay), the politeness bound and the ratio, the peak RSS of every
process, the store's size; then the time of ``runs`` and ``report``. With ``--history H`` it
first writes H earlier nights of run records and site statistics for every portal into the
store (as the crawler writes them) so ``runs`` and ``report`` are timed against that history.
With ``--workers K`` (K > 1) each night runs K workers sharing the job through Redis (needs
``redis-server``): by default they split the sites (``--share sites``, ``GOV_REDIS_SHARE``: each
site crawled by one worker); ``--share requests`` shares every site's request queue instead. Last line: ``... ratio R (bound B s, wall W s)`` of the incremental night.
Run on demand, not in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._national_measure import (
    PeakRss,
    politeness_bound,
    read_log,
    spacing,
)
from benchmarks._national_plan import (
    PortalPlan,
    plan_portals,
    save_plan,
    write_registry,
)


def free_port(address: str) -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def profile_policy() -> tuple[float, float]:
    """The vnPortal family's delay and the crawl's DOWNLOAD_TIMEOUT (what the crawler uses)."""
    from crawler.profiles import load_profiles
    from crawler.settings import DOWNLOAD_TIMEOUT

    return load_profiles()["vnportal"].crawl.delay, float(DOWNLOAD_TIMEOUT)


def sites_at_once() -> int:
    from crawler.settings import GOV_SITES_AT_ONCE

    return int(GOV_SITES_AT_ONCE)


def start_server(root: Path, port: int, night: int) -> tuple[subprocess.Popen[str], Path]:
    log = root / f"server-night{night}.tsv"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "_national_server.py"),
            "--plan",
            str(root / "plan.json"),
            "--port",
            str(port),
            "--night",
            str(night),
            "--log",
            str(log),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("ready"):
        raise RuntimeError(f"portal server did not start: {line!r}")
    return proc, log


def crawl_cmd(
    plans: list[PortalPlan],
    port: int,
    night: int,
    root: Path,
    worker: str | None,
    redis_url: str | None,
    share: str = "sites",
) -> list[str]:
    cmd = [sys.executable, "-m", "crawler"]
    cmd += ["crawl", "--full"] if night == 1 else ["nightly"]
    cmd += [p.id for p in plans]
    for p in plans:
        cmd += ["--base-url", f"{p.id}=http://{p.address}:{port}/"]
    cmd += ["-s", "LOG_LEVEL=WARNING", "-s", "GOV_PROGRESS=off"]
    if worker and redis_url:
        cmd += [
            "-s",
            f"GOV_REDIS_URL={redis_url}",
            "-s",
            f"GOV_REDIS_SHARE={share}",
            "-s",
            f"GOV_REDIS_JOB=night{night}",
            "-s",
            f"GOV_WORKER_ID={worker}",
            "-s",
            f"GOV_LOCK_FILE={root / (worker + '.lock')}",
            "-s",
            f"GOV_SPOOL_DIR={root / ('spool-' + worker)}",
        ]
    return cmd


def worker_envs(
    root: Path, env: dict[str, str], workers: int, own_stores: bool
) -> list[dict[str, str]]:
    """Each worker's environment. ``own_stores``: each worker crawls into its own copy of the
    embedded store (``data-w<K>``, copied from ``data`` before the night, outside its wall
    time), as a shared MongoDB would serve them; workers writing one embedded store make each
    other reload its in-memory index at every write."""
    if not own_stores or workers < 2:
        return [env] * workers
    envs = []
    for w in range(workers):
        copy = root / f"data-w{w}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root / "data", copy)
        envs.append({**env, "CRAWLER_DATA_DIR": str(copy)})
    return envs


def run_night(
    plans: list[PortalPlan],
    root: Path,
    env: dict[str, str],
    port: int,
    night: int,
    workers: int,
    redis_url: str | None,
    share: str = "sites",
    own_stores: bool = False,
) -> dict[str, Any]:
    envs = worker_envs(root, env, workers, own_stores)
    server, log = start_server(root, port, night)
    server_rss = PeakRss(server.pid, "portal server")
    procs, meters = [], []
    start = time.perf_counter()
    for w in range(workers):
        name = f"w{w}" if workers > 1 else None
        out = (root / f"night{night}-{name or 'w0'}.out").open("w")
        err = (root / f"night{night}-{name or 'w0'}.err").open("w")
        proc = subprocess.Popen(
            crawl_cmd(plans, port, night, root, name, redis_url, share),
            cwd=ROOT,
            env=envs[w],
            stdout=out,
            stderr=err,
        )
        procs.append((proc, out, err))
        meters.append(PeakRss(proc.pid, f"crawler {name or ''}".strip()))
    codes = []
    for proc, out, err in procs:
        codes.append(proc.wait())
        out.close()
        err.close()
    wall = time.perf_counter() - start
    cpu = sum(meter.cpu_s() for meter in meters)
    rss: dict[str, float] = {}
    for meter in meters:
        for label, mb in meter.stop().items():
            key = label if label == meter.label or workers == 1 else f"{label} ({meter.label})"
            rss[key] = max(rss.get(key, 0.0), mb)
    server.terminate()
    server.wait(timeout=60)
    rss |= server_rss.stop()
    arrivals, connections = read_log(log)
    return {
        "wall": wall,
        "codes": codes,
        "rss": rss,
        "arrivals": arrivals,
        "cpu": cpu,
        "connections": connections,
    }


def summary_counts(root: Path, night: int) -> dict[str, int]:
    """Verdicts and article counts from the crawl's summary lines (all workers)."""
    counts: dict[str, int] = {}
    for path in root.glob(f"night{night}-*.out"):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) < 6 or not parts[3].endswith(":"):
                continue
            counts[parts[4]] = counts.get(parts[4], 0) + 1
            for part in parts[5:]:
                key, _, value = part.partition("=")
                if key in ("new", "article", "listing") and value.isdigit():
                    counts[key] = counts.get(key, 0) + int(value)
    return counts


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def timed(cmd: list[str], env: dict[str, str], limit: float = 900) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=limit
        )
    except subprocess.TimeoutExpired:
        print(f"  {' '.join(cmd[2:4])}: still running after {limit:.0f} s, stopped")
        return limit, -1
    if proc.returncode:
        print(f"  {' '.join(cmd[2:4])}: exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return time.perf_counter() - start, proc.returncode


def time_queries(env: dict[str, str], root: Path, history: int) -> None:
    runs_s, _ = timed([sys.executable, "-m", "crawler", "runs", "--last", "20"], env)
    report_s, _ = timed(
        [sys.executable, "-m", "crawler", "report", "--out", str(root / "report.html")], env
    )
    print(
        f"runs: {runs_s:.2f} s, report: {report_s:.2f} s (process start included; "
        f"{history} earlier nights of history)"
    )


def start_redis(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found: apt-get install -y redis-server")
    port = free_port("127.0.0.1")
    proc = subprocess.Popen(
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
            "--dir",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="earlier nights of run records written into the store first",
    )
    parser.add_argument(
        "--share",
        choices=("sites", "requests"),
        default="sites",
        help="with --workers K: split the sites between the workers (GOV_REDIS_SHARE=sites), "
        "or share every site's request queue (requests)",
    )
    parser.add_argument(
        "--no-queries", action="store_true", help="do not time `runs` and `report` afterwards"
    )
    parser.add_argument(
        "--store-per-worker",
        action="store_true",
        help="incremental nights with --workers K: each worker its own copy of the embedded "
        "store (stands in for one MongoDB; the embedded store is one process's database)",
    )
    parser.add_argument(
        "--incremental-only",
        action="store_true",
        help="with --keep DIR holding the store of an earlier run: only an incremental night "
        "(night 3: three new articles per portal)",
    )
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (logs, store)")
    args = parser.parse_args()
    delay, timeout = profile_policy()
    root = Path(args.keep or tempfile.mkdtemp(prefix="bench-national-"))
    root.mkdir(parents=True, exist_ok=True)
    plans = plan_portals(args.portals)
    save_plan(plans, root / "plan.json")
    write_registry(plans, root / "registry.csv")
    env = {
        **os.environ,
        "CRAWLER_REGISTRY": str(root / "registry.csv"),
        "CRAWLER_DATA_DIR": str(root / "data"),
    }
    env.pop("MONGO_URI", None)
    port = free_port(plans[0].address)
    redis = start_redis(root) if args.workers > 1 else None
    kinds = {k: sum(p.kind == k for p in plans) for k in ("ok", "slow", "dead")}
    print(
        f"{args.portals} portals on {args.portals} addresses (127.16.0.1-{plans[-1].address}"
        f":{port}): {kinds['ok']} ok, {kinds['slow']} very slow, {kinds['dead']} dead; "
        f"profile delay {delay} s, DOWNLOAD_TIMEOUT {timeout:.0f} s, {args.workers} worker(s)"
        f"{f' sharing {args.share}' if args.workers > 1 else ''}; "
        f"nproc {os.cpu_count()}",
        flush=True,
    )
    last: tuple[float, float] = (0.0, 0.0)
    try:
        if args.history:
            from benchmarks._national_history import synthesise

            took = synthesise(root / "data", plans, args.history)
            print(
                f"history: {args.history} nights x {len(plans)} portals written in {took:.1f} s",
                flush=True,
            )
        for night in (3,) if args.incremental_only else (1, 2):
            result = run_night(
                plans,
                root,
                env,
                port,
                night,
                args.workers,
                redis[1] if redis else None,
                args.share,
                args.store_per_worker and night > 1,
            )
            arrivals = result["arrivals"]
            space = spacing(arrivals, delay)
            places = min(len(plans), sites_at_once() or len(plans)) * args.workers
            bound, chain, flow = politeness_bound(plans, arrivals, delay, places, timeout)
            counts = summary_counts(root, night)
            wall = result["wall"]
            mode = "full" if night == 1 else "incremental"
            print(
                f"night {night} ({mode}): wall {wall:.1f} s, {space.requests} requests to "
                f"{space.hosts} hosts ({space.requests / wall:.0f}/s), exit {result['codes']}; "
                f"verdicts { {k: v for k, v in counts.items() if k.isupper()} }, "
                f"articles fetched {counts.get('article', 0)}, new {counts.get('new', 0)}",
                flush=True,
            )
            print(
                f"  spacing: {space.too_close} pairs closer than the {delay} s delay "
                f"(closest gap {space.closest_ratio:.2f}x the delay); {result['connections']} "
                f"connections ({space.requests / max(1, result['connections']):.1f} requests "
                "each)"
            )
            print(
                f"  bound: slowest host {chain:.1f} s, {places} sites at once {flow:.1f} s -> "
                f"{bound:.1f} s; ratio {wall / bound:.2f}; crawler CPU {result['cpu']:.0f} s "
                f"({1000 * result['cpu'] / max(1, space.requests):.1f} ms per request, "
                f"{result['cpu'] / (os.cpu_count() or 1):.0f} s over {os.cpu_count()} cores)"
            )
            print(
                "  peak RSS: "
                + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(result["rss"].items()))
            )
            print(
                f"  store: {dir_mb(root / 'data' / 'store'):.1f} MB on disk; load average "
                + "/".join(f"{x:.1f}" for x in os.getloadavg()),
                flush=True,
            )
            last = (bound, wall)
        if not args.no_queries:
            time_queries(env, root, args.history)
    finally:
        if redis:
            redis[0].terminate()
            redis[0].wait(timeout=10)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    bound, wall = last
    print(
        f"national nightly: {args.portals} portals, {args.workers} worker(s), incremental night "
        f"ratio {wall / bound:.2f} (bound {bound:.1f} s, wall {wall:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
