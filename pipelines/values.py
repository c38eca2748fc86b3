"""Field-by-field checks of the values an article takes to the store.

A value the store cannot hold would make it refuse the article (and, before dead-lettering, its
whole batch): an integer outside signed 64 bits (BSON int64), text that is not valid Unicode (a
lone UTF-16 surrogate, which JSON's ``"\\ud800"`` decodes to) or an absurd date. Each is repaired
or set to ``None`` here, one field at a time, so one bad value never costs the rest of the
article.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)  # no portal published before this
_SURROGATE = re.compile("[\ud800-\udfff]")


def as_utc(value: datetime) -> datetime:
    """An aware datetime; a naive one is taken as UTC, as the store takes it."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def repair_text(text: str) -> str:
    """Surrogate pairs joined into the character they encode; a lone surrogate becomes U+FFFD."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def check_value(value: Any, latest: datetime) -> tuple[Any, bool]:
    """``(value to store, whether it was bad)``: out-of-range integers and dates (before 1990,
    after ``latest``) become ``None``, invalid text is repaired; lists and dicts are checked item
    by item."""
    if isinstance(value, bool):
        return value, False
    if isinstance(value, int):
        return (value, False) if INT64_MIN <= value <= INT64_MAX else (None, True)
    if isinstance(value, str):
        return (repair_text(value), True) if _SURROGATE.search(value) else (value, False)
    if isinstance(value, datetime):
        return (value, False) if EARLIEST_DATE <= as_utc(value) <= latest else (None, True)
    if isinstance(value, list):
        checked = [check_value(v, latest) for v in value]
        return [v for v, _ in checked], any(bad for _, bad in checked)
    if isinstance(value, dict):
        pairs = {k: check_value(v, latest) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(bad for _, bad in pairs.values())
    return value, False
