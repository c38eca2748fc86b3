"""Pick the profile for a page: a site profile by host, else a CMS family by fingerprint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from crawler.profiles.schema import Profile


@dataclass(frozen=True)
class Detection:
    profile: Profile
    method: str  # "site", "host", "fingerprint" or "none"
    score: int = 0


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def fingerprint_score(profile: Profile, html: str, url: str) -> int:
    detect = profile.detect
    return sum(1 for p in detect.html if _regex(p).search(html)) + sum(
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
    for profile in profiles.values():
        if profile.kind != "cms":
            continue
        score = fingerprint_score(profile, html, url)
        if score >= profile.detect.min_score and (best is None or score > best.score):
            best = Detection(profile, "fingerprint", score)
    return best
