"""One bad value never blocks others: values the store cannot hold are fixed field by field
before it; a record it still refuses is dead-lettered with its reason, the rest of its batch
stored, and a replay skips (dead-letters) what it cannot store instead of failing."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo.errors import BulkWriteError
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, SiteStatsItem
from crawler.storage import ArticleStore
from crawler.storage import store as store_module
from crawler.storage.spool import Spool
from crawler.storage.worker import InlineStoreWorker
from pipelines.store import STORE_DEAD_LETTERED, StorePipeline
from pipelines.validate import ValidatePipeline
from tests.faults.corpus import TITLE, _sub
from tests.fixturetypes import MakePortal, OpenStore, RecordProperty, RunCli
from tests.helpers import FAST, add_listing_links, found

HUGE = 2**70
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def url(i: int) -> str:
    return f"http://x.gov.vn/a-{i}"


def items(n: int) -> list[ArticleItem]:
    return [
        ArticleItem(
            url=url(i),
            canonical_url=url(i),
            site_id="x",
            cms="vnportal",
            title=f"Tin {i}",
            body=f"Nội dung {i}",
            content_hash=f"h{i}",
            views=i,
            published_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        for i in range(n)
    ]


def bad_batch() -> list[ArticleItem]:
    """39 good articles, one with a view count beyond int64, one with a lone surrogate."""
    batch = items(41)
    batch[7].views = HUGE
    batch[20].title = "Tin \ud800 lỗi"
    return batch


def run_pipelines(
    store: ArticleStore, spool: Spool, batch: list[Any], validate: bool = True
) -> Any:
    crawler = get_crawler(settings_dict={"GOV_STORE_BATCH_SIZE": 100})
    crawler.stats.open_spider()
    validator = ValidatePipeline(crawler)
    pipeline = StorePipeline(crawler, InlineStoreWorker(store), spool)

    async def crawl() -> None:
        for it in batch:
            await pipeline.process_item(validator.process_item(it) if validate else it)
        await pipeline.close_spider()

    asyncio.run(crawl())
    return crawler.stats


def test_bad_values_are_fixed_field_by_field_and_the_batch_stored(
    store: ArticleStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool")
    stats = run_pipelines(store, spool, bad_batch())
    assert store.count_articles() == 41
    assert not spool.path.exists() and spool.dead_letter.count() == 0
    huge = found(store.articles.find_one({"canonical_url": url(7)}))
    assert huge["views"] is None and huge["title"] == "Tin 7"
    assert "views_history" not in huge
    assert found(store.articles.find_one({"canonical_url": url(20)}))["title"] == "Tin \ufffd lỗi"
    assert stats.get_value("gov/extract/bad_value/views") == 1
    assert stats.get_value("gov/extract/bad_value/title") == 1
    assert stats.get_value("gov/store/written") == 41
    assert stats.get_value("gov/store/spooled") is None


def test_the_store_refuses_only_the_bad_records(store: ArticleStore) -> None:
    """Values that reach the store unchecked (an old spool, another producer): the store
    refuses those records, naming the field, and writes the rest."""
    docs = [
        {
            "canonical_url": url(i),
            "url": url(i),
            "title": f"Tin {i}",
            "body": "b",
            "content_hash": f"h{i}",
            "views": i,
        }
        for i in range(10)
    ]
    docs[3]["views"] = HUGE
    docs[5]["title"] = "x\ud800"
    docs[8].pop("canonical_url")
    result = store.upsert_articles(docs, NOW)
    assert result.new == 7
    reasons = {r.doc["url"]: r.reason for r in result.refused}
    assert sorted(reasons) == [url(3), url(5), url(8)]
    assert reasons[url(3)].startswith("views: OverflowError")
    assert reasons[url(5)].startswith("title: UnicodeEncodeError")
    assert reasons[url(8)] == "canonical_url: missing"
    assert store.count_articles() == 7


def test_unchecked_bad_values_are_dead_lettered_and_the_rest_stored(
    store: ArticleStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool", tmp_path / "dead-letter.jsonl")
    stats = run_pipelines(store, spool, bad_batch(), validate=False)
    assert store.count_articles() == 39
    assert not spool.path.exists()
    assert stats.get_value(STORE_DEAD_LETTERED) == 2
    assert stats.get_value("gov/store/written") == 39
    lines = [json.loads(line) for line in spool.dead_letter.path.read_text().splitlines()]
    assert {(r["kind"], r["doc"]["url"]) for r in lines} == {
        ("article", url(7)),
        ("article", url(20)),
    }
    assert all(r["reason"] and r["at"] for r in lines)
    assert next(r for r in lines if r["doc"]["url"] == url(7))["doc"]["views"] == HUGE


def test_a_value_the_check_misses_still_costs_only_its_record(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the store fails on a value mid-batch anyway, the batch is written one by one."""
    monkeypatch.setattr(store_module, "article_refusal", lambda doc: None)
    docs = [
        {
            "canonical_url": url(i),
            "url": url(i),
            "title": "t",
            "body": "b",
            "content_hash": f"h{i}",
            "views": HUGE if i == 2 else i,
        }
        for i in range(5)
    ]
    result = store.upsert_articles(docs, NOW)
    assert [r.doc["url"] for r in result.refused] == [url(2)]
    assert store.count_articles() == 4
    again = store.upsert_articles([d for d in docs if d["views"] != HUGE], NOW)
    assert again.new == 0 and store.count_articles() == 4
    views = [h["views"] for d in store.articles.find() for h in d["views_history"]]
    assert sorted(views) == [0, 1, 3, 4]  # no history entry written twice


