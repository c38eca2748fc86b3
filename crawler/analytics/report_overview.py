"""The report's national overview: a row per site, totals per province, the hint line.

Shown when the scope holds more sites than ``GOV_REPORT_DETAIL_SITES``
(``report_scope.collect_report``); the sections after it then cover only the sites listed in
detail. Every value from the store is escaped, as in the rest of the report.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from crawler.analytics.national import (
    NO_RUN,
    VISIT_COUNTERS,
    WINDOW_DAYS,
    NationalView,
    SiteLine,
)
from crawler.analytics.report import VERDICT_BADGES, esc, number, section, when
from crawler.registry import current_province_code, province_name, registry_path

logger = logging.getLogger(__name__)
NO_PROVINCE = "–"


def registry_provinces() -> dict[str, str]:
    """Each registry site's province as it is since the 2025 merger: the CSV's ``id`` and
    ``province`` columns only (``load_registry`` validates every row: a third of a second for a
    national registry); ``{}`` when it cannot be read."""
    found: dict[str, str] = {}
    try:
        with registry_path().open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = current_province_code(row.get("province") or None)
                name = province_name(code) if code else None
                if name and row.get("id"):
                    found[row["id"]] = name
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        logger.info("report: the registry gives no provinces (%s)", exc)
        return {}
    return found


def site_provinces(view: NationalView) -> dict[str, str]:
    """Each site's province as it is since the 2025 merger: the registry's, else the one its
    articles carry."""
    found = registry_provinces()
    for code, former, site in view.data.province_groups:
        if not isinstance(site, str) or site in found:
            continue
        current = code or (current_province_code(former) if former else None)
        name = province_name(current) if current else None
        if name:
            found[site] = name
    return found


def _change(value: int | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number(value)


def _verdict(line: SiteLine) -> str:
    run = line.last_run or {}
    verdict = str(run.get("verdict") or "unknown") if run else "none"
    badge = verdict if verdict in VERDICT_BADGES else "unknown"
    started = run.get("started_at")
    at = when(started, "%d/%m/%y %H:%M") if isinstance(started, datetime) else "–"
    return f'<td><span class="badge {badge}">{esc(verdict)}</span></td><td class=when>{at}</td>'


def _row(line: SiteLine, province: str, rank: int | None) -> str:
    snap = line.newest or {}
    counters = "".join(f"<td class=num>{number(snap.get(k))}</td>" for k in VISIT_COUNTERS)
    mark = f'<a href="#health">#{rank}</a>' if rank is not None else ""
    return (
        f"<tr><td>{esc(line.site)}</td><td>{esc(province)}</td>{_verdict(line)}"
        f"<td class=num>{number(line.articles)}</td><td class=num>{number(line.new)}</td>"
        f"{counters}<td class=num>{_change(line.change())}</td><td class=num>{mark}</td></tr>"
    )


def _sites_table(view: NationalView, provinces: dict[str, str]) -> str:
    ranks = {site: i for i, site in enumerate(view.detail, 1)}
    lines = sorted(view.data.lines.values(), key=lambda ln: (provinces.get(ln.site, "~"), ln.site))
    rows = "".join(
        _row(ln, provinces.get(ln.site, NO_PROVINCE), ranks.get(ln.site)) for ln in lines
    )
    head = "".join(f"<th class=num>{k}</th>" for k in VISIT_COUNTERS)
    return (
        "<h3>Every site</h3><div class=scroll><table><tr><th>site</th><th>province</th>"
        "<th>last run</th><th>started</th><th class=num>articles</th>"
        f"<th class=num>new in window</th>{head}<th class=num>total change</th>"
        f"<th class=num>detail</th></tr>{rows}</table></div>"
    )


def _province_totals(view: NationalView, provinces: dict[str, str]) -> str:
    start = view.data.window_start
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for line in view.data.lines.values():
        row = totals[provinces.get(line.site, NO_PROVINCE)]
        level = line.urgency(start)
        row[0] += 1
        row[1] += level < NO_RUN
        row[2] += level == NO_RUN
        row[3] += line.articles
        row[4] += line.new
    rows = "".join(
        f"<tr><td>{esc(name)}</td>"
        + "".join(f"<td class=num>{number(v)}</td>" for v in row)
        + "</tr>"
        for name, row in sorted(totals.items(), key=lambda kv: (kv[0] == NO_PROVINCE, kv[0]))
    )
    return (
        "<h3>Per province</h3><div class=scroll><table><tr><th>province</th>"
        "<th class=num>sites</th><th class=num>last run failed / unhealthy</th>"
        "<th class=num>no run in window</th><th class=num>articles</th>"
        f"<th class=num>new in window</th></tr>{rows}</table></div>"
    )


def _hint(view: NationalView) -> str:
    shown, total = len(view.detail), len(view.data.lines)
    return (
        f'<p class="note" id="detail-hint">{number(total)} sites in scope: more than '
        f"{number(view.limit)} (GOV_REPORT_DETAIL_SITES), so the sections below show only the "
        f"{number(shown)} that need attention most, ranked: last run failed or aborted, then "
        "unhealthy or incomplete, then no run in the window, then the largest change of the "
        "visit counter. Any other site's detail: <code>python -m crawler report --site ID "
        "--out FILE</code> (several ids allowed).</p>"
    )


def national_section(view: NationalView) -> str:
    """The overview of every site, its totals per province, and the hint line."""
    provinces = site_provinces(view)
    start = view.data.window_start
    window = (
        f"The window starts {when(start)} (Vietnam time): the report's --since day, else "
        f"{WINDOW_DAYS} days before the newest run."
    )
    body: list[Any] = [
        _hint(view),
        (
            f'<p class="note">{esc(window)} "new in window": articles first seen since then; '
            "visit counters: the newest snapshot in the window, and how much the total grew "
            "since the window's first snapshot.</p>"
        ),
        _province_totals(view, provinces) if provinces else "",
        _sites_table(view, provinces),
    ]
    return section("sites", "Sites", "".join(body))
