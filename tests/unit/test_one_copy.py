"""One copy of each saved page: the mini portals shipped with the package hold it, and the
test fixtures link to it (tests/miniportals/build_family_sites.py makes the links)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from crawler.miniportal import SITES_DIR

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def test_no_fixture_page_is_a_copy_of_a_shipped_page() -> None:
    shipped = {_digest(p) for p in SITES_DIR.rglob("*.html")}
    copies = [
        p.relative_to(FIXTURES)
        for p in FIXTURES.rglob("*.html")
        if not p.is_symlink() and _digest(p) in shipped
    ]
    assert copies == []


def test_linked_fixture_pages_resolve_into_the_shipped_mini_portals() -> None:
    links = [p for p in FIXTURES.rglob("page.html") if p.is_symlink()]
    assert len(links) >= 15
    for link in links:
        assert link.resolve().is_relative_to(SITES_DIR.resolve()), link
        assert link.read_bytes()  # not dangling
