"""``python -m crawler serve``: a real server process, its URL lines, a page, a crawl, signals.

Ports are fixed (``--port-base``) as an operator uses them; the tests pick a block nobody
listens on, so that they run next to other test sessions.
"""

from __future__ import annotations

import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from crawler.miniportal.serve import site_names
from tests.helpers import FAST, cli_env

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "/tin-moi/hoi-nghi-truc-tuyen-cong-tac-dan-van-nam-2021-37511"


def free_block(count: int) -> int:
    """The first of ``count`` consecutive local ports that nothing listens on."""
    for _ in range(200):
        base = random.randrange(20000, 60000)
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise AssertionError("no free block of ports")


def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", *args],
        cwd=ROOT,
        env=cli_env(data_dir),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def read_lines(proc: subprocess.Popen[str], count: int) -> list[str]:
    """``count`` lines of the server's standard output (it flushes them once bound)."""
    assert proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = proc.stdout

    def reader() -> None:
        for _ in range(count):
            lines.put(stdout.readline().rstrip("\n"))

    threading.Thread(target=reader, daemon=True).start()
    got: list[str] = []
    try:
        while len(got) < count:
            got.append(lines.get(timeout=120))
    except queue.Empty:
        pass
    if len(got) < count or "" in got:
        proc.kill()
        _, err = proc.communicate(timeout=60)
        raise AssertionError(f"got {got} (exit {proc.returncode}): {err[-3000:]}")
    return got


def stop(proc: subprocess.Popen[str], sig: signal.Signals) -> tuple[str, str]:
    proc.send_signal(sig)
    try:
        return proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.read()


def can_bind(port: int) -> bool:
    """Nothing listens on ``port`` (a server's SO_REUSEADDR bind: TIME_WAIT does not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_serves_every_portal_on_fixed_ports_until_sigterm(tmp_path: Path) -> None:
    names = site_names()
    assert names[:2] == ["nd-giaothuy", "hn-sotttt"] and len(names) >= 7
    base = free_block(len(names))
    proc = start(tmp_path, "--port-base", str(base))
    try:
        lines = read_lines(proc, len(names))
        assert lines == [f"{site} http://127.0.0.1:{base + i}/" for i, site in enumerate(names)]
        urls = dict(line.split(" ") for line in lines)
        status, page = fetch(urls["nd-giaothuy"].rstrip("/") + ARTICLE)
        assert status == 200
        assert "Hội nghị trực tuyến công tác Dân vận năm 2021" in page.decode("utf-8")
        status, sitemap = fetch(urls["vhv"] + "sitemap.xml")  # absolute links on this address
        assert status == 200 and urls["vhv"].rstrip("/").encode() + b"/tin-tuc/" in sitemap
    finally:
        out, err = stop(proc, signal.SIGTERM)
    assert proc.returncode == 0, err[-3000:]
    assert out == ""  # nothing after the URL lines
    assert err.splitlines()[-1] == "serve: stopped (SIGTERM)"
    assert "gov-crawler crawl nd-giaothuy hn-sotttt --base-url nd-giaothuy=" in err
    assert "Traceback" not in err
    assert all(can_bind(base + i) for i in range(len(names)))  # every port released


def test_chosen_sites_and_ports_then_ctrl_c(tmp_path: Path) -> None:
    names = site_names()
    base = free_block(len(names))
    proc = start(
        tmp_path, "--port-base", str(base), "--site", "nukeviet", "--site", "nd-giaothuy=0"
    )
    try:
        lines = read_lines(proc, 2)
        assert lines[0] == f"nukeviet http://127.0.0.1:{base + names.index('nukeviet')}/"
        site, url = lines[1].split(" ")
        assert site == "nd-giaothuy" and url.startswith("http://127.0.0.1:")
        assert fetch(url)[0] == 200
    finally:
        _, err = stop(proc, signal.SIGINT)
    assert proc.returncode == 0, err[-3000:]
    assert err.splitlines()[-1] == "serve: stopped (SIGINT)"


def test_a_crawl_of_the_served_portal_is_healthy(tmp_path: Path) -> None:
    base = free_block(1)
    proc = start(tmp_path, "--site", f"nd-giaothuy={base}")
    try:
        [line] = read_lines(proc, 1)
        url = line.split(" ")[1]
        crawl = subprocess.run(
            [
                sys.executable,
                "-m",
                "crawler",
                "crawl",
                "nd-giaothuy",
                "--base-url",
                f"nd-giaothuy={url}",
                *FAST,
            ],
            cwd=ROOT,
            env=cli_env(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        stop(proc, signal.SIGTERM)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "nd-giaothuy: HEALTHY" in crawl.stdout and "new=5" in crawl.stdout


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    names = site_names()
    base = free_block(len(names))
    busy = base + 2  # the third portal's port
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", busy))
        holder.listen()
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "serve", "--port-base", str(base)],
            cwd=ROOT,
            env=cli_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert result.stdout == ""  # no URL printed for a server that does not run
    assert result.stderr.splitlines() == [
        f"serve: cannot serve {names[2]} on 127.0.0.1:{busy}: Address already in use"
    ]
    assert can_bind(base) and can_bind(base + 1)  # the ports bound before were released


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--site", "nowhere"],
            "serve: unknown mini portal 'nowhere'; known: nd-giaothuy, hn-sotttt, ",
        ),
        (["--site", "vhv=http"], "serve: --site vhv=http: PORT must be a number from 0 to 65535"),
        (["--port-base", "65534"], "serve: --port-base must be from 1 to "),
        (["--port-base", "x"], "argument --port-base: invalid int value: 'x'"),
    ],
)
def test_bad_options_are_one_line_and_exit_1(tmp_path: Path, args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "serve", *args],
        cwd=ROOT,
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
