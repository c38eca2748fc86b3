"""``sites``: the portal registry, and validating, checking and learning profiles."""

from __future__ import annotations

import argparse
import sys

from crawler.cli.common import (
    EXIT_CONFIG,
    EXIT_OK,
    EXIT_UNHEALTHY,
    SubParsers,
    dump,
    set_option,
    settings,
)


def cmd_sites(args: argparse.Namespace) -> int:
    if args.action == "validate":
        return _sites_validate()
    if args.action == "check":
        return _sites_check(args)
    if args.action == "learn":
        from crawler.cli.learn import cmd_learn

        return cmd_learn(args, settings(args.set))
    from crawler.registry import filter_registry, load_registry

    entries = filter_registry(
        load_registry(), province=args.province, level=args.level, cms=args.cms, status=args.status
    )
    from crawler.profiles import load_profiles
    from crawler.profiles.resolve import how_crawled

    profiles = load_profiles()
    # crawled as: site profile (a file overrides), family profile, layout-free, or not crawled
    crawl = {e.id: how_crawled(e, profiles) for e in entries}
    if args.json:
        for e in entries:
            print(
                dump({**e.__dict__, "profile": crawl[e.id] == "site profile", "crawl": crawl[e.id]})
            )
        return EXIT_OK
    print(
        f"{'id':<16} {'level':<10} {'cms':<19} {'status':<8} {'province':<14} "
        f"{'base_url':<41} crawl"
    )
    for e in entries:
        print(
            f"{e.id:<16} {e.level:<10} {e.cms:<19} {e.status:<8} {e.province:<14} "
            f"{e.base_url:<41} {crawl[e.id]}"
        )
    crawlable = sum(not how.startswith("not crawled") for how in crawl.values())
    print(f"{len(entries)} portals, {crawlable} crawled", file=sys.stderr)
    return EXIT_OK


def _sites_check(args: argparse.Namespace) -> int:
    from crawler.livecheck import check_site, render
    from crawler.profiles import load_profiles
    from crawler.profiles.resolve import resolve_site

    if not args.live:
        raise ValueError("sites check fetches real pages: add --live to confirm")
    ids = args.ids or sorted(p.id for p in load_profiles().values() if p.kind == "site")
    checks = [check_site(resolve_site(i), args.base_url) for i in ids]  # a file or a registry row
    for check in checks:
        print("\n".join(render(check)))
    return EXIT_OK if all(c.ok for c in checks) else EXIT_UNHEALTHY


def _sites_validate() -> int:
    from crawler.profiles import load_profiles
    from crawler.profiles.resolve import registry_mismatches
    from crawler.registry import load_registry

    profiles = load_profiles()
    registry = load_registry()
    errors, warnings = registry_mismatches(registry=None)  # site profiles against the registry
    for line in [*warnings, *errors]:
        print(line, file=sys.stderr)
    if errors:
        return EXIT_CONFIG
    sites = sorted(p.id for p in profiles.values() if p.kind == "site")
    families = sorted(p.id for p in profiles.values() if p.kind == "cms")
    print(
        f"ok: {len(families)} CMS profiles ({', '.join(families)}), {len(sites)} site profiles "
        f"({', '.join(sites)}), {len(registry)} registry entries (site profiles agree with "
        "their rows); every selector and regex compiled"
    )
    return EXIT_OK


def register(sub: SubParsers) -> None:
    p = sub.add_parser("sites", help="the portal registry; validate, check or learn profiles")
    p.add_argument(
        "action",
        nargs="?",
        choices=["list", "validate", "check", "learn"],
        default="list",
        help="list (default): the registry and how each row is crawled; validate: "
        "every profile; check: fetch real pages (--live); learn: write a profile",
    )
    p.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help="with check: sites to check (default: all); with learn: the site",
    )
    p.add_argument("--live", action="store_true", help="with check: fetch the real portals")
    p.add_argument("--base-url", help="with check: fetch from this address instead")
    p.add_argument(
        "--province",
        metavar="P",
        help="only rows of this province: a current one selects every row now part "
        "of it, a former one its own rows (name or code, diacritics ignored); "
        "with learn: the portal's province",
    )
    p.add_argument(
        "--level",
        metavar="L",
        help="only rows of this level (province, department, district, commune, "
        "ministry); with learn: the portal's level",
    )
    p.add_argument("--cms", metavar="C", help="only rows of this CMS family (e.g. vnportal)")
    p.add_argument(
        "--status", metavar="S", help="only rows with this status (active, merged, archived)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per row")
    p.add_argument("--start-url", help="with learn: a listing (or home) page of the portal")
    p.add_argument("--id", help="with learn: the site id to write (or re-learn)")
    p.add_argument("--name", help="with learn: the portal's name")
    p.add_argument(
        "--write",
        action="store_true",
        help="with learn: replace an existing learned profile (else show the diff)",
    )
    set_option(p, "with learn: Scrapy setting override (repeatable)")
    p.set_defaults(func=cmd_sites)
