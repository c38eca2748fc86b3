"""The article's fields, defined once.

:class:`ArticleFields` lists what an article page says (the fields extraction reads); the
extraction result (``crawler.extract.pages.ArticleData``) and the stored item
(``crawler.items.ArticleItem``) both extend it, so a field is added in one place. Each field's
metadata says how the rest of the crawler treats it, and every list of field names is derived
from it: the fields a run's coverage counts, the text fields the pipelines normalise, the fields
a re-crawl may change, and the fields a re-crawl that cannot read them keeps. ``docs/schema.md``
documents the stored fields; ``tests/unit/test_fields.py`` keeps it in step.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from datetime import datetime
from typing import Any

# metadata keys
COVERAGE = "coverage"  # a run reports the share of articles that have it (crawl_runs.coverage)
TEXT = "text"  # one-line text: whitespace and Unicode normalised by the pipelines
ONCE = "once"  # set when the article is first stored; a re-crawl never changes it
PER_CRAWL = "per_crawl"  # describes the latest crawl: replaced even by an empty value


def spec(default: Any = None, *, factory: Any = None, **flags: bool) -> Any:
    """A dataclass field carrying its flags as metadata."""
    if factory is not None:
        return field(default_factory=factory, metadata=flags)
    return field(default=default, metadata=flags)


@dataclass(kw_only=True)
class ArticleFields:
    """What an article page says, as extraction reads it (order: the coverage report's)."""

    title: str | None = spec(coverage=True, text=True)
    summary: str | None = spec(coverage=True, text=True)
    published_at: datetime | None = spec(coverage=True)
    published_raw: str | None = spec(text=True)
    # goes with ``published_at``: kept or replaced with it (crawler.storage.store.TIED_FIELDS)
    published_date_only: bool = spec(False, per_crawl=True)
    author: str | None = spec(coverage=True, text=True)
    source: str | None = spec(coverage=True, text=True)
    views: int | None = spec(coverage=True)
    views_raw: str | None = spec(text=True)
    category: str | None = spec(coverage=True, text=True)
    body: str | None = spec(coverage=True)
    images: list[dict[str, str | None]] = spec(factory=list, coverage=True)


def flagged(cls: type, flag: str) -> tuple[str, ...]:
    """The names of ``cls``'s fields that carry ``flag``, in declaration order."""
    return tuple(f.name for f in _fields(cls) if f.metadata.get(flag))


def unflagged(cls: type, flag: str) -> tuple[str, ...]:
    return tuple(f.name for f in _fields(cls) if not f.metadata.get(flag))


def _fields(cls: type) -> tuple[Field[Any], ...]:
    return fields(cls)


EXTRACTED_FIELDS = tuple(f.name for f in fields(ArticleFields))
COVERAGE_FIELDS = flagged(ArticleFields, COVERAGE)
TEXT_FIELDS = flagged(ArticleFields, TEXT)


def extracted_values(source: ArticleFields) -> dict[str, Any]:
    """The extracted fields of ``source`` as keyword arguments (no copies of the values)."""
    return {name: getattr(source, name) for name in EXTRACTED_FIELDS}
