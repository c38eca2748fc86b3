"""A local, fsynced JSON-lines spool for items the store could not take.

When the store is lost mid-run, the store pipeline appends every pending write here and keeps
going. The next run (or ``python -m crawler replay``) writes the spool back.

A replay is resumable and idempotent. It first renames ``pending.jsonl`` to
``pending.replaying`` (new records then go to a new ``pending.jsonl``) and works through that
file in order, recording after each batch how far it got (``pending.replaying.state``: the byte
offset up to which every record is stored or dead-lettered, written atomically). A replay
killed at any point leaves both files; the next one (the ``replay`` command or the start of a
crawl, for which :meth:`Spool.pending` counts the unfinished file) resumes at that offset, then
replays whatever ``pending.jsonl`` gathered meanwhile. The batch that was being written when
the replay died is written again: article upserts and snapshot/run-record replaces are
idempotent, so nothing is stored twice.

A record the store refuses (a value it cannot hold, a write error naming that record) would
fail every replay: it goes to the dead-letter file instead (``dead-letter.jsonl``, the spool's
own line format plus ``reason`` and ``at``), and the rest is stored. A line dead-lettered by a
replay carries ``spool``, the replay's id and the record's offset, so a resumed replay never
dead-letters it twice. Nothing reads that file back: it is for a person, who can fix a line and
append it to ``pending.jsonl`` to replay it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bson import json_util
from bson.json_util import JSONOptions

from crawler.exceptions import StoreUnavailable
from crawler.storage import mask_secrets
from crawler.storage.store import RECORD_ERRORS, ArticleStore, Refused, value_refusal
from crawler.storage.worker import STORE_ERRORS

logger = logging.getLogger(__name__)
_OPTIONS = JSONOptions(tz_aware=True, tzinfo=UTC)


def _append_lines(path: Path, records: list[dict[str, Any]]) -> None:
    """Append one JSON line per record and fsync; returns only when they are on disk.

    A line cut by a crash mid-write is ended first, so the next record never joins it.
    """
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json_util.dumps(record, json_options=_OPTIONS) + "\n" for record in records)
    with path.open("a+b") as fh:
        if fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                lines = "\n" + lines
        fh.write(lines.encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


def _count_lines(path: Path, offset: int = 0) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        fh.seek(offset)
        return sum(1 for line in fh if line.strip())


@contextmanager
def _flock(path: Path) -> Iterator[None]:
    """Hold ``path`` exclusively (waiting for it); the kernel frees it if the holder dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class DeadLetter:
    """Records the store refused, with the reason; kept for a person, never replayed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def append(self, kind: str, refused: list[Refused], refs: list[str] | None = None) -> None:
        """``refs``: where each record came from in a replayed spool (``<replay id>:<offset>``)."""
        at = datetime.now(UTC)
        records = [{"kind": kind, "reason": r.reason, "at": at, "doc": r.doc} for r in refused]
        for record, ref in zip(records, refs or [], strict=False):
            if ref:
                record["spool"] = ref
        _append_lines(self.path, records)

    def count(self) -> int:
        return _count_lines(self.path)

    def refs(self, prefix: str) -> set[str]:
        """The ``spool`` refs starting with ``prefix`` already in the file."""
        found: set[str] = set()
        if not self.path.exists():
            return found
        needle = prefix.encode("utf-8")
        with self.path.open("rb") as fh:
            for line in fh:
                if needle not in line:
                    continue
                try:
                    ref = json.loads(line).get("spool")
                except (ValueError, AttributeError):
                    continue
                if isinstance(ref, str) and ref.startswith(prefix):
                    found.add(ref)
        return found


class _Replay:
    """One pass over the work file, from its checkpoint; see the module docstring."""

    def __init__(
        self, spool: Spool, store: ArticleStore, batch_size: int, replay_id: str, offset: int
    ) -> None:
        self.spool = spool
        self.store = store
        self.batch_size = batch_size
        self.id = replay_id
        self.offset = offset  # everything before it is stored or dead-lettered
        # what a replay killed after dead-lettering (before its checkpoint) already wrote
        self.done = spool.dead_letter.refs(f"{replay_id}:") if offset else set()
        self.articles: list[tuple[str, dict[str, Any]]] = []
        self.stored = 0
        self.now = datetime.now(UTC)

    def run(self) -> int:
        end = self.offset
        for start, end, kind, doc in self.spool.records(self.spool.work, self.offset):
            ref = f"{self.id}:{start}"
            if kind == "article":
                self.articles.append((ref, doc))
                if len(self.articles) >= self.batch_size:
                    self._flush(end)
            else:  # kept in order: the articles before it first
                self._flush(start)
                self._one(ref, kind, doc)
                self._checkpoint(end)
        self._flush(end)
        return self.stored

    def _checkpoint(self, offset: int) -> None:
        self.offset = offset
        self.spool.save_state(self.id, offset)

    def _flush(self, through: int) -> None:
        """Write the buffered articles; then every record before ``through`` is done."""
        if self.articles:
            batch, self.articles = self.articles, []
            refs = {id(doc): ref for ref, doc in batch}
            refused = self.store.upsert_articles([doc for _, doc in batch], self.now).refused
            self._refuse("article", [(refs.get(id(r.doc), ""), r) for r in refused])
            self.stored += len(batch) - len(refused)
        if through > self.offset:
            self._checkpoint(through)

    def _one(self, ref: str, kind: str, doc: dict[str, Any]) -> None:
        """A site-statistics snapshot or a run record: stored, or dead-lettered."""
        writers = {"site_stats": self.store.insert_site_stats, "run": self.store.record_run}
        reason = value_refusal(doc) if kind in writers else f"unknown record kind {kind!r}"
        if reason is None:
            try:
                writers[kind](doc)
                self.stored += 1
                return
            except RECORD_ERRORS as exc:
                reason = f"{type(exc).__name__}: {exc}"
        self._refuse(kind, [(ref, Refused(doc, reason))])

    def _refuse(self, kind: str, refused: list[tuple[str, Refused]]) -> None:
        new = [(ref, r) for ref, r in refused if not ref or ref not in self.done]
        if not new:
            return
        logger.warning(
            "replay: the store refused %d %s records (%s); dead-lettered",
            len(new),
            kind,
            new[0][1].reason,
        )
        self.spool.dead_letter.append(kind, [r for _, r in new], [ref for ref, _ in new])
        self.spool.dead_lettered += len(new)
        self.done.update(ref for ref, _ in new)


class Spool:
    def __init__(self, directory: str | Path, dead_letter: str | Path | None = None) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "pending.jsonl"
        self.work = self.directory / "pending.replaying"  # the file a replay works through
        self.state = self.directory / "pending.replaying.state"  # how far it got
        self.dead_letter = DeadLetter(dead_letter or self.directory / "dead-letter.jsonl")
        self.dead_lettered = 0  # by the last replay

    def append(self, kind: str, docs: list[dict[str, Any]]) -> None:
        """Write and fsync; returns only when the records are on disk."""
        if not docs:
            return
        # never while a replay renames the file: an append to the renamed file would be lost
        with _flock(self.directory / ".lock"):
            _append_lines(self.path, [{"kind": kind, "doc": doc} for doc in docs])

    def pending(self) -> int:
        """Records waiting: in ``pending.jsonl`` and past the checkpoint of an unfinished
        replay."""
        return _count_lines(self.path) + _count_lines(self.work, self.load_state()[1])

    # -- the replay's checkpoint ---------------------------------------------------------
    def load_state(self) -> tuple[str, int]:
        """(replay id, offset) of the unfinished replay; a fresh id at 0 if none recorded."""
        try:
            state = json.loads(self.state.read_text(encoding="utf-8"))
            return str(state["id"]), int(state["offset"])
        except (OSError, ValueError, KeyError, TypeError):
            return uuid.uuid4().hex[:12], 0

    def save_state(self, replay_id: str, offset: int) -> None:
        _write_atomically(self.state, json.dumps({"id": replay_id, "offset": offset}))

    def records(
        self, path: Path, offset: int = 0
    ) -> Iterator[tuple[int, int, str, dict[str, Any]]]:
        """``(start, end, kind, doc)`` for each record of ``path`` from byte ``offset``."""
        with path.open("rb") as fh:
            fh.seek(offset)
            position = offset
            for raw in fh:
                start, position = position, position + len(raw)
                if not raw.strip():
                    continue
                try:
                    record = json_util.loads(raw.decode("utf-8"), json_options=_OPTIONS)
                    kind, doc = record["kind"], record["doc"]
                    if not isinstance(doc, dict):
                        raise TypeError(f"not a document: {doc!r}")
                except (ValueError, KeyError, TypeError):
                    # a line cut by a crash mid-write (or no spool record at all): keep it
                    # aside, never lose it silently
                    logger.error(
                        "spool %s at byte %d is unreadable; kept in %s",
                        path,
                        start,
                        self.directory / "pending.bad",
                    )
                    with (self.directory / "pending.bad").open("ab") as bad:
                        bad.write(raw if raw.endswith(b"\n") else raw + b"\n")
                    continue
                yield start, position, kind, doc

    def replay(self, store: ArticleStore, batch_size: int = 500) -> int:
        """Write every spooled record to ``store``; resumable, see the module docstring.

        Returns the number of records stored; those the store refuses go to the dead-letter
        file (counted in ``dead_lettered``) instead of failing the replay. A store lost during
        the replay raises :class:`StoreUnavailable`; what is left stays for the next replay.
        """
        self.dead_lettered = 0
        count = 0
        if not self.path.exists() and not self.work.exists():
            return 0
        with _flock(self.directory / ".replay.lock"):  # one replay at a time
            while True:
                if self.work.exists():
                    replay_id, offset = self.load_state()
                    if offset:
                        logger.warning(
                            "resuming an interrupted spool replay of %s at byte %d",
                            self.work,
                            offset,
                        )
                elif self.path.exists():
                    with _flock(self.directory / ".lock"):
                        self.path.rename(self.work)
                    replay_id, offset = uuid.uuid4().hex[:12], 0
                else:
                    break
                self.save_state(replay_id, offset)
                replay = _Replay(self, store, batch_size, replay_id, offset)
                try:
                    count += replay.run()
                except STORE_ERRORS as exc:  # the store lost, or the disk refused the spool
                    left = _count_lines(self.work, replay.offset) + _count_lines(self.path)
                    reason = f"{type(exc).__name__}: {mask_secrets(str(exc))}"
                    raise StoreUnavailable(
                        f"spool replay into {store.description} stopped ({reason}); "
                        f"{count + replay.stored} records stored, {left} left in "
                        f"{self.directory} for the next run or 'replay'"
                    ) from None
                self.work.unlink()
                self.state.unlink(missing_ok=True)
        logger.info("replayed %d spooled records into %s", count, store.description)
        if self.dead_lettered:
            logger.error(
                "replay: the store refused %d spooled records; they are in %s",
                self.dead_lettered,
                self.dead_letter.path,
            )
        return count
