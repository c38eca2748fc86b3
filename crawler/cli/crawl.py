"""``crawl``, ``nightly``, ``demo``, ``runs`` and ``replay``: crawling into the store and what
the runs recorded. Every crawl takes the run lock, fails fast on an unreachable store, replays
an earlier spool, records runs killed outright as ``aborted``, and exits with the code of the
worst verdict (``crawler.cli.common``)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler import config
from crawler.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_UNHEALTHY,
    SubParsers,
    dump,
    open_configured_store,
    set_option,
    settings,
)
from crawler.runsummary import VN_TZ, summary_lines

if TYPE_CHECKING:  # annotations only: ``runs`` does not import Scrapy
    from scrapy.settings import Settings

DEMO_SITES = ("nd-giaothuy", "hn-sotttt")


def run_crawl(
    jobs: list[dict[str, Any]], settings: Settings, quiet: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Crawl every job (spider kwargs) in one process; returns (exit code, run reports)."""
    from crawler.runlock import lock_file, run_lock

    with run_lock(lock_file(settings)):
        _prepare(settings, quiet)
        return _crawl(jobs, settings, quiet)


def _prepare(settings: Settings, quiet: bool) -> None:
    """Before any crawl: the store and Redis answer (else exit 3), an earlier spool is
    replayed, runs killed outright are recorded, the store worker starts."""
    from crawler.distributed import check_redis
    from crawler.storage.runtime import store_from_settings, worker_from_settings
    from crawler.storage.startup import settle_earlier_runs

    store = store_from_settings(settings)  # fail fast: StoreUnavailable -> exit 3
    if not quiet:
        print(f"store: {store.description}", file=sys.stderr)
    shared = check_redis(settings)  # distributed mode: Redis unreachable -> exit 3
    if shared and not quiet:
        print(f"queue: {shared}", file=sys.stderr)
        if not settings.get("MONGO_URI"):  # docs/national.md, "Two or more workers"
            print(
                "warning: workers sharing the embedded store reload its index after each "
                "other's writes (CPU); point every worker at one MongoDB (MONGO_URI)",
                file=sys.stderr,
            )
    settle_earlier_runs(settings, store)  # the spool replayed, runs killed outright recorded
    worker_from_settings(settings)  # start the store worker while Scrapy starts up


