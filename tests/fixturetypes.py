"""Types of the shared fixtures (tests/conftest.py and the folders' conftest.py), for
annotating test parameters: ``def test_x(run_cli: RunCli, make_portal: MakePortal) -> None``."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeAlias

from crawler.miniportal import MiniPortal
from crawler.storage import ArticleStore


class RunCli(Protocol):
    """``run_cli``: ``python -m crawler ARGS`` in a subprocess on the test's data dir."""

    def __call__(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]: ...


class RunIn(Protocol):
    """``run_in`` (tests/analytics): ``python -m crawler ARGS`` on a given data dir."""

    def __call__(
        self, data_dir: Path, *args: str, **env: str
    ) -> subprocess.CompletedProcess[str]: ...


class MakePortal(Protocol):
    """``make_portal``: a started mini portal of one site (stopped after the test)."""

    def __call__(self, site: str, host: str = "127.0.0.1") -> MiniPortal: ...


# ``stored``: open the store the CLI wrote to
OpenStore: TypeAlias = Callable[[], ArticleStore]
# pytest's ``record_property`` (pytest exports no type for it)
RecordProperty: TypeAlias = Callable[[str, object], None]
