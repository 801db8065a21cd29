"""Workbooks and pages a reader can take as finished (issue 17, section 3: the reader review).

- A share in the QA team's own workbook is its exact fraction, shown as a percentage, so that a
  chart or a sum of it carries no rounding; a published workbook keeps the percentage the page
  prints, and a share the page does not show stays not shown.
- A yes/no cell says "Yes" or "No", as every other answer does: the workbooks' "Carried in" and
  "Recurring" columns, and the pages' "Recurring" columns.
- The quarterly workbook lists the quarter's audits one row each, as the summary's does: the same
  columns, names replaced under --redact, no such sheet under --publish.
- The Markdown escalations report says how to record an escalation, in the HTML page's words.

tests/data/quarterly/audits holds six audits of examples/service, four of them in 2026-Q3.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.reports.tables import ABOUT

openpyxl = pytest.importorskip("openpyxl")

SERVICE = EXAMPLES / "service"
QUARTER_AUDITS = DATA / "quarterly" / "audits"
QUARTER = ("--quarter", "2026-Q3")


def workbook(cli: Callable[..., Any], folder: Path, *args: Any, expect: int | None = 0) -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "book.xlsx"
    cli(*args, "--today", TODAY.isoformat(), "-f", "xlsx", "-o", path, "--force", expect=expect)
    return openpyxl.load_workbook(path)


def column(sheet: Any, heading: str) -> list[Any]:
    """The cells of a sheet's column under ``heading``, below the header."""
    header = [c.value for c in sheet[1]]
    return [row[header.index(heading)].value for row in sheet.iter_rows(min_row=2)]


def cell(sheet: Any, first: str, heading: str) -> Any:
    """The cell of the row whose first cell is ``first``, in the column under ``heading``."""
    header = [c.value for c in sheet[1]]
    return next(row for row in sheet.iter_rows(min_row=2) if row[0].value == first)[header.index(heading)]


# -- shares -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "row", "heading", "fraction"),
    [
        # 1 of the 3 case file audits good or better: 33% on the page, a third in the workbook.
        ("By audit type", "Case file audit", "Good or better", 1 / 3),
        ("By disability", "No", "Good or better", 1 / 3),
        # 2 of the 7 actions open at the quarter's end are overdue: 29%.
        ("Actions at the end", "Overdue, of the open actions", "Value", 2 / 7),
    ],
)
def test_the_qa_team_s_workbook_holds_each_share_exactly(
    cli: Callable[..., Any], tmp_path: Path, sheet: str, row: str, heading: str, fraction: float
) -> None:
    """A regression: each share was stored as the page rounds it (0.33), so that a chart or a sum
    of shares drifted from the counts beside them."""
    book = workbook(cli, tmp_path, "quarterly", "--audits", QUARTER_AUDITS, *QUARTER)
    found = cell(book[sheet], row, heading)
    assert found.value == pytest.approx(fraction, rel=1e-12)
    assert found.number_format == "0%"


def test_a_cycle_report_s_workbook_holds_its_shares_exactly(cli: Callable[..., Any], tmp_path: Path) -> None:
    view = json.loads(cli("actions", "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", "json").stdout)
    share = view["totals"]["overdue_share"]
    assert share["count"]["n"] / share["of"]["n"] != share["pct"] / 100  # the test is not vacuous
    book = workbook(cli, tmp_path, "actions", "--audits", SERVICE)
    found = cell(book["Figures"], "Overdue, of the open actions", "Value")
    assert found.value == pytest.approx(share["count"]["n"] / share["of"]["n"], rel=1e-12)
    assert found.number_format == "0%"