def _crawl(
    jobs: list[dict[str, Any]], settings: Settings, quiet: bool
) -> tuple[int, list[dict[str, Any]]]:
    from scrapy.crawler import CrawlerProcess

    from crawler import runstate
    from crawler.leanchecks import shared_signature_checks
    from crawler.leanlog import lean_logging
    from crawler.settingscopy import CheapCopySettings
    from crawler.settingslean import lean_components
    from crawler.siteorder import load_durations, longest_first, remember_durations
    from crawler.sitepool import SitePool
    from crawler.sitequeue import job_source, local_crawl_settings, lost_sites, share_mode
    from crawler.storage.runtime import close_stores
    from spiders.portal import PortalSpider

    data_dir = config.get(settings, "GOV_DATA_DIR")
    if not settings.get("GOV_RUN_ID"):
        settings.set("GOV_RUN_ID", datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ"), "cmdline")
    # sites split between workers: which sites this worker crawls is not known beforehand
    split = share_mode(settings) == "sites"
    sites = [] if split else [str(job.get("site") or job.get("start_url")) for job in jobs]
    runstate.begin(data_dir, settings.get("GOV_RUN_ID"), sites)
    if config.getbool(settings, "GOV_LONGEST_FIRST"):
        jobs = longest_first(jobs, load_durations(data_dir))  # slow portals start first
    if quiet:
        settings.set("LOG_INSTALL_ROOT_HANDLER", False, "cmdline")
    # at most GOV_SITES_AT_ONCE sites at a time; the next starts when one ends. Each site's
    # crawler copies the settings: CheapCopySettings makes that copy cheap (crawler/settingscopy)
    try:
        with lean_logging(settings, (PortalSpider.name,)), shared_signature_checks():
            source = job_source(settings, jobs)  # GOV_REDIS_SHARE=sites: the workers' list
            if source.shared:
                local_crawl_settings(settings)  # each site crawled by this worker alone
            lean_components(settings)  # what every site's crawler would build for nothing
            process = CrawlerProcess(CheapCopySettings.of(settings))
            pool = SitePool(process, PortalSpider, config.getint(settings, "GOV_SITES_AT_ONCE"))
            reports = pool.run(source) + lost_sites(source)
        close_stores()  # the store worker has finished its last write
        remember_durations(data_dir, reports)  # the next night's order (crawler/siteorder.py)
    finally:
        runstate.end(data_dir)  # only a run killed outright leaves its marker
    return exit_code(reports), reports


def exit_code(reports: list[dict[str, Any]]) -> int:
    """0 when every site is healthy; 5 when a site stopped before the end; else 2."""
    verdicts = {r.get("verdict") for r in reports}
    if "incomplete" in verdicts:
        return EXIT_INCOMPLETE
    return EXIT_OK if verdicts <= {"healthy"} else EXIT_UNHEALTHY


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


def crawl_jobs(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The spider arguments of every site ``crawl``/``nightly`` names (checked first)."""
    from crawler.profiles.resolve import crawl_ids, resolve_site

    every, per_site = _base_urls(args.base_url or [])  # before a site profile is built on them
    mode = "full" if args.full else "incremental"
    sites = crawl_ids() if getattr(args, "all", False) else list(args.sites)
    jobs: list[dict[str, Any]] = []
    for site in sites:  # --all: every site profile file and every active registry row
        resolve_site(site)  # unknown site, merged or archived row -> ProfileError -> exit 1
        job: dict[str, Any] = {"site": site, "mode": mode}
        if per_site.get(site, every):
            job["base_url"] = per_site.get(site, every)
        if args.max_pages:
            job["max_pages"] = args.max_pages
        jobs.append(job)
    if args.start_url:
        jobs.append(
            {
                "start_url": args.start_url,
                "mode": mode,
                "max_pages": args.max_pages,
                **({"site_id": args.site_id} if args.site_id else {}),
            }
        )
    if not jobs:
        raise ValueError("name at least one site id, or --start-url URL")
    unknown = sorted(set(per_site) - set(sites))
    if unknown:
        raise ValueError(f"--base-url {unknown[0]}=...: {unknown[0]!r} is not a site of this run")
    return jobs


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.configcheck import check_crawl_config
    from crawler.sitequeue import share_mode

    jobs = crawl_jobs(args)
    crawl_settings = settings(args.set)
    check_crawl_config(args.set, crawl_settings, {"--start-url": args.start_url})
    share_mode(crawl_settings)  # GOV_REDIS_SHARE neither requests nor sites: one line, exit 1
    code, reports = run_crawl(jobs, crawl_settings)
    for line in summary_lines(reports):
        print(line)
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the bundled mini portals, crawl them into the store, print what was stored."""
    from crawler.miniportal import SITES_DIR, MiniPortal

    portals = {site: MiniPortal(SITES_DIR / site) for site in DEMO_SITES}
    for portal in portals.values():
        portal.start()
    try:
        demo_settings = settings(
            args.set,
            {
                "GOV_PROFILE_DELAYS": False,
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "LOG_LEVEL": "WARNING",
            },
        )
        jobs = [
            {"site": site, "base_url": portal.base_url, "mode": "full"}
            for site, portal in portals.items()
        ]
        print(
            "demo: serving the mini portals on "
            + ", ".join(f"{s}={p.base_url}" for s, p in portals.items()),
            file=sys.stderr,
        )
        code, reports = run_crawl(jobs, demo_settings)
    finally:
        for portal in portals.values():
            portal.stop()
    _print_stored(demo_settings)
    for line in summary_lines(reports):
        print(line)
    return code


def _print_stored(demo_settings: Settings) -> None:
    from crawler.storage.runtime import store_from_settings

    store = store_from_settings(demo_settings)
    print(f"\nStored in {store.description}:")
    for site in DEMO_SITES:
        print(f"  {site}: {store.count_articles({'site_id': site})} articles")
        for doc in store.articles.find({"site_id": site}).sort("published_at", -1):
            when = doc.get("published_at")
            when = when.astimezone(VN_TZ) if when else None
            print(
                f"    {when:%Y-%m-%d} views={doc.get('views')!s:>6} "
                f"author={doc.get('author')!s:<14} {doc.get('title')}"
                if when
                else f"    ---------- {doc.get('title')}"
            )
        visits = store.site_stats.find_one({"site_id": site}, sort=[("captured_at", -1)])
        if visits:
            print(
                f"    visits: online={visits.get('online')} today={visits.get('today')} "
                f"total={visits.get('total')}"
            )
    print()


def cmd_runs(args: argparse.Namespace) -> int:
    runs = open_configured_store().recent_runs(args.site, args.last)
    if args.json:
        for run in runs:
            print(dump(run))
        return EXIT_OK
    for line in summary_lines(runs):  # times in Vietnam time (+07:00)
        print(line)
    if not runs:
        print("no runs recorded", file=sys.stderr)
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay the spool under the crawl's run lock: a crawl replays it too, and writes."""
    from crawler.runlock import lock_file, run_lock
    from crawler.storage.runtime import spool_from_settings, store_from_settings

    replay_settings = settings(args.set)
    with run_lock(lock_file(replay_settings)):  # held by a crawl or a replay: exit 4
        store = store_from_settings(replay_settings)
        count = spool_from_settings(replay_settings).replay(store)
    print(f"replayed {count} records into {store.description}")
    return EXIT_OK


def _crawl_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start-url", help="listing URL of a portal with no profile yet")
    p.add_argument(
        "--site-id", help="with --start-url: the id to store it under (default: the URL's host)"
    )
    p.add_argument(
        "--base-url",
        action="append",
        metavar="[ID=]URL",
        help="crawl a site from this address instead of its own (a mirror, a "
        "local mini portal): ID=URL for one site, URL for every site named; "
        "repeatable",
    )
    p.add_argument("--full", action="store_true", help="re-crawl everything (not incremental)")
    p.add_argument("--max-pages", type=int, metavar="N", help="listing pages per start URL")
    set_option(p)


def _add_crawl(sub: SubParsers) -> None:
    p = sub.add_parser("crawl", help="crawl sites into the store")
    p.add_argument(
        "sites",
        nargs="*",
        metavar="ID",
        help="site ids: site profiles or registry rows (python -m crawler sites)",
    )
    _crawl_options(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser(
        "nightly", help="the cron entry point: incremental crawl, verdicts, exit code"
    )
    p.add_argument(
        "sites", nargs="*", metavar="ID", help="site ids: site profiles or registry rows (or --all)"
    )
    p.add_argument(
        "--all", action="store_true", help="every site profile and every active registry row"
    )
    _crawl_options(p)
    p.set_defaults(func=cmd_crawl)


def _add_runs_and_replay(sub: SubParsers) -> None:
    p = sub.add_parser("runs", help="show recent crawl runs (summary lines, Vietnam time)")
    p.add_argument("--site", metavar="ID", help="only this site's runs")
    p.add_argument(
        "--last", type=int, default=10, metavar="N", help="how many runs, newest first (default 10)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="the full run records (crawl_runs), one JSON object per line",
    )
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser(
        "replay",
        help="write spooled items back into the store (takes the run "
        "lock: never alongside a crawl)",
    )
    set_option(p, "setting override, e.g. GOV_DATA_DIR=... (repeatable)")
    p.set_defaults(func=cmd_replay)


def register(sub: SubParsers) -> None:
    _add_crawl(sub)
    p = sub.add_parser("demo", help="serve the bundled mini portals and crawl them")
    set_option(p)
    p.set_defaults(func=cmd_demo)
    _add_runs_and_replay(sub)
