"""Hostile spreadsheets for ``qaimpact import``, generated small (for the tests) or full size (for
benchmarks/bench_hostile.py --import).

Each is a few KB that, read naively, costs gigabytes: a merge over the whole sheet, one cell in
the last row and column, a title merged across a whole row, a sheet padded with whitespace that
unpacks to more than the reader takes (a "zip bomb"). The workbooks are written by openpyxl and
then edited as XML, as a program other than Excel could write them (openpyxl itself would build
a cell object for each cell a merge covers).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qaimpact.models.location import column_number

SHEET = "Audits"
SHEET_PART = "xl/worksheets/sheet1.xml"
HEADER = ["Audit", "ECMS", "Law", "FCA", "Auditor", "Date", "CS", "CE", "EC", "IA", "CR", "CP", "TU", "RQ"]
#: The mapping that reads HEADER (cafcass-qiam-2017), with the sheet named.
MAPPING = """\
standards: cafcass-qiam-2017
sheets: [Audits]
header_row: 2
columns:
  audit_id: Audit
  case.ecms_number: ECMS
  case.law_type: Law
  practitioner: FCA
  reviewer: Auditor
  review_date: Date
  impact.child_seen.rating: CS
  impact.child_experience.rating: CE
  impact.enabled_to_choose.rating: EC
  impact.impact_analysis.rating: IA
  compliance.case_recording.rating: CR
  compliance.case_planning.rating: CP
  compliance.tools_uploaded.rating: TU
  compliance.report_quality.rating: RQ
"""


def audit_row(n: int) -> list[str]:
    return [f"A-{n}", f"ECMS-{n}", "private", "Jo Bloggs", "Sam Reid", "2025-03-04", *["good"] * 8]


def workbook(
    path: Path,
    rows: int = 2,
    *,
    merges: Sequence[str] = (),
    cells: dict[str, Any] | None = None,
    padding: int = 0,
    hidden: str = "",
) -> Path:
    """A tracker: a title in row 1, HEADER in row 2 and ``rows`` audits; then the given merged
    ranges (written into the XML as they are), extra ``cells``, ``padding`` bytes of spaces in
    the sheet's XML (streamed into the package: it is never held whole) and ``hidden`` columns
    (a range such as ``O:XFD``)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(["Fenshire audit tracker"])
    ws.append(HEADER)
    for n in range(1, rows + 1):
        ws.append(audit_row(n))
    for ref, value in (cells or {}).items():
        ws[ref] = value
    plain = path.with_name(path.name + ".tmp")
    book.save(plain)
    with zipfile.ZipFile(plain) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    plain.unlink()
    sheet = parts[SHEET_PART]
    if hidden:
        first, last = (column_number(letters) for letters in hidden.split(":"))
        cols = f'<cols><col min="{first}" max="{last}" width="9" hidden="1"/></cols>'
        sheet = sheet.replace(b"<sheetData>", cols.encode() + b"<sheetData>")
    if merges:
        listed = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
        sheet = sheet.replace(
            b"</sheetData>", f'</sheetData><mergeCells count="{len(merges)}">{listed}</mergeCells>'.encode()
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if name != SHEET_PART:
                out.writestr(name, data)
                continue
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with out.open(info, "w", force_zip64=padding > 0) as stream:
                at = sheet.index(b"<sheetData>") + len(b"<sheetData>")
                stream.write(sheet[:at])
                chunk = b" " * (1 << 20)
                left = padding
                while left > 0:
                    stream.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
                stream.write(sheet[at:])
    return path


def whole_sheet_merge(path: Path) -> Path:
    """Two audits and one merge from row 5 to the last row and column (A5:XFD1048576)."""
    return workbook(path, merges=["A5:XFD1048576"])


def far_cell(path: Path) -> Path:
    """Two audits and one cell with a value in the last row and column (XFD1048576)."""
    return workbook(path, cells={"XFD1048576": "x"})


def last_row(path: Path) -> Path:
    """Two audits and a stray value in A1048576 (as a slip of Ctrl+Down and typing gives)."""
    return workbook(path, cells={"A1048576": "end"})


def whole_row_title(path: Path, rows: int = 200) -> Path:
    """A title merged across the whole of row 1 (A1:XFD1, what Merge & Center on a selected row
    gives) above ``rows`` audits."""
    return workbook(path, rows, merges=["A1:XFD1"])


#: Column XFD, the last of a worksheet (Excel has 16,384 columns).
LAST_COLUMN = 16384


def far_column(path: Path, rows: int = 200) -> Path:
    """``rows`` audits, each with a note typed in column XFD (the last), far from the others."""
    return workbook(path, rows, cells={f"XFD{n + 2}": f"Note {n}" for n in range(1, rows + 1)})


def far_header_over_hidden_columns(path: Path, rows: int = 200) -> Path:
    """``rows`` audits, columns O to XFD hidden (as trackers hide the unused columns to their
    right) and a header typed in XFD2 (where Ctrl+Right on an empty row lands)."""
    return workbook(path, rows, cells={"XFD2": "Status"}, hidden="O:XFD")


def far_column_csv(path: Path, rows: int = 200) -> Path:
    """The same as CSV: a title line, HEADER, and ``rows`` audits each with a note in column
    16,384 (16,383 commas on each line, most of them between empty cells)."""
    gap = [""] * (LAST_COLUMN - len(HEADER) - 1)
    lines = ["Fenshire audit tracker", ",".join(HEADER)]
    lines += [",".join([*audit_row(n), *gap, f"Note {n}"]) for n in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bomb(path: Path, padding: int) -> Path:
    """Two audits in a sheet whose XML is padded with ``padding`` bytes of spaces."""
    return workbook(path, padding=padding)
