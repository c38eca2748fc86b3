"""Site ids an analyst names (``export --site``, ``report --site``): known ones, or one line.

An id is known when the store holds something of that site (an article, a run, a visit
snapshot) or when it names a site profile or a registry row (a site not crawled yet: its export
is empty, which is not a mistake). Anything else is a typo or a wrong id, and exporting it would
silently give 0 rows: :func:`unknown_sites_problem` names it and suggests the closest known ids.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from crawler.storage import ArticleStore

SHOWN = 12  # known ids listed when none is close to the unknown one
COLLECTIONS = ("articles", "crawl_runs", "site_stats")


def stored_site_ids(store: ArticleStore) -> set[str]:
    """Every ``site_id`` with an article, a crawl run or a visit snapshot in the store."""
    if store.embedded and store.path is not None:
        from_files = file_site_ids(store.path)
        if from_files is not None:
            return from_files
    found: set[str] = set()
    for name in COLLECTIONS:
        found.update(s for s in store.db[name].distinct("site_id") if isinstance(s, str) and s)
    return found


def file_site_ids(folder: Path, enough: set[str] | None = None) -> set[str] | None:
    """The site ids of the embedded store's files (``None``: not readable that way): the keys
    of the run records and snapshots, then ``site_id`` cut out of each article's bytes, unless
    every id of ``enough`` was found before (litemongo's ``distinct`` decodes every record: two
    minutes for a national history)."""
    from crawler.analytics import bsonfields as bf
    from crawler.analytics.report_history import site_rows
    from crawler.storage import recent

    head = bf.header(bf.STRING, "site_id")
    found: set[str] = set()
    try:
        for name in ("crawl_runs", "site_stats"):
            if (folder / name).is_file():
                with recent.read_only(folder / name) as conn:
                    found.update(s for s in site_rows(conn)[0] if s)
        if (enough is not None and enough <= found) or not (folder / "articles").is_file():
            return found
        with recent.read_only(folder / "articles") as conn:
            for (blob,) in conn.execute("SELECT doc FROM documents"):
                raw = bf.raw_string(blob, head)
                if raw:
                    found.add(raw.decode("utf-8", "replace"))
    except sqlite3.DatabaseError:
        return None
    return found


def configured_site_ids() -> set[str]:
    """Site profile ids and registry row ids (sites that may simply have no data yet)."""
    from crawler.profiles import load_profiles
    from crawler.registry import load_registry

    sites = {p.id for p in load_profiles().values() if p.kind == "site"}
    return sites | {entry.id for entry in load_registry()}


def _stored(store: ArticleStore, wanted: set[str]) -> set[str]:
    """The stored site ids, or enough of them to know that every wanted one is there."""
    if store.embedded and store.path is not None:
        found = file_site_ids(store.path, wanted)
        if found is not None and wanted <= found:
            return found
    return stored_site_ids(store)


def _hint(site_id: str, stored: set[str], configured: set[str]) -> str:
    close = difflib.get_close_matches(site_id, sorted(stored | configured), n=3, cutoff=0.6)
    if close:
        return f"did you mean {' or '.join(close)}?"
    if not stored:
        return "the store has no site yet"
    shown = sorted(stored)[:SHOWN]
    more = f", … ({len(stored)} in all)" if len(stored) > SHOWN else ""
    return f"sites in the store: {', '.join(shown)}{more}"


def unknown_sites_problem(
    store: ArticleStore, site_ids: Sequence[str], configured: Iterable[str] | None = None
) -> str | None:
    """``None`` when every id is known, else one line naming the unknown ids with a hint.

    ``configured`` replaces the profile and registry ids (tests); it is read only when an id is
    not in the store.
    """
    stored = _stored(store, set(site_ids))
    missing = [s for s in dict.fromkeys(site_ids) if s not in stored]
    if not missing:
        return None
    known = set(configured) if configured is not None else configured_site_ids()
    unknown = [s for s in missing if s not in known]
    if not unknown:
        return None
    named = "; ".join(f"{s!r} ({_hint(s, stored, known)})" for s in unknown)
    noun = "site" if len(unknown) == 1 else "sites"
    return (
        f"unknown {noun} {named}: no article, run, profile or registry row has that id "
        "(`python -m crawler sites` lists the registry)"
    )
