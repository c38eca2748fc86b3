"""A crawl stores ``province_code`` (the province the portal is part of since the 2025 merger) on
articles and visit snapshots, and the export and the report carry it."""

from __future__ import annotations

import csv
import io

from crawler.analytics.export import export_articles
from crawler.analytics.report_data import collect
from crawler.registry import current_province_code
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST

NINH_BINH = current_province_code("Ninh Bình")


def test_crawled_articles_and_site_stats_carry_the_current_province_code(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    assert NINH_BINH == "37"
    portal = make_portal("nd-giaothuy")  # a Nam Định district portal: Ninh Bình since 2025
    result = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, "--full", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    store = stored()
    docs = list(store.articles.find())
    assert len(docs) == 5
    assert {(d["province"], d["province_code"]) for d in docs} == {("Nam Định", NINH_BINH)}
    [snapshot] = store.site_stats.find({"site_id": "nd-giaothuy"})
    assert snapshot["province_code"] == NINH_BINH

    out = io.StringIO()
    assert export_articles(store, out, "csv") == 5
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["province_code"] for r in rows} == {NINH_BINH}

    [row] = collect(store).provinces
    assert (row["province_code"], row["name"], row["provinces"], row["articles"]) == (
        NINH_BINH,
        "Ninh Bình",
        ["Nam Định"],
        5,
    )
    store.close()
