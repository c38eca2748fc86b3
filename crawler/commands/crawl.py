"""``scrapy crawl portal ...`` behaving as ``python -m crawler crawl``: same lock, verdict and
exit code.

Scrapy's own ``crawl`` exits 0 whatever the verdict, takes no run lock and shows a traceback when
the store is down. This one (it replaces the built-in through ``COMMANDS_MODULE``) takes the run
lock (exit 4 when held), fails fast with one line when the store is unreachable (exit 3),
replays the spool an earlier run left and records a run killed outright as ``aborted``
(``crawler/storage/startup.py``, as the CLI's crawl does; a replay the store fails is exit 3,
the rest kept), keeps the run marker (``crawler/runstate.py``), and exits with the CLI's code
for the site's verdict: 0 healthy, 2 unhealthy or failed, 5 incomplete.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler import config, runstate
from crawler import statnames as stat
from crawler.exceptions import StoreUnavailable
from crawler.runlock import RunLocked, lock_file, run_lock

EXIT_STORE, EXIT_LOCKED = 3, 4


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider with the crawler's run lock, verdict and exit codes"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl portal -a site=ID")
        from crawler.cli.crawl import exit_code
        from crawler.storage.runtime import close_stores, store_from_settings
        from crawler.storage.startup import settle_earlier_runs

        assert self.settings is not None
        assert self.crawler_process is not None
        try:
            with run_lock(lock_file(self.settings)):
                store = store_from_settings(self.settings)  # unreachable store -> exit 3
                # as the CLI's crawl: the spool replayed, a run killed outright recorded
                settle_earlier_runs(self.settings, store)
                data_dir = config.get(self.settings, "GOV_DATA_DIR")
                runstate.begin(
                    data_dir,
                    self.settings.get("GOV_RUN_ID") or "scrapy-crawl",
                    [str(opts.spargs.get("site") or opts.spargs.get("start_url"))],
                )
                crawler = self._create_crawler(args[0])
                self.crawler_process.crawl(crawler, **opts.spargs)
                try:
                    self.crawler_process.start()
                    close_stores()
                finally:
                    runstate.end(data_dir)
        except RunLocked as exc:
            print(f"error: not started: {exc}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        except StoreUnavailable as exc:
            print(f"error: store unavailable: {exc}", file=sys.stderr)
            self.exitcode = EXIT_STORE
            return
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        report = crawler.stats.get_value(stat.RUN_REPORT) if crawler.stats else None
        self.exitcode = exit_code([report or {"verdict": "failed"}])
