"""Two consecutive nightly runs against the mini portal, with the portal changing in between."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from crawler.miniportal import MiniPortal
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST, add_listing_links

SITE = "nd-giaothuy"
LISTING = "/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECENT_A = "/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"
RECENT_B = (
    "/tin-moi/kiem-tra-tien-do-thuc-hien-to-dan-pho-nong-thon-moi-kieu-mau-tai-xom-lam-dung-37402"
)
OLD_C = "/tin-moi/giao-thuy-ra-quan-lam-thuy-loi-dong-xuan-37310"


def set_date(folder: Path, name: str, when: datetime) -> None:
    page = folder / name
    text = page.read_text(encoding="utf-8")
    stamp = f"Thứ Hai, {when:%d/%m/%Y %H:%M}"
    page.write_text(
        re.sub(r'(<span class="PostDate">)[^<]*', rf"\g<1>{stamp}", text, count=1), encoding="utf-8"
    )


def set_views(folder: Path, name: str, views: str) -> None:
    page = folder / name
    text = page.read_text(encoding="utf-8")
    page.write_text(
        re.sub(r"Lượt xem: [\d.,]+", f"Lượt xem: {views}", text, count=1), encoding="utf-8"
    )


def add_article(portal: MiniPortal, number: int, title: str) -> str:
    """A new article page (copied from an existing one) linked first on listing page 1."""
    folder = portal.folder
    source = (folder / "article-37401.html").read_text(encoding="utf-8")
    old_title = "Văn phòng điều phối NTM huyện đi kiểm tra đánh giá xóm NTM kiểu mẫu, xã NTM nâng cao tại Bạch Long"
    page = source.replace(old_title, title).replace(
        "Hiện xã đang", f"Bài số {number}. Hiện xã đang"
    )
    name = f"article-{number}.html"
    (folder / name).write_text(page, encoding="utf-8")
    path = f"/tin-moi/bai-moi-{number}"
    portal.routes[path] = {"file": name}
    add_listing_links(folder, [path], [title])
    return path


def article_requests(portal: MiniPortal, since: int) -> list[str]:
    return [p for p in portal.requests[since:] if p.startswith("/tin-moi/")]


def test_two_nightly_runs(make_portal: MakePortal, run_cli: RunCli, stored: OpenStore) -> None:
    portal = make_portal(SITE)
    now = datetime.now(VN)
    set_date(portal.folder, "article-37511.html", now - timedelta(days=1))
    set_date(portal.folder, "article-37402.html", now - timedelta(days=3))

    first = run_cli("nightly", SITE, "--base-url", portal.base_url, *FAST)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(article_requests(portal, 0)) == 5
    mark = len(portal.requests)

    # between the runs: two new articles, one changed view count, one old page re-laid out
    new_paths = [
        add_article(portal, 40001, "Bài mới thứ nhất về chuyển đổi số"),
        add_article(portal, 40002, "Bài mới thứ hai về nông thôn mới"),
    ]
    set_views(portal.folder, "article-37511.html", "150")
    old_page = portal.folder / "article-37310.html"
    old_page.write_text(
        old_page.read_text(encoding="utf-8").replace("ArticleDetailControl", "NewsDetail"),
        encoding="utf-8",
    )

    second = run_cli("nightly", SITE, "--base-url", portal.base_url, *FAST)
    assert second.returncode == 0, second.stderr[-3000:]
    fetched = article_requests(portal, mark)
    # only the new articles and the refresh-window articles were fetched again
    assert sorted(fetched) == sorted([*new_paths, RECENT_A, RECENT_B])
    assert OLD_C not in fetched
    assert all(
        p.startswith((LISTING, "/tin-moi/", "/robots.txt", "/")) for p in portal.requests[mark:]
    )

    store = stored()
    base = portal.base_url.rstrip("/")
    docs = {d["url"].removeprefix(base): d for d in store.articles.find()}
    assert len(docs) == 7  # five old + two new, no duplicates
    assert len({d["canonical_url"] for d in docs.values()}) == 7
    assert all(p in docs for p in new_paths)
    assert [h["views"] for h in docs[RECENT_A]["views_history"]] == [137, 150]
    assert [h["views"] for h in docs[RECENT_B]["views_history"]] == [1234]
    assert docs[OLD_C]["title"] == "Giao Thủy ra quân làm thủy lợi đông xuân"  # untouched

    runs = store.recent_runs(SITE)
    assert len(runs) == 2
    latest, earliest = runs
    assert earliest["articles"]["new"] == 5
    assert latest["articles"]["new"] == 2
    assert latest["articles"]["updated"] == 1
    assert latest["articles"]["unchanged"] == 1
    assert latest["articles"]["refreshed"] == 2
    assert latest["articles"]["skipped_known"] == 3
    assert latest["pages"]["article"] == 4
    assert latest["verdict"] == earliest["verdict"] == "healthy"
    assert latest["run_id"] != earliest["run_id"]
    # one visit-statistics snapshot per run: a time series
    assert store.site_stats.count_documents({"site_id": SITE}) == 2


def test_layout_change_gives_unhealthy_verdict(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal(SITE)
    for page in portal.folder.glob("article-*.html"):
        page.write_text(
            page.read_text(encoding="utf-8").replace("ArticleDetailControl", "NewsDetail"),
            encoding="utf-8",
        )
    result = run_cli("nightly", SITE, "--base-url", portal.base_url, *FAST)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "nd-giaothuy: UNHEALTHY" in result.stdout
    run = stored().recent_runs(SITE)[0]
    assert run["verdict"] == "unhealthy"
    # the layout-free reader still saved the articles, every field its rule missed ...
    assert run["articles"]["new"] == 5
    assert {"title", "body", "published_at", "views", "author"} <= set(run["fallbacks"])
    assert run["fallbacks"]["title"] == run["fallbacks"]["body"] == 5
    docs = list(stored().articles.find({"site_id": SITE}))
    assert all(d["title"] and d["body"] and d["published_at"] for d in docs)
    # ... but the profile's own rules matched nothing: that is what the verdict reports
    assert any("coverage title 0%" in p for p in run["problems"])
    assert result.stderr.count("fallback used") == 1  # one warning per site
