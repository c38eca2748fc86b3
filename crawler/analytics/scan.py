"""Stream the documents of a query in batches, with flat memory on both back ends.

On MongoDB this is a server cursor with ``batch_size``: the client holds one batch at a time.
The embedded store's cursor (mongomock) builds its whole result list before the first document,
so there the query first fetches only the ``_id`` (and sort keys) of every match, then reads the
full documents by ``_id`` one batch at a time: memory grows with the number of matches by a
few dozen bytes each, never by whole documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pymongo.collection import Collection

from crawler.storage import ArticleStore

BATCH_SIZE = 500
SortSpec = Sequence[tuple[str, int]]


def _sort_key(field: str) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    def key(doc: dict[str, Any]) -> tuple[bool, Any]:
        value = doc.get(field)
        return (value is not None, value if value is not None else 0)

    return key


def _sort_in_python(keys: list[dict[str, Any]], sort: SortSpec) -> None:
    """Order like MongoDB: missing and null values first when ascending, last when descending."""
    for field, direction in reversed(sort):  # stable sorts, least significant key first
        keys.sort(key=_sort_key(field), reverse=direction < 0)


def scan(
    store: ArticleStore,
    collection: Collection[dict[str, Any]],
    query: Mapping[str, Any],
    projection: Mapping[str, int],
    sort: SortSpec | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[dict[str, Any]]:
    """Matching documents (inclusion ``projection``, ``_id`` only if asked), in ``sort`` order."""
    if not store.embedded:
        cursor = collection.find(dict(query), dict(projection), batch_size=batch_size)
        if sort:
            cursor = cursor.sort(list(sort))
        yield from cursor
        return
    want_id = projection.get("_id", 1) != 0
    key_fields = {field: 1 for field, _ in (sort or ())}
    keys = list(collection.find(dict(query), {"_id": 1, **key_fields}))
    if sort:
        _sort_in_python(keys, sort)
    ids = [doc["_id"] for doc in keys]
    del keys
    full_projection = {**projection, "_id": 1}
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        cursor = collection.find({"_id": {"$in": chunk}}, full_projection)
        found = {doc["_id"]: doc for doc in cursor}
        for doc_id in chunk:
            doc = found.pop(doc_id, None)
            if doc is None:  # deleted since the first query
                continue
            if not want_id:
                del doc["_id"]
            yield doc
