"""Every ``GOV_*`` setting the code reads has its one default in crawler/settings.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler import config
from crawler import settings as project

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""["'](GOV_[A-Z0-9_]*[A-Z0-9])["']""")


def names_read() -> set[str]:
    found: set[str] = set()
    for folder in ("crawler", "spiders", "pipelines"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(READ.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_setting_the_code_reads_is_defined_in_the_settings_module() -> None:
    names = names_read()
    assert "GOV_DATA_DIR" in names and "GOV_STORE_TIMEOUT_MS" in names
    assert sorted(n for n in names if not hasattr(project, n)) == []


def test_settings_without_the_project_module_fall_back_to_its_values() -> None:
    bare = Settings()
    assert config.get(bare, "GOV_DB_NAME") == project.GOV_DB_NAME
    assert config.getint(bare, "GOV_STORE_TIMEOUT_MS") == project.GOV_STORE_TIMEOUT_MS
    bare.set("GOV_STORE_TIMEOUT_MS", "250")
    assert config.getint(bare, "GOV_STORE_TIMEOUT_MS") == 250
    with pytest.raises(AttributeError):
        config.default("GOV_NOT_A_SETTING")
