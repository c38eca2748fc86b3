"""The embedded store's files: damage found and named, with the way to recover.

litemongo keeps each collection in one SQLite file, ``<data>/store/<database>/<collection>``
(plus ``-wal`` and ``-shm`` beside it while in use). SQLite reports damage as "database disk
image is malformed" or "file is not a database", naming no file; and a file truncated to 0
bytes opens as an empty database, so a truncated ``crawl_runs`` would silently empty the run
history. Here every collection file's header is checked before the store opens, and any later
SQLite damage error is traced to its file (``PRAGMA quick_check``); either way the error is one
line naming the file and the recovery step (README "Bad input and faults").
"""

from __future__ import annotations

import sqlite3
import struct
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from crawler.exceptions import StoreUnavailable

SIDECARS = ("-wal", "-shm", "-journal")
_MAGIC = b"SQLite format 3\x00"
# SQLite's primary result codes for a damaged file
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


class StoreCorrupt(StoreUnavailable):
    """An embedded store file is damaged; the message names it and the recovery step."""


def collection_files(db_dir: Path) -> list[Path]:
    """The collection files of one embedded database (what litemongo opens), smallest first."""
    if not db_dir.is_dir():
        return []
    files = [
        p
        for p in db_dir.iterdir()
        if p.is_file() and not p.name.endswith(SIDECARS) and not p.name.startswith(".")
    ]
    return sorted(files, key=lambda p: (p.stat().st_size, p.name))


def header_damage(path: Path) -> str | None:
    """What is wrong with the file's SQLite header and size, or ``None``; reads 100 bytes."""
    size = path.stat().st_size
    if size == 0:
        # litemongo writes the header as it creates the file (journal_mode=WAL), so an empty
        # file was truncated (opened as is, it would be an empty collection), unless another
        # process is creating it this very instant
        time.sleep(0.2)
        size = path.stat().st_size
    if size == 0:
        return "it is empty (0 bytes): truncated"
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "it is not an SQLite database file (overwritten?)"
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    if page_size < 512 or page_size & (page_size - 1):
        return f"its header is damaged (page size {page_size})"
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        # in use (or left by a crash): a checkpoint may be growing the file right now, and
        # SQLite recovers from the WAL; real damage then shows as an SQLite error (explain)
        return None
    if size % page_size:
        return f"truncated ({size} bytes, not a whole number of {page_size}-byte pages)"
    if pages and valid_for == change_counter and size < pages * page_size:
        return f"truncated ({size} of the {pages * page_size} bytes its header records)"
    return None


def check_damage(path: Path) -> str | None:
    """:func:`header_damage`, then SQLite's own ``quick_check`` of every page."""
    found = header_damage(path)
    if found:
        return found
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            return None  # locked, unreadable...: not something this check can tell
        return str(exc)
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    if not problems:
        return None
    first = problems[0].replace("*** in database main ***", "")
    return f"{first} ({len(problems)} problems found by PRAGMA quick_check)"


def is_damage(exc: BaseException) -> bool:
    """An SQLite error that means a damaged file (not a lock, a full disk, a bug)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text


def recovery(path: Path) -> str:
    """The recovery step for one damaged file, as commands with its real paths."""
    data_dir = path.parent.parent.parent  # <data>/store/<database>/<collection>
    aside = data_dir / f"damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    # its -wal and -shm too: SQLite would apply a left-over WAL to the new file
    return (
        f"to recover, with no crawl running: mkdir -p {aside} && mv {path} {aside}/ "
        f"(with {path.name}-wal and {path.name}-shm if present), then copy the file back "
        f"from a backup if you have one (else the next run starts the '{path.name}' "
        f"collection empty), then run 'python -m crawler replay' if "
        f"{data_dir / 'spool' / 'pending.jsonl'} exists (README: Bad input and faults)"
    )


def damaged(path: Path, what: str) -> StoreCorrupt:
    what = " ".join(what.split())  # one line
    return StoreCorrupt(f"embedded store file {path} is damaged: {what}; {recovery(path)}")


def check_files(files: Iterable[Path]) -> None:
    """Raise :class:`StoreCorrupt` for the first file whose header is damaged (cheap: run at
    every open)."""
    for path in files:
        what = header_damage(path)
        if what:
            raise damaged(path, what)


def explain(db_dir: Path, exc: BaseException) -> StoreCorrupt:
    """The damaged file behind an SQLite damage error, found by checking each file."""
    for path in collection_files(db_dir):
        what = check_damage(path)
        if what:
            return damaged(path, f"{what} ({exc})" if str(exc) not in what else what)
    return StoreCorrupt(
        f"embedded store {db_dir} is damaged ({exc}) and no single file could be named; "
        f"move the folder aside and restore it from a backup, or let the next run start "
        f"empty, then run 'python -m crawler replay' if "
        f"{db_dir.parent.parent / 'spool' / 'pending.jsonl'} exists"
    )
