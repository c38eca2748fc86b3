"""Shared test constants."""

from __future__ import annotations

# settings for fast crawls of the local mini portal (no politeness delays on 127.0.0.1)
FAST = ["-s", "GOV_PROFILE_DELAYS=False", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"]


def add_listing_links(folder, hrefs: list[str], titles: list[str] | None = None) -> None:
    """Put article links first on the mini portal's vnPortal listing page 1 (``listing-1.html``)."""
    listing = folder / "listing-1.html"
    items = "".join(
        f'<li class="row"><h2 class="Title"><a href="{href}">{title}</a></h2></li>\n'
        for href, title in zip(hrefs, titles or hrefs, strict=True)
    )
    html = listing.read_text(encoding="utf-8")
    marker = '<ul class="ArticleList">'
    assert marker in html, "not a vnPortal listing page"
    listing.write_text(html.replace(marker, marker + items, 1), encoding="utf-8")
