"""Load, merge and validate site profiles.

Two levels of TOML data: ``cms/<family>.toml`` holds one CMS family's selectors and URL rules;
``sites/<province>/<site>.toml`` says ``extends = "<family>"`` and adds the portal's identity,
politeness and expectations, plus any rule that differs. The merge is a deep merge with the site
winning, done once at load. Errors raise :class:`ProfileError` naming the file and the field.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from crawler.exceptions import ProfileError
from crawler.profiles.schema import Profile

PROFILES_DIR = Path(__file__).parent

__all__ = [
    "PROFILES_DIR",
    "Profile",
    "ProfileError",
    "deep_merge",
    "get_profile",
    "load_cms_profiles",
    "load_profiles",
    "with_base_url",
]


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``; nested tables merge, everything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from exc


def _has_path(data: dict[str, Any], loc: tuple[int | str, ...]) -> bool:
    node: Any = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            continue
        return False
    return True


def _validate(
    data: dict[str, Any], path: Path, blame: list[tuple[Path, dict[str, Any]]]
) -> Profile:
    """Validate merged data; an error names the file that set the failing field."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
            where = next((f for f, raw in blame if _has_path(raw, loc)), path)
            dotted = ".".join(str(p) for p in loc) or "(profile)"
            lines.append(f"{where}: {dotted}: {err['msg']}")
        raise ProfileError("\n".join(lines)) from None


def _check_known_keys(raw: dict[str, Any], path: Path) -> None:
    """Catch top-level typos before the merge hides which file they came from."""
    unknown = set(raw) - set(Profile.model_fields)
    if unknown:
        raise ProfileError(f"{path}: {min(unknown)}: unknown field")


def load_cms_profiles(root: Path | None = None) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Read every ``cms/*.toml`` (raw data, validated as a stand-alone profile)."""
    root = root or profiles_root()
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted((root / "cms").glob("*.toml")):
        raw = _read_toml(path)
        _check_known_keys(raw, path)
        family = raw.get("id") or path.stem
        if family != path.stem:
            raise ProfileError(f"{path}: id: {family!r} must match the file name {path.stem!r}")
        data = {"kind": "cms", "cms": family, **raw}
        _validate(data, path, [(path, raw)])
        out[family] = (path, data)
    return out


def _load(root: Path) -> dict[str, Profile]:
    families = load_cms_profiles(root)
    profiles: dict[str, Profile] = {}
    for family, (path, data) in families.items():
        profiles[family] = _validate(data, path, [(path, data)])
    for path in sorted((root / "sites").rglob("*.toml")):
        raw = _read_toml(path)
        _check_known_keys(raw, path)
        parent = raw.get("extends")
        if not parent:
            raise ProfileError(f"{path}: extends: a site profile must name its CMS family")
        if parent not in families:
            raise ProfileError(
                f"{path}: extends: unknown CMS family {parent!r} (known: {', '.join(families)})"
            )
        cms_path, cms_data = families[parent]
        merged = deep_merge(cms_data, {**raw, "kind": "site", "cms": parent})
        profile = _validate(merged, path, [(path, raw), (cms_path, cms_data)])
        if profile.id in profiles:
            raise ProfileError(f"{path}: id: {profile.id!r} is already used by another profile")
        profiles[profile.id] = profile
    return profiles


@cache
def _load_cached(root: Path) -> dict[str, Profile]:
    return _load(root)


def profiles_root() -> Path:
    """``$CRAWLER_PROFILES_DIR`` (an operator's own profiles) or the bundled ones."""
    return Path(os.environ.get("CRAWLER_PROFILES_DIR") or PROFILES_DIR)


@cache
def _resolved(root: Path) -> Path:
    return root.resolve()


def load_profiles(root: Path | None = None) -> dict[str, Profile]:
    """Every profile by id: CMS families (kind ``cms``) and sites (kind ``site``)."""
    return dict(_load_cached(_resolved(root or profiles_root())))


def get_profile(profile_id: str, root: Path | None = None) -> Profile:
    profiles = _load_cached(_resolved(root or profiles_root()))  # read only: no copy
    try:
        return profiles[profile_id]
    except KeyError:
        sites = sorted(p.id for p in profiles.values() if p.kind == "site")
        raise ProfileError(
            f"unknown site {profile_id!r}; known sites: {', '.join(sites)}"
        ) from None


def with_base_url(profile: Profile, base_url: str) -> Profile:
    """The same profile served from another address (local mini portal, moved portal)."""
    data = profile.model_dump()
    data["base_url"] = base_url
    if profile.host and profile.host not in profile.former_hosts:
        data["former_hosts"] = [*profile.former_hosts, profile.host]
    return Profile.model_validate(data)