class RefusingCollection:
    """The articles collection, with a server that refuses one document (as MongoDB does with a
    validator, code 121): the others of the unordered bulk are written, the error names it."""

    def __init__(self, inner: Any, refused_url: str) -> None:
        self.inner = inner
        self.refused_url = refused_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def bulk_write(self, ops: list[Any], ordered: bool = True) -> Any:
        def target(op: Any) -> str:
            url: str = (
                op._doc["canonical_url"] if hasattr(op, "_doc") else op._filter["canonical_url"]
            )
            return url

        bad = [i for i, op in enumerate(ops) if target(op) == self.refused_url]
        self.inner.bulk_write([op for op in ops if target(op) != self.refused_url], ordered=False)
        if bad:
            raise BulkWriteError(
                {
                    "writeErrors": [
                        {"index": i, "code": 121, "errmsg": "Document failed validation"}
                        for i in bad
                    ],
                    "writeConcernErrors": [],
                    "nInserted": len(ops) - len(bad),
                }
            )


def test_a_write_error_naming_one_document_refuses_only_it(
    store: ArticleStore, tmp_path: Path
) -> None:
    store.articles = RefusingCollection(store.articles, url(4))  # type: ignore[assignment]
    spool = Spool(tmp_path / "spool")
    stats = run_pipelines(store, spool, items(10))
    assert store.count_articles() == 9
    assert stats.get_value(STORE_DEAD_LETTERED) == 1
    assert stats.get_value("gov/articles/new") == 9
    line = json.loads(spool.dead_letter.path.read_text())
    assert line["doc"]["url"] == url(4)
    assert line["reason"] == "write error 121: Document failed validation"


