"""Hostile spreadsheets: a few KB that, read naively, cost gigabytes; and files that are no
spreadsheet at all. Each is read promptly into the rows it holds, or refused with one clear
finding (what is wrong, where, what to do), and nothing more is said about a file not read.

Memory is not measured here: the reader returning its rows (a merge over the whole sheet spread
over the two rows there are, a row as wide as its last value) is the evidence that it never
built the million rows or the 16,384 columns a file names. The workbooks are generated
(tests/hostile_sheets.py); benchmarks/bench_hostile.py --import times the full-size ones.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import hostile_sheets as hs
from conftest import Run
from qaimpact.authoring.importing import sheets
from qaimpact.authoring.importing.sheets import read_spreadsheet
from qaimpact.models.location import column_letter, column_number


def finding_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("    hint:")]


def hints(stderr: str) -> list[str]:
    return [line.removeprefix("    hint: ") for line in stderr.splitlines() if line.startswith("    hint:")]


def import_dry_run(cli: Callable[..., Run], tmp_path: Path, sheet: Path, expect: int = 0) -> Run:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(hs.MAPPING, encoding="utf-8")
    return cli(
        "import", sheet, "--mapping", mapping, "--audits", tmp_path / "a", "--dry-run", "-j1", expect=expect
    )


AUDITS = [tuple(hs.audit_row(n)) for n in (1, 2)]


def test_a_merge_over_the_whole_sheet_covers_only_the_rows_there_are(tmp_path: Path) -> None:
    """Regression: a merge A5:XFD1048576 made the reader pad 1,048,572 rows to 16,384 columns
    (2.9 GB, then a MemoryError reported as an unreadable workbook)."""
    book = hs.whole_sheet_merge(tmp_path / "merge.xlsx")
    workbook = read_spreadsheet(book, "merge.xlsx", header_row=2)
    table = workbook.tables["Audits"]
    assert workbook.diagnostics == []
    assert table.rows == AUDITS
    assert table.row_numbers == [3, 4]
    assert [(str(d.location), d.code, d.message) for d in table.diagnostics] == [
        (
            "merge.xlsx!Audits!A5",
            "QA602",
            "Cells A5:XFD1048576 are merged; each of its rows gets its value (it is empty).",
        )
    ]


@pytest.mark.parametrize(
    ("make", "row", "beyond"),
    [
        (hs.far_cell, (), {1048576: {16384: "x"}}),
        (hs.last_row, ("end",), {}),
    ],
    ids=["cell-in-XFD1048576", "stray-cell-in-A1048576"],
)
def test_a_cell_in_the_last_row_is_one_row_of_its_value(
    tmp_path: Path, make: Callable[[Path], Path], row: tuple[str, ...], beyond: dict[int, dict[int, str]]
) -> None:
    """Regression: one cell in row 1,048,576 made the reader build every row before it (730 MB;
    2.9 GB and a MemoryError when the cell was in column XFD). A value far to the right of the
    others is held by its column, not at the end of a row of 16,383 empty cells."""
    table = read_spreadsheet(make(tmp_path / "far.xlsx"), "far.xlsx", header_row=2).tables["Audits"]
    assert table.headers == hs.HEADER
    assert table.rows == [*AUDITS, row]
    assert table.row_numbers == [3, 4, 1048576]
    assert table.beyond == beyond
    assert table.diagnostics == []


def test_a_title_merged_across_the_whole_row_is_read_as_wide_as_the_data(tmp_path: Path) -> None:
    """Regression: a title merged across A1:XFD1 (Merge & Center on a selected row) padded every
    row of the sheet to 16,384 columns (3,000 rows: 53 s, 1.24 GB)."""
    book = hs.whole_row_title(tmp_path / "title.xlsx", rows=200)
    table = read_spreadsheet(book, "title.xlsx", header_row=2).tables["Audits"]
    assert len(table.rows) == 200
    assert {len(row) for row in table.rows} == {len(hs.HEADER)}
    assert table.diagnostics == []
    # Read with the title as the header row (as --scaffold-mapping tries first), the merge is
    # reported over the columns that are read, not the 16,383 it covers.
    table = read_spreadsheet(book, "title.xlsx", header_row=1).tables["Audits"]
    assert [(str(d.location), d.message) for d in table.diagnostics] == [
        (
            "title.xlsx!Audits!A1",
            "Header cells A1:XFD1 are merged, so columns B, C, D, E, F, G, H, I, J, K, L, M, N have no "
            "header of its own.",
        )
    ]


def test_a_merge_is_spread_as_far_as_a_column_the_mapping_names_by_letter(tmp_path: Path) -> None:
    """Cells merged beyond the last value still give their value to a column the mapping reads."""
    book = hs.workbook(tmp_path / "wide.xlsx", merges=["N3:Q4"])
    narrow = read_spreadsheet(book, "wide.xlsx", header_row=2).tables["Audits"]
    assert [row[13:] for row in narrow.rows] == [("good",), ("good",)]
    wide = read_spreadsheet(book, "wide.xlsx", header_row=2, width=16).tables["Audits"]
    assert [row[13:] for row in wide.rows] == [("good",) * 3, ("good",) * 3]


# -- A value far to the right of the others -----------------------------------------------------

NOTES = {row: {hs.LAST_COLUMN: f"Note {row - 2}"} for row in (3, 4, 5)}


@pytest.mark.parametrize(
    ("make", "name", "sheet"),
    [(hs.far_column, "far.xlsx", "Audits"), (hs.far_column_csv, "far.csv", "")],
    ids=["xlsx", "csv"],
)
def test_a_note_in_column_xfd_on_every_row_is_held_by_its_column(
    tmp_path: Path, make: Callable[[Path, int], Path], name: str, sheet: str
) -> None:
    """Regression: a value in column XFD on each row made each row a tuple of 16,384 cells (3,000
    rows: 1.2 GB and 13 s; as CSV lines of 16,383 commas, 1.3 GB and 19 s of CPU). The rows are as
    wide as the header, and each note is kept at its column."""
    table = read_spreadsheet(make(tmp_path / name, 3), name, header_row=2).tables[sheet]
    assert table.headers == hs.HEADER
    assert table.rows == [tuple(hs.audit_row(n)) for n in (1, 2, 3)]
    assert table.row_numbers == [3, 4, 5]
    assert table.beyond == NOTES
    assert table.diagnostics == []


def sheet_with(folder: Path, suffix: str, cells: dict[str, str]) -> Path:
    """Two audits (HEADER in row 2) and the given cells, as a workbook or as CSV."""
    if suffix == ".xlsx":
        return hs.workbook(folder / "notes.xlsx", cells=cells)
    lines = [["Fenshire audit tracker"], list(hs.HEADER), hs.audit_row(1), hs.audit_row(2)]
    for ref, value in cells.items():
        letters = ref.rstrip("0123456789")
        line, column = lines[int(ref[len(letters) :]) - 1], column_number(letters)
        line += [""] * (column - len(line))
        line[column - 1] = value
    path = folder / "notes.csv"
    path.write_text("".join(",".join(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _unrecorded(path: Path) -> list[str]:
    """The lines of an imported audit but its record of imported values (for --update)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not re.match(r"# Imported values|#   [0-9a-f.v-]+$", line)]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("column", ["P", "CZ", "XFD"])
