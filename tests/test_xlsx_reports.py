"""``--format xlsx``: the summary and the cycle reports as an Excel workbook (issue 17, section 3).

One sheet per table, numbers and dates as Excel's own, a frozen bold header row, columns sized
to their text; never written to a screen. Under ``--publish`` every cell is the value the
published JSON holds at the same place (issue 17, section 2), and the workbook holds nothing
the published JSON does not.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, TODAY
from qaimpact.audits.records import FACETS
from qaimpact.reports import tables

openpyxl = pytest.importorskip("openpyxl")

SERVICE = str(EXAMPLES / "service")
MINI = Path(__file__).parent / "data" / "standards" / "valid" / "mini.yaml"
MINI_AUDITS = sorted((MINI.parent.parent / "audits").glob("mini-*.yaml"))
PLANS = [str(p) for p in sorted((EXAMPLES / "service" / "plans").glob("*.csv"))]
#: Each cycle command on the service: its arguments, the workbook's sheets (a Contents sheet, the
#: report's tables, then its items one row each) and a column of dates on its last sheet.
CYCLE = {
    "actions": (
        ["actions", "--audits", SERVICE],
        ["Contents", "Figures", "Open actions", "Done actions", "Themes", "Actions"],
        "Review date",
    ),
    "escalations": (
        ["escalations", "--audits", SERVICE],
        ["Contents", "Figures", "By state", "Themes", "Rules", "Escalations"],
        "Review date",
    ),
    # For a quarter, the figures add those carried in from before it.
    "actions-quarter": (
        ["actions", "--audits", SERVICE, "--quarter", "2026-Q3"],
        ["Contents", "Figures", "Open actions", "Done actions", "Themes", "Actions"],
        "Review date",
    ),
    "escalations-quarter": (
        ["escalations", "--audits", SERVICE, "--quarter", "2026-Q3"],
        ["Contents", "Figures", "By state", "Themes", "Rules", "Escalations"],
        "Review date",
    ),
    "impact": (
        ["impact", "--audits", SERVICE],
        [
            "Contents",
            "First to latest",
            "Re-audited cases",
            "Standards",
            "Learning",
            "Earlier actions",
            "Impact",
        ],
        "Re-audit date",
    ),
    "moderation": (
        ["moderation", "--audits", SERVICE],
        [
            "Contents",
            "Agreement",
            "Direction",
            "Cafcass first against second",
            "Cafcass by reviewer",
            "CCC first against second",
            "CCC by reviewer",
            "Across frameworks",
            "Moderation",
        ],
        "Review date",
    ),
    "programme": (
        ["programme", *PLANS, "--audits", SERVICE],
        [
            "Contents",
            "By auditor",
            "By team",
            "By month",
            "Audit of the audits",
            "Audits each month",
            "Audits to complete",
            "Programme",
        ],
        "Selected on",
    ),
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
        ["Contents", "Teams", "Practitioners", "Recently audited", "Auditors", "Sample"],
        "Selected on",
    ),
}
#: Ids the view has labels for, which a cycle workbook never shows (a regression: the one sheet
#: of rows showed grades, frameworks, directions and states by their ids).
IDS = {
    "cafcass-qiam-2017",
    "ccc-practice-standards",
    "requires_improvement",
    "requires_improvement_to_be_good",
    "not_raised",
    "outcome_recorded",
    "up",
    "down",
    "late",
    "missing",
}


def write(cli, args, path: Path, expect: int | None = 0):
    return cli(*args, "--format", "xlsx", "-o", path, "--today", TODAY.isoformat(), expect=expect)


def cells(sheet) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def contents_of(contents: list[list[Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    """A Contents sheet's rows under its header: those that say what the report is and the dates
    it covers (:data:`~qaimpact.reports.tables.ABOUT`), and those that list the sheets."""
    about = [row for row in contents[1:] if row[0] in tables.ABOUT]
    return about, contents[1 + len(about) :]


def check_layout(sheet) -> None:
    """A frozen, bold header row and columns wider than Excel's default where the text needs it."""
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])


