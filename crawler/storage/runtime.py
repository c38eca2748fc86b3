"""One store (and store worker) per process and configuration, shared by the spider, pipelines and
extensions."""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import TYPE_CHECKING

from crawler import config
from crawler.storage import ArticleStore, open_store
from crawler.storage.spool import Spool
from crawler.storage.worker import (
    WORKER_MODES,
    InlineStoreWorker,
    ProcessStoreWorker,
    StoreWorker,
)

if TYPE_CHECKING:  # annotations only: the read-only commands do not import Scrapy
    from scrapy.settings import BaseSettings

_STORES: dict[tuple[str, str, str], ArticleStore] = {}
_WORKERS: dict[tuple[str, str, str], StoreWorker] = {}


def _key(settings: config.SettingsReader) -> tuple[str, str, str]:
    return (
        settings.get("MONGO_URI") or "",
        str(Path(config.get(settings, "GOV_DATA_DIR")).expanduser().resolve()),
        config.get(settings, "GOV_DB_NAME"),
    )


def store_from_settings(settings: config.SettingsReader) -> ArticleStore:
    """The shared store; opened (and indexes ensured) on first use. Raises StoreUnavailable."""
    key = _key(settings)
    if key not in _STORES:
        _STORES[key] = open_store(
            key[0] or None,
            key[1],
            key[2],
            config.getint(settings, "GOV_STORE_TIMEOUT_MS"),
            config.getint(settings, "GOV_EMBEDDED_MAX_ARTICLES"),
        )
    return _STORES[key]


def worker_from_settings(settings: BaseSettings) -> StoreWorker:
    """The shared store worker of this process (``GOV_STORE_WORKER``: process or inline).

    The store is opened here first, in this process, so that an unreachable store fails at
    once (StoreUnavailable) rather than inside the worker.
    """
    key = _key(settings)
    if key not in _WORKERS:
        store = store_from_settings(settings)
        mode = config.get(settings, "GOV_STORE_WORKER")
        if mode not in WORKER_MODES:
            raise ValueError(f"GOV_STORE_WORKER: {mode!r} is not one of {', '.join(WORKER_MODES)}")
        if mode == "inline":
            _WORKERS[key] = InlineStoreWorker(store)
        else:
            timeout = config.getint(settings, "GOV_STORE_TIMEOUT_MS")
            _WORKERS[key] = ProcessStoreWorker(key[0] or None, key[1], key[2], timeout)
    return _WORKERS[key]


def spool_from_settings(settings: BaseSettings) -> Spool:
    """The spool (``GOV_SPOOL_DIR``, default ``<GOV_DATA_DIR>/spool``) and its dead-letter file,
    ``<GOV_DATA_DIR>/dead-letter.jsonl``."""
    data_dir = Path(config.get(settings, "GOV_DATA_DIR"))
    directory = settings.get("GOV_SPOOL_DIR") or data_dir / "spool"
    return Spool(directory, data_dir / "dead-letter.jsonl")


def close_stores() -> None:
    """Stop the store workers (after their last calls), then close the stores."""
    try:
        while _WORKERS:
            _, worker = _WORKERS.popitem()
            worker.close()
    finally:
        while _STORES:
            _, store = _STORES.popitem()
            store.close()


atexit.register(close_stores)
