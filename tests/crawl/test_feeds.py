"""A portal whose listing paginates only through AJAX: article links come from sitemap.xml."""

from __future__ import annotations

import shutil
from pathlib import Path

from crawler.profiles import PROFILES_DIR
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST

SITE_TOML = """
id = "t-ajax"
extends = "vnportal"
name = "Cổng thử nghiệm AJAX"
level = "commune"
base_url = "http://example.gov.vn/"
start_paths = ["/tin-tuc/"]

[listing]
feeds = ["/sitemap.xml"]
"""


def test_links_from_sitemap_when_listing_is_ajax(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore, tmp_path: Path
) -> None:
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    (root / "sites").mkdir()
    (root / "sites" / "t-ajax.toml").write_text(SITE_TOML, encoding="utf-8")
    portal = make_portal("nd-giaothuy")
    article_paths = [p for p in portal.routes if p.startswith("/tin-moi/")]
    portal.routes["/tin-tuc/"] = {
        "body": '<div class="UIArticleInMenu_Default"><ul class="ArticleList">'
        '</ul><ul class="pagination" data-ajax="1"></ul></div>'
    }
    locs = "".join(f"<url><loc>{portal.base_url.rstrip('/')}{p}</loc></url>" for p in article_paths)
    portal.routes["/sitemap.xml"] = {
        "body": f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}'
        "<url><loc>http://elsewhere.example/tin-moi/x-12345</loc></url></urlset>",
        "content_type": "application/xml",
    }
    result = run_cli(
        "crawl",
        "t-ajax",
        "--base-url",
        portal.base_url,
        "--full",
        *FAST,
        env={"CRAWLER_PROFILES_DIR": str(root)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'gov/listing/source': 'feed'" in result.stderr
    assert "'gov/feed/links': 5" in result.stderr
    assert stored().count_articles({"site_id": "t-ajax"}) == 5
