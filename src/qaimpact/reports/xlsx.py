"""Write report tables (:mod:`qaimpact.reports.tables`) as an Excel workbook.

openpyxl is an optional extra, imported only here and only when a workbook is written; the
import contracts in pyproject.toml keep it away from start-up and ``validate``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from qaimpact.base.errors import UsageError
from qaimpact.base.escaping import workbook_text
from qaimpact.reports.tables import Share, Sheet

#: The author recorded in every workbook written here.
CREATOR = "qaimpact"
#: What to install when openpyxl is missing.
XLSX_EXTRA = "pip install 'qaimpact[xlsx]'"


def yes_no(answer: bool) -> str:
    """A yes/no answer as a cell shows it: "Yes" or "No"."""
    return "Yes" if answer else "No"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise UsageError(
            "Writing an Excel workbook needs openpyxl, which is not installed. Install it with "
            f"`{XLSX_EXTRA}`, or write --format csv instead."
        ) from None
    return openpyxl


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an ``.xlsx`` workbook: a bold, frozen header row, columns as wide as their
    text (within reason), numbers and dates as Excel's own, shares as percentages.

    Text is always text, in every sheet and heading, exactly as typed: a value starting with
    ``=``, ``+``, ``-`` or ``@`` is a text cell (never a formula, and with no ``'`` before it).
    """
    openpyxl = _openpyxl()
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    # Marks the workbook as a report, so that writing the report again may replace it
    # (qaimpact.base.provenance.judge); any other workbook needs --force.
    book.properties.creator = CREATOR
    # Excel records who saved a workbook last: a workbook still "last modified by" qaimpact, when
    # it was made, is one nobody has charted or written in since.
    book.properties.lastModifiedBy = CREATOR
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        widths = [len(c) for c in sheet.columns]
        for col, name in enumerate(sheet.columns, start=1):
            # A heading can be a framework's grade label ("=Outstanding"): text, as every cell.
            header = ws.cell(row=1, column=col)
            workbook_text(header, name)
            header.font = bold
        for r, row in enumerate(sheet.rows, start=2):
            for col, cell_value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=col)
                if isinstance(cell_value, Share):
                    cell.value = cell_value.fraction
                    cell.number_format = "0%"
                    shown = 4
                elif isinstance(cell_value, dt.date):
                    cell.value = cell_value
                    cell.number_format = "yyyy-mm-dd"
                    shown = 10
                elif isinstance(cell_value, bool) or cell_value is None:
                    # As every other answer in a report is written ("Yes", "No"): a cell reads
                    # like the page's, and a filter on it lists one spelling, not two.
                    cell.value = None if cell_value is None else yes_no(cell_value)
                    shown = 3
                elif isinstance(cell_value, int | float):
                    cell.value = cell_value
                    shown = len(str(cell_value))
                else:
                    text = str(cell_value)
                    workbook_text(cell, text)  # never a formula, whatever the audit's text starts with
                    shown = max((len(line) for line in text.splitlines()), default=0)
                if col <= len(widths):
                    widths[col - 1] = max(widths[col - 1], shown)
                else:
                    widths.append(shown)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    # Made now, as saving marks it modified now: however long a big workbook took to build, the
    # two agree, which is how a later --output tells it untouched (qaimpact.base.provenance).
    book.properties.created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    book.save(buffer)
    return buffer.getvalue()
