"""Operator CLI: ``python -m crawler <command>`` (the composition root).

Exit codes (documented in the README):
  0  success; every crawled site healthy
  1  usage or configuration error (bad arguments, bad profile, unreadable input)
  2  some sites unhealthy (or, for ``extract``, a page with no article)
  3  store unreachable (MongoDB down at start)
  4  another run holds the lock (``nightly``/``crawl`` overlap refused)
  5  a site's run stopped before the end (Ctrl-C, SIGTERM, CLOSESPIDER_TIMEOUT): incomplete
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from crawler.exceptions import ProfileError, StoreUnavailable
from crawler.extract.dates import VN_TZ as _VN_TZ_NAME
from crawler.runlock import RunLocked

VN_TZ = ZoneInfo(_VN_TZ_NAME)

EXIT_OK = 0
EXIT_CONFIG = 1
EXIT_UNHEALTHY = 2
EXIT_STORE = 3
EXIT_LOCKED = 4
EXIT_INCOMPLETE = 5  # a site's run stopped before the end (signal, time limit)


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors; 2 means "unhealthy" here, so use 1."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message}\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=_json_default)


# -- extract -------------------------------------------------------------------------------
EXTRACT_KEYS = (
    "url", "site", "cms", "title", "summary", "published_at", "published_raw", "author",
    "source", "views", "views_raw", "category", "body", "images", "site_stats",
)


def _read_page(page: str) -> tuple[bytes, str, str | None]:
    """Bytes, URL and content type of a saved file or a URL (fetched politely, once)."""
    if page.startswith(("http://", "https://")):
        from urllib.request import Request, urlopen

        from crawler.settings import USER_AGENT

        req = Request(page, headers={"User-Agent": USER_AGENT})
        with urlopen(req, timeout=30) as resp:
            return resp.read(), resp.geturl(), resp.headers.get("Content-Type")
    path = Path(page)
    return path.read_bytes(), path.resolve().as_uri(), None


LISTING_KEYS = ("url", "cms", "article_links", "next_page", "method")


def _listing_record(profile: Any, url: str, sel: Any) -> dict[str, Any]:
    """What the spider reads from a listing page (the same page object)."""
    from crawler.extract import ListingPage

    page = ListingPage(profile, url, sel)
    links = page.article_links()
    return {"url": url, "cms": profile.cms, "article_links": links,
            "next_page": page.next_page(1, url), "method": page.method,
            **({"postback_pager": True} if page.postback_only else {})}


def cmd_extract(args: argparse.Namespace) -> int:
    from crawler.extract import ArticlePage, choose_profile, selector_for

    status = EXIT_OK
    for page in args.pages:
        try:
            body, url, content_type = _read_page(page)
        except OSError as exc:
            print(f"extract: cannot read {page}: {exc}", file=sys.stderr)
            status = max(status, EXIT_CONFIG)
            continue
        url = args.url or url
        sel = selector_for(body, content_type)
        try:
            detection = choose_profile(sel.get(), url, args.site)
        except ProfileError as exc:
            print(f"extract: {page}: {exc}", file=sys.stderr)
            status = max(status, EXIT_UNHEALTHY if not args.site else EXIT_CONFIG)
            continue
        if args.verbose:
            print(f"extract: {page}: profile {detection.profile.id} ({detection.method})",
                  file=sys.stderr)
        if args.listing:
            record = _listing_record(detection.profile, url, sel)
            if not record["article_links"]:
                print(f"extract: {page}: no article links found", file=sys.stderr)
                status = max(status, EXIT_UNHEALTHY)
            print(_dump(record))
            continue
        article = ArticlePage(detection.profile, url, sel)
        data = article.extract()
        if article.looks_like_listing():
            print(f"extract: {page}: a listing page, not an article (use --listing)",
                  file=sys.stderr)
            status = max(status, EXIT_UNHEALTHY)
            continue
        if not data.title and not data.body:
            print(
                f"extract: {page}: no article found with profile {detection.profile.id} "
                f"(missing: {', '.join(data.missing)})",
                file=sys.stderr,
            )
            status = max(status, EXIT_UNHEALTHY)
            continue
        record = data.to_dict()
        record["site"] = detection.profile.id if detection.profile.kind == "site" else None
        if args.verbose:
            used = ", ".join(f"{k} by {v}" for k, v in sorted(data.methods.items())) or "rules"
            print(f"extract: {page}: fields found by {used}", file=sys.stderr)
        print(_dump({k: record[k] for k in EXTRACT_KEYS}))
    return status


# -- crawl ---------------------------------------------------------------------------------
def _settings(overrides: Sequence[str], extra: dict[str, Any] | None = None) -> Any:
    from scrapy.settings import Settings

    import crawler.settings as defaults

    settings = Settings()
    settings.setmodule(defaults, priority="project")
    for name, value in (extra or {}).items():
        settings.set(name, value, priority="cmdline")
    for item in overrides:  # the operator's -s wins over the command's own defaults
        if "=" not in item:
            raise ValueError(f"-s expects NAME=VALUE, got {item!r}")
        name, value = item.split("=", 1)
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    jobs: list[dict[str, Any]], settings: Any, quiet: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Crawl every job (spider kwargs) in one process; returns (exit code, run reports)."""
    from crawler.runlock import lock_file, run_lock

    with run_lock(lock_file(settings)):
        return _run_crawl_locked(jobs, settings, quiet)


