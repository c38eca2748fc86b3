from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from crawler.progress import _Board


def test_terminal_progress_line_is_rewritten_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    board = _Board()
    board.mode = "tty"
    crawler = get_crawler()
    crawler.stats.open_spider()
    crawler.stats.set_value("gov/pages/listing", 2)
    crawler.stats.set_value("gov/pages/article", 5)
    crawler.stats.set_value("gov/articles/new", 4)
    board.crawlers.extend([crawler, get_crawler()])
    board.done = 1
    board.tick()
    err = capsys.readouterr().err
    assert err.startswith("\r\x1b[2K")
    assert err.endswith("sites 1/2 done · pages 7 · articles new 4")
