"""Deploy tests build from a copy of the source tree: builds write ``build/`` and ``*.egg-info``
next to ``setup.py``, and the working tree must stay as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.deploy.support import NOT_SOURCE, ROOT


@pytest.fixture(scope="session")
def source_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository as a clone has it, tests included (the builds must leave them out)."""
    dest = tmp_path_factory.mktemp("source") / "gov-crawler"
    shutil.copytree(ROOT, dest, ignore=NOT_SOURCE)
    return dest
