"""Site registry: the list of Vietnamese government portals the crawler knows about.

The data lives in ``sites.csv`` beside this module, one row per portal (host), with
its administrative level, CMS family, status after the 2025 administrative merger
(Resolution 202/2025/QH15: 63 provinces became 34 and the district level was
abolished on 1 July 2025) and the evidence for each fact. This module only reads
and validates that file and filters its rows; besides the standard library it imports
only ``vietnam-provinces`` (pure data, through :mod:`crawler.registry.units`) and must
stay free of Scrapy, storage and network code.

Conventions of the data:

* ``id`` is ``<province-code>-<unit>``; the code is that of the province named in
  the host (``nd-giaothuy`` for ``giaothuy.namdinh.gov.vn``), ``tw`` for central
  ministries and agencies (whose ``province`` is ``"Trung ương"``).
* ``province`` is the province as named *before* the 2025 merger, with diacritics.
* ``ward_code`` (commune-level rows only, optional) is the official code of the commune or
  ward the portal belongs to since 2025 (for a commune merged in 2025: the one it became
  part of); it is checked against ``vietnam-provinces``.
* ``merged_into`` names the successor unit of a ``merged`` portal (for abolished
  districts usually the province, since their communes were split among several
  new ones); ``successor_url`` is the successor's portal when known.

Computed when a row is read, never written in the file (one source of truth, the
``province`` name): ``province_code``, the official code of the province the row's province
is part of *now* (``"37"``, Ninh Bình, for a Nam Định row; ``None`` for ``Trung ương``), and
``successor_province_code``, the province of ``merged_into`` (the row's own when the successor
is a department or commune of the same province).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, TypeVar, cast, get_args
from urllib.parse import urlsplit

from crawler.registry.units import (
    current_province_code,
    fold_unit_name,
    fold_vietnamese,
    is_central,
    names_current_province,
    province_name,
    ward,
)

__all__ = [
    "CMS_FAMILIES",
    "DEFAULT_REGISTRY_PATH",
    "FIELDS",
    "LEVELS",
    "REGISTRY_ENV",
    "STATUSES",
    "Cms",
    "Level",
    "RegistryEntry",
    "RegistryError",
    "Status",
    "current_province_code",
    "filter_registry",
    "fold_vietnamese",
    "load_registry",
    "province_name",
    "registry_by_id",
    "registry_path",
]

Level = Literal["province", "department", "district", "commune"]
Cms = Literal[
    "tandan_sharepoint",
    "vnportal",
    "vhv",
    "liferay62",
    "liferay7",
    "nukeviet",
    "ministry_sharepoint",
    "custom",
    "unknown",
]
Status = Literal["active", "archived", "merged"]

LEVELS: Final[tuple[Level, ...]] = get_args(Level)
CMS_FAMILIES: Final[tuple[Cms, ...]] = get_args(Cms)
STATUSES: Final[tuple[Status, ...]] = get_args(Status)

FIELDS: Final[tuple[str, ...]] = (
    "id",
    "name",
    "province",
    "ward_code",
    "level",
    "cms",
    "base_url",
    "status",
    "merged_into",
    "successor_url",
    "evidence",
)
# columns a registry file may leave out (an operator's file written before they existed)
OPTIONAL_COLUMNS: Final[tuple[str, ...]] = ("ward_code",)
_REQUIRED: Final[tuple[str, ...]] = (
    "id",
    "name",
    "province",
    "level",
    "cms",
    "base_url",
    "status",
    "evidence",
)

DEFAULT_REGISTRY_PATH: Final[Path] = Path(__file__).resolve().with_name("sites.csv")
REGISTRY_ENV: Final[str] = "CRAWLER_REGISTRY"

_ID_RE: Final[re.Pattern[str]] = re.compile(r"^[a-z]{2,4}-[a-z0-9-]+$")
_HOST_RE: Final[re.Pattern[str]] = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9-]+)+$")
_WARD_CODE_RE: Final[re.Pattern[str]] = re.compile(r"^[0-9]{5}$")

_T = TypeVar("_T", bound=str)


class RegistryError(ValueError):
    """The registry file is malformed; the message names ``file:line: field``."""


@dataclass(frozen=True)
class RegistryEntry:
    """One portal of the registry (one row of ``sites.csv``)."""

    id: str
    name: str
    province: str
    level: Level
    cms: Cms
    base_url: str
    status: Status
    merged_into: str | None
    successor_url: str | None
    evidence: str
    ward_code: str | None = None
    # computed from ``province`` and ``merged_into`` (see the module docstring)
    province_code: str | None = field(init=False, default=None)
    successor_province_code: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        code = current_province_code(self.province)
        object.__setattr__(self, "province_code", code)
        successor = None
        if self.merged_into:
            successor = current_province_code(self.merged_into) or code
        object.__setattr__(self, "successor_province_code", successor)

    @property
    def host(self) -> str:
        """Lower-case host name of ``base_url`` (e.g. ``giaothuy.namdinh.gov.vn``)."""
        return urlsplit(self.base_url).hostname or ""


def _error(source: str, line: int, field: str, message: str) -> RegistryError:
    return RegistryError(f"{source}:{line}: {field}: {message}")


def _choice(value: str, allowed: tuple[_T, ...], *, source: str, line: int, field: str) -> _T:
    for option in allowed:
        if option == value:
            return option
    raise _error(source, line, field, f"{value!r} is not one of {', '.join(allowed)}")


def _check_url(value: str, *, source: str, line: int, field: str, base_only: bool) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise _error(source, line, field, f"{value!r} must start with http:// or https://")
    host = parts.hostname or ""
    if not _HOST_RE.match(host) or not host.endswith(".vn"):
        raise _error(source, line, field, f"{value!r} must have a host ending in .gov.vn or .vn")
    if parts.username is not None or parts.password is not None:
        raise _error(source, line, field, f"{value!r} must not contain credentials")
    if base_only and (parts.path != "/" or parts.query or parts.fragment):
        raise _error(
            source, line, field, f"{value!r} must be scheme://host/ with nothing after '/'"
        )


def _check_ward(entry: RegistryEntry, now: str, *, source: str, line: int) -> None:
    """A commune row's ward code: a unit of ``vietnam-provinces`` in the row's province."""
    assert entry.ward_code is not None
    if entry.level != "commune":
        raise _error(
            source,
            line,
            "ward_code",
            f"only commune-level rows have one (level is {entry.level!r})",
        )
    unit = ward(entry.ward_code)
    if unit is None:
        raise _error(
            source,
            line,
            "ward_code",
            f"{entry.ward_code!r} is not the code of a "
            "commune or ward since 2025 (vietnam-provinces)",
        )
    if unit.province_code != entry.province_code:
        raise _error(
            source,
            line,
            "ward_code",
            f"{entry.ward_code} ({unit.name}) is in "
            f"{province_name(unit.province_code)} ({unit.province_code}), but "
            f"province {entry.province!r} is now {now}",
        )


def _check_units(entry: RegistryEntry, *, source: str, line: int) -> None:
    """The row's province, ward code and successor province against ``vietnam-provinces``."""
    if entry.province_code is None and not is_central(entry.province):
        raise _error(
            source,
            line,
            "province",
            f"{entry.province!r} is not a province of Vietnam "
            "(63 before the 2025 merger, 34 after) nor 'Trung ương'",
        )
    now = (
        f"{province_name(entry.province_code)} ({entry.province_code})"
        if entry.province_code
        else "no province"
    )
    if entry.ward_code is not None:
        _check_ward(entry, now, source=source, line=line)
    named = current_province_code(entry.merged_into) if entry.merged_into else None
    if named is not None and entry.province_code is not None and named != entry.province_code:
        raise _error(
            source,
            line,
            "merged_into",
            f"{entry.merged_into!r} is "
            f"{province_name(named)} ({named}), but province {entry.province!r} is now "
            f"{now}",
        )


