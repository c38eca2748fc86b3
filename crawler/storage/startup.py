"""What every crawl does first, once it holds the run lock: settle what earlier runs left.

* the spool (items a lost store could not take) is replayed into the store, so that a spool is
  never stranded, whichever command starts the next crawl;
* a run killed outright (its marker left behind, ``crawler/runstate.py``) is recorded in
  ``crawl_runs`` with the verdict ``aborted``.

``scrapy crawl portal`` (``crawler/commands/crawl.py``) and the CLI's ``crawl``/``nightly``
(``crawler/cli/crawl.py``) both call :func:`settle_earlier_runs`. A replay the store fails
raises ``StoreUnavailable`` (exit 3), leaving
the rest of the spool for the next run.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from scrapy.settings import BaseSettings

from crawler import config, runstate
from crawler.storage import ArticleStore
from crawler.storage.runtime import spool_from_settings


def settle_earlier_runs(
    settings: BaseSettings, store: ArticleStore, out: TextIO | None = None
) -> dict[str, Any]:
    """Replay the spool, record aborted runs; one line each on ``out`` (stderr).

    Returns ``{"replayed": n, "dead_lettered": n, "aborted": [run ids]}``.
    """
    out = out or sys.stderr
    done: dict[str, Any] = {"replayed": 0, "dead_lettered": 0, "aborted": []}
    spool = spool_from_settings(settings)
    if spool.pending():
        done["replayed"] = spool.replay(store)
        done["dead_lettered"] = spool.dead_lettered
        print(f"replayed {done['replayed']} spooled records from an earlier run", file=out)
        if spool.dead_lettered:
            print(
                f"{spool.dead_lettered} spooled records the store refused are in "
                f"{spool.dead_letter.path}",
                file=out,
            )
    for aborted in runstate.aborted_reports(config.get(settings, "GOV_DATA_DIR")):
        store.record_run(aborted)
        done["aborted"].append(aborted["run_id"])
        print(
            f"{aborted['site_id']}: ABORTED run {aborted['run_id']} (killed outright); "
            "recorded now",
            file=out,
        )
    return done
