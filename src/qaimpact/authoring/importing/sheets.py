"""Read a spreadsheet (an Excel workbook or a CSV file) into plain rows of cell values.

Nothing here knows about audits: a :class:`Table` is a sheet's header and rows, with each cell's
row and column, and the findings about the sheet itself (a workbook that cannot be opened,
merged header cells, a formula whose value was never saved, a header that appears twice).

openpyxl is imported only here, and only when a workbook is read: it is an optional extra
(``pip install 'qaimpact[xlsx]'``), and nothing ``validate`` imports may reach it.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import csv
import datetime as dt
import functools
import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from qaimpact.base.codes import diagnostic
from qaimpact.base.errors import UsageError
from qaimpact.base.escaping import csv_text
from qaimpact.base.fileio import FileTooLarge, read_regular
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.listing import and_list
from qaimpact.models.location import CellLocation, Location, column_letter

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
#: What to install when openpyxl is missing.
XLSX_EXTRA = "pip install 'qaimpact[xlsx]'"
#: The values Excel shows for a formula that failed.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_WINDOWS_EPOCH = dt.date(1899, 12, 30)
_MAC_EPOCH = dt.date(1904, 1, 1)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SPACES = re.compile(r"\s+")
#: A line of a CSV file with its end (\r\n, \n or \r), as io.StringIO(newline="") gives them.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: The most XML one part of a workbook (a sheet, its shared strings) may unpack to, and all its
#: parts together. A tracker of 10,000 audits in 60 columns unpacks to about 30 MB (more with
#: long notes); a workbook that unpacks to more is refused before any of it is read (a "zip
#: bomb": a few KB of padding that unpacks to gigabytes). zipfile never unpacks more than a
#: part's stated size, so checking the stated sizes is enough.
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: The longest cell a CSV file may hold (Python's csv module refuses longer ones); Excel's own
#: limit is 32,767 characters.
CSV_FIELD_LIMIT = csv.field_size_limit()
#: A row's cells are held in a tuple, column by column, as far as its last value that follows no
#: more than GAP empty cells; a value further to the right (typed in column XFD, say, or after a
#: CSV line's thousands of commas) is held by its column in :attr:`Table.beyond`. A row costs
#: what its values do, never the distance to the furthest one, and no value is lost.
GAP = 64
#: Column XFD, the last of a worksheet.
LAST_COLUMN = 16384
_NOTHING: Mapping[int, Any] = {}


def header_key(text: str) -> str:
    """How headers compare: ignoring case, and runs of spaces and line breaks."""
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(slots=True)
class Table:
    """One sheet: its header cells and its data rows, as the spreadsheet holds them.

    ``rows`` holds each data row's values (``None`` for an empty cell) and ``row_numbers`` the
    row number of each, as the spreadsheet counts them; ``beyond`` the values of a row that lie
    far to the right of the others (see :data:`GAP`), by row number and column: :meth:`far` and
    :func:`cell_at` read a row's cells wherever they are held. ``formulas`` are the cells, as
    ``(row, column)``, that hold a formula whose value was never saved.

    What the workbook hides is read like the rest (dropping it without a word would be worse),
    and said: ``hidden`` whether the sheet is hidden, ``hidden_rows`` the data rows hidden (by
    Hide or by a filter), ``hidden_columns`` the hidden columns that hold a value in a data row.
    ``hidden_headers`` are the hidden columns that hold a header and no value: a column a QA
    manager stopped using and hid, of which nothing is imported, so nothing is said.
    """

    path: str
    sheet: str | None
    header_row: int
    headers: list[str | None] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    beyond: dict[int, dict[int, Any]] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    #: Excel's first day: day numbers count from it.
    epoch: dt.date = _WINDOWS_EPOCH
    diagnostics: list[Diagnostic] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    hidden_headers: list[int] = field(default_factory=list)

    def far(self, number: int) -> Mapping[int, Any]:
        """The values of row ``number`` held beyond its tuple, by column (most rows have none)."""
        return self.beyond.get(number, _NOTHING)

    def cell(self, row: int, column: int) -> CellLocation:
        """The location of a cell (both 1-based)."""
        return CellLocation(self.path, row, column, self.sheet)

    @property
    def name(self) -> str:
        """The sheet as messages name it: ``tracker.xlsx!Audits`` or ``tracker.csv``."""
        return f"{self.path}!{self.sheet}" if self.sheet is not None else self.path

    def columns_named(self, columns: Sequence[int]) -> str:
        """Columns as messages list them: ``column 'Notes' (F)``, ``columns 'Notes' (F) and H``."""
        names = [
            f"'{self.headers[c - 1]}' ({column_letter(c)})"
            if c <= len(self.headers) and self.headers[c - 1]
            else column_letter(c)
            for c in columns
        ]
        return ("column " if len(names) == 1 else "columns ") + and_list(names)

    def column_name(self, column: int) -> str:
        """A column as messages name it: its header and letter (``'Child seen' (F)``)."""
        header = self.headers[column - 1] if column <= len(self.headers) else None
        letter = column_letter(column)
        return f"'{header}' ({letter})" if header else f"column {letter}"


@dataclass(slots=True)
class Workbook:
    """What a spreadsheet file holds: its sheets' names, and each sheet read on demand."""

    path: str
    sheet_names: list[str]
    tables: dict[str, Table] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The sheets of a CSV file: one, without a name.
    is_csv: bool = False
    #: False when the file could not be read at all (a ``QA601`` says why): it has no sheets to
    #: look for, so nothing more is said about them.
    readable: bool = True


