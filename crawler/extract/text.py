"""Text normalisation: HTML entities unescaped, Unicode NFC, whitespace collapsed.

Portals emit named entities for Vietnamese letters (``Th&ocirc;ng``), decomposed (NFD)
diacritics and non-breaking or zero-width spaces; after :func:`normalize_text` equal text
compares and hashes equal.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


# Vietnamese decomposed (NFD) text always carries combining marks from this block; a regex scan
# is ten times faster than unicodedata.is_normalized on a 50 KB page
_COMBINING = re.compile("[\u0300-\u036f]")
# NFC never composes or reorders across an ASCII character (a starter that composes with
# nothing before it), so text cut just before one normalises piece by piece
_ASCII = re.compile("[\x00-\x7f]")
NFC_CHUNK = 1024
# invisible or combining characters: one scan tells whether either step has work to do
_UNUSUAL = re.compile(f"[{_INVISIBLE_CHARS}\u0300-\u036f]")
# what makes normalize_text more than collapse_space: an entity, an invisible or combining mark
NOT_PLAIN = re.compile(f"[&{_INVISIBLE_CHARS}\u0300-\u036f]")


def _nfc_pieces(text: str, size: int = NFC_CHUNK) -> Iterator[str]:
    """``text`` in pieces of about ``size`` characters, each cut before an ASCII character."""
    start = 0
    while len(text) - start > size:
        cut = _ASCII.search(text, start + size)
        if cut is None:
            break
        yield text[start : cut.start()]
        start = cut.start()
    yield text[start:]


def to_nfc(text: str) -> str:
    """NFC form, normalising only when the text holds combining marks."""
    return nfc(text) if _COMBINING.search(text) else text


def nfc(text: str) -> str:
    """``unicodedata.normalize("NFC", text)``, in pieces.

    CPython's quick check returns a piece without marks as it is, so a 50 KB page with two
    decomposed letters costs two small pieces, not the page.
    """
    return "".join(unicodedata.normalize("NFC", piece) for piece in _nfc_pieces(text))


def collapse_space(text: str) -> str:
    """Runs of whitespace (``str.isspace``, as regex ``\\s``) to one space, ends stripped."""
    return " ".join(text.split())


def normalize_text(value: str | None) -> str | None:
    """Unescape, NFC-normalise and collapse whitespace; empty results become ``None``."""
    if value is None or value.isspace():
        return None
    text = html.unescape(value) if "&" in value else value
    if _UNUSUAL.search(text):
        text = to_nfc(_INVISIBLE.sub("", text))
    return collapse_space(text) or None


_MARKS = re.compile("[\u0300-\u036f]+")


# punctuation that follows the text before it with no space ("Phụ</span>, xã")
GLUED_SPACE = re.compile(r" (?=[,.;:!?)\]»%](?:\s|$))")
_GLUED = re.compile(r"[,.;:!?)\]»%](?:\s|$)")


def join_pieces(pieces: list[str]) -> str:
    """A block's text pieces (texts and tails of its inline elements) joined with spaces, but
    none where punctuation follows a tag with no blank between: "Quỳnh <span>Phụ</span>, xã"
    reads "Quỳnh Phụ, xã", while "To</b> : Báo" keeps the space its editor typed."""
    if len(pieces) >= 2 and len(pieces[0]) == 1 and pieces[0].isupper() and pieces[1][:1].islower():
        pieces = [pieces[0] + pieces[1], *pieces[2:]]  # a drop cap: "<span>T</span>rên đỉnh"
    raw = " ".join(pieces)
    if len(pieces) < 2 or not GLUED_SPACE.search(raw):
        return raw
    out = [pieces[0]]
    for before, piece in itertools.pairwise(pieces):
        glued = _GLUED.match(piece) and before[-1:] and not before[-1:].isspace()
        out.append(piece if glued else f" {piece}")
    return "".join(out)


def fold_diacritics(value: str) -> str:
    """ASCII-ish lower-case form for matching labels and names ("Nam Định" -> "nam dinh").

    NFD and the mark removal run in C (no loop per character in Python).
    """
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return _MARKS.sub("", decomposed).lower()


_NOT_ASCII_OR_MARK = re.compile("[^\x00-\x7f\u0300-\u036f]")


def fold_ascii(value: str) -> str:
    """:func:`fold_diacritics` as far as its ``[a-z0-9]`` runs go (the words matched on), in
    ASCII: characters that are neither ASCII nor a mark become spaces, and the marks are
    dropped by the ASCII codec, not by a regex over the text (three times faster)."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    if not decomposed.isascii():
        decomposed = (
            _NOT_ASCII_OR_MARK.sub(" ", decomposed).encode("ascii", "ignore").decode("ascii")
        )
    return decomposed.lower()


def fold_ascii_many(values: list[str]) -> list[str]:
    """``[fold_ascii(v) for v in values]`` in one pass: the strings joined by NUL (which no
    string from lxml holds, and which every step leaves where it is)."""
    folded = fold_ascii("\0".join(values)).split("\0") if values else []
    if len(folded) != len(values):  # a string held NUL after all
        return [fold_ascii(v) for v in values]
    return folded


class Haystack:
    """Many strings searched at once: joined by NUL, which no string from lxml can hold.

    ``holding(needles)`` costs a few ``str.find`` calls instead of a Python test per string.
    A needle holding NUL could match across two strings: the first one is then reported too.
    """

    def __init__(self, strings: list[str]) -> None:
        self.text = "\0".join(strings)

    def holding(self, needles: Iterable[str]) -> list[int]:
        """Indices of the strings that contain one of ``needles``, ascending."""
        text = self.text
        found: set[int] = set()
        for needle in needles:
            index = counted = 0  # ``index`` NULs in ``text[:counted]``
            at = text.find(needle)
            while at != -1:
                index += text.count("\0", counted, at)
                counted = at
                found.add(index)
                end = text.find("\0", at)  # the next string, if any
                at = -1 if end == -1 else text.find(needle, end + 1)
        return sorted(found)
