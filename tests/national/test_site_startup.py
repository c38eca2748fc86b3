"""A site's crawler in a national night: what it would build or redo for nothing is settled
once per process (crawler/settingslean.py, crawler/leanchecks.py, crawler/leanlog.py, the
registry read once per version of the file), without sharing anything mutable between the
sites; its stats are Scrapy's without the per-call hook (crawler/leanstats.py); and its run
record is written by the store worker (crawler/extensions.py)."""

from __future__ import annotations

import asyncio
import logging
import pprint
import warnings
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor, Future
from pathlib import Path
from typing import Any

import pytest
import scrapy.core.engine
import scrapy.middleware
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.deprecate import argument_is_required
from scrapy.utils.log import _uninstall_scrapy_root_handler
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler import statnames as stat
from crawler.extensions import RunReportExtension
from crawler.leanchecks import shared_signature_checks
from crawler.leanlog import LazyFormat, LazyPprint, lean_logging
from crawler.leanstats import LeanStatsCollector
from crawler.registry import load_registry, registry_by_id
from crawler.settingslean import lean_components
from crawler.storage import ArticleStore, open_store
from crawler.storage import runtime as store_runtime
from crawler.storage.spool import Spool
from crawler.storage.worker import InlineStoreWorker
from spiders.portal import PortalSpider

REMOTE = "scrapy.extensions.remote_control.RemoteControl"
SAMPLES = "crawler.middlewares.SampleRecorderMiddleware"
FEEDS = "scrapy.extensions.feedexport.FeedExporter"
COOKIES = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
HTTPCACHE = "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware"


def enabled_extensions(settings: Settings) -> set[str]:
    settings = settings.copy()
    settings.set("TWISTED_REACTOR_ENABLED", False, priority="cmdline")  # no reactor here
    crawler = Crawler(PortalSpider, settings)
    crawler._apply_settings()
    assert crawler.extensions is not None
    return {type(ext).__name__ for ext in crawler.extensions.middlewares}


def test_the_remote_control_server_is_off_for_every_site() -> None:
    """Scrapy 2.19 starts an HTTP server that runs posted code for every crawler by default."""
    names = enabled_extensions(get_project_settings())
    assert "RemoteControl" not in names
    assert {"RunReportExtension", "Spidermon", "CoreStats", "AutoThrottle"} <= names


def test_components_that_would_not_run_are_left_out_once() -> None:
    settings = get_project_settings()
    left_out = lean_components(settings)
    assert REMOTE in left_out and SAMPLES in left_out and FEEDS in left_out
    assert settings.getwithbase("EXTENSIONS")[REMOTE] is None
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")[SAMPLES] is None
    # what does run per site is kept, in its place
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")["crawler.politeness.HostDownMiddleware"]
    names = enabled_extensions(settings)
    assert {"RunReportExtension", "Spidermon", "ProgressExtension", "CloseSpider"} <= names
    assert lean_components(settings) == []  # a second time: nothing left to do


def enabled_downloader_middlewares(settings: Settings) -> list[str]:
    settings = settings.copy()
    settings.set("TWISTED_REACTOR_ENABLED", False, priority="cmdline")  # no reactor here
    crawler = Crawler(PortalSpider, settings)
    crawler._apply_settings()
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    return [type(mw).__name__ for mw in manager.middlewares]


def test_cookies_and_the_http_cache_are_left_out_unless_switched_on() -> None:
    """The project turns both off: their middlewares are not even built for a site."""
    settings = get_project_settings()
    left_out = lean_components(settings)
    assert COOKIES in left_out and HTTPCACHE in left_out
    middlewares = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert middlewares[COOKIES] is None and middlewares[HTTPCACHE] is None
    names = enabled_downloader_middlewares(settings)
    assert "HostDownMiddleware" in names and "RedirectMiddleware" in names
    on = get_project_settings()
    on.set("COOKIES_ENABLED", True, priority="cmdline")
    on.set("HTTPCACHE_ENABLED", "True", priority="cmdline")
    on.set("HTTPCACHE_DIR", "/tmp/unused-httpcache", priority="cmdline")
    left_out = lean_components(on)
    assert COOKIES not in left_out and HTTPCACHE not in left_out
    assert {"CookiesMiddleware", "HttpCacheMiddleware"} <= set(enabled_downloader_middlewares(on))