def number_runs(numbers: Sequence[int]) -> str:
    """Numbers in order as a message lists them, three or more in a row as one run:
    ``14, 15, 20 to 480 and 500``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts: list[str] = []
    for run in runs:
        parts += [f"{run[0]} to {run[-1]}"] if len(run) >= 3 else [str(n) for n in run]
    return and_list(parts)


def cell_at(values: Sequence[Any], far: Mapping[int, Any], column: int) -> Any:
    """The value of a row's cell in ``column`` (1-based): from its tuple, or from its far values."""
    return values[column - 1] if column <= len(values) else far.get(column)


def row_cells(values: Sequence[Any], far: Mapping[int, Any]) -> Iterator[tuple[int, Any]]:
    """Each cell of a row that is held, as ``(column, value)``, left to right."""
    yield from enumerate(values, 1)
    yield from sorted(far.items())


def _split(cells: Mapping[int, Any]) -> tuple[tuple[Any, ...], dict[int, Any]]:
    """A row's cells by column (``None``: an empty cell) as its tuple, as far as its last value
    that follows no more than :data:`GAP` empty cells, and its values beyond, by column."""
    columns = [c for c, v in cells.items() if v is not None]
    last = max(columns, default=0)
    if last - len(columns) > GAP:  # more empty cells than GAP: find the first gap wider than it
        columns.sort()
        reach = 0
        for column in columns:
            if column - reach - 1 > GAP:
                break
            reach = column
        far = {c: cells[c] for c in columns if c > reach}
        last = reach
    else:
        far = {}
    values: list[Any] = [None] * last
    for column, value in cells.items():
        if column <= last:
            values[column - 1] = value
    return tuple(values), far


def excel_day(number: float, epoch: dt.date = _WINDOWS_EPOCH) -> dt.date | None:
    """The date of an Excel day number (``45944`` is 2025-10-14), or ``None`` if it is not one."""
    if isinstance(number, bool) or number != number or not 1 <= number < 2958466:
        return None
    day = int(number)
    if epoch == _WINDOWS_EPOCH:
        if day == 60:  # Excel's 29 February 1900, a day that never was
            return None
        if day < 60:
            day += 1
    return epoch + dt.timedelta(days=day)


def read_spreadsheet(
    path: Path,
    display: str,
    *,
    header_row: int,
    sheets: Sequence[str] | None = None,
    first_only: bool = False,
    width: int = 0,
) -> Workbook:
    """Read the sheets of a workbook (``sheets``; ``None``: every sheet, or the first) or a CSV file.

    A file that cannot be read gives a workbook with no sheets and a ``QA601`` finding; it never
    raises for bad content. A missing openpyxl is a :class:`UsageError` that says how to install it.

    Each row is as wide as its last cell with a value; ``width`` (the last column the mapping
    names by its letter) is how far merged cells are spread even where no cell has a value.
    Memory and time follow the cells that hold values, never the extent a file states or a
    merged range covers.
    """
    try:
        raw = read_regular(path, MAX_PART_BYTES)[0]
    except FileTooLarge as exc:
        size = f"it is {_megabytes(exc.size)}" if exc.size is not None else "it grew while it was read"
        return _unreadable(
            display,
            f"'{display}' was not read: {size}, more than the "
            f"{_megabytes(MAX_PART_BYTES)} qaimpact reads from one spreadsheet.",
            "Check that it is the tracker you meant: a spreadsheet of audits is far smaller. Copy "
            "the rows of audits (with their header) into a new file, and import that.",
        )
    except OSError as exc:
        return _unreadable(display, f"'{display}' could not be read: {exc.strerror or exc}.", "")
    suffix = path.suffix.lower()
    if raw.startswith(_OLE_MAGIC):
        return _unreadable(
            display,
            f"'{display}' is a workbook protected by a password to open (so its contents are "
            "encrypted), or an old .xls workbook.",
            "Open it in Excel and save it again without a password (File > Info > Protect Workbook "
            "> Encrypt with Password: clear it) as an Excel Workbook (.xlsx), or save the sheet as "
            "CSV; then import again.",
        )
    if raw.startswith(_ZIP_MAGIC):
        return _read_workbook(
            raw, display, header_row=header_row, sheets=sheets, first_only=first_only, width=width
        )
    if suffix in XLSX_SUFFIXES:
        return _not_a_workbook(raw, display, suffix)
    return _read_csv(raw, display, header_row=header_row)


