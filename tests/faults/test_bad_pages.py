"""Bad pages: none crashes extraction or the crawl; each ends null or dropped, with a reason."""

from __future__ import annotations

import pytest

from crawler.extract import extract_article
from tests.faults.corpus import TITLE, BadCase, build, write_site
from tests.fixturetypes import MakePortal, OpenStore, RecordProperty, RunCli
from tests.helpers import FAST

CASES = build()
URL = "http://giaothuy.namdinh.gov.vn/tin-moi/bad-1"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extraction_never_raises(case: BadCase) -> None:
    ctype = None if case.content_type.endswith("utf-8") else case.content_type
    data = extract_article(case.body, URL, "nd-giaothuy", content_type=ctype)
    if case.dropped in ("empty_page", "binary_page"):
        assert data.title is None and data.body is None
        return
    if case.dropped == "no_title":
        assert data.title is None
        return
    assert data.title == case.title
    for name in case.null_fields:
        assert getattr(data, name) is None, name
    if "views" in case.null_fields:
        assert data.views_raw == "13a7"
    if "published_at" in case.null_fields:
        assert data.published_raw == "Thứ Hai, 31/02/2021 10:20"
    if case.name == "script-injected":
        assert data.body is not None
        assert "INJECTED" not in data.body and "NOSCRIPT" not in data.body
        assert "document.write" not in data.body and "Đoạn an toàn." in data.body
    if case.name in (
        "windows-1258",
        "mixed-nfd",
        "wrong-charset",
        "missing-charset",
        "tcvn3-labelled-latin1",
        "tcvn3-no-charset",
    ):
        assert data.author == "Hoàng Mai" and data.source == "Trung tâm VH-TT-TT Giao Thủy"
        assert data.body is not None
        assert "Chánh Văn phòng Ban Dân vận Trung ương" in data.body


def test_crawl_of_bad_pages_counts_every_outcome(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore, record_property: RecordProperty
) -> None:
    portal = make_portal("nd-giaothuy")
    paths = write_site(portal.folder, CASES)
    portal.routes.clear()
    portal.routes.update(__import__("json").loads((portal.folder / "routes.json").read_text()))
    result = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, "--full", *FAST)
    assert result.returncode in (0, 2), result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    store = stored()
    run = store.recent_runs("nd-giaothuy")[0]
    base = portal.base_url.rstrip("/")
    docs = {d["url"].removeprefix(base): d for d in store.articles.find()}
    dropped = run["articles"]["dropped"]
    # for benchmarks/faults_table.py: pages that should be stored and are not
    record_property("items_lost", sum(paths[c.name] not in docs for c in CASES if not c.dropped))
    for case in CASES:
        path = paths[case.name]
        assert portal.hits(path) >= 1, case.name
        if case.dropped:
            assert path not in docs, case.name
        else:
            assert docs[path]["title"] == TITLE, case.name
            for name in case.null_fields:
                assert docs[path][name] is None, (case.name, name)
    want: dict[str, int] = {}
    for case in CASES:
        if case.dropped:
            want[case.dropped] = want.get(case.dropped, 0) + 1
    assert dropped == want
    stored_cases = [c for c in CASES if not c.dropped]
    assert run["articles"]["new"] == len(stored_cases) + 3  # plus the three normal ones on page 1
    # listing page 2: no links, and its next link points to itself: counted, and it stops
    assert portal.hits("/huyengiaothuy/1209/26949/37482/Phat-trien-huyen/?page=2") == 1
    assert run["pages"]["listing"] == 2
    stats_line = [ln for ln in result.stderr.splitlines() if "gov/extract/bad_date" in ln]
    assert stats_line and "gov/extract/bad_views" in result.stderr
    for case in CASES:  # every counter a case names is in the crawl's stats
        for name in case.stats:
            assert f"'{name}'" in result.stderr, (case.name, name)
    assert "gov/listing/empty': 1" in result.stderr
