"""Test-only download handler: the production one (PoliteDownloadHandler), but every other
request blocks the event loop for ``STALL_SECONDS`` after its download slot let it go: before
it reaches the handler (``STALL_WHERE=before``), or after the handler handed it over and before
its bytes are written (``after``). What hundreds of sites starting, or a long parse, do in a
national run."""

from __future__ import annotations

import asyncio
import time

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawler.politeness import PoliteDownloadHandler


class StallingHandler(PoliteDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seconds = crawler.settings.getfloat("STALL_SECONDS", 0.3)
        self.where = crawler.settings.get("STALL_WHERE", "before")
        self.count = 0

    async def download_request(self, request: Request) -> Response:
        self.count += 1
        if self.count % 2 and self.where == "before":
            time.sleep(self.seconds)  # noqa: ASYNC251 - blocking on purpose: the loop is busy
        if self.count % 2 and self.where == "after":
            # runs in the next turn of the loop, before the request's bytes are written
            asyncio.get_running_loop().call_soon(time.sleep, self.seconds)
        return await super().download_request(request)
