"""How large the embedded store may grow before it should be MongoDB.

litemongo answers queries from an in-memory index over the whole collection, built in the
process that queries it (the crawl's store worker): about 3 KB of memory per stored article
(``benchmarks/store_scale.py``: 3.1-3.4 KB), and seconds to rebuild it after a restart. A
district's or a province's portals fit; a national year (about a million articles, several GB)
does not. Past :data:`EMBEDDED_MAX_ARTICLES` (``GOV_EMBEDDED_MAX_ARTICLES``; 0 turns the check
off) the crawler says so once per run, with the estimate, and points at ``MONGO_URI``.
"""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Final

logger = logging.getLogger(__name__)

EMBEDDED_MAX_ARTICLES: Final[int] = 200_000
KB_PER_ARTICLE: Final[float] = 3.4  # the store worker's growth per stored article
ARTICLES_FILE: Final[str] = "articles"


def stored_articles(db_dir: Path) -> int:
    """About how many articles the embedded database holds: the largest row id of its
    articles file (one B-tree descent, not a count of a million rows; rows are rarely
    deleted). 0 when there is no file yet or it cannot be read."""
    path = db_dir / ARTICLES_FILE
    if not path.is_file():
        return 0
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT max(ROWID) FROM documents").fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0) if row else 0


def size_warning(count: int, limit: int) -> str | None:
    """The warning for an embedded store of ``count`` articles, or ``None`` under ``limit``."""
    if limit <= 0 or count <= limit:
        return None
    need_gb = count * KB_PER_ARTICLE / 2**20
    return (
        f"the embedded store holds about {count:,} articles, over its limit of {limit:,} "
        f"(GOV_EMBEDDED_MAX_ARTICLES): its store worker needs about {need_gb:.1f} GB of "
        "memory and slows down as it grows; use MongoDB for a store this size (set "
        "MONGO_URI; docs/national.md)"
    )


def check_embedded_size(db_dir: Path, limit: int = EMBEDDED_MAX_ARTICLES) -> str | None:
    """Warn (once, in the main process, not in the store worker) when the store is too big."""
    message = size_warning(stored_articles(db_dir), limit)
    if message and multiprocessing.parent_process() is None:
        logger.warning("%s", message)
    return message
