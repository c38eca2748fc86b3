"""A replay killed at any point: the next one stores the rest exactly once and dead-letters
nothing twice (issue 13: "`replay` killed part way strands the rest of the spool; `replay` then
says 'replayed 0 records'").

Each case runs ``python -m crawler replay`` in a child process over a 5,000-record spool (with
records the store refuses), kills it with SIGKILL part way, then replays again.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo.errors import AutoReconnect

from crawler.exceptions import StoreUnavailable
from crawler.storage import ArticleStore, open_store
from crawler.storage.spool import Spool
from tests.fixturetypes import RecordProperty
from tests.helpers import cli_env

ROOT = Path(__file__).resolve().parents[2]
HUGE = 2**70  # beyond int64: the store refuses the record
TOTAL = 5000
BAD_EVERY = 250
NOW = datetime(2026, 1, 1, tzinfo=UTC)

# the replay command, with a fault injected in the child process
CHILD = r"""
import os, signal, sys, time
from crawler.storage import store as store_module
from crawler.storage import spool as spool_module

fault = os.environ["REPLAY_FAULT"]
upsert = store_module.ArticleStore.upsert_articles
append = spool_module.DeadLetter.append
calls = {"upsert": 0, "dead_letter": 0}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def slow_upsert(self, docs, now):
    result = upsert(self, docs, now)
    time.sleep(0.25)  # a slow store: the test kills the replay while the count moves
    return result

def upsert_then_die(self, docs, now):
    result = upsert(self, docs, now)
    calls["upsert"] += 1
    if calls["upsert"] == 4:  # a batch stored, its checkpoint not yet written
        die()
    return result

def dead_letter_then_die(self, kind, refused, refs=None):
    append(self, kind, refused, refs)
    calls["dead_letter"] += kind == "article"
    if calls["dead_letter"] == 3:  # dead-lettered, the batch's checkpoint not yet written
        die()

if fault == "slow":
    store_module.ArticleStore.upsert_articles = slow_upsert
elif fault == "after_store":
    store_module.ArticleStore.upsert_articles = upsert_then_die
elif fault == "after_dead_letter":
    spool_module.DeadLetter.append = dead_letter_then_die

from crawler.cli import main
sys.exit(main(["replay"]))
"""


def url(i: int) -> str:
    return f"http://x.gov.vn/tin-tuc/a-{i}"


def fill_spool(spool: Spool) -> tuple[set[str], int]:
    """5,000 articles (every 250th with a view count the store refuses) and a few snapshots,
    one of them refused too. Returns (the URLs the store can take, the records it refuses)."""
    docs: list[dict[str, Any]] = [
        {
            "canonical_url": url(i),
            "url": url(i),
            "site_id": "x",
            "title": f"Tin {i}",
            "body": "Nội dung",
            "content_hash": f"h{i}",
            "fetched_at": NOW,
            "views": HUGE if i % BAD_EVERY == 7 else i,
        }
        for i in range(TOTAL)
    ]
    for start in range(0, TOTAL, 1000):
        spool.append("article", docs[start : start + 1000])
        spool.append(
            "site_stats",
            [
                {
                    "site_id": "x",
                    "run_id": f"r{start}",
                    "captured_at": NOW,
                    "total": HUGE if start == 2000 else start,
                }
            ],
        )
    good = {d["canonical_url"] for d in docs if d["views"] != HUGE}
    return good, TOTAL - len(good) + 1


def stored_count(data_dir: Path) -> int:
    """Articles in the embedded store, read from its file as another process would."""
    path = data_dir / "store" / "govnews" / "articles"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def replay(data_dir: Path, fault: str = "none") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        text=True,
        env=cli_env(data_dir, REPLAY_FAULT=fault),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def kill_when_storing(child: subprocess.Popen[str], data_dir: Path) -> int:
    """SIGKILL the child once it has stored some of the spool but not all; returns the count."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        count = stored_count(data_dir)
        if 1000 <= count < TOTAL - 1000:
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=60)
            return count
        time.sleep(0.02)
    out, err = child.communicate(timeout=60)
    pytest.fail(f"the replay was not caught part way: {out}\n{err[-3000:]}")


def check_everything_once(
    data_dir: Path, spool: Spool, good: set[str], refused: int, record: Any = None
) -> None:
    store = open_store(None, data_dir)
    try:
        urls = Counter(d["canonical_url"] for d in store.articles.find({}, {"canonical_url": 1}))
        if record is not None:  # for benchmarks/faults_table.py
            record("items_lost", len(good - set(urls)))
        assert set(urls) == good
        assert max(urls.values()) == 1
        assert store.site_stats.count_documents({}) == 4
    finally:
        store.close()
    lines = spool.dead_letter.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == refused, "a record dead-lettered twice (or lost)"
    refs = [json.loads(line)["spool"] for line in lines]
    assert len(refs) == len(set(refs))
    assert spool.pending() == 0
    assert not spool.path.exists() and not spool.work.exists() and not spool.state.exists()


