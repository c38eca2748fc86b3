"""Reading the project's ``GOV_*`` settings: each default lives in ``crawler/settings.py`` only.

Scrapy settings built without the project module (a test's ``get_crawler``, a script) fall back
to the value ``crawler/settings.py`` gives, never to a second literal in the code.
``tests/unit/test_config.py`` checks that every ``GOV_*`` name the code reads is defined there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from crawler import settings as project

if TYPE_CHECKING:  # importing Scrapy takes a quarter of a second: commands that read no -s skip it
    from scrapy.settings import BaseSettings


class SettingsReader(Protocol):
    """What is read of a settings object here: Scrapy's ``BaseSettings``, or
    :class:`ProjectDefaults`."""

    def get(self, name: str, default: Any = None) -> Any: ...

    def getint(self, name: str, default: int = 0) -> int: ...


class ProjectDefaults:
    """The project settings alone (``crawler/settings.py``), without Scrapy: what a Scrapy
    ``Settings`` built from that module with no ``-s`` gives, for the commands that take none
    (``runs``, ``report``, ``export``, ``clusters``)."""

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(project, name, default)

    def getint(self, name: str, default: int = 0) -> int:
        return int(self.get(name, default))


def default(name: str) -> Any:
    """The project default of ``name`` (``AttributeError`` if the project does not define it)."""
    return getattr(project, name)


def get(settings: SettingsReader, name: str) -> Any:
    value = settings.get(name)
    return default(name) if value is None else value


def getint(settings: SettingsReader, name: str) -> int:
    return settings.getint(name, default(name))


def getfloat(settings: BaseSettings, name: str) -> float:
    return settings.getfloat(name, default(name))


def getbool(settings: BaseSettings, name: str) -> bool:
    return settings.getbool(name, default(name))
