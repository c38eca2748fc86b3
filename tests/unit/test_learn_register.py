"""``sites learn`` adds the learned site's registry row (once, and only a valid one)."""

from __future__ import annotations

import shutil
from pathlib import Path

from crawler.learn import SiteFacts, register
from crawler.registry import DEFAULT_REGISTRY_PATH, load_registry

FACTS = SiteFacts(
    "nb-xathu", "Cổng TTĐT xã Thử", "Ninh Bình", "commune", "https://xathu.ninhbinh.gov.vn/tin-tuc/"
)


def test_row_added_once(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    shutil.copy(DEFAULT_REGISTRY_PATH, path)
    before = len(load_registry(path))
    assert register(FACTS, "learned from https://xathu.ninhbinh.gov.vn/tin-tuc/", path) is None
    rows = load_registry(path)
    assert len(rows) == before + 1
    row = next(r for r in rows if r.id == "nb-xathu")
    assert (row.cms, row.status, row.base_url, row.level) == (
        "unknown",
        "active",
        "https://xathu.ninhbinh.gov.vn/",
        "commune",
    )
    assert "already in" in (register(FACTS, "again", path) or "")
    assert len(load_registry(path)) == before + 1


def test_an_invalid_row_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    shutil.copy(DEFAULT_REGISTRY_PATH, path)
    text = path.read_text(encoding="utf-8")
    local = SiteFacts("nb-xathu", "x", "Ninh Bình", "commune", "http://127.0.0.1:8000/tin-tuc/")
    assert "must have a host ending in .gov.vn" in (register(local, "learned", path) or "")
    assert path.read_text(encoding="utf-8") == text
