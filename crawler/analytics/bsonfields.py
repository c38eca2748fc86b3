"""Top-level fields cut out of a BSON document's bytes, without decoding the document.

An element is one type byte, the field's name, a NUL, then the value: a date is 8 bytes (ms
since 1970, little-endian), a string a 4-byte length then the UTF-8 bytes and a NUL. The
first element with that type and name is taken, so a name must not also occur in an embedded
document placed before the top-level field (callers name their fields' guarantees).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DATE = b"\x09"
STRING = b"\x02"


def header(kind: bytes, name: str) -> bytes:
    return kind + name.encode() + b"\x00"


def millis(blob: bytes, head: bytes) -> int | None:
    """A date field in ms since 1970 (``None``: missing, null or not a date)."""
    at = blob.find(head)
    if at < 0:
        return None
    start = at + len(head)
    return int.from_bytes(blob[start : start + 8], "little", signed=True)


def raw_string(blob: bytes, head: bytes) -> bytes | None:
    """A string field's UTF-8 bytes (``None``: missing, null or not a string)."""
    at = blob.find(head)
    if at < 0:
        return None
    start = at + len(head) + 4
    return blob[start : start + int.from_bytes(blob[start - 4 : start], "little") - 1]


def to_ms(value: datetime) -> int:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return (aware - EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)
