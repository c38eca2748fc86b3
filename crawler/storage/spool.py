"""A local, fsynced JSON-lines spool for items the store could not take.

When the store is lost mid-run, the store pipeline appends every pending write here and keeps
going. The next run (or ``python -m crawler replay``) writes the spool back; article upserts
and site-statistics snapshots are idempotent, so a replay interrupted halfway can simply run
again without duplicating anything.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bson import json_util
from bson.json_util import JSONOptions

from crawler.storage.store import ArticleStore

logger = logging.getLogger(__name__)
_OPTIONS = JSONOptions(tz_aware=True, tzinfo=UTC)


class Spool:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "pending.jsonl"

    def append(self, kind: str, docs: list[dict[str, Any]]) -> None:
        """Write and fsync; returns only when the records are on disk."""
        if not docs:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        lines = "".join(
            json_util.dumps({"kind": kind, "doc": doc}, json_options=_OPTIONS) + "\n"
            for doc in docs
        )
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(lines)
            fh.flush()
            os.fsync(fh.fileno())

    def pending(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open(encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())

    def _records(self, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json_util.loads(line, json_options=_OPTIONS)
                except ValueError:
                    # a line cut by a crash mid-write: keep it aside, never lose it silently
                    logger.error("spool %s:%d is unreadable; kept in %s.bad", path, number, path)
                    with path.with_suffix(".bad").open("a", encoding="utf-8") as bad:
                        bad.write(line)
                    continue
                yield record["kind"], record["doc"]

    def replay(self, store: ArticleStore, batch_size: int = 500) -> int:
        """Write every spooled record to ``store``; the spool is removed only after success."""
        if not self.path.exists():
            return 0
        work = self.path.with_suffix(".replaying")
        if not work.exists():
            self.path.rename(work)
        else:  # an earlier replay died: finish it first, new records stay in pending.jsonl
            logger.warning("resuming an interrupted spool replay from %s", work)
        count = 0
        articles: list[dict[str, Any]] = []
        now = datetime.now(UTC)
        for kind, doc in self._records(work):
            count += 1
            if kind == "article":
                articles.append(doc)
                if len(articles) >= batch_size:
                    store.upsert_articles(articles, now)
                    articles = []
            elif kind == "site_stats":
                store.insert_site_stats(doc)
            elif kind == "run":
                store.record_run(doc)
        store.upsert_articles(articles, now)
        work.unlink()
        logger.info("replayed %d spooled records into %s", count, store.description)
        return count
