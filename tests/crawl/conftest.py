"""Crawl tests use the shared fixtures in tests/conftest.py (mini portal, CLI runner), and:

``portal``: the unprofiled commune mini portal (tests/fixtures/unprofiled/static-rebuild/site/),
copied to a temp folder (tests may edit its pages and routes) and served on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.miniportal import MiniPortal

UNPROFILED_SITE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "unprofiled" / "static-rebuild" / "site"
)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[MiniPortal]:
    folder = tmp_path / "portal"
    shutil.copytree(UNPROFILED_SITE, folder)
    server = MiniPortal(folder)
    server.start()
    yield server
    server.stop()
