"""Pick the profile for a page: a site profile by host, else a CMS family by fingerprint.

Family detection searches every CMS profile's ``[detect] html`` regexes (case-insensitive) in
the whole page: ~135 scans of a 50 KB page, most of which find nothing. Each pattern therefore
carries a *required literal*: the longest run of plain characters that every match contains
(``'/portal/Pages/[^"]+\\.aspx'`` -> ``/portal/pages/``; derived once per pattern, lowercased).
The page is lowercased once per call; a pattern whose literal is not in it cannot match and
its regex is skipped, and a pattern that is nothing but its literal is answered by that
substring test alone. Scores (and so the chosen family) are those of running every regex:
when the page holds one of the few non-ASCII letters that ``re.IGNORECASE`` equates with an
ASCII letter but ``str.lower`` does not (``_CASE_TRAPS``), every regex runs as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple
from urllib.parse import urlsplit

from crawler.profiles.schema import Profile

# "İ" and "ı" match i, "ſ" matches s and the Kelvin sign matches k under re.IGNORECASE, yet
# str.lower() turns none of them into that single ASCII letter (tests/extract/test_detect.py)
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")
_CLASS_ESCAPES = frozenset("dDwWsSbBAZ")  # escapes that match no fixed character


@dataclass(frozen=True)
class Detection:
    profile: Profile
    method: str  # "site", "host", "fingerprint" or "none"
    score: int = 0


class _Fingerprint(NamedTuple):
    regex: re.Pattern[str]
    literal: str  # lowercased text every match contains ("" when none could be derived)
    pure: bool  # the pattern is exactly that literal: the substring test is the search


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _skip(pattern: str, i: int) -> int:
    """The index after the class ``[...]`` or the (nested) group ``(...)`` opening at ``i``."""
    depth, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            # "]" right after "[" or "[^" is a member, not the end
            if c == "]" and pattern[i - 1] != "[" and pattern[i - 2 : i] != "[^":
                in_class = False
                if depth == 0:
                    return i + 1
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def required_literal(pattern: str) -> tuple[str, bool]:
    """The longest run of ASCII characters every match of ``pattern`` contains, lowercased, and
    whether ``pattern`` is that run and nothing else.

    Conservative: a run ends at any class, group, anchor, wildcard or class escape, a character
    followed by ``?``, ``*`` or ``{`` is dropped (it may be absent), and a pattern with a
    top-level ``|``, a global inline flag or an escape naming a character by code (``\\x27``,
    ``\\1``) yields ``""`` (no pre-check).
    """
    runs, pure, i = [""], True, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            char, i = pattern[i + 1], i + 2  # an escaped punctuation character: itself
        elif c == "\\":
            if pattern[i + 1 : i + 2] not in _CLASS_ESCAPES:
                return "", False
            runs.append("")
            pure, i = False, i + 2
            continue
        elif c == "|" or (c == "(" and re.match(r"\(\?[a-zA-Z]", pattern[i:]) and
                          pattern[i + 2] != "P"):
            return "", False
        elif c in "[(":
            runs.append("")
            pure, i = False, _skip(pattern, i)
            continue
        elif c in ".^$*+?{}])":
            if c == "{":
                end = pattern.find("}", i)
                i = len(pattern) if end < 0 else end
            runs.append("")
            pure, i = False, i + 1
            continue
        else:
            char, i = c, i + 1
        if not char.isascii() or pattern[i : i + 1] in ("?", "*", "{"):
            runs.append("")  # optional (or a letter with Unicode case rules): not required
            pure = False
            continue
        runs[-1] += char.lower()
        if pattern[i : i + 1] == "+":
            runs.append("")  # required once, but what follows may be more of it
    return max(runs, key=len), pure and len(runs) == 1


@cache
def _fingerprint(pattern: str) -> _Fingerprint:
    literal, pure = required_literal(pattern)
    return _Fingerprint(_regex(pattern), literal, pure)


def _lowered(html: str) -> str | None:
    """``html`` lowercased for the literal pre-check; None when it holds a ``_CASE_TRAPS``."""
    return None if any(c in html for c in _CASE_TRAPS) else html.lower()


def _html_score(patterns: Iterable[str], html: str, lowered: str | None) -> int:
    score = 0
    for pattern in patterns:
        fp = _fingerprint(pattern)
        if lowered is not None and (fp.literal not in lowered or fp.pure):
            score += fp.literal in lowered
        else:
            score += fp.regex.search(html) is not None
    return score


def fingerprint_score(profile: Profile, html: str, url: str, lowered: str | None = None) -> int:
    """How many of ``profile``'s ``[detect]`` regexes match the page and its URL.

    ``lowered`` is ``html.lower()`` if the caller has it (see the module docstring).
    """
    detect = profile.detect
    if lowered is None:
        lowered = _lowered(html)
    return _html_score(detect.html, html, lowered) + sum(
        1 for p in detect.url if _regex(p).search(url)
    )


def site_for_host(profiles: dict[str, Profile], url: str) -> Profile | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    for profile in profiles.values():
        if profile.kind == "site" and host in {h.removeprefix("www.") for h in (profile.host, *profile.former_hosts)}:
            return profile
    return None


def detect_family(profiles: dict[str, Profile], html: str, url: str) -> Detection | None:
    """The CMS family whose fingerprints match best, if it reaches its ``min_score``."""
    best: Detection | None = None
    lowered = _lowered(html)
    for profile in profiles.values():
        if profile.kind != "cms":
            continue
        score = fingerprint_score(profile, html, url, lowered)
        if score >= profile.detect.min_score and (best is None or score > best.score):
            best = Detection(profile, "fingerprint", score)
    return best