def test_a_note_under_no_header_is_kept_in_the_audit_however_far_to_the_right(
    cli: Callable[..., Run], tmp_path: Path, suffix: str, column: str
) -> None:
    """Next to the headers (P), past 88 empty columns (CZ) or in the last column (XFD): a value under no
    header is written into the audit's comments at its cell, the same way."""
    sheet = sheet_with(tmp_path, suffix, {f"{column}3": "Seen with her brother"})
    mapping = tmp_path / "m.yaml"
    mapping.write_text(hs.MAPPING, encoding="utf-8")
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "a", "-j1")
    assert run.stdout.startswith(f"Read 2 rows from {sheet}: 2 audits written,")
    name = f"{sheet}!Audits" if suffix == ".xlsx" else str(sheet)
    assert _unrecorded(tmp_path / "a" / "A-1.yaml")[:4] == [
        f"# Imported by `qaimpact import` from {name}, row 3.",
        "# Cells the mapping does not use:",
        f"#   {column}3: Seen with her brother",
        "standards: cafcass-qiam-2017",
    ]
    assert _unrecorded(tmp_path / "a" / "A-2.yaml")[:2] == [
        f"# Imported by `qaimpact import` from {name}, row 4.",
        "standards: cafcass-qiam-2017",
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_column_headed_far_to_the_right_is_read_by_its_header(
    cli: Callable[..., Run], tmp_path: Path, suffix: str
) -> None:
    """A header in column XFD names its column: the mapping skips the rows it marks, and the
    other rows keep its cell in their comments under the header."""
    sheet = sheet_with(tmp_path, suffix, {"XFD2": "Status", "XFD3": "Open", "XFD4": "Withdrawn"})
    mapping = tmp_path / "m.yaml"
    mapping.write_text(hs.MAPPING + "skip_when:\n  Status: [Withdrawn]\n", encoding="utf-8")
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "a", "-j1")
    assert run.stdout.startswith(
        f"Read 2 rows from {sheet}: 1 audit written, 0 unchanged, 1 skipped by the mapping, 0 with errors."
    )
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["A-1.yaml"]
    assert (tmp_path / "a" / "A-1.yaml").read_text(encoding="utf-8").splitlines()[1:3] == [
        "# Cells the mapping does not use:",
        "#   Status (XFD3): Open",
    ]


