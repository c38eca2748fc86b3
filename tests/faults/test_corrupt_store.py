"""A damaged embedded store file (issue 13: "a corrupt embedded store file: exit 3 'database
disk image is malformed' without naming the file or a way to recover; a truncated
`crawl_runs` silently empties the history").

Each case damages a real store file (truncated, header overwritten, a page overwritten), then
runs ``python -m crawler runs``: exit 3, one line naming the file and the recovery step. The
recovery step printed is then followed, and the store works again.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.storage import open_store
from crawler.storage.files import StoreCorrupt, check_damage
from crawler.storage.spool import Spool
from tests.helpers import cli_env

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PAGE = 4096


def make_store(data: Path) -> Path:
    """A store with 60 runs and 300 articles, closed (its WAL folded into the files)."""
    store = open_store(None, data)
    for i in range(60):
        store.record_run({"run_id": f"r{i}", "site_id": "nd-giaothuy", "verdict": "healthy",
                          "started_at": NOW + timedelta(hours=i), "problems": ["x" * 300]})
    store.upsert_articles([{"canonical_url": f"u{i}", "url": f"u{i}", "title": "t" * 2000}
                           for i in range(300)], NOW)
    store.close()
    return data / "store" / "govnews"


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def garbage(n: int) -> bytes:
    return bytes((i * 7 + 13) % 256 for i in range(n))


DAMAGE = {
    "crawl_runs truncated to 0 bytes": ("crawl_runs", lambda p: os.truncate(p, 0), "empty"),
    "crawl_runs truncated to half": (
        "crawl_runs", lambda p: os.truncate(p, p.stat().st_size // 2 // PAGE * PAGE), "truncated"),
    "crawl_runs truncated mid-page": (
        "crawl_runs", lambda p: os.truncate(p, p.stat().st_size - 100), "truncated"),
    "crawl_runs header overwritten": (
        "crawl_runs", lambda p: overwrite(p, 0, b"\0" * 100), "not an SQLite database"),
    "crawl_runs page overwritten": (
        "crawl_runs", lambda p: overwrite(p, 2 * PAGE, garbage(PAGE)), ""),
    "articles pages overwritten": (
        "articles", lambda p: overwrite(p, 5 * PAGE, garbage(2 * PAGE)), ""),
}


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=cli_env(data),
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_store_file_is_named_with_the_recovery_step(tmp_path, case):
    data = tmp_path / "data"
    db_dir = make_store(data)
    name, damage, what = DAMAGE[case]
    damage(db_dir / name)
    Spool(data / "spool").append("article", [{"canonical_url": "s1", "url": "s1", "title": "t"}])

    result = run(data, "runs")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if str(db_dir / name) in line]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"error: store unavailable: embedded store file {db_dir / name} "
                           "is damaged: "), line
    assert what in line
    assert "mkdir -p" in line and "mv " in line and "backup" in line
    assert "python -m crawler replay" in line and str(data / "spool" / "pending.jsonl") in line
    assert "no runs recorded" not in result.stderr and not result.stdout

    # the recovery step, as printed: move the file aside, then the store opens again
    command = re.search(r"recover, with no crawl running: (mkdir -p (\S+) && mv \S+ \S+/) \(", line)
    assert command, line
    subprocess.run(command.group(1), shell=True, check=True)
    for sidecar in ("-wal", "-shm"):
        if Path(f"{db_dir / name}{sidecar}").exists():
            Path(f"{db_dir / name}{sidecar}").rename(Path(command.group(2)) / f"{name}{sidecar}")
    assert not (db_dir / name).exists()
    again = run(data, "runs")
    assert again.returncode == 0, again.stderr[-2000:]
    replayed = run(data, "replay")
    assert replayed.returncode == 0 and "replayed 1 records" in replayed.stdout
    store = open_store(None, data)
    assert store.articles.find_one({"canonical_url": "s1"}) is not None
    assert store.count_articles() == (1 if name == "articles" else 301)
    store.close()


def test_an_intact_store_is_not_flagged(tmp_path):
    db_dir = make_store(tmp_path / "data")
    for path in db_dir.iterdir():
        if not path.name.endswith(("-wal", "-shm")):
            assert check_damage(path) is None, path
    result = run(tmp_path / "data", "runs", "--last", "100")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 60


def test_damage_found_while_in_use_names_the_file(tmp_path, monkeypatch):
    """SQLite reports damage met after the store opened as 'malformed', naming no file: the
    store traces it to its file."""
    data = tmp_path / "data"
    db_dir = make_store(data)
    store = open_store(None, data)
    overwrite(db_dir / "crawl_runs", 2 * PAGE, garbage(PAGE))

    def malformed(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(store.crawl_runs, "find", malformed)
    monkeypatch.setattr("crawler.storage.recent.newest_runs", lambda *a: None)  # the query path
    with pytest.raises(StoreCorrupt, match=re.escape(f"{db_dir / 'crawl_runs'} is damaged")):
        store.recent_runs()
    monkeypatch.setattr("crawler.storage.recent.newest_runs", malformed)  # the file's end read
    with pytest.raises(StoreCorrupt, match=re.escape(f"{db_dir / 'crawl_runs'} is damaged")):
        store.recent_runs()
    store.close()
