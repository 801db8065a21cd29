"""The reports of examples/service read as their readers read them (a review before sign-off).

1. A practitioner's feedback on one audit says of each remedial action what the remedial actions
   report says of it as of the same day ("Open, overdue 40 days"; "Done on 2026-08-24, 18 days
   after it was due"), not the word the audit stores ("open"), which read as on track for an
   action weeks overdue.
2. The summary workbook calls the Cafcass table "Added value", as the model and the pages do (it
   said "Value added"), and gives no sheet of headings alone for a framework without added value.
3. The summary workbook gives kappa and its confidence interval as numbers a QA manager can chart
   (it gave the text "0.35 (95% CI 0.07 to 0.64)"), as the moderation workbook does, and the
   pooled kappa across frameworks that the pages give.
4. The summary workbook names the median days to the case confirmed safe as the pages and the
   escalations workbook do (it said "to the outcome").
5. The example narrative of 2026-Q3 says what the quarter's figures show (it said management
   oversight was the standard most often rated below good, where multi-agency working was, and
   gave four compliments and two complaints beside records of one of each), and gives no count a
   published report would refuse, so that the example can be published.
6. A percentage is rounded a half up, as a reader and Excel's ROUND round it: 6 of 48 is 13%
   (it was 12%, Python's round taking a half to the even number).
7. A summary of audits none of which is a re-audit says how to record one in words, as the impact
   report does (it said "add 'reaudit_of: AUDIT_ID' to it, naming the audit_id of ...").
8. The moderation report's grades by reviewer head "With a second mark" the column that counts
   the audits moderated or double-marked (it said "Moderated": 3 for a reviewer with 2 audits
   moderated and 1 double-marked).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLES, TODAY

SERVICE = EXAMPLES / "service"
DAY = ("--today", TODAY.isoformat())
INADEQUATE = SERVICE / "ccc" / "CFA-2026-0222.yaml"
LATE_AND_OPEN = SERVICE / "ccc" / "CFA-2026-0166.yaml"
ON_TIME = SERVICE / "ccc" / "CFA-2026-0194.yaml"


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# 1. The feedback says what the tracker says of each action.


@pytest.mark.parametrize(
    ("audit", "fmt", "lines"),
    [
        (
            INADEQUATE,
            "md",
            [
                "| Escalate the inadequate audit to the Head of Service and hold a strategy discussion. "
                "| Imran Qureshi | 2026-10-01 | Open, **overdue 52 days** |",
                "| Review the safety plan with the family and share it with the police. | Connor Fitzgerald "
                "| 2026-10-20 | Open, **overdue 33 days** |",
            ],
        ),
        (
            LATE_AND_OPEN,
            "md",
            [
                "| Bring the case notes and chronology up to date. | Connor Fitzgerald | 2026-08-06 "
                "| Done on 2026-08-24, 18 days after it was due |",
                "| Discuss the audit findings in supervision and record an agreed plan for the case. "
                "| Imran Qureshi | 2026-08-13 | Open, **overdue 101 days** |",
            ],
        ),
        (
            ON_TIME,
            "md",
            [
                "| Rewrite the child in need plan as SMART, with owners and dates. | Tomasz Nowak "
                "| 2026-09-04 | Done on 2026-09-04 |",
                "| Book visits every four weeks for the next three months and see the child alone each "
                "time. | Tomasz Nowak | 2026-11-27 | Open |",
            ],
        ),
        (
            LATE_AND_OPEN,
            "html",
            [
                '<td>Done on <span class="nowrap">2026-08-24</span>, 18 days after it was due</td>',
                '<td>Open, <span class="flag">overdue 101 days</span></td>',
            ],
        ),
    ],
)
def test_the_feedback_says_of_each_action_what_the_tracker_says(
    cli: Any, audit: Path, fmt: str, lines: list[str]
) -> None:
    out = cli("report", audit, *DAY, "--format", fmt).stdout
    for line in lines:
        assert line in out
    assert "| open |" not in out
    assert "| done (" not in out


def test_one_day_overdue_is_said_in_the_singular(cli: Any) -> None:
    out = cli("report", ON_TIME, "--today", "2026-11-28").stdout
    assert "| 2026-11-27 | Open, **overdue 1 day** |" in out


def test_the_feedback_json_gives_each_action_s_state_and_days(cli: Any) -> None:
    view = json.loads(cli("report", LATE_AND_OPEN, *DAY, "--format", "json").stdout)
    assert [
        (a["status"], a["state"], a["overdue_days"], a["closed_late_days"]) for a in view["remedial_actions"]
    ] == [("done", "done", 0, 18), ("open", "overdue", 101, 0)]


def test_the_actions_report_says_the_same_of_the_same_action(cli: Any) -> None:
    out = cli("actions", "--audits", SERVICE, *DAY).stdout
    assert "| **Overdue 101 days** | CFA-2026-0166, action 2 |" in out
    assert "| **18 days late** | CFA-2026-0166, action 1 |" in out


# 2 and 3. The summary workbook.


@pytest.fixture(scope="module")
def summary_book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from typer.testing import CliRunner

    from qaimpact.cli import app

    out = tmp_path_factory.mktemp("book") / "summary.xlsx"
    args = ["summary", "--audits", str(SERVICE), *DAY, "--format", "xlsx", "-o", str(out)]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.stderr
    return openpyxl.load_workbook(out)


def test_the_workbook_calls_added_value_by_its_name(summary_book: Any) -> None:
    assert _rows(summary_book["Cafcass added value"])[:2] == [
        ["Added value", "Audits", "Share"],
        # A share exactly (41% on the page); a double-marked case counts once, so of 46, not 48.
        ["Safeguard", 19, pytest.approx(19 / 46, rel=1e-12)],
    ]
    contents = dict(_rows(summary_book["Contents"])[1:])
    assert contents["Cafcass added value"] == "Added value, Quality and Impact Assurance Model"
    assert "Value added" not in json.dumps([_rows(s) for s in summary_book.worksheets], default=str)


def test_no_sheet_of_headings_alone_for_a_framework_without_added_value(summary_book: Any) -> None:
    assert "CCC added value" not in summary_book.sheetnames
    assert "CCC added value" not in dict(_rows(summary_book["Contents"])[1:])


def test_the_workbook_gives_kappa_as_numbers(summary_book: Any) -> None:
    rows = _rows(summary_book["Moderation"])
    assert rows[0][5:] == ["Kappa", "Kappa, 95% CI from", "to", "Strength"]
    shown = [[r[0], r[3], *(round(x, 2) if isinstance(x, float) else x for x in r[5:])] for r in rows[1:]]
    assert shown == [
        ["Quality and Impact Assurance Model", 11, 0.35, 0.07, 0.64, "Fair"],
        ["Children's Services Practice Standards", 10, 0.32, -0.16, 0.8, "Fair"],
        ["All frameworks", 21, None, None, None, None],
        ["Across frameworks, on one scale", 21, 0.35, 0.09, 0.61, "Fair"],
    ]


def test_a_quarter_s_kappa_that_cannot_be_worked_out_is_an_empty_cell(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    cli("quarterly", "--audits", SERVICE, *DAY, "--quarter", "2026-Q3", "--format", "xlsx", "-o", out)
    rows = _rows(openpyxl.load_workbook(out)["Moderation"])
    assert rows[1][:1] + rows[1][5:] == ["Quality and Impact Assurance Model", None, None, None, None]


def test_the_workbook_names_the_median_to_safety_as_the_page_does(cli: Any, summary_book: Any) -> None:
    figures = dict(_rows(summary_book["Escalations"])[1:])
    assert figures["Median days to the case confirmed safe"] == 2
    assert "Median days to the outcome" not in figures
    assert "; to the case confirmed safe: 2;" in cli("summary", "--audits", SERVICE, *DAY).stdout


# 5. The example narrative agrees with the quarter it is written for, and can be published.

NARRATIVE = EXAMPLES / "narratives" / "2026-Q3.narrative.yaml"
QUARTER = ("quarterly", "--audits", SERVICE, *DAY, "--quarter", "2026-Q3", "--narrative", NARRATIVE)


def test_the_example_narrative_can_go_to_the_board(cli: Any) -> None:
    out = cli(*QUARTER, "--publish").stdout
    assert (
        "- Compliments and complaints echo the audits: families valued the social worker's persistence, "
        "and plans changed without explanation were the concern, the same learning the audits found.\n"
    ) in out


def test_the_example_narrative_s_analysis_is_what_the_figures_show(cli: Any) -> None:
    view = json.loads(cli(*QUARTER, "--format", "json").stdout)
    themes = {t["theme"]: t["count"]["n"] for t in view["cycle"]["actions"]["themes"]}
    top = max(themes.values())
    assert [t for t, n in themes.items() if n == top] == ["Management oversight and supervision"]
    assert next(t for t in view["cycle"]["actions"]["themes"] if t["count"]["n"] == top)["recurring"] is True
    analysis = next(s for s in view["narrative"]["sections"] if s["title"] == "The QA team's analysis")
    assert analysis["items"][0].startswith(
        "Management oversight and supervision is the theme of more of the quarter's remedial actions "
        "than any other, and recurs across audits;"
    )
    # The quarter's records of feedback hold one compliment and one complaint: no "four" or "two".
    told = next(s for s in view["narrative"]["sections"] if s["id"] == "compliments_and_complaints")
    assert "Four" not in told["items"][0]


# 6. A half percent is rounded up, as a reader and Excel round it.


@pytest.mark.parametrize(
    ("args", "line"),
    [
        # 62.5%: ten of a team's sixteen audits good or better.
        (
            ("summary", "--audits", SERVICE, *DAY, "--by", "team"),
            "| East Midlands Private Law | 16 | 3 | 7 | 5 | 1 | 63% (10 of 16) |",
        ),
        (
            ("summary", "--audits", SERVICE, *DAY, "--by", "team"),
            "| North East Public Law | 16 | 2 | 8 | 3 | 3 | 63% (10 of 16) |",
        ),
    ],
)
def test_a_half_percent_is_rounded_up(cli: Any, args: tuple[Any, ...], line: str) -> None:
    out = cli(*args).stdout
    assert line in out
    assert "12% (6 of 48)" not in out


@pytest.mark.parametrize(
    ("part", "whole", "pct"),
    [
        (6, 48, 13),
        (5, 8, 63),
        (1, 8, 13),
        (3, 8, 38),
        (1, 3, 33),
        (2, 3, 67),
        (0, 7, 0),
        (7, 7, 100),
        (1, 201, 0),
    ],
)
def test_percent_rounds_a_half_up(part: int, whole: int, pct: int) -> None:
    from qaimpact.privacy.disclosure import percent, share

    assert percent(part, whole) == pct
    assert share(part, whole)["text"] == f"{pct}% ({part} of {whole})"


# 7. A summary with no re-audit says how to record one in words, as the impact report does.


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        (
            "md",
            "No audit is a re-audit. To record a re-audit, write in the new audit the id of the earlier "
            "audit of the same case, as `reaudit_of:` followed by that id.\n",
        ),
        (
            "html",
            "<p>No audit is a re-audit. To record a re-audit, write in the new audit the id of the earlier "
            "audit of the same case, as <code>reaudit_of:</code> followed by that id.</p>",
        ),
    ],
)
def test_a_summary_without_re_audits_says_how_to_record_one_in_words(
    cli: Any, tmp_path: Path, fmt: str, line: str
) -> None:
    for name in ("ccc/CFA-2026-0201.yaml", "cafcass/QA-2026-0092.yaml"):
        shutil.copy(SERVICE / name, tmp_path)
    out = cli("summary", "--audits", tmp_path, *DAY, "--format", fmt).stdout
    assert line in out
    assert "AUDIT" not in out.replace("AUDITS", "")
    assert "audit\\_id" not in out
    assert "audit_id" not in out


# 8. The moderation report's column of audits with a second mark is headed as such.


def test_the_reviewers_column_counts_second_marks_and_says_so(cli: Any, tmp_path: Path) -> None:
    page = cli("moderation", "--audits", SERVICE, *DAY).stdout
    # Olumide Bakare's 3: QA-2026-0022 and QA-2026-0032 moderated, QA-2026-0067 double-marked.
    assert (
        "| Reviewer | Audits | Outstanding | Good | Met | Requires improvement | Good or better "
        "| With a second mark | Moderated down |\n"
    ) in page
    assert "| Olumide Bakare | 12 | 8% (1 of 12) | 50% (6 of 12) | 25% (3 of 12) | 17% (2 of 12) | " in page
    assert "| Good or better | Moderated | Moderated down |" not in page
    html = cli("moderation", "--audits", SERVICE, *DAY, "--format", "html").stdout
    assert (
        '<th scope="col" class="num">With a second mark</th><th scope="col" class="num">Moderated down</th>'
        in html
    )
    assert 'data-label="Moderated">' not in html
    out = tmp_path / "moderation.xlsx"
    cli("moderation", "--audits", SERVICE, *DAY, "--format", "xlsx", "-o", out)
    heads = _rows(openpyxl.load_workbook(out)["Cafcass by reviewer"])[0]
    assert heads[-2:] == ["With a second mark", "Moderated down"]
