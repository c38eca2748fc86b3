"""A non-blocking exclusive lock so two crawls never overlap on the same data directory."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from crawler import config

if TYPE_CHECKING:  # annotations only: the read-only commands do not import Scrapy
    from scrapy.settings import BaseSettings


def lock_file(settings: BaseSettings) -> Path:
    """``GOV_LOCK_FILE``, else ``<GOV_DATA_DIR>/crawl.lock`` (Scrapy settings)."""
    data_dir = Path(config.get(settings, "GOV_DATA_DIR"))
    return Path(config.get(settings, "GOV_LOCK_FILE") or data_dir / "crawl.lock")


class RunLocked(RuntimeError):
    """Another process holds the run lock."""


@contextmanager
def run_lock(path: str | Path) -> Iterator[None]:
    """Hold ``path`` exclusively for the block; raise :class:`RunLocked` at once if taken.

    The kernel releases an ``flock`` when its holder dies, so a crashed run never leaves a
    stale lock behind.
    """
    lock_path = Path(path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            raise RunLocked(f"another run (pid {holder}) holds {lock_path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
