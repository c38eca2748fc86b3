"""Serve every portal of a national plan from one asyncio process, one address each.

    python benchmarks/_national_server.py --plan plan.json --port P --night K --log log.tsv

Each portal listens on its own loopback address (``127.a.b.c:P``) and serves a generated
vnPortal site (``tests.miniportals.generate``): a home page and two listing pages of 10
articles, 20 articles in all, and :data:`NEW_PER_NIGHT` new ones on top each night (night K
shows the window of 20 newest as of that night). Every answer waits the portal's latency;
``dead`` portals accept and never answer. HTTP/1.1 with keep-alive. Every request is logged
(the kernel's receive time of its first bytes, ``SO_TIMESTAMPNS``; address; path) and written to ``--log`` on SIGTERM/SIGINT, so the
benchmark can check per-host request spacing from the server's own record. Prints
``ready <n>`` once every address listens.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import struct
import sys
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._national_plan import PortalPlan, load_plan
from tests.miniportals.generate import START_PATH, GeneratedSite

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
                f"<p>{escape(a.summary[:120])}</p></li>"
            )
        pages = SHOWN // PER_PAGE
        pager = "".join(
            f'<li class="page-item{" active" if p == page else ""}"><a class="page-link" '
            f'href="{START_PATH}?page={p}">{p}</a></li>'
            for p in range(1, pages + 1)
        )
        main = (
            f'<div class="UIArticleInMenu_Default"><ul class="ArticleList">{"".join(items)}'
            f'</ul><ul class="pagination">{pager}</ul></div>'
        )
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


LOG: list[tuple[float, str, str, int]] = []  # (arrival, address, target, connection number)
CONNECTIONS = [0]
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux
TIMESPEC = struct.Struct("qq")


class Connection:
    """One client connection, read with ``recvmsg`` so each request carries the kernel's
    receive time (``SO_TIMESTAMPNS``): the spacing check does not depend on how busy this
    process was when it got round to reading."""

    def __init__(self, portal: Portal, sock: socket.socket) -> None:
        self.portal = portal
        self.sock = sock
        self.buffer = b""
        self.first: float | None = None  # kernel time of the request's first bytes
        self.loop = asyncio.get_running_loop()
        CONNECTIONS[0] += 1
        self.number = CONNECTIONS[0]
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.loop.add_reader(sock, self.readable)

    def readable(self) -> None:
        try:
            data, ancillary, _flags, _addr = self.sock.recvmsg(65536, socket.CMSG_SPACE(16))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, ancillary = b"", []
        if not data:
            self.close()
            return
        if self.first is None:
            self.first = time.time()
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = TIMESPEC.unpack(payload[:16])
                    self.first = sec + nsec / 1e9
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            arrived, self.first = self.first or time.time(), None
            if self.buffer:
                self.first = arrived
            line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            target = line[1] if len(line) > 1 else "/"
            LOG.append((arrived, self.portal.plan.address, target, self.number))
            if self.portal.plan.kind == "dead":
                continue  # never answer
            status, ctype, body = self.portal.answer(target)
            reply = (
                b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                b"Connection: keep-alive\r\n\r\n%s"
                % (status, b"OK" if status == 200 else b"Not Found", ctype, len(body), body)
            )
            wait = max(0.0, self.portal.plan.latency - (time.time() - arrived))
            self.loop.call_later(wait, self.send, reply)

    def send(self, reply: bytes) -> None:
        if self.sock.fileno() < 0:
            return
        task = asyncio.ensure_future(self.loop.sock_sendall(self.sock, reply))
        task.add_done_callback(lambda t: t.exception() and self.close())

    def close(self) -> None:
        if self.sock.fileno() >= 0:
            self.loop.remove_reader(self.sock)
            self.sock.close()


def listen(portal: Portal, port: int) -> socket.socket:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((portal.plan.address, port))
    sock.listen(128)
    sock.setblocking(False)

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            conn.setblocking(False)
            Connection(portal, conn)

    loop.add_reader(sock, accept)
    return sock


async def serve(plans: list[PortalPlan], port: int, night: int, log: Path) -> None:
    sockets = [listen(Portal(plan, night), port) for plan in plans]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"ready {len(sockets)}", flush=True)
    await stop.wait()
    for sock in sockets:
        loop.remove_reader(sock)
        sock.close()
    with log.open("w", encoding="utf-8") as out:
        for arrived, address, target, number in LOG:
            out.write(f"{arrived:.6f}\t{address}\t{number}\t{target}\n")


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
