"""What every command of ``python -m crawler`` shares: exit codes, settings, the store, output.

Exit codes (documented in the README):
  0  success; every crawled site healthy
  1  usage or configuration error (bad arguments, bad profile, unreadable input)
  2  some sites unhealthy (or, for ``extract``, a page with no article)
  3  store unreachable (MongoDB down at start)
  4  another run holds the lock (``nightly``/``crawl``/``replay`` overlap refused)
  5  a site's run stopped before the end (Ctrl-C, SIGTERM, CLOSESPIDER_TIMEOUT): incomplete
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from crawler.exceptions import ProfileError, StoreUnavailable
from crawler.runlock import RunLocked

if TYPE_CHECKING:  # the CLI stays cheap to import: the store loads pymongo, Settings all of Scrapy
    from scrapy.settings import Settings

    from crawler.storage import ArticleStore

EXIT_OK = 0
EXIT_CONFIG = 1
EXIT_UNHEALTHY = 2
EXIT_STORE = 3
EXIT_LOCKED = 4
EXIT_INCOMPLETE = 5  # a site's run stopped before the end (signal, time limit)

# the type of ``add_subparsers()`` (generic for mypy only: a string, not subscripted at run time)
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors; 2 means "unhealthy" here, so use 1."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message}\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def dump(obj: Any) -> str:
    """One JSON line (dates ISO 8601, Vietnamese as is)."""
    return json.dumps(obj, ensure_ascii=False, default=_json_default)


def settings(overrides: Sequence[str], extra: dict[str, Any] | None = None) -> Settings:
    """The project settings, the command's own ``extra``, then the operator's ``-s`` on top."""
    from scrapy.settings import Settings

    import crawler.settings as defaults

    result = Settings()
    result.setmodule(defaults, priority="project")
    for name, value in (extra or {}).items():
        result.set(name, value, priority="cmdline")
    for item in overrides:  # the operator's -s wins over the command's own defaults
        if "=" not in item:
            raise ValueError(f"-s expects NAME=VALUE, got {item!r}")
        name, value = item.split("=", 1)
        result.set(name, value, priority="cmdline")
    return result


def open_configured_store(overrides: Sequence[str] = ()) -> ArticleStore:
    """The store the settings (and ``-s`` overrides) point at; StoreUnavailable -> exit 3.
    Without overrides the project settings are read without Scrapy (``config.ProjectDefaults``:
    the same values), so that ``runs``, ``report`` and ``export`` do not import it."""
    from crawler.config import ProjectDefaults
    from crawler.storage.runtime import store_from_settings

    return store_from_settings(settings(overrides) if overrides else ProjectDefaults())


def set_option(
    p: argparse.ArgumentParser,
    what: str = "Scrapy setting override, as with scrapy crawl (repeatable)",
) -> None:
    p.add_argument("-s", dest="set", action="append", default=[], metavar="NAME=VALUE", help=what)


def silence_stdout() -> int:
    """``... | head``: the reader left, which is not an error; later writes go nowhere."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def run_command(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command; the errors every command can meet become one line and an exit code."""
    try:
        return int(handler(args))
    except BrokenPipeError:
        return silence_stdout()
    except RunLocked as exc:
        print(f"error: not started: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except StoreUnavailable as exc:
        print(f"error: store unavailable: {exc}", file=sys.stderr)
        return EXIT_STORE
    except (ProfileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
