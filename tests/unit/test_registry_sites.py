"""A registry row is a site: implicit profiles, news sections found on the home page, the
``sites`` crawlability column and ``sites validate`` cross-checking profiles with the registry."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from crawler.exceptions import ProfileError
from crawler.extract.sections import fold_label, section_links
from crawler.profiles import PROFILES_DIR, load_profiles
from crawler.profiles.resolve import (
    crawl_ids,
    how_crawled,
    registry_mismatches,
    registry_profile,
    resolve_site,
)
from crawler.registry import REGISTRY_ENV, load_registry

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "tests" / "fixtures" / "unprofiled" / "static-rebuild" / "site" / "home.html"
URL = "https://xagiaothuy.ninhbinh.gov.vn/"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


# -- news sections on a home page (crawler/extract/sections.py) -----------------------------
def test_sections_of_the_static_rebuild_home_page() -> None:
    assert section_links(HOME.read_bytes(), URL) == [URL + "tin-tuc/trang-1.html"]


def menu(*links: str) -> str:
    return (
        "<html><body><ul class='menu'>"
        + "".join(f"<li>{a}</li>" for a in links)
        + "</ul></body></html>"
    )


def test_labels_match_without_diacritics_case_or_punctuation() -> None:
    nfd = unicodedata.normalize("NFD", "Tin hoạt động")
    page = menu(
        '<a href="/a">TIN TỨC – SỰ KIỆN</a>',
        f'<a href="/b"><span>{nfd}</span></a>',
        '<a href="/c" title="Tin địa phương"><img src="i.png"></a>',
    )
    assert section_links(page, URL) == [URL + "a", URL + "b", URL + "c"]
    assert fold_label("  Tin tức - Sự kiện » ") == "tin tuc su kien"


def test_sections_skip_other_hosts_documents_scripts_and_the_home_page() -> None:
    page = menu(
        '<a href="https://ninhbinh.gov.vn/tin-tuc">Tin tức</a>',
        '<a href="/">Tin tức</a>',
        '<a href="#tin">Tin tức</a>',
        '<a href="javascript:void(0)">Tin tức</a>',
        '<a href="/tb.pdf">Thông báo</a>',
        '<a href="/tin-tuc-khac">Tin tức khác</a>',  # not a section label
        '<a href="https://www.xagiaothuy.ninhbinh.gov.vn/tin-tuc#top">Tin tức</a>',
    )
    assert section_links(page, URL) == ["https://www.xagiaothuy.ninhbinh.gov.vn/tin-tuc"]


def test_at_most_three_sections_best_label_first_each_once() -> None:
    page = menu(
        '<a href="/tb">Thông báo</a>',
        '<a href="/hd">Hoạt động</a>',
        '<a href="/dp">Tin địa phương</a>',
        '<a href="/tt">Tin tức</a>',
        '<a href="/tt">Tin tức</a>',
        '<a href="/tt-sk">Tin tức - Sự kiện</a>',
    )
    assert section_links(page, URL) == [URL + "tt-sk", URL + "tt", URL + "hd"]
    assert section_links(menu('<a href="/x">Giới thiệu</a>'), URL) == []


# -- implicit profiles ----------------------------------------------------------------------
def test_a_registry_row_of_a_known_family_is_a_site() -> None:
    profile = resolve_site("nb-ubnd")
    assert profile.kind == "site" and profile.cms == profile.extends == "vnportal"
    assert profile.name == "Cổng thông tin điện tử tỉnh Ninh Bình"
    assert (profile.province, profile.level) == ("Ninh Bình", "province")
    assert profile.start_urls == ["https://ninhbinh.gov.vn/"]
    assert profile.crawl.discover_sections is True
    assert profile.listing == load_profiles()["vnportal"].listing  # the family's rules


def test_unknown_and_custom_rows_are_read_layout_free() -> None:
    assert resolve_site("hn-ubnd").cms == "generic"
    custom = resolve_site("th-sxd")  # custom family, on a www. host
    assert custom.cms == "generic" and custom.hosts == [
        "www.sxdthanhhoa.gov.vn",
        "sxdthanhhoa.gov.vn",
    ]


def test_a_site_profile_file_wins_over_its_row() -> None:
    profile = resolve_site("nd-giaothuy")  # merged in the registry, but a file keeps it
    assert profile.start_paths == ["/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/"]
    assert profile.crawl.discover_sections is False


def test_merged_archived_unknown_and_family_ids_are_refused() -> None:
    with pytest.raises(ProfileError, match=r"^nd-ubnd: not crawled: merged → Tỉnh Ninh Bình"):
        resolve_site("nd-ubnd")
    with pytest.raises(ProfileError, match="tw-ncov: not crawled: archived"):
        resolve_site("tw-ncov")
    with pytest.raises(ProfileError, match="unknown site 'nd-nowhere'"):
        resolve_site("nd-nowhere")
    with pytest.raises(ProfileError, match="CMS family"):
        resolve_site("vnportal")


def test_every_active_row_makes_a_valid_profile_and_is_crawled_by_all() -> None:
    registry = load_registry()
    active = [e for e in registry if e.status == "active"]
    assert len(active) >= 25
    for entry in active:
        profile = resolve_site(entry.id)
        assert profile.id == entry.id and profile.host == entry.host
    ids = crawl_ids()
    assert {e.id for e in active} | {"nd-giaothuy", "hn-sotttt"} == set(ids)
    assert "nd-ubnd" not in ids and "tw-ncov" not in ids


def test_how_each_row_is_crawled() -> None:
    profiles = load_profiles()
    rows = {e.id: e for e in load_registry()}
    assert how_crawled(rows["nd-giaothuy"], profiles) == "site profile"
    assert how_crawled(rows["nb-ubnd"], profiles) == "family profile"
    assert how_crawled(rows["hn-ubnd"], profiles) == "layout-free"
    assert how_crawled(rows["th-sxd"], profiles) == "layout-free"
    assert how_crawled(rows["nd-ubnd"], profiles) == "not crawled (merged → Tỉnh Ninh Bình)"
    assert how_crawled(rows["tw-ncov"], profiles) == "not crawled (archived)"


def test_a_row_whose_family_has_no_profile_names_it(tmp_path: Path) -> None:
    root = tmp_path / "profiles"
    (root / "cms").mkdir(parents=True)
    shutil.copy(PROFILES_DIR / "cms" / "generic.toml", root / "cms")
    entry = next(e for e in load_registry() if e.id == "nb-ubnd")
    with pytest.raises(
        ProfileError, match="registry row 'nb-ubnd': cms: no CMS profile 'vnportal'"
    ):
        registry_profile(entry, root)


def test_registry_file_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "reg.csv"
    lines = (ROOT / "crawler" / "registry" / "sites.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    monkeypatch.setenv(REGISTRY_ENV, str(path))
    assert [e.id for e in load_registry()] == ["hn-ubnd"]
    assert crawl_ids() == ["hn-sotttt", "hn-ubnd", "nd-giaothuy"]


# -- discover_sections in a profile file ------------------------------------------------------
SITE = """
id = "nb-xagiaothuy"
extends = "generic"
name = "Cổng thông tin điện tử xã Giao Thủy"
province = "Ninh Bình"
level = "commune"
base_url = "https://xagiaothuy.ninhbinh.gov.vn/"
start_paths = ["/"]

