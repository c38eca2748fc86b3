"""Excel (.xlsx) export for spreadsheet users: typed cells, Vietnam time, streamed.

:class:`XlsxItemExporter` is a Scrapy item exporter: it reads items through ``itemadapter``
(``BaseItemExporter.get_serialized_fields``), so the same class writes store documents
(``python -m crawler export --format xlsx``) and the spider's items as a Scrapy feed, whatever
the item type (dict, dataclass, ``scrapy.Item``)::

    scrapy crawl portal -a site=ID \
      -s 'FEEDS={"articles.xlsx": {"format": "xlsx",
                                   "item_classes": ["crawler.items.ArticleItem"]}}'

(``item_classes``: the spider also yields visit snapshots; the columns are the first item's
fields unless ``fields`` names them. A zip cannot be appended to: an existing file is refused
unless the feed overwrites it, ``-O`` or ``"overwrite": true``.)

Cells keep their type: numbers are numbers, booleans booleans, null an empty cell, and dates
are date cells (sortable, filterable, usable in formulas). Excel has no time zone, so a date is
written as the **Vietnam local time** (Asia/Ho_Chi_Minh, UTC+7 all year) of the stored UTC
instant, with the number format ``yyyy-mm-dd hh:mm:ss``; the header says so
(``published_at (Vietnam time)``) and an ``about`` sheet repeats it. Text is always a text cell,
never a formula (scraped ``=HYPERLINK(...)`` stays text); characters XML cannot hold (control
characters) are dropped and text beyond Excel's 32,767 characters per cell is cut, each
counted and logged (JSON Lines and CSV keep the full text). Lists and objects are JSON text.
Past 1,048,575 rows a new sheet ``articles (2)`` starts, with the header again.

openpyxl's write-only workbook streams rows to a temporary file and zips them at the end, so
memory stays flat in the number of rows; the output may be any binary stream (a pipe too).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from scrapy.exporters import BaseItemExporter

from crawler.analytics.vntime import to_vn

logger = logging.getLogger(__name__)

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_EXACT_INT = 10**15  # Excel keeps 15 significant digits: larger integers go out as text
SHEET = "articles"
ZONE_NOTE = " (Vietnam time)"
WIDTHS = {
    "url": 50,
    "canonical_url": 50,
    "response_url": 50,
    "title": 60,
    "summary": 60,
    "body": 80,
    "images": 40,
    "views_history": 40,
}
DEFAULT_WIDTH = 16
DATE_WIDTH = 20
ABOUT = (
    (
        "Dates and times",
        (
            "Vietnam local time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving): "
            "Excel cells carry no time zone. The store keeps UTC."
        ),
    ),
    ("Date columns", "the columns whose header ends in '(Vietnam time)'"),
    ("Lists and objects", "JSON text (images, views_history, missing)"),
    ("Empty cell", "no value (null)"),
    (
        "Long text",
        (
            f"cut at Excel's {MAX_CELL_CHARS:,} characters per cell; JSON Lines and CSV "
            "exports keep it whole"
        ),
    ),
    ("Field meanings", "docs/schema.md"),
)


def _plain(value: Any) -> Any:
    """JSON-ready: datetimes as Vietnam-time ISO 8601 strings, recursively."""
    from crawler.analytics.export import plain

    return plain(value)


class XlsxItemExporter(BaseItemExporter):
    """Write items to ``file`` (binary) as one .xlsx workbook; see the module docstring.

    ``fields_to_export`` (a list, or a mapping of field to column name) fixes the columns;
    without it they are the first item's fields. Every row has every column.
    """

    def __init__(self, file: BinaryIO, **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        # a feed opened to append (``-o``, ``overwrite: false``): a zip cannot be appended to
        self.appending = "a" in str(getattr(file, "mode", ""))
        if self.appending and file.tell() > 0:
            raise ValueError(
                "an .xlsx file cannot be appended to: overwrite it (scrapy -O, "
                "or overwrite: true in FEEDS)"
            )
        self.file = file
        self.workbook = Workbook(write_only=True)
        self.sheet: Any = None
        self.sheets = 0
        self.rows = 0  # in the current sheet, the header included
        self.items = 0
        self.date_columns: set[str] = set()
        self.cleaned = 0  # text cells that lost control characters
        self.cut = 0  # text cells cut at MAX_CELL_CHARS

    # -- Scrapy's exporter interface -------------------------------------------------------
    def export_item(self, item: Any) -> None:
        if self.fields_to_export is None:
            from itemadapter import ItemAdapter

            self.fields_to_export = list(ItemAdapter(item).field_names())
        values = dict(self.get_serialized_fields(item, default_value=None, include_empty=True))
        if self.sheet is None or self.rows >= MAX_ROWS:
            self._new_sheet()
        self.sheet.append([self._cell(values[name]) for name in self._columns()])
        self.rows += 1
        self.items += 1

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        """A field's own ``serializer`` (``scrapy.Field`` metadata), then a typed cell value."""
        value = super().serialize_field(field, name, value)
        if isinstance(value, datetime):
            self.date_columns.add(name)
            return to_vn(value).replace(tzinfo=None)  # naive Vietnam local time
        if isinstance(value, bool | date | float) or value is None:
            return value
        if isinstance(value, int):
            return value if abs(value) < MAX_EXACT_INT else str(value)
        if isinstance(value, dict | list | tuple):
            return json.dumps(_plain(value), ensure_ascii=False)
        return str(value)

    def finish_exporting(self) -> None:
        if self.sheet is None:  # no item: the header alone still says what the columns are
            self._new_sheet()
        self._about()
        if self.appending:  # writes ignore seeks: build the zip aside, then copy it
            with tempfile.TemporaryFile() as aside:
                self.workbook.save(aside)
                aside.seek(0)
                shutil.copyfileobj(aside, self.file)
        else:
            self.workbook.save(self.file)
        if self.cleaned or self.cut:
            logger.warning(
                "xlsx: %d text cells lost control characters, %d were cut at %d "
                "characters (JSON Lines and CSV keep them whole)",
                self.cleaned,
                self.cut,
                MAX_CELL_CHARS,
            )

    # -- cells and sheets ----------------------------------------------------------------------
    def _columns(self) -> list[str]:
        fields = self.fields_to_export
        return list(fields.values() if isinstance(fields, Mapping) else fields or [])

    def _cell(self, value: Any) -> Any:
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self.sheet, value)
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, str):
            return self._text(value)
        return value

    def _text(self, value: str) -> Any:
        cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
        if cleaned != value:
            self.cleaned += 1
        if len(cleaned) > MAX_CELL_CHARS:
            self.cut += 1
            cleaned = cleaned[: MAX_CELL_CHARS - 1] + "…"
        if not cleaned.startswith("="):
            return cleaned  # openpyxl makes it a text cell
        cell = WriteOnlyCell(self.sheet, cleaned)
        cell.data_type = "s"  # text, never a formula
        return cell

    def _new_sheet(self) -> None:
        self.sheets += 1
        title = SHEET if self.sheets == 1 else f"{SHEET} ({self.sheets})"
        self.sheet = self.workbook.create_sheet(title)
        self.sheet.freeze_panes = "A2"
        columns = self._columns()
        for index, name in enumerate(columns, 1):  # widths go before the first row
            width = WIDTHS.get(name, DATE_WIDTH if name.endswith("_at") else DEFAULT_WIDTH)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.append([self._header(name) for name in columns])
        self.rows = 1

    def _header(self, name: str) -> WriteOnlyCell:
        # a date column is known by its name before its first value (``*_at``) or by a value
        label = name + (ZONE_NOTE if name.endswith("_at") or name in self.date_columns else "")
        cell = WriteOnlyCell(self.sheet, ILLEGAL_CHARACTERS_RE.sub("", label))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        return cell

    def _about(self) -> None:
        sheet = self.workbook.create_sheet("about")
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 100
        for label, text in ABOUT:
            sheet.append([label, text])


def write_xlsx(out: BinaryIO, docs: Iterable[dict[str, Any]], columns: list[str]) -> int:
    """Write ``docs`` (store documents) with these columns; returns the number of rows."""
    exporter = XlsxItemExporter(out, fields_to_export=columns, export_empty_fields=True)
    exporter.start_exporting()
    for doc in docs:
        exporter.export_item(doc)
    exporter.finish_exporting()
    return exporter.items
