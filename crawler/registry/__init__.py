"""Site registry: the list of Vietnamese government portals the crawler knows about.

The data lives in ``sites.csv`` beside this module, one row per portal (host), with
its administrative level, CMS family, status after the 2025 administrative merger
(Resolution 202/2025/QH15: 63 provinces became 34 and the district level was
abolished on 1 July 2025) and the evidence for each fact. This module only reads
and validates that file and filters its rows; it imports nothing outside the
standard library and must stay free of Scrapy, storage and network code.

Conventions of the data:

* ``id`` is ``<province-code>-<unit>``; the code is that of the province named in
  the host (``nd-giaothuy`` for ``giaothuy.namdinh.gov.vn``), ``tw`` for central
  ministries and agencies (whose ``province`` is ``"Trung ương"``).
* ``province`` is the province as named *before* the 2025 merger, with diacritics.
* ``merged_into`` names the successor unit of a ``merged`` portal (for abolished
  districts usually the province, since their communes were split among several
  new ones); ``successor_url`` is the successor's portal when known.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, TypeVar, cast, get_args
from urllib.parse import urlsplit

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
    "filter_registry",
    "fold_vietnamese",
    "load_registry",
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
    "level",
    "cms",
    "base_url",
    "status",
    "merged_into",
    "successor_url",
    "evidence",
)
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

    @property
    def host(self) -> str:
        """Lower-case host name of ``base_url`` (e.g. ``giaothuy.namdinh.gov.vn``)."""
        return urlsplit(self.base_url).hostname or ""


def fold_vietnamese(text: str) -> str:
    """Fold ``text`` for loose matching: no diacritics, ``đ`` -> ``d``, lower case.

    Whitespace runs collapse to one space, so ``"  Nam  Định "`` and ``"nam dinh"``
    fold to the same string.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())


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


def _parse_row(
    row: dict[str | None, str | list[str] | None], *, source: str, line: int
) -> RegistryEntry:
    if None in row:
        raise _error(source, line, "row", f"more than {len(FIELDS)} fields")
    values: dict[str, str] = {}
    for field in FIELDS:
        raw = row.get(field)
        if raw is None:
            raise _error(source, line, field, f"missing (expected {len(FIELDS)} fields)")
        values[field] = cast(str, raw).strip()
    for field in _REQUIRED:
        if not values[field]:
            raise _error(source, line, field, "must not be empty")

    entry_id = values["id"]
    if not _ID_RE.match(entry_id):
        raise _error(source, line, "id", f"{entry_id!r} does not match {_ID_RE.pattern}")
    level = _choice(values["level"], LEVELS, source=source, line=line, field="level")
    cms = _choice(values["cms"], CMS_FAMILIES, source=source, line=line, field="cms")
    status = _choice(values["status"], STATUSES, source=source, line=line, field="status")
    _check_url(values["base_url"], source=source, line=line, field="base_url", base_only=True)

    merged_into = values["merged_into"] or None
    successor_url = values["successor_url"] or None
    if status == "merged" and merged_into is None:
        raise _error(source, line, "merged_into", "required when status is 'merged'")
    if status == "active" and merged_into is not None:
        raise _error(source, line, "merged_into", "must be empty when status is 'active'")
    if successor_url is not None:
        _check_url(successor_url, source=source, line=line, field="successor_url", base_only=False)

    return RegistryEntry(
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
    )


def registry_path() -> Path:
    """``$CRAWLER_REGISTRY`` (an operator's own registry file) or the bundled ``sites.csv``."""
    return Path(os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY_PATH)


def load_registry(path: Path | None = None) -> list[RegistryEntry]:
    """Read and validate the registry CSV (default: :func:`registry_path`).

    Every row is checked: allowed ``level``/``cms``/``status``, unique ``id`` and
    ``base_url``, ``id`` shape, ``http(s)://<host>.vn/`` base URLs, and
    ``merged_into`` present exactly for merged rows (optional for archived ones).

    Raises:
        RegistryError: on the first problem, as ``"<file>:<line>: <field>: <why>"``.
    """
    csv_path = registry_path() if path is None else Path(path)
    source = str(csv_path)
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegistryError(f"{source}: cannot read registry: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{source}: not valid UTF-8: {exc}") from exc

    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        header = tuple(reader.fieldnames or ())
    except csv.Error as exc:
        raise RegistryError(f"{source}:1: header: {exc}") from exc
    if header != FIELDS:
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
        entry = _parse_row(row, source=source, line=line)
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
    return entries


def filter_registry(
    entries: Iterable[RegistryEntry],
    *,
    province: str | None = None,
    level: str | None = None,
    cms: str | None = None,
    status: str | None = None,
) -> list[RegistryEntry]:
    """Return the entries matching every given criterion, in input order.

    ``province`` is compared after :func:`fold_vietnamese` on both sides, so
    ``"nam dinh"`` matches ``"Nam Định"``. ``level``, ``cms`` and ``status`` must
    be exact allowed values; an unknown value raises ``ValueError`` rather than
    silently matching nothing.
    """
    for name, value, allowed in (
        ("level", level, LEVELS),
        ("cms", cms, CMS_FAMILIES),
        ("status", status, STATUSES),
    ):
        if value is not None and value not in allowed:
            raise ValueError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    wanted_province = None if province is None else fold_vietnamese(province)
    return [
        entry
        for entry in entries
        if (wanted_province is None or fold_vietnamese(entry.province) == wanted_province)
        and (level is None or entry.level == level)
        and (cms is None or entry.cms == cms)
        and (status is None or entry.status == status)
    ]
