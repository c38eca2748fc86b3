"""Shared fixtures: stores (embedded always, real MongoDB when CRAWLER_TEST_MONGO_URI is set)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.miniportal import SITES_DIR, MiniPortal
from crawler.storage import ArticleStore, open_store
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import cli_env

ROOT = Path(__file__).resolve().parents[1]
MONGO_URI = os.environ.get("CRAWLER_TEST_MONGO_URI")


@pytest.fixture(
    params=[
        pytest.param("embedded", id="embedded"),
        pytest.param("mongo", id="mongo", marks=pytest.mark.mongo),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleStore]:
    """The store contract runs on both back ends; ``-m mongo`` selects the real server."""
    if request.param == "embedded":
        st = open_store(None, tmp_path)
        yield st
        st.close()
        return
    if not MONGO_URI:
        pytest.fail("-m mongo needs CRAWLER_TEST_MONGO_URI pointing at a real MongoDB")
    db_name = f"govtest_{uuid.uuid4().hex[:8]}"
    st = open_store(MONGO_URI, tmp_path, db_name=db_name)
    st = ArticleStore(st.db.client[db_name], st.description, embedded=False)
    st.ensure_indexes()
    yield st
    st.db.client.drop_database(db_name)
    st.close()


@pytest.fixture
def make_portal(tmp_path: Path) -> Iterator[MakePortal]:
    started: list[MiniPortal] = []

    def make(site: str, host: str = "127.0.0.1") -> MiniPortal:
        folder = tmp_path / "portals" / f"{site}-{len(started)}"
        shutil.copytree(SITES_DIR / site, folder)
        portal = MiniPortal(folder, host=host)
        portal.start()
        started.append(portal)
        return portal

    yield make
    for portal in started:
        portal.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run_cli(data_dir: Path) -> RunCli:
    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "crawler", *args],
            cwd=ROOT,
            env=cli_env(data_dir, **(env or {})),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run


@pytest.fixture
def stored(data_dir: Path) -> OpenStore:
    def open_it() -> ArticleStore:
        return open_store(None, data_dir)

    return open_it


# tests that need something this machine may not have run only when ``-m`` names their marker
# (``-m redis``, ``-m "mongo or redis"``); any other selection, ``-m "not slow"`` included,
# leaves them out
NEEDS = ("network", "mongo", "redis", "deploy")
# folders whose tests crawl a local portal or start processes: ``-m slow``; ``-m "not slow"``
# is the quick loop for everyday work
SLOW_FOLDERS = ("crawl", "faults", "distributed", "deploy", "alerts", "live")
SLOW_FIXTURES = ("run_cli", "make_portal", "portal")
# modules whose tests run the CLI or the store worker in a subprocess, or a browser
SLOW_MODULES = (
    "test_cli_analytics.py",
    "test_cli_extract.py",
    "test_worker.py",
    "test_registry_sites.py",
    "test_sites_cli.py",
    "test_registry_units.py",
    "test_report_render.py",
    "test_replay_lock.py",
    "test_export.py",
    "test_export_xlsx.py",
    "test_serve.py",
    "test_report.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    named = config.option.markexpr or ""
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        folder = item.path.relative_to(ROOT / "tests").parts[0]
        fixtures = getattr(item, "fixturenames", ())
        if (
            folder in SLOW_FOLDERS
            or item.path.name in SLOW_MODULES
            or any(name in fixtures for name in SLOW_FIXTURES)
        ):
            item.add_marker(pytest.mark.slow)
        needs = [m for m in NEEDS if item.get_closest_marker(m)]
        (drop if any(m not in named for m in needs) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
