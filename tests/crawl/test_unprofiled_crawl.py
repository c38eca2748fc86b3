"""``crawl --start-url`` against a portal no profile describes: the layout-free extractor end to end.

The mini portal in ``tests/fixtures/unprofiled/static-rebuild/site/`` is a commune portal with
no site profile and no registry row, in a layout none of the CMS families claims. Its
``truth.json`` names the start listing, the three listing pages (linked by "Trang sau »",
``trang-N.html``) and the twelve articles with their expected fields. The crawl must fall back
to the ``generic`` family, walk the pagination, store exactly those twelve articles with the
right fields, and on a second (incremental) run fetch none of them again.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.miniportal import MiniPortal
from tests.fixturetypes import OpenStore, RunCli
from tests.helpers import FAST, as_utc

SITE_ID = "127.0.0.1"  # start_url mode: the site id is the host (spiders/portal.py)
FIELDS = ("title", "author", "source", "views")
# every date a page prints, numeric or spelled out
DATE_LINE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|[Nn]gày \d{1,2} tháng \d{1,2} năm \d{4}")


def test_unprofiled_portal_crawl(portal: MiniPortal, run_cli: RunCli, stored: OpenStore) -> None:
    truth = json.loads((portal.folder / "truth.json").read_text(encoding="utf-8"))
    articles: dict[str, dict[str, Any]] = truth["articles"]
    assert len(articles) == 12 and len(truth["listings"]) == 3
    base = portal.base_url.rstrip("/")
    command = ["crawl", "--start-url", base + truth["start"], *FAST]

    # 1. first full crawl: exit 0, generic family detected, HEALTHY verdict
    result = run_cli(*command, "--full")
    tail = result.stderr[-4000:]
    assert result.returncode == 0, tail
    assert f"{SITE_ID}: detected CMS family generic" in result.stderr, tail
    assert f"{SITE_ID}: HEALTHY" in result.stdout, result.stdout

    store = stored()
    first_run = store.recent_runs(SITE_ID)[0]
    assert first_run["cms"] == "generic"

    # 2. exactly the twelve articles, none of the listing or home pages, with the truth's fields
    docs = {d["url"].removeprefix(base): d for d in store.articles.find({"site_id": SITE_ID})}
    assert set(docs) == set(articles), tail
    for path, want in articles.items():
        doc = docs[path]
        for name in FIELDS:
            assert doc[name] == want[name], f"{path}: {name}"
        expected = datetime.fromisoformat(want["published_at"]).astimezone(UTC)
        assert doc["published_at"] is not None, f"{path}: published_at"
        assert as_utc(doc["published_at"]) == expected, f"{path}: published_at"
    store.close()

    # 3. the pagination ("Trang sau »", trang-N.html) was followed to the last listing page
    requested = [urlsplit(target).path for target in portal.requests]
    for listing in truth["listings"]:
        assert listing in requested, portal.requests

    # 4. an incremental run fetches no article again and stores nothing new
    before = len(portal.requests)
    again = run_cli(*command)
    assert again.returncode == 0, again.stderr[-4000:]
    second = [urlsplit(target).path for target in portal.requests[before:]]
    refetched = [path for path in second if path in articles]
    assert refetched == [], second

    store = stored()
    runs = store.recent_runs(SITE_ID)
    assert len(runs) == 2
    latest = runs[0]
    assert latest["articles"]["new"] == 0, latest["articles"]
    assert store.articles.count_documents({"site_id": SITE_ID}) == len(articles)
    store.close()


def test_unprofiled_portal_without_dates_is_not_healthy(
    portal: MiniPortal, run_cli: RunCli, stored: OpenStore
) -> None:
    """A portal crawled without a profile is held to the generic profile's expectations: the
    articles are stored, but a run that reads no date on them is UNHEALTHY (exit 2)."""
    truth = json.loads((portal.folder / "truth.json").read_text(encoding="utf-8"))
    for page in portal.folder.glob("article-*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(DATE_LINE.sub("", text), encoding="utf-8")
    result = run_cli(
        "crawl", "--start-url", portal.base_url.rstrip("/") + truth["start"], "--full", *FAST
    )
    assert result.returncode == 2, result.stderr[-3000:]
    assert f"{SITE_ID}: UNHEALTHY" in result.stdout, result.stdout
    run = stored().recent_runs(SITE_ID)[0]
    assert run["articles"]["new"] == 12
    assert any("coverage published_at" in p for p in run["problems"]), run["problems"]
    # every field says how it was found; no date was found at all
    assert run["methods"]["body"] == {"article_block": 12}
    assert run["methods"]["views"] == {"near_headline": 12}
    assert "published_at" not in run["methods"]


POSTBACK_PAGER = re.compile(r'href="/tin-tuc/trang-(\d)\.html"')


def test_postback_pager_reads_the_sitemap_and_says_so(
    portal: MiniPortal, run_cli: RunCli, stored: OpenStore
) -> None:
    """A pager that only posts back (``__doPostBack``) cannot be followed: the crawl reads
    ``/sitemap.xml`` instead, stores every article it lists, and the run record says why."""
    truth = json.loads((portal.folder / "truth.json").read_text(encoding="utf-8"))
    listing = portal.folder / "listing-1.html"
    html = POSTBACK_PAGER.sub(
        lambda m: f"href=\"javascript:__doPostBack('pager','{m[1]}')\"",
        listing.read_text(encoding="utf-8"),
    )
    listing.write_text(html, encoding="utf-8")
    urls = "".join(f"<url><loc>{{base_url}}{path}</loc></url>" for path in truth["articles"])
    (portal.folder / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
        f'sitemap/0.9">{urls}</urlset>',
        encoding="utf-8",
    )
    portal.routes["/sitemap.xml"] = {
        "file": "sitemap.xml",
        "content_type": "application/xml",
        "expand_base_url": True,
    }
    result = run_cli(
        "crawl", "--start-url", portal.base_url.rstrip("/") + truth["start"], "--full", *FAST
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "only posts back; reading /sitemap.xml" in result.stderr
    assert "/tin-tuc/trang-2.html" not in portal.requests
    run = stored().recent_runs(SITE_ID)[0]
    assert run["listing"]["postback_pager"] is True and run["listing"]["source"] == "feed"
    base = portal.base_url.rstrip("/")
    paths = {d["url"].removeprefix(base) for d in stored().articles.find({"site_id": SITE_ID})}
    assert paths == set(truth["articles"])