def test_a_published_workbook_keeps_the_share_the_page_prints(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    """Published, a share is the percentage the page prints (58% of 7 of 12 is 0.58, not 7/12):
    the workbook holds nothing the published pages do not. A share the page does not show stays
    "not shown"."""
    args = ("quarterly", "--audits", SERVICE, *QUARTER, "--publish")
    page = cli(*args, "--today", TODAY.isoformat(), "-f", "json").stdout
    view = json.loads(page)
    ccc = next(s for s in view["frameworks"] if s["framework"]["id"] == "ccc-practice-standards")
    shown = ccc["trend"][0]["good_or_better"]
    assert (shown["pct"], shown["count"]["n"], shown["of"]["n"]) == (58, 7, 12)
    book = workbook(cli, tmp_path, *args)
    found = cell(book["CCC by quarter"], "2026-Q3", "Good or better")
    assert (found.value, found.number_format) == (0.58, "0%")
    hidden = [c.value for c in book["CCC by legal status"]["G"][1:]]
    assert "not shown" in hidden


# -- yes and no ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "heading", "expected"),
    [
        ("Open escalations", "Carried in", ["No", "Yes"]),
        ("Most overdue actions", "Carried in", ["Yes", "No", "No", "No", "No", "No", "No"]),
    ],
)
def test_the_quarterly_workbook_answers_yes_or_no(
    cli: Callable[..., Any], tmp_path: Path, sheet: str, heading: str, expected: list[str]
) -> None:
    """A regression: "yes" and "no", where every other answer is "Yes" or "No"."""
    book = workbook(cli, tmp_path, "quarterly", "--audits", QUARTER_AUDITS, *QUARTER)
    assert column(book[sheet], heading) == expected


# A row without a theme (a framework that lists none, or "(no theme)") leaves the cell empty.
@pytest.mark.parametrize(("report", "expected"), [("actions", {"Yes"}), ("escalations", {"No", None})])
def test_the_recurring_column_answers_yes_or_no(
    cli: Callable[..., Any], tmp_path: Path, report: str, expected: set[str]
) -> None:
    book = workbook(cli, tmp_path, report, "--audits", SERVICE, expect=None)
    assert set(column(book["Themes"], "Recurring")) == expected


@pytest.mark.parametrize(
    ("args", "row"),
    [
        (
            ("summary", "-f", "md"),
            "| Children's Services Practice Standards | Planning and drift | 7 | 2 | 2 | Yes (7 audits) |",
        ),
        (
            ("summary", "-f", "md"),
            "| Quality and Impact Assurance Model | (the framework lists no themes) | 5 | 3 | 2 |  |",
        ),
        (
            ("summary", "-f", "html"),
            '<td class="num">2</td><td class="num">2</td><td>Yes (7 audits)</td></tr>',
        ),
        (
            ("actions", "-f", "md"),
            "| Children's Services Practice Standards | Planning and drift | 7 | 7 | **Yes** | 2 | 2 |",
        ),
        (
            ("actions", "-f", "html"),
            '<td class="num">7</td><td class="num">7</td><td><strong>Yes</strong></td>',
        ),
        (
            ("escalations", "-f", "md"),
            "| Children's Services Practice Standards | Risk and safety planning | 1 | 1 | No | 0 | 0 |",
        ),
        (
            ("escalations", "-f", "html"),
            '<td class="num">1</td><td class="num">1</td><td>No</td>',
        ),
    ],
)
def test_the_pages_recurring_column_answers_yes_or_no(
    cli: Callable[..., Any], args: tuple[str, ...], row: str
) -> None:
    out = cli(*args, "--audits", SERVICE, "--today", TODAY.isoformat(), expect=None).stdout
    assert row in out


# -- the quarterly workbook's audits ---------------------------------------------------------------


