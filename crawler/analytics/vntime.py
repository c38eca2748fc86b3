"""Vietnam time for analysts: dates they type and dates they read are Asia/Ho_Chi_Minh.

The store keeps UTC. Vietnam is UTC+7 all year (no daylight saving time since 1975), so a fixed
offset is exact for every stored date and needs no time-zone database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

VN = timezone(timedelta(hours=7), "ICT")
VN_OFFSET_MS = 7 * 3600 * 1000  # 25,200,000: what to add to a UTC date before formatting it


def vn_day_start(day: date) -> datetime:
    """00:00 Vietnam time on ``day``, as an aware UTC datetime (what the store compares)."""
    return datetime.combine(day, time(0), VN).astimezone(UTC)


def vn_range(since: date | None, until: date | None) -> dict[str, datetime]:
    """A query on a UTC date field for Vietnam-time days ``since`` to ``until``, both included."""
    bounds: dict[str, datetime] = {}
    if since is not None:
        bounds["$gte"] = vn_day_start(since)
    if until is not None:
        bounds["$lt"] = vn_day_start(until + timedelta(days=1))
    return bounds


def as_utc(value: datetime) -> datetime:
    """Aware UTC; a naive value (a store opened without ``tz_aware``) is taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_vn(value: datetime) -> datetime:
    return as_utc(value).astimezone(VN)


def vn_iso(value: datetime) -> str:
    """ISO 8601 in Vietnam time with its offset: ``2021-03-15T10:20:00+07:00``."""
    local = to_vn(value)
    return local.isoformat(timespec="milliseconds" if local.microsecond else "seconds")
