"""Stored articles must stay stored: a database or collection dropped mid-run is noticed.

MongoDB takes writes into a database or collection that was dropped a moment ago (it makes a
new, empty one) and acknowledges them; the embedded store does the same when another process
drops the collection (litemongo empties the file in place: same file, so the check on deleted
or replaced files does not see it). Either way every article stored before is gone while the
run goes on counting ``new``.

:class:`WrittenCheck` keeps the first and the last batch the store confirmed and, before each
later batch and at the end of the run, looks them up in the store (one ``$in`` query on the
unique ``canonical_url`` index). Articles the crawler wrote are never deleted by it, so any of
them missing means the store vanished under the run: :class:`StoreVanished`, carrying the kept
articles that are missing so that they can be spooled again. The first batch is gone after any
drop that follows it (a drop racing the last batch's write may leave that batch in the new
collection); articles of the batches between cannot be spooled again: the next run fetches them
again (they are unknown to the store).
"""

from __future__ import annotations

from typing import Any

from crawler.storage.store import Refused, UnacknowledgedWrites
from crawler.storage.worker import StoreWorker, call


class StoreVanished(UnacknowledgedWrites):
    """Articles the store confirmed are no longer in it."""

    def __init__(self, message: str, docs: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.docs = docs


class WrittenCheck:
    def __init__(self) -> None:
        self.first: list[dict[str, Any]] = []  # the first batch the store confirmed
        self.last: list[dict[str, Any]] = []  # the last one

    def confirmed(self, docs: list[dict[str, Any]], refused: list[Refused]) -> None:
        """``docs`` were written, except the ``refused`` ones."""
        refused_urls = {r.doc.get("canonical_url") for r in refused}
        written = [d for d in docs if d.get("canonical_url") not in refused_urls]
        if not self.first:
            self.first = written
        else:
            self.last = written

    async def vanished(self, worker: StoreWorker) -> StoreVanished | None:
        """``None`` while the kept batches are all in the store; raises what a store call
        raises (one of ``STORE_ERRORS``)."""
        kept = {d["canonical_url"]: d for d in [*self.first, *self.last] if d.get("canonical_url")}
        if not kept:
            return None
        found = await call(worker, "known", sorted(kept))
        missing = [doc for url, doc in kept.items() if url not in found]
        if not missing:
            return None
        self.first, self.last = [], []
        return StoreVanished(
            f"{len(missing)} of {len(kept)} articles written earlier in this run are no longer "
            "in the store: its database or collection was dropped (or emptied) during the run",
            missing,
        )