@pytest.mark.parametrize("name", CYCLE)
def test_each_cycle_report_is_a_workbook_of_its_tables(cli, tmp_path, name):
    """A Contents sheet, a sheet for each table the report shows, then its items one row each;
    every cell the JSON's value at the place its table says, numbers and dates typed, labels
    rather than ids."""
    from qaimpact.reports import cycle_tables

    args, sheets, date_column = CYCLE[name]
    book_path = tmp_path / f"{name}.xlsx"
    written = write(cli, args, book_path, expect=None)
    shown = cli(*args, "--format", "json", "--today", TODAY.isoformat(), expect=None)
    assert written.exit_code == shown.exit_code, written.stderr
    view = json.loads(shown.stdout)
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == sheets
    expected = cycle_tables.cycle_sheets(view)
    assert_workbook_is_the_json(book, view, expected)
    contents = cells(book["Contents"])
    assert contents[0] == ["Sheet", "Table"]
    about, listed = contents_of(contents)
    # What the report is and the day it is of, as its page says (a workbook passed on alone).
    assert about[0] == ["Report", tables.report_title(view)]
    if "today" in view:
        assert about[-1] == ["As of", view["today"]]
    assert [row[0] for row in listed] == sheets[1:]
    for sheet in book.worksheets:
        check_layout(sheet)
    rows = cells(book[sheets[-1]])
    assert len(rows) > 1
    header = rows[0]
    dates = [row[header.index(date_column)] for row in rows[1:]]
    assert all(isinstance(d, dt.datetime) for d in dates), dates  # openpyxl reads dates as datetimes
    every = [v for ws in book.worksheets[1:] for row in cells(ws)[1:] for v in row]
    assert [v for v in every if isinstance(v, int | float) and not isinstance(v, bool)], "no cell is a number"
    assert not [v for v in every if isinstance(v, str) and v.isdigit()]
    # A plan names each case's framework by the id its CSV gives, as the sample's page does: the
    # programme and sample views hold no title for it.
    kept = {"Framework"} if name in ("programme", "sample") else set()
    assert not [
        (ws.title, c.coordinate)
        for ws in book.worksheets
        for column in ws.iter_cols()
        if column[0].value not in kept
        for c in column[1:]
        if c.value in IDS
    ]
    # Every cell but a table's own labels has its place in the JSON.
    assert all(len(sheet.sources) == len(sheet.rows) for sheet in expected[1:])


def test_the_summary_workbook_holds_the_same_figures_as_its_json(cli, tmp_path):
    book_path = tmp_path / "summary.xlsx"
    write(cli, ["summary", "--audits", SERVICE, "--by", "team"], book_path)
    view = json.loads(
        cli("summary", "--audits", SERVICE, "--by", "team", "-f", "json", "--today", TODAY).stdout
    )
    book = openpyxl.load_workbook(book_path)
    contents = cells(book["Contents"])
    assert contents[0] == ["Sheet", "Table"]
    about, listed = contents_of(contents)
    assert about == [
        ["Report", "Quality assurance summary"],
        ["Period", f"{view['period']['from']} to {view['period']['to']}"],
    ]
    assert listed[0] == [
        "Cafcass grades",
        # A double-marked case counts once, as the pages say (test_workbook_words.py).
        f"Grade distribution, {view['frameworks'][0]['framework']['title']}. {view['counted_once_basis']}",
    ]
    for short, section in zip(["Cafcass", "CCC"], view["frameworks"], strict=True):
        grades = cells(book[f"{short} grades"])
        # Each share exactly, its count over the audits: not the page's rounded percentage.
        assert grades[1:] == [
            [d["label"], d["count"]["n"], pytest.approx(d["count"]["n"] / section["n"], rel=1e-12)]
            for d in section["distribution"]
        ]
        assert book[f"{short} grades"]["C2"].number_format == "0%"
        quarters = cells(book[f"{short} by quarter"])
        assert quarters[0] == [
            "Quarter",
            "Audits",
            *(d["label"] for d in section["distribution"]),
            f"{section['good_or_better_label'].capitalize()} or better",
        ]
        assert [row[:2] for row in quarters[1:]] == [[t["key"], t["n"]["n"]] for t in section["trend"]]
        teams = cells(book[f"{short} by team"])
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


