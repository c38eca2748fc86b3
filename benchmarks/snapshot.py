"""Before/after snapshot of everything the crawler produces, for refactorings that must not
change behaviour (issue 15)::

    python benchmarks/snapshot.py OUT.json          # write the snapshot
    diff <(python -m json.tool A.json) <(python -m json.tool B.json)

It records (1) the extraction of every saved-page fixture (articles and listings, the
held-out layouts included) and (2) two crawls, a full one and an incremental one, of every mini
portal into a fresh embedded store: the stored articles, site statistics and ``crawl_runs``
records, with the fields that change from run to run (times, ids, durations) left out.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.extract import ListingPage, choose_profile, extract_article, selector_for
from crawler.miniportal import SITES_DIR, MiniPortal
from crawler.storage import open_store
from tests.fixture_cases import FIXTURES, load_cases

FAST = [
    "-s",
    "GOV_PROFILE_DELAYS=False",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
]
VOLATILE = {"_id", "run_id", "duration_s", "at", "pid", "stale"}
PORT = re.compile(r"127\.0\.0\.1:\d+")
UNPROFILED = FIXTURES / "unprofiled" / "static-rebuild" / "site"
# site id -> (mini portal folder, how to crawl it)
CRAWLS: dict[str, tuple[Path, str]] = {
    "nd-giaothuy": (SITES_DIR / "nd-giaothuy", "site"),
    "hn-sotttt": (SITES_DIR / "hn-sotttt", "site"),
    **{
        name: (SITES_DIR / name, "start")
        for name in ("liferay7", "ministry_sharepoint", "nukeviet", "tandan_sharepoint", "vhv")
    },
    "unprofiled": (UNPROFILED, "start"),
}


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _clean(v)
            for k, v in sorted(value.items())
            if k not in VOLATILE
            and not k.endswith(("_seconds", "_time"))
            and not (k.endswith("_at") and k != "published_at")
        }
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return PORT.sub("127.0.0.1:PORT", value)
    return value


def _key(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, default=str)


def extraction() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for case in load_cases("pages"):
        data = extract_article(case.body, case.meta["url"], case.meta.get("profile"))
        out[f"pages/{case.id}"] = _clean(data.to_dict())
    for case in load_cases("listings"):
        sel = selector_for(case.body)
        profile = choose_profile(sel.get(), case.meta["url"], case.meta.get("profile")).profile
        page = ListingPage(profile, case.meta["url"], sel)
        out[f"listings/{case.id}"] = {"links": page.article_links(), "next": page.next_page(1)}
    for meta_path in sorted((FIXTURES / "unprofiled").glob("*/articles/*/meta.json")):
        url = json.loads(meta_path.read_text(encoding="utf-8"))["url"]
        body = (meta_path.parent / "page.html").read_bytes()
        out[f"unprofiled/{meta_path.parent.relative_to(FIXTURES)}"] = _clean(
            extract_article(body, url, None).to_dict()
        )
    return out


def _crawl(site: str, folder: Path, how: str, data: Path, mode: list[str]) -> str:
    portal = MiniPortal(folder)
    portal.start()
    try:
        if how == "site":
            target = [site, "--base-url", portal.base_url]
        else:
            meta = folder / ("family.json" if (folder / "family.json").exists() else "truth.json")
            start = json.loads(meta.read_text(encoding="utf-8"))["start"]
            target = ["--start-url", portal.base_url + start.lstrip("/"), "--site-id", site]
        env = {**os.environ, "CRAWLER_DATA_DIR": str(data)}
        env.pop("MONGO_URI", None)
        done = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", *target, *mode, *FAST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return f"exit {done.returncode}"
    finally:
        portal.stop()


def crawls() -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for mode in (["--full"], []):
            for site, (folder, how) in CRAWLS.items():
                out[f"exit/{site}/{'full' if mode else 'incremental'}"] = _crawl(
                    site, folder, how, data, mode
                )
        store = open_store(None, data)
        db = store.db
        out["articles"] = sorted(_clean(list(db["articles"].find({}))), key=_key)
        # the page a widget was read on is whichever of listing and home page answered first
        stats = [{k: v for k, v in doc.items() if k != "url"} for doc in db["site_stats"].find({})]
        out["site_stats"] = sorted(_clean(stats), key=_key)
        runs = sorted(db["crawl_runs"].find({}), key=lambda d: (d["site_id"], str(d["started_at"])))
        out["crawl_runs"] = _clean(runs)
        store.close()
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    snapshot = {"extraction": extraction(), "crawls": crawls()}
    Path(sys.argv[1]).write_text(
        json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    )
    print(
        f"{sys.argv[1]}: {len(snapshot['extraction'])} extractions, "
        f"{len(snapshot['crawls']['articles'])} stored articles"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
