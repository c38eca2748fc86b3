"""Sites split between workers (GOV_REDIS_SHARE=sites, crawler/sitequeue.py): every site of the
night is crawled by exactly one worker, and every site gets one run record."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.miniportal import MiniPortal
from crawler.sitequeue import SharedSites
from crawler.storage import open_store
from tests.miniportals.generate import generate_portal

ROOT = Path(__file__).resolve().parents[2]
N_SITES = 6
N_ARTICLES = 5
SUMMARY = re.compile(r"^\S+ \S+ \S+ (px-split-\d+): (\w+) .*$", re.MULTILINE)

pytestmark = pytest.mark.redis


def write_registry(path: Path, ids: list[str]) -> None:
    header = (
        "id,name,province,ward_code,level,cms,base_url,status,merged_into,successor_url,evidence"
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header.split(","))
        for n, site in enumerate(ids):
            url = f"https://{site}.gov.vn/"
            row = [site, f"Xã Thử {n}", "Nam Định", "", "commune", "vnportal", url, "active"]
            writer.writerow([*row, "", "", "test"])


def start_worker(
    name: str, portals: dict[str, MiniPortal], redis_url: str, job: str, tmp_path: Path
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CRAWLER_DATA_DIR": str(tmp_path / "data"),
        "CRAWLER_REGISTRY": str(tmp_path / "registry.csv"),
    }
    env.pop("MONGO_URI", None)
    args = [sys.executable, "-m", "crawler", "crawl", *portals, "--full"]
    for site, portal in portals.items():
        args += ["--base-url", f"{site}={portal.base_url}"]
    for setting in (
        "GOV_PROFILE_DELAYS=False",
        "AUTOTHROTTLE_ENABLED=False",
        "DOWNLOAD_DELAY=0",
        "LOG_LEVEL=INFO",
        "GOV_SITES_AT_ONCE=1",  # one site at a time: each worker comes back for more
        f"GOV_REDIS_URL={redis_url}",
        "GOV_REDIS_SHARE=sites",
        f"GOV_REDIS_JOB={job}",
        f"GOV_WORKER_ID={name}",
        f"USER_AGENT=gov-crawler-test ({name})",
        f"GOV_LOCK_FILE={tmp_path / f'{name}.lock'}",
        f"GOV_SPOOL_DIR={tmp_path / f'spool-{name}'}",
    ):
        args += ["-s", setting]
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_workers_crawl_each_site_once(tmp_path: Path, redis_url: str) -> None:
    import redis

    ids = [f"px-split-{n}" for n in range(N_SITES)]
    write_registry(tmp_path / "registry.csv", ids)
    portals: dict[str, MiniPortal] = {}
    for n, site in enumerate(ids):
        generated = generate_portal(tmp_path / site, N_ARTICLES, seed=n, in_memory=True)
        portals[site] = MiniPortal(tmp_path / site, renderer=generated.render)
        portals[site].start()
    job = f"split-{uuid.uuid4().hex[:8]}"
    try:
        workers = {
            name: start_worker(name, portals, redis_url, job, tmp_path)
            for name in ("worker-a", "worker-b")
        }
        outputs = {name: proc.communicate(timeout=240) for name, proc in workers.items()}
    finally:
        for portal in portals.values():
            portal.stop()

    crawled_by: dict[str, list[str]] = {}
    for name, (out, err) in outputs.items():
        assert "Traceback" not in err, f"{name}:\n{err[-3000:]}"
        assert workers[name].returncode == 0, f"{name}: {out}\n{err[-3000:]}"
        assert f"worker {name} joined the site list of job {job}" in err
        assert "warning: workers sharing the embedded store reload its index" in err
        for site, verdict in SUMMARY.findall(out):
            assert verdict == "HEALTHY", out
            crawled_by.setdefault(site, []).append(name)
    # every site crawled, each by exactly one worker: one summary line (one run record) each
    assert sorted(crawled_by) == ids, crawled_by
    assert all(len(names) == 1 for names in crawled_by.values()), crawled_by
    # the portals' side: each one heard from one worker only, robots.txt included
    for site, portal in portals.items():
        agents = {ua for ua in portal.user_agents if ua.startswith("gov-crawler-test")}
        assert agents == {f"gov-crawler-test ({crawled_by[site][0]})"}, (site, agents)
        fetched = Counter(p for p in portal.requests if p.startswith("/tin-moi/"))
        assert len(fetched) == N_ARTICLES and max(fetched.values()) == 1, (site, fetched)

    store = open_store(None, tmp_path / "data")
    try:
        for site in ids:
            assert store.count_articles({"site_id": site}) == N_ARTICLES, site
            runs = store.recent_runs(site, 10)
            assert len(runs) == 1 and runs[0]["verdict"] == "healthy", (site, runs)
    finally:
        store.close()
    client = redis.Redis.from_url(redis_url)
    assert client.keys(f"gov:{job}:*") == []  # the list is used up, every worker has left
    client.close()


def shared(
    redis_url: str, job: str, worker: str, jobs: list[dict[str, Any]], stale: float = 60
) -> SharedSites:
    settings = Settings(
        {
            "GOV_REDIS_URL": redis_url,
            "GOV_REDIS_JOB": job,
            "GOV_WORKER_ID": worker,
            "GOV_REDIS_SITES_STALE": stale,
        }
    )
    return SharedSites(settings, jobs)


def test_a_joining_worker_shares_the_list_and_a_dead_one_does_not_hold_it(
    redis_url: str,
) -> None:
    jobs = [{"site": f"s{n}", "mode": "incremental"} for n in range(5)]
    a = shared(redis_url, "night", "a", jobs)
    b = shared(redis_url, "night", "b", jobs)  # a is live: b takes from a's list
    assert a.filled and not b.filled
    taken = [a.take(), b.take(), b.take(), a.take(), b.take(), a.take(), b.take()]
    assert [job["site"] for job in taken if job] == ["s0", "s1", "s2", "s3", "s4"]
    assert taken[-2:] == [None, None]
    a.leave()
    b.leave()
    # the next night: a worker killed mid-night (never left) holds the list only until stale
    c = shared(redis_url, "night2", "c", jobs)
    assert c.take() == jobs[0]
    d = shared(redis_url, "night2", "d", jobs)
    assert not d.filled and d.take() == jobs[1]  # c is live
    e = shared(redis_url, "night2", "e", jobs, stale=0)  # c and d silent: a new night
    assert e.filled and [e.take() for _ in range(6)][:5] == jobs
    for worker in (c, d, e):
        worker.leave()
    import redis

    client = redis.Redis.from_url(redis_url)
    assert client.keys("gov:night*") == []  # every worker left: nothing stays behind
    client.close()


def test_the_worker_list_payload_is_the_job(redis_url: str) -> None:
    jobs = [{"site": "x", "base_url": "http://127.0.0.1:1/", "mode": "full", "max_pages": 2}]
    worker = shared(redis_url, "payload", "w", jobs)
    assert worker.take() == jobs[0]
    assert worker.take() is None
    worker.leave()
