"""A local mini portal: static pages of real portal layouts served on 127.0.0.1.

Used by ``python -m crawler demo`` and by the crawl tests. Each site folder under ``sites/``
has a ``routes.json`` mapping a path (with its query string) to a file or to a scripted
response (status, headers, delay, failures before success), so tests can reproduce slow,
broken and moved portals without the internet.
"""

from crawler.miniportal.server import SITES_DIR, MiniPortal

__all__ = ["SITES_DIR", "MiniPortal"]
