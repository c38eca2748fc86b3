"""The crawl's stats collector: Scrapy's in-memory one, without its per-call attribute hook.

Since Scrapy 2.14 every attribute read on a stats collector goes through a ``__getattribute__``
that builds a name, looks up a cached wrapper and calls it, to warn about the deprecated
``spider`` argument: about 1.7 us per ``inc_value`` against 0.12 us, for the dozens of counters
each page updates (pages, fields, methods, downloader counts). :class:`LeanStatsCollector` is
``MemoryStatsCollector`` with plain attribute access: the same methods, the same stats, the
``spider`` argument still accepted (and ignored, as Scrapy does), only its warning gone.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class LeanStatsCollector(MemoryStatsCollector):
    """``MemoryStatsCollector`` (``STATS_CLASS``) without the deprecation hook per call."""

    __getattribute__ = object.__getattribute__
