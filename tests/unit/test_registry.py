"""Tests for the site registry (crawler/registry): shipped data and validation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crawler.registry import (
    CMS_FAMILIES,
    FIELDS,
    LEVELS,
    STATUSES,
    RegistryEntry,
    RegistryError,
    filter_registry,
    fold_vietnamese,
    load_registry,
)

GOOD_ROW = {
    "id": "nd-giaothuy",
    "name": "Cổng thông tin điện tử huyện Giao Thủy",
    "province": "Nam Định",
    "level": "district",
    "cms": "vnportal",
    "base_url": "http://giaothuy.namdinh.gov.vn/",
    "status": "merged",
    "merged_into": "Tỉnh Ninh Bình",
    "successor_url": "https://ninhbinh.gov.vn/",
    "evidence": "portals.md §1 B",
}


@pytest.fixture(scope="module")
def registry() -> list[RegistryEntry]:
    return load_registry()


def by_id(entries: list[RegistryEntry]) -> dict[str, RegistryEntry]:
    return {entry.id: entry for entry in entries}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_shipped_registry_loads_with_enough_entries(registry: list[RegistryEntry]) -> None:
    assert len(registry) >= 45
    assert len({entry.id for entry in registry}) == len(registry)


@pytest.mark.parametrize(
    ("site_id", "host", "cms"),
    [
        ("nd-giaothuy", "giaothuy.namdinh.gov.vn", "vnportal"),
        ("nd-ubnd", "namdinh.gov.vn", None),
        ("nb-ubnd", "ninhbinh.gov.vn", None),
        ("hn-sotttt", "sotttt.hanoi.gov.vn", "liferay62"),
        ("tn-tanbien", "tanbien.tayninh.gov.vn", "nukeviet"),
    ],
)
def test_required_sites_present(
    registry: list[RegistryEntry], site_id: str, host: str, cms: str | None
) -> None:
    entry = by_id(registry)[site_id]
    assert entry.host == host
    assert entry.base_url.endswith(f"//{host}/")
    if cms is not None:
        assert entry.cms == cms


def test_nam_dinh_portals_point_to_ninh_binh(registry: list[RegistryEntry]) -> None:
    sites = by_id(registry)
    for site_id in ("nd-giaothuy", "nd-ubnd"):
        entry = sites[site_id]
        assert entry.status == "merged"
        assert entry.merged_into == "Tỉnh Ninh Bình"
        assert entry.successor_url == sites["nb-ubnd"].base_url


def test_every_level_and_status_is_used(registry: list[RegistryEntry]) -> None:
    assert {entry.level for entry in registry} == set(LEVELS)
    assert {entry.status for entry in registry} == set(STATUSES)
    assert {entry.cms for entry in registry} <= set(CMS_FAMILIES)


def test_optional_fields_are_none_not_empty(registry: list[RegistryEntry]) -> None:
    for entry in registry:
        assert entry.merged_into != ""
        assert entry.successor_url != ""
        if entry.status == "merged":
            assert entry.merged_into is not None
        if entry.status == "active":
            assert entry.merged_into is None


def test_district_portals_are_no_longer_active(registry: list[RegistryEntry]) -> None:
    districts = filter_registry(registry, level="district")
    assert districts
    assert all(entry.status in ("merged", "archived") for entry in districts)


def test_filter_province_ignores_case_and_diacritics(registry: list[RegistryEntry]) -> None:
    found = filter_registry(registry, province="nam dinh")
    assert "nd-giaothuy" in {entry.id for entry in found}
    assert all(entry.province == "Nam Định" for entry in found)
    assert filter_registry(registry, province="NAM ĐỊNH") == found


def test_filter_by_cms_and_combined_criteria(registry: list[RegistryEntry]) -> None:
    liferay = filter_registry(registry, cms="liferay62")
    assert liferay
    assert all(entry.cms == "liferay62" for entry in liferay)
    assert "hn-sotttt" in {entry.id for entry in liferay}

    hanoi_districts = filter_registry(registry, province="ha noi", level="district")
    assert hanoi_districts
    assert all(e.province == "Hà Nội" and e.level == "district" for e in hanoi_districts)
    assert filter_registry(registry) == registry


def test_filter_rejects_unknown_values(registry: list[RegistryEntry]) -> None:
    with pytest.raises(ValueError, match="level"):
        filter_registry(registry, level="distric")


def test_fold_vietnamese() -> None:
    assert fold_vietnamese("  Nam  Định ") == "nam dinh"
    assert fold_vietnamese("ĐẮK LẮK") == "dak lak"
    assert fold_vietnamese("Thừa Thiên Huế") == "thua thien hue"


def test_good_csv_loads(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "good.csv", [GOOD_ROW])
    [entry] = load_registry(path)
    assert entry == RegistryEntry(
        id="nd-giaothuy",
        name="Cổng thông tin điện tử huyện Giao Thủy",
        province="Nam Định",
        level="district",
        cms="vnportal",
        base_url="http://giaothuy.namdinh.gov.vn/",
        status="merged",
        merged_into="Tỉnh Ninh Bình",
        successor_url="https://ninhbinh.gov.vn/",
        evidence="portals.md §1 B",
    )


def test_wrong_level_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    other = {**GOOD_ROW, "id": "nb-ubnd", "base_url": "https://ninhbinh.gov.vn/"}
    other.update(level="province", status="active", merged_into="", successor_url="")
    bad = {**GOOD_ROW, "level": "distric"}
    path = write_csv(tmp_path / "bad-level.csv", [other, bad])
    with pytest.raises(RegistryError) as excinfo:
        load_registry(path)
    message = str(excinfo.value)
    assert "bad-level.csv:3:" in message
    assert "level" in message
    assert "'distric' is not one of province, department, district, commune" in message


def test_duplicate_id_is_reported(tmp_path: Path) -> None:
    duplicate = {**GOOD_ROW, "base_url": "https://giaothuy2.namdinh.gov.vn/"}
    path = write_csv(tmp_path / "dup.csv", [GOOD_ROW, duplicate])
    with pytest.raises(RegistryError, match=r"dup\.csv:3: id: duplicate 'nd-giaothuy'"):
        load_registry(path)


def test_merged_without_merged_into_is_reported(tmp_path: Path) -> None:
    bad = {**GOOD_ROW, "merged_into": ""}
    path = write_csv(tmp_path / "nomerge.csv", [bad])
    with pytest.raises(RegistryError, match=r"nomerge\.csv:2: merged_into: required"):
        load_registry(path)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "NamDinh_GiaoThuy"}, "id"),
        ({"cms": "wordpress"}, "cms"),
        ({"status": "dead"}, "status"),
        ({"base_url": "ftp://giaothuy.namdinh.gov.vn/"}, "base_url"),
        ({"base_url": "https://example.com/"}, "base_url"),
        ({"base_url": "https://giaothuy.namdinh.gov.vn/huyengiaothuy/"}, "base_url"),
        ({"successor_url": "ninhbinh.gov.vn"}, "successor_url"),
        ({"name": ""}, "name"),
        ({"status": "active"}, "merged_into"),
    ],
)
def test_invalid_values_are_reported(tmp_path: Path, changes: dict[str, str], field: str) -> None:
    path = write_csv(tmp_path / "sites.csv", [{**GOOD_ROW, **changes}])
    with pytest.raises(RegistryError, match=rf"sites\.csv:2: {field}: "):
        load_registry(path)


def test_wrong_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("id,name\nnd-giaothuy,Giao Thủy\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"header\.csv:1: header: "):
        load_registry(path)


def test_short_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(",".join(FIELDS) + "\nnd-giaothuy,Giao Thủy\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"short\.csv:2: "):
        load_registry(path)


def test_registry_families_are_profile_families() -> None:
    from crawler.profiles import load_profiles

    families = {p.id for p in load_profiles().values() if p.kind == "cms"}
    for entry in load_registry():
        assert entry.cms in families | {"custom", "unknown"}, entry.id
