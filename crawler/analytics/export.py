"""Export articles as JSON Lines, CSV or Excel, streamed: memory stays flat whatever the count.

Dates are written in ISO 8601 with the Vietnam offset (``2021-03-15T10:20:00+07:00``, the same
instant as the stored ``2021-03-15T03:20:00Z``); ``since``/``until`` are Vietnam-time days on
``published_at``, both included. ``province_code`` is the official code of the province the
article's portal is part of since the 2025 merger (for articles stored before the field existed,
derived from their ``province``). Text is UTF-8; ``bom=True`` starts a CSV with the byte order
mark (``utf-8-sig``) so that Excel reads it as UTF-8. In CSV, lists and objects (``images``,
``views_history``, ``missing``) are JSON strings, booleans ``true``/``false`` and nulls empty.
A CSV text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so that a spreadsheet shows it as text instead of running it as a formula
(text comes from public web pages; OWASP "CSV injection"). JSON Lines is written as stored.
Excel (``xlsx``, binary output only): typed cells, dates as Vietnam local time, see
:mod:`crawler.analytics.xlsx`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO, Literal, TextIO, cast

from crawler.analytics.scan import BATCH_SIZE, scan
from crawler.analytics.vntime import vn_iso, vn_range
from crawler.registry import current_province_code
from crawler.storage import ArticleStore

logger = logging.getLogger(__name__)

Format = Literal["jsonl", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "xlsx")
# every stored article field, in the order of docs/schema.md (the default export)
EXPORT_FIELDS = (
    "canonical_url",
    "url",
    "site_id",
    "cms",
    "province",
    "province_code",
    "level",
    "title",
    "summary",
    "body",
    "author",
    "source",
    "category",
    "published_at",
    "published_raw",
    "published_date_only",
    "views",
    "views_raw",
    "views_checked_at",
    "views_history",
    "images",
    "content_hash",
    "duplicate_of",
    "first_seen_at",
    "last_seen_at",
    "response_url",
    "missing",
)
EXPORT_SORT = (("site_id", 1), ("published_at", -1))  # the (site_id, published_at) index
BOM = "\ufeff"


def plain(value: Any) -> Any:
    """JSON-ready: datetimes as Vietnam-time ISO 8601 strings, recursively."""
    if isinstance(value, datetime):
        return vn_iso(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return vn_iso(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(value)


def articles_query(
    site: Sequence[str] | None = None, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if site:
        query["site_id"] = {"$in": list(site)}
    if since is not None or until is not None:
        query["published_at"] = vn_range(since, until)
    return query


def export_columns(fields: Sequence[str] | None) -> list[str]:
    if not fields:
        return list(EXPORT_FIELDS)
    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if unknown:
        raise ValueError(
            f"unknown field(s) {', '.join(unknown)}; choose from {', '.join(EXPORT_FIELDS)}"
        )
    return list(dict.fromkeys(fields))


def _rows(
    store: ArticleStore, query: dict[str, Any], columns: list[str], batch_size: int
) -> Iterator[dict[str, Any]]:
    projection = {"_id": 0, **dict.fromkeys(columns, 1)}
    if "province_code" not in columns:
        yield from scan(store, store.articles, query, projection, EXPORT_SORT, batch_size)
        return
    # articles stored before province_code existed get it from their province name
    projection["province"] = 1
    for doc in scan(store, store.articles, query, projection, EXPORT_SORT, batch_size):
        if doc.get("province_code") is None and doc.get("province"):
            doc["province_code"] = current_province_code(doc["province"])
        yield doc


def _write_text(
    out: TextIO | BinaryIO,
    rows: Iterator[dict[str, Any]],
    columns: list[str],
    fmt: Format,
    bom: bool,
    binary: bool,
) -> int:
    """CSV or JSON Lines to a text stream (a binary one is wrapped as UTF-8, then released)."""
    text = (
        io.TextIOWrapper(cast(BinaryIO, out), encoding="utf-8", newline="")
        if binary
        else cast(TextIO, out)
    )
    count = 0
    try:
        if bom:
            text.write(BOM)
        if fmt == "csv":
            writer = csv.writer(text)
            writer.writerow(columns)
            for doc in rows:
                writer.writerow([csv_cell(doc.get(c)) for c in columns])
                count += 1
        else:
            for doc in rows:
                record = {c: plain(doc.get(c)) for c in columns}
                text.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    finally:
        text.flush()
        if binary:
            cast(io.TextIOWrapper, text).detach()  # leave the caller's stream open
    return count


def export_articles(
    store: ArticleStore,
    out: TextIO | BinaryIO,
    fmt: Format = "jsonl",
    site: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    fields: list[str] | None = None,
    bom: bool = False,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Write the matching articles to ``out`` (a text stream, or a binary one given UTF-8;
    ``xlsx`` needs a binary one).

    Returns the number of articles written. Raises ``ValueError`` for an unknown format or
    field, a BOM asked for JSON Lines or Excel (whose readers expect none), or ``xlsx`` to a
    text stream.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    if bom and fmt != "csv":
        raise ValueError(f"a byte order mark is for CSV read by Excel; {fmt} has none")
    columns = export_columns(fields)
    query = articles_query(site, since, until)
    binary = not isinstance(out, io.TextIOBase)
    if fmt == "xlsx":
        if not binary:
            raise ValueError("xlsx is a binary format: give a binary stream")
        from crawler.analytics.xlsx import write_xlsx

        count = write_xlsx(cast(BinaryIO, out), _rows(store, query, columns, batch_size), columns)
        logger.info("exported %d articles as xlsx", count)
        return count
    rows = _rows(store, query, columns, batch_size)
    count = _write_text(out, rows, columns, fmt, bom, binary)
    logger.info("exported %d articles as %s", count, fmt)
    return count
