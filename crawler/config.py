"""Reading the project's ``GOV_*`` settings: each default lives in ``crawler/settings.py`` only.

Scrapy settings built without the project module (a test's ``get_crawler``, a script) fall back
to the value ``crawler/settings.py`` gives, never to a second literal in the code.
``tests/unit/test_config.py`` checks that every ``GOV_*`` name the code reads is defined there.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

from crawler import settings as project


def default(name: str) -> Any:
    """The project default of ``name`` (``AttributeError`` if the project does not define it)."""
    return getattr(project, name)


def get(settings: BaseSettings, name: str) -> Any:
    value = settings.get(name)
    return default(name) if value is None else value


def getint(settings: BaseSettings, name: str) -> int:
    return settings.getint(name, default(name))


def getfloat(settings: BaseSettings, name: str) -> float:
    return settings.getfloat(name, default(name))


def getbool(settings: BaseSettings, name: str) -> bool:
    return settings.getbool(name, default(name))
