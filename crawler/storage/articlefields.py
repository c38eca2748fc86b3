"""The few article fields the national report counts, kept beside the embedded store's articles.

The national overview counts every article by site and province, its publication date and when
it was first seen (``crawler/analytics/national_files.py``): at 66,420 articles, reading every
document's bytes to cut those fields out is 0.4-0.6 s, the largest part of a ``report``. This
table, ``gov_article_fields`` in the ``articles`` collection file, keeps what was cut out of
each document (by ROWID), so that a report reads the documents written since the last one only.

It can never be out of date: triggers on litemongo's ``documents`` table (``gov_article_*``)
delete a document's row here in the same transaction as any write to the document (insert,
update, delete), whoever writes it (the crawl's store worker, a replay, litemongo's own
copies). A row is added only by the report, after it cut the fields out of a document, and
only if the document still holds exactly the bytes it cut them from (checked in the insert).
The store creates the table and its triggers when it opens (``ArticleStore.ensure_indexes``),
together; a store without them is read as before. The report adds nothing while a crawl is in
progress (its run marker, ``crawler/runstate.py``): a write to the file would make the crawl's
store worker rebuild litemongo's in-memory index.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

TABLE = "gov_article_fields"
# (ROWID, site_id, province_code, province, published_at ms, first_seen_at ms): the strings as
# their UTF-8 bytes, NULL where the document has no such field
Fields = tuple[int, bytes | None, bytes | None, bytes | None, int | None, int | None]
_TRIGGERS = {
    "gov_article_insert": ("INSERT", "new.ROWID"),
    "gov_article_update": ("UPDATE", "old.ROWID, new.ROWID"),
    "gov_article_delete": ("DELETE", "old.ROWID"),
}
_COLUMNS = (
    "rowid INTEGER PRIMARY KEY, site BLOB, code BLOB, province BLOB, published INTEGER, "
    "seen INTEGER"
)
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ({_COLUMNS})",
    *(
        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON documents "
        f"BEGIN DELETE FROM {TABLE} WHERE rowid IN ({rows}); END"
        for name, (event, rows) in _TRIGGERS.items()
    ),
)
_KEEP = (
    f"INSERT OR REPLACE INTO {TABLE} SELECT ?, ?, ?, ?, ?, ? "
    "WHERE EXISTS (SELECT 1 FROM documents WHERE ROWID = ? AND doc = ?)"
)


def has_table(conn: sqlite3.Connection) -> bool:
    """The table and all its triggers are there (made together: never one without the other)."""
    names = [TABLE, *_TRIGGERS]
    (count,) = conn.execute(
        f"SELECT count(*) FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})",
        names,
    ).fetchone()
    return int(count) == len(names)


def ensure_table(path: Path, timeout: float = 1.0) -> bool:
    """Create the table and its triggers in the ``articles`` file if it has none; ``False``
    when not now (no such file or table yet, locked). A damaged file raises."""
    if not path.is_file():
        return False
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        if has_table(conn):
            return True
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        logger.info("store: article fields kept for the report (%s)", TABLE)
        return True
    except sqlite3.OperationalError as exc:  # locked, read-only, no documents table yet
        logger.info("store: %s not made now (%s)", TABLE, exc)
        return False
    finally:
        conn.close()


def kept(conn: sqlite3.Connection) -> tuple[list[Fields], list[int]] | None:
    """The fields kept, in ROWID order, and the ROWIDs of the documents that have none (written
    since), in ROWID order; ``None`` when the store has no such table."""
    if not has_table(conn):
        return None
    rows: list[Fields] = conn.execute(f"SELECT * FROM {TABLE} ORDER BY rowid").fetchall()
    (count,) = conn.execute("SELECT count(*) FROM documents").fetchone()
    if count == len(rows):  # every document has its row (rows exist for documents only)
        return rows, []
    missing = conn.execute(
        f"SELECT ROWID FROM documents WHERE ROWID NOT IN (SELECT rowid FROM {TABLE}) ORDER BY ROWID"
    ).fetchall()
    return rows, [r for (r,) in missing]


def keep(path: Path, cut: Iterable[tuple[Fields, bytes]], timeout: float = 0.5) -> int:
    """Keep the fields cut out of documents (each with the bytes it was cut from: a document
    written since is left for the next report); returns how many were kept, 0 when the file
    is busy or read-only."""
    params = [(*fields, fields[0], blob) for fields, blob in cut]
    if not params:
        return 0
    conn = sqlite3.connect(path, timeout=timeout)
    try:
        # as litemongo writes (WAL, no sync at each commit): a power cut may lose what was
        # kept, never make it wrong, and the next report cuts those fields again
        conn.execute("PRAGMA synchronous=NORMAL")
        with conn:
            before = conn.total_changes
            conn.executemany(_KEEP, params)
            return conn.total_changes - before
    except sqlite3.OperationalError as exc:
        logger.info("report: article fields not kept now (%s)", exc)
        return 0
    finally:
        conn.close()
