"""Configuration mistakes caught before a crawl starts: one line naming the setting, exit 1.

A ``-s NAME=VALUE`` override is checked against the type of the setting's default (Scrapy's or
this project's): a boolean must read as one, a number must be a number and not negative. The
log file's folder must exist and be writable; the data folder must be a folder (or creatable)
and writable; start and base URLs must be http(s) URLs with a host.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler import config

_TRUE_FALSE = {"0", "1", "true", "false", "True", "False"}
# read with getint: a fraction fails there; every other number may be a fraction (seconds)
INTEGER_SETTINGS = frozenset(
    [
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "CONCURRENT_REQUESTS_PER_IP",
        "CONCURRENT_ITEMS",
        "RETRY_TIMES",
        "REDIRECT_MAX_TIMES",
        "DOWNLOAD_MAXSIZE",
        "DOWNLOAD_WARNSIZE",
        "CLOSESPIDER_PAGECOUNT",
        "CLOSESPIDER_ITEMCOUNT",
        "CLOSESPIDER_ERRORCOUNT",
        "DEPTH_LIMIT",
        "GOV_STORE_BATCH_SIZE",
        "GOV_STORE_INFLIGHT",
        "GOV_LEARN_MAX_REQUESTS",
        "GOV_STORE_TIMEOUT_MS",
    ]
)


def _default(name: str, settings: Any) -> Any:
    from scrapy.settings import default_settings

    import crawler.settings as project

    if hasattr(project, name):
        return getattr(project, name)
    return getattr(default_settings, name, None)


def check_override(name: str, value: str, settings: Any) -> None:
    """One ``-s NAME=VALUE``: readable as the setting's type, and not negative."""
    default = _default(name, settings)
    if isinstance(default, bool):
        if value not in _TRUE_FALSE:
            raise ValueError(f"setting {name}: expected True or False, got {value!r}")
        return
    if isinstance(default, int | float) and not isinstance(default, bool):
        kind = int if name in INTEGER_SETTINGS else float
        try:
            number = kind(value)
        except ValueError:
            word = "an integer" if kind is int else "a number"
            raise ValueError(f"setting {name}: expected {word}, got {value!r}") from None
        if number < 0:
            raise ValueError(f"setting {name}: must not be negative, got {value!r}")


def check_url(option: str, value: str | None) -> None:
    if value is None:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{option}: expected an http(s) URL with a host, got {value!r}")


def check_paths(settings: Any) -> None:
    log_file = settings.get("LOG_FILE")
    if log_file:
        folder = Path(log_file).parent
        if not folder.is_dir():
            raise ValueError(f"setting LOG_FILE: folder {str(folder)!r} does not exist")
        if not os.access(folder, os.W_OK):
            raise ValueError(f"setting LOG_FILE: folder {str(folder)!r} is not writable")
    data = Path(config.get(settings, "GOV_DATA_DIR"))
    if data.exists() and not data.is_dir():
        raise ValueError(f"data folder {str(data)!r} (CRAWLER_DATA_DIR) is a file, not a folder")
    probe = data if data.exists() else next((p for p in data.parents if p.exists()), Path("."))
    if not os.access(probe, os.W_OK):
        raise ValueError(f"data folder {str(data)!r} (CRAWLER_DATA_DIR) is not writable")


def check_crawl_config(overrides: list[str], settings: Any, urls: dict[str, str | None]) -> None:
    """Everything a crawl is configured with; raises ``ValueError`` with one line."""
    for item in overrides:
        name, _, value = item.partition("=")
        check_override(name, value, settings)
    for option, url in urls.items():
        check_url(option, url)
    check_paths(settings)