[crawl]
discover_sections = {value}
"""


@pytest.fixture
def profile_root(tmp_path: Path) -> Path:
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    shutil.copytree(PROFILES_DIR / "sites", root / "sites")
    return root


@pytest.mark.parametrize(("value", "valid"), [("true", True), ('"sometimes"', False)])
def test_discover_sections_is_a_validated_crawl_key(
    profile_root: Path, value: str, valid: bool
) -> None:
    path = profile_root / "sites" / "ninh-binh" / "giao-thuy.toml"
    path.parent.mkdir()
    path.write_text(SITE.format(value=value), encoding="utf-8")
    if valid:
        assert load_profiles(profile_root)["nb-xagiaothuy"].crawl.discover_sections is True
        return
    with pytest.raises(ProfileError, match=r"giao-thuy\.toml: crawl\.discover_sections: "):
        load_profiles(profile_root)


# -- sites validate: profiles against the registry ---------------------------------------------
def test_shipped_site_profiles_agree_with_the_registry() -> None:
    assert registry_mismatches() == ([], [])


def test_a_mismatch_names_the_file_and_the_field(profile_root: Path) -> None:
    path = profile_root / "sites" / "nam-dinh" / "giao-thuy.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('province = "Nam Định"', 'province = "Ninh Bình"')
        .replace('extends = "vnportal"', 'extends = "tandan_sharepoint"')
        .replace("giaothuy.namdinh.gov.vn", "giaothuy.ninhbinh.gov.vn"),
        encoding="utf-8",
    )
    errors, warnings = registry_mismatches(profile_root)
    assert warnings == []
    assert [line.split(": ")[:2] for line in errors] == [
        [str(path), "province"],
        [str(path), "base_url"],
        [str(path), "extends"],
    ]
    assert "'Nam Định'" in errors[0] and "'giaothuy.namdinh.gov.vn'" in errors[1]


def test_sites_validate_exits_1_on_a_mismatch_and_warns_on_an_unregistered_site(
    profile_root: Path,
) -> None:
    env = {"CRAWLER_PROFILES_DIR": str(profile_root)}
    extra = profile_root / "sites" / "ninh-binh" / "giao-thuy.toml"
    extra.parent.mkdir()
    extra.write_text(SITE.format(value="true"), encoding="utf-8")
    out = cli("sites", "validate", env=env)
    assert out.returncode == 0, out.stderr
    assert f"{extra}: warning: site 'nb-xagiaothuy' is not in the registry" in out.stderr
    sotttt = profile_root / "sites" / "ha-noi" / "sotttt.toml"
    sotttt.write_text(
        sotttt.read_text(encoding="utf-8").replace('province = "Hà Nội"', 'province = "Hà Nam"'),
        encoding="utf-8",
    )
    out = cli("sites", "validate", env=env)
    assert out.returncode == 1
    assert f"{sotttt}: province: 'Hà Nam', but registry row hn-sotttt" in out.stderr
    assert "every selector and regex compiled" not in out.stdout


# -- sites: the crawlability column -----------------------------------------------------------
def test_sites_shows_how_each_row_is_crawled() -> None:
    out = cli("sites")
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line for line in out.stdout.splitlines()[1:]}
    assert out.stdout.splitlines()[0].split()[-1] == "crawl"
    assert rows["nd-giaothuy"].endswith("site profile")
    assert rows["nb-ubnd"].endswith("family profile")
    assert rows["hn-ubnd"].endswith("layout-free")
    assert rows["nd-ubnd"].endswith("not crawled (merged → Tỉnh Ninh Bình)")
    registry = load_registry()
    crawled = [e for e in registry if e.status == "active" or e.id in ("nd-giaothuy", "hn-sotttt")]
    assert f"{len(registry)} portals, {len(crawled)} crawled" in out.stderr
    assert (len(registry), len(crawled)) == (96, 49)
    out = cli("sites", "--status", "archived", "--json")
    assert '"crawl": "not crawled (archived)"' in out.stdout and '"profile": false' in out.stdout


def test_sites_check_knows_registry_rows() -> None:
    """``sites check ID --live`` resolves a registry row (no profile file) like ``crawl``."""
    import socket
    import subprocess
    import sys
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "sites",
            "check",
            "nb-ubnd",
            "--live",
            "--base-url",
            f"http://127.0.0.1:{port}/",
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "nb-ubnd: BROKEN" in result.stdout and "unknown site" not in result.stderr
