"""The registry after the 2025 reform, checked against ``vietnam-provinces``: 34 provinces,
province codes of every row (pre-merger provinces map to the province they merged into),
ward codes of commune rows, ``sites --province`` with old and new names."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from vietnam_provinces import Province, Ward

from crawler.registry import (
    FIELDS,
    RegistryEntry,
    RegistryError,
    current_province_code,
    filter_registry,
    load_registry,
    province_name,
)
from crawler.registry.units import (
    ABSORBED,
    RENAMED,
    current_provinces,
    fold_unit_name,
    pre_merger_provinces,
    ward,
)

ROOT = Path(__file__).resolve().parents[2]


def package_code(name: str) -> str:
    """A current province's code straight from vietnam-provinces (not through our lookup)."""
    [province] = [p for p in Province.iter_all() if p.name.removeprefix("Thành phố ") == name]
    return f"{int(province.code):02d}"


NINH_BINH = package_code("Ninh Bình")


@pytest.fixture(scope="module")
def registry() -> list[RegistryEntry]:
    return load_registry()


# -- the units themselves -------------------------------------------------------------------
def test_vietnam_provinces_has_the_2025_units() -> None:
    assert len(list(Province.iter_all())) == 34
    assert len(list(Ward.iter_all())) == 3321
    assert [p.code for p in current_provinces()] == sorted(
        f"{int(p.code):02d}" for p in Province.iter_all()
    )


def test_63_pre_merger_provinces_map_onto_the_34() -> None:
    names = pre_merger_provinces()
    assert len(names) == 63 == len({fold_unit_name(n) for n in names})
    codes = {current_province_code(n) for n in names}
    assert codes == {p.code for p in current_provinces()}  # every current province, no other
    assert all(f"{number:02d}" in codes for number in [*ABSORBED, *RENAMED])
    assert sum(len(group) for group in ABSORBED.values()) == 29  # 63 - 34 absorbed
    # a province that absorbed others kept one predecessor's name: never an absorbed one
    current = {fold_unit_name(p.name) for p in current_provinces()}
    assert not current & {fold_unit_name(n) for g in ABSORBED.values() for n in g}


