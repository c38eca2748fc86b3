"""Failed requests, classified and counted: ``gov/errors/<kind>`` and
``gov/errors_by_page/<page type>``, one warning line each.

Two middlewares see every failure a request can end in, after Scrapy's retries:
:class:`DownloadErrorsMiddleware` (a downloader middleware, last in the chain) the download
errors (DNS, refused, timeouts, lost connections, robots.txt), and
:class:`HttpErrorsMiddleware` (a spider middleware) the HTTP error statuses that
``HttpErrorMiddleware`` filters out. Redirect problems are counted where they are found
(``crawler.middlewares.RedirectGuardMiddleware``). A counted failure is not logged again by
Scrapy: it becomes an ``IgnoreRequest`` (download errors) or is consumed (HTTP errors).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector

from crawler import statnames as stat

logger = logging.getLogger(__name__)

# stable error names, whatever Scrapy/Twisted version raised them
ERROR_KINDS = {
    "DNSLookupError": "dns_failure",
    "CannotResolveHostError": "dns_failure",
    "ConnectionRefusedError": "connection_refused",
    "DownloadConnectionRefusedError": "connection_refused",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DownloadTimeoutError": "timeout",
    "DownloadCancelledError": "too_large_or_cancelled",
    "ResponseNeverReceived": "connection_lost",
    "ConnectionLost": "connection_lost",
    "ResponseFailed": "connection_lost",
    "_ResponseFailed": "connection_lost",
    "ConnectionDone": "connection_lost",
}
COUNTED = "counted: "  # prefix of the IgnoreRequest a counted failure becomes


def error_kind(exception: BaseException) -> str:
    """The stable name of a request's failure (``http_404``, ``timeout``, ``robots_forbidden``)."""
    status = getattr(getattr(exception, "response", None), "status", None)
    if status:
        return f"http_{status}"
    name = type(exception).__name__
    text = str(exception).lower()
    if isinstance(exception, IgnoreRequest):
        if "robots.txt" in text:
            return "robots_forbidden"
        if text.startswith("offsite_redirect"):
            return "offsite_redirect"
        if "redirect" in text:
            return "redirect_loop"
    return ERROR_KINDS.get(name, name)


def record_failure(stats: StatsCollector, request: Request, kind: str) -> None:
    """Count one failed request under its kind and page type; one warning line."""
    page_type = request.meta.get("page_type", "unknown")
    stats.inc_value(stat.error(kind))
    stats.inc_value(stat.errors_by_page(page_type))
    logger.warning("%s %s failed: %s", page_type, request.url, kind)


class _Counting:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None  # set once the crawl started
        return self.crawler.stats


class DownloadErrorsMiddleware(_Counting):
    """Counts the download errors left after retries (sits last: lowest priority number)."""

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest) and str(exception).startswith(COUNTED):
            raise exception
        kind = error_kind(exception)
        record_failure(self.stats, request, kind)
        raise IgnoreRequest(f"{COUNTED}{kind}: {request.url}") from exception


class HttpErrorsMiddleware(_Counting):
    """Counts the responses ``HttpErrorMiddleware`` filtered out (404, 500 after retries…)."""

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> Iterable[Any] | None:
        if not isinstance(exception, HttpError) or response.request is None:
            return None
        record_failure(self.stats, response.request, error_kind(exception))
        return []
