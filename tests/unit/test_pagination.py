"""Every pagination kind seen on the portals (portals.md §3)."""

from __future__ import annotations

import pytest

from crawler.exceptions import ProfileError
from crawler.extract import ListingPage, selector_for
from crawler.extract.pages import paginate
from crawler.profiles import get_profile
from crawler.profiles.schema import Pagination


@pytest.mark.parametrize(
    ("url", "param", "path", "n", "expected"),
    [
        (
            "https://tanbien.tayninh.gov.vn/vi/news/tin-tuc/",
            None,
            "page-{n}",
            2,
            "https://tanbien.tayninh.gov.vn/vi/news/tin-tuc/page-2",
        ),
        (
            "https://tanbien.tayninh.gov.vn/vi/news/tin-tuc/page-2",
            None,
            "page-{n}",
            3,
            "https://tanbien.tayninh.gov.vn/vi/news/tin-tuc/page-3",
        ),
        (
            "http://tnmttuyenquang.gov.vn/tin-tuc/chinh-tri-xa-hoi/trang-756.html",
            None,
            "trang-{n}.html",
            757,
            "http://tnmttuyenquang.gov.vn/tin-tuc/chinh-tri-xa-hoi/trang-757.html",
        ),
        (
            "https://dienbien.gov.vn/portal/Pages/Tin-tuc.aspx",
            "PageIndex",
            None,
            2,
            "https://dienbien.gov.vn/portal/Pages/Tin-tuc.aspx?PageIndex=2",
        ),
        (
            "https://sotttt.hanoi.gov.vn/vi/tin-tuc-su-kien?p_p_id=101&_101_cur=3",
            "_101_cur",
            None,
            4,
            "https://sotttt.hanoi.gov.vn/vi/tin-tuc-su-kien?p_p_id=101&_101_cur=4",
        ),
    ],
)
def test_paginate(url: str, param: str | None, path: str | None, n: int, expected: str) -> None:
    assert paginate(url, param, path, n) == expected


def test_pagination_needs_exactly_one_kind() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Pagination(param="page", path="page-{n}")
    with pytest.raises(ValueError, match=r"\{n\}"):
        Pagination(path="page")


def test_next_link_wins_and_template_is_the_fallback() -> None:
    profile = get_profile("tandan_sharepoint")  # next link rule absent: ?PageIndex=N template
    page = ListingPage(
        profile,
        "https://dienbien.gov.vn/portal/Pages/Tin-tuc.aspx",
        selector_for("<html><body></body></html>"),
    )
    assert page.next_page(1) == "https://dienbien.gov.vn/portal/Pages/Tin-tuc.aspx?PageIndex=2"
    liferay = get_profile("hn-sotttt")  # next link only: none on the page means the last page
    last = ListingPage(
        liferay,
        "https://sotttt.hanoi.gov.vn/vi/tin-tuc-su-kien",
        selector_for("<ul class='pager lfr-pagination-buttons'></ul>"),
    )
    assert last.next_page(5) is None


def test_unknown_profile_is_a_profile_error() -> None:
    with pytest.raises(ProfileError):
        get_profile("no-such-site")
