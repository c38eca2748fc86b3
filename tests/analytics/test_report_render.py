"""The report as a browser draws it, in headless Chromium at 1280 px: a screenshot of a crawled
store's report, and no horizontal overflow anywhere (every table fits its card).

Marked ``browser``. Without ``/usr/bin/chromium`` the tests are skipped, saying so; they never
pass without having rendered anything.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.analytics.report import build_report
from crawler.storage import ArticleStore, open_store

CHROMIUM = Path("/usr/bin/chromium")
MIN_PNG_BYTES = 20 * 1024
WIDTH = 1280
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# appended to a copy of the report: the widths the browser laid out, written into the DOM
MEASURE = """<script>
(function () {
  var out = [], root = document.documentElement;
  out.push({where: "document", scroll: root.scrollWidth, client: root.clientWidth});
  document.querySelectorAll("section, .card, .scroll, .grid2").forEach(function (el) {
    var section = el.closest("section");
    out.push({where: (section ? section.id : "?") + " " + el.tagName.toLowerCase() + "."
                     + el.className, scroll: el.scrollWidth, client: el.clientWidth});
  });
  var pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium is missing (apt-get install -y chromium): report not rendered"
        )
    profile = tmp_path / "chromium-profile"
    try:
        return subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def measure(report_html: str, tmp_path: Path) -> list[dict[str, Any]]:
    page = tmp_path / "measured.html"
    page.write_text(report_html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    result = chromium(tmp_path, f"--window-size={WIDTH},2400", "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"nothing measured (exit {result.returncode}): {result.stderr[-2000:]}"
    measured: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return measured


@pytest.mark.browser
def test_report_renders_in_chromium(crawled: ArticleStore, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(build_report(crawled), encoding="utf-8")
    png = tmp_path / "r.png"
    result = chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2400", report.as_uri())
    assert png.exists(), f"no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > MIN_PNG_BYTES, f"screenshot is only {len(data)} bytes: a blank page?"


def add_wide_runs(data_dir: Path) -> None:
    """Runs that make the health table as wide as real ones get: every field, an incremental
    run with nothing new, an unhealthy run with long problems and a long moved-to URL."""
    fields = (
        "title",
        "summary",
        "body",
        "author",
        "source",
        "category",
        "published_at",
        "views",
        "images",
        "site_stats",
        "province_code",
    )
    start = datetime(2026, 12, 2, 18, 15, tzinfo=UTC)
    runs = []
    for n, site in enumerate(("nd-giaothuy", "hn-sotttt", "local-ministry_sharepoint-127.0.0.1")):
        for k, (extracted, share, verdict) in enumerate(
            ((0, 0.0, "healthy"), (123456, 0.4, "unhealthy"), (9, 1.0, "incomplete"))
        ):
            when = start - timedelta(days=k, minutes=n)
            runs.append(
                {
                    "site_id": site,
                    "run_id": f"{when:%Y%m%dT%H%M%S}.123456Z",
                    "started_at": when,
                    "finished_at": when + timedelta(minutes=41),
                    "mode": "incremental",
                    "verdict": verdict,
                    "pages": {"listing": 123456, "article": 1234567},
                    "articles": {
                        "extracted": extracted,
                        "valid": extracted,
                        "new": 123456,
                        "updated": 123456,
                        "unchanged": 1234567,
                    },
                    "errors": {"timeout": 12345, "http_503": 67890},
                    "coverage": dict.fromkeys(fields, share),
                    "problems": [f"coverage {f} 40% < 90%" for f in fields]
                    + [
                        "run stopped before the end (closespider_timeout)",
                        "https://www.example.gov.vn/" + "tin-tuc-su-kien-" * 12 + "37511",
                    ],
                    "site_moved_to": "https://" + "cong-thong-tin-dien-tu-" * 6 + ".gov.vn/",
                }
            )
    store = open_store(None, data_dir)
    try:
        store.crawl_runs.insert_many(runs)
    finally:
        store.close()


@pytest.mark.browser
def test_every_table_fits_its_card_at_1280_px(crawled_copy: Path, tmp_path: Path) -> None:
    add_wide_runs(crawled_copy)
    store = open_store(None, crawled_copy)
    try:
        report_html = build_report(store)
    finally:
        store.close()
    assert "local-ministry_sharepoint-127.0.0.1" in report_html
    boxes = measure(report_html, tmp_path)
    wide = [b for b in boxes if b["scroll"] > b["client"]]
    assert wide == [], f"horizontal overflow at {WIDTH} px: {wide}"
    # the walk saw what it must: the page, 7 sections, the overview cards, every table
    kinds = [b["where"] for b in boxes]
    assert kinds[0] == "document" and boxes[0]["client"] > 1200
    assert sum(k.endswith("section.") for k in kinds) == 7
    assert sum(k.startswith("overview div.card") for k in kinds) == 5
    assert sum(k == "health div.scroll" for k in kinds) == 3  # one table per site
    assert sum(k.endswith("div.scroll") for k in kinds) == 6  # + provinces, top articles, visits
