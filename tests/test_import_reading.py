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
from typing import Any

import pytest

from conftest import Run
from qaimpact.authoring.importing.run import hidden_notes
from qaimpact.authoring.importing.sheets import number_runs, read_spreadsheet

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


# -- what the workbook hides ----------------------------------------------------------------------
#
# A QA manager hides the row of a withdrawn or duplicate audit (or filters it out) rather than
# delete it. The import still reads it, as dropping rows without a word would be worse, and says so.


def _hiding(
    folder: Path,
    rows: tuple[int, ...] = (),
    columns: tuple[str, ...] = (),
    *,
    hidden_copy: bool = False,
    mapping_sheets: str = "sheets: [Audits]\n",
    cells: dict[str, str] | None = None,
) -> tuple[Path, Path]:
    """The example tracker with ``rows`` and ``columns`` of its sheet 'Audits' hidden (and with
    ``hidden_copy``, a hidden copy of the sheet, '2023-24'), the given ``cells`` filled in, and
    its mapping reading ``mapping_sheets``."""
    import openpyxl

    book = openpyxl.load_workbook(TRACKER / "tracker.xlsx")
    sheet = book["Audits"]
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    if hidden_copy:
        copy = book.copy_worksheet(sheet)
        copy.title = "2023-24"
        copy.sheet_state = "hidden"
    for number in rows:
        sheet.row_dimensions[number].hidden = True
    for letter in columns:
        sheet.column_dimensions[letter].hidden = True
    path = folder / "tracker.xlsx"
    book.save(path)
    mapping = folder / "tracker.mapping.yaml"
    text = (TRACKER / "tracker.mapping.yaml").read_text(encoding="utf-8")
    mapping.write_text(text.replace("sheets: [Audits]\n", mapping_sheets), encoding="utf-8")
    return path, mapping


#: A column the QA team stopped using: a header (in AI3, after 'Year') and no value.
OLD_COLUMN = {"AI3": "RAG rating (old)"}
#: The same column with one value left in it (row 5, audit QA-2024-0101).
OLD_COLUMN_USED = {**OLD_COLUMN, "AI5": "Amber"}


@pytest.mark.parametrize(
    ("rows", "columns", "cells", "hidden_rows", "hidden_columns", "hidden_headers"),
    [
        ((), (), {}, [], [], []),
        ((14, 15, 40), (), {}, [14, 15], [], []),  # row 40 holds nothing: it is no row of the table
        ((4, 20, 21, 22), ("C",), {}, [4, 20, 21, 22], [3], []),
        ((), ("C", "D"), {}, [], [3, 4], []),
        ((2,), ("AZ",), {}, [], [], []),  # above the header, and a column that holds nothing
        # A header and no value: hidden, but nothing of it is imported.
        ((), ("C", "AI"), OLD_COLUMN, [], [3], [35]),
        # A value in any data row, even one the mapping skips, is something to say.
        ((), ("AI",), OLD_COLUMN_USED, [], [35], []),
        ((), ("AI",), {**OLD_COLUMN, "AI4": "guidance"}, [], [35], []),
        # A cell of spaces holds nothing (the audit's comments leave it out too).
        ((), ("AI",), {**OLD_COLUMN, "AI10": "   "}, [], [], [35]),
    ],
    ids=[
        *("nothing", "rows", "rows-and-a-column", "columns", "empty"),
        *("header-only", "used", "guidance", "spaces"),
    ],
)
def test_a_table_says_what_the_workbook_hides(
    tmp_path: Path,
    rows: tuple[int, ...],
    columns: tuple[str, ...],
    cells: dict[str, str],
    hidden_rows: list[int],
    hidden_columns: list[int],
    hidden_headers: list[int],
) -> None:
    path, _ = _hiding(tmp_path, rows, columns, cells=cells)
    table = read_spreadsheet(path, "tracker.xlsx", header_row=3).tables["Audits"]
    assert (table.hidden, table.hidden_rows, table.hidden_columns, table.hidden_headers) == (
        False,
        hidden_rows,
        hidden_columns,
        hidden_headers,
    )
    assert len(table.rows) == 25  # every row read, hidden or not


def test_a_hidden_sheet_is_read_and_said_to_be_hidden(tmp_path: Path) -> None:
    path, _ = _hiding(tmp_path, hidden_copy=True)
    workbook = read_spreadsheet(path, "tracker.xlsx", header_row=3)
    assert [(t.sheet, t.hidden, len(t.rows)) for t in workbook.tables.values()] == [
        ("Audits", False, 25),
        ("2023-24", True, 25),
    ]


