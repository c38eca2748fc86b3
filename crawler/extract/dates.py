"""Day-first Vietnamese portal dates, as timezone-aware datetimes.

A regex fast path reads the shapes seen on the portals ("Thứ Hai, 15/03/2021 10:20",
"Ngày đăng 24/08/2022 | 4:30 PM", "Thứ hai - 22/10/2007 07:28", "05/12/2013 15:42:27",
"10:31 | 30/10/2025", ISO 8601); ``dateparser`` (Vietnamese, day-first) is only the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

VN_TZ = "Asia/Ho_Chi_Minh"

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?"
)
_DATE = re.compile(r"(?<![\d:])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?!\d)")
# year first with no clock ("2026-03-14", "2026/03/14 09:40": SQL dates printed as they are)
_YMD = re.compile(r"(?<![\d:/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-])")
# hours and minutes: "09:40", "09h40", "9g40", "9 giờ 40"
CLOCK_SEPARATOR = r"\s*(?:[:hHg]|giờ)\s*"
MERIDIEM = r"(?:\s*[AaPp]\.?\s*[Mm]\.?|\s+(?:SA|CH)\b)"
# the minutes' mark: "9 giờ 40 phút", "14h35'"
MINUTE_MARK = r"(?:\s*phút|['’′])"
CLOCK = rf"\d{{1,2}}{CLOCK_SEPARATOR}\d{{2}}(?:\s*:\s*\d{{2}})?{MINUTE_MARK}?{MERIDIEM}?"
_TIME = re.compile(
    rf"(?<![\d/])(\d{{1,2}}){CLOCK_SEPARATOR}(\d{{2}})(?:\s*:\s*(\d{{2}}))?{MINUTE_MARK}?"
    r"(?:\s*([AaPp])\.?\s*[Mm]\.?|\s+(SA|CH)\b)?(?![\d/])"
)


# Vietnamese month words ("Tháng Mười Một") and the spelled-out date ("ngày 5 tháng 3 năm 2024")
_MONTH_WORDS = {
    "một": 1,
    "giêng": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "chạp": 12,
}
_MONTH = "|".join(sorted((re.escape(w) for w in _MONTH_WORDS), key=len, reverse=True))
_WORDY_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+(?:tháng|thg)\s+(\d{{1,2}}|{_MONTH})\s*,?\s+(?:năm\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)


# English month names (a bilingual template's "Posted on November 20, 2025", "Nov 18, 2025")
_EN_MONTHS = {
    m: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
# "November 20, 2025" (month first) or "20 November 2025" (day first)
EN_DATE = re.compile(
    rf"\b(?:({_EN_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+({_EN_MONTH})\.?,?\s+(\d{{4}}))\b",
    re.IGNORECASE,
)


def _english(m: re.Match[str]) -> str:
    month, day, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
    return f"{day}/{_EN_MONTHS[month.lower()]}/{year}"


def _numeric(raw: str) -> str:
    """Spelled-out and year-first dates as ``d/m/yyyy``: "ngày 5 tháng 3 năm 2024", "20 Tháng
    Mười Một, 2024", "14 thg 3, 2026", "November 20, 2025", "2026-03-14" (with a clock: ISO
    8601, read as it is)."""

    def repl(m: re.Match[str]) -> str:
        month = m.group(2).lower()
        if month == "năm" and "," not in m[0] and m[0].lower().count("năm") < 2:
            return m[0]  # "11 tháng năm 2025": eleven months of 2025, not the 11th of May
        number = int(month) if month.isdigit() else _MONTH_WORDS[" ".join(month.split())]
        return f"{m.group(1)}/{number}/{m.group(3)}"

    if "háng" in raw or "HÁNG" in raw or "thg" in raw:
        raw = _WORDY_DATE.sub(repl, raw)
    if not _DATE.search(raw):
        raw = EN_DATE.sub(_english, raw)
    if (ymd := _YMD.search(raw)) and not _ISO.search(raw):
        year, _, month, day = ymd.groups()
        raw = f"{raw[: ymd.start()]}{day}/{month}/{year}{raw[ymd.end() :]}"
    return raw


@dataclass(frozen=True)
class ParsedDate:
    value: datetime
    date_only: bool
    method: str  # "fast" or "dateparser"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _fast(raw: str, tz: ZoneInfo) -> ParsedDate | None:
    iso = _ISO.search(raw)
    if iso:
        y, mo, d, h, mi, s, off = iso.groups()
        value = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        if off:
            sign = -1 if off[0] == "-" else 1
            digits = off[1:].replace(":", "") if off != "Z" else "0000"
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            aware = value.replace(tzinfo=ZoneInfo("UTC")) - sign * delta
            return ParsedDate(aware.astimezone(tz), False, "fast")
        return ParsedDate(value.replace(tzinfo=tz), False, "fast")
    date = _DATE.search(raw)
    if not date:
        return None
    day, month, year = int(date.group(1)), int(date.group(2)), int(date.group(3))
    if month > 12 >= day:  # "9/18/2026": only month-first reads (a portal left on en-US)
        day, month = month, day
    if year < 100:
        year += 2000
    rest = raw[: date.start()] + " " + raw[date.end() :]
    time = _TIME.search(rest)
    hour = minute = second = 0
    date_only = time is None
    if time:
        hour, minute, second = int(time.group(1)), int(time.group(2)), int(time.group(3) or 0)
        meridiem = (time.group(4) or {"SA": "A", "CH": "P"}.get(time.group(5) or "", "")).upper()
        if meridiem == "P" and hour < 12:
            hour += 12
        elif meridiem == "A" and hour == 12:
            hour = 0
            # Liferay's legacy articles carry "12:00 AM" as a date-only placeholder
            date_only = minute == 0 and second == 0
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None  # "31/02/2021" is impossible: no fallback guesses another day
    return ParsedDate(value, date_only, "fast")


def _dateparser(raw: str, tz_name: str) -> ParsedDate | None:
    import dateparser  # slow import: only when the fast path misses

    settings = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": tz_name,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    value = dateparser.parse(raw, languages=["vi", "en"], settings=settings)
    if value is None:
        return None
    return ParsedDate(value.astimezone(_zone(tz_name)), False, "dateparser")


def parse_vi_datetime(raw: str | None, tz_name: str = VN_TZ) -> ParsedDate | None:
    """Parse a portal date string day-first, in the portal's time zone; ``None`` if unreadable."""
    if not raw or not raw.strip():
        return None
    tz = _zone(tz_name)
    raw = _numeric(raw)
    if _DATE.search(raw) or _ISO.search(raw):
        # a numeric date is there: the fast path decides, even when it says "impossible"
        return _fast(raw, tz)
    return _dateparser(raw, tz_name)