GROUPINGS: list[str | None] = [None, *FACETS]
#: The summary's sheets besides the frameworks' and the records' (named after each framework's
#: short titles, Cafcass and CCC, as the service's audits are of two frameworks).
CYCLE_SHEETS = [
    "Escalations",
    "Escalations by state",
    "Escalation themes",
    "Open escalations",
    "Actions",
    "Action themes",
    "Most overdue actions",
    "Re-audits",
    "Re-audit follow-up",
    "Moderation",
    "Moderation direction",
]
#: The sheets that list audits one by one: never in a published workbook.
LISTING = ["Audits", "Open escalations", "Most overdue actions"]


def summary_pair(cli, audits: Path, by: str | None, folder: Path, *extra: str) -> tuple[Any, dict[str, Any]]:
    """The summary of ``audits`` as a workbook and as JSON, each written by the CLI."""
    grouping = ("--by", by) if by else ()
    args = ("summary", "--audits", audits, *grouping, *extra, "--today", TODAY.isoformat())
    book_path = folder / "summary.xlsx"
    written = cli(*args, "--format", "xlsx", "-o", book_path, expect=None)
    assert written.exit_code in (0, 1), written.stderr
    shown = cli(*args, "--format", "json", expect=None)
    assert shown.exit_code == written.exit_code, shown.stderr
    return openpyxl.load_workbook(book_path), json.loads(shown.stdout)


def as_cell(found: Any, *, exact: bool) -> Any:
    """A value of the JSON view as openpyxl reads its cell back (a share as its exact fraction
    where ``exact``, else as the page's percentage)."""
    from qaimpact.reports import tables, xlsx

    typed = tables.value(found, exact=exact)
    if isinstance(typed, tables.Share):
        return pytest.approx(typed.fraction)
    if isinstance(typed, dt.date):
        return dt.datetime.combine(typed, dt.time())
    if isinstance(typed, bool):
        return xlsx.yes_no(typed)
    if isinstance(typed, float):  # openpyxl writes 16 significant digits: kappa loses its 17th
        return pytest.approx(typed, rel=1e-12)
    return None if typed == "" else typed


def leaves(data: Any, *, exact: bool) -> tuple[set[float], set[str]]:
    """Every number (a share's percentage as a fraction too, and where ``exact`` its count over
    its whole) and every text in ``data``."""
    numbers: set[float] = set()
    texts: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            if isinstance(item.get("pct"), int | float):
                numbers.add(round(item["pct"] / 100, 9))
                if exact and item["of"]["n"]:
                    numbers.add(round(item["count"]["n"] / item["of"]["n"], 9))
            for child in item.values():
                walk(child)
        elif isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, bool):
            pass
        elif isinstance(item, int | float):
            numbers.add(round(item, 9))
        elif isinstance(item, str):
            texts.add(item)

    walk(data)
    return numbers, texts


