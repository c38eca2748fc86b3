"""RetryAfterMiddleware: Scrapy's retries, plus honouring ``Retry-After`` on 429 and 503.

A portal that answers 429 (or 503) with ``Retry-After: 5`` (seconds or an HTTP date) is
retried after that wait. Every wait is bounded: above ``GOV_RETRY_AFTER_MAX`` seconds
(default 120) the request is given up and counted (``gov/errors/retry_after_too_long``)
instead of stalling the night. Retries still count against ``RETRY_TIMES``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future

from crawler import config
from crawler import statnames as stat


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or ``None`` if absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    max_wait: float = 120.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = config.getfloat(crawler.settings, "GOV_RETRY_AFTER_MAX")
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if response.status in (429, 503) and not request.meta.get("dont_retry", False):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            stats = self.crawler.stats
            if wait is not None and stats is not None:
                if wait > self.max_wait:
                    stats.inc_value(stat.ERROR_RETRY_AFTER_TOO_LONG)
                    return response
                stats.inc_value(stat.HTTP_RETRY_AFTER_WAITS)
                from twisted.internet import reactor
                from twisted.internet.task import deferLater

                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return super().process_response(request, response)


class SampleRecorderMiddleware:
    """Saves the listing and article pages a crawl fetches to ``GOV_SAMPLE_DIR`` (``sites learn``).

    Each page becomes ``<n>.html`` plus one line of ``index.jsonl`` (``file``, ``url``,
    ``page_type``, ``content_type``). Off (``NotConfigured``) unless the setting is given.
    """

    def __init__(self, folder: str) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SampleRecorderMiddleware:
        from scrapy.exceptions import NotConfigured

        folder = crawler.settings.get("GOV_SAMPLE_DIR")
        if not folder:
            raise NotConfigured("GOV_SAMPLE_DIR not set")
        return cls(folder)

    def process_response(self, request: Request, response: Response) -> Response:
        import json

        page_type = request.meta.get("page_type")
        if response.status == 200 and page_type in ("listing", "article"):
            self.count += 1
            name = f"{self.count:03d}.html"
            (self.folder / name).write_bytes(response.body)
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            line = {
                "file": name,
                "url": response.url,
                "page_type": page_type,
                "content_type": content_type or None,
            }
            with (self.folder / "index.jsonl").open("a", encoding="utf-8") as index:
                index.write(json.dumps(line, ensure_ascii=False) + "\n")
        return response


class RedirectGuardMiddleware:
    """Redirects that would be lost silently become counted errors.

    A redirect back to a URL of the same chain (A -> A, A -> B -> A) would be dropped by the
    duplicate filter without a word: the request is given up as ``redirect_loop``, as is a chain
    longer than ``REDIRECT_MAX_TIMES`` (Scrapy would drop it silently). An article
    that redirects to a host that is not the site's (e.g. an ad or a parked domain) is given up
    as ``offsite_redirect`` instead of being fetched. Both are counted (``gov/errors/<kind>``).
    Runs just before Scrapy's ``RedirectMiddleware`` sees the response.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def _fail(self, key: str, request: Request, target: str) -> None:
        """Give the request up, counted under ``key`` (``crawler.errors``)."""
        from scrapy.exceptions import IgnoreRequest

        from crawler.errors import record_failure

        assert self.crawler.stats is not None
        record_failure(self.crawler.stats, request, key)
        raise IgnoreRequest(f"{key}: {request.url} -> {target}")

    def process_response(self, request: Request, response: Response) -> Response:
        from urllib.parse import urljoin

        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target.split("#")[0] in {url.split("#")[0] for url in chain}:
            self._fail("redirect_loop", request, target)
        if request.meta.get("redirect_times", 0) >= self.max_redirects:  # a chain that never ends
            self._fail("redirect_loop", request, target)
        own = getattr(self.crawler.spider, "own", None)
        if request.meta.get("page_type") == "article" and own is not None and not own(target):
            self._fail("offsite_redirect", request, target)
        return response