def _row_values(
    row: dict[str | None, str | list[str] | None],
    source: str,
    line: int,
    columns: tuple[str, ...],
) -> dict[str, str]:
    """Every column's stripped text; too many or too few fields, or an empty required one,
    is an error."""
    if None in row:
        raise _error(source, line, "row", f"more than {len(columns)} fields")
    values: dict[str, str] = {}
    for column in FIELDS:
        raw = row.get(column)
        if raw is None and column not in columns:  # an optional column the file does not have
            raw = ""
        if raw is None:
            raise _error(source, line, column, f"missing (expected {len(columns)} fields)")
        values[column] = cast(str, raw).strip()
    for column in _REQUIRED:
        if not values[column]:
            raise _error(source, line, column, "must not be empty")
    return values


def _parse_row(
    row: dict[str | None, str | list[str] | None],
    *,
    source: str,
    line: int,
    columns: tuple[str, ...] = FIELDS,
) -> RegistryEntry:
    values = _row_values(row, source, line, columns)
    entry_id = values["id"]
    if not _ID_RE.match(entry_id):
        raise _error(source, line, "id", f"{entry_id!r} does not match {_ID_RE.pattern}")
    level = _choice(values["level"], LEVELS, source=source, line=line, field="level")
    cms = _choice(values["cms"], CMS_FAMILIES, source=source, line=line, field="cms")
    status = _choice(values["status"], STATUSES, source=source, line=line, field="status")
    _check_url(values["base_url"], source=source, line=line, field="base_url", base_only=True)
    ward_code = values["ward_code"] or None
    if ward_code is not None and not _WARD_CODE_RE.match(ward_code):
        raise _error(
            source,
            line,
            "ward_code",
            f"{ward_code!r} must be the 5-digit official code of a commune or ward (e.g. 18160)",
        )

    merged_into = values["merged_into"] or None
    successor_url = values["successor_url"] or None
    if status == "merged" and merged_into is None:
        raise _error(source, line, "merged_into", "required when status is 'merged'")
    if status == "active" and merged_into is not None:
        raise _error(source, line, "merged_into", "must be empty when status is 'active'")
    if successor_url is not None:
        _check_url(successor_url, source=source, line=line, field="successor_url", base_only=False)

    entry = RegistryEntry(
        id=entry_id,
        name=values["name"],
        province=values["province"],
        level=level,
        cms=cms,
        base_url=values["base_url"],
        status=status,
        merged_into=merged_into,
        successor_url=successor_url,
        evidence=values["evidence"],
        ward_code=ward_code,
    )
    _check_units(entry, source=source, line=line)
    return entry


