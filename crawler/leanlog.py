"""Log records nobody will see are not built: a national night's CPU goes to crawling.

Scrapy's root handler drops records below ``LOG_LEVEL``, but only after each one was built:
a debug line for every request and item ("Crawled (200) ...") and, at every site's close, the
whole stats dict pretty-printed into an f-string ("Dumping Scrapy stats") however high the
level. A night of 3,355 sites built some 100,000 such records for nothing. While
:func:`lean_logging` is active (the CLI's crawl), the ``scrapy`` logger itself has
``LOG_LEVEL``, so ``logger.debug`` returns at once, and the stats dump is off when it would not
be shown. Scrapy also pretty-prints, for every crawler, its overridden settings and its four
component lists into the arguments of ``logger.info`` calls: those arguments are evaluated
before the logger can drop the record (about 2 ms per site). Within :func:`lean_logging`,
when INFO is hidden, ``scrapy.crawler`` and ``scrapy.middleware`` see a ``pprint`` whose
``pformat`` defers the work to ``str()``, which a dropped record never calls (a shown record
gets the very same text). What reaches the log is unchanged; the loggers' levels and the
modules' ``pprint`` are put back afterwards.

The level is set on every logger a crawl's records go through (:data:`LEAN_LOGGERS`: Scrapy's,
Spidermon's, the project's packages, and the spider's own logger, named after the spider), and
set again right after Scrapy configures logging: ``CrawlerProcess`` calls ``configure_logging``,
whose ``dictConfig`` puts the ``scrapy`` logger back to DEBUG, and the root logger is reset to
NOTSET by every crawler's root handler, so without this every ``logger.debug`` of Scrapy, and
every DEBUG/INFO record of Spidermon and the portals, was built for the handler to drop it.
"""

from __future__ import annotations

import logging
import pprint
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import ModuleType
from typing import Any

from scrapy.settings import BaseSettings


def log_level(settings: BaseSettings) -> int:
    value = settings.get("LOG_LEVEL") or "DEBUG"
    level = value if isinstance(value, int) else logging.getLevelName(str(value).upper())
    return level if isinstance(level, int) else logging.DEBUG


class LazyFormat:
    """``pprint.pformat(value)``, computed only when the record is formatted."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        return pprint.pformat(self.value)


class LazyPprint:
    """Stands in for the ``pprint`` module where Scrapy only builds log arguments with it."""

    @staticmethod
    def pformat(value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return pprint.pformat(value, *args, **kwargs)
        return LazyFormat(value)


def _scrapy_modules() -> list[ModuleType]:
    """The Scrapy modules whose only use of ``pprint`` is an INFO record's argument."""
    import scrapy.crawler
    import scrapy.middleware

    return [scrapy.crawler, scrapy.middleware]


@contextmanager
def _lazy_pformat() -> Iterator[None]:
    with ExitStack() as stack:
        for module in _scrapy_modules():
            if getattr(module, "pprint", None) is pprint:
                module.pprint = LazyPprint  # type: ignore[attr-defined]
                stack.callback(setattr, module, "pprint", pprint)
        yield


# the loggers a crawl's records go through (their children inherit the level): Scrapy's,
# Spidermon's and the project's packages; lean_logging adds the spider's own logger's name
LEAN_LOGGERS: tuple[str, ...] = ("scrapy", "spidermon", "crawler", "pipelines", "spiders")


class LeanLevels:
    """The lean level on the named loggers; :meth:`apply` sets it again where it was changed."""

    def __init__(self, level: int, names: tuple[str, ...]) -> None:
        self.level = level
        self.loggers = [logging.getLogger(name) for name in dict.fromkeys(names)]
        self.before = [logger.level for logger in self.loggers]

    def apply(self) -> None:
        for logger in self.loggers:
            if logger.level != self.level:  # setLevel clears every logger's cache
                logger.setLevel(self.level)

    def restore(self) -> None:
        for logger, level in zip(self.loggers, self.before, strict=True):
            logger.setLevel(level)


@contextmanager
def _after_configure_logging(levels: LeanLevels) -> Iterator[None]:
    """``CrawlerProcess`` configures logging (the ``scrapy`` logger back to DEBUG): the lean
    levels are set again right after it."""
    import scrapy.crawler

    configure = vars(scrapy.crawler).get("configure_logging")
    if configure is None:
        yield
        return

    def configure_then_lean(*args: Any, **kwargs: Any) -> Any:
        result = configure(*args, **kwargs)
        levels.apply()
        return result

    scrapy.crawler.configure_logging = configure_then_lean  # type: ignore[attr-defined]
    try:
        yield
    finally:
        scrapy.crawler.configure_logging = configure  # type: ignore[attr-defined]


@contextmanager
def lean_logging(settings: BaseSettings, loggers: tuple[str, ...] = ()) -> Iterator[None]:
    """Within: the crawl's loggers (:data:`LEAN_LOGGERS` and ``loggers``, e.g. the spider's
    name) drop what the handler would drop, also after Scrapy configured logging;
    ``STATS_DUMP`` is off when the level hides it (unless set explicitly). Only when Scrapy's
    own root handler is the one showing the records (``LOG_INSTALL_ROOT_HANDLER``, the CLI's
    default)."""
    level = log_level(settings)
    installs = settings.getbool("LOG_ENABLED", True) and settings.getbool(
        "LOG_INSTALL_ROOT_HANDLER", True
    )
    if not installs or level <= logging.DEBUG:
        yield
        return
    if level > logging.INFO:
        settings.set("STATS_DUMP", False, priority="default")
    levels = LeanLevels(level, LEAN_LOGGERS + tuple(loggers))
    levels.apply()
    try:
        with ExitStack() as stack:
            stack.enter_context(_after_configure_logging(levels))
            if level > logging.INFO:
                stack.enter_context(_lazy_pformat())
            yield
    finally:
        levels.restore()