def _not_a_workbook(raw: bytes, display: str, suffix: str) -> Workbook:
    """A file named as a workbook that is not one: empty, a CSV file renamed, or damaged."""
    if not raw.strip():
        return _unreadable(
            display,
            f"'{display}' is empty ({len(raw)} bytes): it holds no workbook.",
            "Save the sheet from Excel again (File > Save As > Excel Workbook), and import that file.",
        )
    head = raw[:4096]
    text = _utf16(raw)  # Excel's "Unicode Text", renamed
    if not text and b"\0" not in head:
        try:
            head.decode("utf-8")
            text = True
        except UnicodeDecodeError as exc:
            text = exc.start > len(head) - 4  # a character cut off at the end of the sample
    if text:
        return _unreadable(
            display,
            f"'{display}' is a text file (a CSV file, it seems) named {suffix}, not an Excel workbook.",
            f"Rename it to end in .csv instead of {suffix}, and import it again.",
        )
    return _unreadable(
        display,
        f"'{display}' is not an Excel workbook: it is damaged, or another kind of file named {suffix}.",
        "Open it in Excel and save it again as an Excel Workbook (.xlsx), or save the sheet as CSV, "
        "then import again.",
    )


def _unreadable(display: str, message: str, hint: str) -> Workbook:
    return Workbook(
        display,
        [],
        readable=False,
        diagnostics=[
            diagnostic(
                "QA601",
                Location(display),
                message,
                hint or "Check that it is an Excel workbook (.xlsx) or a CSV file, and that you can open it.",
            )
        ],
    )


# -- CSV ---------------------------------------------------------------------------------------