def registry_path() -> Path:
    """``$CRAWLER_REGISTRY`` (an operator's own registry file) or the bundled ``sites.csv``."""
    return Path(os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY_PATH)


def load_registry(path: Path | None = None) -> list[RegistryEntry]:
    """Read and validate the registry CSV (default: :func:`registry_path`).

    Every row is checked: allowed ``level``/``cms``/``status``, unique ``id`` and
    ``base_url``, ``id`` shape, ``http(s)://<host>.vn/`` base URLs, and
    ``merged_into`` present exactly for merged rows (optional for archived ones). Against
    ``vietnam-provinces``: ``province`` must name a province (before or after the 2025 merger)
    or be ``Trung ương``; a ``ward_code`` (commune rows only) must exist and lie in the row's
    current province; a ``merged_into`` that names a province must be the row's current one.
    A file without the ``ward_code`` column (written before it existed) is read too.

    Raises:
        RegistryError: on the first problem, as ``"<file>:<line>: <field>: <why>"``.
    """
    return list(_registry_rows(registry_path() if path is None else Path(path)))


# the last bytes read from each registry file and their rows: a national night resolves each of
# its 3,355 sites (reading the registry) twice, and decoding the 600 KB file cost 4 ms a time
_LAST_READ: dict[str, tuple[bytes, tuple[RegistryEntry, ...]]] = {}


def _registry_rows(csv_path: Path) -> tuple[RegistryEntry, ...]:
    """The rows of the file as it is now (read each time; parsed again only when it changed)."""
    source = str(csv_path)
    try:
        raw = csv_path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{source}: cannot read registry: {exc}") from exc
    last = _LAST_READ.get(source)
    if last is not None and last[0] == raw:
        return last[1]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{source}: not valid UTF-8: {exc}") from exc
    rows = _parse_registry(text, source)
    _LAST_READ[source] = (raw, rows)
    return rows


