"""The shape the architecture keeps (docs/architecture.md): a routing-only spider, short
functions, and a CLI package without import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("crawler", "spiders", "pipelines")
MAX_FUNCTION_LINES = 50
MAX_SPIDER_LINES = 250


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "crawler.cli":  # ``from crawler.cli import crawl``: a module
                names.update(f"crawler.cli.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_the_spider_only_routes() -> None:
    lines = (ROOT / "spiders" / "portal.py").read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_SPIDER_LINES


def test_no_production_function_is_longer_than_fifty_lines() -> None:
    long = []
    for folder in PRODUCTION:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    size = (node.end_lineno or node.lineno) - node.lineno + 1
                    if size > MAX_FUNCTION_LINES:
                        long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size})")
    assert long == []


def test_cli_modules_import_only_the_shared_module_of_the_package() -> None:
    cli = ROOT / "crawler" / "cli"
    allowed = {"crawler.cli.common", "crawler.cli.learn"}
    for path in sorted(cli.glob("*.py")):
        if path.name == "__init__.py":
            continue
        own = {n for n in _imports(path) if n == "crawler.cli" or n.startswith("crawler.cli.")}
        assert own <= allowed, f"{path.name} imports {sorted(own - allowed)}"
    assert not (ROOT / "crawler" / "cli.py").exists()
