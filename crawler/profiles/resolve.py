"""Which sites can be crawled, and with which profile: a registry row is a site.

Every row of the registry (``crawler/registry/sites.csv``, or ``$CRAWLER_REGISTRY``) is an
implicit site profile: its CMS family's profile (``cms``; ``unknown`` and ``custom`` read the
page layout-free, through the ``generic`` profile) plus the row's id, name, province, level and
base URL. It has no start paths of its own, so it starts at the home page and finds the news
sections there (``crawl.discover_sections``). A site profile file with the same id
(``crawler/profiles/sites/``) replaces the implicit one: files exist only to override.

Only ``active`` rows are crawled; a merged or archived row is refused, naming its successor.
A site profile file is always crawlable (its author chose to keep the site, e.g. a merged
district whose host now redirects to the province's portal).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from crawler.exceptions import ProfileError
from crawler.profiles import load_profiles, profiles_root
from crawler.profiles.schema import Profile
from crawler.registry import RegistryEntry, registry_by_id

__all__ = [
    "LAYOUT_FREE_FAMILIES",
    "crawl_ids",
    "how_crawled",
    "registry_mismatches",
    "registry_profile",
    "resolve_site",
    "site_profile_paths",
]

# registry families with no profile of their own: read layout-free (the generic profile)
LAYOUT_FREE_FAMILIES: Final[dict[str, str]] = {"unknown": "generic", "custom": "generic"}
HOME_PATHS: Final[list[str]] = ["/"]


def family_of(entry: RegistryEntry) -> str:
    """The CMS profile a registry row is read with."""
    return LAYOUT_FREE_FAMILIES.get(entry.cms, entry.cms)


def registry_profile(entry: RegistryEntry, root: Path | None = None) -> Profile:
    """The implicit site profile of a registry row: its family plus the row's identity."""
    profiles = load_profiles(root)
    family = profiles.get(family_of(entry))
    if family is None or family.kind != "cms":
        raise ProfileError(
            f"registry row {entry.id!r}: cms: no CMS profile {family_of(entry)!r} "
            f"(known: {', '.join(sorted(p.id for p in profiles.values() if p.kind == 'cms'))})"
        )
    data = family.model_dump()
    host = entry.host
    data.update(
        id=entry.id,
        kind="site",
        extends=family.id,
        name=entry.name,
        province=entry.province,
        level=entry.level,
        base_url=entry.base_url,
        start_paths=list(HOME_PATHS),
        # links on the bare host of a www. portal are its own too
        allowed_hosts=[host.removeprefix("www.")] if host.startswith("www.") else [],
        crawl={**data["crawl"], "discover_sections": True},
    )
    try:
        return Profile.model_validate(data)
    except ValueError as exc:
        raise ProfileError(f"registry row {entry.id!r}: {exc}") from None


def _by_id(registry: list[RegistryEntry] | None) -> Mapping[str, RegistryEntry]:
    return registry_by_id() if registry is None else {e.id: e for e in registry}


def _not_crawled(entry: RegistryEntry, url: bool = True) -> str:
    """Why a registry row is not crawled (empty for an active row)."""
    if entry.status == "active":
        return ""
    if entry.merged_into:
        successor = entry.merged_into
        if url and entry.successor_url:
            successor += f" ({entry.successor_url})"
        return f"{entry.status} \u2192 {successor}"
    return entry.status


def resolve_site(
    site_id: str, root: Path | None = None, registry: list[RegistryEntry] | None = None
) -> Profile:
    """The profile a crawl of ``site_id`` uses: its site profile file, else its registry row.

    Raises ProfileError for an unknown id, a CMS family, and a merged or archived registry
    row without a site profile file (naming the successor).
    """
    profiles = load_profiles(root)
    profile = profiles.get(site_id)
    if profile is not None and profile.kind == "site":
        return profile
    if profile is not None:
        raise ProfileError(f"{site_id!r} is a CMS family, not a site; use --start-url URL")
    entry = _by_id(registry).get(site_id)
    if entry is None:
        raise ProfileError(
            f"unknown site {site_id!r}: no site profile and no registry row "
            "(`python -m crawler sites` lists them)"
        )
    why = _not_crawled(entry)
    if why:
        raise ProfileError(f"{site_id}: not crawled: {why}")
    return registry_profile(entry, root)


def crawl_ids(root: Path | None = None, registry: list[RegistryEntry] | None = None) -> list[str]:
    """What ``nightly --all`` crawls: every site profile file and every active registry row."""
    files = {p.id for p in load_profiles(root).values() if p.kind == "site"}
    active = {e.id for e in _by_id(registry).values() if e.status == "active"}
    return sorted(files | active)


def how_crawled(entry: RegistryEntry, profiles: dict[str, Profile]) -> str:
    """``site profile``, ``family profile``, ``layout-free`` or ``not crawled (...)``."""
    profile = profiles.get(entry.id)
    if profile is not None and profile.kind == "site":
        return "site profile"
    why = _not_crawled(entry, url=False)
    if why:
        return f"not crawled ({why})"
    return "layout-free" if entry.cms in LAYOUT_FREE_FAMILIES else "family profile"


def site_profile_paths(root: Path | None = None) -> dict[str, Path]:
    """The file each site profile came from, by id (the profiles are already validated)."""
    base = root or profiles_root()
    paths: dict[str, Path] = {}
    for path in sorted((base / "sites").rglob("*.toml")):
        with path.open("rb") as fh:
            site_id = tomllib.load(fh).get("id")
        if isinstance(site_id, str):
            paths[site_id] = path
    return paths


def registry_mismatches(
    root: Path | None = None, registry: list[RegistryEntry] | None = None
) -> tuple[list[str], list[str]]:
    """Cross-check site profile files against the registry: (errors, warnings), one line each.

    A file whose id is a registry row must agree with it on province, base URL host and
    family (``extends`` against ``cms``, unless the row says ``unknown`` or ``custom``); a file
    with no row is a warning. Every registry row without a file must make a valid profile.
    """
    from crawler.registry import fold_vietnamese, registry_path

    profiles = load_profiles(root)
    rows = _by_id(registry)
    where = str(registry_path()) if registry is None else "the registry"
    errors: list[str] = []
    warnings: list[str] = []
    for site_id, path in site_profile_paths(root).items():
        profile, entry = profiles[site_id], rows.get(site_id)
        if entry is None:
            warnings.append(f"{path}: warning: site {site_id!r} is not in the registry ({where})")
            continue
        row = f"registry row {site_id} ({where})"
        if fold_vietnamese(profile.province) != fold_vietnamese(entry.province):
            errors.append(
                f"{path}: province: {profile.province!r}, but {row} says {entry.province!r}"
            )
        if profile.host.removeprefix("www.") != entry.host.removeprefix("www."):
            errors.append(f"{path}: base_url: host {profile.host!r}, but {row} says {entry.host!r}")
        if entry.cms not in LAYOUT_FREE_FAMILIES and profile.cms != entry.cms:
            errors.append(f"{path}: extends: {profile.cms!r}, but {row} says cms {entry.cms!r}")
    for entry in rows.values():
        if entry.id not in profiles:
            try:
                registry_profile(entry, root)
            except ProfileError as exc:
                errors.append(f"{where}: {exc}")
    return errors, warnings
