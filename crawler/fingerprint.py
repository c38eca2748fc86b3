"""Content fingerprints: an exact hash of the normalised body for republication marking."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalized_for_hash(text: str) -> str:
    """NFC, lower case, punctuation and whitespace folded: layout noise does not change it."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def content_hash(text: str | None) -> str | None:
    if not text:
        return None
    return hashlib.sha1(normalized_for_hash(text).encode("utf-8")).hexdigest()
