"""Analyst commands for ``python -m crawler``: ``export``, ``report`` and ``clusters``.

``register(sub)`` adds them to the CLI's sub-parsers; each handler takes the parsed arguments
and returns an exit code (0 success, 1 usage or configuration error;
``crawler.cli.common.run_command`` maps
an unreachable store to 3). The store is opened as ``python -m crawler runs`` opens it:
``MONGO_URI`` if set, else the embedded store under ``CRAWLER_DATA_DIR`` (default ``data``).
Dates on the command line are days in Vietnam time (``YYYY-MM-DD``).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from crawler.cli.common import (
    EXIT_CONFIG,
    EXIT_OK,
    SubParsers,
    open_configured_store,
    silence_stdout,
)

if TYPE_CHECKING:  # importing this module stays cheap: the CLI imports it for every command
    from crawler.storage import ArticleStore

CLUSTERS_SHOWN = 10


def _open_store() -> ArticleStore:
    """The store every command uses (``crawler.cli.common``)."""
    return open_configured_store()


def vn_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of sites (0 or more), got {text!r}")
    return value


def field_list(text: str) -> list[str]:
    fields = [f.strip() for f in text.split(",") if f.strip()]
    if not fields:
        raise argparse.ArgumentTypeError("expected field names separated by commas")
    return fields


def _sites_problem(store: ArticleStore, sites: list[str] | None) -> str | None:
    """An id in ``--site`` that no article, run, profile or registry row has: one line."""
    from crawler.analytics.sites import unknown_sites_problem

    return unknown_sites_problem(store, sites) if sites else None


# -- export ----------------------------------------------------------------------------------
def _export_problem(args: argparse.Namespace) -> str | None:
    from crawler.analytics.export import export_columns

    if args.since and args.until and args.since > args.until:
        return "--since is after --until"
    if args.bom and args.format != "csv":
        return f"--bom is for --format csv (Excel); {args.format} has no byte order mark"
    if args.format == "xlsx" and (not args.out or args.out == "-") and sys.stdout.isatty():
        return "xlsx is a binary file: give --out FILE.xlsx (or redirect standard output)"
    try:
        export_columns(args.fields)
    except ValueError as exc:
        return str(exc)
    return None


def cmd_export(args: argparse.Namespace) -> int:
    from crawler.analytics.export import export_articles

    problem = _export_problem(args)  # before the output file is created
    if problem:
        print(f"export: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    store = _open_store()
    problem = _sites_problem(store, args.site)
    if problem:
        print(f"export: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        with ExitStack() as stack:
            if args.out and args.out != "-":
                out = cast(BinaryIO, stack.enter_context(Path(args.out).open("wb")))
            else:
                out = sys.stdout.buffer
            count = export_articles(
                store,
                out,
                args.format,
                site=args.site or None,
                since=args.since,
                until=args.until,
                fields=args.fields,
                bom=args.bom,
            )
    except BrokenPipeError:  # ``export | head``: the reader stopped; that is not an error
        return silence_stdout()
    except OSError as exc:
        print(f"export: cannot write {args.out}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    target = f" to {args.out}" if args.out and args.out != "-" else ""
    print(f"exported {count} articles{target}", file=sys.stderr)
    return EXIT_OK


# -- report ----------------------------------------------------------------------------------
def cmd_report(args: argparse.Namespace) -> int:
    from crawler.analytics.report import build_report

    store = _open_store()
    problem = _sites_problem(store, args.site)
    if problem:
        print(f"report: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    html = build_report(
        store, since=args.since, sites=args.site or None, detail_sites=args.detail_sites
    )
    path = Path(args.out)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        print(f"report: cannot write {path}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    print(f"report written to {path} ({len(html.encode('utf-8')) // 1024} KB)", file=sys.stderr)
    return EXIT_OK


# -- clusters --------------------------------------------------------------------------------
def _describe(cluster: Any) -> str:
    from crawler.analytics.vntime import to_vn

    first = cluster.earliest
    when = to_vn(first.published_at).date().isoformat() if first.published_at else "undated"
    return (
        f"{cluster.size} articles on {len(cluster.sites)} sites ({', '.join(cluster.sites)}), "
        f"max distance {cluster.max_distance}: first {first.site_id} {when} "
        f"{first.title or first.canonical_url}"
    )


def cmd_clusters(args: argparse.Namespace) -> int:
    from crawler.analytics.republication import build_clusters

    store = _open_store()
    clusters = build_clusters(store)
    across = [c for c in clusters if len(c.sites) > 1]
    print(
        f"{len(clusters)} republication clusters, {len(across)} across portals "
        f"(stored in republications)"
    )
    for cluster in clusters[: args.show]:
        print("  " + _describe(cluster))
    return EXIT_OK


# -- registration ----------------------------------------------------------------------------
def register(sub: SubParsers) -> None:
    """Add ``export``, ``report`` and ``clusters`` to ``python -m crawler``."""
    _add_export(sub)
    _add_report_and_clusters(sub)


def _add_export(sub: SubParsers) -> None:
    p = sub.add_parser("export", help="export articles as JSON Lines, CSV or Excel (xlsx)")
    p.add_argument(
        "--format",
        choices=["jsonl", "csv", "xlsx"],
        default="jsonl",
        help="jsonl (default): one JSON object per line, dates ISO 8601 +07:00; csv: "
        "one row per article; xlsx: Excel, typed cells, dates as Vietnam time",
    )
    p.add_argument(
        "--site",
        action="append",
        metavar="ID",
        help="only this site (repeatable); an unknown id is an error",
    )
    p.add_argument(
        "--since",
        type=vn_date,
        metavar="YYYY-MM-DD",
        help="published on or after this day (Vietnam time)",
    )
    p.add_argument(
        "--until",
        type=vn_date,
        metavar="YYYY-MM-DD",
        help="published on or before this day (Vietnam time)",
    )
    p.add_argument("--fields", type=field_list, metavar="a,b,c", help="columns (default: all)")
    p.add_argument("--bom", action="store_true", help="start a CSV with a UTF-8 BOM (for Excel)")
    p.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    p.set_defaults(func=cmd_export)


def _add_report_and_clusters(sub: SubParsers) -> None:
    p = sub.add_parser("report", help="write a self-contained HTML report of the dataset")
    p.add_argument(
        "--since",
        type=vn_date,
        metavar="YYYY-MM-DD",
        help="only articles published (and runs started) since this day",
    )
    p.add_argument(
        "--site",
        nargs="+",
        action="extend",
        metavar="ID",
        help="only these sites; an unknown id is an error",
    )
    p.add_argument(
        "--out", required=True, metavar="report.html", help="the HTML file to write (required)"
    )
    p.add_argument(
        "--detail-sites",
        type=_count,
        metavar="N",
        help="past N sites in scope, one overview row per site and full detail only for the N "
        "that need attention most (default: GOV_REPORT_DETAIL_SITES, 100)",
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("clusters", help="rebuild the republication clusters, print the largest")
    p.add_argument(
        "--show",
        type=int,
        default=CLUSTERS_SHOWN,
        metavar="N",
        help=f"clusters to print (default {CLUSTERS_SHOWN})",
    )
    p.set_defaults(func=cmd_clusters)