def assert_workbook_is_the_json(book, view: dict[str, Any], expected: list[Any] | None = None) -> None:
    """Each cell of each sheet is the JSON's value at the place the table says (the one mapping:
    ``expected``, by default :func:`qaimpact.reports.tables.summary_sheets`, then the audits), each
    sheet has those cells and no more, and, checked apart from that mapping, no cell holds a
    number or a text the JSON does not."""
    from qaimpact.reports import tables

    if expected is None:
        # Unpublished, the audits' sheet last, and on the Contents sheet as every other; its rows
        # are the CSV's, one per audit, not places in the JSON, so only its name is checked here.
        expected = tables.summary_sheets(view, None if view["publish"] else [])
        assert book.sheetnames == [s.title for s in expected]
        expected = [s for s in expected if s.title != "Audits"]
    else:
        assert book.sheetnames == [s.title for s in expected]
    # The QA team's own workbook holds each share exactly; a published one, as the page rounds it.
    exact = not view.get("publish")
    numbers, texts = leaves(view, exact=exact)
    for sheet in expected:
        got = cells(book[sheet.title])
        assert got[0] == sheet.columns, sheet.title
        check_layout(book[sheet.title])
        assert len(got) == 1 + len(sheet.sources), sheet.title
        for r, (row, sources) in enumerate(zip(got[1:], sheet.sources, strict=True), start=2):
            assert len(row) == len(sources), (sheet.title, r)
            for c, (cell, source) in enumerate(zip(row, sources, strict=True), start=1):
                where = f"{sheet.title}!R{r}C{c}"
                if source is None:  # a label of the table itself
                    assert cell is None or (isinstance(cell, str) and not cell.isdigit()), where
                    continue
                # A word of the view shown as a label ("overdue" as "Overdue"): the JSON keeps the
                # word, the cell is the label.
                labelled = isinstance(source, tables.Label)
                found = tables.at(view, source.path if labelled else source)
                typed = as_cell(found, exact=exact)
                assert cell == (tables.as_label(typed) if labelled else typed), where
                if isinstance(cell, bool):
                    continue
                if isinstance(cell, int | float):
                    assert round(cell, 9) in numbers, f"{where}: {cell} is not in the JSON"
                elif isinstance(cell, str) and isinstance(found, list):
                    # A list of texts (the roles an escalation goes to), one cell.
                    joined = "; ".join(str(tables.value(f)) for f in found)
                    assert cell == (tables.as_label(joined) if labelled else joined), where
                elif isinstance(cell, str) and sheet.title != "Contents":
                    # A share the JSON says is "suppressed", the workbook says as the page does.
                    shown = "suppressed" if cell == "not shown" else cell
                    if labelled:
                        shown = found if isinstance(found, str) else shown
                    assert shown in texts or cell in ("Yes", "No"), f"{where}: {cell!r} is not in the JSON"


@pytest.mark.parametrize(
    "by",
    [pytest.param(by, marks=[] if by in (None, "team") else pytest.mark.long) for by in GROUPINGS],
    ids=[str(by) for by in GROUPINGS],
)
def test_a_published_workbook_holds_the_published_json_and_nothing_else(cli, tmp_path, by):
    """examples/service, each --by (every grouping but two in the long run: publishing the
    service takes about 20 s a report)."""
    book, view = summary_pair(cli, Path(SERVICE), by, tmp_path, "--publish")
    assert view["publish"] is True
    assert not set(LISTING) & set(book.sheetnames)
    assert_workbook_is_the_json(book, view)
    # The test is not vacuous: the service's published summary hides counts and shows others.
    hidden = [
        c.value
        for ws in book.worksheets
        for row in ws.iter_rows(min_row=2)
        for c in row
        if c.value in ("<5", "*", "–")
    ]
    assert "<5" in hidden
    assert "*" in hidden
    assert [c.value for c in book["Cafcass grades"]["B"][1:]] == [
        d["count"]["n"] if d["count"]["n"] is not None else d["count"]["text"]
        for d in view["frameworks"][0]["distribution"]
    ]


AUDIT_FILES = sorted(Path(SERVICE).glob("c*/*.yaml"))
RECORD_FILES = sorted(Path(SERVICE).glob("records/*/*.yaml"))


