"""Vietnam's administrative units after the 2025 reform: province and ward codes for the data.

On 1 July 2025 (Resolution 202/2025/QH15) the 63 provinces became 34 and the district level was
abolished; the communes and wards were merged into 3,321. The current units and their official
codes (GSO: two digits for a province, five for a commune or ward) come from the
``vietnam-provinces`` package (pure data, no dependencies). That package knows only the current
units, so the one fact it lacks, which pre-merger provinces each current province absorbed, is
the table :data:`ABSORBED` below (the same 34 groups as ``vietnamadminunits``'
``DICT_PROVINCE``; the tests check it against ``vietnam-provinces``).

Every province name, old or new, maps to the code of the province it is part of *today* through
one function, :func:`current_province_code`: ``"Nam Định"`` and ``"Ninh Bình"`` both give
``"37"``. Codes are strings with their leading zeros (``"01"`` for Hà Nội, ``"00004"`` for
Phường Ba Đình), as the official lists print them. Note that a current code may be the pre-2025
code of another province (Long An was 80, Tây Ninh is 80 now): only current codes are used here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

__all__ = [
    "ABSORBED",
    "CENTRAL",
    "RENAMED",
    "CurrentProvince",
    "CurrentWard",
    "current_province_code",
    "current_provinces",
    "fold_unit_name",
    "fold_vietnamese",
    "is_central",
    "names_current_province",
    "pre_merger_provinces",
    "province_name",
    "ward",
]

CENTRAL: Final[str] = "Trung ương"  # the "province" of central ministries and agencies

# Resolution 202/2025/QH15: the pre-merger provinces each current province (by its current
# code) absorbed. The current province keeps the name of one of its predecessors, which is
# therefore not listed (Ninh Bình = Ninh Bình + Hà Nam + Nam Định).
ABSORBED: Final[dict[int, tuple[str, ...]]] = {
    8: ("Hà Giang",),  # Tuyên Quang
    15: ("Yên Bái",),  # Lào Cai
    19: ("Bắc Kạn",),  # Thái Nguyên
    24: ("Bắc Giang",),  # Bắc Ninh
    25: ("Vĩnh Phúc", "Hòa Bình"),  # Phú Thọ
    31: ("Hải Dương",),  # Thành phố Hải Phòng
    33: ("Thái Bình",),  # Hưng Yên
    37: ("Hà Nam", "Nam Định"),  # Ninh Bình
    44: ("Quảng Bình",),  # Quảng Trị
    48: ("Quảng Nam",),  # Thành phố Đà Nẵng
    51: ("Kon Tum",),  # Quảng Ngãi
    52: ("Bình Định",),  # Gia Lai
    56: ("Ninh Thuận",),  # Khánh Hòa
    66: ("Phú Yên",),  # Đắk Lắk
    68: ("Đắk Nông", "Bình Thuận"),  # Lâm Đồng
    75: ("Bình Phước",),  # Đồng Nai
    79: ("Bình Dương", "Bà Rịa - Vũng Tàu"),  # Thành phố Hồ Chí Minh
    80: ("Long An",),  # Tây Ninh
    82: ("Tiền Giang",),  # Đồng Tháp
    86: ("Bến Tre", "Trà Vinh"),  # Vĩnh Long
    91: ("Kiên Giang",),  # An Giang
    92: ("Sóc Trăng", "Hậu Giang"),  # Thành phố Cần Thơ
    96: ("Bạc Liêu",),  # Cà Mau
}
# pre-merger names of current provinces that absorbed nothing but changed name
RENAMED: Final[dict[int, tuple[str, ...]]] = {
    46: ("Thừa Thiên Huế",),  # Thành phố Huế since 1 January 2025
}
# usual short forms, matched like names
_ALIASES: Final[dict[int, tuple[str, ...]]] = {79: ("TP.HCM", "TPHCM", "HCM")}

_PREFIXES: Final[tuple[str, ...]] = ("tinh ", "thanh pho ", "tp ")
_NON_WORD: Final[re.Pattern[str]] = re.compile(r"[^0-9a-z]+")
# combining marks after NFD, as crawler.extract.text.fold_diacritics removes them (not imported:
# crawler.extract is the whole extraction stack, which the report command does not need)
_MARKS: Final[re.Pattern[str]] = re.compile("[\u0300-\u036f]+")


@dataclass(frozen=True)
class CurrentProvince:
    code: str  # "37"
    name: str  # official name: "Ninh Bình", "Thành phố Hà Nội"
    short_name: str  # without "Thành phố ": "Hà Nội"


@dataclass(frozen=True)
class CurrentWard:
    code: str  # "18160"
    name: str  # "Xã Sơn Hồng"
    province_code: str  # "42"


def fold_vietnamese(text: str) -> str:
    """Fold ``text`` for loose matching: no diacritics, ``đ`` -> ``d``, lower case.

    Whitespace runs collapse to one space, so ``"  Nam  Định "`` and ``"nam dinh"``
    fold to the same string.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join(_MARKS.sub("", decomposed).lower().split())


