"""``--format xlsx``: the summary and the cycle reports as an Excel workbook (issue 17, section 3).

One sheet per table, numbers and dates as Excel's own, a frozen bold header row, columns sized
to their text; never written to a screen; refused with ``--publish`` until the workbook goes
through the disclosure control.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY

openpyxl = pytest.importorskip("openpyxl")

SERVICE = str(EXAMPLES / "service")
CYCLE = {
    "actions": (["actions", "--audits", SERVICE], "Actions", "Review date"),
    "escalations": (["escalations", "--audits", SERVICE], "Escalations", "Review date"),
    "impact": (["impact", "--audits", SERVICE], "Impact", "Original date"),
    "moderation": (["moderation", "--audits", SERVICE], "Moderation", "Review date"),
    "sample": (
        [
            "sample",
            "--cases",
            f"{SERVICE}/cases.csv",
            "--auditors",
            f"{SERVICE}/auditors.csv",
            "--audits",
            SERVICE,
            "--seed",
            "7",
        ],
        "Sample",
        None,
    ),
}


def write(cli, args, path: Path, expect: int | None = 0):
    return cli(*args, "--format", "xlsx", "-o", path, "--today", TODAY.isoformat(), expect=expect)


def cells(sheet) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def check_layout(sheet) -> None:
    """A frozen, bold header row and columns wider than Excel's default where the text needs it."""
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])


@pytest.mark.parametrize("name", CYCLE)
def test_each_cycle_report_is_a_workbook_with_typed_cells(cli, tmp_path, name):
    args, title, date_column = CYCLE[name]
    book_path = tmp_path / f"{name}.xlsx"
    write(cli, args, book_path, expect=None)
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == [title]
    sheet = book[title]
    check_layout(sheet)
    rows = cells(sheet)
    assert len(rows) > 1
    header = rows[0]
    if date_column is not None:
        dates = [row[header.index(date_column)] for row in rows[1:]]
        assert all(isinstance(d, dt.datetime) for d in dates), dates  # openpyxl reads dates as datetimes
    numbers = [v for row in rows[1:] for v in row if isinstance(v, int | float)]
    assert numbers, "no cell is a number"
    assert not [v for row in rows[1:] for v in row if isinstance(v, str) and v.isdigit()]


def test_the_summary_workbook_holds_the_same_figures_as_its_json(cli, tmp_path):
    book_path = tmp_path / "summary.xlsx"
    write(cli, ["summary", "--audits", SERVICE, "--by", "team"], book_path)
    view = json.loads(
        cli("summary", "--audits", SERVICE, "--by", "team", "-f", "json", "--today", TODAY).stdout
    )
    book = openpyxl.load_workbook(book_path)
    contents = cells(book["Contents"])
    assert contents[0] == ["Sheet", "Table"]
    assert contents[1] == ["F1 Grades", f"Grade distribution, {view['frameworks'][0]['framework']['title']}"]
    for number, section in enumerate(view["frameworks"], start=1):
        grades = cells(book[f"F{number} Grades"])
        assert grades[1:] == [
            [d["label"], d["count"]["n"], pytest.approx(d["share"]["pct"] / 100)]
            for d in section["distribution"]
        ]
        assert book[f"F{number} Grades"]["C2"].number_format == "0%"
        quarters = cells(book[f"F{number} By quarter"])
        assert quarters[0] == [
            "Quarter",
            "Audits",
            *(d["label"] for d in section["distribution"]),
            f"{section['good_or_better_label'].capitalize()} or better",
        ]
        assert [row[:2] for row in quarters[1:]] == [[t["key"], t["n"]["n"]] for t in section["trend"]]
        teams = cells(book[f"F{number} By team"])
        assert [row[1] for row in teams[1:]] == [g["n"]["n"] for g in section["groups"]]
        for sheet in book.worksheets:
            check_layout(sheet)
    audits = cells(book["Audits"])
    assert len(audits) == 1 + 96
    assert isinstance(audits[1][audits[0].index("Review date")], dt.datetime)


def test_a_workbook_needs_an_output_file(cli):
    run = cli("summary", "--audits", SERVICE, "--format", "xlsx", expect=2)
    assert run.stdout == ""
    assert run.stderr == (
        "error: --format xlsx writes an Excel workbook, which cannot be shown here: add -o FILE.xlsx "
        "to write it to a file.\n"
    )


def test_a_published_workbook_is_refused_until_it_goes_through_the_disclosure_control(cli, tmp_path):
    book_path = tmp_path / "published.xlsx"
    run = write(cli, ["summary", "--audits", SERVICE, "--publish"], book_path, expect=2)
    assert "--format xlsx cannot be used with --publish yet" in run.stderr
    assert not book_path.exists()


def test_an_earlier_workbook_report_is_replaced(cli, tmp_path):
    book_path = tmp_path / "actions.xlsx"
    write(cli, ["escalations", "--audits", SERVICE], book_path, expect=1)
    write(cli, ["actions", "--audits", SERVICE], book_path)
    assert openpyxl.load_workbook(book_path).sheetnames == ["Actions"]


def test_someone_elses_workbook_is_replaced_only_with_force(cli, tmp_path):
    """A QA team's own tracker.xlsx is their work, never an earlier report."""
    book_path = tmp_path / "tracker.xlsx"
    tracker = openpyxl.Workbook()
    tracker.active["A1"] = "my tracker"
    tracker.save(book_path)
    before = book_path.read_bytes()
    run = write(cli, ["actions", "--audits", SERVICE], book_path, expect=2)
    assert " ".join(run.stderr.split()) == (
        f"error: --output '{book_path}' already exists and is not a report; choose another name, or add "
        "--force to replace it."
    )
    assert book_path.read_bytes() == before
    write(cli, ["actions", "--audits", SERVICE, "--force"], book_path)
    assert openpyxl.load_workbook(book_path).sheetnames == ["Actions"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from qaimpact.reports import tables, xlsx

    sheet = tables.Sheet("Actions", "Actions", ["Action"], [['=HYPERLINK("http://x","click")'], ["+1"]])
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx.workbook([sheet]))
    ws = openpyxl.load_workbook(path)["Actions"]
    assert [(c.value, c.data_type) for c in ws["A"][1:]] == [
        ('=HYPERLINK("http://x","click")', "s"),
        ("+1", "s"),
    ]


def test_without_openpyxl_the_message_says_how_to_install_it(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    run = write(cli, ["actions", "--audits", SERVICE], tmp_path / "a.xlsx", expect=2)
    assert run.stderr == (
        "error: Writing an Excel workbook needs openpyxl, which is not installed. Install it with "
        "`pip install 'qaimpact[xlsx]'`, or write --format csv instead.\n"
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ({"n": 9, "text": "9"}, 9),
        ({"n": None, "text": "<5"}, "<5"),
        ({"pct": 25.0, "text": "25% (1 of 4)"}, 0.25),
        ({"pct": None, "text": "suppressed"}, "suppressed"),
        ("2026-07-08", dt.date(2026, 7, 8)),
        ("2026-02-30", "2026-02-30"),
        ("(not recorded)", None),
        ("QA-2026-0014", "QA-2026-0014"),
    ],
)
def test_view_values_become_typed_cells(cell, expected):
    from qaimpact.reports import tables

    got = tables.value(cell)
    assert (got.fraction if isinstance(got, tables.Share) else got) == expected


def test_the_cli_recognises_the_author_the_writer_records():
    from qaimpact.cli.output import WORKBOOK_CREATOR
    from qaimpact.reports.xlsx import CREATOR

    assert WORKBOOK_CREATOR == CREATOR