def test_rows_filtered_out_are_hidden_rows(tmp_path: Path) -> None:
    """Excel's filter hides the rows it leaves out, as Hide does: the same finding."""
    import openpyxl

    book = openpyxl.load_workbook(TRACKER / "tracker.xlsx")
    sheet = book["Audits"]
    sheet.auto_filter.ref = f"A3:AG{sheet.max_row}"
    sheet.auto_filter.add_filter_column(0, ["CF-2025-0102"])
    for number in range(5, sheet.max_row + 1):
        sheet.row_dimensions[number].hidden = number != 6
    book.save(tmp_path / "filtered.xlsx")
    table = read_spreadsheet(tmp_path / "filtered.xlsx", "filtered.xlsx", header_row=3).tables["Audits"]
    assert table.hidden_rows == [5, *range(7, 29)]


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([14], "14"),
        ([14, 15], "14 and 15"),
        ([14, 15, 40], "14, 15 and 40"),
        ([40, 14, 15, 16], "14 to 16 and 40"),
        ([5, *range(7, 29)], "5 and 7 to 28"),
    ],
)
def test_row_numbers_read_as_a_sentence(numbers: list[int], text: str) -> None:
    assert number_runs(numbers) == text


#: The notes of the import of :func:`_hiding`'s tracker, by what it hides.
HIDDEN_NOTES = [
    pytest.param(
        {"rows": (14, 15, 40)},
        [
            "rows 14 and 15 of the sheet 'Audits' of {sheet} are hidden in the workbook (hidden, or "
            "filtered out), and were read like the others: if they should not be imported, delete them "
            "from the sheet, or list them under 'skip_rows:' in the mapping."
        ],
        id="rows",
    ),
    pytest.param(
        # Row 4 is skipped by the mapping (skip_rows: [4]): not imported, so not named.
        {"rows": (4, 21), "columns": ("C",)},
        [
            "row 21 of the sheet 'Audits' of {sheet} is hidden in the workbook (hidden, or filtered "
            "out), and was read like the others: if it should not be imported, delete it from the sheet, "
            "or list it under 'skip_rows:' in the mapping.",
            "column 'Law type' (C) of the sheet 'Audits' of {sheet} is hidden in the workbook, and was "
            "read like the others (a column the mapping does not name is kept in each audit as a "
            "comment): if it should not be imported, delete it from the sheet.",
        ],
        id="a-row-and-a-column",
    ),
    pytest.param(
        {"columns": ("C", "AF")},
        [
            "columns 'Law type' (C) and 'Notes' (AF) of the sheet 'Audits' of {sheet} are hidden in the "
            "workbook, and were read like the others (a column the mapping does not name is kept in "
            "each audit as a comment): if they should not be imported, delete them from the sheet."
        ],
        id="columns",
    ),
    pytest.param(
        # skip_rows would leave out the same rows of every sheet read: not suggested for two.
        {"rows": (20, 21, 22), "hidden_copy": True, "mapping_sheets": "sheets: all\n"},
        [
            "rows 20 to 22 of the sheet 'Audits' of {sheet} are hidden in the workbook (hidden, or "
            "filtered out), and were read like the others: if they should not be imported, delete them "
            "from the sheet.",
            "the sheet '2023-24' of {sheet} is hidden in the workbook, and its rows were read like the "
            "others: if they should not be imported, delete the sheet, or leave it out of 'sheets:' in "
            "the mapping (with 'sheets: all', list it under 'skip_sheets:').",
        ],
        id="a-hidden-sheet",
    ),
    pytest.param({"rows": (2, 4), "columns": ("AZ",), "hidden_copy": True}, [], id="nothing-imported-hidden"),
    # Regression: a hidden column with a header and no value was named ("column 'RAG rating (old)'
    # (AI) ... is hidden in the workbook, and was read like the others"), though nothing of it is
    # imported: noise, of a column hidden so as not to be seen.
    pytest.param({"columns": ("AI",), "cells": OLD_COLUMN}, [], id="a-hidden-header-only-column"),
    pytest.param(
        {"columns": ("C", "AI"), "cells": OLD_COLUMN},
        [
            "column 'Law type' (C) of the sheet 'Audits' of {sheet} is hidden in the workbook, and was "
            "read like the others (a column the mapping does not name is kept in each audit as a "
            "comment): if it should not be imported, delete it from the sheet."
        ],
        id="a-hidden-column-and-a-hidden-header-only-column",
    ),
    # A hidden column with a value is never passed over in silence, however little it holds.
    pytest.param(
        {"columns": ("AI",), "cells": OLD_COLUMN_USED},
        [
            "column 'RAG rating (old)' (AI) of the sheet 'Audits' of {sheet} is hidden in the workbook, "
            "and was read like the others (a column the mapping does not name is kept in each audit as "
            "a comment): if it should not be imported, delete it from the sheet."
        ],
        id="a-hidden-column-with-one-value",
    ),
]


