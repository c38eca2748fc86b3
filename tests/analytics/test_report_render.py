"""The report as a browser draws it: headless Chromium takes a screenshot of a crawled store's report.

Marked ``browser``. Without ``/usr/bin/chromium`` the test is skipped, saying so; it never
passes without having rendered anything.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from crawler.analytics.report import build_report

CHROMIUM = Path("/usr/bin/chromium")
MIN_PNG_BYTES = 20 * 1024


@pytest.mark.browser
def test_report_renders_in_chromium(crawled, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium): report not rendered")
    report = tmp_path / "report.html"
    report.write_text(build_report(crawled), encoding="utf-8")
    png = tmp_path / "r.png"
    profile = tmp_path / "chromium-profile"
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
         "--window-size=1280,2400", report.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    shutil.rmtree(profile, ignore_errors=True)
    assert png.exists(), f"no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > MIN_PNG_BYTES, f"screenshot is only {len(data)} bytes: a blank page?"
