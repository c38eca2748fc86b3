"""Legacy Vietnamese 8-bit encodings: which one a mislabelled page is really in.

Old portal pages (district and commune sites, documents pasted from Word) come in two 8-bit
encodings that their servers rarely name:

* ``windows-1258`` (Python's ``cp1258``): base letters precomposed, tones as combining marks;
* **TCVN3** (the ``VN3`` set of TCVN 5712:1993, the "ABC" fonts ``.VnTime``, ``.VnArial``...):
  every lower-case letter precomposed in one byte (``ệ`` is ``0xD6``), upper case only for the
  seven base letters ``Ă Â Ê Ô Ơ Ư Đ`` (``.VnTimeH``-style fonts draw lower-case codes as
  capitals). Read as Latin-1/windows-1252 it is garbage (``Héi nghÞ`` for ``Hội nghị``).

Python has no TCVN3 codec and no maintained PyPI package provides one as a codec (the few that
convert TCVN3 are document loaders with far larger dependencies), so the table is written here
from the standard and registered as the codec ``tcvn3``: bytes ``0xA0``-``0xFF`` as TCVN 5712
(checked against glibc's ``TCVN5712-1`` in ``tests/faults/test_legacy_encodings.py``),
``0x00``-``0x7F`` ASCII, and ``0x80``-``0x9F`` as windows-1252 (the ABC fonts are Windows fonts:
Word keeps its curly quotes and dashes there; the full ``VN1`` set puts accented capitals there
instead, which 8-bit ``VN3`` pages do not use).

:func:`legacy_encoding` decides, for a page whose declared (or defaulted) encoding is UTF-8 or
a Western single-byte one but whose bytes say otherwise, whether it is windows-1258 or TCVN3:
each reading is scored by how many of its non-ASCII words are valid Vietnamese syllables (one
initial consonant, a vowel group, one final, at most one tone mark, sane letter case), and the
best reading must be clearly Vietnamese and clearly better than the declared one.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "tcvn3"
CP1258 = "cp1258"
CANDIDATES = (CP1258, TCVN3)
# declared encodings a legacy Vietnamese page hides behind (Python codec names)
_WESTERN = ("cp1252", "ascii", "iso8859-1", "iso8859-15", "latin-1")

_C1 = "".join(
    bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
    for b in range(0x80, 0xA0)
)
# TCVN 5712:1993, 0xA0-0xFF, one row of 16 per line
_TCVN_UPPER = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # A0-AF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # B0-BF (B0-B4: the five tone marks)
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # C0-CF
    "éẹềểễếệìỉỄẾỒĩíịò"  # D0-DF
    "Ổỏõóọồổỗốộờởỡớợù"  # E0-EF
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # F0-FF
)
DECODING_TABLE = "".join(map(chr, range(0x80))) + _C1 + _TCVN_UPPER
assert len(DECODING_TABLE) == 256
_ENCODING_TABLE = codecs.charmap_build(DECODING_TABLE)


def _encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.charmap_encode(text, errors, _ENCODING_TABLE)


def _decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return codecs.charmap_decode(data, errors, DECODING_TABLE)


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") not in ("tcvn3", "tcvn_3"):
        return None
    return codecs.CodecInfo(_encode, _decode, name=TCVN3)  # type: ignore[arg-type]


codecs.register(_search)


# -- which reading is Vietnamese ----------------------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    "[aăâeêioôơuưy]{1,3}"
    "(?:ch|ng|nh|[cmnpt])?"
)
# a word: ASCII letters and any other character, except digits, ASCII punctuation, spaces and
# general punctuation (a reading's stray symbols, "c«ng", stay inside the word and spoil it)
_WORD = re.compile("[^\\x00-\\x40\\x5b-\\x60\\x7b-\\x7f\\s\u2000-\u206f]+")
MAX_WORDS = 2000  # non-ASCII words looked at per reading: plenty to tell readings apart
MIN_WORDS = 3  # a repaired page has at least this many valid non-ASCII Vietnamese words


@dataclass(frozen=True)
class Reading:
    """How Vietnamese one decoding of the page looks."""

    valid: int = 0  # non-ASCII words that are Vietnamese syllables
    invalid: int = 0

    @property
    def net(self) -> int:
        return self.valid - self.invalid

    @property
    def vietnamese(self) -> bool:
        return self.valid >= MIN_WORDS and self.valid >= 2 * self.invalid


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable: initial, vowels, final, at most one tone mark, one letter case."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(tone) for tone in _TONES) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(base) is not None


def read(text: str) -> Reading:
    """Score ``text`` on its first :data:`MAX_WORDS` non-ASCII words."""
    valid = invalid = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        if is_syllable(unicodedata.normalize("NFC", word)):
            valid += 1
        else:
            invalid += 1
        if valid + invalid >= MAX_WORDS:
            break
    return Reading(valid, invalid)


def legacy_encoding(body: bytes, declared: str, text: str | None = None) -> str | None:
    """``"cp1258"`` or ``"tcvn3"`` when ``body``, declared (or defaulted to) UTF-8 or a Western
    single-byte encoding, is really windows-1258 or TCVN3 Vietnamese; else ``None``.

    ``text``: ``body`` as already decoded with ``declared`` (decoded here if not given). Cheap
    for the usual pages: a UTF-8 text without replacement characters, an ASCII body, or a
    declared encoding that is neither UTF-8 nor Western returns at once.
    """
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name == "utf-8":
        if text is not None and "\ufffd" not in text:
            return None
    elif name not in _WESTERN or body.isascii():
        return None
    try:
        body.decode("utf-8")
        return None  # valid UTF-8: replacement characters, if any, are in the page itself
    except UnicodeDecodeError:
        pass
    declared_reading = read(body.decode(name, "replace") if text is None else text)
    best: tuple[Reading, str] | None = None
    for candidate in CANDIDATES:
        try:
            reading = read(body.decode(candidate))
        except UnicodeDecodeError:
            continue  # a byte this encoding does not have: not this one
        if best is None or reading.net > best[0].net:
            best = (reading, candidate)
    if best is None or not best[0].vietnamese or best[0].net <= declared_reading.net:
        return None
    return best[1]


# a word with a capital after its first letter: in a TCVN3 heading, toned letters are lower case
_CAPITALISED = re.compile(r"\b[^\W\d_]+[A-ZĂÂÊÔƠƯĐ][^\W\d_]*")


def _capitals(match: re.Match[str]) -> str:
    word = match.group()
    lower = [c for c in word if c.islower()]
    return word.upper() if lower and not any(c.isascii() for c in lower) else word


def legacy_decode(body: bytes, encoding: str) -> str:
    """``body`` read as ``encoding`` (one that :func:`legacy_encoding` returned).

    TCVN3 has no toned capitals: a capitalised heading holds lower-case codes that its
    ``.VnTimeH``-style font draws as capitals (``HUYệN``, ``ủY``): a word with a capital after
    its first letter whose only lower-case letters are such letters is put in capitals
    (``HUYỆN``, ``ỦY``). ``Mỹ``, ``iPhone`` and ``McDonald`` are left as they are.
    """
    text = body.decode(encoding)
    if codecs.lookup(encoding).name == TCVN3:
        text = _CAPITALISED.sub(_capitals, text)
    return text


def to_tcvn3(text: str) -> bytes:
    """``text`` as a TCVN3 page holds it: capitals that TCVN3 lacks are written with the
    lower-case code (as ``.VnTimeH``-style fonts draw it). For tests and benchmarks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode(TCVN3))
        except UnicodeEncodeError:
            out.append(char.lower().encode(TCVN3, errors="replace"))
    return b"".join(out)
