"""Inline SVG charts for the HTML report: bars, stacked bars and lines, no JavaScript.

Every label goes through :func:`html.escape`; values show as SVG ``<title>`` tooltips. The
charts size themselves with ``viewBox`` and stretch to the page width. Legends are HTML (see
:func:`legend`) so that long Vietnamese titles wrap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html import escape

# Okabe-Ito, then Tableau: distinguishable with the common colour-vision deficiencies
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
)
WIDTH = 1100
HEIGHT = 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 14, 46
AXIS = "#555"
GRID = "#e3e3e3"


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def compact(value: float) -> str:
    """1234 -> 1.2k, 2683439 -> 2.7M, 100000 -> 100k."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{sign}{value / limit:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{sign}{value:g}"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps up to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def log_ticks(top: float) -> list[float]:
    """1, 10, 100, ... up to at least ``top``."""
    ticks = [1.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] * 10)
    return ticks if len(ticks) > 1 else [1.0, 10.0]


@dataclass
class _Frame:
    """Plot area inside the margins; y from 0 (or 1 on a log scale) to ``y_max``."""

    width: int
    height: int
    y_max: float
    log: bool = False

    @property
    def left(self) -> float:
        return MARGIN_LEFT

    @property
    def right(self) -> float:
        return self.width - MARGIN_RIGHT

    @property
    def top(self) -> float:
        return MARGIN_TOP

    @property
    def bottom(self) -> float:
        return self.height - MARGIN_BOTTOM

    def y(self, value: float) -> float:
        if self.log:
            share = math.log10(max(value, 1.0)) / math.log10(self.y_max)
        else:
            share = value / self.y_max if self.y_max else 0.0
        return self.bottom - share * (self.bottom - self.top)


def _open(width: int, height: int, label: str) -> list[str]:
    tag = (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="inherit" font-size="12">'
    )
    return [tag]


