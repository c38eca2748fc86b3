"""crawler/extract is pure: no Scrapy engine, no storage, no pipelines, no network."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = (
    "pymongo",
    "litemongo",
    "scrapy",
    "pipelines",
    "spiders",
    "crawler.storage",
    "urllib.request",
    "requests",
    "twisted",
)
ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_extract_imports_nothing_impure() -> None:
    files = sorted((ROOT / "crawler" / "extract").glob("*.py"))
    assert files
    for path in files:
        for name in imports(path):
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), (
                f"{path.name} imports {name}"
            )
