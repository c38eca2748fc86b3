"""Shared fixtures: stores (embedded always, real MongoDB when CRAWLER_TEST_MONGO_URI is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import ArticleStore, open_store

MONGO_URI = os.environ.get("CRAWLER_TEST_MONGO_URI")


@pytest.fixture(
    params=[
        pytest.param("embedded", id="embedded"),
        pytest.param("mongo", id="mongo", marks=pytest.mark.mongo),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleStore]:
    """The store contract runs on both back ends; ``-m mongo`` selects the real server."""
    if request.param == "embedded":
        st = open_store(None, tmp_path)
        yield st
        st.close()
        return
    if not MONGO_URI:
        pytest.fail("-m mongo needs CRAWLER_TEST_MONGO_URI pointing at a real MongoDB")
    db_name = f"govtest_{uuid.uuid4().hex[:8]}"
    st = open_store(MONGO_URI, tmp_path, db_name=db_name)
    st = ArticleStore(st.db.client[db_name], st.description, embedded=False)
    st.ensure_indexes()
    yield st
    st.db.client.drop_database(db_name)
    st.close()
