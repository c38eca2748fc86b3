"""Operator CLI: ``python -m crawler <command>`` (also ``gov-crawler``), the composition root.

One module per command group: ``extract``, ``crawl`` (crawl, nightly, demo, runs, replay),
``sites`` (and ``learn``), ``serve``, ``analytics`` (export, report, clusters); what they share
(exit codes, settings, the store, error handling) is in ``common``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from crawler.cli import analytics, crawl, extract, serve, sites
from crawler.cli.common import EXIT_CONFIG, Parser, run_command
from crawler.cli.common import __doc__ as EXIT_CODES
from crawler.cli.crawl import exit_code, run_crawl

__all__ = ["EXIT_CONFIG", "build_parser", "exit_code", "main", "run_crawl"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m crawler",
        description=__doc__.splitlines()[0] + "\n\n" + (EXIT_CODES or "").split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, metavar="COMMAND", help="one of:"
    )
    for group in (extract, crawl, serve, sites, analytics):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(args.func, args)
