"""Scrapyd for real: a `scrapyd` from PyPI on 127.0.0.1, the project deployed with
`scrapyd-deploy` (the egg it builds: profiles and registry in, tests out), `portal` scheduled
against the nd-giaothuy mini portal, and the articles found in the store."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.storage import open_store
from tests.deploy.support import clean_env, venv_bin

pytestmark = pytest.mark.deploy

PROJECT = "gov-crawler"
SITE = "nd-giaothuy"
ARTICLES = 5  # the nd-giaothuy mini portal's articles (tests/crawl/test_portal_crawl.py)
SEED_TITLE = "Hội nghị trực tuyến công tác Dân vận năm 2021"


@dataclass
class Scrapyd:
    url: str
    workdir: Path
    proc: subprocess.Popen[bytes]

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(self.url + endpoint + query, timeout=10) as resp:
            answer: dict[str, Any] = json.loads(resp.read())
        return answer

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        body = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(self.url + endpoint, data=body, timeout=10) as resp:
            answer: dict[str, Any] = json.loads(resp.read())
        return answer

    def output(self) -> str:
        return (self.workdir / "scrapyd.out").read_text(errors="replace")[-3000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _crawler_importable_outside_checkout(cwd: Path) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "import crawler"],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    """A real Scrapyd in a temp folder (eggs, logs, dbs there; no items feed), stopped after."""
    workdir = tmp_path / "scrapyd"
    workdir.mkdir()
    if _crawler_importable_outside_checkout(workdir):
        pytest.skip(
            "gov-crawler is installed in this venv: Scrapyd's jobs would import that "
            "copy instead of the deployed egg"
        )
    port = _free_port()
    (workdir / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {workdir / 'eggs'}\n"
        f"logs_dir = {workdir / 'logs'}\n"
        f"dbs_dir = {workdir / 'dbs'}\n"
        "items_dir =\n"
        "poll_interval = 0.5\n"
    )
    # the jobs inherit this environment: the egg's data is extracted under the temp folder
    env = clean_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    with (workdir / "scrapyd.out").open("wb") as out:
        proc = subprocess.Popen(
            [venv_bin("scrapyd")],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Scrapyd(f"http://127.0.0.1:{port}/", workdir, proc)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"scrapyd exited:\n{server.output()}"
            try:
                if server.get("daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"scrapyd did not answer:\n{server.output()}"
            time.sleep(0.2)
        yield server
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop Scrapyd and its jobs (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def _deploy(source_tree: Path, scrapyd: Scrapyd, version: str) -> subprocess.CompletedProcess[str]:
    """`scrapyd-deploy <target>` from the project folder, as the README says, to a target
    added to the (copied) scrapy.cfg."""
    cfg = source_tree / "scrapy.cfg"
    base = cfg.read_text().split("\n[deploy:pytest]")[0]
    cfg.write_text(f"{base}\n[deploy:pytest]\nurl = {scrapyd.url}\nproject = {PROJECT}\n")
    return subprocess.run(
        [str(venv_bin("scrapyd-deploy")), "pytest", "-v", version],
        cwd=source_tree,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_deploy_schedule_and_store(
    scrapyd: Scrapyd, source_tree: Path, make_portal: Callable[..., Any], tmp_path: Path
) -> None:
    deployed = _deploy(source_tree, scrapyd, "r1")
    assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-3000:]
    assert json.loads(deployed.stdout.strip().splitlines()[-1])["status"] == "ok"

    # the egg Scrapyd stored: the packages with their data, no tests
    (egg,) = (scrapyd.workdir / "eggs" / PROJECT).glob("r1*.egg")
    names = set(zipfile.ZipFile(egg).namelist())
    assert {
        "crawler/profiles/cms/vnportal.toml",
        "crawler/profiles/sites/nam-dinh/giao-thuy.toml",
        "crawler/registry/sites.csv",
        "spiders/portal.py",
        "pipelines/store.py",
    } <= names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "docs/"))]
    assert scrapyd.get("listspiders.json", project=PROJECT)["spiders"] == ["portal"]

    portal = make_portal(SITE)
    data_dir = tmp_path / "data"
    job = scrapyd.post(
        "schedule.json",
        [
            ("project", PROJECT),
            ("spider", "portal"),
            ("site", SITE),
            ("base_url", portal.base_url),
            ("setting", f"GOV_DATA_DIR={data_dir}"),
            ("setting", "GOV_PROFILE_DELAYS=False"),
            ("setting", "DOWNLOAD_DELAY=0"),
            ("setting", "AUTOTHROTTLE_ENABLED=False"),
        ],
    )
    assert job["status"] == "ok", job
    jobid = job["jobid"]

    deadline = time.monotonic() + 90
    while True:
        jobs = scrapyd.get("listjobs.json", project=PROJECT)
        if any(j["id"] == jobid for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, f"job not finished in 90 s: {jobs}\n{scrapyd.output()}"
        time.sleep(0.5)

    log = (scrapyd.workdir / "logs" / PROJECT / "portal" / f"{jobid}.log").read_text()
    assert "unknown site" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    assert "'finish_reason': 'finished'" in log, log[-3000:]
    assert f"{SITE}: HEALTHY" in log, log[-3000:]  # the run's summary line (crawler/runsummary.py)
    # the job ran the egg: its data was extracted (crawler/eggdata.py) under XDG_CACHE_HOME
    assert list((tmp_path / "cache").glob("gov-crawler/egg-data/*/crawler/profiles/cms/*.toml"))

    store = open_store(None, data_dir)
    try:
        assert store.count_articles({"site_id": SITE}) == ARTICLES
        titles = {d["title"] for d in store.articles.find({"site_id": SITE})}
        assert SEED_TITLE in titles
        assert all(d["url"].startswith(portal.base_url) for d in store.articles.find())
    finally:
        store.close()