@pytest.mark.parametrize(("hiding", "notes"), HIDDEN_NOTES)
def test_the_import_names_what_the_workbook_hides(
    cli: Callable[..., Run], tmp_path: Path, hiding: dict[str, Any], notes: list[str]
) -> None:
    sheet, mapping = _hiding(tmp_path, **hiding)
    # The example tracker holds rows with errors (exit 1), which are not what this is about.
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "out", "--dry-run", expect=1)
    said = [line.removeprefix("note: ") for line in run.stderr.splitlines() if line.startswith("note: ")]
    assert said == [note.format(sheet=sheet) for note in notes]


@pytest.mark.parametrize(("hiding", "notes"), HIDDEN_NOTES)
def test_the_plan_holds_the_notes(tmp_path: Path, hiding: dict[str, Any], notes: list[str]) -> None:
    from qaimpact.audits.checker import CheckOptions
    from qaimpact.authoring.importing.mapping import load_mapping
    from qaimpact.authoring.importing.run import plan_import
    from qaimpact.frameworks.registry import Registry

    sheet, mapping = _hiding(tmp_path, **hiding)
    registry = Registry.default([])
    compiled, problems = load_mapping(mapping, str(mapping), registry)
    assert compiled is not None, problems
    spec = compiled.spec
    workbook = read_spreadsheet(
        sheet,
        "tracker.xlsx",
        header_row=spec.header_row,
        sheets=None if spec.sheets == "all" else spec.sheets,
        first_only=spec.sheets is None,
    )
    plan = plan_import(
        workbook, compiled, tmp_path / "out", registry, CheckOptions(dt.date(2026, 11, 22)), jobs=1
    )
    assert plan.notes == [note.format(sheet="tracker.xlsx") for note in notes]


def test_the_notes_of_a_table(tmp_path: Path) -> None:
    path, _ = _hiding(tmp_path, (14, 15, 40), ("C",))
    table = read_spreadsheet(path, "tracker.xlsx", header_row=3).tables["Audits"]
    assert hidden_notes(table, [14], one_sheet=False) == [
        "row 14 of the sheet 'Audits' of tracker.xlsx is hidden in the workbook (hidden, or filtered out), "
        "and was read like the others: if it should not be imported, delete it from the sheet.",
        "column 'Law type' (C) of the sheet 'Audits' of tracker.xlsx is hidden in the workbook, and was "
        "read like the others (a column the mapping does not name is kept in each audit as a comment): "
        "if it should not be imported, delete it from the sheet.",
    ]


@pytest.mark.parametrize(
    ("hiding", "lines"),
    [
        ({}, []),
        (
            {"rows": (14, 15, 40), "columns": ("C", "AF")},
            [
                "# review: rows 14 and 15 are hidden in the workbook; the import reads them like the others. "
                "If they should not be imported, delete them from the sheet or list them under 'skip_rows:'.",
                "# review: columns 'Law type' (C) and 'Notes' (AF) are hidden in the workbook; the import "
                "reads them like the others. If they should not be imported, delete them from the sheet.",
            ],
        ),
        (
            {"rows": (21,), "columns": ("C",)},
            [
                "# review: row 21 is hidden in the workbook; the import reads it like the others. If it "
                "should not be imported, delete it from the sheet or list it under 'skip_rows:'.",
                "# review: column 'Law type' (C) is hidden in the workbook; the import reads it like the "
                "others. If it should not be imported, delete it from the sheet.",
            ],
        ),
    ],
)
def test_the_scaffold_names_what_the_workbook_hides(
    cli: Callable[..., Run], tmp_path: Path, hiding: dict[str, Any], lines: list[str]
) -> None:
    sheet, _ = _hiding(tmp_path, **hiding)
    run = cli("import", sheet, "--scaffold-mapping", "--standards", "cafcass-qiam-2017")
    written = run.stdout.splitlines()
    at = written.index('sheets: ["Audits"]') + 1
    assert written[at : at + len(lines) + 1] == [*lines, "header_row: 3"]


