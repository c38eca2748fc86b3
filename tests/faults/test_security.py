"""Security: profiles are inert data, foreign links are not followed, limits are set, secrets masked."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest

import crawler.settings as defaults
from crawler.exceptions import ProfileError
from crawler.profiles import PROFILES_DIR, load_profiles
from crawler.storage import open_store
from tests.fixturetypes import MakePortal, OpenStore, RunCli
from tests.helpers import FAST, add_listing_links


def test_profiles_cannot_carry_code(tmp_path: Path) -> None:
    root = tmp_path / "profiles"
    (root / "sites" / "x").mkdir(parents=True)
    (root / "cms").mkdir()
    (root / "cms" / "vnportal.toml").write_text(
        (PROFILES_DIR / "cms" / "vnportal.toml").read_text()
    )
    marker = tmp_path / "pwned"
    (root / "sites" / "x" / "evil.toml").write_text(
        'id = "x-evil"\nextends = "vnportal"\nname = "E"\nlevel = "commune"\n'
        'base_url = "https://x.gov.vn/"\nstart_paths = ["/"]\n'
        f"[article]\nhook = \"__import__('pathlib').Path('{marker}').touch()\"\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=r"evil\.toml: article\.hook"):
        load_profiles(root)
    assert not marker.exists()


def test_download_limits_and_politeness_defaults() -> None:
    assert defaults.DOWNLOAD_MAXSIZE == 10 * 1024 * 1024
    assert defaults.DOWNLOAD_WARNSIZE == 2 * 1024 * 1024
    assert defaults.ROBOTSTXT_OBEY is True
    assert defaults.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert defaults.DOWNLOAD_TIMEOUT == 30
    assert defaults.AUTOTHROTTLE_ENABLED is True
    assert "contact" in defaults.USER_AGENT


def test_links_to_foreign_hosts_are_not_followed(
    make_portal: MakePortal, run_cli: RunCli, stored: OpenStore
) -> None:
    portal = make_portal("nd-giaothuy", host="127.0.0.1")
    foreign = make_portal("nd-giaothuy", host="localhost")
    add_listing_links(portal.folder, [foreign.base_url + "tin-moi/tin-gia-mao-99999"], ["Tin giả"])
    result = run_cli("crawl", "nd-giaothuy", "--base-url", portal.base_url, "--full", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert foreign.hits() == 0
    assert stored().count_articles() == 5


def _writer(path: str, views: int) -> None:
    store = open_store(None, path)
    docs = [
        {
            "canonical_url": f"u{i}",
            "url": f"u{i}",
            "site_id": "s",
            "title": "t",
            "body": "b",
            "views": views,
            "content_hash": "h",
        }
        for i in range(150)
    ]
    for start in range(0, 150, 10):
        store.upsert_articles(docs[start : start + 10], datetime.now(UTC))
    store.close()


def test_two_processes_upserting_the_same_articles(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), v)) for v in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    store = open_store(None, tmp_path)
    assert store.count_articles() == 150
    assert len(store.articles.distinct("canonical_url")) == 150
