"""Case-insensitive patterns that cost little where they do not match (pure).

``re.IGNORECASE`` with Vietnamese literals stops the regex engine from skipping ahead: every
position of the text tries every alternative, case-folding each character (20-30 µs for a
160-character line and a label pattern like ``VIEWS``). The layout-free reader asks such
questions of most text blocks and nearly always gets "no". A :class:`Caseless` pattern first
searches the lowercased text with the lowercased pattern, case-sensitively (a few µs), and only
when that finds a match runs the ``IGNORECASE`` regex, whose match object it returns: results
are always the ``IGNORECASE`` regex's own.

The pre-check answers like ``IGNORECASE`` because, character by character, the regex engine
compares simple lowercase forms, which ``str.lower`` gives too, except for "İ" (two characters)
and for the letters the engine also equates with others (``re._casefix``: "ı" with i, "ſ" with
s, Greek and Cyrillic variants) and the Greek final sigma: a text holding any of these
(``TRAPS``) skips the pre-check, and so does a pattern that escapes characters by code.
"""

from __future__ import annotations

import re
from re import _casefix  # type: ignore[attr-defined]

_EQUIVALENT = {chr(c) for key, others in _casefix._EXTRA_CASES.items() for c in (key, *others)}
# non-ASCII letters whose lowercase the engine may equate with another, or that lower
# differently from the engine (İ, and Σ in final position)
TRAPS = frozenset(
    {c for c in _EQUIVALENT if not c.isascii()}
    | {u for c in _EQUIVALENT for u in (c.upper(), c.title()) if len(u) == 1 and not u.isascii()}
    | {"\u0130", "\u03a3"}
)
_TRAP = re.compile("[" + "".join(sorted(re.escape(c) for c in TRAPS)) + "]")
_BY_CODE = re.compile(r"\\(?:[xuUN]|0|[0-7]{3})")  # \x41 or \101 may name an uppercase letter


def _lowered(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` with its literal characters lowercased (escapes kept), compiled without
    ``IGNORECASE``; None when that would not be equivalent."""
    if _TRAP.search(pattern) or _BY_CODE.search(pattern):
        return None
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])  # \S stays \S
            i += 2
            continue
        out.append(pattern[i].lower())
        i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return None


class Caseless:
    """``re.compile(pattern, re.IGNORECASE)``, with its ``search`` and ``match`` pre-checked."""

    __slots__ = ("_fast", "pattern", "regex")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.regex = re.compile(pattern, re.IGNORECASE)
        self._fast = _lowered(pattern)

    def _absent(self, text: str, anchored: bool) -> bool:
        """Whether the pre-check proves the pattern does not occur (at the start)."""
        fast = self._fast
        if fast is None or _TRAP.search(text):
            return False
        lowered = text.lower()
        return (fast.match(lowered) if anchored else fast.search(lowered)) is None

    def search(self, text: str) -> re.Match[str] | None:
        return None if self._absent(text, False) else self.regex.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return None if self._absent(text, True) else self.regex.match(text)
