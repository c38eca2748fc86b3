"""The store behind a crawl: lookups and batched writes off the reactor thread.

By default (``GOV_STORE_WORKER = "process"``) the store lives in a worker process of its own.
That process opens the configured store (MongoDB, or the embedded litemongo store) and runs
:class:`ArticleStore` methods one at a time, in the order they were submitted. The reactor only
pickles a batch and awaits a future, so a flush never stalls downloads or parsing, and the
store's CPU work (BSON, SQLite, litemongo's query planner) runs on another core.

Whatever the store keeps in memory stays in that process too. litemongo keeps a hash index of
every stored document in memory (about 3 KB each); in the worker process it costs the crawler
nothing, just as a MongoDB server keeps its indexes outside the crawler.

``"inline"`` runs every call in the calling thread, on a store object the caller gives; the
unit tests use it to inject a store that fails on purpose.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from typing import Any, Protocol

from pymongo.errors import PyMongoError

from crawler.exceptions import StoreUnavailable
from crawler.storage import ArticleStore, open_store

logger = logging.getLogger(__name__)

WORKER_MODES = ("process", "inline")
# what a store call can raise when the store (not our code) fails; BrokenExecutor: the worker
# process died, or the store failed to open in it; StoreUnavailable: a damaged embedded store
# file (StoreCorrupt, naming it); PyMongoError includes UnacknowledgedWrites (writes the store
# did not acknowledge, or that are not in it afterwards)
STORE_ERRORS = (PyMongoError, sqlite3.Error, OSError, BrokenExecutor, StoreUnavailable)

# -- in the worker process --------------------------------------------------------------------
_STORE: ArticleStore | None = None
PARENT_CHECK_INTERVAL = 1.0  # s


def _exit_with_parent(parent: int) -> None:
    """A crawler killed outright (SIGKILL, the OOM killer) cannot stop its worker: the worker
    notices that it was orphaned and exits, instead of lingering after every such night."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_INTERVAL)
    os._exit(1)


def _open_in_worker(uri: str | None, data_dir: str, db_name: str, timeout_ms: int) -> None:
    global _STORE
    # Ctrl-C on a terminal, or systemd stopping the service, signals the whole process group:
    # the crawler shuts down gracefully and still needs its store for the last writes, then
    # stops this process itself (ProcessStoreWorker.close)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _STORE = open_store(uri, data_dir, db_name, timeout_ms)


def _call_in_worker(method: str, args: tuple[Any, ...]) -> Any:
    assert _STORE is not None, "the worker's store failed to open"
    return getattr(_STORE, method)(*args)


def _close_in_worker() -> None:
    global _STORE
    if _STORE is not None:
        _STORE.close()
        _STORE = None


# -- in the crawler ---------------------------------------------------------------------------
class StoreWorker(Protocol):
    def submit(self, method: str, *args: Any) -> Future[Any]: ...

    def close(self) -> None: ...


async def call(worker: StoreWorker, method: str, *args: Any) -> Any:
    """Run ``ArticleStore.<method>(*args)`` on the worker; awaitable from the asyncio reactor.

    A worker interrupted mid-call (``KeyboardInterrupt``, ``SystemExit``) is a broken store,
    one of :data:`STORE_ERRORS`, so the caller spools what it was writing.
    """
    try:
        return await asyncio.wrap_future(worker.submit(method, *args))
    except (KeyboardInterrupt, SystemExit) as exc:
        raise BrokenExecutor(f"store worker interrupted: {exc!r}") from exc


class ProcessStoreWorker:
    """One worker process that owns the store; calls run in submission order."""

    def __init__(self, uri: str | None, data_dir: str, db_name: str, timeout_ms: int) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            # spawn, not fork: the crawler process runs a reactor and threads
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open_in_worker,
            initargs=(uri, data_dir, db_name, timeout_ms),
        )

    def submit(self, method: str, *args: Any) -> Future[Any]:
        return self._pool.submit(_call_in_worker, method, args)

    def close(self) -> None:
        """Wait for every submitted call, close the store, stop the process."""
        try:
            self._pool.submit(_close_in_worker).result()
        except (*STORE_ERRORS, RuntimeError) as exc:
            # a broken pool has nothing left to close; at interpreter exit (``scrapy crawl``)
            # concurrent.futures has already finished the submitted calls and refuses new ones
            logger.debug("store worker close: %r", exc)
        self._pool.shutdown(wait=True)


class InlineStoreWorker:
    """Runs each call at once in the calling thread (tests, debugging)."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def submit(self, method: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(getattr(self.store, method)(*args))
        except Exception as exc:  # noqa: BLE001 - the future carries it, as an executor's does
            future.set_exception(exc)
        return future

    def close(self) -> None:
        """The store belongs to the caller."""
