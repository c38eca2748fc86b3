"""``python -m tests.analytics.cli_shim ARGS``: ``python -m crawler`` with the analytics commands.

Until ``crawler/cli.py`` calls ``crawler.cli_analytics.register`` itself, this adds the
commands to the real parser and runs the real ``crawler.cli.main`` (same exit-code mapping);
once it does, the shim changes nothing.
"""

from __future__ import annotations

import argparse
import sys

from crawler import cli
from crawler.cli_analytics import register

_build_parser = cli.build_parser


def build_parser() -> argparse.ArgumentParser:
    parser = _build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "export" not in sub.choices:
        register(sub)
    return parser


cli.build_parser = build_parser

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
