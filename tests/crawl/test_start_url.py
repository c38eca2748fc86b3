"""``crawl --start-url`` against each CMS family's mini portal: detection, links, fields, paging.

Each mini portal folder (crawler/miniportal/sites/<folder>/) has a ``family.json`` naming its
family, the listing start path, the listing page 2 (or the sitemap for VHV, whose pager is
AJAX-only) and the fixture every article path was copied from. The crawl runs with no site
profile: the spider must detect the family from the first listing page, walk its pagination
(or read the feed), and store every article with the fixture's expected fields.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract import ListingPage, selector_for
from crawler.extract.feeds import feed_links
from crawler.profiles import PROFILES_DIR, get_profile
from tests.fixture_cases import FIXTURES
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST, as_utc

# family -> mini portal folder (vnportal and liferay62 use the hand-made site portals)
FAMILIES = {
    "vnportal": "nd-giaothuy",
    "liferay62": "hn-sotttt",
    "liferay7": "liferay7",
    "nukeviet": "nukeviet",
    "vhv": "vhv",
    "tandan_sharepoint": "tandan_sharepoint",
    "ministry_sharepoint": "ministry_sharepoint",
}
SITE_ID = "127.0.0.1"  # start_url mode: the site id is the host
FIELDS = ("title", "author", "source", "views")


def linked_articles(folder: Path, family: str, base: str) -> set[str]:
    """Article paths the portal links to: every listing page's links (by the family's own
    listing rule) plus the sitemap's, read from the served files rather than the manifest."""
    profile = get_profile(family)
    routes = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
    paths: set[str] = set()
    for target, route in routes.items():
        name = route.get("file", "")
        if name.startswith("listing"):
            sel: Selector = selector_for((folder / name).read_bytes())
            links = ListingPage(profile, base + target, sel).article_links()
            paths.update(u.removeprefix(base) for u in links if u.startswith(base + "/"))
        elif name.endswith(".xml"):
            body = (folder / name).read_bytes().replace(b"{base_url}", base.encode())
            paths.update(u.removeprefix(base) for u in feed_links(body)[0])
    return paths


@pytest.mark.parametrize(
    ("family", "folder"),
    [pytest.param(f, d, id=f) for f, d in FAMILIES.items()],
)
def test_start_url_crawl(
    family: str, folder: str, make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(folder)
    manifest = json.loads((portal.folder / "family.json").read_text(encoding="utf-8"))
    assert manifest["family"] == family
    base = portal.base_url.rstrip("/")

    result = run_cli("crawl", "--start-url", base + manifest["start"], "--full", *FAST)
    tail = result.stderr[-4000:]
    assert result.returncode == 0, tail
    assert f"detected CMS family {family}" in result.stderr, tail
    assert f"{SITE_ID}: HEALTHY" in result.stdout, result.stdout

    store = stored()
    run = store.recent_runs(SITE_ID)[0]
    assert run["cms"] == family

    # every article the portal links to (listing pages + sitemap) is stored, none else
    linked = linked_articles(portal.folder, family, base)
    assert linked == set(manifest["articles"]), "family.json out of date: re-run the builder"
    docs = {d["url"].removeprefix(base): d for d in store.articles.find({"site_id": SITE_ID})}
    assert set(docs) == linked, tail
    assert all(d["cms"] == family for d in docs.values())

    # stored fields of the articles copied from fixtures = the fixtures' expected values
    for path, case in manifest["articles"].items():
        if case is None:
            continue
        expected = json.loads(
            (FIXTURES / "pages" / case / "expected.json").read_text(encoding="utf-8")
        )
        doc = docs[path]
        for name in FIELDS:
            if name in expected:
                assert doc[name] == expected[name], f"{case}: {name}"
        if "published_at" in expected:
            want = datetime.fromisoformat(expected["published_at"]).astimezone(UTC)
            assert doc["published_at"] is not None, f"{case}: published_at"
            assert as_utc(doc["published_at"]) == want, f"{case}: published_at"

    # pagination of the family's kind was followed, or the sitemap read instead
    if manifest["page_2"]:
        assert manifest["page_2"] in portal.requests, portal.requests
        assert run["pages"]["listing"] >= 2
    if manifest["feed"]:
        assert manifest["feed"] in portal.requests, portal.requests
        assert "'gov/listing/source': 'feed'" in result.stderr, tail


VHV_SITE = """
id = "t-vhv"
extends = "vhv"
name = "Cổng thử nghiệm VHV"
level = "department"
base_url = "http://example.gov.vn/"
start_paths = ["/tin-tuc"]
"""


def test_vhv_portal_sitemap_with_a_site_profile(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore, tmp_path: Path
) -> None:
    """The VHV portal's sitemap side, crawled through a site profile (feeds known at start)."""
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    (root / "sites").mkdir()
    (root / "sites" / "t-vhv.toml").write_text(VHV_SITE, encoding="utf-8")
    portal = make_portal("vhv")
    manifest = json.loads((portal.folder / "family.json").read_text(encoding="utf-8"))
    result = run_cli(
        "crawl",
        "t-vhv",
        "--base-url",
        portal.base_url,
        "--full",
        *FAST,
        env={"CRAWLER_PROFILES_DIR": str(root)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'gov/listing/source': 'feed'" in result.stderr
    base = portal.base_url.rstrip("/")
    docs = {d["url"].removeprefix(base) for d in stored().articles.find({"site_id": "t-vhv"})}
    assert docs == set(manifest["articles"])