@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])  # cli keeps no state
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 16),
    records=st.booleans(),
    by=st.sampled_from(GROUPINGS),
)
def test_a_published_workbook_of_any_audits_holds_the_published_json(cli, seed, size, records, by):
    """Random small sets of the service's audits (and records), every --by: few and small, as
    each example publishes the summary twice."""
    rng = random.Random(seed)
    chosen = rng.sample(AUDIT_FILES, size) + (
        rng.sample(RECORD_FILES, min(6, len(RECORD_FILES))) if records else []
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        audits = folder / "audits"
        for path in chosen:
            target = audits / path.relative_to(SERVICE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        book, view = summary_pair(cli, audits, by, folder, "--publish")
        assert_workbook_is_the_json(book, view)


def test_the_unpublished_workbook_holds_its_json_too(cli, tmp_path):
    """The same mapping, unpublished: every sheet of the summary (the cycle's and the records'
    included), then the audits one row each."""
    book, view = summary_pair(cli, Path(SERVICE), "team", tmp_path)
    assert_workbook_is_the_json(book, view)
    assert [n for n in book.sheetnames if n in CYCLE_SHEETS] == CYCLE_SHEETS
    # Named for what they hold, after the framework's short title (two frameworks in one workbook).
    assert [n for n in book.sheetnames if n.startswith("Cafcass") and "by" not in n] == [
        "Cafcass grades",
        "Cafcass themes",
        "Cafcass added value",
        "Cafcass feedback",
        "Cafcass feedback dates",
        "Cafcass learning follow-through",
        "Cafcass learning follow… dates",  # 31 characters at most: the label gives way
        "Cafcass practice observation",
        "Cafcass practice observa… dates",
        "Cafcass standards observed",
    ]


def test_a_workbook_of_one_framework_names_its_sheets_for_what_they_hold(cli, tmp_path):
    book_path = tmp_path / "ccc.xlsx"
    write(cli, ["summary", "--audits", f"{SERVICE}/ccc"], book_path)
    assert openpyxl.load_workbook(book_path).sheetnames == [
        "Contents",
        "Grades",
        "By quarter",
        "By legal status",
        "By age band",
        "By sex",
        "By ethnicity",
        "By disability",
        "By child in care",
        "Themes",
        # No "Added value": the council's framework has none, and its page shows no such table.
        # The kinds of record the framework declares, none in the folder: each sheet says 0.
        "Feedback",
        "Learning follow-through",
        "Practice observation",
        *CYCLE_SHEETS,
        "Audits",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--audits", SERVICE, "--by", "team"],
        ["quarterly", "--audits", SERVICE, "--quarter", "2026-Q3"],
        ["quarterly", "--audits", SERVICE, "--quarter", "2026-Q3", "--publish"],
    ],
    ids=["summary", "quarterly", "published"],
)
def test_sheet_names_are_words_excel_accepts(cli, tmp_path, args):
    """Excel's limits (31 characters, none of []:*?/\\, no apostrophe at either end, unique
    whatever the case), and no code such as F1 or R1 for a name."""
    book_path = tmp_path / "book.xlsx"
    write(cli, args, book_path)
    names = openpyxl.load_workbook(book_path).sheetnames
    assert [n for n in names if len(n) > 31 or set(n) & set("[]:*?/\\") or n[0] == "'" or n[-1] == "'"] == []
    assert len({n.casefold() for n in names}) == len(names)
    assert [n for n in names if re.match(r"[A-Z]?\d+\b", n)] == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Quality and Impact Assurance Model", "QIAM"),
        ("Children's Services Practice Standards", "CSPS"),
        ("Standards", "Standards"),
        ("the local standards", "the local standards"),
    ],
)
def test_a_framework_is_named_by_its_initials(title, expected):
    from qaimpact.models.standard import initials

    assert initials(title) == expected


