"""``sample`` leaves closed cases out of a practice audit, unless asked (``--include-closed``).

A case list exported from a case management system often holds the cases closed recently beside
the open ones. A practice audit is of work whose practitioner and manager can still act on what
it finds (the council's framework: remedial actions go "directly to the case responsible worker
and their team manager"), so a case the list says is closed (its ``status`` begins "Closed", or
its ``closed_on`` is on or before today) is left out and listed; ``--include-closed`` lets such
cases be chosen, each marked in the plan's note column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.base.errors import UsageError
from qaimpact.cycle import sampling
from qaimpact.cycle.common import Window
from qaimpact.cycle.sampling import Case
from qaimpact.frameworks.registry import Registry

FOLDER = DATA / "cycle" / "sampling"
AUDITS = FOLDER / "audits"
CASES = FOLDER / "cases-closed.csv"
FRAMEWORKS = ["cafcass-qiam-2017", "ccc-practice-standards"]
BASE = ("sample", "--cases", CASES, "--audits", AUDITS, "--today", TODAY.isoformat())
#: The cases of cases-closed.csv that are closed on TODAY, and how the plan marks each.
CLOSED = {
    "LCS-1002": "case closed on 2026-09-30",
    "LCS-1003": "case closed (status: Closed - NFA)",
    "LCS-1004": "case closed on 2026-10-03",
    "LCS-1005": "case closed on 2026-11-14",
    "LCS-2001": "case closed (status: Closed)",
}


@pytest.mark.parametrize(
    ("status", "closed_on", "closed"),
    [
        (None, None, False),
        ("Open", None, False),
        ("Closed", None, True),
        ("closed", None, True),
        ("Closed - NFA", None, True),
        ("Closed-transferred", None, True),
        ("Closing", None, False),  # a closure under way: the case is still open
        ("Not closed", None, False),
        # Whatever stands between the words, as systems and Word write them.
        ("CLOSED.", None, True),
        ("Closed:NFA", None, True),
        ("Closed\u2013NFA", None, True),
        ("Case closed", None, True),
        ("Case closed - NFA", None, True),
        ("Case Closed: transferred to another authority", None, True),
        ("Case closure planned", None, False),
        (None, dt.date(2026, 11, 22), True),  # closed today
        (None, dt.date(2026, 11, 23), False),  # a closure to come
        ("Open", dt.date(2026, 1, 5), True),  # a date of closure says it was closed
    ],
)
def test_when_a_case_is_closed(status: str | None, closed_on: dt.date | None, closed: bool) -> None:
    case = Case(2, "LCS-1", "North", "Amira Haddad", status=status, closed_on=closed_on)
    assert case.closed(TODAY) is closed


def test_the_status_and_closed_on_columns_are_read() -> None:
    cases = {c.case_id: c for c in sampling.read_cases(CASES, FRAMEWORKS)}
    assert (cases["LCS-1003"].status, cases["LCS-1003"].closed_on) == ("Closed - NFA", None)
    assert (cases["LCS-1004"].status, cases["LCS-1004"].closed_on) == (None, dt.date(2026, 10, 3))
    # Day first, as a UK spreadsheet writes a date.
    assert cases["LCS-1005"].closed_on == dt.date(2026, 11, 14)
    assert sorted(k for k, c in cases.items() if c.closed(TODAY)) == sorted(CLOSED)


def test_a_closed_on_that_is_not_a_date_is_refused_where_it_is() -> None:
    path = FOLDER / "cases-bad-closed.csv"
    with pytest.raises(UsageError) as caught:
        sampling.read_cases(path, FRAMEWORKS)
    assert str(caught.value) == "\n".join(
        [
            f"{path} has 2 problems; fix them and run again:",
            f"  {path}:2: the closed_on cell '3 Oct' is not a date. Write the date with its year, as "
            "YYYY-MM-DD: 3 October is YYYY-10-03, with the year in place of YYYY. Leave the cell empty "
            "for a case still open.",
            f"  {path}:3: the closed_on cell '2026-02-30' is not a date. February 2026 has 28 days, so "
            "there is no 30 February 2026: check the day. Leave the cell empty for a case still open.",
        ]
    )


def test_a_closed_on_exported_with_a_time_of_day_is_its_date() -> None:
    # A case management system's export writes a date cell with midnight after it.
    cases = sampling.read_cases(FOLDER / "cases-closed-exported.csv", FRAMEWORKS)
    assert [c.closed_on for c in cases] == [
        dt.date(2026, 10, 3),
        dt.date(2026, 11, 14),
        dt.date(2026, 9, 30),
        None,
    ]


@pytest.fixture(scope="module")
def last() -> dict[str, sampling.LastAudit]:
    loaded = load_dataset([AUDITS], Registry.default([]), CheckOptions(today=TODAY))
    return sampling.last_audits(loaded.records, TODAY)


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("per_team", [1, 2, 6])
def test_a_closed_case_is_never_chosen(last: dict[str, sampling.LastAudit], seed: int, per_team: int) -> None:
    """Regression: the status and closed_on columns were ignored, so closed cases were drawn."""
    plan = sampling.make_plan(
        sampling.read_cases(CASES, FRAMEWORKS),
        last,
        auditors=None,
        today=TODAY,
        per_team=per_team,
        window=Window.parse("12m"),
        seed=seed,
    )
    assert not [p.case.case_id for p in plan.picks if p.case.closed(TODAY)]
    assert sorted(c.case_id for c in plan.closed) == sorted(CLOSED)
    # Each case is counted once: closed, recently audited, or eligible.
    for team in plan.teams:
        assert team.closed + team.skipped + team.eligible == team.cases
    assert {t.team: t.closed for t in plan.teams} == {
        "East Midlands Private Law": 0,
        "North Cambs Safeguarding": 4,
        "South Cambs Children in Care": 1,
    }


def test_cli_leaves_closed_cases_out_and_lists_them(cli: Any) -> None:
    run = cli(*BASE, "--seed", "4", "--per-team", "6", "-f", "json")
    view = json.loads(run.stdout)
    assert not [p["case_id"] for p in view["plan"] if p["case_id"] in CLOSED]
    assert [p["closed"] for p in view["plan"]] == [False] * len(view["plan"])
    assert [(c["case_id"], c["line"], c["status"], c["closed_on"]) for c in view["closed"]] == [
        ("LCS-1002", 3, "Closed", "2026-09-30"),
        ("LCS-1003", 4, "Closed - NFA", None),
        ("LCS-1004", 5, None, "2026-10-03"),
        ("LCS-1005", 6, "closed", "2026-11-14"),
        ("LCS-2001", 8, "Closed", None),
    ]
    assert (view["totals"]["closed"]["n"], view["totals"]["eligible"]["n"]) == (5, 5)
    assert (view["options"]["include_closed"], view["options"]["closure_recorded"]) == (False, True)
    assert (
        f"note: 5 closed cases were left out (by the status or closed_on column of {CASES}): add "
        "--include-closed to choose from them too.\n"
    ) in run.stderr


def test_cli_markdown_says_what_was_left_out_as_closed(cli: Any) -> None:
    out = cli(*BASE, "--seed", "4", "-f", "md").stdout
    for line in [
        "- Left out: 5 closed cases, and 1 case audited in the 12 months since 2025-11-22.",
        "| Team | Cases | Closed | Recently audited | Eligible | Practitioners | Chosen | Short by |",
        "| South Cambs Children in Care | 2 | 1 | 1 | 0 | 0 | 0 of 2 | 2 |",
        "## Left out as closed (5)",
        "| North Cambs Safeguarding | LCS-1003 | Amira Haddad | Closed - NFA |  |",
        "| North Cambs Safeguarding | LCS-1004 | Ben Okafor |  | 2026-10-03 |",
    ]:
        assert line + "\n" in out


def test_cli_html_lists_closed_cases(cli: Any) -> None:
    out = cli(*BASE, "--seed", "4", "-f", "html").stdout
    assert "<caption>Left out as closed (5)</caption>" in out
    assert (
        '<tr><th scope="row"><span class="nowrap">LCS-1003</span></th><td>North Cambs Safeguarding</td>'
        "<td>Amira Haddad</td><td>Closed - NFA</td><td></td></tr>"
    ) in out
    assert "Left out: 5 closed cases, and 1 case audited" in out


def test_cli_include_closed_chooses_them_marked(cli: Any, tmp_path: Path) -> None:
    """Asked for, closed cases can be chosen; each says so in the note column and its audit file."""
    run = cli(*BASE, "--seed", "4", "--per-team", "6", "--include-closed", "--scaffold", tmp_path / "audits")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    notes = {r["case_id"]: r["note"] for r in rows}
    # LCS-1002, closed, was audited in March: it is left out as recently audited, as an open case is.
    assert {k: v for k, v in notes.items() if k in CLOSED} == {
        "LCS-1003": "case closed (status: Closed - NFA)",
        "LCS-1004": "case closed on 2026-10-03",
        "LCS-1005": "case closed on 2026-11-14; last audited 2025-06-01 (CFA-2025-0601)",
        "LCS-2001": "case closed (status: Closed)",
    }
    assert (
        "note: 4 of the chosen cases are closed (--include-closed): each is marked in the note column.\n"
        in (run.stderr)
    )
    assert "closed cases were left out" not in run.stderr
    audit = next(r["audit_file"] for r in rows if r["case_id"] == "LCS-1005")
    assert (
        "# The case was last audited on 2025-06-01 (CFA-2025-0601).\n"
        "# The case closed on 2026-11-14: chosen with --include-closed.\n"
    ) in Path(audit).read_text(encoding="utf-8")


def test_cli_include_closed_markdown(cli: Any) -> None:
    out = cli(*BASE, "--seed", "4", "--per-team", "6", "--include-closed", "-f", "md").stdout
    assert "- Left out: 2 cases audited in the 12 months since 2025-11-22.\n" in out
    assert "- Closed cases could be chosen too (`--include-closed`); each chosen one is marked" in out
    assert "| Closed |" not in out
    assert "## Left out as closed" not in out


@pytest.mark.parametrize("include", [[], ["--include-closed"]])
def test_the_json_with_closed_cases_follows_the_published_schema(cli: Any, include: list[str]) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    from qaimpact.reports import schemas

    view = json.loads(cli(*BASE, "--seed", "4", "--per-team", "6", *include, "-f", "json").stdout)
    assert view["schema_version"] == schemas.SCHEMA_VERSION
    validator = Draft202012Validator(schemas.load("sample"), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(view)] == []
    assert [p["closed"] for p in view["plan"]].count(True) == (4 if include else 0)


def test_the_workbook_has_a_closed_column_and_sheet(cli: Any, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book_path = tmp_path / "plan.xlsx"
    cli(*BASE, "--seed", "4", "-o", book_path)
    book = openpyxl.load_workbook(book_path)
    # Without an auditors list there is no Auditors sheet (regression: an internal error, exit 4).
    assert book.sheetnames == [
        "Contents",
        "Teams",
        "Practitioners",
        "Short of the quota",
        "Closed",
        "Recently audited",
        "Sample",
    ]
    rows = [[c.value for c in row] for row in book["Closed"].iter_rows()]
    assert ["North Cambs Safeguarding", "LCS-1003", "Amira Haddad", "Closed - NFA", None] in rows
    teams = [[c.value for c in row] for row in book["Teams"].iter_rows()]
    header = next(r for r in teams if r and r[0] == "Team")
    assert header[:4] == ["Team", "Cases", "Closed", "Recently audited"]


def test_a_workbook_without_an_auditors_list(cli: Any, tmp_path: Path) -> None:
    """Regression: ``sample -o plan.xlsx`` without --auditors was an internal error (exit 4)."""
    openpyxl = pytest.importorskip("openpyxl")
    book_path = tmp_path / "plan.xlsx"
    cli(
        "sample",
        "--cases",
        FOLDER / "cases.csv",
        "--audits",
        AUDITS,
        "--today",
        TODAY,
        "--seed",
        "4",
        "-o",
        book_path,
    )
    names = openpyxl.load_workbook(book_path).sheetnames
    assert (names[0], names[-1], "Auditors" in names, "Closed" in names) == (
        "Contents",
        "Sample",
        False,
        False,
    )


@pytest.mark.parametrize(
    "status",
    [
        "Closed \x07bell",  # a control character pasted from a case management system
        "Closed \ufffe",  # a noncharacter, which YAML cannot hold
        "Closed " + "NFA " * 40,  # a status far longer than a line
    ],
)
def test_a_scaffolded_closed_case_is_readable_whatever_its_status(
    cli: Any, tmp_path: Path, status: str
) -> None:
    """Regression: the status cell went into the scaffolded audit's comment as it was, so a
    control character made the blank audit unreadable (QA101) and a long one ran on in one line."""
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "case_id,team,practitioner,framework,status\n"
        f"LCS-7001,North Cambs Safeguarding,Amira Haddad,ccc-practice-standards,{status}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "audits"
    cli(
        "sample",
        "--cases",
        cases,
        "--audits",
        AUDITS,
        "--today",
        TODAY.isoformat(),
        "--seed",
        "4",
        "--include-closed",
        "--scaffold",
        folder,
    )
    [audit] = folder.glob("*.yaml")
    text = audit.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert all(line.isprintable() and len(line) <= 100 for line in comments), comments
    assert "# The case closed (status: Closed " in text
    out = cli("validate", audit, expect=1).stdout
    assert "QA101" not in out
