"""What one crawl is about: the site, its profile, its hosts and how article ids are made.

Built from the spider's arguments (``site`` or ``start_url``, ``base_url``, ``site_id``,
``max_pages``). The profile of a ``start_url`` crawl is only known after the first page
(:meth:`SiteTarget.profile_for`). Links are followed only on the site's own hosts, plus any
host a page redirected to (portals moved after the 2025 merger): the site id stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.exceptions import ProfileError
from crawler.extract import Detection, choose_profile
from crawler.profiles import Profile, with_base_url
from crawler.profiles.resolve import resolve_site
from crawler.urls import canonicalize

DEFAULT_MAX_PAGES = 10  # listing pages per start URL when no profile says otherwise


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


@dataclass
class SiteTarget:
    site_id: str
    profile: Profile | None
    start_url: str | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    hosts: set[str] = field(default_factory=set)
    alias: tuple[str, str] | None = None  # (served-from base, real base)
    detection: Detection | None = None

    @classmethod
    def from_args(
        cls,
        site: str | None = None,
        start_url: str | None = None,
        base_url: str | None = None,
        site_id: str | None = None,
        max_pages: str | int | None = None,
    ) -> SiteTarget:
        if not site and not start_url:
            raise ValueError("give -a site=<profile id> or -a start_url=<listing URL>")
        if site:
            profile = resolve_site(site)  # a site profile file, else its registry row
            if profile.kind != "site":
                raise ProfileError(f"{site!r} is a CMS family, not a site; use -a start_url=...")
            served = with_base_url(profile, base_url) if base_url else profile
            # a site served from another address (a mirror, the local mini portal) keeps its
            # real URLs as article ids, so runs from anywhere dedup together
            alias = (
                (served.base_url or base_url, profile.base_url)
                if (base_url and profile.base_url)
                else None
            )
            target = cls(profile.id, served, alias=alias, hosts=set(served.hosts))
        else:
            assert start_url is not None
            # the host, unless the operator names the site (``-a site_id=...``, ``--site-id``)
            target = cls(
                site_id or host_of(start_url) or "unknown",
                None,
                start_url=start_url,
                hosts={host_of(start_url)},
            )
        policy = target.profile.crawl.max_listing_pages if target.profile else DEFAULT_MAX_PAGES
        target.max_pages = int(max_pages) if max_pages else policy
        return target

    @property
    def start_urls(self) -> list[str]:
        return self.profile.start_urls if self.profile else [self.start_url or ""]

    def own(self, url: str) -> bool:
        """Whether ``url`` is on one of the site's hosts (or a host it moved to)."""
        host = host_of(url)
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def moved_to(self, url: str, redirected: bool) -> str | None:
        """A page that redirected to another host: the site moved; its new host is followed."""
        host = host_of(url)
        if not redirected or host in self.hosts:
            return None
        self.hosts.add(host)
        return host

    def profile_for(self, html: str, url: str) -> Profile:
        """The site's profile; for a ``start_url`` crawl, the CMS family detected on the first
        page (``detection`` says how). Raises :class:`ProfileError` if none fits."""
        if self.profile is None:
            self.detection = choose_profile(html, url)
            self.profile = self.detection.profile
        return self.profile

    def canonical(self, url: str) -> str:
        """The article's id: canonical URL, on the site's real host when served from an alias."""
        if self.alias and url.startswith(self.alias[0]):
            url = self.alias[1] + url[len(self.alias[0]) :]
        return canonicalize(url, self.profile.urls.strip_params if self.profile else ())
