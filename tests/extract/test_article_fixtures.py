"""One test per (saved page, field): exact values, and snippet checks for the body."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.extract import extract_article
from crawler.extract.pages import ArticleData
from tests.fixture_cases import Case, load_cases

CASES = load_cases("pages")
EXACT = (
    "title",
    "summary",
    "published_raw",
    "author",
    "source",
    "views",
    "views_raw",
    "category",
    "images",
    "site_stats",
    "cms",
)
PARAMS = [
    pytest.param(case, name, id=f"{case.id}/{name}") for case in CASES for name in case.expected
]
_cache: dict[str, ArticleData] = {}


def extracted(case: Case) -> ArticleData:
    if case.id not in _cache:
        _cache[case.id] = extract_article(
            case.body,
            url=case.meta["url"],
            profile_id=case.meta.get("profile"),
            content_type=case.meta.get("content_type"),
        )
    return _cache[case.id]


def check_body(body: str | None, spec: dict[str, Any]) -> None:
    assert body is not None
    if "starts_with" in spec:
        assert body.startswith(spec["starts_with"])
    if "ends_with" in spec:
        assert body.endswith(spec["ends_with"])
    for snippet in spec.get("contains", []):
        assert snippet in body
    for snippet in spec.get("not_contains", []):
        assert snippet not in body, f"noise in body: {snippet!r}"
    assert len(body) >= spec.get("min_chars", 1)


def test_fixture_cases_exist() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize(("case", "name"), PARAMS)
def test_field(case: Case, name: str) -> None:
    data = extracted(case)
    want = case.expected[name]
    if name == "body":
        check_body(data.body, want)
    elif name == "published_at":
        got = data.published_at.isoformat() if data.published_at else None
        assert got == want
    elif name in EXACT:
        assert getattr(data, name) == want
    else:
        pytest.fail(f"unknown expected field {name!r} in {case.id}")