def test_replay_dead_letters_what_it_cannot_store_and_stores_the_rest(
    store: ArticleStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool", tmp_path / "dead-letter.jsonl")
    docs = [
        {
            "canonical_url": url(i),
            "url": url(i),
            "title": "t",
            "body": "b",
            "content_hash": f"h{i}",
            "views": i,
        }
        for i in range(6)
    ]
    docs[2]["views"] = HUGE
    spool.append("article", docs)
    spool.append(
        "site_stats", [{"site_id": "x", "run_id": "r1", "total": HUGE, "captured_at": NOW}]
    )
    spool.append("run", [{"site_id": "x", "run_id": "r1", "started_at": NOW}])
    assert spool.replay(store, batch_size=4) == 6  # 5 articles and the run record
    assert spool.dead_lettered == 2
    assert store.count_articles() == 5
    assert store.crawl_runs.count_documents({}) == 1
    assert store.site_stats.count_documents({}) == 0
    assert not spool.path.exists() and spool.pending() == 0
    kinds = [json.loads(line)["kind"] for line in spool.dead_letter.path.read_text().splitlines()]
    assert sorted(kinds) == ["article", "site_stats"]
    # the next run's replay has nothing left to fail on
    assert spool.replay(store) == 0 and spool.dead_lettered == 0


def test_a_spool_line_without_its_record_is_kept_aside(store: ArticleStore, tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.path.write_text('{"kind": "article"}\n[1, 2]\n{"kind": "run", "doc": 5}\n')
    spool.append("article", [{"canonical_url": "u1", "url": "u1", "title": "t"}])
    assert spool.replay(store) == 1
    assert len((tmp_path / "pending.bad").read_text().splitlines()) == 3


@pytest.mark.slow
def test_crawl_with_an_overflowing_view_count_stores_everything(
    make_portal: MakePortal,
    run_cli: RunCli,
    stored: OpenStore,
    data_dir: Path,
    record_property: RecordProperty,
) -> None:
    """The issue's case from the command line: one page prints a view count beyond int64.
    Today's code spooled the whole batch and every later run failed at the replay."""
    portal = make_portal("nd-giaothuy")
    page = _sub("Lượt xem: 137", "Lượt xem: 1.180.591.620.717.411.303.424")
    (portal.folder / "huge-views.html").write_text(page, encoding="utf-8")
    path = "/tin-moi/huge-views-90001"
    portal.routes[path] = {"file": "huge-views.html"}
    add_listing_links(portal.folder, [path], ["Huge"])
    result = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, "--full", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "gov/extract/bad_value/views': 1" in result.stderr
    store = stored()
    record_property("items_lost", 6 - store.count_articles())  # for benchmarks/faults_table.py
    assert store.count_articles() == 6
    doc = found(store.articles.find_one({"url": portal.base_url.rstrip("/") + path}))
    assert doc["title"] == TITLE and doc["views"] is None
    assert not (data_dir / "spool" / "pending.jsonl").exists()
    assert not (data_dir / "dead-letter.jsonl").exists()
    store.close()
    again = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, *FAST)
    assert again.returncode == 0, again.stderr[-3000:]


def test_a_site_stats_snapshot_with_a_bad_counter(store: ArticleStore, tmp_path: Path) -> None:
    """Checked like an article (the counter nulled); unchecked, the store's refusal is
    dead-lettered instead of escaping the pipeline."""
    snapshot = SiteStatsItem(
        site_id="x", url="http://x.gov.vn/", run_id="r1", captured_at=NOW, total=HUGE, today=5
    )
    spool = Spool(tmp_path / "spool")
    stats = run_pipelines(store, spool, [snapshot])
    doc = found(store.site_stats.find_one({"run_id": "r1"}))
    assert (doc["total"], doc["today"]) == (None, 5)
    assert stats.get_value("gov/extract/bad_value/total") == 1

    unchecked = SiteStatsItem(
        site_id="x", url="http://x.gov.vn/", run_id="r2", captured_at=NOW, total=HUGE
    )
    stats = run_pipelines(store, spool, [unchecked], validate=False)
    assert store.site_stats.count_documents({"run_id": "r2"}) == 0
    assert stats.get_value(STORE_DEAD_LETTERED) == 1
    assert json.loads(spool.dead_letter.path.read_text())["kind"] == "site_stats"


def test_replay_command_skips_an_unstorable_record(
    run_cli: RunCli, stored: OpenStore, data_dir: Path
) -> None:
    """Today's code: `replay` (and every crawl, which replays first) failed on this record."""
    Spool(data_dir / "spool").append(
        "article",
        [
            {"canonical_url": "u1", "url": "u1", "title": "t", "views": HUGE},
            {"canonical_url": "u2", "url": "u2", "title": "t", "views": 2},
        ],
    )
    result = run_cli("replay")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "replayed 1 records" in result.stdout
    assert stored().count_articles() == 1
    lines = (data_dir / "dead-letter.jsonl").read_text().splitlines()
    assert [json.loads(line)["doc"]["canonical_url"] for line in lines] == ["u1"]
    assert "views: OverflowError" in json.loads(lines[0])["reason"]
    assert "replayed 0 records" in run_cli("replay").stdout
