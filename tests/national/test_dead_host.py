"""A portal that accepts connections and never answers costs one timeout, not one per request
and retry (robots.txt, the home page and their retries were six timeouts)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests.fixturetypes import OpenStore, RunCli
from tests.helpers import FAST

TIMEOUT = ["-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2"]


class BlackHole:
    """Accepts on 127.0.0.1, reads requests, never answers; counts the requests it got."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.requests: list[bytes] = []
        self.conns: list[socket.socket] = []
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        buffered = b""
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffered += data
            while b"\r\n\r\n" in buffered:
                head, buffered = buffered.split(b"\r\n\r\n", 1)
                self.requests.append(head.split(b"\r\n", 1)[0])

    def close(self) -> None:
        self._stop = True
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    server = BlackHole()
    yield server
    server.close()


def test_a_dead_host_costs_its_timeout_once(
    black_hole: BlackHole, run_cli: RunCli, stored: OpenStore
) -> None:
    result = run_cli("crawl", "nd-giaothuy", "--base-url", black_hole.base_url, *FAST, *TIMEOUT)
    assert result.returncode == 2
    assert "nd-giaothuy: FAILED" in result.stdout
    assert black_hole.requests == [b"GET /robots.txt HTTP/1.1"]
    run = stored().recent_runs("nd-giaothuy")[0]
    assert run["verdict"] == "failed"
    assert run["errors"]["timeout"] >= 1  # the listing page is counted as timed out too
    assert "did not answer" in result.stderr


def test_the_switch_turns_it_off(black_hole: BlackHole, run_cli: RunCli) -> None:
    result = run_cli(
        "crawl",
        "nd-giaothuy",
        "--base-url",
        black_hole.base_url,
        *FAST,
        *TIMEOUT,
        "-s",
        "RETRY_TIMES=0",
        "-s",
        "GOV_HOST_DOWN_FAST=False",
    )
    assert result.returncode == 2
    # robots.txt, the listing page, then the home page (its fallback): a timeout each
    assert len(black_hole.requests) == 3
