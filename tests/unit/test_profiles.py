"""Profiles load, merge and compile; a bad profile fails at load naming the file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crawler.exceptions import ProfileError
from crawler.profiles import PROFILES_DIR, get_profile, load_profiles


def test_every_shipped_profile_loads() -> None:
    profiles = load_profiles()
    assert {"nd-giaothuy", "hn-sotttt", "vnportal", "liferay62"} <= set(profiles)
    site = profiles["nd-giaothuy"]
    assert site.kind == "site" and site.cms == "vnportal"
    assert site.start_urls == [
        "http://giaothuy.namdinh.gov.vn/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/"
    ]
    # merged: the site inherits the family's rules and overrides its crawl policy
    assert site.article.title.css
    assert site.crawl.delay == 2.0


def test_unknown_site_lists_known_ones() -> None:
    with pytest.raises(ProfileError, match="nd-giaothuy"):
        get_profile("nd-giaothuyy")


@pytest.fixture
def profile_root(tmp_path: Path) -> Path:
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    shutil.copytree(PROFILES_DIR / "sites", root / "sites")
    return root


def write_site(root: Path, text: str) -> Path:
    path = root / "sites" / "test" / "bad.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
id = "t-bad"
extends = "vnportal"
name = "Test"
level = "district"
base_url = "https://example.gov.vn/"
start_paths = ["/tin-tuc"]
"""


def test_site_extending_family_loads(profile_root: Path) -> None:
    write_site(profile_root, GOOD)
    assert load_profiles(profile_root)["t-bad"].cms == "vnportal"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("[article]\nviews = { css = '.x', pattern = '(unclosed' }\n", "article.views.pattern"),
        ("[article]\ntitle = { css = 'div[[' }\n", "article.title.css"),
        ("[article]\ntitle = { xpath = '//div[' }\n", "article.title.xpath"),
        ("[crawl]\ndelay = -1\n", "crawl.delay"),
        ("[crawl]\ndelayy = 3\n", "crawl.delayy"),
        ("[article]\ntitle = { css = '.t', xpath = '//h1' }\n", "article.title"),
        ("[article]\nbody_reading = 'fast'\n", "article.body_reading"),
    ],
)
def test_bad_field_names_file_and_field(profile_root: Path, extra: str, field: str) -> None:
    path = write_site(profile_root, GOOD + extra)
    with pytest.raises(ProfileError) as info:
        load_profiles(profile_root)
    message = str(info.value)
    assert str(path) in message
    assert field in message


def test_top_level_typo_and_bad_level_and_unknown_family(profile_root: Path) -> None:
    path = write_site(profile_root, GOOD + 'provinse = "X"\n')
    with pytest.raises(ProfileError, match=r"bad\.toml: provinse: unknown field"):
        load_profiles(profile_root)
    write_site(profile_root, GOOD.replace('"district"', '"distric"'))
    with pytest.raises(ProfileError, match=r"bad\.toml: level"):
        load_profiles(profile_root)
    write_site(profile_root, GOOD.replace('"vnportal"', '"vnportall"'))
    with pytest.raises(ProfileError, match=r"bad\.toml: extends: unknown CMS family"):
        load_profiles(profile_root)
    write_site(profile_root, "id = [")
    with pytest.raises(ProfileError, match=r"bad\.toml: invalid TOML"):
        load_profiles(profile_root)
    assert path.exists()


def test_error_in_family_file_names_the_family_file(profile_root: Path) -> None:
    family = profile_root / "cms" / "vnportal.toml"
    family.write_text(
        family.read_text(encoding="utf-8").replace(
            "[article]", "[article]\nsource = { css = ':::' }", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_profiles(profile_root)
    assert "vnportal.toml" in str(info.value) and "article.source.css" in str(info.value)
