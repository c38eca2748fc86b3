"""Helpers of the deploy tests: child processes that see nothing of the checkout."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# not part of a fresh clone (or written by builds): left out of the copy the tests build from
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "data",
    "logs",
    "spool",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "report.html",
)
# variables that would point a child process at the checkout, a real MongoDB or other data
_LEAKY = (
    "PYTHONPATH",
    "MONGO_URI",
    "CRAWLER_DATA_DIR",
    "CRAWLER_PROFILES_DIR",
    "CRAWLER_REGISTRY",
    "CRAWLER_EGG_CACHE",
    "SCRAPY_SETTINGS_MODULE",
    "SCRAPY_PROJECT",
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    return {**env, **extra}


def venv_bin(name: str) -> Path:
    """A console script beside the interpreter running the tests (e.g. ``.venv/bin/scrapyd``)."""
    path = Path(os.path.abspath(sys.executable)).parent / name  # abspath: keep the venv link
    if not path.exists():
        pytest.fail(f"{path} missing: pip install -r requirements-dev.txt")
    return path
