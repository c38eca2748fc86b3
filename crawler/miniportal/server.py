"""ThreadingHTTPServer serving one mini-portal folder; every request is logged for tests."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

SITES_DIR = Path(__file__).parent / "sites"
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n"

# ``renderer(target) -> (status, headers, body)``, or ``None`` to fall back to routes.json
Renderer = Callable[[str], tuple[int, dict[str, str], bytes] | None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops SYNs under bursts


class MiniPortal:
    """Serve ``folder`` on ``host:port`` (port 0 picks a free one) in a background thread.

    ``routes.json`` maps ``"/path?query"`` to ``{"file": ..., "status": 200, "headers": {},
    "content_type": ..., "delay": seconds, "fail_times": n, "fail_status": 503,
    "expand_base_url": true}``; the last replaces ``{base_url}`` in the body with
    ``http://<Host header>`` (sitemaps need absolute URLs, the port is only known at start).
    Tests may change ``routes`` and files while it runs.

    An optional ``renderer`` (``target -> (status, headers, body)`` or ``None``) answers before
    ``routes.json``: generated portals (``tests.miniportals.generate``) serve pages from memory.
    ``user_agents`` counts requests per User-Agent header (e.g. one tag per crawl worker).

    ``record=False`` keeps no list of requests (``requests``, ``arrivals`` stay empty), for a
    server that runs for hours (``gov-crawler serve``); ``access_log`` is called with one line
    per request (``"GET /path HTTP/1.1" 200 -``). Binding ``host:port`` happens here: a port in
    use raises ``OSError``.
    """

    def __init__(
        self,
        folder: Path | str,
        host: str = "127.0.0.1",
        port: int = 0,
        renderer: Renderer | None = None,
        record: bool = True,
        access_log: Callable[[str], None] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.host = host
        self.renderer = renderer
        self.record = record
        self.access_log = access_log
        self.user_agents: Counter[str] = Counter()
        routes_path = self.folder / "routes.json"
        self.routes: dict[str, dict[str, Any]] = (
            json.loads(routes_path.read_text(encoding="utf-8")) if routes_path.exists() else {}
        )
        self.requests: list[str] = []
        self.arrivals: list[float] = []  # time.monotonic() of each request, in order
        self.failures: Counter[str] = Counter()
        self._lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm
            # and the client's delayed ACK add ~40 ms to every response
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                portal.handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                if portal.access_log is not None:
                    portal.access_log(format % args)

        self.server = _Server((host, port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        port = self.server.server_address[1]
        return f"http://{self.host}:{port}/"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and free the port (also for a portal that was never started)."""
        if self.thread.ident is not None:  # shutdown() waits for a serve_forever() loop
            self.server.shutdown()
        self.server.server_close()

    def hits(self, path_prefix: str = "") -> int:
        with self._lock:
            return sum(1 for p in self.requests if p.startswith(path_prefix))

    def _route(self, target: str) -> dict[str, Any] | None:
        if target in self.routes:
            return self.routes[target]
        path = urlsplit(target).path
        if path in self.routes and "?" not in target:
            return self.routes[path]
        return None

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        target = handler.path
        with self._lock:
            if self.record:
                self.requests.append(target)
                self.arrivals.append(time.monotonic())
            self.user_agents[handler.headers.get("User-Agent", "")] += 1
        if self.renderer is not None:
            rendered = self.renderer(target)
            if rendered is not None:
                status, headers, body = rendered
                self._send(handler, status, body, headers)
                return
        route = self._route(target)
        if route is None and urlsplit(target).path == "/robots.txt":
            route = {"body": DEFAULT_ROBOTS, "content_type": "text/plain; charset=utf-8"}
        if route is None:
            self._send(handler, 404, b"<html><body>404 Not Found</body></html>", {})
            return
        if route.get("delay"):
            time.sleep(float(route["delay"]))
        with self._lock:
            failed = self.failures[target]
            if failed < int(route.get("fail_times", 0)):
                self.failures[target] += 1
                status = int(route.get("fail_status", 503))
                self._send(
                    handler,
                    status,
                    b"<html>temporarily unavailable</html>",
                    dict(route.get("fail_headers", {})),
                )
                return
        headers = dict(route.get("headers", {}))
        headers.setdefault("Content-Type", route.get("content_type", "text/html; charset=utf-8"))
        if "file" in route:
            body = (self.folder / route["file"]).read_bytes()
        else:
            body = str(route.get("body", "")).encode("utf-8")
        if route.get("expand_base_url"):
            # absolute links (sitemap <loc>) on whatever address the client used
            host = handler.headers.get("Host") or f"{self.host}:{self.server.server_address[1]}"
            body = body.replace(b"{base_url}", f"http://{host}".encode())
        self._send(handler, int(route.get("status", 200)), body, headers)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]
    ) -> None:
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