def _y_axis(frame: _Frame, ticks: list[float], y_label: str) -> list[str]:
    parts = []
    for tick in ticks:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{AXIS}">{escape(compact(tick))}</text>'
        )
    parts.append(
        f'<line x1="{frame.left}" x2="{frame.left}" y1="{frame.top}" y2="{frame.bottom}" '
        f'stroke="{AXIS}"/>'
    )
    parts.append(
        f'<line x1="{frame.left}" x2="{frame.right}" y1="{frame.bottom}" '
        f'y2="{frame.bottom}" stroke="{AXIS}"/>'
    )
    if y_label:
        mid = (frame.top + frame.bottom) / 2
        parts.append(
            f'<text transform="translate(14 {mid:.0f}) rotate(-90)" text-anchor="middle" '
            f'fill="{AXIS}">{escape(y_label)}</text>'
        )
    return parts


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    y_label: str = "",
    label: str = "bar chart",
    max_labels: int = 14,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """Bars per category, stacked when there are several series (same colours as legend())."""
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0))
    frame = _Frame(width, height, ticks[-1])
    parts = _open(width, height, label) + _y_axis(frame, ticks, y_label)
    slot = (frame.right - frame.left) / max(len(categories), 1)
    bar = max(slot * 0.8, 1.0)
    every = max(1, math.ceil(len(categories) / max_labels))
    for i, category in enumerate(categories):
        x = frame.left + i * slot + (slot - bar) / 2
        base = 0.0
        for s, (name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            y_top, y_base = frame.y(base + value), frame.y(base)
            parts.append(
                f'<rect x="{x:.2f}" y="{y_top:.2f}" width="{bar:.2f}" '
                f'height="{max(y_base - y_top, 0.5):.2f}" fill="{color(s)}">'
                f"<title>{escape(name)} · {escape(category)}: {value:g}</title></rect>"
            )
            base += value
        if i % every == 0:
            cx = frame.left + (i + 0.5) * slot
            parts.append(
                f'<text x="{cx:.1f}" y="{frame.bottom + 16}" text-anchor="middle" '
                f'fill="{AXIS}">{escape(category)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _time_ticks(start: float, end: float, count: int = 6) -> list[float]:
    if end <= start:
        return [start]
    step = (end - start) / (count - 1)
    return [start + i * step for i in range(count)]


def _time_format(span_seconds: float) -> str:
    if span_seconds < 3 * 3600:
        return "%H:%M:%S"
    if span_seconds < 2 * 86400:
        return "%d/%m %H:%M"
    if span_seconds < 400 * 86400:
        return "%d/%m/%y"
    return "%m/%Y"


def _time_span(times: list[float]) -> tuple[float, float]:
    """The time axis's ends: the points' span, padded (a single moment: a minute around it)."""
    start, end = min(times), max(times)
    if end - start < 60:  # one moment (a single crawl): centre it in a minute
        middle = (start + end) / 2
        start, end = middle - 30, middle + 30
    pad = (end - start) * 0.03  # keep the first and last points off the axes
    return start - pad, end + pad


def _x_axis(frame: _Frame, start: float, end: float, zone: tzinfo | None, width: int) -> list[str]:
    span = end - start
    fmt = _time_format(span)
    ticks_x = _time_ticks(start + span * 0.03, end - span * 0.03, max(2, width // 180))
    parts = []
    for n, tick in enumerate(ticks_x):
        x = frame.left + (tick - start) / span * (frame.right - frame.left)
        text = datetime.fromtimestamp(tick, zone).strftime(fmt)
        anchor = "middle"
        if len(ticks_x) > 1 and n in (0, len(ticks_x) - 1):
            anchor = "start" if n == 0 else "end"
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.bottom}" y2="{frame.bottom + 4}" '
            f'stroke="{AXIS}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{frame.bottom + 18}" text-anchor="{anchor}" '
            f'fill="{AXIS}">{escape(text)}</text>'
        )
    return parts


def _series(
    name: str,
    stroke: str,
    coords: list[tuple[float, float]],
    points: list[tuple[datetime, float, float]],
) -> list[str]:
    """One series: its line, and a marked point (with a tooltip) each, up to 120 points."""
    parts = []
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{stroke}" stroke-width="2"/>')
    if len(coords) <= 120:
        title = escape(name)
        for (x, y), (moment, _, value) in zip(coords, points, strict=True):
            when = moment.strftime("%d/%m/%Y %H:%M")  # digits, "/", ":" and a space: no escape
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{stroke}">'
                f"<title>{title} · {when}: {value:,.0f}</title></circle>"
            )
    return parts


def _local_points(
    values: Sequence[tuple[datetime, float]], to_local: Callable[[datetime], datetime]
) -> list[tuple[datetime, float, float]]:
    """``(local time, its timestamp, value)`` per point, in time order (each converted once)."""
    ordered = sorted(values, key=lambda p: p[0])
    return [(local, local.timestamp(), v) for local, v in ((to_local(t), v) for t, v in ordered)]


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[datetime, float]]]],
    *,
    y_label: str = "",
    label: str = "line chart",
    to_local: Callable[[datetime], datetime] = lambda d: d,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """One line per series over a time axis; points are marked (a lone point is a dot).

    The y axis turns logarithmic when the values span more than two orders of magnitude, so
    that one very popular article does not flatten every other curve.
    """
    points = [p for _, values in series for p in values]
    top = max((v for _, v in points), default=0)
    low = min((v for _, v in points if v > 0), default=1)
    log = top / low > 100
    ticks = log_ticks(top) if log else nice_ticks(top)
    frame = _Frame(width, height, ticks[-1], log)
    axis_label = y_label + (" (log scale)" if log else "")
    parts = _open(width, height, label) + _y_axis(frame, ticks, axis_label)
    if not points:
        parts.append("</svg>")
        return "".join(parts)
    local = [(name, _local_points(values, to_local)) for name, values in series]
    start, end = _time_span([ts for _, pts in local for _, ts, _ in pts])
    scale = (frame.right - frame.left) / (end - start)
    parts += _x_axis(frame, start, end, to_local(points[0][0]).tzinfo, width)
    for s, (name, pts) in enumerate(local):
        coords = [(frame.left + (ts - start) * scale, frame.y(v)) for _, ts, v in pts]
        parts += _series(name, color(s), coords, pts)
    parts.append("</svg>")
    return "".join(parts)


def legend(names: Sequence[str]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{color(i)}"></span>{escape(name)}</li>'
        for i, name in enumerate(names)
    )
    return f'<ul class="legend">{items}</ul>'