def _read_csv(raw: bytes, display: str, *, header_row: int) -> Workbook:
    if _utf16(raw):
        # Excel's "Unicode Text (*.txt)" writes UTF-16 with its byte order mark, a tab between
        # cells (the sniffing below finds it): the one text Excel writes that holds zero bytes.
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return _unreadable(
                display,
                f"'{display}' starts as UTF-16 text (Excel's 'Unicode Text'), but is cut short or "
                "damaged further on.",
                "Save the sheet from Excel again, as 'CSV UTF-8 (Comma delimited)' or as an Excel "
                "Workbook (.xlsx), and import that file.",
            )
        return _read_text(text, display, header_row=header_row)
    if b"\0" in raw[:4096]:
        return _unreadable(
            display,
            f"'{display}' is not text: it holds bytes that no CSV file holds.",
            "Save the sheet from Excel as 'CSV UTF-8 (Comma delimited)' or as an Excel Workbook "
            "(.xlsx), and import that file.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV (Comma delimited)" on Windows writes Windows-1252, not UTF-8.
        text = raw.decode("cp1252", errors="replace")
    return _read_text(text, display, header_row=header_row)


def _utf16(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-16 text as Excel's "Unicode Text" writes it: its byte order mark,
    then the zero bytes every letter of a Latin alphabet, tab or line break holds in UTF-16.
    UTF-32's marks start with UTF-16's and are not it; nor is a mark before UTF-8 text, which
    reads as it did."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\0" in raw[2:4096]


def _read_text(text: str, display: str, *, header_row: int) -> Workbook:
    """The one sheet of a CSV file's text, its delimiter found from its first 64 KiB."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:65536], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = Table(display, None, header_row)
    # Each line is kept as its cells with text, by column, as it is read: a line of thousands of
    # commas costs no more than its values. A cell that starts like a formula is written with a '
    # before it, so that no spreadsheet runs it (as `qaimpact export` and the reports write CSV):
    # it is read as the text it was.
    records: list[tuple[int, tuple[Any, ...], dict[int, Any]]] = []
    row = 0
    try:
        # The lines are cut from the text as they are read (io.StringIO would copy the whole text
        # again, at four bytes a character).
        lines = (line.group() for line in _LINE.finditer(text))
        for row, record in enumerate(csv.reader(lines, dialect), 1):
            cells = {n: own for n, c in enumerate(record, 1) if c.strip() and (own := csv_text(c)).strip()}
            records.append((row, *_split(cells)))
    except csv.Error as exc:
        row += 1
        if "field larger than field limit" in str(exc):
            return _unreadable(
                display,
                f"Row {row} of '{display}' has a cell longer than {CSV_FIELD_LIMIT:,} characters, "
                "so the file was not read (Excel holds at most 32,767 in a cell).",
                'If a cell in that row opens a quote (") it never closes, the rest of the file is '
                "read as one cell: close the quote. Otherwise shorten the cell (keep long notes in "
                "the case record), save the file, and import again.",
            )
        return _unreadable(
            display,
            f"Row {row} of '{display}' cannot be read as CSV: {exc}.",
            "Open the file in Excel, check that row, save it as 'CSV UTF-8 (Comma delimited)', and "
            "import again.",
        )
    _fill(table, records)
    return Workbook(display, [""], {"": table}, is_csv=True)


# -- Excel workbooks -----------------------------------------------------------------------------


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise UsageError(
            "Reading Excel workbooks needs openpyxl, which is not installed. Install it with "
            f"`{XLSX_EXTRA}` (or save the sheet as CSV), then run the import again."
        ) from None
    return openpyxl


def _read_workbook(
    raw: bytes,
    display: str,
    *,
    header_row: int,
    sheets: Sequence[str] | None,
    first_only: bool,
    width: int = 0,
) -> Workbook:
    openpyxl = _openpyxl()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            too_big = _too_big(archive, display)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        return _damaged(display)
    if too_big is not None:
        return too_big
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not keep (data validation, styles)
            # and about a date too large for Python (whose value becomes '#VALUE!'): the rows
            # are checked instead, so its warnings would only repeat or precede our findings.
            warnings.simplefilter("ignore")
            # Read-only mode streams each sheet's cells without building a cell object for each
            # (about a third faster than a full load): it reports no merged cells, so those are
            # read from the sheets' XML alongside the formulas that have no saved value.
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                names = [ws.title for ws in book.worksheets]
                epoch = (
                    _MAC_EPOCH
                    if getattr(book, "epoch", None) is not None and book.epoch.year == 1904
                    else None
                )
                wanted = [
                    ws
                    for index, ws in enumerate(book.worksheets)
                    if not ((sheets is not None and ws.title not in sheets) or (first_only and index > 0))
                ]
                parts = _sheet_xml(raw, {ws.title for ws in wanted})
                read = [
                    (ws.title, ws.sheet_state, *_sheet_rows(book, ws, parts.merges.get(ws.title, [])))
                    for ws in wanted
                ]
            finally:
                book.close()
    except zipfile.BadZipFile:
        return _damaged(display)
    except _OverlappingMerges as exc:
        return _unreadable(
            display,
            f"'{display}' was not read: the {exc.merges:,} merged ranges of the sheet '{exc.title}' cover "
            f"its rows {exc.covers:,} times, for {exc.held:,} cells: merged ranges that Excel saves never "
            "overlap like this.",
            "Open the workbook in Excel and save it again (Excel repairs overlapping merged cells), or "
            "unmerge the cells (select the sheet, then Home > Merge & Center); then import again.",
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file: each means "unreadable"
        return _unreadable(
            display,
            f"'{display}' is not an Excel workbook that can be read ({exc.__class__.__name__}: {exc}).",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx), or save the sheet as "
            "CSV, then import again.",
        )
    workbook = Workbook(display, names)
    for title, state, rows, hidden in read:
        table = Table(display, title, header_row, epoch=epoch or _WINDOWS_EPOCH)
        table.formulas = parts.formulas.get(title, set())
        _fill(table, iter(rows), merged=parts.merges.get(title, []), width=width)
        # "hidden", or "veryHidden" (hidden so that only a macro or the file can show it again).
        table.hidden = state not in (None, "visible")
        if hidden.rows:
            table.hidden_rows = [n for n in table.row_numbers if n in hidden.rows]
        table.hidden_columns, table.hidden_headers = _held(table, hidden.columns)
        workbook.tables[title] = table
    return workbook


@dataclass(frozen=True, slots=True)
class _Hidden:
    """The rows a sheet hides (by number) and the ranges of columns, ``(first, last)``."""

    rows: frozenset[int] = frozenset()
    columns: tuple[tuple[int, int], ...] = ()


def _true(value: str | None) -> bool:
    """Whether an XML attribute such as ``hidden`` is true (``1`` or ``true``)."""
    return value is not None and value.strip().lower() in ("1", "true")


def _hidden(parser: Any) -> _Hidden:
    """What a sheet hides, from what openpyxl's parser kept of its rows' and columns' attributes
    while it read the cells (nothing more is read: a sheet that hides nothing costs nothing)."""
    rows = frozenset(int(n) for n, attrs in parser.row_dimensions.items() if _true(attrs.get("hidden")))
    columns = []
    for attrs in parser.column_dimensions.values():
        if _true(attrs.get("hidden")):
            with contextlib.suppress(KeyError, ValueError):
                first = int(attrs["min"])
                columns.append((first, int(attrs.get("max", first))))
    return _Hidden(rows, tuple(sorted(columns)))


def _held(table: Table, ranges: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The columns of ``ranges`` that hold a value in a data row, and those that hold a header
    and no value.

    Each row is looked at only as far as its own cells, and the header only at its headers, so
    that a file hiding every column thousands of times over, or a header typed in column XFD
    above hidden columns, costs no more than its cells.
    """
    if not ranges:
        return [], []
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    starts = [first for first, _ in merged]

    def hidden(column: int) -> bool:
        at = bisect.bisect_right(starts, column) - 1
        return at >= 0 and column <= merged[at][1]

    width = max((len(values) for values in table.rows), default=0)
    columns = [c for first, last in merged for c in range(max(first, 1), min(last, width) + 1)]
    held: set[int] = set()
    for values in table.rows:
        held.update(c for c in columns[: bisect.bisect_right(columns, len(values))] if _filled(values[c - 1]))
    for far in table.beyond.values():
        held.update(c for c, value in far.items() if hidden(c) and _filled(value))
    headed = [c for c, name in enumerate(table.headers, 1) if name is not None and hidden(c)]
    return sorted(held), [c for c in headed if c not in held]


def _filled(value: Any) -> bool:
    """Whether a cell holds something to import (a cell of spaces holds nothing)."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def _damaged(display: str) -> Workbook:
    return _unreadable(
        display,
        f"'{display}' is damaged or incomplete: it is not a whole Excel workbook.",
        "It may have been cut short while it was copied or downloaded: copy it again, or open it in "
        "Excel and save it again as an Excel Workbook (.xlsx); then import again.",
    )


def _too_big(archive: zipfile.ZipFile, display: str) -> Workbook | None:
    """A workbook whose parts unpack to more than qaimpact reads (checked before any is read).

    The sizes are those the package states: zipfile never unpacks a part to more than its stated
    size (a part that holds more is a damaged file when it is read), so they can be trusted.
    """
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    biggest = max(infos, key=lambda info: info.file_size, default=None)
    if biggest is None:
        return None
    if biggest.file_size > MAX_PART_BYTES:
        what = f"the part {biggest.filename}"
        with contextlib.suppress(Exception):  # name the sheet when the package says which it is
            title = next(t for t, part in _sheet_parts(archive) if part == biggest.filename)
            what = f"the sheet '{title}'"
        return _unreadable(
            display,
            f"'{display}' was not read: {what} unpacks to {_megabytes(biggest.file_size)}, more than "
            f"the {_megabytes(MAX_PART_BYTES)} qaimpact reads from one sheet.",
            _TOO_BIG_HINT,
        )
    if total > MAX_UNPACKED_BYTES:
        return _unreadable(
            display,
            f"'{display}' was not read: it unpacks to {_megabytes(total)}, more than the "
            f"{_megabytes(MAX_UNPACKED_BYTES)} qaimpact reads from one workbook.",
            _TOO_BIG_HINT,
        )
    return None


_TOO_BIG_HINT = (
    "A sheet of audits is far smaller: the file is damaged, or holds something else. Open it in "
    "Excel, copy the rows of audits (with their header) into a new workbook, save that, and import it."
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _sheet_rows(
    book: Any, ws: Any, merged: Sequence[tuple[int, int, int, int]]
) -> tuple[list[tuple[int, tuple[Any, ...], dict[int, Any]]], _Hidden]:
    """A read-only sheet's numbered rows: each row that holds a cell, as wide as its last value
    (and its values far beyond the others apart: see :data:`GAP`); and what the sheet hides.

    As Excel shows them, the cells a merge covers (all but its top-left one) are empty, whatever
    the file holds there. A sheet without a single cell has no rows. Neither the ``<dimension>``
    a file states (some programs write it wrong) nor the extent of a merge makes a row or a
    cell: only the cells the file holds do, so a merge over the whole sheet, or a cell in the
    last row, or a value in column XFD on every row, costs no more than the cells themselves.
    """
    cells, hidden = _streamed_rows(book, ws)
    numbers = sorted(cells)
    # Each merge costs the rows it covers (here, and when its value is spread): merges Excel
    # saves never overlap, so a row meets about as many as it has cells. Thousands of merges
    # over the same rows (a few KB of XML) would each cost every row.
    covers = sum(bisect.bisect_right(numbers, b[3]) - bisect.bisect_left(numbers, b[1]) for b in merged)
    held = sum(len(row) for row in cells.values())
    if covers > MERGE_COST * held + MERGE_ALLOWANCE:
        raise _OverlappingMerges(ws.title, len(merged), covers, held)
    for min_col, min_row, max_col, max_row in merged:
        for number in numbers[bisect.bisect_left(numbers, min_row) : bisect.bisect_right(numbers, max_row)]:
            row = cells[number]
            for col in [c for c in row if min_col <= c <= max_col and (number, c) != (min_row, min_col)]:
                del row[col]
    return [(number, *_split(cells[number])) for number in numbers], hidden


#: How many times over the merged ranges of a sheet may cover its rows, for each cell it holds,
#: and beyond that (see :func:`_sheet_rows`).
MERGE_COST = 4
MERGE_ALLOWANCE = 100_000


class _OverlappingMerges(Exception):
    def __init__(self, title: str, merges: int, covers: int, held: int) -> None:
        super().__init__(title)
        self.title, self.merges, self.covers, self.held = title, merges, covers, held


def _streamed_rows(book: Any, ws: Any) -> tuple[dict[int, dict[int, Any]], _Hidden]:
    """Each row that holds a cell, and its cells by column, as read-only mode gives them; and
    the rows and columns the sheet hides.

    This is ``ws.iter_rows(values_only=True)`` of a read-only sheet with no stated size, with
    openpyxl's own sheet parser, but with a quicker path for the commonest cell of a tracker, a
    plain inline string: openpyxl builds a rich-text object for each (half of the reading time).
    It uses openpyxl's parser and the read-only sheet's source (not public API): the tests pin
    the values read, and CI runs them on the lowest openpyxl allowed and the newest.
    """
    rows: dict[int, dict[int, Any]] = {}
    with ws._get_source() as source:
        parser = _quick_parser()(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            # Rows and cells are placed where they say they are, in whatever order the file
            # writes them, and a cell written twice keeps its last value, as a full load does
            # (Excel writes them in order; other tools need not, and read-only mode would drop
            # a row or cell out of order without a word).
            if number < 1 or not cells:
                continue
            values = rows.get(number)
            if values is None:
                values = rows[number] = {}
            for cell in cells:
                column = cell["column"]
                if column >= 1:
                    values[column] = cell["value"]
        hidden = _hidden(parser)
    return rows, hidden


@functools.cache
def _quick_parser() -> Any:
    """openpyxl's sheet parser, reading a plain inline string (``<is><t>text</t></is>``) directly."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import WorkSheetParser

    inline, text_tag = f"{{{_MAIN_NS}}}is", f"{{{_MAIN_NS}}}t"

    class QuickParser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> Any:
            if element.get("t") == "inlineStr":
                child = element.find(inline)
                # Anything but one <t> with text only (rich text, phonetic runs) goes the long way.
                if child is not None and len(child) == 1 and not child.attrib:
                    text = child[0]
                    if text.tag == text_tag and len(text) == 0:
                        return self._inline(element, "" if text.text is None else text.text)
            return super().parse_cell(element)

        def _inline(self, element: Any, value: str) -> dict[str, Any]:
            # What WorkSheetParser.parse_cell returns for an inline string, field for field.
            coordinate = element.get("r")
            style_id: Any = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": style_id}

    return QuickParser


@dataclass(slots=True)
class _SheetXml:
    """What is read from the sheets' XML itself: formulas with no saved value, merged cells."""

    formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    #: Each merge's bounds, as ``(min_col, min_row, max_col, max_row)``.
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


_MERGE_REF = re.compile(rb"""<(?:\w+:)?mergeCell\s[^>]*?\bref\s*=\s*(["'])(.*?)\1""")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
#: How much of a sheet's XML is looked through at a time, and how much of each piece is looked
#: through again with the next (so that an element cut in two between pieces is found whole).
_CHUNK = 1024 * 1024
_OVERLAP = 4096


def _sheet_xml(raw: bytes, titles: set[str]) -> _SheetXml:
    """The cells of each sheet that hold a formula with no saved value, and its merged cells.

    openpyxl gives either a cell's formula or its saved value, never whether a formula had a
    value, and in read-only mode no merged cells, so the sheets' XML is read for those, a piece
    at a time (never whole); formulas are parsed only when the sheet holds one at all.
    """
    from openpyxl.worksheet.cell_range import CellRange

    found = _SheetXml()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        try:
            parts = list(_sheet_parts(archive))
        except (KeyError, ElementTree.ParseError):
            return found  # openpyxl read the workbook: these checks are best effort on odd packages
        for title, part in parts:
            if title not in titles:
                continue
            # A full load keeps each merge once, whatever the file repeats.
            bounds: dict[tuple[int, int, int, int], None] = {}
            formulas = False
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(_CHUNK):
                    data = tail + chunk
                    if b"mergeCell" in data:
                        refs = _MERGE_REF.findall(data)
                        bounds.update((CellRange(ref.decode()).bounds, None) for _, ref in refs)
                    formulas = formulas or _FORMULA.search(data) is not None
                    tail = data[-_OVERLAP:]
            if bounds:
                found.merges[title] = list(bounds)
            if formulas:
                with contextlib.suppress(ElementTree.ParseError), archive.open(part) as stream:
                    found.formulas[title] = _formula_cells(stream)  # best effort, as above
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """Each sheet's title and the name of its XML part in the package."""
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    for element in book.iter():
        if not element.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        yield element.get("name", ""), part


def _formula_cells(stream: IO[bytes]) -> set[tuple[int, int]]:
    from openpyxl.utils.cell import coordinate_to_tuple

    cells: set[tuple[int, int]] = set()
    for _, element in ElementTree.iterparse(stream):
        if element.tag.endswith("}c") or element.tag == "c":
            formula = value = None
            for child in element:
                if child.tag.endswith("}f") or child.tag == "f":
                    formula = child
                elif child.tag.endswith("}v") or child.tag == "v" or child.tag.endswith("}is"):
                    value = child
            if formula is not None and (value is None or not (value.text or "").strip()):
                ref = element.get("r")
                if ref:
                    cells.add(coordinate_to_tuple(ref))
            element.clear()
        elif element.tag.endswith("}row") or element.tag == "row":
            element.clear()  # a row read is let go: memory stays flat however long the sheet
    return cells


# -- Both ----------------------------------------------------------------------------------------


def _fill(
    table: Table,
    numbered: Iterable[tuple[int, tuple[Any, ...], dict[int, Any]]],
    merged: Sequence[tuple[int, int, int, int]] = (),
    width: int = 0,
) -> None:
    """Take the header and the data rows from numbered rows (in order: each row's tuple and its
    values beyond it); report merges and duplicate headers.

    A merge is spread only over the rows there are, and only as far right as the widest row's
    tuple (or ``width``), and to the columns beyond that have a header: no other cell is read,
    so a merge over a whole row or sheet costs no more than one over the cells it covers that
    hold values.
    """
    header: list[Any] = []
    rows: list[tuple[int, list[Any], dict[int, Any]]] = []
    extent = width
    for number, values, far in numbered:
        extent = max(extent, len(values))
        if number < table.header_row:
            continue
        if number == table.header_row:
            # The header is one row: held whole, as far as its last value.
            header = [*values, *[None] * (max(far, default=0) - len(values))]
            for col, value in far.items():
                header[col - 1] = value
            continue
        rows.append((number, list(values), far))
    table.headers = [None if v is None or not str(v).strip() else " ".join(str(v).split()) for v in header]
    # The columns with a header beyond every row's tuple: a merge gives them its value too.
    headed = [c for c in range(extent + 1, len(table.headers) + 1) if table.headers[c - 1] is not None]
    numbers = [number for number, _, _ in rows]
    for min_col, min_row, max_col, max_row in sorted(merged, key=lambda b: (b[1], b[0])):
        span = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"
        if min_row <= table.header_row <= max_row:
            covered = [column_letter(c) for c in range(min_col + 1, min(max_col, max(extent, min_col)) + 1)]
            table.diagnostics.append(
                diagnostic(
                    "QA602",
                    table.cell(table.header_row, min_col),
                    f"Header cells {span} are merged, so "
                    + (
                        f"column{'s' if len(covered) > 1 else ''} {', '.join(covered)} "
                        f"{'have' if len(covered) > 1 else 'has'} no header of its own."
                        if covered
                        else "the header row is part of a merged block."
                    ),
                    "Unmerge the cells (Home > Merge & Center) and give each column its own header, or "
                    "set 'header_row:' in the mapping to the row that has one header per column.",
                )
            )
        elif max_row > table.header_row:
            first = bisect.bisect_left(numbers, max(min_row, table.header_row + 1))
            last = bisect.bisect_right(numbers, max_row)
            top = rows[first] if first < len(rows) and numbers[first] == min_row else None
            value = cell_at(top[1], top[2], min_col) if top is not None else None
            right = min(max_col, extent)
            beyond = headed[
                bisect.bisect_left(headed, max(min_col, right + 1)) : bisect.bisect_right(headed, max_col)
            ]
            for _, spread, far in rows[first:last]:
                if min_col <= right:
                    if len(spread) < right:
                        spread.extend([None] * (right - len(spread)))
                        for col in [c for c in far if c <= right]:
                            spread[col - 1] = far.pop(col)
                    spread[min_col - 1 : right] = [value] * (right - min_col + 1)
                for col in beyond:
                    far[col] = value
            table.diagnostics.append(
                diagnostic(
                    "QA602",
                    table.cell(min_row, min_col),
                    f"Cells {span} are merged; each of its rows gets its value"
                    + (f" ({_brief(value)})." if value is not None else " (it is empty)."),
                    "Check that every row covered should have this value; unmerge the cells to give each "
                    "row its own.",
                    severity=Severity.WARNING,
                )
            )
    seen: dict[str, int] = {}
    for col, name in enumerate(table.headers, 1):
        if name is None:
            continue
        earlier = seen.setdefault(header_key(name), col)
        if earlier != col:
            table.diagnostics.append(
                diagnostic(
                    "QA604",
                    table.cell(table.header_row, col),
                    f"The header '{name}' appears twice in {table.name}: in column "
                    f"{column_letter(earlier)} and column {column_letter(col)}.",
                    "Rename one of the two columns, or name the one you mean by its letter in the "
                    f"mapping ({{column: {column_letter(earlier)}}}).",
                )
            )
    for number, cells, far in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in (*cells, *far.values())):
            continue
        table.rows.append(tuple(cells))
        table.row_numbers.append(number)
        far = {c: v for c, v in far.items() if v is not None}
        if far:
            table.beyond[number] = far
    _far_headers(table)


def _far_headers(table: Table) -> None:
    """A warning at each header that follows more than :data:`GAP` empty cells of the header row.

    Ctrl+Right on an empty row jumps to column XFD, the last of the sheet: a header typed there
    (or far out by another slip) is read like any other, but nobody sees it without scrolling
    thousands of columns, and its values are read under a header the QA team may not know is
    there. The warning says where it is, whether any row has a value under it, and how to fix it.
    """
    far: list[tuple[int, int]] = []  # each such header's column, and the header's before it
    before = 0
    for col, name in enumerate(table.headers, 1):
        if name is not None:
            if col - before - 1 > GAP:
                far.append((col, before))
            before = col
    if not far:
        return
    # The rows with a value under each, found from the cells each row holds (never by looking up
    # every far column in every row).
    under: dict[int, list[int]] = {col: [] for col, _ in far}
    first = far[0][0]
    for values, number in zip(table.rows, table.row_numbers, strict=True):
        for col, value in [*enumerate(values[first - 1 :], first), *table.far(number).items()]:
            if col in under and _filled(value):
                under[col].append(number)
    for col, previous in far:
        name, gap, rows = table.headers[col - 1], col - previous - 1, under[col]
        ref = f"{column_letter(col)}{table.header_row}"
        where = (
            f"is far to the right of the others: {gap:,} empty cells lie between it and the header before "
            f"it ({_brief(table.headers[previous - 1])} in {column_letter(previous)}{table.header_row})"
            if previous
            else f"is far to the right: it is the first header of row {table.header_row}, after {gap:,} "
            "empty cells"
        )
        if rows:
            one = len(rows) == 1
            message = (
                f"The header {_brief(name)} in {ref} {where}. {len(rows):,} row{'' if one else 's'} "
                f"{'has a value' if one else 'have values'} under it (the first in "
                f"{column_letter(col)}{rows[0]}), read under this header, though a column so far "
                "out is easily missed."
            )
            hint = (
                f"If the column belongs to the tracker, move it next to the others (select column "
                f"{column_letter(col)}, Cut, then right-click column {column_letter(previous + 1)} and "
                "choose Insert Cut Cells); if it does not, delete the column. Then save the sheet and "
                "import again."
            )
        else:
            message = (
                f"The header {_brief(name)} in {ref} {where}, and no row has a value under it: it was "
                "typed there by mistake, it seems."
            )
            hint = (
                f"Clear the cell (select {ref} and press Delete"
                + ("; Ctrl+Right on an empty row jumps to this last column" if col == LAST_COLUMN else "")
                + "), save the sheet and import again. If it is meant to head a column, move it next "
                "to the others."
            )
        table.diagnostics.append(diagnostic("QA613", table.cell(table.header_row, col), message, hint))


def _brief(value: Any) -> str:
    text = " ".join(str(value).split())
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"
