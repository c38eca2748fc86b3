"""Vietnamese-portal integers: "1.234", "1,234", "38661", "2,683,439", "4.798.809"."""

from __future__ import annotations

import re

# digits with an optional uniform thousands separator (dot, comma, space or none)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:([.,\s\u00a0])\d{3})(?:\2\d{3})*|\d+)(?!\w)")


def parse_int_vi(raw: str | None) -> int | None:
    """The first grouped integer in ``raw``; ``None`` when there is none.

    A dot, comma or space is a thousands separator only between groups of exactly three
    digits, so "1.234" is 1234 and "1,5" is not read as a count.
    """
    if not raw:
        return None
    match = _NUMBER.search(raw)
    if match is None:
        return None
    return int(re.sub(r"[.,\s\u00a0]", "", match.group(1)))
