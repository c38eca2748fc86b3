"""Test-only download handler: the production one (PoliteDownloadHandler), but every other
request first blocks the event loop for ``STALL_SECONDS`` after its download slot let it go and
before it is sent: what hundreds of sites starting, or a long parse, do in a national run."""

from __future__ import annotations

import time

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawler.politeness import PoliteDownloadHandler


class StallingHandler(PoliteDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seconds = crawler.settings.getfloat("STALL_SECONDS", 0.3)
        self.count = 0

    async def download_request(self, request: Request) -> Response:
        self.count += 1
        if self.count % 2:
            time.sleep(self.seconds)  # noqa: ASYNC251 - blocking on purpose: the loop is busy
        return await super().download_request(request)