def rows(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_quarterly_workbook_lists_the_quarter_s_audits_as_the_summary_does(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    """A regression: the summary's workbook had a sheet of the audits, one row each, and the
    quarterly's none."""
    quarterly = workbook(cli, tmp_path / "q", "quarterly", "--audits", QUARTER_AUDITS, *QUARTER)
    summary = workbook(cli, tmp_path / "s", "summary", "--audits", QUARTER_AUDITS, *QUARTER)
    assert quarterly.sheetnames[-1] == "Audits"
    assert rows(quarterly["Audits"]) == rows(summary["Audits"])
    assert len(rows(quarterly["Audits"])) == 1 + 4
    assert quarterly["Audits"].freeze_panes == "A2"


def test_the_quarterly_workbook_s_audits_are_redacted_as_its_report_is(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    args = ("quarterly", "--audits", QUARTER_AUDITS, *QUARTER)
    plain = rows(workbook(cli, tmp_path / "plain", *args)["Audits"])
    book = workbook(cli, tmp_path / "redacted", *args, "--redact")
    redacted = rows(book["Audits"])
    summary = workbook(cli, tmp_path / "summary", "summary", "--audits", QUARTER_AUDITS, *QUARTER, "--redact")
    assert rows(summary["Audits"])[0] == redacted[0] == plain[0]
    header = plain[0]
    names = {row[header.index(k)] for row in plain[1:] for k in ("Practitioner", "Reviewer")}
    assert names
    assert not [v for row in redacted for v in row for n in names if isinstance(v, str) and n in v]
    # The pseudonyms are the report's own: each audit's practitioner as its page names them.
    view = json.loads(cli(*args, "--redact", "--today", TODAY.isoformat(), "-f", "json").stdout)
    listed = {(a["audit_id"], a["practitioner"]) for s in view["frameworks"] for a in s["included"]}
    audit, practitioner = header.index("Audit id"), header.index("Practitioner")
    assert {(row[audit], row[practitioner]) for row in redacted[1:]} == listed


def test_a_published_quarterly_workbook_lists_no_audit(cli: Callable[..., Any], tmp_path: Path) -> None:
    book = workbook(cli, tmp_path, "quarterly", "--audits", QUARTER_AUDITS, *QUARTER, "--publish")
    assert "Audits" not in book.sheetnames


# -- how to record an escalation ---------------------------------------------------------------------

#: What the HTML page says to do, with its code as Markdown writes it.
HOW_TO_RECORD = [
    "Tell each role on the route named below and record it in the audit under `escalation:`, with each "
    "person told under `recipients:` (`role`, `name`, `told_on`).",
    "Chase each and record the step under `escalation:` (`acknowledged_on` and `acknowledged_by`; "
    "`outcome:` with `action_taken` and `safe_on`).",
]


@pytest.mark.parametrize("words", HOW_TO_RECORD)
def test_the_markdown_escalations_say_how_to_record_an_escalation(
    cli: Callable[..., Any], words: str
) -> None:
    """A regression: the HTML page said it, the Markdown did not."""
    args = ("escalations", "--audits", SERVICE, "--today", TODAY.isoformat())
    md = cli(*args, "-f", "md", expect=1).stdout
    html = cli(*args, "-f", "html", expect=1).stdout
    assert words in md
    as_html = words
    while "`" in as_html:
        as_html = as_html.replace("`", "<code>", 1).replace("`", "</code>", 1)
    assert as_html in html


def test_the_markdown_escalations_say_what_is_not_raised_and_overdue(cli: Callable[..., Any]) -> None:
    md = cli("escalations", "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", "md", expect=1).stdout
    assert f"**1 escalation not raised.** 1 is overdue. {HOW_TO_RECORD[0]}\n" in md
    assert (
        "**Escalations overdue.** 1 not acknowledged in time; 2 without an outcome for the child in "
        f"time. {HOW_TO_RECORD[1]}\n" in md
    )


@pytest.mark.parametrize(
    ("command", "caption"),
    [
        # Every audit read: a second audit of a double-marked case names the audit counted for it.
        (
            "summary",
            "The audits read, one row each, with their grades and dates (a second audit of a "
            "double-marked case, counted once, names the audit counted for it)",
        ),
        (
            "quarterly",
            "The quarter's audits, one row each, with their grades and dates (a second audit of a "
            "double-marked case, counted once, names the audit counted for it)",
        ),
    ],
)
def test_the_contents_sheet_lists_the_audits_sheet(
    cli: Callable[..., Any], tmp_path: Path, command: str, caption: str
) -> None:
    """A regression: the QA team's workbooks ended with an "Audits" sheet their Contents sheet did
    not name, so a reader going by the Contents never found the audits."""
    book = workbook(cli, tmp_path, command, "--audits", QUARTER_AUDITS, *QUARTER)
    contents = rows(book["Contents"])
    assert contents[-1] == ["Audits", caption]
    assert [row[0] for row in contents[1:] if row[0] not in ABOUT] == book.sheetnames[1:]


@pytest.mark.parametrize("command", ["summary", "quarterly"])
def test_a_published_workbook_s_contents_name_no_audits_sheet(
    cli: Callable[..., Any], tmp_path: Path, command: str
) -> None:
    book = workbook(cli, tmp_path, command, "--audits", QUARTER_AUDITS, *QUARTER, "--publish")
    contents = rows(book["Contents"])
    assert "Audits" not in [row[0] for row in contents]
    assert [row[0] for row in contents[1:] if row[0] not in ABOUT] == book.sheetnames[1:]


# -- the learning log's yes/no --------------------------------------------------------------------

#: Kwabena Mensah's follow-through: the action agreed, and the evidence of change for the second.
AGREED = (
    "Where it was discussed: Performance and learning review (PLR); Action agreed: Apply the learning on "
    "every new case and bring an example to the next supervision."
)
SEEN = " Evidence of change: Seen on the file at the next case check. Evidence seen on: "
NOWRAP = '<span class="nowrap">{}</span>'


@pytest.mark.parametrize(
    ("output_format", "line"),
    [
        # Learning themes: recurring, in the latest audit.
        ("md", "| Compliance with policy | Case planning | 1 | No | No |"),
        ("md", "| Compliance with policy | Missing evidence/incorrect information | 1 | No | Yes |"),
        (
            "html",
            '    <tr><td>Compliance with policy</td><th scope="row">Case planning</th><td class="num">1</td>'
            "<td>No</td><td>No</td></tr>",
        ),
        (
            "html",
            "    <tr><td>Compliance with policy</td>"
            '<th scope="row">Missing evidence/incorrect information</th>'
            '<td class="num">1</td><td>No</td><td>Yes</td></tr>',
        ),
        # Follow-through: overdue, recurred.
        (
            "md",
            f"| 2026-04-23 | PLR-C-2026-004 | QA-2026-0036: Case planning | {AGREED}{SEEN}2026-06-17 "
            "| 2026-06-22 | No | No |",
        ),
        (
            "md",
            f"| 2026-02-14 | PLR-C-2026-003 | QA-2026-0014: Unsafe recommendations | {AGREED} | 2026-04-15 | "
            "**Yes: 221 days** | No |",
        ),
        (
            "html",
            f"    <tr><td>{NOWRAP.format('2026-04-23')}</td>"
            f"<td><code>{NOWRAP.format('PLR-C-2026-004')}</code></td>"
            f"<td>{NOWRAP.format('QA-2026-0036')}: Case planning</td><td>{AGREED}{SEEN}"
            f"{NOWRAP.format('2026-06-17')}</td><td>{NOWRAP.format('2026-06-22')}</td><td>No</td><td>No</td></tr>",
        ),
    ],
)
def test_the_learning_log_answers_yes_or_no(cli: Callable[..., Any], output_format: str, line: str) -> None:
    """A regression: the learning log wrote "yes" and "no" where every other page writes "Yes" and
    "No"."""
    args = ("report", "--fca", "Kwabena Mensah", "--audits", SERVICE, "--today", TODAY.isoformat())
    assert line in cli(*args, "-f", output_format).stdout.splitlines()


COUNTED_ONCE_RULE = (
    "A case audited by a second reviewer within 30 days, for moderation (double-marking), counts "
    "once in the figures: as the audit a moderator settled, if one was moderated, otherwise the "
    "first. Escalations count every audit. The moderation report compares "
    "the two grades."
)


@pytest.mark.parametrize("command", ["summary", "quarterly"])
@pytest.mark.parametrize("publish", [(), ("--publish",)], ids=["own", "published"])
def test_the_workbook_says_a_double_marked_case_counts_once(
    cli: Callable[..., Any], tmp_path: Path, command: str, publish: tuple[str, ...]
) -> None:
    """Review: the pages say that a double-marked case counts once, the workbook (published too)
    did not, so a board reading it took its audits for audits read. Its Contents say it beside
    each framework's grades."""
    book = workbook(cli, tmp_path, command, "--audits", SERVICE, *QUARTER, *publish)
    contents = {row[0]: row[1] for row in rows(book["Contents"])[1:]}
    assert (
        contents["Cafcass grades"]
        == f"Grade distribution, Quality and Impact Assurance Model. {COUNTED_ONCE_RULE}"
    )


def test_a_workbook_with_no_double_marking_says_nothing_of_it(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    audits = DATA / "cycle" / "double-marked" / "CFA-2026-0609.yaml"
    book = workbook(cli, tmp_path, "summary", "--audits", audits)
    assert [row[1] for row in rows(book["Contents"])[1:] if row[0] == "Grades"] == [
        "Grade distribution, Children's Services Practice Standards"
    ]
