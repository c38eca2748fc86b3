"""Rule induction (``sites learn``'s pure part) on the test-only layouts' article pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crawler.extract import ArticlePage, selector_for
from crawler.extract.induce import Sample, candidates, induce
from crawler.learn import SiteFacts, render
from crawler.profiles import PROFILES_DIR, get_profile, load_profiles

UNPROFILED = Path(__file__).resolve().parents[1] / "fixtures" / "unprofiled"
LAYOUTS = ["aspnet-tables", "joomla-gov", "sharepoint-webpart", "static-rebuild"]


def samples(layout: str) -> list[Sample]:
    found = []
    for meta_path in sorted((UNPROFILED / layout / "articles").glob("*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        found.append(Sample(meta["url"], (meta_path.parent / "page.html").read_bytes()))
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_learned_rules_reproduce_the_reading(layout: str, tmp_path: Path) -> None:
    generic = get_profile("generic")
    pages = samples(layout)
    learned = induce(pages, generic)
    assert learned.ok, learned.problems
    assert {"title", "body", "published_at", "views"} <= {
        k for k, r in learned.rules.items() if r.rule is not None
    }
    text = render(SiteFacts("t-learned", "Thử", "Nghệ An", "commune", pages[0].url), learned)
    assert (
        render(
            SiteFacts("t-learned", "Thử", "Nghệ An", "commune", pages[0].url),
            induce(list(reversed(pages)), generic),
        )
        == text
    )  # the order of pages does not matter
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    (root / "sites").mkdir()
    (root / "sites" / "t-learned.toml").write_text(text, encoding="utf-8")
    site = load_profiles(root)["t-learned"]
    for sample in pages:
        free = ArticlePage(generic, sample.url, selector_for(sample.body)).extract()
        ruled = ArticlePage(site, sample.url, selector_for(sample.body)).extract()
        assert ruled.fallbacks == {}, (sample.url, ruled.fallbacks)
        for name in ("title", "published_at", "views", "author", "source"):
            assert getattr(ruled, name) == getattr(free, name), (sample.url, name)


def test_candidates_are_stable_selectors_of_the_element() -> None:
    sel = selector_for(
        b'<div id="main"><div class="news x-1f3a9c77"><h1 class="title">T</h1></div></div>'
    )
    h1 = sel.root.xpath("//h1")[0]
    found = candidates(h1)
    assert found[:2] == ["h1.title", ".title"]
    assert "div#main h1.title" in found and "div.news .title" in found
    assert not any("x-1f3a9c77" in c for c in found)  # generated class names are never used


def test_too_few_articles_is_refused() -> None:
    learned = induce(samples("joomla-gov")[:1], get_profile("generic"))
    assert not learned.ok and "1 article pages sampled" in learned.problems[0]
