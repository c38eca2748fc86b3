"""``serve``: the bundled mini portals on fixed local ports, to try ``crawl`` and ``nightly``."""

from __future__ import annotations

import argparse
import sys

from crawler.cli.common import EXIT_CONFIG, SubParsers


def cmd_serve(args: argparse.Namespace) -> int:
    from crawler.miniportal.serve import ServeError, parse_sites, plan_ports, serve

    try:
        plan = plan_ports(parse_sites(args.site), args.port_base)
        return serve(plan, args.host, verbose=args.verbose)
    except ServeError as exc:  # a port in use, an unknown portal: one line
        print(f"serve: {exc}", file=sys.stderr)
        return EXIT_CONFIG


def register(sub: SubParsers) -> None:
    from crawler.miniportal.serve import DEFAULT_HOST, DEFAULT_PORT_BASE

    p = sub.add_parser(
        "serve",
        help="serve the bundled mini portals on fixed local ports until "
        "Ctrl-C or SIGTERM (to try crawl and nightly by hand)",
    )
    p.add_argument(
        "--site",
        action="append",
        default=[],
        metavar="ID[=PORT]",
        help="serve only this mini portal, on PORT if given (0: any free port); "
        "repeatable (default: every mini portal)",
    )
    p.add_argument(
        "--port-base",
        type=int,
        default=DEFAULT_PORT_BASE,
        metavar="N",
        help=f"mini portal number i listens on N + i (default {DEFAULT_PORT_BASE}: "
        f"nd-giaothuy {DEFAULT_PORT_BASE}, hn-sotttt {DEFAULT_PORT_BASE + 1}, ...)",
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}, this machine only)",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="print one line per request on standard error"
    )
    p.set_defaults(func=cmd_serve)
