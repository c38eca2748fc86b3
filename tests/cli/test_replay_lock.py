"""``replay`` takes the crawl's run lock (issue 13): it never runs alongside a crawl, which
replays the same spool and writes to the same store. Real processes on both sides.

A second command is refused as a second crawl is: one line naming the holder, exit 4, and the
spool left as it was.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from crawler.miniportal import SITES_DIR, MiniPortal
from crawler.storage import open_store
from crawler.storage.spool import Spool
from tests.helpers import FAST, cli_env

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 20
LOCKED = 4

# ``python -m crawler replay`` whose first store write waits for a gate file: the test sees the
# replay holding the lock for as long as it needs, with no timing involved
GATED_REPLAY = r"""
import os, sys, time
from pathlib import Path
from crawler.storage import store as store_module

gate = Path(os.environ["REPLAY_GATE"])
upsert = store_module.ArticleStore.upsert_articles

def gated(self, docs, now):
    Path(str(gate) + ".waiting").touch()
    while not gate.exists():
        time.sleep(0.02)
    return upsert(self, docs, now)

store_module.ArticleStore.upsert_articles = gated
from crawler.cli import main
sys.exit(main(["replay"]))
"""


def fill_spool(data_dir: Path) -> Spool:
    spool = Spool(data_dir / "spool", data_dir / "dead-letter.jsonl")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    spool.append(
        "article",
        [
            {
                "canonical_url": f"http://x.gov.vn/tin/{i}",
                "url": f"http://x.gov.vn/tin/{i}",
                "site_id": "x",
                "title": f"Tin {i}",
                "body": "Nội dung",
                "content_hash": f"h{i}",
                "fetched_at": now,
                "views": i,
            }
            for i in range(RECORDS)
        ],
    )
    return spool


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT,
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def wait_until(condition: Callable[[], bool], what: str, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            _, err = child.communicate(timeout=60)
            raise AssertionError(f"never saw {what} (exit {child.returncode}): {err[-3000:]}")
        time.sleep(0.02)


def assert_refused(result: subprocess.CompletedProcess[str], holder: int) -> None:
    assert result.returncode == LOCKED, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: not started: another run (pid {holder}) holds ")
    assert lines[0].endswith("crawl.lock")


def stored(data_dir: Path) -> int:
    store = open_store(None, data_dir)
    try:
        return store.articles.count_documents({})
    finally:
        store.close()


def test_a_replay_holds_the_lock_against_crawl_and_replay(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    spool = fill_spool(data_dir)
    gate = tmp_path / "gate"
    first = subprocess.Popen(
        [sys.executable, "-c", GATED_REPLAY],
        cwd=ROOT,
        text=True,
        env=cli_env(data_dir, REPLAY_GATE=str(gate)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(Path(f"{gate}.waiting").exists, "the replay storing", first)
        # a crawl is refused before it fetches anything (this address would not answer)
        assert_refused(
            cli(data_dir, "crawl", "nd-giaothuy", "--base-url", "http://127.0.0.1:9/"), first.pid
        )
        assert_refused(cli(data_dir, "replay"), first.pid)  # and so is a second replay
        gate.touch()
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, err[-3000:]
    assert f"replayed {RECORDS} records" in out
    assert spool.pending() == 0 and stored(data_dir) == RECORDS
    again = cli(data_dir, "replay")  # the lock was released with the process
    assert again.returncode == 0, again.stderr[-3000:]
    assert "replayed 0 records" in again.stdout


def test_a_crawl_holds_the_lock_against_replay(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    folder = tmp_path / "portal"
    shutil.copytree(SITES_DIR / "nd-giaothuy", folder)
    routes = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
    for route in routes.values():  # every page answers after 10 s: the crawl waits
        route["delay"] = 10
    (folder / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    with MiniPortal(folder) as portal:
        crawl = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler",
                "crawl",
                "nd-giaothuy",
                "--base-url",
                portal.base_url,
                *FAST,
            ],
            cwd=ROOT,
            env=cli_env(data_dir),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            # robots.txt answers at once; the crawl is past its own spool replay, waiting
            wait_until(lambda: portal.hits("/huyengiaothuy") > 0, "the crawl fetching", crawl)
            spool = fill_spool(data_dir)
            assert_refused(cli(data_dir, "replay"), crawl.pid)
            assert spool.pending() == RECORDS  # untouched
        finally:
            crawl.send_signal(signal.SIGTERM)
            try:
                crawl.communicate(timeout=90)
            except subprocess.TimeoutExpired:
                crawl.kill()
                crawl.communicate()
    result = cli(data_dir, "replay")
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"replayed {RECORDS} records" in result.stdout
    assert spool.pending() == 0