def test_lean_levels_hold_after_scrapy_configures_logging() -> None:
    """``CrawlerProcess`` runs ``configure_logging`` (the ``scrapy`` logger back to DEBUG) and
    each crawler resets the root logger: within ``lean_logging`` the crawl's loggers keep the
    level, so a record nobody will see is not even built."""
    names = ("scrapy", "scrapy.core.engine", "spidermon", "portal", "crawler.extensions")
    before = {name: logging.getLogger(name).level for name in ("scrapy", "spidermon", "portal")}
    settings = get_project_settings()
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    try:
        with lean_logging(settings, ("portal",)):
            process = CrawlerProcess(settings)
            assert {n: logging.getLogger(n).getEffectiveLevel() for n in names} == dict.fromkeys(
                names, logging.WARNING
            )
            process.create_crawler(PortalSpider)  # its own root handler
            assert not logging.getLogger("scrapy").isEnabledFor(logging.INFO)
            assert not logging.getLogger("portal").isEnabledFor(logging.INFO)
            assert logging.getLogger("spidermon").isEnabledFor(logging.WARNING)
    finally:
        _uninstall_scrapy_root_handler()
    assert {n: logging.getLogger(n).level for n in before} == before  # put back


def test_components_switched_on_are_kept() -> None:
    settings = get_project_settings()
    settings.set("GOV_SAMPLE_DIR", "/tmp/samples", priority="cmdline")
    settings.set("FEEDS", {"out.jsonl": {"format": "jsonlines"}}, priority="cmdline")
    settings.set("REMOTE_CONTROL_ENABLED", "False", priority="cmdline")
    left_out = lean_components(settings)
    assert SAMPLES not in left_out and FEEDS not in left_out and REMOTE in left_out
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")[SAMPLES] == 950
    assert "FeedExporter" in enabled_extensions(settings)


class SpiderArgMiddleware:
    """A downloader middleware still written for the deprecated ``spider`` argument."""

    def process_request(self, request: Any, spider: Any) -> None:
        return None

    def process_response(self, request: Any, response: Any) -> Any:
        return response


def _manager() -> DownloaderMiddlewareManager:
    crawler = get_crawler(
        settings_dict={"DOWNLOADER_MIDDLEWARES": {f"{__name__}.SpiderArgMiddleware": 500}}
    )
    return DownloaderMiddlewareManager.from_crawler(crawler)


def test_shared_signature_checks_answer_as_scrapy_for_every_crawler() -> None:
    with shared_signature_checks() as shared:
        assert vars(scrapy.middleware)["argument_is_required"] is shared
        assert vars(scrapy.core.engine)["argument_is_required"] is shared
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first, second = _manager(), _manager()
        mine = [mw for manager in (first, second) for mw in manager.middlewares]
        assert len(mine) == len({id(mw) for mw in mine})  # each crawler its own instances
        for manager in (first, second):  # each still warns and passes the spider
            needing = {getattr(m, "__func__", m) for m in manager._mw_methods_requiring_spider}
            assert SpiderArgMiddleware.process_request in needing
            assert SpiderArgMiddleware.process_response not in needing
        spider_warnings = [w for w in caught if issubclass(w.category, ScrapyDeprecationWarning)]
        assert sum("SpiderArgMiddleware" in str(w.message) for w in spider_warnings) == 2
        assert SpiderArgMiddleware.process_request in shared.answers

        def wrapper(request: Any, spider: Any) -> None: ...

        assert shared(wrapper, "spider") is True and wrapper not in shared.answers
    assert vars(scrapy.middleware)["argument_is_required"] is argument_is_required
    assert vars(scrapy.core.engine)["argument_is_required"] is argument_is_required


def test_lazy_pformat_only_while_info_is_hidden() -> None:
    value = {"b": [1, 2], "a": {"x": "y" * 100}}
    assert str(LazyPprint.pformat(value)) == pprint.pformat(value)
    assert LazyPprint.pformat(value, width=20) == pprint.pformat(value, width=20)
    warning = Settings({"LOG_LEVEL": "WARNING"})
    with lean_logging(warning):
        assert vars(scrapy.middleware)["pprint"] is LazyPprint
        assert vars(scrapy.crawler)["pprint"] is LazyPprint
        assert isinstance(vars(scrapy.middleware)["pprint"].pformat(value), LazyFormat)
    assert vars(scrapy.middleware)["pprint"] is pprint and vars(scrapy.crawler)["pprint"] is pprint
    with lean_logging(Settings({"LOG_LEVEL": "INFO"})):
        assert vars(scrapy.middleware)["pprint"] is pprint


def test_a_shown_record_reads_the_same_with_the_lazy_pformat(
    caplog: pytest.LogCaptureFixture,
) -> None:
    value = {"DOWNLOAD_DELAY": 1.0, "LIST": list(range(30))}
    with lean_logging(Settings({"LOG_LEVEL": "WARNING"})):
        logging.getLogger("scrapy.test").warning("x:\n%(v)s", {"v": LazyPprint.pformat(value)})
    assert caplog.records[-1].getMessage() == "x:\n" + pprint.pformat(value)


