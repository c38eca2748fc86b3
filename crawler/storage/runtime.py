"""One store per process and configuration, shared by the spider, pipelines and extensions."""

from __future__ import annotations

import atexit
from pathlib import Path

from scrapy.settings import BaseSettings

from crawler.storage import ArticleStore, open_store
from crawler.storage.spool import Spool

_STORES: dict[tuple[str, str, str], ArticleStore] = {}


def _key(settings: BaseSettings) -> tuple[str, str, str]:
    return (
        settings.get("MONGO_URI") or "",
        str(Path(settings.get("GOV_DATA_DIR", "data")).expanduser().resolve()),
        settings.get("GOV_DB_NAME", "govnews"),
    )


def store_from_settings(settings: BaseSettings) -> ArticleStore:
    """The shared store; opened (and indexes ensured) on first use. Raises StoreUnavailable."""
    key = _key(settings)
    if key not in _STORES:
        _STORES[key] = open_store(
            key[0] or None, key[1], key[2], settings.getint("GOV_STORE_TIMEOUT_MS", 5000)
        )
    return _STORES[key]


def spool_from_settings(settings: BaseSettings) -> Spool:
    directory = settings.get("GOV_SPOOL_DIR") or Path(settings.get("GOV_DATA_DIR", "data")) / "spool"
    return Spool(directory)


def close_stores() -> None:
    while _STORES:
        _, store = _STORES.popitem()
        store.close()


atexit.register(close_stores)
