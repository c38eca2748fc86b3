"""``sites learn``: a portal nobody profiled becomes a maintained profile.

The unprofiled commune portal (tests/fixtures/unprofiled/static-rebuild/site/) is served
locally; ``sites learn`` samples it politely, induces rules, writes a profile that validates;
the learned id is then crawled like any site: every article with the right fields, and a second
run fetches no article again. A portal whose sampled articles come in two layouts is refused.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from crawler.miniportal import MiniPortal
from crawler.profiles import PROFILES_DIR
from tests.fixturetypes import OpenStore, RunCli
from tests.helpers import FAST, as_utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "unprofiled"
SITE_ID = "nb-xagiaothuy-test"
REGISTRY = Path(__file__).resolve().parents[2] / "crawler" / "registry" / "sites.csv"
FIELDS = ("title", "author", "source", "views")


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "cms", root / "cms")
    (root / "sites").mkdir()
    return root


def learn(
    run_cli: RunCli, profiles: Path, start_url: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    registry = profiles.parent / "sites.csv"
    if not registry.exists():
        shutil.copy(REGISTRY, registry)
    return run_cli(
        "sites",
        "learn",
        "--start-url",
        start_url,
        "--id",
        SITE_ID,
        "--province",
        "Ninh Bình",
        *extra,
        *FAST,
        env={"CRAWLER_PROFILES_DIR": str(profiles), "CRAWLER_REGISTRY": str(registry)},
    )


def test_learn_then_crawl_the_learned_site(
    portal: MiniPortal, profiles: Path, run_cli: RunCli, stored: OpenStore
) -> None:
    truth = json.loads((portal.folder / "truth.json").read_text(encoding="utf-8"))
    base = portal.base_url.rstrip("/")
    env = {"CRAWLER_PROFILES_DIR": str(profiles)}

    result = learn(run_cli, profiles, base + truth["start"])
    assert result.returncode == 0, result.stderr[-3000:]
    learned = profiles / "sites" / "learned" / f"{SITE_ID}.toml"
    text = learned.read_text(encoding="utf-8")
    assert 'extends = "generic"' in text and "title = { css =" in text and "body = [" in text
    assert "published = { css =" in text and "views = { css =" in text
    assert "| title | published_at" in result.stdout  # the table of sampled pages x fields
    requests = len(portal.requests)
    assert requests <= 30  # a short, polite sample
    # a registry row needs a real *.vn host: the local address is said, not written
    assert "not added to" in result.stderr and "must have a host ending in .gov.vn" in result.stderr

    # two runs on the same pages write the same profile
    again = learn(run_cli, profiles, base + truth["start"])
    assert again.returncode == 0, again.stderr[-2000:]
    assert learned.read_text(encoding="utf-8") == text

    validate = run_cli("sites", "validate", env=env)
    assert validate.returncode == 0, validate.stdout + validate.stderr

    # the learned id is a site: every article, fields as the truth says, rules not fallbacks
    first = run_cli("crawl", SITE_ID, "--full", *FAST, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert f"{SITE_ID}: HEALTHY" in first.stdout, first.stdout
    store = stored()
    docs = {d["url"].removeprefix(base): d for d in store.articles.find({"site_id": SITE_ID})}
    assert set(docs) == set(truth["articles"])
    right = total = 0
    for path, want in truth["articles"].items():
        for name in FIELDS:
            total += 1
            right += docs[path][name] == want[name]
        total += 1
        right += as_utc(docs[path]["published_at"]) == as_utc(
            datetime.fromisoformat(want["published_at"])
        )
    assert right / total >= 0.95, (right, total)
    run = store.recent_runs(SITE_ID)[0]
    assert run["fallbacks"] == {}, run["fallbacks"]  # the learned rules matched every page

    # a second (incremental) run fetches no article again
    before = len(portal.requests)
    second = run_cli("crawl", SITE_ID, *FAST, env=env)
    assert second.returncode == 0, second.stderr[-3000:]
    fetched = portal.requests[before:]
    assert not set(fetched) & set(truth["articles"]), fetched

    # the layout changes: `sites learn ID` proposes new rules and shows the difference
    for page in portal.folder.glob("article-*.html"):
        page.write_text(
            page.read_text(encoding="utf-8").replace('class="title"', 'class="tieu-de"'),
            encoding="utf-8",
        )
    relearn = run_cli("sites", "learn", SITE_ID, *FAST, env=env)
    assert relearn.returncode == 0, relearn.stderr[-3000:]
    assert "-title = { css = '.title' }" in relearn.stdout
    assert "+title = { css = '.tieu-de' }" in relearn.stdout
    assert "differs; run again with --write" in relearn.stderr
    assert learned.read_text(encoding="utf-8") == text  # nothing replaced without --write


MIXED = """<html><head><title>Tin tức - Cổng thông tin điện tử xã Thử</title></head><body>
<div class="list">{items}</div></body></html>"""


def test_learn_refuses_a_site_whose_pages_disagree(
    tmp_path: Path, profiles: Path, run_cli: RunCli
) -> None:
    """Articles in two unrelated layouts: no rule reproduces their bodies on 90% of them."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    routes: dict[str, dict[str, str]] = {}
    items = []
    layouts = ["aspnet-tables", "joomla-gov"]
    for layout in layouts:
        for case in sorted((FIXTURES / layout / "articles").iterdir())[:3]:
            expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
            path = f"/tin-tuc/{case.name}.html"
            shutil.copy(case / "page.html", folder / f"{case.name}.html")
            routes[path] = {"file": f"{case.name}.html"}
            items.append(
                f'<div class="item"><a href="{path}">{expected["title"]}</a> '
                f"<span>(01/02/2024)</span><p>{'Tin bài ' * 12}</p></div>"
            )
    (folder / "listing.html").write_text(MIXED.format(items="".join(items)), encoding="utf-8")
    routes["/tin-tuc/"] = {"file": "listing.html"}
    (folder / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    server = MiniPortal(folder)
    server.start()
    try:
        result = learn(run_cli, profiles, server.base_url.rstrip("/") + "/tin-tuc/")
    finally:
        server.stop()
    assert result.returncode == 1, result.stderr[-3000:]
    # the two headlines may be learned as a selector group ("A, B"); the article blocks of the
    # two layouts never agree on 90% of the pages
    assert "sites learn: refused: body: no selector reproduces it" in result.stderr
    assert not (profiles / "sites" / "learned").exists()