# -- A header far to the right of the others ----------------------------------------------------
#
# Ctrl+Right on an empty row lands in column XFD, the last of the sheet: a header typed there is
# read like any other, but nobody sees it. Regression: it was read without a word (with no value
# under it, or values read under a header nobody knew was there).

FAR_HEADER = (
    "The header 'Status' in XFD2 is far to the right of the others: 16,369 empty cells lie between it and "
    "the header before it ('RQ' in N2)"
)
#: What is said of a header with no value under it, and how to fix it.
TYPED_BY_MISTAKE = (
    FAR_HEADER + ", and no row has a value under it: it was typed there by mistake, it seems.",
    "Clear the cell (select XFD2 and press Delete; Ctrl+Right on an empty row jumps to this last "
    "column), save the sheet and import again. If it is meant to head a column, move it next to the "
    "others.",
)
#: And of one with values under it.
READ_UNDER_IT = (
    FAR_HEADER + ". 2 rows have values under it (the first in XFD3), read under this header, though a "
    "column so far out is easily missed.",
    "If the column belongs to the tracker, move it next to the others (select column XFD, Cut, then "
    "right-click column O and choose Insert Cut Cells); if it does not, delete the column. Then save the "
    "sheet and import again.",
)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize(
    ("cells", "said"),
    [
        ({"XFD2": "Status"}, TYPED_BY_MISTAKE),
        ({"XFD2": "Status", "XFD3": "Open", "XFD4": "Withdrawn"}, READ_UNDER_IT),
        # A cell of spaces is no value.
        ({"XFD2": "Status", "XFD3": "  "}, TYPED_BY_MISTAKE),
    ],
    ids=["header-alone", "values-under-it", "spaces-under-it"],
)
def test_a_header_in_column_xfd_is_a_warning_at_its_cell(
    cli: Callable[..., Run], tmp_path: Path, suffix: str, cells: dict[str, str], said: tuple[str, str]
) -> None:
    sheet = sheet_with(tmp_path, suffix, cells)
    run = import_dry_run(cli, tmp_path, sheet)  # a warning: the audits are still imported
    where = f"{sheet}!Audits!XFD2" if suffix == ".xlsx" else f"{sheet}!XFD2"
    assert finding_lines(run.stderr) == [f"{where}: warning QA613 {said[0]}"]
    assert hints(run.stderr) == [said[1]]
    assert "Traceback" not in run.stderr
    assert run.stdout.startswith(f"Dry run, nothing was written. Read 2 rows from {sheet}: 2 audits would be")


