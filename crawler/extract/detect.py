"""Pick the profile for a page: a site profile by host, else a CMS family by fingerprint.

Family detection scores each CMS profile by how many of its ``[detect] html`` regexes
(case-insensitive) occur in the whole page (its ``platform`` markers count only beside one of
its own fingerprints): some 50 patterns, each a scan of a 50 KB page that
usually finds nothing. So each pattern gets a *required literal*, derived once and cached: the
longest run of plain characters every match contains, lowercased (``required_literal``:
``'/portal/Pages/[^"]+\\.aspx'`` -> ``/portal/pages/``). The page is lowercased once per call,
and a pattern whose literal is not in it cannot match: its regex is skipped. A pattern that is
nothing but its literal is answered by that substring test, and one that starts with it is only
tried (``match``) where the literal occurs. The scores, and so the family chosen, are those of
searching every regex: a page holding a letter that ``re.IGNORECASE`` but not ``str.lower``
turns into an ASCII letter (``_CASE_TRAPS``) is scored by searching every regex, as before. The
lowercased page is searched as Latin-1 bytes (``_lowered``), and a family stops being scanned
once the patterns it has left cannot give it a score that would count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple
from urllib.parse import urlsplit

from crawler.profiles.schema import Profile

# the non-ASCII letters re.IGNORECASE equates with an ASCII letter: "İ" and "ı" with i, "ſ" with
# s, the Kelvin sign with k. str.lower() makes "İ" two characters and keeps "ı" and "ſ" (only
# the Kelvin sign would be safe); tests/extract/test_detect.py checks every code point
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")
_CLASS_ESCAPES = frozenset("dDwWsSbBAZ")  # escapes that match no fixed character
_INLINE_FLAG = re.compile(r"\(\?[aiLmsux-]")
_QUANTIFIER = re.compile(r"\{(?:\d+,?\d*|,\d*)\}")  # else "{" is a literal


@dataclass(frozen=True)
class Detection:
    profile: Profile
    method: str  # "site", "host", "fingerprint" or "none"
    score: int = 0


class _Fingerprint(NamedTuple):
    regex: re.Pattern[str]
    literal: str  # lowercased text every match contains ("" when none could be derived)
    pure: bool  # the pattern is exactly that literal: the substring test is the search
    prefix: bool  # every match starts with the literal: try the regex only where it occurs
    data: bytes  # the literal as the bytes searched (see _lowered)
    unsure: bool  # the literal holds "?", which in those bytes also stands for other letters


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _skip(pattern: str, i: int) -> int:
    """The index after the class ``[...]`` or the (nested) group ``(...)`` opening at ``i``."""
    depth = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "[":
            i += 1
            i += pattern[i : i + 1] == "^"
            i += pattern[i : i + 1] == "]"  # "]" first in a class is a member
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            if depth == 0:
                return i + 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 2 if c == "\\" else 1
    return i


def required_literal(pattern: str) -> tuple[str, bool, bool]:
    """The longest run of ASCII characters every match of ``pattern`` contains, lowercased,
    whether ``pattern`` is that run and nothing else, and whether ``pattern`` starts with it.

    Conservative: a run ends at any class, group, anchor, wildcard or class escape (``\\w``), a
    character followed by ``?``, ``*`` or ``{m,n}`` is dropped (it may be absent), and a pattern
    with a top-level ``|``, an inline flag, a ``{`` that is not a quantifier or an escape
    naming a character by code (``\\x27``, ``\\1``) yields ``""``: no pre-check.
    """
    runs, i = [""], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            char, i = pattern[i + 1], i + 2  # an escaped punctuation character: itself
        elif c == "\\":
            if pattern[i + 1 : i + 2] not in _CLASS_ESCAPES:
                return "", False, False
            runs.append("")
            i += 2
            continue
        elif (
            c == "|"
            or _INLINE_FLAG.match(pattern, i)
            or (c == "{" and not _QUANTIFIER.match(pattern, i))
        ):
            return "", False, False
        elif c in "[(":
            runs.append("")
            i = _skip(pattern, i)
            continue
        elif c in ".^$*+?{}])":
            runs.append("")
            i = pattern.index("}", i) + 1 if c == "{" else i + 1
            continue
        else:
            char, i = c, i + 1
        if not char.isascii() or pattern[i : i + 1] in ("?", "*", "{"):
            runs.append("")  # optional (or a letter with Unicode case rules): not required
            continue
        runs[-1] += char.lower()
        if pattern[i : i + 1] == "+":
            runs.append("")  # required once, but what follows may be more of it
    literal = max(runs, key=len)
    return literal, len(runs) == 1, bool(literal) and runs[0] == literal


@cache
def _fingerprint(pattern: str) -> _Fingerprint:
    literal, pure, prefix = required_literal(pattern)
    return _Fingerprint(
        _regex(pattern), literal, pure, prefix, literal.encode("ascii"), "?" in literal
    )


def _lowered(html: str) -> bytes | None:
    """``html`` lowercased for the literal pre-check; None when it holds a ``_CASE_TRAPS``.

    One byte per character (Latin-1, any other character as "?"), ASCII letters lowercased:
    ``lowered[i]`` stands for ``html[i]`` (same indices), and an ASCII letter in ``lowered``
    comes from exactly the characters ``re.IGNORECASE`` equates with it. Bytes are lowered and
    searched faster than text holding Vietnamese letters (two bytes a character).
    """
    if any(c in html for c in _CASE_TRAPS):
        return None
    return html.encode("latin-1", "replace").lower()


def _html_score(
    patterns: Sequence[str], html: str, lowered: bytes | None, need: int | None = None
) -> int:
    """How many ``patterns`` ``re.search`` finds in ``html`` (``lowered``: ``_lowered(html)``).

    With ``need``, the count stops (below ``need``) once the patterns left cannot reach it.
    """
    score = 0
    left = len(patterns)
    for pattern in patterns:
        if need is not None and score + left < need:
            break
        left -= 1
        fp = _fingerprint(pattern)
        if lowered is None:
            score += fp.regex.search(html) is not None
            continue
        at = lowered.find(fp.data)
        if at < 0 or (fp.pure and not fp.unsure):
            score += at >= 0
        elif fp.prefix:  # a match can only start where the literal does (same indices)
            while at >= 0 and not fp.regex.match(html, at):
                at = lowered.find(fp.data, at + 1)
            score += at >= 0
        else:
            score += fp.regex.search(html) is not None
    return score


def _score(
    profile: Profile, html: str, lowered: bytes | None, url: str, need: int | None = None
) -> int:
    """``profile``'s fingerprint score; with ``need``, exact only when it reaches ``need``.

    Its own ``html`` and ``url`` fingerprints, plus its ``platform`` markers when at least one
    of its own matched (0 when none did).
    """
    detect = profile.detect
    own = sum(1 for p in detect.url if _regex(p).search(url))
    # the own hits a score reaching ``need`` must have, with every platform marker found
    own_need = None if need is None else max(need - len(detect.platform), 1) - own
    own += _html_score(detect.html, html, lowered, own_need)
    if not own:
        return 0
    return own + _html_score(detect.platform, html, lowered, None if need is None else need - own)


def fingerprint_score(profile: Profile, html: str, url: str) -> int:
    """How many of ``profile``'s ``[detect]`` regexes match the page and its URL."""
    return _score(profile, html, _lowered(html), url)


def site_for_host(profiles: dict[str, Profile], url: str) -> Profile | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    for profile in profiles.values():
        if profile.kind == "site" and host in {
            h.removeprefix("www.") for h in (profile.host, *profile.former_hosts)
        }:
            return profile
    return None


def detect_family(profiles: dict[str, Profile], html: str, url: str) -> Detection | None:
    """The CMS family whose fingerprints match best, if it reaches its ``min_score``."""
    best: Detection | None = None
    lowered = _lowered(html)
    for profile in profiles.values():
        if profile.kind != "cms":
            continue
        # only a score reaching this matters: the pages that match no family (most, when no
        # site owns the host) stop scanning a family once its patterns left cannot reach it
        need = (
            profile.detect.min_score
            if best is None
            else max(profile.detect.min_score, best.score + 1)
        )
        score = _score(profile, html, lowered, url, need)
        if score >= profile.detect.min_score and (best is None or score > best.score):
            best = Detection(profile, "fingerprint", score)
    return best
