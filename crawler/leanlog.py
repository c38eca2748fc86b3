"""Log records nobody will see are not built: a national night's CPU goes to crawling.

Scrapy's root handler drops records below ``LOG_LEVEL``, but only after each one was built:
a debug line for every request and item ("Crawled (200) ...") and, at every site's close, the
whole stats dict pretty-printed into an f-string ("Dumping Scrapy stats") however high the
level. A night of 3,355 sites built some 100,000 such records for nothing. While
:func:`lean_logging` is active (the CLI's crawl), the ``scrapy`` logger itself has
``LOG_LEVEL``, so ``logger.debug`` returns at once, and the stats dump is off when it would not
be shown. What reaches the log is unchanged; the logger's level is put back afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from scrapy.settings import BaseSettings


def log_level(settings: BaseSettings) -> int:
    value = settings.get("LOG_LEVEL") or "DEBUG"
    level = value if isinstance(value, int) else logging.getLevelName(str(value).upper())
    return level if isinstance(level, int) else logging.DEBUG


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
        yield
    finally:
        scrapy_logger.setLevel(before)
