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
gets the very same text). What reaches the log is unchanged; the logger's level and the
modules' ``pprint`` are put back afterwards.
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


@contextmanager
def lean_logging(settings: BaseSettings) -> Iterator[None]:
    """Within: the ``scrapy`` logger drops what the handler would drop; ``STATS_DUMP`` is off
    when the level hides it (unless set explicitly). Only when Scrapy's own root handler is
    the one showing the records (``LOG_INSTALL_ROOT_HANDLER``, the CLI's default)."""
    level = log_level(settings)
    installs = settings.getbool("LOG_ENABLED", True) and settings.getbool(
        "LOG_INSTALL_ROOT_HANDLER", True
    )
    if not installs or level <= logging.DEBUG:
        yield
        return
    if level > logging.INFO:
        settings.set("STATS_DUMP", False, priority="default")
    scrapy_logger = logging.getLogger("scrapy")
    before = scrapy_logger.level
    scrapy_logger.setLevel(level)
    try:
        if level > logging.INFO:
            with _lazy_pformat():
                yield
        else:
            yield
    finally:
        scrapy_logger.setLevel(before)
