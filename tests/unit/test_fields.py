"""The article field list is defined once (crawler/fields.py, crawler/items.py); every other
list is derived from it, and docs/schema.md documents exactly the stored fields."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from crawler.analytics.export import EXPORT_FIELDS
from crawler.extract.pages import ArticleData
from crawler.fields import COVERAGE_FIELDS, EXTRACTED_FIELDS, TEXT_FIELDS, ArticleFields
from crawler.items import KEPT_FIELDS, MUTABLE_FIELDS, STORED_FIELDS, ArticleItem, SiteStatsItem
from crawler.storage.store import STORE_ADDED_FIELDS

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema.md"


def documented(collection: str) -> list[str]:
    """The field names of one collection's table in docs/schema.md, in order."""
    text = SCHEMA.read_text(encoding="utf-8")
    section = text.split(f"## `{collection}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def test_the_item_and_the_extraction_result_share_the_extracted_fields() -> None:
    item = [f.name for f in fields(ArticleItem)]
    data = [f.name for f in fields(ArticleData)]
    assert item[: len(EXTRACTED_FIELDS)] == data[: len(EXTRACTED_FIELDS)] == list(EXTRACTED_FIELDS)
    assert issubclass(ArticleItem, ArticleFields) and issubclass(ArticleData, ArticleFields)


def test_derived_lists_follow_the_flags() -> None:
    assert set(COVERAGE_FIELDS) <= set(EXTRACTED_FIELDS)
    assert set(TEXT_FIELDS) <= set(EXTRACTED_FIELDS) and "body" not in TEXT_FIELDS
    assert "canonical_url" not in MUTABLE_FIELDS and "fetched_at" not in MUTABLE_FIELDS
    assert set(KEPT_FIELDS) == set(MUTABLE_FIELDS) - {
        "duplicate_of",
        "missing",
        "published_date_only",
    }


def test_schema_doc_lists_every_stored_article_field() -> None:
    stored = {"_id", *STORED_FIELDS, *STORE_ADDED_FIELDS}
    assert set(documented("articles")) == stored
    # the export takes every stored field except the store's own bookkeeping
    assert set(EXPORT_FIELDS) == stored - {"_id", "stale"}


def test_schema_doc_lists_every_site_stats_field() -> None:
    item = {f.name for f in fields(SiteStatsItem)} - {"extra"}
    assert item <= set(documented("site_stats"))
