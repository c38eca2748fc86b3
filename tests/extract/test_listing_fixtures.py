"""Listing pages: article links (count, first links) and the next page, per saved page."""

from __future__ import annotations

import pytest

from crawler.extract import ListingPage, selector_for
from crawler.profiles import get_profile
from tests.fixture_cases import Case, load_cases

CASES = load_cases("listings")


def listing(case: Case) -> ListingPage:
    profile = get_profile(case.meta["profile"])
    return ListingPage(profile, case.meta["url"], selector_for(case.body))


def test_listing_cases_exist() -> None:
    assert len(CASES) >= 2


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_links(case: Case) -> None:
    links = listing(case).article_links()
    want = case.expected
    assert len(links) == want["links_count"]
    assert links[: len(want["first_links"])] == want["first_links"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_next_page(case: Case) -> None:
    page_no = case.meta.get("page_no", 1)
    assert listing(case).next_page(page_no) == case.expected["next_page"]
