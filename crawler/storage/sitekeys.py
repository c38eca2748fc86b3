"""An SQLite index of the embedded store's run records and snapshots by site (``gov_site_key``).

Run records and visit snapshots are stored under the key ``<run id>|<site id>`` (litemongo
writes it as ``s:<run id>|<site id>``, docs/schema.md). litemongo keeps its own indexes in
memory only, so a report that wants "each site's newest few records" had to read every key and
group them: 335,500 run records and 332,100 snapshots at 3,355 portals x 100 nights, 0.4 s per
collection. This index, an SQLite expression index on the site part of the key, is kept by
SQLite itself at every write (whoever writes: the crawl's store worker, a replay), so:

* the sites are read by skipping from one to the next in the index (one lookup per site);
* each site's newest rows are read by one bounded range of it (:class:`SiteRowids`, which
  reads further back only when a caller goes further).

The store creates the index when it opens (``ArticleStore.ensure_indexes``), so an older store
gets it once, on the next command that opens it (0.5 s per 335,000 records). Until then (or
when it cannot be created: another process holding the write lock) readers group the keys as
before (``crawler.storage.recent.rowids_by_site``); both give the same rows.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

logger = logging.getLogger(__name__)

INDEX = "gov_site_key"
# the site id in a key ``s:<run id>|<site id>``, NULL for any other key (an ObjectId): the
# same rule as ``recent.site_of_key``. Only deterministic functions, as SQLite requires for
# an index; readers must write the expression exactly so for SQLite to use the index.
SITE_OF_KEY = (
    "CASE WHEN substr(_id, 1, 2) = 's:' AND instr(_id, '|') > 0 "
    "THEN substr(_id, instr(_id, '|') + 1) END"
)
HEAD = 16  # rows read at once per site: the overview's and the detail's needs, most nights
_SITES = (
    f"WITH RECURSIVE s(site) AS (SELECT min({SITE_OF_KEY}) FROM documents UNION ALL "
    f"SELECT (SELECT min({SITE_OF_KEY}) FROM documents WHERE {SITE_OF_KEY} > s.site) "
    "FROM s WHERE s.site IS NOT NULL) SELECT site FROM s WHERE site IS NOT NULL"
)
_NEWEST = (
    f"SELECT ROWID FROM documents WHERE {SITE_OF_KEY} = ? AND ROWID < ? ORDER BY ROWID DESC LIMIT ?"
)
_UNKEYED = f"SELECT ROWID FROM documents WHERE {SITE_OF_KEY} IS NULL ORDER BY ROWID DESC"
_LAST = 2**63 - 1  # above every ROWID


def has_index(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (INDEX,)
    ).fetchone()
    return row is not None


def ensure_index(path: Path, timeout: float = 1.0) -> bool:
    """Create the index in one collection file if it has none; ``False`` when it could not be
    created now (no such file or table yet, or another process holds the write lock: readers
    then group the keys). A damaged file raises ``sqlite3.DatabaseError`` (the store names it)."""
    if not path.is_file():
        return False
    conn = sqlite3.connect(path, timeout=timeout)
    try:
        if has_index(conn):
            return True
        with conn:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents({SITE_OF_KEY})")
        logger.info("store: indexed the keys of %s by site (%s)", path.name, INDEX)
        return True
    except sqlite3.OperationalError as exc:  # locked, read-only, no documents table yet
        logger.info("store: %s not indexed by site now (%s)", path.name, exc)
        return False
    finally:
        conn.close()


class SiteRowids(Sequence[int]):
    """One site's ROWIDs, the last written first, read from the index as far as they are
    used: the first ``HEAD`` at once, the rest on the first access past them."""

    def __init__(self, conn: sqlite3.Connection, site: str, head: list[int], more: bool):
        self._conn, self._site = conn, site
        self._ids = head
        self._complete = not more

    def _rest(self) -> list[int]:
        if not self._complete:
            below = self._ids[-1] if self._ids else _LAST
            rows = self._conn.execute(_NEWEST, (self._site, below, -1)).fetchall()
            self._ids = [*self._ids, *(r for (r,) in rows)]
            self._complete = True
        return self._ids

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        head = self._ids
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            if index.step is None and stop is not None and start >= 0 and 0 <= stop <= len(head):
                return head[index]
            return self._rest()[index]
        if 0 <= index < len(head):
            return head[index]
        return self._rest()[index]

    def __len__(self) -> int:
        return len(self._rest())

    def __iter__(self) -> Iterator[int]:
        yield from self._ids[:]
        if not self._complete:
            seen = len(self._ids)
            yield from self._rest()[seen:]

    def __repr__(self) -> str:
        return f"SiteRowids({self._site!r}, {list(self)!r})"


def rowids_by_site(
    conn: sqlite3.Connection, head: int | None = None
) -> tuple[dict[str, SiteRowids], list[int]]:
    """What ``recent.rowids_by_site`` gives, from the index: each site's ROWIDs, the last
    written first (read as far as used: ``head`` at once, default ``HEAD``), and the ROWIDs
    whose key names no site."""
    head = HEAD if head is None else head
    found: dict[str, SiteRowids] = {}
    for (site,) in conn.execute(_SITES).fetchall():
        ids = [r for (r,) in conn.execute(_NEWEST, (site, _LAST, head + 1))]
        more = len(ids) > head
        found[site] = SiteRowids(conn, site, ids[:head], more)
    unkeyed = [r for (r,) in conn.execute(_UNKEYED)]
    return found, unkeyed
