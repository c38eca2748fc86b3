"""A night starts the sites that took longest last time first (crawler/siteorder.py), so a slow
portal never runs alone at the end of the night."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.siteorder import (
    durations_path,
    load_durations,
    longest_first,
    remember_durations,
)
from tests.fixturetypes import MakePortal, RunCli
from tests.helpers import FAST

A, B = "nd-giaothuy", "hn-sotttt"
T0 = datetime(2026, 12, 5, 19, 0, tzinfo=UTC)


def _report(site: str, seconds: float, verdict: str = "healthy") -> dict[str, object]:
    return {
        "site_id": site,
        "verdict": verdict,
        "started_at": T0,
        "finished_at": T0 + timedelta(seconds=seconds),
    }


def test_the_longest_last_time_and_the_never_timed_go_first() -> None:
    jobs = [{"site": s} for s in ("fast", "new", "slow", "medium")] + [{"start_url": "http://x/"}]
    ordered = longest_first(jobs, {"fast": 8.0, "slow": 61.5, "medium": 20.0})
    assert [j.get("site") for j in ordered] == ["new", None, "slow", "medium", "fast"]


def test_durations_are_kept_merged_and_an_incomplete_run_keeps_the_earlier_figure(
    tmp_path: Path,
) -> None:
    remember_durations(tmp_path, [_report("a", 12.34), _report("b", 60)])
    remember_durations(tmp_path, [_report("a", 9), _report("b", 2, "incomplete")])
    assert load_durations(tmp_path) == {"a": 9.0, "b": 60.0}
    assert not list(tmp_path.glob(".*.tmp"))  # replaced whole


def test_an_unreadable_file_is_said_and_the_given_order_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    durations_path(tmp_path).write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="crawler.siteorder"):
        assert load_durations(tmp_path) == {}
    assert "site durations not read" in caplog.text
    remember_durations(tmp_path, [_report("a", 5)])  # the next run writes a good file
    assert load_durations(tmp_path) == {"a": 5.0}


def test_the_slow_site_of_last_night_starts_first_tonight(
    make_portal: MakePortal, run_cli: RunCli, data_dir: Path
) -> None:
    """One place in the pool: the first night crawls A then B (the order named, neither timed);
    B's pages are slow, so the second night starts with B."""
    a, b = make_portal(A), make_portal(B)
    for route in b.routes.values():
        route["delay"] = 0.3
    args = ["crawl", A, B, "--base-url", f"{A}={a.base_url}", "--base-url", f"{B}={b.base_url}"]
    first = run_cli(*args, "--full", *FAST, "-s", "GOV_SITES_AT_ONCE=1")
    assert first.returncode == 0, first.stderr[-3000:]
    assert max(a.arrivals) < min(b.arrivals)
    kept = json.loads(durations_path(data_dir).read_text(encoding="utf-8"))
    assert kept[B] > kept[A] > 0
    seen_a, seen_b = len(a.arrivals), len(b.arrivals)
    second = run_cli(*args, *FAST, "-s", "GOV_SITES_AT_ONCE=1")
    assert second.returncode == 0, second.stderr[-3000:]
    tonight_a, tonight_b = a.arrivals[seen_a:], b.arrivals[seen_b:]
    assert tonight_a and tonight_b
    assert max(tonight_b) < min(tonight_a)
    # the order given is kept when asked
    seen_a, seen_b = len(a.arrivals), len(b.arrivals)
    third = run_cli(*args, *FAST, "-s", "GOV_SITES_AT_ONCE=1", "-s", "GOV_LONGEST_FIRST=False")
    assert third.returncode == 0, third.stderr[-3000:]
    assert max(a.arrivals[seen_a:]) < min(b.arrivals[seen_b:])
