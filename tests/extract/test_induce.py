"""Rule induction (``sites learn``'s pure part) on the test-only layouts' article pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.extract import ArticlePage, selector_for
from crawler.extract.induce import Sample, candidates, induce
from crawler.learn import SiteFacts, render
from crawler.profiles import PROFILES_DIR, get_profile, load_profiles
from crawler.profiles.schema import Profile

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


def host_samples(layout: str, host: str) -> list[Sample]:
    return [s for s in samples(layout) if urlsplit(s.url).hostname == host]


def learned_site(pages: list[Sample], root: Path) -> Profile:
    learned = induce(pages, get_profile("generic"))
    assert learned.ok, learned.problems
    text = render(SiteFacts("t-learned", "Thử", "Tây Ninh", "commune", pages[0].url), learned)
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    (root / "sites").mkdir()
    (root / "sites" / "t-learned.toml").write_text(text, encoding="utf-8")
    return load_profiles(root)["t-learned"]


@pytest.mark.parametrize(
    ("layout", "host"),
    [
        ("jsp-struts-gov", "sokhcn.tayninh.gov.vn"),  # an attachment line inside the block
        ("notice-gov", "sonoivu.bacninh.gov.vn"),  # a document's record inside the block
    ],
)
def test_a_block_no_rule_walk_reproduces_is_read_layout_free(
    layout: str, host: str, tmp_path: Path
) -> None:
    """Where no rule walk of the article block gives the reader's body, the learned profile
    names the block and has the layout-free reader read it: the same body, photos and byline,
    and no fallback counted."""
    pages = host_samples(layout, host)
    site = learned_site(pages, tmp_path / "profiles")
    assert site.article.body_reading == "layout-free"
    assert site.article.body_remove == []
    generic = get_profile("generic")
    for sample in pages:
        free = ArticlePage(generic, sample.url, selector_for(sample.body)).extract()
        ruled = ArticlePage(site, sample.url, selector_for(sample.body)).extract()
        assert ruled.fallbacks == {}, (sample.url, ruled.fallbacks)
        for name in ("title", "summary", "body", "images", "author", "source", "published_at"):
            assert getattr(ruled, name) == getattr(free, name), (sample.url, name)


def test_a_rule_giving_a_value_where_the_reader_found_none_is_not_learned(
    tmp_path: Path,
) -> None:
    """A summary rule ``p`` matches the sapo on the pages that have one and the first
    paragraph on a page without: not learned, so that page keeps its first paragraph."""
    pages = host_samples("sitefinity-gov", "chogao.dongthap.gov.vn")
    site = learned_site(pages, tmp_path / "profiles")
    generic = get_profile("generic")
    for sample in pages:
        free = ArticlePage(generic, sample.url, selector_for(sample.body)).extract()
        ruled = ArticlePage(site, sample.url, selector_for(sample.body)).extract()
        assert (ruled.summary, ruled.body) == (free.summary, free.body), sample.url


def test_one_selector_per_template_behind_one_listing(tmp_path: Path) -> None:
    """A news page, a photo report and a video page behind one listing, each its own article
    block: the body selectors are learned in order, one per template, and a headline set in an
    ``h1`` on one template and a ``role=heading`` box on another is learned as one group."""
    pages = [s for s in samples("gallery-gov") if "svhttdl.lamdong" in s.url]
    site = learned_site(pages, tmp_path / "gallery")
    assert site.article.body_reading == "layout-free" and len(site.article.body) == 3
    spa = host_samples("hashed-css-spa", "phuongnamdinh.ninhbinh.gov.vn")
    spa_site = learned_site(spa, tmp_path / "spa")
    assert spa_site.article.title.css is not None and ", " in spa_site.article.title.css
    generic = get_profile("generic")
    for site_, group in ((site, pages), (spa_site, spa)):
        for sample in group:
            free = ArticlePage(generic, sample.url, selector_for(sample.body)).extract()
            ruled = ArticlePage(site_, sample.url, selector_for(sample.body)).extract()
            assert ruled.fallbacks == {}, (sample.url, ruled.fallbacks)
            for name in ("title", "body", "images", "author", "published_at"):
                assert getattr(ruled, name) == getattr(free, name), (sample.url, name)


def test_a_node_number_in_an_id_is_no_stable_selector() -> None:
    sel = selector_for(b'<div id="node-441" class="node node-tin-ngan"><p class="even">T</p></div>')
    found = candidates(sel.root.xpath("//p")[0])
    assert "div.node-tin-ngan p.even" in found
    assert not any("441" in c for c in found)