@pytest.mark.parametrize(
    ("name", "current"),
    [
        ("Nam Định", "Ninh Bình"),
        ("nam dinh", "Ninh Bình"),
        ("Tỉnh Hà Nam", "Ninh Bình"),
        ("NINH BÌNH", "Ninh Bình"),
        ("Hải Dương", "Hải Phòng"),
        ("Thành phố Hải Phòng", "Hải Phòng"),
        ("Thừa Thiên Huế", "Huế"),
        ("Huế", "Huế"),
        ("Bà Rịa–Vũng Tàu", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("Đăk Nông", "Lâm Đồng"),
        ("Hoà Bình", "Phú Thọ"),
        ("Long An", "Tây Ninh"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Hà Nội", "Hà Nội"),
        ("1", "Hà Nội"),
        ("01", "Hà Nội"),
    ],
)
def test_any_name_maps_to_the_current_province_code(name: str, current: str) -> None:
    assert current_province_code(name) == package_code(current)


@pytest.mark.parametrize(
    "name", ["", "Trung ương", "Nam Dinhh", "Sở Y tế Hà Nội", "Xã Sơn Hồng", "99", "2"]
)
def test_no_province_gives_none(name: str) -> None:
    assert current_province_code(name) is None


def test_names_and_wards() -> None:
    assert province_name(NINH_BINH) == "Ninh Bình"
    assert province_name("01") == "Thành phố Hà Nội"
    unit = ward("10525")
    assert unit is not None and unit.name == "Phường Hải Dương"
    assert unit.province_code == package_code("Hải Phòng")
    assert ward(10525) == unit and ward("99999") is None and ward("x") is None


# -- the bundled registry ---------------------------------------------------------------------
def test_every_row_has_an_existing_current_province_code(registry: list[RegistryEntry]) -> None:
    codes = {f"{int(p.code):02d}" for p in Province.iter_all()}
    for entry in registry:
        if entry.province == "Trung ương":
            assert entry.province_code is None, entry.id
        else:
            assert entry.province_code in codes, entry.id
            assert entry.province_code == current_province_code(entry.province)


def test_nam_dinh_rows_map_to_ninh_binh(registry: list[RegistryEntry]) -> None:
    nam_dinh = [e for e in registry if e.province == "Nam Định"]
    assert {e.id for e in nam_dinh} >= {"nd-ubnd", "nd-hdnd", "nd-giaothuy"}
    for entry in nam_dinh:
        assert entry.province_code == NINH_BINH
        assert entry.successor_province_code == NINH_BINH  # merged_into "Tỉnh Ninh Bình"


def test_every_provincial_portal_before_and_after_the_merger(registry: list[RegistryEntry]) -> None:
    portals = [e for e in registry if e.level == "province" and e.id.endswith("-ubnd")]
    provinces = sorted((e.province for e in portals), key=fold_unit_name)
    assert provinces == pre_merger_provinces()  # 63, each once
    active = [e for e in portals if e.status == "active"]
    assert sorted((e.province_code for e in active), key=str) == sorted(
        f"{int(p.code):02d}" for p in Province.iter_all()
    )  # 34, each once
    current_portal = {e.province_code: e.base_url for e in active}
    for entry in portals:
        if entry.status == "merged":  # points to the portal of the province it merged into
            assert entry.successor_province_code == entry.province_code, entry.id
            assert current_province_code(entry.merged_into or "") == entry.province_code
            assert entry.successor_url == current_portal[entry.province_code], entry.id
        assert entry.host.endswith(".gov.vn")


def test_merged_rows_resolve_to_a_successor_province(registry: list[RegistryEntry]) -> None:
    for entry in registry:
        if entry.status != "merged":
            continue
        if entry.province == "Trung ương":
            assert entry.successor_province_code is None, entry.id  # a ministry
        else:
            assert entry.successor_province_code == entry.province_code, entry.id


def test_commune_rows_have_a_ward_of_their_province(registry: list[RegistryEntry]) -> None:
    communes = [e for e in registry if e.level == "commune"]
    assert communes
    for entry in communes:
        assert entry.ward_code is not None, entry.id
        unit = Ward.from_code(int(entry.ward_code))  # type: ignore[arg-type]
        assert f"{int(unit.province_code):02d}" == entry.province_code, entry.id
    rows = {e.id: e for e in registry}
    assert ward(rows["hp-haiduong"].ward_code).name == "Phường Hải Dương"  # type: ignore[union-attr]
    assert ward(rows["ht-sonlinh"].ward_code).name == "Xã Sơn Hồng"  # type: ignore[union-attr]
    assert all(e.ward_code is None for e in registry if e.level != "commune")


def test_new_rows_say_unknown_when_the_family_is_not_known(registry: list[RegistryEntry]) -> None:
    rows = {e.id: e for e in registry}
    for site_id in ("lch-ubnd", "hcm-ubnd", "brvt-ubnd", "tw-moet"):
        assert rows[site_id].cms == "unknown" and rows[site_id].evidence


# -- validation against vietnam-provinces ------------------------------------------------------
GOOD = {
    "id": "hp-haiduong",
    "name": "Cổng thông tin điện tử phường Hải Dương",
    "province": "Hải Dương",
    "ward_code": "10525",
    "level": "commune",
    "cms": "vnportal",
    "base_url": "https://haiduong.haiphong.gov.vn/",
    "status": "active",
    "merged_into": "",
    "successor_url": "",
    "evidence": "test",
}


def write(path: Path, rows: list[dict[str, str]], fields: tuple[str, ...] = FIELDS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_good_commune_row(tmp_path: Path) -> None:
    [entry] = load_registry(write(tmp_path / "ok.csv", [GOOD]))
    assert (entry.ward_code, entry.province_code) == ("10525", package_code("Hải Phòng"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"province": "Nam Dinhh"}, "province", "'Nam Dinhh' is not a province of Vietnam"),
        ({"ward_code": "99999"}, "ward_code", "'99999' is not the code of a commune or ward"),
        ({"ward_code": "1052"}, "ward_code", "must be the 5-digit official code"),
        (
            {"ward_code": "18160"},
            "ward_code",
            (
                "18160 (Xã Sơn Hồng) is in Hà Tĩnh (42), but province 'Hải Dương' is now "
                "Thành phố Hải Phòng (31)"
            ),
        ),
        ({"level": "district"}, "ward_code", "only commune-level rows have one"),
        (
            {"status": "merged", "merged_into": "Tỉnh Hưng Yên"},
            "merged_into",
            "'Tỉnh Hưng Yên' is Hưng Yên (33), but province 'Hải Dương' is now Thành phố Hải Phòng",
        ),
    ],
)
def test_a_code_that_does_not_exist_or_disagrees_names_the_row(
    tmp_path: Path, changes: dict[str, str], field: str, message: str
) -> None:
    other = {
        **GOOD,
        "id": "hp-ubnd",
        "province": "Hải Phòng",
        "ward_code": "",
        "level": "province",
        "base_url": "https://haiphong.gov.vn/",
    }
    path = write(tmp_path / "units.csv", [other, {**GOOD, **changes}])
    with pytest.raises(RegistryError) as excinfo:
        load_registry(path)
    assert str(excinfo.value).startswith(f"{path}:3: {field}: ")
    assert message in str(excinfo.value)


def test_a_merged_into_that_is_not_a_province_is_the_rows_own_province(tmp_path: Path) -> None:
    row = {
        **GOOD,
        "id": "ht-sonlinh",
        "province": "Hà Tĩnh",
        "ward_code": "18160",
        "base_url": "https://xasonlinh.hatinh.gov.vn/",
        "status": "merged",
        "merged_into": "Xã Sơn Hồng",
    }
    [entry] = load_registry(write(tmp_path / "merged.csv", [row]))
    assert entry.successor_province_code == entry.province_code == package_code("Hà Tĩnh")


def test_a_registry_file_without_the_ward_code_column_still_loads(tmp_path: Path) -> None:
    legacy = tuple(f for f in FIELDS if f != "ward_code")
    row = {
        **GOOD,
        "id": "nd-ubnd",
        "province": "Nam Định",
        "level": "province",
        "base_url": "https://namdinh.gov.vn/",
        "status": "merged",
        "merged_into": "Tỉnh Ninh Bình",
    }
    [entry] = load_registry(write(tmp_path / "old.csv", [row], legacy))
    assert (entry.ward_code, entry.province_code) == (None, NINH_BINH)


# -- filtering by old and new province names -------------------------------------------------
def ids(entries: list[RegistryEntry]) -> set[str]:
    return {e.id for e in entries}


def test_an_old_name_selects_that_provinces_rows(registry: list[RegistryEntry]) -> None:
    found = filter_registry(registry, province="Nam Định")
    assert ids(found) >= {"nd-ubnd", "nd-hdnd", "nd-giaothuy"}
    assert {e.province for e in found} == {"Nam Định"}
    assert filter_registry(registry, province="nam dinh") == found


def test_a_current_name_selects_every_row_now_part_of_it(registry: list[RegistryEntry]) -> None:
    found = filter_registry(registry, province="Ninh Bình")
    assert ids(found) >= {"nb-ubnd", "nd-ubnd", "nd-giaothuy", "hnm-ubnd"}
    assert {e.province for e in found} == {"Ninh Bình", "Nam Định", "Hà Nam"}
    assert filter_registry(registry, province=NINH_BINH) == found  # the code does the same
    assert filter_registry(registry, province="Tỉnh Ninh Bình") == found
    hai_phong = filter_registry(registry, province="Thành phố Hải Phòng")
    assert ids(hai_phong) >= {"hp-ubnd", "hd-ubnd", "hp-haiduong"}


def test_renamed_central_and_unknown_provinces(registry: list[RegistryEntry]) -> None:
    assert ids(filter_registry(registry, province="Huế")) == {"tth-ubnd"}
    assert ids(filter_registry(registry, province="Thừa Thiên Huế")) == {"tth-ubnd"}
    central = filter_registry(registry, province="Trung ương")
    assert central and all(e.id.startswith("tw-") for e in central)
    with pytest.raises(ValueError, match="'Nam Dinhh' is not a province"):
        filter_registry(registry, province="Nam Dinhh")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_sites_province_with_old_and_new_names() -> None:
    old = cli("sites", "--province", "Nam Định", "--json")
    assert old.returncode == 0, old.stderr
    rows = [json.loads(line) for line in old.stdout.splitlines()]
    assert {r["province"] for r in rows} == {"Nam Định"}
    assert {r["province_code"] for r in rows} == {NINH_BINH}
    new = cli("sites", "--province", "Ninh Bình")
    assert new.returncode == 0, new.stderr
    listed = {line.split()[0] for line in new.stdout.splitlines()[1:]}
    assert listed >= {"nb-ubnd", "nd-ubnd", "nd-giaothuy", "hnm-ubnd"}
    assert {r["id"] for r in rows} < listed
    bad = cli("sites", "--province", "Nam Dinhh")
    assert bad.returncode == 1 and "'Nam Dinhh' is not a province" in bad.stderr
