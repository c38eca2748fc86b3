"""``python -m crawler extract``: read saved pages (or URLs) as the spider would, one JSON line
each; ``--listing`` reads listing pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.cli.common import EXIT_CONFIG, EXIT_OK, EXIT_UNHEALTHY, SubParsers, dump
from crawler.exceptions import ProfileError
from crawler.fields import EXTRACTED_FIELDS

EXTRACT_KEYS = ("url", "site", "cms", *EXTRACTED_FIELDS, "site_stats")


def _read_page(page: str) -> tuple[bytes, str, str | None]:
    """Bytes, URL and content type of a saved file or a URL (fetched politely, once)."""
    if page.startswith(("http://", "https://")):
        from urllib.request import Request, urlopen

        from crawler.settings import USER_AGENT

        req = Request(page, headers={"User-Agent": USER_AGENT})
        with urlopen(req, timeout=30) as resp:
            return resp.read(), resp.geturl(), resp.headers.get("Content-Type")
    path = Path(page)
    return path.read_bytes(), path.resolve().as_uri(), None


LISTING_KEYS = ("url", "cms", "article_links", "next_page", "method")


def _listing_record(profile: Any, url: str, sel: Any) -> dict[str, Any]:
    """What the spider reads from a listing page (the same page object)."""
    from crawler.extract import ListingPage

    page = ListingPage(profile, url, sel)
    links = page.article_links()
    return {
        "url": url,
        "cms": profile.cms,
        "article_links": links,
        "next_page": page.next_page(1, url),
        "method": page.method,
        **({"postback_pager": True} if page.postback_only else {}),
    }


def cmd_extract(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for page in args.pages:
        status = max(status, _extract_one(page, args))
    return status


def _extract_one(page: str, args: argparse.Namespace) -> int:
    """Print one page's JSON line; returns its exit status."""
    from crawler.extract import choose_profile, page_source

    try:
        body, url, content_type = _read_page(page)
    except OSError as exc:
        print(f"extract: cannot read {page}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    url = args.url or url
    sel, html = page_source(body, content_type)
    try:
        detection = choose_profile(html, url, args.site)
    except ProfileError as exc:
        print(f"extract: {page}: {exc}", file=sys.stderr)
        return EXIT_UNHEALTHY if not args.site else EXIT_CONFIG
    if args.verbose:
        print(
            f"extract: {page}: profile {detection.profile.id} ({detection.method})", file=sys.stderr
        )
    if args.listing:
        record = _listing_record(detection.profile, url, sel)
        print(dump(record))
        if not record["article_links"]:
            print(f"extract: {page}: no article links found", file=sys.stderr)
            return EXIT_UNHEALTHY
        return EXIT_OK
    return _article(page, detection.profile, url, sel, args.verbose)


def _article(page: str, profile: Any, url: str, sel: Any, verbose: bool) -> int:
    from crawler.extract import ArticlePage

    article = ArticlePage(profile, url, sel)
    data = article.extract()
    if article.looks_like_listing():
        print(f"extract: {page}: a listing page, not an article (use --listing)", file=sys.stderr)
        return EXIT_UNHEALTHY
    if not data.title and not data.body:
        print(
            f"extract: {page}: no article found with profile {profile.id} "
            f"(missing: {', '.join(data.missing)})",
            file=sys.stderr,
        )
        return EXIT_UNHEALTHY
    record = data.to_dict()
    record["site"] = profile.id if profile.kind == "site" else None
    if verbose:
        used = ", ".join(f"{k} by {v}" for k, v in sorted(data.methods.items())) or "rules"
        print(f"extract: {page}: fields found by {used}", file=sys.stderr)
    print(dump({k: record[k] for k in EXTRACT_KEYS}))
    return EXIT_OK


def register(sub: SubParsers) -> None:
    p = sub.add_parser("extract", help="extract saved pages or URLs, one JSON line each")
    p.add_argument("pages", nargs="+", metavar="PAGE", help="saved HTML file or URL")
    p.add_argument("--url", help="the page's original URL (resolves links, picks the site)")
    p.add_argument("--site", help="profile id (site or CMS family); default: detect")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say which profile was used and how each field was found",
    )
    p.add_argument(
        "--listing",
        action="store_true",
        help="read listing pages: article links and the next page, one JSON line each",
    )
    p.set_defaults(func=cmd_extract)
