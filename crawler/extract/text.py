"""Text normalisation: HTML entities unescaped, Unicode NFC, whitespace collapsed.

Portals emit named entities for Vietnamese letters (``Th&ocirc;ng``), decomposed (NFD)
diacritics and non-breaking or zero-width spaces; after :func:`normalize_text` equal text
compares and hashes equal.
"""

from __future__ import annotations

import html
import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"\s+")


def normalize_text(value: str | None) -> str | None:
    """Unescape, NFC-normalise and collapse whitespace; empty results become ``None``."""
    if value is None:
        return None
    text = html.unescape(value).translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    text = _SPACE.sub(" ", text).strip()
    return text or None


def fold_diacritics(value: str) -> str:
    """ASCII-ish lower-case form for matching labels and names ("Nam Định" -> "nam dinh")."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
