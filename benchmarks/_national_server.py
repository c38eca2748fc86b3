"""Serve every portal of a national plan from one asyncio process, one address each.

    python benchmarks/_national_server.py --plan plan.json --port P --night K --log log.tsv

Each portal listens on its own loopback address (``127.a.b.c:P``) and serves a generated
vnPortal site (``crawler.miniportal.generate``): a home page and two listing pages of 10
articles, 20 articles in all, and :data:`NEW_PER_NIGHT` new ones on top each night (night K
shows the window of 20 newest as of that night). Every answer waits the portal's latency;
``dead`` portals accept and never answer. HTTP/1.1 with keep-alive. Every request is logged
(``time.monotonic()``, address, path) and written to ``--log`` on SIGTERM/SIGINT, so the
benchmark can check per-host request spacing from the server's own record. Prints
``ready <n>`` once every address listens.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._national_plan import PortalPlan, load_plan
from crawler.miniportal.generate import START_PATH, GeneratedSite

NEW_PER_NIGHT = 3
MAX_NIGHTS = 30
PER_PAGE = 10
SHOWN = 20
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Portal:
    def __init__(self, plan: PortalPlan, night: int) -> None:
        self.plan = plan
        self.site = GeneratedSite(SHOWN + NEW_PER_NIGHT * MAX_NIGHTS, PER_PAGE, plan.seed)
        self.offset = NEW_PER_NIGHT * (MAX_NIGHTS - min(night, MAX_NIGHTS))

    def listing(self, page: int) -> str:
        first = self.offset + (page - 1) * PER_PAGE
        items = []
        for n in range(first, first + PER_PAGE):
            a = self.site.article(n)
            items.append(
                f'<li class="row"><div class="Ngaydang">• {a.published:%d/%m/%Y}</div>'
                f'<h2 class="Title"><a href="{a.path}">{escape(a.title)}</a></h2>'
                f"<p>{escape(a.summary[:120])}</p></li>")
        pages = SHOWN // PER_PAGE
        pager = "".join(
            f'<li class="page-item{" active" if p == page else ""}"><a class="page-link" '
            f'href="{START_PATH}?page={p}">{p}</a></li>' for p in range(1, pages + 1))
        main = (f'<div class="UIArticleInMenu_Default"><ul class="ArticleList">{"".join(items)}'
                f'</ul><ul class="pagination">{pager}</ul></div>')
        return self.site._page("Tin tức", f'<a href="{START_PATH}">Tin tức</a>', main)

    def answer(self, target: str) -> tuple[int, bytes, bytes]:
        path, _, query = target.partition("?")
        if path == "/robots.txt":
            return 200, b"text/plain", ROBOTS
        if path in ("/", START_PATH):
            page = int(query[5:]) if query.startswith("page=") and query[5:].isdigit() else 1
            if 1 <= page <= SHOWN // PER_PAGE:
                return 200, b"text/html; charset=utf-8", self.listing(page).encode()
        number = self.site.number_for(path)
        if number is not None and number >= self.offset and not query:
            return 200, b"text/html; charset=utf-8", self.site.article_html(number).encode()
        return 404, b"text/html; charset=utf-8", b"<html><body>Not found</body></html>"


LOG: list[tuple[float, str, str]] = []


async def handle(portal: Portal, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            arrived = time.monotonic()
            line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            target = line[1] if len(line) > 1 else "/"
            LOG.append((arrived, portal.plan.address, target))
            if portal.plan.kind == "dead":
                await reader.read()  # never answer; wait for the client to give up
                return
            status, ctype, body = portal.answer(target)
            await asyncio.sleep(max(0.0, portal.plan.latency - (time.monotonic() - arrived)))
            writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                         b"Connection: keep-alive\r\n\r\n%s"
                         % (status, b"OK" if status == 200 else b"Not Found", ctype, len(body),
                            body))
            await writer.drain()
            if b"connection: close" in head.lower():
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def serve(plans: list[PortalPlan], port: int, night: int, log: Path) -> None:
    servers = []
    for plan in plans:
        portal = Portal(plan, night)

        async def cb(r: asyncio.StreamReader, w: asyncio.StreamWriter, p: Portal = portal) -> None:
            await handle(p, r, w)

        servers.append(await asyncio.start_server(cb, plan.address, port, backlog=64))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"ready {len(servers)}", flush=True)
    await stop.wait()
    for server in servers:
        server.close()
    with log.open("w", encoding="utf-8") as out:
        for arrived, address, target in LOG:
            out.write(f"{arrived:.6f}\t{address}\t{target}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--night", type=int, default=1)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(load_plan(args.plan), args.port, args.night, args.log))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