def test_a_hidden_column_with_a_value_is_kept_in_its_audit(cli: Callable[..., Run], tmp_path: Path) -> None:
    """However hidden, a value the mapping does not name is written into its audit's comments."""
    sheet, mapping = _hiding(tmp_path, columns=("AI",), cells=OLD_COLUMN_USED)
    out = tmp_path / "out"
    cli("import", sheet, "--mapping", mapping, "--audits", out, "--keep-going", expect=1)
    assert "#   RAG rating (old) (AI5): Amber" in (out / "QA-2024-0101.yaml").read_text(encoding="utf-8")
    assert "RAG rating (old)" not in (out / "QA-2024-0104.yaml").read_text(encoding="utf-8")


#: A column the QA team stopped using whose header matches a key no other header does.
MODERATOR = {"AI3": "Moderator"}
MODERATOR_LINES = [
    '  moderation.moderator: "Moderator"  # review: same words',
    "# review: column 'Moderator' (AI) is hidden in the workbook; the import reads it like the others. "
    "If it should not be imported, delete it from the sheet.",
]


@pytest.mark.parametrize(
    ("cells", "lines"),
    [
        # Regression: the scaffold mapped the key to the hidden, empty column (so every audit would
        # read nothing for it) and said the column was hidden.
        pytest.param(MODERATOR, [], id="matched-header-only"),
        pytest.param({**MODERATOR, "AI5": "Dee Moss"}, MODERATOR_LINES, id="matched-with-a-value"),
        # Regression: the scaffold listed it among the columns each audit keeps in a comment, and
        # said it was hidden.
        pytest.param(OLD_COLUMN, [], id="unmatched-header-only"),
        pytest.param(
            OLD_COLUMN_USED,
            [
                "# review: column 'RAG rating (old)' (AI) is hidden in the workbook; the import reads it "
                "like the others. If it should not be imported, delete it from the sheet.",
                "#   RAG rating (old)",
            ],
            id="unmatched-with-a-value",
        ),
    ],
)
def test_the_scaffold_passes_over_a_hidden_column_that_holds_no_value(
    cli: Callable[..., Run], tmp_path: Path, cells: dict[str, str], lines: list[str]
) -> None:
    sheet, _ = _hiding(tmp_path, columns=("AI",), cells=cells)
    run = cli("import", sheet, "--scaffold-mapping", "--standards", "cafcass-qiam-2017")
    header = next(iter(cells.values()))
    assert sorted(line for line in run.stdout.splitlines() if header in line) == sorted(lines)


def test_a_sheet_of_lists_read_by_sheets_all_is_one_finding_with_the_way_to_skip_it(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Regression: a tracker's lookup sheet read under 'sheets: all' gave a QA608 for each column
    # of the mapping (100 for an export's), and none said to leave the sheet out.
    import openpyxl

    book = openpyxl.load_workbook(TRACKER / "tracker.xlsx")
    lists = book.create_sheet("Lists")
    lists.append(["Ratings", "Teams"])
    lists.append(["Good", "Weald Public Law"])
    # Rows down to the mapping's header row and past it (a sheet with nothing there is QA608 of
    # another kind: tests/test_import_empty.py).
    lists.append(["Met", "Downs Private Law"])
    lists.append(["Requires improvement", "Coastal Public Law"])
    sheet, mapping = tmp_path / "tracker.xlsx", tmp_path / "tracker.mapping.yaml"
    book.save(sheet)
    text = (TRACKER / "tracker.mapping.yaml").read_text(encoding="utf-8")
    mapping.write_text(text.replace("sheets: [Audits]\n", "sheets: all\n"), encoding="utf-8")
    line = mapping.read_text(encoding="utf-8").splitlines().index("sheets: all") + 1
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "out", "--dry-run", expect=1)
    found = [row for row in run.stderr.splitlines() if "QA608" in row]
    assert found == [
        f"{mapping}:{line}:9: error QA608 {sheet}!Lists has none of the {_columns(mapping)} columns the "
        "mapping names in row 3."
    ]
    hint = run.stderr.splitlines()[run.stderr.splitlines().index(found[0]) + 1]
    assert hint == (
        "    hint: If the sheet holds no audits (a list or a summary), add it under 'skip_sheets:' "
        "(skip_sheets: [\"Lists\"]); otherwise check 'header_row:' (the row of the sheet that holds its "
        "headers)."
    )
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace("sheets: all\n", 'sheets: all\nskip_sheets: ["Lists"]\n'),
        encoding="utf-8",
    )
    again = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "out", "--dry-run", expect=1)
    assert "QA608" not in again.stderr


def _columns(mapping: Path) -> int:
    """How many columns a mapping names (its 'columns:' and 'skip_when:' headers)."""
    import yaml

    data = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    return len(data.get("columns") or {}) + len(data.get("skip_when") or {})
