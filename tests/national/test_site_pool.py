"""The site pool: at most GOV_SITES_AT_ONCE sites crawl at once, the next starts when one ends;
a stopped run starts no new site (crawler/sitepool.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST, cli_env

A, B = "nd-giaothuy", "hn-sotttt"


def test_one_site_at_a_time_crawls_both_in_turn(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    a, b = make_portal(A), make_portal(B)
    result = run_cli(
        "crawl",
        A,
        B,
        "--base-url",
        f"{A}={a.base_url}",
        "--base-url",
        f"{B}={b.base_url}",
        "--full",
        *FAST,
        "-s",
        "GOV_SITES_AT_ONCE=1",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{A}: HEALTHY" in result.stdout and f"{B}: HEALTHY" in result.stdout
    assert a.arrivals and b.arrivals
    # one at a time: every request of the second site came after the first site's last one
    first, second = (a, b) if a.arrivals[0] < b.arrivals[0] else (b, a)
    assert max(first.arrivals) < min(second.arrivals)
    store = stored()
    assert store.count_articles({"site_id": A}) == 5
    assert store.count_articles({"site_id": B}) >= 1


def test_all_at_once_overlaps(make_portal: MakePortal, run_cli: RunCli) -> None:
    a, b = make_portal(A), make_portal(B)
    for portal in (a, b):
        for route in portal.routes.values():
            route["delay"] = 0.3
    result = run_cli(
        "crawl",
        A,
        B,
        "--base-url",
        f"{A}={a.base_url}",
        "--base-url",
        f"{B}={b.base_url}",
        "--full",
        *FAST,
        "-s",
        "GOV_SITES_AT_ONCE=0",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert min(b.arrivals) < max(a.arrivals) and min(a.arrivals) < max(b.arrivals)


def test_a_stopped_run_starts_no_new_site(
    make_portal: MakePortal, data_dir: Path, stored: OpenStore
) -> None:
    a, b = make_portal(A), make_portal(B)
    for route in a.routes.values():
        route["delay"] = 3
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            A,
            B,
            "--base-url",
            f"{A}={a.base_url}",
            "--base-url",
            f"{B}={b.base_url}",
            "--full",
            *FAST,
            "-s",
            "GOV_SITES_AT_ONCE=1",
        ],
        cwd=ROOT,
        env=cli_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not a.requests:
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, "the first site never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 5, err[-3000:]
    assert f"{A}: INCOMPLETE" in out
    assert f"{B}: INCOMPLETE" in out and "not started: the run was stopped first" in out
    assert b.requests == []
