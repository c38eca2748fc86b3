"""What a national night is measured with: peak RSS of a process tree, the server's request log,
per-host spacing, and the politeness bound.

The **politeness bound** of a night is the shortest wall time the per-host rules allow for the
requests the crawl actually made (from the server's log): one request at a time per host, the
next one no sooner than the host's delay after the previous one started, so a host that got R
requests needs at least ``(R - 1) * max(delay, latency) + latency``; a dead host costs its
timeout once (its "chain"). With at most ``L`` sites crawling at once (``GOV_SITES_AT_ONCE``
per worker), each holding its place for its whole chain, the night also needs
``sum(chains) / L``. The bound is the larger of the slowest host's chain and that sum.
The CPU the crawler processes used is reported beside it: on a small machine it is the floor.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks._national_plan import PortalPlan


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _name(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(a.decode(errors="replace") for a in args[:4] if a)
    return "store worker" if "multiprocessing" in text else text[:60]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (``/proc/<pid>/stat``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(c) for c in text]
    except OSError:
        pass
    return found


class PeakRss:
    """Polls the peak RSS (VmHWM) of a process and all its descendants until stopped."""

    def __init__(self, pid: int, label: str, interval: float = 0.5) -> None:
        self.root = pid
        self.label = label
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        todo = [self.root]
        while todo:
            pid = todo.pop()
            kb = _hwm_kb(pid)
            if kb:
                name = self.label if pid == self.root else self.peaks.get(pid, (_name(pid), 0))[0]
                self.peaks[pid] = (name, max(kb, self.peaks.get(pid, ("", 0))[1]))
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_s(pid))
            todo += _children(pid)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def cpu_s(self) -> float:
        """CPU seconds of the whole tree (as last sampled)."""
        return sum(self.cpu.values())

    def stop(self) -> dict[str, float]:
        """``{label: peak MB}`` (the largest process of each label)."""
        self._stop.set()
        self._thread.join()
        out: dict[str, float] = {}
        for name, kb in self.peaks.values():
            out[name] = max(out.get(name, 0.0), kb / 1024)
        return out


def read_log(path: Path) -> tuple[dict[str, list[float]], int]:
    """``{address: [arrival times]}`` from the server's log, and how many connections the
    requests came on."""
    arrivals: dict[str, list[float]] = defaultdict(list)
    connections: set[str] = set()
    with path.open(encoding="utf-8") as log:
        for line in log:
            when, address, number, _target = line.rstrip("\n").split("\t", 3)
            arrivals[address].append(float(when))
            connections.add(number)
    for times in arrivals.values():
        times.sort()
    return arrivals, len(connections)


@dataclass(frozen=True)
class Spacing:
    hosts: int
    requests: int
    too_close: int  # pairs of requests to one host closer than its delay
    closest_ratio: float  # smallest gap / delay over all hosts


def spacing(arrivals: dict[str, list[float]], delay: float, tolerance: float = 0.0) -> Spacing:
    """Pairs of consecutive requests to one host closer than ``delay`` (as the server saw them)."""
    close, ratio = 0, float("inf")
    for times in arrivals.values():
        for a, b in itertools.pairwise(times):
            ratio = min(ratio, (b - a) / delay)
            close += (b - a) < delay - tolerance
    return Spacing(
        len(arrivals),
        sum(len(t) for t in arrivals.values()),
        close,
        ratio if ratio != float("inf") else 0.0,
    )


def politeness_bound(
    plans: list[PortalPlan],
    arrivals: dict[str, list[float]],
    delay: float,
    places: int,
    timeout: float,
) -> tuple[float, float, float]:
    """(bound, slowest host's chain, the site places' share) in seconds.

    ``places``: how many sites crawl at once (``GOV_SITES_AT_ONCE`` times the workers, at most
    N): a site holds its place for its whole chain, so the night also needs the sum of the
    chains over the places."""
    chain_max, total = 0.0, 0.0
    for plan in plans:
        count = len(arrivals.get(plan.address, []))
        if not count:
            continue
        if plan.kind == "dead":
            chain = timeout
        else:
            chain = (count - 1) * max(delay, plan.latency) + plan.latency
        chain_max = max(chain_max, chain)
        total += chain
    flow = total / places if places else 0.0
    return max(chain_max, flow), chain_max, flow
