"""A local, fsynced JSON-lines spool for items the store could not take.

When the store is lost mid-run, the store pipeline appends every pending write here and keeps
going. The next run (or ``python -m crawler replay``) writes the spool back; article upserts
and site-statistics snapshots are idempotent, so a replay interrupted halfway can simply run
again without duplicating anything.

A record the store refuses (a value it cannot hold, a write error naming that record) would
fail every replay: it goes to the dead-letter file instead (``dead-letter.jsonl``, the spool's
own line format plus ``reason`` and ``at``), and the rest is stored. Nothing reads that file back:
it is for a person, who can fix a line and append it to ``pending.jsonl`` to replay it.
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

from crawler.storage.store import RECORD_ERRORS, ArticleStore, Refused, value_refusal

logger = logging.getLogger(__name__)
_OPTIONS = JSONOptions(tz_aware=True, tzinfo=UTC)


def _append_lines(path: Path, records: list[dict[str, Any]]) -> None:
    """Append one JSON line per record and fsync; returns only when they are on disk."""
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json_util.dumps(record, json_options=_OPTIONS) + "\n" for record in records)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(lines)
        fh.flush()
        os.fsync(fh.fileno())


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


class DeadLetter:
    """Records the store refused, with the reason; kept for a person, never replayed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def append(self, kind: str, refused: list[Refused]) -> None:
        at = datetime.now(UTC)
        _append_lines(self.path, [
            {"kind": kind, "reason": r.reason, "at": at, "doc": r.doc} for r in refused
        ])

    def count(self) -> int:
        return _count_lines(self.path)


class Spool:
    def __init__(self, directory: str | Path, dead_letter: str | Path | None = None) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "pending.jsonl"
        self.dead_letter = DeadLetter(dead_letter or self.directory / "dead-letter.jsonl")
        self.dead_lettered = 0  # by the last replay

    def append(self, kind: str, docs: list[dict[str, Any]]) -> None:
        """Write and fsync; returns only when the records are on disk."""
        _append_lines(self.path, [{"kind": kind, "doc": doc} for doc in docs])

    def pending(self) -> int:
        return _count_lines(self.path)

    def _records(self, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json_util.loads(line, json_options=_OPTIONS)
                    kind, doc = record["kind"], record["doc"]
                    if not isinstance(doc, dict):
                        raise TypeError(f"not a document: {doc!r}")
                except (ValueError, KeyError, TypeError):
                    # a line cut by a crash mid-write (or no spool record at all): keep it
                    # aside, never lose it silently
                    logger.error("spool %s:%d is unreadable; kept in %s.bad", path, number, path)
                    with path.with_suffix(".bad").open("a", encoding="utf-8") as bad:
                        bad.write(line)
                    continue
                yield kind, doc

    def replay(self, store: ArticleStore, batch_size: int = 500) -> int:
        """Write every spooled record to ``store``; the spool is removed only after success.

        Returns the number of records stored; those the store refuses go to the dead-letter
        file (counted in ``dead_lettered``) instead of failing the replay.
        """
        self.dead_lettered = 0
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
            if kind == "article":
                articles.append(doc)
                if len(articles) >= batch_size:
                    count += self._replay_articles(store, articles, now)
                    articles = []
            else:
                count += self._replay_one(store, kind, doc)
        count += self._replay_articles(store, articles, now)
        work.unlink()
        logger.info("replayed %d spooled records into %s", count, store.description)
        if self.dead_lettered:
            logger.error("replay: the store refused %d spooled records; they are in %s",
                         self.dead_lettered, self.dead_letter.path)
        return count

    def _refuse(self, kind: str, refused: list[Refused]) -> None:
        if not refused:
            return
        logger.warning("replay: the store refused %d %s records (%s); dead-lettered",
                       len(refused), kind, refused[0].reason)
        self.dead_letter.append(kind, refused)
        self.dead_lettered += len(refused)

    def _replay_articles(
        self, store: ArticleStore, articles: list[dict[str, Any]], now: datetime
    ) -> int:
        if not articles:
            return 0
        refused = store.upsert_articles(articles, now).refused
        self._refuse("article", refused)
        return len(articles) - len(refused)

    def _replay_one(self, store: ArticleStore, kind: str, doc: dict[str, Any]) -> int:
        """A site-statistics snapshot or a run record; 1 if stored, 0 if refused."""
        writers = {"site_stats": store.insert_site_stats, "run": store.record_run}
        reason = value_refusal(doc) if kind in writers else f"unknown record kind {kind!r}"
        if reason is None:
            try:
                writers[kind](doc)
                return 1
            except RECORD_ERRORS as exc:
                reason = f"{type(exc).__name__}: {exc}"
        self._refuse(kind, [Refused(doc, reason)])
        return 0
