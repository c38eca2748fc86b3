"""Dates, numbers and text normalisation on the strings real portals print."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.dates import parse_vi_datetime
from crawler.extract.numbers import parse_int_vi
from crawler.extract.text import fold_diacritics, normalize_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("raw", "expected", "date_only"),
    [
        ("Thứ Hai, 15/03/2021 10:20", datetime(2021, 3, 15, 10, 20, tzinfo=VN), False),
        ("Ngày đăng 24/08/2022 | 4:30 PM", datetime(2022, 8, 24, 16, 30, tzinfo=VN), False),
        ("Thứ hai - 22/10/2007 07:28", datetime(2007, 10, 22, 7, 28, tzinfo=VN), False),
        ("THỨ BA, 05/01/2021 - 14:30", datetime(2021, 1, 5, 14, 30, tzinfo=VN), False),
        ("05/12/2013 15:42:27", datetime(2013, 12, 5, 15, 42, 27, tzinfo=VN), False),
        ("Ngày đăng 24/10/2013 | 12:00 AM", datetime(2013, 10, 24, 0, 0, tzinfo=VN), True),
        ("24/10/2013 | 12:30 AM", datetime(2013, 10, 24, 0, 30, tzinfo=VN), False),
        ("10:31 | 30/10/2025", datetime(2025, 10, 30, 10, 31, tzinfo=VN), False),
        ("• 14/01/2021", datetime(2021, 1, 14, tzinfo=VN), True),
        ("2025-10-30T10:31:51+07:00", datetime(2025, 10, 30, 10, 31, 51, tzinfo=VN), False),
        ("Đăng ngày 3/2/2023 lúc 8h30", datetime(2023, 2, 3, 8, 30, tzinfo=VN), False),
    ],
)
def test_fast_path_day_first(raw: str, expected: datetime, date_only: bool) -> None:
    parsed = parse_vi_datetime(raw)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.value.utcoffset() == expected.utcoffset()
    assert parsed.date_only is date_only
    assert parsed.method == "fast"


def test_iso_with_other_offset_is_converted() -> None:
    parsed = parse_vi_datetime("2025-10-30T03:31:51Z")
    assert parsed is not None
    assert parsed.value == datetime(2025, 10, 30, 10, 31, 51, tzinfo=VN)


def test_dateparser_fallback_for_words() -> None:
    # "March 5, 2021" is read on the fast path now; a shape it does not know falls back
    parsed = parse_vi_datetime("the 5th of March, 2021")
    assert parsed is not None
    assert parsed.method == "dateparser"
    assert (parsed.value.year, parsed.value.month, parsed.value.day) == (2021, 3, 5)
    assert parsed.value.tzinfo is not None


@pytest.mark.parametrize(
    ("raw", "want", "date_only"),
    [
        ("ngày 5 tháng 3 năm 2021", datetime(2021, 3, 5, tzinfo=VN), True),
        ("Ngày 05 tháng 03 năm 2024", datetime(2024, 3, 5, tzinfo=VN), True),
        ("20 Tháng Mười Một, 2024", datetime(2024, 11, 20, tzinfo=VN), True),
        ("Thứ Ba, 05 Tháng 3 2024 08:15", datetime(2024, 3, 5, 8, 15, tzinfo=VN), False),
        ("03:45 CH 05/03/2024", datetime(2024, 3, 5, 15, 45, tzinfo=VN), False),
        ("05/03/2024 09:10 SA", datetime(2024, 3, 5, 9, 10, tzinfo=VN), False),
        # a portal left on en-US: the only reading with a month <= 12 is month-first
        ("9/18/2026 4:05:00 PM", datetime(2026, 9, 18, 16, 5, tzinfo=VN), False),
        # year first, as a database prints it; clocks written "09h40", "9g40", "9 giờ 40 phút"
        ("2026-03-14 09:40:00", datetime(2026, 3, 14, 9, 40, tzinfo=VN), False),
        ("2026/03/14", datetime(2026, 3, 14, tzinfo=VN), True),
        ("14/03/2026 9g40", datetime(2026, 3, 14, 9, 40, tzinfo=VN), False),
        ("14 tháng 3 năm 2026 lúc 14 giờ 05 phút", datetime(2026, 3, 14, 14, 5, tzinfo=VN), False),
        ("14 thg 3, 2026", datetime(2026, 3, 14, tzinfo=VN), True),
    ],
)
def test_spelled_out_dates_and_vietnamese_meridiems_on_the_fast_path(
    raw: str, want: datetime, date_only: bool
) -> None:
    parsed = parse_vi_datetime(raw)
    assert parsed is not None
    assert (parsed.value, parsed.date_only, parsed.method) == (want, date_only, "fast")


@pytest.mark.parametrize("raw", ["31/02/2021", "31/13/2021", "", "   ", None, "không có ngày"])
def test_impossible_or_missing_dates_are_none(raw: str | None) -> None:
    assert parse_vi_datetime(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lượt xem: 137", 137),
        ("View count: 38661", 38661),
        ("Đã xem: 1.234", 1234),
        ("1,234", 1234),
        ("2,683,439", 2683439),
        ("4.798.809", 4798809),
        ("Tổng: 4.798.809 ", 4798809),
        ("", None),
        (None, None),
        ("không rõ", None),
        ("12abc", None),
    ],
)
def test_parse_int_vi(raw: str | None, expected: int | None) -> None:
    assert parse_int_vi(raw) == expected


def test_normalize_text_entities_nfc_whitespace() -> None:
    decomposed = "Thu\u0309y"  # "Thủy" with a combining hook above the u (NFD)
    assert (
        normalize_text(f"  Th&ocirc;ng&nbsp;b&aacute;o \u200b {decomposed}\n") == "Thông báo Thủy"
    )
    assert normalize_text(" \u00a0 ") is None


def test_fold_diacritics() -> None:
    assert fold_diacritics("Nam Định") == "nam dinh"
