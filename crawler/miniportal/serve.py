"""``gov-crawler serve``: the bundled mini portals on fixed local ports, until Ctrl-C or SIGTERM.

For trying ``crawl`` and ``nightly`` by hand (the demo serves the same portals on random ports,
only while it crawls). Every folder under ``crawler/miniportal/sites/`` is a portal; each has a
fixed place in :func:`site_names` (the demo's two sites first, then the CMS families in name
order), and portal number ``i`` listens on ``port_base + i`` (default 8701: ``nd-giaothuy`` on
8701, ``hn-sotttt`` on 8702, ...), whichever of them are served. ``ID=PORT`` puts one portal
elsewhere (``PORT`` 0: a free port the system picks).

Binding happens before anything is printed: a port in use (or refused) is one line naming the
port and the site, and nothing is served. Each site then gets one line on standard output,
``ID URL`` (flushed, for scripts that read them); the server runs until SIGINT or SIGTERM and
returns cleanly. Requests are not kept in memory (``MiniPortal(record=False)``).
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any, Self, TextIO

from crawler.miniportal.server import SITES_DIR, MiniPortal

DEFAULT_PORT_BASE = 8701
DEFAULT_HOST = "127.0.0.1"
FIRST = ("nd-giaothuy", "hn-sotttt")  # the demo's sites (site profiles): their ports never move
MAX_PORT = 65535


class ServeError(ValueError):
    """A bad ``--site``/``--port-base`` or a port that cannot be bound: one line, exit 1."""


def site_names() -> list[str]:
    """Every bundled portal, in the fixed order that gives each its default port."""
    found = sorted(p.parent.name for p in SITES_DIR.glob("*/routes.json"))
    return [s for s in FIRST if s in found] + [s for s in found if s not in FIRST]


def parse_sites(values: Sequence[str]) -> dict[str, int | None]:
    """``ID`` or ``ID=PORT`` options -> {site: port or None (its default)}."""
    known = site_names()
    chosen: dict[str, int | None] = {}
    for value in values:
        site, sep, port_text = value.partition("=")
        if site not in known:
            raise ServeError(f"unknown mini portal {site!r}; known: {', '.join(known)}")
        port: int | None = None
        if sep:
            if not port_text.isdigit() or int(port_text) > MAX_PORT:
                raise ServeError(f"--site {value}: PORT must be a number from 0 to {MAX_PORT}")
            port = int(port_text)
        chosen[site] = port
    return chosen


def plan_ports(chosen: dict[str, int | None], port_base: int) -> dict[str, int]:
    """{site: port} for the chosen sites (every site when none is chosen)."""
    names = site_names()
    if not 1 <= port_base <= MAX_PORT - len(names) + 1:
        raise ServeError(f"--port-base must be from 1 to {MAX_PORT - len(names) + 1}")
    wanted = chosen or dict.fromkeys(names)
    plan = {
        site: (port if port is not None else port_base + names.index(site))
        for site, port in wanted.items()
    }
    taken = [p for p in plan.values() if p]
    if len(taken) != len(set(taken)):
        raise ServeError(f"two portals on one port: {plan}")
    return plan


@dataclass
class Served:
    site: str
    portal: MiniPortal

    @property
    def url(self) -> str:
        return self.portal.base_url


def bind(
    plan: dict[str, int], host: str, access_log: Callable[[str], None] | None = None
) -> list[Served]:
    """Bind every portal's port (not serving yet); a port that cannot be bound -> ServeError
    with the ports already bound released."""
    served: list[Served] = []
    for site, port in plan.items():
        log = (lambda line, site=site: access_log(f"{site} {line}")) if access_log else None
        try:
            portal = MiniPortal(
                SITES_DIR / site, host=host, port=port, record=False, access_log=log
            )
        except OSError as exc:
            stop_all(served)
            reason = exc.strerror or str(exc)
            raise ServeError(f"cannot serve {site} on {host}:{port}: {reason}") from None
        served.append(Served(site, portal))
    return served


def stop_all(served: list[Served]) -> None:
    """Stop every portal at once (each waits up to half a second for its serving loop)."""
    threads = [threading.Thread(target=item.portal.stop) for item in served]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class StopSignals:
    """SIGINT and SIGTERM recorded instead of raised, from ``with`` entry to exit.

    Installed before any port is bound or any line printed, so a signal sent as soon as a
    script reads the first URL line (even while the rest are still being printed) stops the
    server cleanly instead of surfacing as a ``KeyboardInterrupt`` traceback.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signum)
        self._stop.set()

    def __enter__(self) -> Self:
        self._previous = {sig: signal.signal(sig, self._handler) for sig in self.SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._previous.items():
            signal.signal(sig, old)

    def wait(self) -> int:
        """Block until SIGINT or SIGTERM (at once if one came already); the first one's number."""
        while not self._stop.wait(0.5):
            pass
        return self.received[0]


def hints(served: list[Served]) -> list[str]:
    """How to crawl what is served: site profiles by id, the family portals by URL."""
    lines = []
    profiled = [s for s in served if s.site in FIRST]
    if profiled:
        bases = " ".join(f"--base-url {s.site}={s.url}" for s in profiled)
        lines.append(f"crawl them: gov-crawler crawl {' '.join(s.site for s in profiled)} {bases}")
    lines += [
        f"crawl {s.site}: gov-crawler crawl --start-url {start_url(s)} --site-id local-{s.site}"
        for s in served
        if s.site not in FIRST
    ]
    return lines


def start_url(served: Served) -> str:
    """The listing a family portal starts at (``family.json``), else its home page."""
    manifest = SITES_DIR / served.site / "family.json"
    if not manifest.exists():
        return served.url
    start = str(json.loads(manifest.read_text(encoding="utf-8")).get("start") or "/")
    return served.url.rstrip("/") + start


def serve(
    plan: dict[str, int],
    host: str = DEFAULT_HOST,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    verbose: bool = False,
) -> int:
    """Serve until SIGINT/SIGTERM; print ``ID URL`` lines on ``out``. Returns exit code 0."""
    access_log = (lambda line: print(line, file=err, flush=True)) if verbose else None
    with StopSignals() as signals:
        served = bind(plan, host, access_log)
        try:
            announce(served, host, out, err)
            signum = signals.wait()
        finally:
            stop_all(served)
    print(f"serve: stopped ({signal.Signals(signum).name})", file=err, flush=True)
    return 0


def announce(served: list[Served], host: str, out: TextIO, err: TextIO) -> None:
    """Start serving; ``ID URL`` lines on ``out`` (flushed), the hints on ``err``."""
    for item in served:
        item.portal.start()
    for item in served:
        print(f"{item.site} {item.url}", file=out)
    out.flush()
    for line in hints(served):
        print(f"serve: {line}", file=err)
    print(
        f"serve: {len(served)} mini portals on {host}; Ctrl-C (or SIGTERM) stops",
        file=err,
        flush=True,
    )