@pytest.mark.parametrize(
    ("short_title", "sheet"),
    [
        (None, "MPS grades"),  # "Mini practice standards": the title's capitalised words
        ("Mini", "Mini grades"),
        ("Twelve chars", "Twelve chars grades"),
    ],
)
def test_sheets_start_with_the_framework_s_short_title(cli, tmp_path, short_title, sheet):
    """A standards file's ``short_title`` names its sheets where the workbook holds several
    frameworks; without one, the initials of its title do."""
    standards = tmp_path / "standards"
    standards.mkdir()
    text = MINI.read_text(encoding="utf-8").replace(
        "title: Mini practice standards", "title: Mini Practice Standards"
    )
    if short_title:
        text = text.replace("\ntitle: ", f"\nshort_title: {short_title}\ntitle: ", 1)
    (standards / MINI.name).write_text(text, encoding="utf-8")
    audits = tmp_path / "audits"
    audits.mkdir()
    for path in (*MINI_AUDITS, *sorted(Path(SERVICE).glob("*/*.yaml"))[:4]):
        (audits / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "summary.xlsx"
    cli("summary", "--audits", audits, "--standards", standards, "-f", "xlsx", "-o", out, expect=0)
    assert sheet in openpyxl.load_workbook(out).sheetnames


def test_a_short_title_over_twelve_characters_is_refused(tmp_path):
    from qaimpact.frameworks.check import check_file

    path = tmp_path / "mini.yaml"
    text = MINI.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", "\nshort_title: Thirteen char\ntitle: ", 1), encoding="utf-8")
    framework, diagnostics = check_file(path)
    assert framework is None
    assert [(d.code, d.location.line, d.message) for d in diagnostics] == [
        ("QA209", 6, "'short_title': String should have at most 12 characters.")
    ]


def test_an_earlier_workbook_report_is_replaced(cli, tmp_path):
    book_path = tmp_path / "actions.xlsx"
    write(cli, ["escalations", "--audits", SERVICE], book_path, expect=1)
    write(cli, ["actions", "--audits", SERVICE], book_path)
    assert openpyxl.load_workbook(book_path).sheetnames == CYCLE["actions"][1]


def test_someone_elses_workbook_is_replaced_only_with_force(cli, tmp_path):
    """A QA team's own tracker.xlsx is their work, never an earlier report."""
    book_path = tmp_path / "tracker.xlsx"
    tracker = openpyxl.Workbook()
    tracker.active["A1"] = "my tracker"
    tracker.save(book_path)
    before = book_path.read_bytes()
    run = write(cli, ["actions", "--audits", SERVICE], book_path, expect=2)
    assert " ".join(run.stderr.split()) == (
        f"error: --output '{book_path}' already exists and is not an earlier qaimpact report, so it was not "
        "replaced; choose another name, or add --force to replace it."
    )
    assert book_path.read_bytes() == before
    write(cli, ["actions", "--audits", SERVICE, "--force"], book_path)
    assert openpyxl.load_workbook(book_path).sheetnames == CYCLE["actions"][1]


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
        # A share not shown: as the pages say it, not the JSON's word (a regression).
        ({"pct": None, "text": "suppressed"}, "not shown"),
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
    from qaimpact.base.provenance import WORKBOOK_CREATOR
    from qaimpact.reports.xlsx import CREATOR

    assert WORKBOOK_CREATOR == CREATOR


def test_a_published_quarterly_workbook_holds_the_published_json(cli, tmp_path):
    """The quarterly report's own sheets (Programme, Escalations carried, Actions at the end) keep
    the published view's suppression: examples/service for 2026-Q3 with its three plans (a review
    found only the summary's published workbook compared with its JSON)."""
    plans = [a for plan in sorted((Path(SERVICE) / "plans").glob("*.csv")) for a in ("--plans", plan)]
    args = ("quarterly", "--audits", SERVICE, "--quarter", "2026-Q3", "--publish", *plans)
    book_path = tmp_path / "quarterly.xlsx"
    written = cli(*args, "--today", TODAY.isoformat(), "--format", "xlsx", "-o", book_path, expect=None)
    shown = cli(*args, "--today", TODAY.isoformat(), "--format", "json", expect=None)
    assert written.exit_code == shown.exit_code == 0, written.stderr
    view = json.loads(shown.stdout)
    assert view["publish"] is True
    book = openpyxl.load_workbook(book_path)
    assert_workbook_is_the_json(book, view, tables.quarterly_sheets(view, None))
    # Not vacuous: the quarterly-only sheets are there, and hide small counts.
    for title in ("Programme", "Escalations carried", "Actions at the end"):
        values = [c.value for row in book[title].iter_rows(min_row=2) for c in row]
        assert {"<5", "*"} & set(values), title
