"""A marker of the run in progress, so a run killed outright is still recorded.

The CLI writes ``<data>/run-in-progress.json`` (run id, sites, start time, pid) once it holds
the run lock, and removes it when the run ends, whatever its verdict. A marker found by the next
run (which holds the lock, so its writer is gone: ``kill -9``, a power cut, the OOM killer)
means that run never wrote its ``crawl_runs`` records: the next run writes them with the
verdict ``aborted`` before it starts. The lock itself is a kernel ``flock``: released when its
holder dies.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MARKER = "run-in-progress.json"


def marker_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / MARKER


def begin(data_dir: str | Path, run_id: str, site_ids: list[str]) -> None:
    path = marker_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "run_id": run_id,
        "sites": site_ids,
        "pid": os.getpid(),
        "started_at": datetime.now(UTC).isoformat(),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(path)


def end(data_dir: str | Path) -> None:
    marker_path(data_dir).unlink(missing_ok=True)


def aborted_reports(data_dir: str | Path) -> list[dict[str, Any]]:
    """The ``crawl_runs`` records of a run that left its marker behind (none if it did not)."""
    path = marker_path(data_dir)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError:  # a marker cut short by the crash itself
        state = {"run_id": "unknown", "sites": ["?"], "started_at": None}
    started = state.get("started_at")
    started_at = datetime.fromisoformat(started) if started else None
    found_at = datetime.now(UTC).isoformat(timespec="seconds")
    problem = (
        f"the run was killed outright (pid {state.get('pid', '?')}); "
        f"recorded by the next run at {found_at}"
    )
    return [
        {
            "run_id": state.get("run_id", "unknown"),
            "site_id": site,
            "started_at": started_at,
            "finished_at": None,
            "finish_reason": "killed",
            "verdict": "aborted",
            "problems": [problem],
            "pages": {},
            "articles": {},
            "errors": {},
            "coverage": {},
        }
        for site in state.get("sites") or ["?"]
    ]
