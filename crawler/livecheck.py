"""``python -m crawler sites check ID... --live``: does each profile still match its portal?

For every chosen site: fetch the first listing page, follow the first article link, extract it,
and report per field what was found. One polite request pair per site (the User-Agent of the
crawler, a 30 s timeout), no store. Used by operators with internet and by the weekly
``network``-marked test (``tests/live/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.error import URLError
from urllib.request import Request, urlopen

from crawler.extract import ArticlePage, ListingPage, selector_for
from crawler.fields import COVERAGE_FIELDS
from crawler.profiles import Profile, with_base_url
from crawler.settings import DOWNLOAD_TIMEOUT, USER_AGENT

REQUIRED = ("title", "body")


@dataclass
class SiteCheck:
    site: str
    listing_url: str
    article_url: str | None = None
    links: int = 0
    fields: dict[str, object] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(self.fields.get(f) for f in REQUIRED)


def _fetch(url: str, timeout: float) -> tuple[bytes, str, str | None]:
    req = Request(url, headers={"User-Agent": USER_AGENT})
    with urlopen(req, timeout=timeout) as resp:
        return resp.read(), resp.geturl(), resp.headers.get("Content-Type")


def check_site(
    profile: Profile, base_url: str | None = None, timeout: float = DOWNLOAD_TIMEOUT
) -> SiteCheck:
    if base_url:
        profile = with_base_url(profile, base_url)
    result = SiteCheck(profile.id, profile.start_urls[0])
    try:
        body, url, ctype = _fetch(result.listing_url, timeout)
        links = ListingPage(profile, url, selector_for(body, ctype)).article_links()
        result.links = len(links)
        if not links:
            result.error = "no article links on the first listing page"
            return result
        result.article_url = links[0]
        body, url, ctype = _fetch(links[0], timeout)
    except (URLError, OSError, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    data = ArticlePage(profile, url, selector_for(body, ctype)).extract()
    result.fields = {name: getattr(data, name) for name in COVERAGE_FIELDS}
    result.fields["site_stats"] = data.site_stats
    return result


def render(check: SiteCheck) -> list[str]:
    verdict = "OK" if check.ok else "BROKEN"
    lines = [f"{check.site}: {verdict} listing={check.listing_url} links={check.links}"]
    if check.error:
        lines.append(f"  error: {check.error}")
        return lines
    lines.append(f"  article: {check.article_url}")
    for name, value in check.fields.items():
        if value in (None, [], ""):
            shown = "MISSING"
        elif name == "body":
            shown = f"{len(str(value))} chars: {str(value)[:60]}…"
        elif name == "images":
            shown = f"{len(value)} image(s)"  # type: ignore[arg-type]
        else:
            shown = str(value)[:80]
        lines.append(f"  {name:<13} {shown}")
    return lines