@pytest.mark.parametrize("fault", ["slow", "after_store", "after_dead_letter"])
def test_a_replay_killed_part_way_is_finished_by_the_next_exactly_once(
    tmp_path: Path, fault: str, record_property: RecordProperty
) -> None:
    data_dir = tmp_path / "data"
    open_store(None, data_dir).close()
    spool = Spool(data_dir / "spool", data_dir / "dead-letter.jsonl")
    good, refused = fill_spool(spool)

    child = replay(data_dir, fault)
    if fault == "slow":
        kill_when_storing(child, data_dir)
    else:
        out, err = child.communicate(timeout=300)
        assert child.returncode == -signal.SIGKILL, f"{out}\n{err[-3000:]}"
    stranded = spool.pending()
    assert 0 < stranded < TOTAL + 5, "the records left must be counted (a crawl replays them)"
    assert 0 < stored_count(data_dir) < len(good)

    again = replay(data_dir)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, f"{out}\n{err[-3000:]}"
    assert "replayed 0 records" not in out
    assert "resuming an interrupted spool replay" in err
    check_everything_once(data_dir, spool, good, refused, record_property)

    last = replay(data_dir)
    out, _ = last.communicate(timeout=300)
    assert last.returncode == 0 and "replayed 0 records" in out
    check_everything_once(data_dir, spool, good, refused)


def test_a_replay_killed_twice_then_resumed(tmp_path: Path) -> None:
    """Killed, resumed and killed again: the second resume still stores each record once."""
    data_dir = tmp_path / "data"
    open_store(None, data_dir).close()
    spool = Spool(data_dir / "spool", data_dir / "dead-letter.jsonl")
    good, refused = fill_spool(spool)
    for fault in ("after_dead_letter", "after_store"):
        child = replay(data_dir, fault)
        out, err = child.communicate(timeout=300)
        assert child.returncode == -signal.SIGKILL, f"{out}\n{err[-3000:]}"
    # records spooled by a crawl in between are replayed after the unfinished file
    spool.append("article", [{"canonical_url": url(TOTAL), "url": url(TOTAL), "title": "Mới"}])
    good.add(url(TOTAL))
    again = replay(data_dir)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, f"{out}\n{err[-3000:]}"
    check_everything_once(data_dir, spool, good, refused)


def test_pending_counts_an_unfinished_replay(store: ArticleStore, tmp_path: Path) -> None:
    """The crawl's start replays when ``pending()`` is not 0: a replay's unfinished work file
    counts, from its checkpoint on (the old count saw only ``pending.jsonl``)."""
    spool = Spool(tmp_path)
    spool.append(
        "article", [{"canonical_url": url(i), "url": url(i), "title": "t"} for i in range(10)]
    )
    spool.path.rename(spool.work)
    assert spool.pending() == 10
    with spool.work.open("rb") as fh:
        offset = len(fh.readline()) + len(fh.readline())
    spool.save_state("abc", offset)
    assert spool.pending() == 8
    assert spool.replay(store) == 8
    assert store.count_articles() == 8 and spool.pending() == 0


def test_an_append_after_a_cut_line_starts_a_new_line(store: ArticleStore, tmp_path: Path) -> None:
    """A crash mid-append leaves a cut line; the next record must not be glued to it."""
    spool = Spool(tmp_path)
    spool.path.write_text('{"kind": "article", "doc": {"canon')
    spool.append("article", [{"canonical_url": "u1", "url": "u1", "title": "t"}])
    assert spool.replay(store) == 1
    assert store.count_articles() == 1


class FailingAfter(ArticleStore):
    """The real store, lost after ``ok`` batches of articles."""

    def __init__(self, inner: ArticleStore, ok: int) -> None:
        super().__init__(inner.db, inner.description, inner.embedded)
        self.ok = ok

    def upsert_articles(self, docs: list[dict[str, Any]], now: datetime) -> Any:
        if self.ok <= 0:
            raise AutoReconnect("connection closed")
        self.ok -= 1
        return super().upsert_articles(docs, now)


def test_a_store_lost_during_a_replay_is_exit_3_and_the_rest_stays(
    store: ArticleStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path)
    spool.append(
        "article", [{"canonical_url": url(i), "url": url(i), "title": "t"} for i in range(25)]
    )
    with pytest.raises(StoreUnavailable, match=r"10 records stored, 15 left in"):
        spool.replay(FailingAfter(store, 2), batch_size=5)
    assert store.count_articles() == 10 and spool.pending() == 15
    assert spool.replay(store, batch_size=5) == 15
    assert store.count_articles() == 25 and spool.pending() == 0
