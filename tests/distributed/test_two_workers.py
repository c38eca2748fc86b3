"""Two crawl workers share one Redis queue and one store: every article fetched and stored once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from crawler.miniportal import MiniPortal
from crawler.storage import open_store
from tests.miniportals.generate import generate_portal

ROOT = Path(__file__).resolve().parents[2]
N_ARTICLES = 240
SUMMARY = re.compile(
    r"^\S+ \S+ \S+ nd-giaothuy: (\w+) listing=(\d+) article=(\d+) new=(\d+) .*$", re.MULTILINE
)
# a worker that happened to fetch only article pages is judged "failed: no listing page" by the
# per-process run report; see docs/scaling.md (known limitation)

pytestmark = pytest.mark.redis


def start_worker(
    name: str,
    portal: MiniPortal,
    redis_url: str,
    job: str,
    data_dir: Path,
    tmp_path: Path,
    *settings: str,
) -> subprocess.Popen[str]:
    """A ``crawl`` worker process; ``settings`` (``NAME=VALUE``) override the defaults here."""
    env = {**os.environ, "CRAWLER_DATA_DIR": str(data_dir)}
    env.pop("MONGO_URI", None)
    args = [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        "nd-giaothuy",
        "--base-url",
        portal.base_url,
        "--full",
        "--max-pages",
        "100",
        "-s",
        "GOV_PROFILE_DELAYS=False",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "LOG_LEVEL=INFO",
        "-s",
        f"GOV_REDIS_URL={redis_url}",
        "-s",
        f"GOV_REDIS_JOB={job}",
        "-s",
        f"GOV_WORKER_ID={name}",
        "-s",
        f"USER_AGENT=gov-crawler-test ({name})",
        # workers on one machine share the data folder: one run lock and spool each
        "-s",
        f"GOV_LOCK_FILE={tmp_path / f'{name}.lock'}",
        "-s",
        f"GOV_SPOOL_DIR={tmp_path / f'spool-{name}'}",
    ]
    for setting in settings:
        args += ["-s", setting]
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_workers_share_the_crawl(tmp_path: Path, redis_url: str) -> None:
    import redis

    site = generate_portal(tmp_path / "portal", N_ARTICLES, per_page=20, in_memory=True)

    both_started = threading.Event()

    def slow_render(target: str) -> tuple[int, dict[str, str], bytes] | None:
        # a start barrier: no article page is served before both workers have sent a request
        # (a worker that starts seconds late on a loaded machine would otherwise find the job
        # done), bounded so that a worker that never comes fails the assertions, not the run
        if not both_started.is_set():
            agents = [ua for ua in list(portal.user_agents) if ua.startswith("gov-crawler-test")]
            if len(agents) == 2:
                both_started.set()
            elif target.startswith("/tin-moi/"):
                both_started.wait(timeout=90)
        time.sleep(0.01)  # a little latency, so that both workers are busy at the same time
        return site.render(target)

    portal = MiniPortal(tmp_path / "portal", renderer=slow_render)
    portal.start()
    job = f"test-{uuid.uuid4().hex[:8]}"
    data_dir = tmp_path / "data"
    try:
        workers = {
            name: start_worker(name, portal, redis_url, job, data_dir, tmp_path)
            for name in ("worker-a", "worker-b")
        }
        outputs = {name: proc.communicate(timeout=240) for name, proc in workers.items()}
    finally:
        portal.stop()

    per_worker: dict[str, int] = {}
    for name, (out, err) in outputs.items():
        assert "Traceback" not in err, f"{name}:\n{err[-3000:]}"
        match = SUMMARY.search(out)
        assert match, f"{name} printed no summary:\n{out}\n{err[-3000:]}"
        verdict, _listing, articles, _new = match.groups()
        code = workers[name].returncode
        assert (code, verdict) == (0, "HEALTHY"), f"{name}: exit {code}: {out}\n{err[-3000:]}"
        assert f"worker {name} joined job {job}" in err
        per_worker[name] = int(articles)

    # both workers did work, and together fetched every article page exactly once
    assert all(n > 0 for n in per_worker.values()), per_worker
    assert sum(per_worker.values()) == N_ARTICLES, per_worker
    fetched = Counter(p for p in portal.requests if p.startswith("/tin-moi/"))
    assert set(fetched) == set(site.article_paths())
    assert max(fetched.values()) == 1, [p for p, n in fetched.items() if n > 1]
    listings = Counter(p for p in portal.requests if p.startswith("/huyengiaothuy/"))
    assert len(listings) == site.listing_pages and max(listings.values()) == 1, listings
    by_agent = {ua: n for ua, n in portal.user_agents.items() if ua.startswith("gov-crawler-test")}
    assert sorted(by_agent) == ["gov-crawler-test (worker-a)", "gov-crawler-test (worker-b)"]
    assert all(n > 0 for n in by_agent.values()), by_agent

    # one shared store: each article stored exactly once
    store = open_store(None, data_dir)
    try:
        urls = [d["canonical_url"] for d in store.articles.find({}, {"canonical_url": 1})]
        assert len(urls) == N_ARTICLES == len(set(urls))
        # served from the local portal, articles keep the site's real URLs as ids
        stored_paths = {u.removeprefix("http://giaothuy.namdinh.gov.vn") for u in urls}
        assert stored_paths == set(site.article_paths())
        sample = store.articles.find_one(
            {"url": portal.base_url.rstrip("/") + site.article(7).path}
        )
        assert sample is not None
        assert sample["title"] == site.article(7).title
        assert sample["author"] == site.article(7).author
        assert sample["views"] == site.article(7).views
    finally:
        store.close()

    # the last worker out deleted the finished job's keys
    client = redis.Redis.from_url(redis_url)
    assert client.keys(f"gov:{job}:*") == []
    client.close()


def test_worker_fails_fast_when_redis_is_down(tmp_path: Path, redis_url: str) -> None:
    """A wrong Redis URL is a clear error before anything is fetched, never a local crawl."""
    from tests.distributed.conftest import free_port

    site = generate_portal(tmp_path / "portal", 5, in_memory=True)
    portal = MiniPortal(tmp_path / "portal", renderer=site.render)
    portal.start()
    try:
        proc = start_worker(
            "worker-x",
            portal,
            f"redis://127.0.0.1:{free_port()}/0",
            "down",
            tmp_path / "data",
            tmp_path,
        )
        out, err = proc.communicate(timeout=120)
    finally:
        portal.stop()
    # 3 (store unreachable) once the CLI checks Redis before crawling; 2 (run failed) without
    assert proc.returncode in (2, 3), out
    assert "Redis unreachable at redis://127.0.0.1:" in err, err[-3000:]
    assert "Traceback" not in err
    assert portal.hits() == 0  # nothing fetched, not even robots.txt
