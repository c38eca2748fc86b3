"""Analytics fixtures: a store filled by a real crawl of both mini portals, and sample data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.miniportal import SITES_DIR, MiniPortal
from crawler.storage import ArticleStore, open_store
from tests.fixturetypes import RunIn
from tests.helpers import FAST as FAST_INFO
from tests.helpers import cli_env

ROOT = Path(__file__).resolve().parents[2]
FAST = [*FAST_INFO[:-1], "LOG_LEVEL=WARNING"]
CRAWLED_SITES = ("nd-giaothuy", "hn-sotttt")


@pytest.fixture(scope="session")
def crawled_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with both mini portals crawled once through ``python -m crawler crawl``."""
    root = tmp_path_factory.mktemp("crawled")
    data = root / "data"
    for site in CRAWLED_SITES:
        folder = root / "portals" / site
        shutil.copytree(SITES_DIR / site, folder)
        with MiniPortal(folder) as portal:
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "crawler",
                    "crawl",
                    site,
                    "--base-url",
                    portal.base_url,
                    "--full",
                    *FAST,
                ],
                cwd=ROOT,
                env=cli_env(data),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        assert result.returncode == 0, result.stderr[-3000:]
    return data


@pytest.fixture
def crawled(crawled_dir: Path) -> Iterator[ArticleStore]:
    """The crawled store, to read (tests that write use ``crawled_copy``)."""
    store = open_store(None, crawled_dir)
    yield store
    store.close()


@pytest.fixture
def crawled_copy(crawled_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the crawled data dir, for tests that write."""
    target = tmp_path / "data"
    shutil.copytree(crawled_dir, target)
    return target


@pytest.fixture
def run_in() -> RunIn:
    """``python -m crawler ARGS`` in a subprocess, on a given data dir."""

    def run(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "crawler", *args],
            cwd=ROOT,
            env=cli_env(data_dir, **env),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run
