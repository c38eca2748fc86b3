"""One self-contained HTML report of the dataset: inline CSS and SVG, no script, no network.

Sections: an overview with articles per current province (``province_code``); articles per
week per site; view counts (distribution and top articles); view growth
from ``views_history``; site visits from ``site_stats``; crawl health and field coverage per
site over recent runs; the largest republication clusters. Every value taken from the store
is escaped (extracted text is shown, never interpreted), links are kept only for http(s)
URLs, and an empty store gives a readable "no data yet" report. Times are Vietnam time.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from crawler import config
from crawler.analytics import svg
from crawler.analytics.report_data import VIEW_BOUNDARIES, ReportData, collect
from crawler.analytics.report_scope import collect_national
from crawler.analytics.vntime import to_vn
from crawler.storage import ArticleStore

logger = logging.getLogger(__name__)

MAX_WEEKS = 520
MAX_MEMBERS = 12
TITLE_CHARS = 90

CSS = """
:root { --ink: #1d232a; --muted: #5b6570; --line: #dde2e7; --bg: #f6f7f9; --card: #fff;
        --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45;
       font: 14px/1.45 "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
          padding: 16px 18px; margin: 16px 0; }
.meta, .note { color: var(--muted); font-size: 13px; }
.note { margin: 6px 0 0; }
.empty { color: var(--muted); font-style: italic; margin: 4px 0; }
.banner { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 8px; padding: 12px 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card b { display: block; font-size: 20px; }
.card span { color: var(--muted); font-size: 12px; }
svg.chart { width: 100%; height: auto; display: block; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr)); gap: 14px; }
ul.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap;
            gap: 4px 16px; font-size: 13px; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border-radius: 2px; display: inline-block; flex: none; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; }
