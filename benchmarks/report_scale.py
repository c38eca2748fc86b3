"""Benchmark: ``runs`` and ``report`` against a national history, without crawling it.

    .venv/bin/python benchmarks/report_scale.py [--portals 3355] [--nights 100] [--articles 20]
        [--repeat 2] [--keep DIR] [--baseline-timeout 300] [--compare CHECKOUT]

Builds, in a fresh embedded store, ``--nights`` earlier nights of run records and visit
snapshots for every portal of a national plan (``benchmarks/_national_history.py``, as
``national_nightly.py --history`` does) and ``--articles`` articles per live portal shaped as the
crawler stores them (with view histories), then times the real commands in subprocesses,
process start included: ``python -m crawler report --help`` (the command's start alone),
``python -m crawler runs --last 20``, ``python -m crawler report --out FILE`` (past
``GOV_REPORT_DETAIL_SITES`` = 100 sites: the national overview, detail for the 100 ranked
sites), the same report as the first after a night (the kept article fields of the 3 newest
articles per portal dropped, as a night's writes drop them: ``crawler.storage.articlefields``)
and, as the baseline in the same run, the full report of every site (``report
--detail-sites N``, N the number of portals: what ``report`` built before). With ``--compare
CHECKOUT`` (another checkout of the project, e.g. the main branch before a change) the same
start, ``runs`` and ``report`` are timed from that checkout too, on the same store, and the
two reports compared. Then the parts of the national report in one process (the overview read
from the files, the whole collection, the rendering), and the same national report through the
store's queries (what MongoDB runs), in a subprocess stopped after ``--baseline-timeout``
seconds; both must be the same HTML. Run on demand, not in CI.

Each line gives wall time, CPU time (user + system of the command: steadier on a shared
machine) and the load average when it ran. The commands run as an installed package does,
with their bytecode compiled once (``PYTHONPYCACHEPREFIX`` under the benchmark's folder, one
untimed run first): an environment with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
every module of the project at every command (0.1 s of CPU).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
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
from benchmarks._national_server import NEW_PER_NIGHT
from crawler.storage import DEFAULT_DB, articlefields


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system: steadier on a shared machine) and the last line
    the command printed on stderr, of ``python -m crawler ARGS`` run in the checkout ``cwd``."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took, used = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"crawler {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return took, used, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=3355)
    parser.add_argument("--nights", type=int, default=100)
    parser.add_argument("--articles", type=int, default=20, help="articles per live portal")
    parser.add_argument("--repeat", type=int, default=2, help="timings of each command")
    parser.add_argument("--baseline-timeout", type=float, default=300, help="s; 0: no baseline")
    parser.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it")
    parser.add_argument(
        "--compare",
        metavar="CHECKOUT",
        help="another checkout of the project (before a change): its start, runs and report "
        "timed on the same store in the same run",
    )
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="bench-report-"))
    root.mkdir(parents=True, exist_ok=True)
    plans = plan_portals(args.portals)
    write_registry(plans, root / "registry.csv")
    env = {
        **os.environ,
        "CRAWLER_REGISTRY": str(root / "registry.csv"),
        "CRAWLER_DATA_DIR": str(root / "data"),
        "PYTHONPYCACHEPREFIX": str(root / "pycache"),  # bytecode compiled once, as installed
    }
    env.pop("MONGO_URI", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        if not (root / "data" / "store").exists():
            took = synthesise(root / "data", plans, args.nights)
            took += synthesise_articles(root / "data", plans, args.articles, args.nights)
            print(
                f"{args.portals} portals: {args.nights} nights of run records and visit snapshots, "
                f"{args.articles} articles per live portal, written in {took:.0f} s",
                flush=True,
            )
        report_scale(root, env, args.repeat, args.portals)
        if args.compare:
            compare_checkout(root, env, args.repeat, Path(args.compare).resolve())
        if args.baseline_timeout:
            compare(root, env, args.baseline_timeout)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def commands(
    root: Path, env: dict[str, Any], cwd: Path, out: Path
) -> tuple[tuple[float, float], ...]:
    """(wall, CPU) of the start (``report --help``), ``runs`` and ``report`` from ``cwd``."""
    start = timed(["report", "--help"], env, cwd)
    runs = timed(["runs", "--last", "20"], env, cwd)
    report = timed(["report", "--out", str(out)], env, cwd)
    return start[:2], runs[:2], report[:2]


def _line(name: str, times: tuple[tuple[float, float], ...]) -> str:
    (s, s_cpu), (r, r_cpu), (p, p_cpu) = times
    return (
        f"{name}: start {s:.2f} s (CPU {s_cpu:.2f} s), runs: {r:.2f} s (CPU {r_cpu:.2f} s), "
        f"report: {p:.2f} s (CPU {p_cpu:.2f} s); {_load()}"
    )


def forget_newest(root: Path, count: int) -> int:
    """Drop the kept fields (``crawler.storage.articlefields``) of the ``count`` articles
    written last, as the writes of a night would: the next report cuts them again."""
    path = root / "data" / "store" / DEFAULT_DB / "articles"
    with sqlite3.connect(path) as conn:
        dropped = conn.execute(
            f"DELETE FROM {articlefields.TABLE} WHERE rowid IN "
            "(SELECT ROWID FROM documents ORDER BY ROWID DESC LIMIT ?)",
            (count,),
        ).rowcount
    conn.close()
    return int(dropped)


def report_scale(root: Path, env: dict[str, Any], repeat: int, portals: int) -> None:
    out = root / "report.html"
    timed(["report", "--out", str(out)], env)  # untimed: bytecode compiled, index made once
    for _ in range(repeat):
        print(_line("this checkout", commands(root, env, ROOT, out)), flush=True)
        night = forget_newest(root, NEW_PER_NIGHT * portals)
        took, cpu, _ = timed(["report", "--out", str(out)], env)
        print(
            f"  report, the first after a night ({night} articles written since the last): "
            f"{took:.2f} s (CPU {cpu:.2f} s); {_load()}",
            flush=True,
        )
        full_s, full_cpu, full = timed(
            ["report", "--detail-sites", str(portals), "--out", str(out)], env
        )
        print(
            f"  baseline, full report of every site: {full_s:.2f} s (CPU {full_cpu:.2f} s; "
            f"{full}); {_load()}",
            flush=True,
        )


def _generated(html: str) -> str:
    return re.sub(r"Generated [^(]*\(", "Generated (", html)


def compare_checkout(root: Path, env: dict[str, Any], repeat: int, other: Path) -> None:
    """The same commands from ``other``, alternating with this checkout's."""
    mine, theirs = root / "report.html", root / "report-compared.html"
    timed(["report", "--out", str(theirs)], env, other)  # untimed, as above
    for _ in range(repeat):
        print(_line(f"compared, {other}", commands(root, env, other, theirs)), flush=True)
        print(_line("this checkout", commands(root, env, ROOT, mine)), flush=True)
    same = _generated(mine.read_text(encoding="utf-8")) == _generated(
        theirs.read_text(encoding="utf-8")
    )
    print(f"same report from both checkouts: {same}", flush=True)