def test_the_registry_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    bundled = load_registry()
    path = tmp_path / "sites.csv"
    source = Path(__file__).resolve().parents[2] / "crawler" / "registry" / "sites.csv"
    text = source.read_text(encoding="utf-8-sig")
    path.write_text(text, encoding="utf-8")
    first = registry_by_id(path)
    assert first is registry_by_id(path)  # unchanged: the same index
    assert len(first) == len(bundled)
    some = bundled[0]
    with pytest.raises(TypeError):
        first[some.id] = some  # type: ignore[index]
    # the same size, rewritten at once: the new content is what is read
    renamed = text.replace(f",{some.name},", f",{some.name[::-1]},", 1)
    assert len(renamed) == len(text) and renamed != text
    path.write_text(renamed, encoding="utf-8")
    assert registry_by_id(path)[some.id].name == some.name[::-1]
    assert load_registry(path)[0].name == some.name[::-1]


# -- the run record, written by the store worker ------------------------------------------


@pytest.fixture
def crawl_store(tmp_path: Path) -> Iterator[tuple[Settings, ArticleStore]]:
    settings = get_project_settings()
    settings.set("GOV_DATA_DIR", str(tmp_path / "data"), priority="cmdline")
    settings.set("GOV_RUN_ID", "run-1", priority="cmdline")
    settings.set("MONGO_URI", None, priority="cmdline")
    store = open_store(None, str(tmp_path / "data"))
    yield settings, store
    store_runtime._WORKERS.clear()
    store_runtime._STORES.clear()
    store.close()


class DeadWorker:
    """A store worker whose process has died: every call fails as the executor's do."""

    def submit(self, method: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(BrokenExecutor("the store worker died"))
        return future

    def close(self) -> None:
        """Nothing left to stop."""


def _close_site(settings: Settings, site: str) -> dict[str, Any]:
    settings = settings.copy()
    settings.set("TWISTED_REACTOR_ENABLED", False, priority="cmdline")  # no reactor here
    crawler = Crawler(PortalSpider, settings)
    spider = PortalSpider.from_crawler(crawler, site="nd-giaothuy", mode="incremental")
    crawler._apply_settings()
    ext = RunReportExtension(crawler)
    spider.site_id = site
    assert crawler.stats is not None
    crawler.stats.set_value(stat.PAGES_LISTING, 2)
    asyncio.run(ext.spider_closed(spider, "finished"))
    report: dict[str, Any] = crawler.stats.get_value(stat.RUN_REPORT)
    return report


def _runs(store: ArticleStore) -> list[tuple[str, str]]:
    return sorted((r["run_id"], r["site_id"]) for r in store.crawl_runs.find({}))


def test_the_run_record_goes_through_the_store_worker(
    crawl_store: tuple[Settings, ArticleStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = crawl_store
    key = store_runtime._key(settings)
    store_runtime._WORKERS[key] = InlineStoreWorker(store)

    def not_here(_settings: Any) -> ArticleStore:
        raise AssertionError("the crawler's own store was used")

    monkeypatch.setattr("crawler.extensions.store_from_settings", not_here)
    reports = [_close_site(settings, site) for site in ("site-a", "site-b")]
    assert [r["site_id"] for r in reports] == ["site-a", "site-b"]
    assert _runs(store) == [("run-1", "site-a"), ("run-1", "site-b")]  # each once


def test_a_dead_worker_leaves_the_run_record_to_the_crawlers_own_store(
    crawl_store: tuple[Settings, ArticleStore], tmp_path: Path
) -> None:
    settings, store = crawl_store
    key = store_runtime._key(settings)
    store_runtime._WORKERS[key] = DeadWorker()
    store_runtime._STORES[key] = store
    _close_site(settings, "site-a")
    assert _runs(store) == [("run-1", "site-a")]
    assert not (tmp_path / "data" / "spool").exists() or not any(
        line for line in Spool(tmp_path / "data" / "spool").path.read_text().splitlines()
    )


def test_the_stats_collector_counts_as_scrapys_without_the_hook() -> None:
    settings = get_project_settings()
    settings.set("TWISTED_REACTOR_ENABLED", False, priority="cmdline")  # no reactor here
    crawler = Crawler(PortalSpider, settings)
    crawler._apply_settings()
    lean, plain = crawler.stats, MemoryStatsCollector(crawler)
    assert isinstance(lean, LeanStatsCollector)
    assert vars(LeanStatsCollector)["__getattribute__"] is object.__getattribute__
    for stats in (lean, plain):
        stats.inc_value("a")
        stats.inc_value("a", 2)
        stats.inc_value("b", start=10)
        stats.max_value("m", 3)
        stats.max_value("m", 1)
        stats.min_value("n", 3)
        stats.min_value("n", 1)
        stats.set_value("s", "x")
    assert lean.get_stats() == plain.get_stats() == {"a": 3, "b": 11, "m": 3, "n": 1, "s": "x"}
    assert lean.get_value("missing", 5) == 5
