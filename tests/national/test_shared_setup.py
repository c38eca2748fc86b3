"""What every site's crawler shares in a national night is copied, never shared mutably
(crawler/settingscopy.py), and log records nobody sees are not built (crawler/leanlog.py)."""

from __future__ import annotations

import copy
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.project import get_project_settings

from crawler.leanlog import lean_logging
from crawler.settingscopy import CheapCopySettings, clone_settings
from spiders.portal import PortalSpider
from tests.conftest import ROOT
from tests.helpers import cli_env


def flat(settings: BaseSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in settings:
        value = settings[name]
        shown = value.copy_to_dict() if isinstance(value, BaseSettings) else value
        out[name] = (settings.getpriority(name), repr(shown))
    return out


def test_the_cheap_copy_equals_a_deep_copy() -> None:
    settings = get_project_settings()
    settings.set("DOWNLOAD_SLOTS", {"a.gov.vn": {"delay": 2.0}}, priority="cmdline")
    settings.set("GOV_SOMETHING", [{"nested": {1, 2}}, ("t", [3])], priority="project")
    cheap = CheapCopySettings.of(settings)
    assert flat(cheap) == flat(copy.deepcopy(settings)) == flat(cheap.copy())
    assert type(cheap.copy()) is CheapCopySettings


def test_a_crawler_changing_its_settings_changes_no_other() -> None:
    shared = CheapCopySettings.of(get_project_settings())
    shared.set("DOWNLOAD_SLOTS", {"a.gov.vn": {"delay": 2.0}}, priority="cmdline")
    before = flat(shared)
    first, second = Crawler(PortalSpider, shared), Crawler(PortalSpider, shared)
    # what use_profile_slots and extensions do to one site's crawler: set, update in place
    first.settings.set("DOWNLOAD_SLOTS", {"b.gov.vn": {"delay": 3.0}}, priority="spider")
    first.settings["DOWNLOADER_MIDDLEWARES"]["x.Middleware"] = 1
    first.settings.getdict("DOWNLOAD_SLOTS")["c.gov.vn"] = {}
    first.settings["RETRY_HTTP_CODES"].append(999)
    assert flat(shared) == before
    assert flat(second.settings) == flat(shared.copy())
    assert 999 not in second.settings["RETRY_HTTP_CODES"]
    assert "x.Middleware" not in second.settings["DOWNLOADER_MIDDLEWARES"]


def test_a_frozen_copy_stays_frozen_and_the_source_keeps_its_state() -> None:
    settings = Settings({"A": {"b": [1]}})
    settings.freeze()
    clone: Settings = clone_settings(settings)
    assert clone.frozen and clone is not settings and clone["A"] is not settings["A"]
    assert clone["A"]["b"] == [1] and clone["A"]["b"] is not settings["A"]["b"]


@pytest.fixture
def scrapy_logs_everything() -> Iterator[None]:
    scrapy_logger = logging.getLogger("scrapy")
    before = scrapy_logger.level
    scrapy_logger.setLevel(logging.NOTSET)
    yield
    scrapy_logger.setLevel(before)


@pytest.mark.usefixtures("scrapy_logs_everything")
def test_lean_logging_drops_unseen_records_and_puts_the_level_back() -> None:
    scrapy_logger = logging.getLogger("scrapy.core.engine")
    settings = Settings({"LOG_LEVEL": "WARNING"})
    with lean_logging(settings):
        assert not scrapy_logger.isEnabledFor(logging.INFO)
        assert scrapy_logger.isEnabledFor(logging.WARNING)
        assert settings.getbool("STATS_DUMP") is False
    assert logging.getLogger("scrapy").level == logging.NOTSET


@pytest.mark.usefixtures("scrapy_logs_everything")
def test_lean_logging_keeps_what_is_shown_and_an_explicit_stats_dump() -> None:
    info = Settings({"LOG_LEVEL": "INFO"})
    with lean_logging(info):
        assert logging.getLogger("scrapy").level == logging.INFO  # shown: still built
        assert info.getbool("STATS_DUMP") is True
    explicit = Settings({"LOG_LEVEL": "ERROR"})
    explicit.set("STATS_DUMP", True, priority="cmdline")
    with lean_logging(explicit):
        assert explicit.getbool("STATS_DUMP") is True
    # not Scrapy's root handler showing the records (a host application's): left alone
    embedded = Settings({"LOG_LEVEL": "ERROR", "LOG_INSTALL_ROOT_HANDLER": False})
    with lean_logging(embedded):
        assert logging.getLogger("scrapy").level == logging.NOTSET


@pytest.mark.slow  # runs the CLI in a subprocess
def test_an_unknown_share_mode_is_one_line_before_anything_starts(tmp_path: Path) -> None:
    settings = ["-s", "GOV_REDIS_URL=redis://127.0.0.1:1/0", "-s", "GOV_REDIS_SHARE=pages"]
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "nd-giaothuy", *settings],
        cwd=ROOT,
        env=cli_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "GOV_REDIS_SHARE must be one of requests, sites, got 'pages'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