td { overflow-wrap: break-word; }
td .problems, td .note { overflow-wrap: anywhere; }  /* a long URL in a problem wraps */
th { background: #f0f2f4; font-weight: 600; white-space: nowrap; }
th.covh, td.cov { padding: 4px 3px; text-align: center; min-width: 38px; }
th.covh { white-space: normal; font-size: 11px; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.runs th, table.runs th.num, table.runs td.num { white-space: normal; }
td.when { white-space: nowrap; }
td.cov.none { color: var(--muted); }
.scroll { overflow-x: auto; }  /* a safety net on narrow screens; at 1280 px nothing scrolls */
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
         font-weight: 600; color: #fff; white-space: nowrap; }
.healthy { background: var(--ok); } .unhealthy { background: var(--warn); }
.failed, .aborted { background: var(--bad); } .incomplete { background: #8250df; }
.unknown { background: #6e7781; }
tr.has-notes td { border-bottom: 0; }
tr.notes td { padding-top: 0; }
.nb { white-space: nowrap; }
.problems { color: var(--bad); font-size: 12px; }
td.cov { font-variant-numeric: tabular-nums; font-size: 12px; white-space: nowrap; }
.cov-hi { background: #dafbe1; } .cov-mid { background: #fff8c5; } .cov-lo { background: #ffebe9; }
.cluster { border-top: 1px solid var(--line); padding-top: 10px; margin-top: 12px; }
.cluster:first-of-type { border-top: 0; margin-top: 0; padding-top: 0; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
"""


# -- small helpers ---------------------------------------------------------------------------
def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def shorten(text: str | None, limit: int = TITLE_CHARS) -> str:
    text = (text or "").strip() or "(untitled)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str | None, text: str) -> str:
    """An escaped link for http(s) URLs; anything else (javascript:, data:) stays plain text."""
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


def when(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return esc(to_vn(value).strftime(fmt)) if isinstance(value, datetime) else "–"


def number(value: Any) -> str:
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return "–" if value is None else esc(value)


def empty(message: str) -> str:
    return f'<p class="empty">{esc(message)}</p>'


def section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{body}</section>'


# -- sections --------------------------------------------------------------------------------
def _header(data: ReportData, now: datetime) -> str:
    scope = []
    scope.append(f"sites: {', '.join(data.sites)}" if data.sites else "all sites")
    if data.since:
        scope.append(f"published since {data.since:%d/%m/%Y}")
    return (
        "<header><h1>Government portal news: dataset report</h1>"
        f'<p class="meta">Generated {when(now)} (Vietnam time, UTC+7) · {esc(" · ".join(scope))}'
        "</p></header>"
    )


def _overview(data: ReportData) -> str:
    o = data.overview
    if data.empty:
        return (
            '<section class="banner" id="overview"><h2>No data yet</h2><p>The store has no '
            "articles, visit statistics or crawl runs"
            + (" in this scope" if data.sites or data.since else "")
            + ". Crawl first, e.g. <code>python -m crawler demo</code> or "
            "<code>python -m crawler crawl SITE</code>, then build this report again.</p></section>"
        )
    span = (
        f"{when(o.first_published, '%d/%m/%Y')} – {when(o.last_published, '%d/%m/%Y')}"
        if o.first_published
        else "–"
    )
    cards = [
        (number(o.articles), "articles"),
        (number(len(o.sites)), "sites with articles"),
        (span, "published"),
        (when(o.last_run), "last crawl finished"),
        (number(o.clusters), "republication clusters"),
    ]
    body = (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><b>{value}</b><span>{esc(label)}</span></div>'
            for value, label in cards
        )
        + "</div>"
    )
    if o.undated:
        body += f'<p class="note">{o.undated} articles have no publication date.</p>'
    body += _provinces(data)
    return section("overview", "Overview", body)


def _provinces(data: ReportData) -> str:
    """Articles per province as it is since the 2025 merger, keyed by its official code."""
    if not data.provinces:
        return ""
    rows = "".join(
        f"<tr><td class=num>{esc(p['province_code'] or '–')}</td>"
        f"<td>{esc(p['name'] or 'no province (central agency, or no profile)')}</td>"
        f"<td>{esc(', '.join(p['provinces']))}</td><td>{esc(', '.join(p['sites']))}</td>"
        f"<td class=num>{number(p['articles'])}</td></tr>"
        for p in data.provinces
    )
    return (
        "<h3>Articles by province (since the 2025 merger)</h3><div class=scroll><table>"
        "<tr><th class=num>code</th><th>province</th><th>portals' province before 2025</th>"
        f"<th>sites</th><th class=num>articles</th></tr>{rows}</table></div>"
        '<p class="note">Grouped by <code>province_code</code>, the official code of the '
        "province each portal is part of since 1 July 2025 (Nam Định and Hà Nam portals count "
        "under Ninh Bình, 37).</p>"
    )


def _weeks(weekly: dict[str, dict[str, int]]) -> tuple[list[date], int]:
    mondays = {
        date.fromisocalendar(int(w[:4]), int(w[6:]), 1)
        for counts in weekly.values()
        for w in counts
    }
    if not mondays:
        return [], 0
    first, last = min(mondays), max(mondays)
    hidden = 0
    if (last - first).days // 7 >= MAX_WEEKS:
        first = last - timedelta(weeks=MAX_WEEKS - 1)
        hidden = sum(
            n
            for counts in weekly.values()
            for w, n in counts.items()
            if date.fromisocalendar(int(w[:4]), int(w[6:]), 1) < first
        )
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return weeks, hidden


def _weekly(data: ReportData) -> str:
    weeks, hidden = _weeks(data.weekly)
    if not weeks:
        return section("weekly", "Articles per week", empty("No dated articles yet."))
    sites = sorted(data.weekly)
    keys = [f"{m.isocalendar().year}-W{m.isocalendar().week:02d}" for m in weeks]
    series = [(site, [float(data.weekly[site].get(k, 0)) for k in keys]) for site in sites]
    labels = [m.strftime("%d/%m/%y") for m in weeks]
    chart = svg.bar_chart(labels, series, y_label="articles", label="Articles per week per site")
    totals = ", ".join(f"{esc(s)}: {sum(data.weekly[s].values())}" for s in sites)
    note = (
        f"ISO weeks (Monday to Sunday) of publication, Vietnam time; labels are Mondays. "
        f"{len(weeks)} weeks. Totals: {totals}."
    )
    if hidden:
        note += f" {hidden} articles published before {weeks[0]:%d/%m/%Y} are not drawn."
    return section(
        "weekly", "Articles per week", chart + svg.legend(sites) + f'<p class="note">{note}</p>'
    )


def _bucket_label(low: int, high: int) -> str:
    if high >= 10**12:
        return f"≥ {number(low)}"
    return f"{number(low)}–{number(high - 1)}"


def _views(data: ReportData) -> str:
    if not any(n for _, n in data.view_buckets):
        return section("views", "View counts", empty("No article has a view count yet."))
    highs = [*VIEW_BOUNDARIES[1:]]
    labels = [
        _bucket_label(low, high) for (low, _), high in zip(data.view_buckets, highs, strict=True)
    ]
    values = [float(n) for _, n in data.view_buckets]
    chart = svg.bar_chart(
        labels,
        [("articles", values)],
        y_label="articles",
        label="Articles by view count",
        height=240,
    )
    rows = "".join(
        f"<tr><td class=num>{i}</td>"
        f"<td>{link(a.get('canonical_url'), shorten(a.get('title')))}</td>"
        f"<td>{esc(a.get('site_id'))}</td>"
        f"<td class=when>{when(a.get('published_at'), '%d/%m/%Y')}</td>"
        f"<td class=num>{number(a.get('views'))}</td></tr>"
        for i, a in enumerate(data.top_articles, 1)
    )
    table = (
        "<h3>Most viewed articles</h3><div class=scroll><table>"
        "<tr><th class=num>#</th><th>title</th>"
        f"<th>site</th><th>published</th><th class=num>views</th></tr>{rows}</table></div>"
    )
    note = (
        '<p class="note">Distribution: number of articles per order of magnitude of their '
        'latest view count ("Lượt xem"), as printed by each portal.</p>'
    )
    return section("views", "View counts", chart + note + table)


def _growth(data: ReportData) -> str:
    if not data.growth:
        return section("growth", "View growth", empty("No view history yet."))
    series = []
    names = []
    for article in data.growth:
        history = [
            (h["at"], float(h["views"]))
            for h in article.get("views_history") or []
            if isinstance(h.get("at"), datetime) and isinstance(h.get("views"), int | float)
        ]
        series.append((shorten(article.get("title"), 60), history))
        names.append(
            f"{shorten(article.get('title'), 70)} ({article.get('site_id')}, "
            f"{number(article.get('views'))} views)"
        )
    if all(len(points) < 2 for _, points in series):
        return section(
            "growth",
            "View growth",
            empty(
                "Every article has a single view count so far: views_history gains an entry only "
                "when a later crawl sees the count change, so curves appear after a few runs."
            ),
        )
    chart = svg.line_chart(series, y_label="views", label="View count over time", to_local=to_vn)
    note = (
        "View count of the most viewed articles with a history, at each crawl where it "
        "changed (views_history), Vietnam time."
    )
    body = chart + svg.legend(names) + f'<p class="note">{note}</p>'
    return section("growth", "View growth", body)


def _visits(data: ReportData) -> str:
    if not data.visits:
        return section("visits", "Site visits", empty("No visit statistics captured yet."))
    charts = []
    rows = []
    for site, snaps in data.visits.items():
        points = [
            (s["captured_at"], float(s["total"]))
            for s in snaps
            if isinstance(s.get("total"), int) and isinstance(s.get("captured_at"), datetime)
        ]
        chart = (
            svg.line_chart(
                [(site, points)],
                y_label="total visits",
                to_local=to_vn,
                label=f"Total visits of {site}",
                width=540,
                height=220,
            )
            if points
            else empty("no total counter on this portal")
        )
        charts.append(f"<div><h3>{esc(site)}</h3>{chart}</div>")
        last = snaps[-1] if snaps else {}
        rows.append(
            f"<tr><td>{esc(site)}</td><td class=when>{when(last.get('captured_at'))}</td>"
            + "".join(
                f"<td class=num>{number(last.get(k))}</td>"
                for k in ("online", "today", "week", "month", "total")
            )
            + f"<td class=num>{len(snaps)}</td></tr>"
        )
    table = (
        "<h3>Latest snapshot</h3><div class=scroll><table><tr><th>site</th><th>captured</th>"
        "<th class=num>online</th><th class=num>today</th><th class=num>week</th>"
        "<th class=num>month</th><th class=num>total</th><th class=num>snapshots</th></tr>"
        + "".join(rows)
        + "</table></div>"
    )
    note = (
        '<p class="note">The portals\' own visit counters ("Thống kê truy cập"), one snapshot '
        "per crawl run; – where a portal does not show that counter.</p>"
    )
    grid = f'<div class="grid2">{"".join(charts)}</div>'
    return section("visits", "Site visits", grid + table + note)


VERDICT_BADGES = ("healthy", "unhealthy", "failed", "incomplete", "aborted")
NO_ARTICLE = "no article extracted in this run: no coverage to judge"


def _coverage_cell(value: Any) -> str:
    if not isinstance(value, int | float):
        return "<td class=cov>–</td>"
    level = "cov-hi" if value >= 0.9 else "cov-mid" if value >= 0.5 else "cov-lo"
    return f'<td class="cov {level}">{value:.0%}</td>'


def extracted(run: dict[str, Any]) -> int | None:
    """Article pages the run extracted (its coverage's denominator); older run records lack
    the count, and then the article pages fetched stand in."""
    value = (run.get("articles") or {}).get("extracted", (run.get("pages") or {}).get("article"))
    return value if isinstance(value, int) else None


def _coverage_cells(run: dict[str, Any], fields: list[str]) -> str:
    """One cell per field; "–" for every field of a run with no article (an incremental run
    with nothing new: its stored 0.0 is no measurement, not a layout break)."""
    if extracted(run) == 0:
        return "".join(f'<td class="cov none" title="{NO_ARTICLE}">–</td>' for _ in fields)
    coverage = run.get("coverage") or {}
    return "".join(_coverage_cell(coverage.get(f)) for f in fields)


def _counts(*values: Any) -> str:
    """``1 234 / 0 / 5``: each number kept whole, the cell may wrap at the slashes."""
    return " / ".join(f"<span class=nb>{number(v)}</span>" for v in values)


def _run_row(run: dict[str, Any], fields: list[str]) -> str:
    """The run's row, then a full-width row with its problems (if any), so that long problems
    never widen the table."""
    verdict = str(run.get("verdict") or "unknown")
    badge = verdict if verdict in VERDICT_BADGES else "unknown"
    pages = run.get("pages") or {}
    arts = run.get("articles") or {}
    errors = sum(v for v in (run.get("errors") or {}).values() if isinstance(v, int))
    row = (
        f"<tr><td class=when>{when(run.get('started_at'), '%d/%m/%y %H:%M')}</td>"
        f"<td>{esc(run.get('mode') or '')}</td>"
        f'<td><span class="badge {badge}">{esc(verdict)}</span></td>'
        f"<td class=num>{_counts(pages.get('listing'), pages.get('article'))}</td>"
        f"<td class=num>{_counts(*(arts.get(k) for k in ('new', 'updated', 'unchanged')))}</td>"
        f"<td class=num>{_counts(errors)}</td>" + _coverage_cells(run, fields) + "</tr>"
    )
    problems = "; ".join(str(p) for p in run.get("problems") or [])
    notes = [f'<div class="problems">{esc(problems)}</div>'] if problems else []
    if run.get("site_moved_to"):
        notes.append(f'<div class="note">moved to {esc(run["site_moved_to"])}</div>')
    if not notes:
        return row
    return (
        row.replace("<tr>", '<tr class="has-notes">', 1)
        + f'<tr class="notes"><td colspan="{6 + len(fields)}">{"".join(notes)}</td></tr>'
    )


def _health(data: ReportData) -> str:
    if not data.runs:
        return section(
            "health", "Crawl health and field coverage", empty("No crawl run recorded yet.")
        )
    parts = []
    for site, site_runs in data.runs.items():
        fields: list[str] = []
        for run in site_runs:
            fields += [f for f in (run.get("coverage") or {}) if f not in fields]
        head = (
            "<tr><th>started</th><th>mode</th><th>verdict</th><th class=num>pages<br>"
            "listing / article</th><th class=num>articles<br>new / updated / same</th>"
            "<th class=num>errors</th>"
            + "".join(f'<th class="covh">{esc(f.replace("_", " "))}</th>' for f in fields)
            + "</tr>"
        )
        rows = "".join(_run_row(run, fields) for run in site_runs)
        parts.append(
            f"<h3>{esc(site)}</h3><div class=scroll><table class=runs>{head}{rows}</table></div>"
        )
    note = (
        '<p class="note">The most recent runs per site, newest first: pages fetched, articles '
        "stored, errors, and the share of the article pages extracted in which each field "
        "was found (green ≥ 90 %, yellow ≥ 50 %, red below; – when the run extracted no "
        "article, e.g. an incremental run with nothing new). A coverage drop is how a "
        "portal's layout change shows.</p>"
    )
    return section("health", "Crawl health and field coverage", "".join(parts) + note)


def _cluster(cluster: dict[str, Any]) -> str:
    members = cluster.get("members") or []
    first = cluster.get("earliest") or {}
    rows = "".join(
        f"<tr><td>{esc(m.get('site_id'))}</td><td class=when>{when(m.get('published_at'))}</td>"
        f"<td>{link(m.get('canonical_url'), shorten(m.get('title')))}</td>"
        f"<td class=num>{number(m.get('distance'))}</td></tr>"
        for m in members[:MAX_MEMBERS]
    )
    more = (
        f'<p class="note">and {len(members) - MAX_MEMBERS} more</p>'
        if len(members) > MAX_MEMBERS
        else ""
    )
    sites = cluster.get("sites") or []
    return (
        f'<div class="cluster"><h3>{number(cluster.get("size"))} articles on {len(sites)} '
        f"portal{'s' if len(sites) != 1 else ''}: "
        f"{link(first.get('canonical_url'), shorten(first.get('title')))}</h3>"
        f'<p class="meta">first published by {esc(first.get("site_id"))} on '
        f"{when(first.get('published_at'))} · sites: {esc(', '.join(sites))} · "
        f"largest distance {number(cluster.get('max_distance'))} bits</p>"
        "<div class=scroll><table><tr><th>site</th><th>published</th><th>title</th>"
        f"<th class=num>distance</th></tr>{rows}</table></div>{more}</div>"
    )


def _clusters(data: ReportData) -> str:
    title = "Largest republication clusters"
    if not data.clusters_built:
        return section(
            "clusters",
            title,
            empty("Clusters have not been built yet: run python -m crawler clusters."),
        )
    if not data.clusters:
        return section("clusters", title, empty("No republished article found."))
    note = (
        '<p class="note">Near-duplicate articles (SimHash of title and body within the '
        "threshold, see docs/schema.md); distance is in bits from the earliest publication. "
        "Clusters are as of the last <code>python -m crawler clusters</code>.</p>"
    )
    return section("clusters", title, "".join(_cluster(c) for c in data.clusters) + note)


def _national(data: ReportData) -> str:
    """Past GOV_REPORT_DETAIL_SITES sites: a row per site, and which ones get detail."""
    if data.national is None:
        return ""
    from crawler.analytics.report_overview import national_section

    return national_section(data.national)


def render(data: ReportData, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    body = "".join(
        (
            _header(data, now),
            _overview(data),
            _national(data),
            _weekly(data),
            _views(data),
            _growth(data),
            _visits(data),
            _health(data),
            _clusters(data),
        )
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Government portal news: dataset report</title>"
        f"<style>{CSS}</style></head><body><main>{body}"
        "<footer>All dates and times are Vietnam time (Asia/Ho_Chi_Minh, UTC+7); the store keeps "
        "UTC. Field meanings: docs/schema.md.</footer></main></body></html>\n"
    )


def build_report(
    store: ArticleStore,
    since: date | None = None,
    sites: list[str] | None = None,
    detail_sites: int | None = None,
) -> str:
    """The report as one self-contained HTML document; past ``detail_sites`` sites in scope
    (default ``GOV_REPORT_DETAIL_SITES``), the national overview with detail for the sites that
    need attention (``report_scope``).

    Python's cycle collector is paused meanwhile: a national report holds hundreds of thousands
    of small dicts (no cycles among them), and each full collection walked all of them again,
    which doubled the time."""
    with _collector_paused():
        if detail_sites is None:
            detail_sites = int(config.default("GOV_REPORT_DETAIL_SITES"))
        data = collect_national(store, since, sites, detail_sites) or collect(store, since, sites)
        logger.info(
            "report: %d articles, %d sites with runs", data.overview.articles, len(data.runs)
        )
        return render(data)


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