def _headers(folder: Path, cells: dict[str, str]) -> Path:
    """A sheet whose header is row 1 (the given cells) above one row of values, A2 and B2."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Audits"
    for ref, value in {**cells, "A2": "A-1", "B2": "Jo Bloggs"}.items():
        sheet[ref] = value
    book.save(folder / "headers.xlsx")
    return folder / "headers.xlsx"


def far(name: str, cell: str, gap: str, before: str) -> tuple[str, str]:
    """A header far from the one before it, with no value under it: its cell and its message."""
    return (
        cell,
        f"The header '{name}' in {cell} is far to the right of the others: {gap} empty cells lie between "
        f"it and the header before it ({before}), and no row has a value under it: it was typed there by "
        "mistake, it seems.",
    )


@pytest.mark.parametrize(
    ("cells", "found"),
    [
        (
            {"A1": "Audit", "B1": "Worker", "XFD1": "Status"},
            [far("Status", "XFD1", "16,381", "'Worker' in B1")],
        ),
        # Only a header past more than 64 empty cells is far: 64 lie between A and BN, 65 between A and BO.
        ({"A1": "Audit", "BN1": "Notes"}, []),
        ({"A1": "Audit", "BO1": "Notes"}, [far("Notes", "BO1", "65", "'Audit' in A1")]),
        # Each header far from the one before it, and only those: XFB is next to XFA.
        (
            {"A1": "Audit", "CZ1": "Notes", "XFA1": "Old", "XFB1": "Older"},
            [far("Notes", "CZ1", "102", "'Audit' in A1"), far("Old", "XFA1", "16,276", "'Notes' in CZ1")],
        ),
        # A header row that holds only a header in XFD1 (header_row: names the wrong row, most often).
        (
            {"XFD1": "Status"},
            [
                (
                    "XFD1",
                    "The header 'Status' in XFD1 is far to the right: it is the first header of row 1, after "
                    "16,383 empty cells, and no row has a value under it: it was typed there by mistake, it "
                    "seems.",
                )
            ],
        ),
    ],
    ids=["XFD1", "BN1-near", "BO1-far", "several", "only-XFD1"],
)
def test_a_header_far_from_the_one_before_it_is_found_at_its_cell(
    tmp_path: Path, cells: dict[str, str], found: list[tuple[str, str]]
) -> None:
    table = read_spreadsheet(_headers(tmp_path, cells), "headers.xlsx", header_row=1).tables["Audits"]
    assert [(d.location.cell, d.code, d.severity.value, d.message) for d in table.diagnostics] == [  # type: ignore[attr-defined]
        (cell, "QA613", "warning", message) for cell, message in found
    ]


def test_a_header_in_column_xfd_above_hidden_columns_is_read_at_the_cost_of_its_cells(tmp_path: Path) -> None:
    """Columns O to XFD hidden (as Excel users hide the unused columns right of a tracker) and a
    header typed in XFD2: each row is looked at as far as its own cells, not the 16,384 columns the
    header row reaches (3,000 rows: 2.2 s of CPU before, 0.5 s after, reading alone); the
    header-only column is hidden and holds nothing to import, so it is not one of the hidden
    columns named."""
    book = hs.far_header_over_hidden_columns(tmp_path / "hidden.xlsx")
    table = read_spreadsheet(book, "hidden.xlsx", header_row=2).tables["Audits"]
    assert (table.hidden_columns, table.hidden_headers) == ([], [hs.LAST_COLUMN])
    assert [d.location.cell for d in table.diagnostics] == ["XFD2"]  # type: ignore[attr-defined]


def test_a_merge_gives_its_value_to_a_column_headed_far_to_the_right(tmp_path: Path) -> None:
    """Regression: a header in column XFD made every row a merge covers 16,384 cells wide. The
    merge's value is spread over the rows' cells and the headed column, and no cell between."""
    cells = {"XFD2": "Status", "O3": "Withdrawn"}
    book = hs.workbook(tmp_path / "merged.xlsx", merges=["O3:XFD4"], cells=cells)
    table = read_spreadsheet(book, "merged.xlsx", header_row=2).tables["Audits"]
    assert table.headers == [*hs.HEADER, *[None] * (hs.LAST_COLUMN - len(hs.HEADER) - 1), "Status"]
    assert table.rows == [(*row, "Withdrawn") for row in AUDITS]
    assert table.beyond == {3: {hs.LAST_COLUMN: "Withdrawn"}, 4: {hs.LAST_COLUMN: "Withdrawn"}}
    assert [(str(d.location), d.message) for d in table.diagnostics] == [
        ("merged.xlsx!Audits!O3", "Cells O3:XFD4 are merged; each of its rows gets its value ('Withdrawn')."),
        (
            "merged.xlsx!Audits!XFD2",
            "The header 'Status' in XFD2 is far to the right of the others: 16,369 empty cells lie "
            "between it and the header before it ('RQ' in N2). 2 rows have values under it (the first "
            "in XFD3), read under this header, though a column so far out is easily missed.",
        ),
    ]


def test_a_csv_line_of_empty_cells_is_as_wide_as_its_last_value(tmp_path: Path) -> None:
    """Regression: a CSV line was a row of all its cells, so 16,383 commas after a value (as a
    sheet saved with a cell typed in column XFD and then cleared gives) made it 16,384 cells wide."""
    sheet = tmp_path / "commas.csv"
    sheet.write_text("Audit,Notes\nA-1" + "," * 16383 + "\nA-2,Seen\n", encoding="utf-8")
    table = read_spreadsheet(sheet, "commas.csv", header_row=1).tables[""]
    assert table.rows == [("A-1",), ("A-2", "Seen")]
    assert table.beyond == {}


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_csv_lines_end_as_any_spreadsheet_writes_them(tmp_path: Path, end: str) -> None:
    """Lines are cut from the text as csv reads them, whatever ends them, and a quoted cell keeps
    its line breaks (and a form feed or a Unicode line separator is no line's end)."""
    note = f'"Seen at home{end}with her brother"'
    lines = ["Audit,Notes,Other", f"A-1,{note},x\x0cy", "A-2,,a\u2028b", "A-3,,z"]
    sheet = tmp_path / "ends.csv"
    sheet.write_bytes(end.join(lines).encode("utf-8"))
    table = read_spreadsheet(sheet, "ends.csv", header_row=1).tables[""]
    assert table.headers == ["Audit", "Notes", "Other"]
    assert table.rows == [
        ("A-1", f"Seen at home{end}with her brother", "x\x0cy"),
        ("A-2", None, "a\u2028b"),
        ("A-3", None, "z"),
    ]
    assert table.row_numbers == [2, 3, 4]


@pytest.mark.parametrize(
    ("make", "summary"),
    [
        (hs.whole_sheet_merge, "Read 2 rows from {book}: 2 audits would be written"),
        (hs.far_cell, "Read 3 rows from {book}: 2 audits ready"),  # the far cell is a row with errors
        (hs.last_row, "Read 3 rows from {book}: 2 audits ready"),
        (hs.whole_row_title, "Read 200 rows from {book}: 200 audits would be written"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_the_cli_imports_a_hostile_workbook_promptly(
    cli: Callable[..., Run], tmp_path: Path, make: Callable[[Path], Path], summary: str
) -> None:
    book = make(tmp_path / "book.xlsx")
    run = import_dry_run(cli, tmp_path, book, expect=None)  # type: ignore[arg-type]
    assert "Traceback" not in run.stderr
    assert "QA601" not in run.stderr
    assert run.stdout.startswith("Dry run, nothing was written. " + summary.format(book=book))


def test_merged_ranges_that_overlap_over_and_over_are_refused(tmp_path: Path) -> None:
    """2,000 merges over the same 200 rows (a few KB) would each cost every row: Excel never
    saves merges that overlap, so the workbook is refused at once."""
    merges = [f"A3:{column_letter(14 + i)}202" for i in range(2000)]
    book = hs.workbook(tmp_path / "overlap.xlsx", 200, merges=merges)
    workbook = read_spreadsheet(book, "overlap.xlsx", header_row=2)
    assert workbook.tables == {}
    assert [(d.code, d.message, d.hint) for d in workbook.diagnostics] == [
        (
            "QA601",
            "'overlap.xlsx' was not read: the 2,000 merged ranges of the sheet 'Audits' cover its rows "
            "400,000 times, for 2,815 cells: merged ranges that Excel saves never overlap like this.",
            "Open the workbook in Excel and save it again (Excel repairs overlapping merged cells), or "
            "unmerge the cells (select the sheet, then Home > Merge & Center); then import again.",
        )
    ]


def test_many_merges_that_do_not_overlap_are_read(tmp_path: Path) -> None:
    """A merge on every row, and tall ones over hundreds of rows, as trackers have them."""
    merges = [f"M{row}:N{row}" for row in range(3, 1003)] + ["C3:C502", "C503:C1002"]
    book = hs.workbook(tmp_path / "merged.xlsx", 1000, merges=merges)
    table = read_spreadsheet(book, "merged.xlsx", header_row=2).tables["Audits"]
    assert len(table.rows) == 1000
    assert len(table.diagnostics) == 1002


# -- Workbooks too large once unpacked -----------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """Regression: a 1.5 MB workbook whose sheet unpacks to 1.5 GB of spaces was read whole (2.1 GB,
    then a MemoryError). The stated size is checked before anything is unpacked; this one is just
    over the real limit, so the reader returning at once shows that it never unpacked it."""
    book = hs.bomb(tmp_path / "bomb.xlsx", sheets.MAX_PART_BYTES + 1)
    assert book.stat().st_size < 2_000_000
    workbook = read_spreadsheet(book, "bomb.xlsx", header_row=2)
    assert workbook.tables == {}
    assert not workbook.readable
    assert [(d.code, d.message, d.hint) for d in workbook.diagnostics] == [
        (
            "QA601",
            "'bomb.xlsx' was not read: the sheet 'Audits' unpacks to 256 MB, more than the 256 MB qaimpact "
            "reads from one sheet.",
            "A sheet of audits is far smaller: the file is damaged, or holds something else. Open it in "
            "Excel, copy the rows of audits (with their header) into a new workbook, save that, and "
            "import it.",
        )
    ]


def test_a_workbook_too_large_in_all_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = hs.bomb(tmp_path / "big.xlsx", 3 * 1024 * 1024)
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    workbook = read_spreadsheet(book, "big.xlsx", header_row=2)
    assert [d.message for d in workbook.diagnostics] == [
        "'big.xlsx' was not read: it unpacks to 3 MB, more than the 2 MB qaimpact reads from one workbook."
    ]
    # Under the limits, the padding is only spaces between the cells: the rows are read.
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 8 * 1024 * 1024)
    assert read_spreadsheet(book, "big.xlsx", header_row=2).tables["Audits"].rows == AUDITS


@pytest.mark.parametrize("name", ["big.csv", "big.xlsx"])
def test_a_file_too_large_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A 3 MB file when the limit is 2 MB (in use, 256 MB): refused by its size alone."""
    sheet = tmp_path / name
    sheet.write_bytes(b"Audit\n" + b"A-1\n" * (3 * 1024 * 1024 // 4))
    monkeypatch.setattr(sheets, "MAX_PART_BYTES", 2 * 1024 * 1024)
    workbook = read_spreadsheet(sheet, name, header_row=1)
    assert [(d.code, d.message) for d in workbook.diagnostics] == [
        (
            "QA601",
            f"'{name}' was not read: it is 3 MB, more than the 2 MB qaimpact reads from one spreadsheet.",
        )
    ]


def test_a_part_that_holds_more_than_it_states_is_damaged(tmp_path: Path) -> None:
    """zipfile never unpacks more than a part states, which is why the stated sizes are enough."""
    book = hs.bomb(tmp_path / "bomb.xlsx", 2 * 1024 * 1024)
    data = bytearray(book.read_bytes())
    # Make the sheet state 4 KB in its entry of the central directory (which zipfile reads):
    # the entry starts with PK\1\2, and its unpacked size is 4 bytes at offset 24.
    entry = data.rindex(b"PK\x01\x02", 0, data.rindex(hs.SHEET_PART.encode()))
    data[entry + 24 : entry + 28] = (4096).to_bytes(4, "little")
    book.write_bytes(bytes(data))
    with zipfile.ZipFile(book) as archive:
        assert archive.getinfo(hs.SHEET_PART).file_size == 4096
    workbook = read_spreadsheet(book, "bomb.xlsx", header_row=2)
    assert [d.message for d in workbook.diagnostics] == [
        "'bomb.xlsx' is damaged or incomplete: it is not a whole Excel workbook."
    ]


# -- Files that are not what they are named ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message", "hint"),
    [
        (
            "renamed.xlsx",
            ",".join(hs.HEADER).encode() + b"\n" + ",".join(hs.audit_row(1)).encode() + b"\n",
            "'{path}' is a text file (a CSV file, it seems) named .xlsx, not an Excel workbook.",
            "Rename it to end in .csv instead of .xlsx, and import it again.",
        ),
        (
            "empty.xlsx",
            b"",
            "'{path}' is empty (0 bytes): it holds no workbook.",
            "Save the sheet from Excel again (File > Save As > Excel Workbook), and import that file.",
        ),
        (
            "cut.xlsx",
            None,  # the first half of a workbook: its table of contents (at the end) is missing
            "'{path}' is damaged or incomplete: it is not a whole Excel workbook.",
            "It may have been cut short while it was copied or downloaded: copy it again, or open it in "
            "Excel and save it again as an Excel Workbook (.xlsx); then import again.",
        ),
        (
            "random.xlsx",
            bytes(range(256)) * 4,
            "'{path}' is not an Excel workbook: it is damaged, or another kind of file named .xlsx.",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx), or save the sheet as CSV, "
            "then import again.",
        ),
    ],
)
def test_a_file_that_is_no_workbook_is_one_finding_and_no_more(
    cli: Callable[..., Run], tmp_path: Path, name: str, content: bytes | None, message: str, hint: str
) -> None:
    """Regression: each was 'not an Excel workbook that can be read (BadZipFile: File is not a zip
    file)', followed by 'QA608 ... has no sheet named 'Audits'; its sheets are: .'"""
    sheet = tmp_path / name
    if content is None:
        whole = hs.workbook(tmp_path / "whole.xlsx").read_bytes()
        content = whole[: len(whole) // 2]
    sheet.write_bytes(content)
    run = import_dry_run(cli, tmp_path, sheet, expect=1)
    assert finding_lines(run.stderr) == [f"{sheet}:1:1: error QA601 " + message.format(path=sheet)]
    assert hints(run.stderr) == [hint]
    assert "QA608" not in run.stderr + run.stdout


# -- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "row"),
    [
        ("A" * 140_000, 3),  # a cell too long
        ('"Seen at home, ' + "and then " * 20_000, 3),  # a quote never closed: the rest is one cell
    ],
    ids=["long-cell", "unclosed-quote"],
)
def test_a_csv_cell_too_long_is_reported_at_its_row(
    cli: Callable[..., Run], tmp_path: Path, cell: str, row: int
) -> None:
    """Regression: the file was refused with 'field larger than field limit (131072)', no row, and
    a hint to check that it is a CSV file."""
    lines = [",".join(hs.HEADER), ",".join(hs.audit_row(1)), ",".join([*hs.audit_row(2)[:-1], cell])]
    sheet = tmp_path / "long.csv"
    sheet.write_text("\n".join([*lines, ",".join(hs.audit_row(3))]) + "\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(hs.MAPPING.replace("sheets: [Audits]\nheader_row: 2\n", ""), encoding="utf-8")
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "a", "--dry-run", expect=1)
    assert finding_lines(run.stderr) == [
        f"{sheet}:1:1: error QA601 Row {row} of '{sheet}' has a cell longer than 131,072 characters, so the "
        "file was not read (Excel holds at most 32,767 in a cell)."
    ]
    assert hints(run.stderr) == [
        'If a cell in that row opens a quote (") it never closes, the rest of the file is read as one cell: '
        "close the quote. Otherwise shorten the cell (keep long notes in the case record), save the file, "
        "and import again."
    ]


def test_the_scaffold_says_where_a_far_header_is(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Regression: --scaffold-mapping wrote a mapping for a sheet with a header in XFD1 without a
    word of it. The same finding as the import's, on a line to review."""
    sheet = _headers(tmp_path, {"A1": "Audit ref", "B1": "Auditor", "XFD1": "Status"})
    run = cli("import", sheet, "--scaffold-mapping", "--standards", "cafcass-qiam-2017")
    assert [line for line in run.stdout.splitlines() if "XFD" in line] == [
        "# review: The header 'Status' in XFD1 is far to the right of the others: 16,381 empty cells lie "
        "between it and the header before it ('Auditor' in B1), and no row has a value under it: it was "
        "typed there by mistake, it seems. Clear the cell (select XFD1 and press Delete; Ctrl+Right on an "
        "empty row jumps to this last column), save the sheet and import again. If it is meant to head a "
        "column, move it next to the others."
    ]


@pytest.mark.parametrize("far_header", [False, True])
def test_the_scaffold_is_readable_whatever_a_header_holds(
    cli: Callable[..., Run], tmp_path: Path, far_header: bool
) -> None:
    """Regression: a header's control character (a CSV exported from a case management system)
    went as it was into the scaffold's '# review:' line of a far header (QA613) and its list of
    columns not mapped, so the mapping written was not YAML that could be read."""
    from ruamel.yaml import YAML

    cells = ["Audit ref", "Auditor", *([""] * 70 if far_header else []), "Zzq\x07 qqx"]
    sheet = tmp_path / "bell.csv"
    sheet.write_text(",".join(cells) + "\n" + ",".join(["A-1", "Jo Bloggs"]) + "\n", encoding="utf-8")
    run = cli("import", sheet, "--scaffold-mapping", "--standards", "cafcass-qiam-2017")
    comments = [line for line in run.stdout.splitlines() if line.lstrip().startswith("#")]
    assert any("Zzq  qqx" in line for line in comments)
    assert all(line.isprintable() for line in comments)
    YAML(typ="safe").load(run.stdout)