def fold_unit_name(name: str) -> str:
    """A province name folded for lookup: diacritics, case and punctuation ignored, and the
    ``Tỉnh`` / ``Thành phố`` / ``TP.`` prefix dropped (``"Tỉnh Bà Rịa–Vũng Tàu"`` ->
    ``"ba ria vung tau"``)."""
    folded = " ".join(_NON_WORD.sub(" ", fold_vietnamese(name)).split())
    for prefix in _PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def _code(value: int) -> str:
    return f"{value:02d}"


@cache
def _provinces() -> dict[str, CurrentProvince]:
    from vietnam_provinces import Province

    found: dict[str, CurrentProvince] = {}
    for province in Province.iter_all():
        code = _code(int(province.code))
        short = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        found[code] = CurrentProvince(code, province.name, short)
    return found


@cache
def _name_index() -> tuple[dict[str, str], frozenset[str]]:
    """``{folded name: current code}`` for every old, current and usual name, and the folded
    names of the current provinces."""
    index: dict[str, str] = {}
    current: set[str] = set()
    for code, province in _provinces().items():
        current.add(fold_unit_name(province.name))
        index[fold_unit_name(province.name)] = code
    for table, is_current in ((_ALIASES, True), (ABSORBED, False), (RENAMED, False)):
        for number, names in table.items():
            for name in names:
                folded = fold_unit_name(name)
                index[folded] = _code(number)
                if is_current:
                    current.add(folded)
    return index, frozenset(current)


@cache
def _wards() -> dict[str, CurrentWard]:
    from vietnam_provinces import Ward

    return {
        f"{int(w.code):05d}": CurrentWard(f"{int(w.code):05d}", w.name, _code(int(w.province_code)))
        for w in Ward.iter_all()
    }


def current_provinces() -> list[CurrentProvince]:
    """The 34 provinces and centrally-run cities since 1 July 2025, by code."""
    return [p for _, p in sorted(_provinces().items())]


def pre_merger_provinces() -> list[str]:
    """The 63 provinces as named before 1 July 2025 (short names: ``"Hà Nội"``, ``"Huế"`` as
    ``"Thừa Thiên Huế"``)."""
    renamed = {_code(n) for n in RENAMED}
    names = [p.short_name for p in current_provinces() if p.code not in renamed]
    names += [name for table in (ABSORBED, RENAMED) for group in table.values() for name in group]
    return sorted(names, key=fold_unit_name)


def is_central(name: str) -> bool:
    """``"Trung ương"`` (central ministries and agencies: no province)."""
    return fold_unit_name(name) == fold_unit_name(CENTRAL)


@lru_cache(maxsize=512)
def current_province_code(name: str | int | None) -> str | None:
    """The official code of the province ``name`` is part of since the 2025 merger.

    ``name`` is a province's name before or after the merger, in any spelling that folds the
    same (``"Nam Định"``, ``"nam dinh"``, ``"Tỉnh Nam Định"``: ``"37"``, Ninh Bình's), or a current
    code (``"1"``, ``"01"``, ``1``: ``"01"``). ``None`` for an empty name, ``"Trung ương"`` and a
    name that is no province.
    """
    if name is None or isinstance(name, bool):
        return None
    if isinstance(name, int) or str(name).strip().isdigit():
        code = _code(int(name))
        return code if code in _provinces() else None
    folded = fold_unit_name(name)
    if not folded:
        return None
    return _name_index()[0].get(folded)


def names_current_province(name: str) -> bool:
    """Whether ``name`` is the name (or code) of a province as it is since 2025: ``"Ninh Bình"``
    is, ``"Nam Định"`` and ``"Thừa Thiên Huế"`` are not."""
    if name.strip().isdigit():
        return current_province_code(name) is not None
    return fold_unit_name(name) in _name_index()[1]


def province_name(code: str | None) -> str | None:
    """The official current name of a province code (``"37"`` -> ``"Ninh Bình"``)."""
    if code is None:
        return None
    province = _provinces().get(code)
    return province.name if province else None


def ward(code: str | int | None) -> CurrentWard | None:
    """The commune or ward with this official code since 2025 (``"18160"`` or ``18160``)."""
    if code is None or isinstance(code, bool):
        return None
    text = str(code).strip()
    if not text.isdigit():
        return None
    return _wards().get(f"{int(text):05d}")
