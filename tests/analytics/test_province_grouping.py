"""Export and report by current province (``province_code``), including articles stored before
the field existed (they carry only ``province``)."""

from __future__ import annotations

import io
import json

from crawler.analytics.export import EXPORT_FIELDS, export_articles
from crawler.analytics.report import build_report
from crawler.analytics.report_data import provinces
from crawler.storage import ArticleStore
from tests.analytics.sample_data import article


def fill(store: ArticleStore) -> None:
    docs = [
        article("https://ninhbinh.gov.vn/a", "nb-ubnd", "A", "Thân bài A.", None, 1),
        article("http://giaothuy.namdinh.gov.vn/b", "nd-giaothuy", "B", "Thân bài B.", None, 2),
        article("https://hanam.gov.vn/c", "hnm-ubnd", "C", "Thân bài C.", None, 3),
        article("https://mof.gov.vn/d", "tw-mof", "D", "Thân bài D.", None, 4),
    ]
    docs[0].update(province="Ninh Bình", province_code="37")
    docs[1].update(province="Nam Định", province_code="37")
    docs[2].update(province="Hà Nam")  # stored before province_code existed
    store.articles.insert_many(docs)


def test_export_has_province_code_and_derives_it_for_old_articles(store: ArticleStore) -> None:
    fill(store)
    assert EXPORT_FIELDS.index("province_code") == EXPORT_FIELDS.index("province") + 1
    out = io.StringIO()
    export_articles(store, out, "jsonl")
    codes = {r["site_id"]: r["province_code"] for r in map(json.loads, out.getvalue().splitlines())}
    assert codes == {"nb-ubnd": "37", "nd-giaothuy": "37", "hnm-ubnd": "37", "tw-mof": None}
    out = io.StringIO()
    export_articles(store, out, "jsonl", fields=["site_id", "province_code"])
    first = json.loads(out.getvalue().splitlines()[0])
    assert list(first) == ["site_id", "province_code"]


def test_report_groups_articles_by_current_province(store: ArticleStore) -> None:
    fill(store)
    rows = provinces(store, None, None)
    assert [(r["province_code"], r["name"], r["articles"]) for r in rows] == [
        ("37", "Ninh Bình", 3),
        (None, None, 1),
    ]
    assert rows[0]["provinces"] == ["Hà Nam", "Nam Định", "Ninh Bình"]
    assert rows[0]["sites"] == ["hnm-ubnd", "nb-ubnd", "nd-giaothuy"]
    html = build_report(store)
    assert "Articles by province (since the 2025 merger)" in html
    assert "Hà Nam, Nam Định, Ninh Bình" in html
