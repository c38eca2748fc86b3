"""Pure extraction: saved bytes in, fields out.

Must not import the Scrapy engine (``scrapy.crawler``, spiders), ``pymongo`` or the pipelines;
``tests/unit/test_layering.py`` enforces it.
"""

from __future__ import annotations

from crawler.exceptions import ProfileError
from crawler.extract.detect import Detection, detect_family, site_for_host
from crawler.extract.pages import (
    ArticleData,
    ArticlePage,
    ListingPage,
    page_source,
    selector_for,
)
from crawler.profiles import load_profiles

GENERIC = "generic"

__all__ = [
    "ArticleData",
    "ArticlePage",
    "Detection",
    "ListingPage",
    "choose_profile",
    "extract_article",
    "page_source",
    "selector_for",
]


def choose_profile(html: str, url: str, profile_id: str | None = None) -> Detection:
    """The named profile, else the site that owns the URL's host, else the detected family."""
    profiles = load_profiles()
    if profile_id:
        if profile_id not in profiles:
            raise ProfileError(f"unknown site or CMS profile {profile_id!r}")
        return Detection(profiles[profile_id], "site")
    site = site_for_host(profiles, url)
    if site is not None:
        return Detection(site, "host")
    found = detect_family(profiles, html, url)
    if found is None:
        # an unknown layout: metadata and main-content heuristics (crawler/extract/fallback.py)
        return Detection(profiles[GENERIC], "fallback")
    return found


def extract_article(
    body: bytes | str,
    url: str,
    profile_id: str | None = None,
    content_type: str | None = None,
    site: str | None = None,
) -> ArticleData:
    sel, html = page_source(body, content_type)
    detection = choose_profile(html, url, profile_id)
    return ArticlePage(detection.profile, url, sel, site=site).extract()
