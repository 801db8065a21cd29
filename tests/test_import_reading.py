"""Reading a workbook: what the importer takes from a sheet is what Excel shows in it.

Workbooks are read in openpyxl's read-only mode (it streams the cells) with merged cells read from
the sheet's XML; these workbooks hold what a full load and a streamed read could see differently.
``odd-layout.xlsx`` states a wrong size (``<dimension ref="A1:A1"/>``), keeps a value ('Left
over') in B3, a cell its merge B2:B4 covers, lists that merge twice, and has a styled empty cell
at H12; ``cut-short.xlsx`` is the same workbook with its sheet's XML cut off in row 3.
``inline-strings.xlsx`` holds a text cell of each shape a file can write it in: plain, empty, rich
text in runs, with a phonetic reading (not part of the text), with no text element, and spaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from qaimpact.authoring.importing.sheets import read_spreadsheet

DATA = Path(__file__).resolve().parent / "data" / "import"
ODD = DATA / "odd-layout.xlsx"
CUT = DATA / "cut-short.xlsx"
INLINE = DATA / "inline-strings.xlsx"


def test_a_workbook_is_read_as_excel_shows_it() -> None:
    workbook = read_spreadsheet(ODD, "odd-layout.xlsx", header_row=1)
    assert workbook.sheet_names == ["Audits"]
    assert workbook.diagnostics == []
    table = workbook.tables["Audits"]
    # Each row as wide as its last value, whatever the <dimension> says (and however far right
    # the styled empty cell at H12: a full load pads every row to it, which a cell in column XFD
    # made 16,384 columns wide).
    assert table.headers == ["Audit id", "Practitioner", "Audit date", "Time spent"]
    # The merge's value fills the rows it covers ('Left over' is not what Excel shows in B3); a
    # date-formatted day number is a date, a duration-formatted one ([h]:mm) a duration.
    assert table.rows == [
        ("CF-1", "Sam Okafor", dt.datetime(2025, 10, 14), dt.timedelta(hours=26)),
        ("CF-2", "Sam Okafor", dt.datetime(2025, 10, 15), dt.timedelta(hours=12)),
        ("CF-3", "Sam Okafor", "2025-10-16"),
    ]
    assert table.row_numbers == [2, 3, 4]
    assert table.formulas == set()
    assert [(str(d.location), d.code, d.message) for d in table.diagnostics] == [
        (
            "odd-layout.xlsx!Audits!B2",
            "QA602",
            "Cells B2:B4 are merged; each of its rows gets its value ('Sam Okafor').",
        )
    ]


@pytest.mark.parametrize(
    ("header_row", "expected"),
    [
        (
            2,
            "odd-layout.xlsx!Audits!B2: Header cells B2:B4 are merged, so the header row is part of a "
            "merged block.",
        ),
        (
            3,
            "odd-layout.xlsx!Audits!B3: Header cells B2:B4 are merged, so the header row is part of a "
            "merged block.",
        ),
    ],
)
def test_a_merge_across_the_header_row_is_a_finding(header_row: int, expected: str) -> None:
    table = read_spreadsheet(ODD, "odd-layout.xlsx", header_row=header_row).tables["Audits"]
    assert [f"{d.location}: {d.message}" for d in table.diagnostics] == [expected]
    # The cell the merge covers in the header row is empty, as Excel shows it.
    assert table.headers[1] == ("Sam Okafor" if header_row == 2 else None)


def test_text_cells_read_as_excel_shows_them_whatever_their_shape() -> None:
    table = read_spreadsheet(INLINE, "inline-strings.xlsx", header_row=1).tables["Notes"]
    assert table.headers == ["Note"]
    # Rows 3 and 6 hold empty text, and an empty row is skipped.
    assert list(zip(table.row_numbers, table.rows, strict=True)) == [
        (2, ("plain",)),
        (4, ("Seen alone",)),
        (5, ("漢字",)),
        (7, ("  two  spaces ",)),
    ]


def test_a_sheet_cut_short_is_an_unreadable_workbook() -> None:
    workbook = read_spreadsheet(CUT, "cut-short.xlsx", header_row=1)
    assert workbook.tables == {}
    assert [(d.code, d.message) for d in workbook.diagnostics] == [
        (
            "QA601",
            "'cut-short.xlsx' is not an Excel workbook that can be read (ParseError: unclosed token: line 1, "
            "column 807).",
        )
    ]


def test_the_cli_reads_every_header_of_a_workbook_with_a_wrong_size(cli: Callable[..., Run]) -> None:
    run = cli("import", ODD, "--scaffold-mapping", "--standards", "cafcass-qiam-2017")
    lines = run.stdout.splitlines()
    assert 'sheets: ["Audits"]' in lines
    for line in (
        '  audit_id: "Audit id"  # review: same words',
        '  practitioner: "Practitioner"  # review: same words',
        '  review_date: "Audit date"  # review: same words',
    ):
        assert line in lines


def test_the_cli_reports_a_sheet_cut_short_without_a_traceback(cli: Callable[..., Run]) -> None:
    run = cli("import", CUT, "--scaffold-mapping", "--standards", "cafcass-qiam-2017", expect=1)
    assert (
        f"{CUT}:1:1: error QA601 '{CUT}' is not an Excel workbook that can be read (ParseError: unclosed "
        in (run.stderr)
    )
    assert "Traceback" not in run.stderr + run.stdout


def test_rows_and_cells_out_of_order_are_read_where_they_say() -> None:
    """Regression: ``out-of-order.xlsx`` writes row 2's cells as C2, B2, A2 and row 4 before row 3
    (Excel writes them in order, other tools need not). The streamed read kept only A2 and dropped
    row 3 without a word; a full load, and now the importer, reads every cell where it says it is."""
    workbook = read_spreadsheet(DATA / "out-of-order.xlsx", "out-of-order.xlsx", header_row=1)
    table = workbook.tables["Audits"]
    assert table.headers == ["Audit id", "Team", "Grade"]
    assert table.rows == [("A-1", "North", "good"), ("A-2", "South", "met"), ("A-3", "East", "good")]
    assert table.row_numbers == [2, 3, 4]
    assert workbook.diagnostics == table.diagnostics == []


TRACKER = Path(__file__).parent.parent / "examples" / "import"


def _tracker_with_more_sheets(folder: Path) -> tuple[Path, Path]:
    import openpyxl

    book = openpyxl.load_workbook(TRACKER / "tracker.xlsx")
    for title in ("2023-24", "Notes"):
        book.create_sheet(title).append(["Audit ID"])
    sheet = folder / "tracker.xlsx"
    book.save(sheet)
    mapping = folder / "tracker.mapping.yaml"
    text = (TRACKER / "tracker.mapping.yaml").read_text(encoding="utf-8")
    mapping.write_text(text.replace("sheets: [Audits]\n", ""), encoding="utf-8")
    return sheet, mapping


def test_a_workbook_read_by_its_first_sheet_says_which_were_not_read(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Regression (a review): a tracker with a sheet a year had its first sheet read and the others
    # passed over without a word.
    sheet, mapping = _tracker_with_more_sheets(tmp_path)
    # The example tracker holds rows with errors (exit 1), which are not what this is about.
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "out", "--dry-run", expect=1)
    assert (
        f"note: only the first sheet of {sheet}, 'Audits', was read; its other sheets ('2023-24', "
        "'Notes') were not. To read them too, name them under 'sheets:' in the mapping, or write "
        "'sheets: all'.\n"
    ) in run.stderr


def test_the_scaffold_names_the_sheets_it_does_not_read(cli: Callable[..., Run], tmp_path: Path) -> None:
    sheet, _ = _tracker_with_more_sheets(tmp_path)
    out = tmp_path / "m.yaml"
    cli("import", sheet, "--scaffold-mapping", "--standards", "cafcass-qiam-2017", "--mapping", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index('sheets: ["Audits"]') + 1] == (
        '# review: the workbook\'s other sheets are not read: "2023-24", "Notes". Add those with the '
        "same columns to 'sheets:', or write 'sheets: all'."
    )
