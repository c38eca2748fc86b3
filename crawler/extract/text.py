"""Text normalisation: HTML entities unescaped, Unicode NFC, whitespace collapsed.

Portals emit named entities for Vietnamese letters (``Th&ocirc;ng``), decomposed (NFD)
diacritics and non-breaking or zero-width spaces; after :func:`normalize_text` equal text
compares and hashes equal.
"""

from __future__ import annotations

import html
import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE = re.compile(r"\s+")


# Vietnamese decomposed (NFD) text always carries combining marks from this block; a regex scan
# is ten times faster than unicodedata.is_normalized on a 50 KB page
_COMBINING = re.compile("[\u0300-\u036f]")


def to_nfc(text: str) -> str:
    """NFC form, normalising only when the text holds combining marks."""
    return unicodedata.normalize("NFC", text) if _COMBINING.search(text) else text


def normalize_text(value: str | None) -> str | None:
    """Unescape, NFC-normalise and collapse whitespace; empty results become ``None``."""
    if value is None:
        return None
    text = html.unescape(value) if "&" in value else value
    text = _INVISIBLE.sub("", text)
    text = to_nfc(text)
    text = _SPACE.sub(" ", text).strip()
    return text or None


def fold_diacritics(value: str) -> str:
    """ASCII-ish lower-case form for matching labels and names ("Nam Định" -> "nam dinh")."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
