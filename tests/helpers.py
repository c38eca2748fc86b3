"""Shared test constants."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from crawler.items import ArticleItem

_T = TypeVar("_T")

# settings for fast crawls of the local mini portal (no politeness delays on 127.0.0.1)
FAST = [
    "-s",
    "GOV_PROFILE_DELAYS=False",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "LOG_LEVEL=INFO",
]


def add_listing_links(folder: Path, hrefs: list[str], titles: list[str] | None = None) -> None:
    """Put article links first on the mini portal's vnPortal listing page 1 (``listing-1.html``)."""
    listing = folder / "listing-1.html"
    items = "".join(
        f'<li class="row"><h2 class="Title"><a href="{href}">{title}</a></h2></li>\n'
        for href, title in zip(hrefs, titles or hrefs, strict=True)
    )
    html = listing.read_text(encoding="utf-8")
    marker = '<ul class="ArticleList">'
    assert marker in html, "not a vnPortal listing page"
    listing.write_text(html.replace(marker, marker + items, 1), encoding="utf-8")


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for ``python -m crawler`` in a subprocess: a private data dir, and no
    ``MONGO_URI`` from the caller's shell unless the test passes one."""
    import os

    env = {**os.environ, "CRAWLER_DATA_DIR": str(data_dir), **extra}
    if "MONGO_URI" not in extra:
        env.pop("MONGO_URI", None)
    return env


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from ``/proc``, or ``None`` if it is gone."""
    from pathlib import Path

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def process_alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    stat = _proc_stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def store_worker_pids(parent: int) -> list[int]:
    """Live store worker processes of the crawl ``parent`` (spawned by multiprocessing; not its
    resource tracker)."""
    from pathlib import Path

    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        stat = _proc_stat(pid)
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if stat and stat[1] == parent and process_alive(pid) and b"spawn_main" in command:
            found.append(pid)
    return found


def as_utc(value: datetime) -> datetime:
    """The embedded store gives back naive UTC datetimes; compare instants."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def found(doc: _T | None) -> _T:
    """``doc`` from a ``find_one`` that must match (``None`` fails the test here, by name)."""
    assert doc is not None, "no document matched"
    return doc


def article_out(out: object) -> ArticleItem:
    """A pipeline's output for an :class:`ArticleItem` (``process_item`` returns ``object``)."""
    from crawler.items import ArticleItem

    assert isinstance(out, ArticleItem), out
    return out