PARTS = """
import sys, sqlite3, time
from datetime import UTC, datetime
from pathlib import Path
from crawler.analytics import national_files, report, report_scope
from crawler.storage import open_store
store = open_store(None, Path(sys.argv[1]))
folder, took = store.path, {}
def timed(name, call):
    start = time.perf_counter()
    value = call()
    took[name] = time.perf_counter() - start
    return value
if sys.argv[2] == "files":
    timed("overview", lambda: national_files.national_from_files(folder, None, None))
else:
    def unreadable(*args):
        raise sqlite3.DatabaseError("the query path")
    report_scope.national_from_files = unreadable
with report._collector_paused():  # as build_report does
    data = timed("collect", lambda: report_scope.collect_national(store, None, None, 100))
    html = timed("render", lambda: report.render(data, datetime(2026, 1, 1, tzinfo=UTC)))
Path(sys.argv[3]).write_text(html, encoding="utf-8")
print(", ".join(f"{k} {v:.2f} s" for k, v in took.items()))
"""


def report_parts(root: Path, env: dict[str, Any], way: str, timeout: float) -> str:
    """The national report's data read one ``way`` (``files`` or ``queries``) and rendered, in
    a fresh process: ``overview`` (the files read for it, alone), ``collect``, ``render``."""
    out = root / f"report-{way}.html"
    start, cpu = time.perf_counter(), _children_cpu()
    try:
        done = subprocess.run(
            [sys.executable, "-c", PARTS, str(root / "data"), way, str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)"
    if done.returncode != 0:
        raise SystemExit(f"report parts ({way}) failed: {done.stderr[-2000:]}")
    took, used = time.perf_counter() - start, _children_cpu() - cpu
    return f"{took:.1f} s in all (CPU {used:.1f} s): {done.stdout.strip()}"


def compare(root: Path, env: dict[str, Any], timeout: float) -> None:
    print(f"national report, files read: {report_parts(root, env, 'files', 600)}", flush=True)
    said = report_parts(root, env, "queries", timeout)
    print(f"national report, the store's queries: {said}", flush=True)
    files, queries = root / "report-files.html", root / "report-queries.html"
    if queries.is_file():
        same = files.read_bytes() == queries.read_bytes()
        print(f"same national report both ways: {same}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
