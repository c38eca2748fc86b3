"""The HTML report: self-contained, escaped, every section present, and empty stores readable."""

from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from crawler.analytics.report import build_report
from crawler.analytics.republication import build_clusters
from crawler.storage import ArticleStore
from tests.analytics.sample_data import article, populate

SECTIONS = ("overview", "weekly", "views", "growth", "visits", "health", "clusters")


class Structure(HTMLParser):
    """Tags, attributes and text of a document, to check what a browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    return parser


def assert_self_contained(html: str) -> Structure:
    doc = parse(html)
    names = [t for t, _ in doc.tags]
    assert "script" not in names and "iframe" not in names and "img" not in names
    assert "link" not in names  # no external style sheet
    for _, attrs in doc.tags:
        assert not any(k.startswith("on") for k in attrs), attrs  # no event handlers
        assert "src" not in attrs
        href = attrs.get("href")
        assert href is None or href.startswith(("http://", "https://")), href
    assert "url(" not in html and "@import" not in html
    return doc


def test_report_of_a_crawled_store(crawled: ArticleStore) -> None:
    html = build_report(crawled)
    doc = assert_self_contained(html)
    ids = [a.get("id") for t, a in doc.tags if t == "section"]
    assert ids == list(SECTIONS)
    text = " ".join(doc.text)
    assert "nd-giaothuy" in text and "hn-sotttt" in text
    assert "Cuộc thi viết thư quốc tế UPU lần thứ 47 (2018)" in text  # the most viewed
    assert "38 661" in text
    assert "healthy" in text and "100%" in text  # run verdicts and coverage
    assert "2 683 439" in text and "4 798 809" in text  # latest visit counters
    assert "Clusters have not been built yet" in text
    assert html.count("<svg") >= 4  # weekly, views, one visits chart per site
    assert "No data yet" not in text


def test_report_scope_by_site_and_date(crawled: ArticleStore) -> None:
    text = " ".join(parse(build_report(crawled, sites=["hn-sotttt"])).text)
    assert "Cuộc thi viết thư quốc tế UPU" in text
    assert "Hội nghị trực tuyến công tác Dân vận năm 2021" not in text
    assert "sites: hn-sotttt" in text
    text = " ".join(parse(build_report(crawled, since=date(2021, 1, 1))).text)
    assert "Hội nghị trực tuyến công tác Dân vận năm 2021" in text
    assert "Cuộc thi viết thư quốc tế UPU" not in text  # published in 2017


def test_empty_store_gives_a_readable_report(store: ArticleStore) -> None:
    html = build_report(store)
    doc = assert_self_contained(html)
    text = " ".join(doc.text)
    assert "No data yet" in text
    assert "No dated articles yet." in text
    assert "No crawl run recorded yet." in text
    assert "No visit statistics captured yet." in text
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


def test_report_with_history_and_clusters(store: ArticleStore) -> None:
    populate(store)
    html = build_report(store)
    assert_self_contained(html)
    assert "<polyline" in html  # view growth and visits have several points
    text = " ".join(parse(html).text)
    assert "2 articles on 2 portals" in text
    assert "first published by nd-giaothuy" in text
    assert "View count of the most viewed articles with a history" in text


def test_extracted_text_is_shown_never_interpreted(store: ArticleStore) -> None:
    evil = article(
        "javascript:alert(1)",
        '<b onmouseover="x()">site</b>',
        '<script>alert("title")</script><img src=x onerror=alert(1)>',
        "Body </section><script>alert(2)</script>",
        None,
        42,
    )
    store.articles.insert_one(evil)
    store.crawl_runs.insert_one(
        {
            "site_id": "<i>run</i>",
            "run_id": "r",
            "verdict": "<b>bad</b>",
            "problems": ["<script>x</script>"],
            "coverage": {"<u>f</u>": 0.5},
        }
    )
    build_clusters(store)
    html = build_report(store, sites=None)
    assert_self_contained(html)
    assert "<script>" not in html and "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;site&lt;/b&gt;" in html
    assert 'href="javascript:' not in html
    assert re.search(r"<[^>]+onmouseover", html) is None


def _run(
    site: str, started: datetime, extracted: int, coverage: float, **extra: Any
) -> dict[str, Any]:
    fields = ("title", "summary", "body", "published_at", "views")
    return {
        "site_id": site,
        "run_id": f"r-{started:%H%M}",
        "started_at": started,
        "finished_at": started,
        "mode": extra.pop("mode", "incremental"),
        "verdict": "healthy",
        "pages": {"listing": 2, "article": extracted},
        "articles": {
            "extracted": extracted,
            "valid": extracted,
            "new": extracted,
            "updated": 0,
            "unchanged": 0,
        },
        "errors": {},
        "coverage": dict.fromkeys(fields, coverage),
        **extra,
    }


def _health_rows(html: str) -> list[str]:
    health = html[html.index('<section id="health">') :]
    return re.findall(r"<tr>(.*?)</tr>", health[: health.index("</section>")])[1:]


def test_a_run_with_no_article_shows_dashes_not_red_zero(store: ArticleStore) -> None:
    """An incremental run that found nothing new stores coverage 0.0 for every field: that is no
    measurement, and the heatmap must not paint it as a layout break."""
    from datetime import UTC, datetime

    store.crawl_runs.insert_many(
        [
            _run("nd-giaothuy", datetime(2026, 1, 2, 18, tzinfo=UTC), 0, 0.0),  # nothing new
            _run("nd-giaothuy", datetime(2026, 1, 1, 18, tzinfo=UTC), 5, 1.0, mode="full"),
            _run("nd-broken", datetime(2026, 1, 2, 18, tzinfo=UTC), 4, 0.0),  # a real 0 %
        ]
    )
    html = build_report(store)
    empty_run, full_run = _health_rows(html)[2:]  # nd-broken's table comes first
    assert empty_run.count(">–</td>") == 5 and "0%" not in empty_run
    assert "cov-lo" not in empty_run and "no coverage to judge" in empty_run
    assert full_run.count(">100%</td>") == 5
    [broken] = _health_rows(html)[:1]
    assert broken.count('"cov cov-lo">0%</td>') == 5  # extracted pages, nothing found: red
    legacy = {
        "site_id": "old",
        "run_id": "r0",
        "started_at": datetime(2025, 1, 1, tzinfo=UTC),
        "verdict": "healthy",
        "pages": {"listing": 1, "article": 0},
        "articles": {"new": 0},
        "coverage": {"title": 0.0},
    }  # a record before "extracted"
    store.crawl_runs.insert_one(legacy)
    [old_run] = _health_rows(build_report(store, sites=["old"]))
    assert ">–</td>" in old_run and "0%" not in old_run