def _run_crawl_locked(
    jobs: list[dict[str, Any]], settings: Any, quiet: bool
) -> tuple[int, list[dict[str, Any]]]:
    from scrapy.crawler import CrawlerProcess

    from crawler.storage.runtime import (
        close_stores,
        spool_from_settings,
        store_from_settings,
        worker_from_settings,
    )
    from spiders.portal import PortalSpider

    store = store_from_settings(settings)  # fail fast: StoreUnavailable -> exit 3
    if not quiet:
        print(f"store: {store.description}", file=sys.stderr)
    from crawler.distributed import check_redis

    shared = check_redis(settings)  # distributed mode: Redis unreachable -> exit 3
    if shared and not quiet:
        print(f"queue: {shared}", file=sys.stderr)
    spool = spool_from_settings(settings)
    if spool.pending():
        replayed = spool.replay(store)
        print(f"replayed {replayed} spooled records from an earlier run", file=sys.stderr)
    from crawler import runstate

    data_dir = settings.get("GOV_DATA_DIR", "data")
    for aborted in runstate.aborted_reports(data_dir):  # a run killed outright before us
        store.record_run(aborted)
        print(f"{aborted['site_id']}: ABORTED run {aborted['run_id']} (killed outright); "
              "recorded now", file=sys.stderr)
    worker_from_settings(settings)  # start the store worker while Scrapy starts up
    if not settings.get("GOV_RUN_ID"):
        settings.set("GOV_RUN_ID", datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ"), "cmdline")
    runstate.begin(data_dir, settings.get("GOV_RUN_ID"),
                   [str(job.get("site") or job.get("start_url")) for job in jobs])
    if quiet:
        settings.set("LOG_INSTALL_ROOT_HANDLER", False, "cmdline")
    process = CrawlerProcess(settings)
    from crawler.sitepool import SitePool

    pool = SitePool(process, PortalSpider, settings.getint("GOV_SITES_AT_ONCE", 0))
    try:
        reports = pool.run(jobs)
        close_stores()  # the store worker has finished its last write
    finally:
        runstate.end(data_dir)  # only a run killed outright leaves its marker
    return exit_code(reports), reports


def exit_code(reports: list[dict[str, Any]]) -> int:
    """0 when every site is healthy; 5 when a site stopped before the end; else 2."""
    verdicts = {r.get("verdict") for r in reports}
    if "incomplete" in verdicts:
        return EXIT_INCOMPLETE
    return EXIT_OK if verdicts <= {"healthy"} else EXIT_UNHEALTHY


def _local(value: Any) -> datetime | None:
    """A stored time in Vietnam time (the embedded store gives back naive UTC)."""
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(VN_TZ)


def _duration(report: dict[str, Any]) -> str:
    start, end = _local(report.get("started_at")), _local(report.get("finished_at"))
    if start is None or end is None:
        return "?"
    seconds = int((end - start).total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def _summary_lines(reports: list[dict[str, Any]]) -> list[str]:
    """One line per site: when it started (Vietnam time), run id, verdict, counts, how long,
    which mode, and the problems."""
    lines = []
    for r in reports:
        art = r.get("articles", {})
        started = _local(r.get("started_at"))
        when = f"{started:%Y-%m-%d %H:%M}+07:00 " if started else ""  # Vietnam has no DST
        lines.append(
            f"{when}{r.get('run_id', '?')} "
            f"{r.get('site_id')}: {str(r.get('verdict', '?')).upper()} "
            f"listing={r.get('pages', {}).get('listing', 0)} "
            f"article={r.get('pages', {}).get('article', 0)} new={art.get('new', 0)} "
            f"updated={art.get('updated', 0)} unchanged={art.get('unchanged', 0)} "
            f"dropped={sum(art.get('dropped', {}).values())} "
            f"errors={sum(r.get('errors', {}).values())} "
            f"[{_duration(r)}, {r.get('mode') or '?'}]"
            + (f" ({'; '.join(r['problems'])})" if r.get("problems") else "")
        )
    return lines


def _base_urls(values: list[str]) -> tuple[str | None, dict[str, str]]:
    """``--base-url URL`` (every site named) and ``--base-url ID=URL`` (that site), repeatable."""
    from crawler.configcheck import check_url

    every: str | None = None
    per_site: dict[str, str] = {}
    for value in values:
        site, sep, url = value.partition("=")
        if sep and not site.startswith(("http://", "https://")):
            check_url(f"--base-url {site}", url)
            per_site[site] = url
        else:
            check_url("--base-url", value)
            every = value
    return every, per_site


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.profiles.resolve import crawl_ids, resolve_site

    every, per_site = _base_urls(args.base_url or [])  # before a site profile is built on them
    jobs: list[dict[str, Any]] = []
    mode = "full" if args.full else "incremental"
    sites = list(args.sites)
    if getattr(args, "all", False):
        sites = crawl_ids()  # every site profile file and every active registry row
    for site in sites:
        resolve_site(site)  # unknown site, merged or archived row -> ProfileError -> exit 1
        job: dict[str, Any] = {"site": site, "mode": mode}
        if per_site.get(site, every):
            job["base_url"] = per_site.get(site, every)
        if args.max_pages:
            job["max_pages"] = args.max_pages
        jobs.append(job)
    if args.start_url:
        jobs.append({"start_url": args.start_url, "mode": mode, "max_pages": args.max_pages,
                     **({"site_id": args.site_id} if args.site_id else {})})
    if not jobs:
        raise ValueError("name at least one site id, or --start-url URL")
    unknown = sorted(set(per_site) - set(sites))
    if unknown:
        raise ValueError(f"--base-url {unknown[0]}=...: {unknown[0]!r} is not a site of this run")
    settings = _settings(args.set)
    from crawler.configcheck import check_crawl_config

    check_crawl_config(args.set, settings, {"--start-url": args.start_url})
    code, reports = run_crawl(jobs, settings)
    for line in _summary_lines(reports):
        print(line)
    return code


# -- demo ----------------------------------------------------------------------------------
DEMO_SITES = ("nd-giaothuy", "hn-sotttt")


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.miniportal import SITES_DIR, MiniPortal
    from crawler.storage.runtime import store_from_settings

    portals = {site: MiniPortal(SITES_DIR / site) for site in DEMO_SITES}
    for portal in portals.values():
        portal.start()
    try:
        settings = _settings(
            args.set,
            {"GOV_PROFILE_DELAYS": False, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
             "LOG_LEVEL": "WARNING"},
        )
        jobs = [
            {"site": site, "base_url": portal.base_url, "mode": "full"}
            for site, portal in portals.items()
        ]
        print("demo: serving the mini portals on " + ", ".join(
            f"{s}={p.base_url}" for s, p in portals.items()), file=sys.stderr)
        code, reports = run_crawl(jobs, settings)
    finally:
        for portal in portals.values():
            portal.stop()
    store = store_from_settings(settings)
    print(f"\nStored in {store.description}:")
    for site in DEMO_SITES:
        n = store.count_articles({"site_id": site})
        print(f"  {site}: {n} articles")
        for doc in store.articles.find({"site_id": site}).sort("published_at", -1):
            when = doc.get("published_at")
            when = when.astimezone(VN_TZ) if when else None
            print(
                f"    {when:%Y-%m-%d} views={doc.get('views')!s:>6} "
                f"author={doc.get('author')!s:<14} {doc.get('title')}"
                if when else f"    ---------- {doc.get('title')}"
            )
        stat = store.site_stats.find_one({"site_id": site}, sort=[("captured_at", -1)])
        if stat:
            print(f"    visits: online={stat.get('online')} today={stat.get('today')} "
                  f"total={stat.get('total')}")
    print()
    for line in _summary_lines(reports):
        print(line)
    return code


# -- sites ---------------------------------------------------------------------------------
def cmd_sites(args: argparse.Namespace) -> int:
    if args.action == "validate":
        return _sites_validate()
    if args.action == "check":
        return _sites_check(args)
    if args.action == "learn":
        from crawler.cli_learn import cmd_learn

        return cmd_learn(args, _settings(args.set))
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
            print(_dump({**e.__dict__, "profile": crawl[e.id] == "site profile",
                         "crawl": crawl[e.id]}))
        return EXIT_OK
    print(f"{'id':<16} {'level':<10} {'cms':<19} {'status':<8} {'province':<14} "
          f"{'base_url':<41} crawl")
    for e in entries:
        print(f"{e.id:<16} {e.level:<10} {e.cms:<19} {e.status:<8} {e.province:<14} "
              f"{e.base_url:<41} {crawl[e.id]}")
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
    print(f"ok: {len(families)} CMS profiles ({', '.join(families)}), {len(sites)} site profiles "
          f"({', '.join(sites)}), {len(registry)} registry entries (site profiles agree with "
          "their rows); every selector and regex compiled")
    return EXIT_OK


# -- runs / replay ---------------------------------------------------------------------------
def open_configured_store(overrides: Sequence[str] = ()) -> Any:
    """The store the settings (and ``-s`` overrides) point at; StoreUnavailable -> exit 3."""
    from crawler.storage.runtime import store_from_settings

    return store_from_settings(_settings(overrides))


def cmd_runs(args: argparse.Namespace) -> int:
    store = open_configured_store()
    runs = store.recent_runs(args.site, args.last)
    if args.json:
        for run in runs:
            print(_dump(run))
        return EXIT_OK
    for line in _summary_lines(runs):  # times in Vietnam time (+07:00)
        print(line)
    if not runs:
        print("no runs recorded", file=sys.stderr)
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from crawler.storage.runtime import spool_from_settings

    store = open_configured_store(args.set)
    count = spool_from_settings(_settings(args.set)).replay(store)
    print(f"replayed {count} records into {store.description}")
    return EXIT_OK


# -- parser --------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m crawler", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("extract", help="extract saved pages or URLs, one JSON line each")
    p.add_argument("pages", nargs="+", metavar="PAGE", help="saved HTML file or URL")
    p.add_argument("--url", help="the page's original URL (resolves links, picks the site)")
    p.add_argument("--site", help="profile id (site or CMS family); default: detect")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="say which profile was used and how each field was found")
    p.add_argument("--listing", action="store_true",
                   help="read listing pages: article links and the next page, one JSON line each")
    p.set_defaults(func=cmd_extract)

    def crawl_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--start-url", help="listing URL of a portal with no profile yet")
        p.add_argument("--site-id", help="with --start-url: the id to store it under "
                                         "(default: the URL's host)")
        p.add_argument("--base-url", action="append", metavar="[ID=]URL",
                       help="crawl a site from this address instead of its own (a mirror, a "
                            "local mini portal): ID=URL for one site, URL for every site named; "
                            "repeatable")
        p.add_argument("--full", action="store_true", help="re-crawl everything (not incremental)")
        p.add_argument("--max-pages", type=int, help="listing pages per start URL")
        p.add_argument("-s", dest="set", action="append", default=[], metavar="NAME=VALUE",
                       help="Scrapy setting override, as with scrapy crawl")

    p = sub.add_parser("crawl", help="crawl sites into the store")
    p.add_argument("sites", nargs="*", metavar="ID")
    crawl_opts(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("nightly", help="the cron entry point: incremental crawl, verdicts, exit code")
    p.add_argument("sites", nargs="*", metavar="ID")
    p.add_argument("--all", action="store_true",
                   help="every site profile and every active registry row")
    crawl_opts(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("demo", help="serve the bundled mini portals and crawl them")
    p.add_argument("-s", dest="set", action="append", default=[], metavar="NAME=VALUE")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("sites", help="list the portal registry, or validate every profile")
    p.add_argument("action", nargs="?", choices=["list", "validate", "check", "learn"], default="list")
    p.add_argument("ids", nargs="*", metavar="ID", help="sites to check (default: all)")
    p.add_argument("--live", action="store_true", help="with check: fetch the real portals")
    p.add_argument("--base-url", help="with check: fetch from this address instead")
    p.add_argument("--province")
    p.add_argument("--level")
    p.add_argument("--cms")
    p.add_argument("--status")
    p.add_argument("--json", action="store_true")
    p.add_argument("--start-url", help="with learn: a listing (or home) page of the portal")
    p.add_argument("--id", help="with learn: the site id to write (or re-learn)")
    p.add_argument("--name", help="with learn: the portal's name")
    p.add_argument("--write", action="store_true",
                   help="with learn: replace an existing learned profile (else show the diff)")
    p.add_argument("-s", dest="set", action="append", default=[], metavar="NAME=VALUE",
                   help="with learn: Scrapy setting override")
    p.set_defaults(func=cmd_sites)

    p = sub.add_parser("runs", help="show recent crawl runs")
    p.add_argument("--site")
    p.add_argument("--last", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("replay", help="write spooled items back into the store")
    p.add_argument("-s", dest="set", action="append", default=[], metavar="NAME=VALUE")
    p.set_defaults(func=cmd_replay)

    from crawler.cli_analytics import register as register_analytics

    register_analytics(sub)  # export, report, clusters
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except RunLocked as exc:
        print(f"error: not started: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except StoreUnavailable as exc:
        print(f"error: store unavailable: {exc}", file=sys.stderr)
        return EXIT_STORE
    except (ProfileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
