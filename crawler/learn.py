"""``sites learn``: a short, polite sampling crawl, rules induced from it, a site profile written.

1. The portal is crawled from one listing URL with the production politeness (robots.txt,
   delays, AutoThrottle), at most ``GOV_LEARN_MAX_REQUESTS`` requests, two listing pages, nothing
   stored: ``SampleRecorderMiddleware`` saves each listing and article page.
2. ``crawler.extract.induce`` reads the article pages layout-free and finds, per field, the
   selector that reproduces those values on at least 90% of them.
3. The profile (``extends = "generic"``: what no rule covers stays layout-free) is rendered as
   TOML, loaded back through the profile schema (what ``sites validate`` does), and written to
   ``<profiles>/sites/learned/<id>.toml``. Rendering is deterministic: the same pages give the
   same file.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.induce import Learned, Sample
from crawler.profiles import load_profiles, profiles_root

LEARNED_DIR = "learned"


@dataclass(frozen=True)
class SiteFacts:
    id: str
    name: str
    province: str
    level: str
    start_url: str


def sample(start_url: str, folder: Path, settings: Any) -> list[dict[str, Any]]:
    """Crawl politely from ``start_url`` and save what was fetched; the index lines."""
    from scrapy.crawler import CrawlerProcess

    from spiders.portal import PortalSpider

    settings = settings.copy()
    settings.set("GOV_SAMPLE_DIR", str(folder), "cmdline")
    settings.set("CLOSESPIDER_PAGECOUNT", settings.getint("GOV_LEARN_MAX_REQUESTS"), "cmdline")
    settings.set("ITEM_PIPELINES", {}, "cmdline")  # nothing is stored
    settings.set(
        "EXTENSIONS",
        {"crawler.extensions.RunReportExtension": None, "crawler.progress.ProgressExtension": None},
        "cmdline",
    )
    process = CrawlerProcess(settings, install_root_handler=False)
    process.crawl(PortalSpider, start_url=start_url, mode="full", max_pages=2)
    process.start()
    index = folder / "index.jsonl"
    if not index.exists():
        return []
    return [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()]


def samples_from(folder: Path, lines: list[dict[str, Any]]) -> list[Sample]:
    return [
        Sample(line["url"], (folder / line["file"]).read_bytes(), line.get("content_type"))
        for line in lines
        if line["page_type"] == "article"
    ]


def _toml_string(value: str) -> str:
    return (
        "'" + value + "'"
        if "'" not in value and "\n" not in value
        else json.dumps(value, ensure_ascii=False)
    )


def _toml_rule(rule: dict[str, Any]) -> str:
    return "{ " + ", ".join(f"{k} = {_toml_string(v)}" for k, v in rule.items()) + " }"


def render(facts: SiteFacts, learned: Learned) -> str:
    """The learned site profile as TOML (fields in a fixed order)."""
    parts = urlsplit(facts.start_url)
    base = f"{parts.scheme}://{parts.netloc}/"
    start = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [
        f"# Learned by `python -m crawler sites learn` from {facts.start_url}",
        "# (rules that reproduce the layout-free reading on >= 90% of the sampled articles;",
        "# fields without a rule stay layout-free). Check it, then keep it as any profile.",
        f"id = {_toml_string(facts.id)}",
        'extends = "generic"',
        f"name = {_toml_string(facts.name)}",
        f"province = {_toml_string(facts.province)}",
        f"level = {_toml_string(facts.level)}",
        f"base_url = {_toml_string(base)}",
        f"start_paths = [{_toml_string(start)}]",
        "",
        "[article]",
    ]
    names = {"title": "title", "summary": "summary", "published_at": "published", "views": "views"}
    for field_name, key in names.items():
        result = learned.rules.get(field_name)
        if result is not None and result.rule is not None:
            lines.append(f"{key} = {_toml_rule(result.rule)}")
    body = learned.rules["body"].rule
    assert body is not None
    containers = body.get("list") or [body["css"]]  # in order: one per template
    lines.append("body = [" + ", ".join(_toml_string(c) for c in containers) + "]")
    if body.get("reading") == "layout-free":  # the reader's own noise rules: no body_remove
        lines.append('body_reading = "layout-free"')
    elif learned.body_remove:
        lines.append(
            "body_remove = [" + ", ".join(_toml_string(c) for c in learned.body_remove) + "]"
        )
    return "\n".join(lines) + "\n"


def check(text: str, site_id: str) -> None:
    """Load the profile through the schema beside the family profiles (``sites validate``)."""
    import shutil

    root = profiles_root()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(root / "cms", Path(tmp) / "cms")
        (Path(tmp) / "sites").mkdir()
        (Path(tmp) / "sites" / f"{site_id}.toml").write_text(text, encoding="utf-8")
        load_profiles(Path(tmp))


def destination(site_id: str) -> Path:
    return profiles_root() / "sites" / LEARNED_DIR / f"{site_id}.toml"


def register(facts: SiteFacts, evidence: str, path: Path | None = None) -> str | None:
    """Append the learned site's registry row (status ``active``, family ``unknown``: its
    profile file says how it is read); ``None`` when added, else why it was not."""
    import csv
    import io

    from crawler.exceptions import ProfileError
    from crawler.registry import FIELDS, RegistryError, load_registry, registry_path

    target = path or registry_path()
    parts = urlsplit(facts.start_url)
    row = {
        "id": facts.id,
        "name": facts.name,
        "province": facts.province,
        "level": facts.level,
        "cms": "unknown",
        "base_url": f"{parts.scheme}://{parts.netloc}/",
        "status": "active",
        "merged_into": "",
        "successor_url": "",
        "evidence": evidence,
    }
    current = target.read_text(encoding="utf-8")
    if any(e.id == facts.id for e in load_registry(target)):
        return f"{facts.id} is already in {target}"
    line = io.StringIO()
    csv.DictWriter(line, FIELDS, lineterminator="\n").writerow(row)
    updated = current if current.endswith("\n") else current + "\n"
    updated += line.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "sites.csv"
        trial.write_text(updated, encoding="utf-8")
        try:
            load_registry(trial)
        except (RegistryError, ProfileError) as exc:
            return f"not added to {target}: {str(exc).replace(str(trial), 'the row')}"
    target.write_text(updated, encoding="utf-8")
    return None