_BY_ID: dict[int, tuple[tuple[RegistryEntry, ...], Mapping[str, RegistryEntry]]] = {}


def registry_by_id(path: Path | None = None) -> Mapping[str, RegistryEntry]:
    """The rows of :func:`load_registry` by id (read-only; built once per version of the file)."""
    rows = _registry_rows(registry_path() if path is None else Path(path))
    cached = _BY_ID.get(id(rows))
    if cached is None or cached[0] is not rows:
        cached = (rows, MappingProxyType({e.id: e for e in rows}))
        _BY_ID.clear()
        _BY_ID[id(rows)] = cached
    return cached[1]


@lru_cache(maxsize=4)
def _parse_registry(text: str, source: str) -> tuple[RegistryEntry, ...]:
    """The validated rows of a registry file's text; cached on the text, since a nightly run
    of every portal resolves each site (and so reads the registry) twice."""
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        header = tuple(reader.fieldnames or ())
    except csv.Error as exc:
        raise RegistryError(f"{source}:1: header: {exc}") from exc
    legacy = tuple(f for f in FIELDS if f not in OPTIONAL_COLUMNS)
    if header not in (FIELDS, legacy):
        raise _error(source, 1, "header", f"expected {','.join(FIELDS)}, got {','.join(header)}")

    entries: list[RegistryEntry] = []
    seen_ids: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _error(source, reader.line_num, "row", str(exc)) from exc
        line = reader.line_num
        entry = _parse_row(row, source=source, line=line, columns=header)
        if entry.id in seen_ids:
            raise _error(
                source, line, "id", f"duplicate {entry.id!r} (first on line {seen_ids[entry.id]})"
            )
        url_key = entry.base_url.lower()
        if url_key in seen_urls:
            raise _error(
                source,
                line,
                "base_url",
                f"duplicate {entry.base_url!r} (first on line {seen_urls[url_key]})",
            )
        seen_ids[entry.id] = line
        seen_urls[url_key] = line
        entries.append(entry)
    return tuple(entries)


def _province_matcher(province: str) -> tuple[str, str]:
    """How ``--province`` selects rows: ``("code", "37")`` or ``("name", folded name)``."""
    if is_central(province):
        return "name", fold_unit_name(province)
    code = current_province_code(province)
    if code is None:
        raise ValueError(
            f"province: {province!r} is not a province of Vietnam (before or after "
            "the 2025 merger), a current province code or 'Trung ương'"
        )
    if names_current_province(province):
        return "code", code
    return "name", fold_unit_name(province)


def filter_registry(
    entries: Iterable[RegistryEntry],
    *,
    province: str | None = None,
    level: str | None = None,
    cms: str | None = None,
    status: str | None = None,
) -> list[RegistryEntry]:
    """Return the entries matching every given criterion, in input order.

    ``province`` is matched with diacritics, case, punctuation and a ``Tỉnh``/``Thành phố``
    prefix ignored (``"nam dinh"`` matches ``"Nam Định"``), and knows the 2025 merger:

    * the name (or official code) of a **current** province selects every row that is part
      of it now: ``"Ninh Bình"`` (or ``"37"``) gives the Ninh Bình, Nam Định and Hà Nam rows;
    * the name of a **pre-merger** province that is no current name selects that
      province's rows only: ``"Nam Định"`` gives the Nam Định rows;
    * ``"Trung ương"`` selects the central ministries and agencies.

    ``level``, ``cms`` and ``status`` must be exact allowed values; an unknown value, or a
    province that is none of the above, raises ``ValueError`` rather than silently matching
    nothing.
    """
    for name, value, allowed in (
        ("level", level, LEVELS),
        ("cms", cms, CMS_FAMILIES),
        ("status", status, STATUSES),
    ):
        if value is not None and value not in allowed:
            raise ValueError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    how, wanted = ("", "") if province is None else _province_matcher(province)
    return [
        entry
        for entry in entries
        if (
            not how
            or (how == "code" and entry.province_code == wanted)
            or (how == "name" and fold_unit_name(entry.province) == wanted)
        )
        and (level is None or entry.level == level)
        and (cms is None or entry.cms == cms)
        and (status is None or entry.status == status)
    ]
