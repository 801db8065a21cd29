"""The quarterly QA report (``qaimpact quarterly``, issue 17 section 1): the summary of one quarter
with the ratings of each standard by team, random audits apart from themed ones and dip samples,
completion against the programme, each escalated child, and the actions open at the quarter's end.

The audits in tests/data/quarterly are six of examples/service: four in 2026-Q3 (a dip sample
among them), one of February 2026 with an action still open, and one of May 2026 whose
escalation was still open when the quarter began.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import DATA, EXAMPLES, ROOT, TODAY, changed
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.cycle.programme import read_plans
from qaimpact.frameworks.registry import Registry
from qaimpact.reports import quarterly, schemas
from qaimpact.reports.narrative import read_narrative

HERE = DATA / "quarterly"
AUDITS = HERE / "audits"
PLAN = HERE / "plan-2026-08.csv"
COMMON = ("quarterly", "--audits", AUDITS, "--today", TODAY.isoformat())


@pytest.fixture(scope="module")
def dataset(registry: Registry) -> Any:
    """Every audit up to the end of 2026-Q3, as the command reads them."""
    options = CheckOptions(today=TODAY, keep_data=True)
    return load_dataset([AUDITS], registry, options, date_to=dt.date(2026, 9, 30))


def _view(dataset: Any, **options: Any) -> dict[str, Any]:
    return quarterly.quarterly_view(dataset, quarters=Quarters(), quarter="2026-Q3", today=TODAY, **options)


def test_the_quarter_and_its_dates_are_stated(cli: Any) -> None:
    out = cli(*COMMON, "--quarter", "2026-Q3", "--format", "md").stdout
    assert out.splitlines()[0] == "# Quarterly quality assurance report, 2026-Q3: 2026-07-01 to 2026-09-30"
    assert "- Period: 2026-Q3, 2026-07-01 to 2026-09-30\n" in out


def test_a_financial_quarter_is_stated_with_its_dates(cli: Any) -> None:
    out = cli(*COMMON, "--quarter", "2026-27-Q2", "--year-start", "april", "--format", "md").stdout
    assert out.splitlines()[0] == (
        "# Quarterly quality assurance report, 2026-27 Q2 (Jul-Sep 2026): 2026-07-01 to 2026-09-30"
    )


@pytest.mark.parametrize(
    ("year", "today", "quarter"),
    [
        ((), "2026-11-22", "2026-Q3, the last quarter that has ended (2026-07-01 to 2026-09-30)"),
        (
            ("--year-start", "april"),
            "2026-11-22",
            "2026-27-Q2, the last quarter that has ended (2026-07-01 to 2026-09-30)",
        ),
        ((), "2026-01-05", "2025-Q4, the last quarter that has ended (2025-10-01 to 2025-12-31)"),
    ],
)
def test_no_quarter_given_says_which_to_write(
    cli: Any, year: tuple[str, ...], today: str, quarter: str
) -> None:
    run = cli("quarterly", "--audits", DATA / "quarterly", "--today", today, *year, expect=2)
    assert run.stdout == ""
    assert (
        run.stderr
        == f"error: qaimpact quarterly reports on one quarter: add --quarter, such as --quarter {quarter}.\n"
    )


def test_only_the_quarters_audits_are_its_audits(dataset: Any) -> None:
    view = _view(dataset)
    assert view["audits"] == 4
    assert view["outside_period"] == 2
    assert view["period"] == {"from": "2026-07-01", "to": "2026-09-30", "quarter": "2026-Q3"}


def test_random_audits_stand_apart_from_dip_samples(dataset: Any) -> None:
    (ccc,) = [s for s in _view(dataset)["frameworks"] if s["framework"]["id"] == "ccc-practice-standards"]
    assert [(g["label"], g["n"]["n"]) for g in ccc["groups"]] == [("Case file audit", 3), ("Dip sample", 1)]


def test_themed_audits_stand_apart_from_random_audits_and_dip_samples(
    registry: Registry, tmp_path: Path
) -> None:
    # With a themed audit beside them, each kind keeps its own row (a review found that the test
    # above, with none, could not tell themed audits counted as random ones).
    shutil.copytree(AUDITS, tmp_path / "audits")
    text = (AUDITS / "CFA-2026-0214.yaml").read_text(encoding="utf-8")
    themed = changed(
        text,
        {
            "audit_id: CFA-2026-0214": "audit_id: CFA-2026-0215",
            "audit_type: dip_sample": "audit_type: themed",
        },
    )
    (tmp_path / "audits" / "CFA-2026-0215.yaml").write_text(themed, encoding="utf-8")
    options = CheckOptions(today=TODAY, keep_data=True)
    read = load_dataset([tmp_path / "audits"], registry, options, date_to=dt.date(2026, 9, 30))
    assert not read.invalid
    (ccc,) = [s for s in _view(read)["frameworks"] if s["framework"]["id"] == "ccc-practice-standards"]
    assert [(g["label"], g["n"]["n"]) for g in ccc["groups"]] == [
        ("Case file audit", 3),
        ("Dip sample", 1),
        ("Themed audit", 1),
    ]


def test_ratings_of_each_standard_by_team(dataset: Any) -> None:
    (table,) = _view(dataset)["ratings"]
    assert [c["id"] for c in table["columns"]] == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
        "not_applicable",
        "not_rated",
    ]
    assert table["teams"] == ["Huntingdonshire Family Safeguarding 3", "South Cambs Children in Care"]
    risk = table["standards"][0]
    assert risk["title"] == "Risk management"
    assert [(r["team"], [c["n"] for c in r["cells"]]) for r in risk["rows"]] == [
        ("Huntingdonshire Family Safeguarding 3", [0, 1, 0, 1, 0, 0]),
        ("South Cambs Children in Care", [1, 1, 0, 0, 0, 0]),
    ]
    # Every row adds up to its team's audits in the quarter.
    for std in table["standards"]:
        assert [sum(c["n"] for c in r["cells"]) for r in std["rows"]] == [2, 2]


def test_no_plan_given_is_said(cli: Any) -> None:
    out = cli(*COMMON, "--quarter", "2026-Q3", "--format", "md").stdout
    # Said for the board that reads it: how to give a plan is the QA team's (docs/reports.md).
    assert (
        "No audit plan was given for this report, so completion against the programme is not shown.\n" in out
    )
    assert "--plans" not in out


def test_completion_against_the_programme(cli: Any) -> None:
    out = cli(*COMMON, "--quarter", "2026-Q3", "--plans", PLAN, "--format", "md").stdout
    assert (
        "As of 2026-09-30, for the rounds 2026-08: 3 audits planned, 2 completed (1 on time, 1 late), "
        "1 missing, 0 still due; 67% (2 of 3) of those whose month has ended completed.\n"
    ) in out
    assert "| South Cambs Children in Care | 2 | 1 | 0 | 1 | 1 | 0 | 50% (1 of 2) |\n" in out


def test_plans_of_other_quarters_plan_nothing_for_it(cli: Any) -> None:
    out = cli(*COMMON, "--quarter", "2026-Q2", "--plans", PLAN, "--format", "md").stdout
    assert "The plans given plan no audit for a round in the quarter.\n" in out


def test_each_escalated_child_with_state_and_dates(dataset: Any) -> None:
    children = _view(dataset)["escalated"]["children"]
    assert [(c["audit_id"], c["audited"], c["state"], c["raised_on"], c["safe_on"]) for c in children] == [
        ("CFA-2026-0222", "this quarter", "not_raised", None, None),
        ("QA-2026-0046", "before the quarter", "outcome_recorded", "2026-06-02", "2026-06-19"),
    ]


def test_an_action_open_before_the_quarter_and_at_its_end_is_open(dataset: Any) -> None:
    section = _view(dataset)["actions_at_end"]
    assert section["as_of"] == "2026-09-30"
    assert {k: section[k]["n"] for k in ("open", "open_carried", "open_agreed", "overdue", "carried_in")} == {
        "open": 7,
        "open_carried": 1,
        "open_agreed": 6,
        "overdue": 2,
        "carried_in": 1,
    }
    assert [a["audit_id"] for a in section["longest_open"]] == ["CFA-2026-0036"]


def test_a_report_before_the_quarter_ends_counts_as_at_today(dataset: Any) -> None:
    view = quarterly.quarterly_view(
        dataset, quarters=Quarters(), quarter="2026-Q3", today=dt.date(2026, 9, 15)
    )
    assert view["as_of"] == "2026-09-15"


def test_published_lists_no_child_and_hides_small_counts(dataset: Any) -> None:
    view = _view(dataset, publish=True)
    assert view["escalated"]["children"] == []
    assert view["escalated"]["carried"]["text"] == "<5"
    assert view["actions_at_end"]["longest_open"] == []
    assert view["ratings"] == []  # withheld: the QA team's own report gives them


def test_the_published_report_says_the_ratings_are_withheld(cli: Any) -> None:
    out = cli(*COMMON, "--quarter", "2026-Q3", "--publish", "--format", "md").stdout
    assert "Withheld from the published version: the QA team's own report gives them.\n" in out


@pytest.mark.parametrize("options", [(), ("--plans", PLAN), ("--publish",), ("--redact",)])
def test_the_json_validates_against_its_schema(cli: Any, options: tuple[Any, ...]) -> None:
    data = json.loads(cli(*COMMON, "--quarter", "2026-Q3", "--format", "json", *options).stdout)
    assert data["schema_version"] == schemas.SCHEMA_VERSION
    assert data["kind"] == "quarterly"
    validator = Draft202012Validator(schemas.load("quarterly"), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []


def test_html_has_every_section(cli: Any) -> None:
    page = cli(*COMMON, "--quarter", "2026-Q3", "--format", "html").stdout
    for heading in (
        "Ratings of each standard, by team",
        "Completion against the audit programme",
        "What happened for each escalated child",
        "Remedial actions at the quarter's end",
    ):
        assert heading in page


def test_a_workbook_has_the_quarterly_tables(cli: Any, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "q.xlsx"
    cli(*COMMON, "--quarter", "2026-Q3", "--plans", PLAN, "--format", "xlsx", "-o", out)
    names = openpyxl.load_workbook(out).sheetnames
    for name in ("Ratings by team", "Programme", "Escalated children", "Actions at the end"):
        assert name in names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--quarter", "2026-Q5"),
            "error: --quarter '2026-Q5' is not a quarter: write the year and the quarter's number, such as "
            "2026-Q3 (July to September 2026).",
        ),
        (
            ("--quarter", "2027-Q1"),
            "error: --quarter 2027-Q1 has not started yet: it starts on 2027-01-01, after today "
            "(2026-11-22). Give a quarter that has started, such as this one, 2026-Q4.",
        ),
        (
            ("--year-start", "april", "--quarter", "2026-27-Q4"),
            "error: --quarter 2026-27-Q4 has not started yet: it starts on 2027-01-01, after today "
            "(2026-11-22). Give a quarter that has started, such as this one, 2026-27-Q3.",
        ),
        (
            ("--year-start", "january", "--quarter", "2026-27-Q1"),
            "error: --quarter '2026-27-Q1' names a financial year, but with a year starting in January "
            "quarters are written 2026-Q1, such as 2026-Q3 (July to September 2026). For a financial year, "
            "give the month it starts in (such as --year-start april).",
        ),
        (
            ("--year-start", "april", "--quarter", "2026-Q1"),
            "error: --quarter '2026-Q1' is a calendar quarter, but with a year starting in April "
            "(--year-start april) quarters are written with the financial year, such as 2026-27-Q1 "
            "(April 2026 to June 2026, the first quarter of a year starting in April). January 2026, the "
            "first month of 2026-Q1, is in 2025-26-Q4.",
        ),
        (
            ("--quarter", "2026-Q3", "--format", "xlsx"),
            "error: --format xlsx writes an Excel workbook, which cannot be shown here: add -o FILE.xlsx "
            "to write it to a file.",
        ),
    ],
)
def test_bad_options_are_plain_errors(cli: Any, args: tuple[str, ...], message: str) -> None:
    result = cli(*COMMON, *args, expect=2)
    assert " ".join(result.stderr.split()) == message


def test_a_bad_plan_is_refused_where_it_is_wrong(cli: Any, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("team,case_id,round,selected_on\nFenland,LCS-1,2026-13,2026-07-01\n", encoding="utf-8")
    result = cli(*COMMON, "--quarter", "2026-Q3", "--plans", plan, expect=2)
    message = f"{plan}:2: the round '2026-13' is not a month: write it as YYYY-MM, such as 2026-12."
    assert message in result.stderr


def test_the_plans_are_read_as_the_programme_reads_them() -> None:
    assert [p.case_id for p in read_plans([PLAN])] == ["LCS-919411", "LCS-966428", "LCS-999999", "LCS-888888"]


# -- the narrative (issue 17, section 1; docs/reports.md, "The narrative") -----------------------

NARRATIVES = HERE / "narratives"
EXAMPLE = ROOT / "examples" / "narratives" / "2026-Q3.narrative.yaml"
SECTIONS = "strengths, workshops_and_events, research, policy_updates, compliments_and_complaints, analysis"


def test_the_example_narrative_is_read_in_the_reports_order() -> None:
    narrative, problems = read_narrative(EXAMPLE)
    assert problems == []
    assert narrative is not None
    assert [s["title"] for s in narrative.view()["sections"]] == [
        "Strengths",
        "Practice workshops and events",
        "Research",
        "Policy and procedure updates",
        "Learning from compliments and complaints",
        "The QA team's analysis",
    ]


@pytest.mark.parametrize(
    ("name", "where", "code", "message", "hint"),
    [
        (
            "QA801-misspelt-section.yaml",
            (3, 1),
            "QA801",
            "'strenghts' is not a section of the quarterly narrative.",
            f"Did you mean 'strengths'? The sections are {SECTIONS}.",
        ),
        (
            "QA802-key-value-item.yaml",
            (2, 5),
            "QA802",
            "The section 'research' holds a 'key: value' pair where text was expected.",
            "Write each item as a sentence on a line starting with '- ', and put it in quotes if it holds "
            "': ' or ' #'.",
        ),
        (
            "QA802-true-item.yaml",
            (3, 5),
            "QA802",
            "The section 'strengths' holds the true/false value true where text was expected.",
            "Write it as a sentence, or put it in quotes to show it as written: '- \"true\"'.",
        ),
        (
            "QA802-number-section.yaml",
            (3, 11),
            "QA802",
            "The section 'analysis' holds the number 12 where text was expected.",
            "Write it as a sentence, or put it in quotes to show it as written: 'analysis: \"12\"'.",
        ),
        (
            "QA802-decimal-item.yaml",
            (3, 5),
            "QA802",
            "The section 'strengths' holds the number 12.50 where text was expected.",
            "Write it as a sentence, or put it in quotes to show it as written: '- \"12.50\"'.",
        ),
        (
            "QA103-empty.yaml",
            (1, 1),
            "QA103",
            "The file is empty: it holds no YAML data.",
            "Write one key per section, such as `strengths:`, each followed by its items on lines starting "
            "with '- ' (examples/narratives/2026-Q3.narrative.yaml is one).",
        ),
        (
            "QA106-tag.yaml",
            (1, 12),
            "QA106",
            "The YAML tag '!!python/object/apply:os.system' is not allowed in a narrative file.",
            "Remove the tag: a narrative holds only text, one section per key.",
        ),
        # Regression: an audit given as the narrative got a QA801 for each of its keys.
        (
            "QA801-an-audit.yaml",
            (2, 1),
            "QA801",
            "This file is an audit (it has 'standards:'), not the quarter's narrative.",
            "Give --narrative the QA team's narrative file: one key per section, as `strengths:`; the "
            f"sections are {SECTIONS}.",
        ),
        (
            "QA802-not-sections.yaml",
            (1, 1),
            "QA802",
            "The narrative is not a list of sections: it must be one key per section.",
            f"Start each section on its own line, as `strengths:`; the sections are {SECTIONS}.",
        ),
    ],
)
def test_a_bad_narrative_is_found_where_it_is_wrong(
    name: str, where: tuple[int, int], code: str, message: str, hint: str
) -> None:
    narrative, (problem,) = read_narrative(NARRATIVES / name)
    assert narrative is None
    assert (problem.location.line, problem.location.column) == where
    assert (problem.code, problem.message, problem.hint) == (code, message, hint)


def test_a_narrative_value_is_quoted_as_written() -> None:
    """12.50 and True, not the 12.5 and true the loader reads (issue 17)."""
    narrative, (problem,) = read_narrative(NARRATIVES / "QA802-capital-true-section.yaml")
    assert narrative is None
    assert (problem.message, problem.hint) == (
        "The section 'analysis' holds the true/false value True where text was expected.",
        "Write it as a sentence, or put it in quotes to show it as written: 'analysis: \"True\"'.",
    )


def test_a_narrative_too_large_is_refused_with_a_hint_for_a_narrative(tmp_path: Path) -> None:
    path = tmp_path / "big.narrative.yaml"
    path.write_text("strengths:\n" + "  - Visits are timely.\n" * 60_000)
    narrative, (problem,) = read_narrative(path)
    assert narrative is None
    assert (problem.code, problem.message, problem.hint) == (
        "QA108",
        f"The file is {path.stat().st_size:,} bytes, over the limit of 1,048,576 bytes.",
        "A narrative is a few paragraphs of text for each section: check this is the right file.",
    )


def test_a_narrative_that_is_not_yaml_gets_the_loaders_finding() -> None:
    narrative, (problem,) = read_narrative(NARRATIVES / "QA101-bad-yaml.yaml")
    assert narrative is None
    assert problem.code == "QA101"


def test_a_bad_narrative_stops_the_report_with_every_problem(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "q.md"
    path = NARRATIVES / "QA801-misspelt-section.yaml"
    result = cli(*COMMON, "--quarter", "2026-Q3", "--narrative", path, "-o", out, expect=2)
    assert result.stderr.splitlines()[:2] == [
        f"error: The narrative {path} has 1 problem; fix it and run again:",
        f"  {path}:3:1: QA801 'strenghts' is not a section of the quarterly narrative. Did you mean "
        f"'strengths'? The sections are {SECTIONS}.",
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "line"),
    [
        (
            "QA802-true-item.yaml",
            "3:5: QA802 The section 'strengths' holds the true/false value true where text was expected. "
            "Write it as a sentence, or put it in quotes to show it as written: '- \"true\"'.",
        ),
        (
            "QA103-empty.yaml",
            "1:1: QA103 The file is empty: it holds no YAML data. Write one key per section, such as "
            "`strengths:`, each followed by its items on lines starting with '- ' "
            "(examples/narratives/2026-Q3.narrative.yaml is one).",
        ),
        (
            "QA106-tag.yaml",
            "1:12: QA106 The YAML tag '!!python/object/apply:os.system' is not allowed in a narrative file. "
            "Remove the tag: a narrative holds only text, one section per key.",
        ),
    ],
)
def test_a_narrative_problem_says_what_is_right_for_a_narrative(
    cli: Any, tmp_path: Path, name: str, line: str
) -> None:
    """Not "True" in the report, and no hint about audits (issue 17)."""
    out = tmp_path / "q.md"
    path = NARRATIVES / name
    result = cli(*COMMON, "--quarter", "2026-Q3", "--narrative", path, "-o", out, expect=2)
    assert result.stderr.splitlines()[:2] == [
        f"error: The narrative {path} has 1 problem; fix it and run again:",
        f"  {path}:{line}",
    ]
    assert "audit" not in result.stderr.splitlines()[1]
    assert not out.exists()


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("md", r"- \*Bold\* claims, \<script\>alert(1)\</script\> and {{ 7\*7 }} come out as written."),
        (
            "html",
            "<li>*Bold* claims, &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }} come out as "
            "written.</li>",
        ),
    ],
)
def test_the_narrative_is_shown_as_written_and_escaped(cli: Any, fmt: str, shown: str) -> None:
    args = ("--quarter", "2026-Q3", "--narrative", NARRATIVES / "escaping.yaml", "--format", fmt)
    assert shown in cli(*COMMON, *args).stdout


@pytest.mark.parametrize("option", ["--redact", "--publish"])
def test_the_narrative_is_redacted(dataset: Any, option: str) -> None:
    narrative, _ = read_narrative(NARRATIVES / "escaping.yaml")
    flag = option.removeprefix("--")
    view = _view(dataset, narrative=narrative, **{flag: True})
    analysis = view["narrative"]["sections"][-1]["items"][0]
    assert "Connor Fitzgerald" not in analysis
    assert analysis.endswith("'s team improved.")
    assert view["narrative"]["file"] is None if flag == "publish" else view["narrative"]["file"] is not None


def test_a_folder_of_audits_passes_over_a_narrative(tmp_path: Path) -> None:
    import shutil

    from qaimpact.audits.checker import expand_paths

    shutil.copy(AUDITS / "CFA-2026-0152.yaml", tmp_path / "CFA-2026-0152.yaml")
    shutil.copy(EXAMPLE, tmp_path / "2026-Q3.narrative.yaml")
    assert [p.name for p in expand_paths([tmp_path])] == ["CFA-2026-0152.yaml"]


# -- a published narrative gives no count from 1 to 4 (QA803) -------------------------------------

SMALL = NARRATIVES / "QA803-small-counts.yaml"
QA803_HINT = (
    "Write 'fewer than 5' or leave the number out, or publish without --narrative; the team's own "
    "report (without --publish) shows it as written."
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # Counts: refused.
        ("2 children were seen late.", ["2"]),
        ("Only one child was not seen alone.", ["one"]),
        ("Of the children audited this quarter, only one was not seen alone.", ["one"]),
        ("Three compliments named the worker; two complaints were upheld.", ["Three", "two"]),
        ("1 in 12 plans lacked a contingency.", ["1"]),
        ("Only 2/40 children had a plan without a contingency.", ["2"]),
        ("Between 2-4 children a month waited more than a week.", ["2"]),
        ("2 per team were late.", ["2"]),
        ("Seen: 4, of 30 children.", ["4"]),
        ("Seen late: 2.", ["2"]),
        ("Standard 3 improved, and 2 plans did not.", ["2"]),
        # Not counts: allowed.
        ("Standard 3 improved in phase 2 of the plan.", []),
        ("Standards 2, 3 and 4 improved.", []),
        ("In week 2 the team met; Article 3 of the UNCRC was discussed.", []),
        ("1. Visits improved. 2. Plans improved.", []),
        ("Direct work in 1:1 sessions improved; the workshop started at 2:30pm.", []),
        ("Visits within 2 weeks in 94% of audits, against 4.5 days; 1 per cent late.", []),
        ("No one waited; one of the teams ran 12 audits in 2026-27-Q2 (LCS-3).", []),
        ("One thing we learned; one area for development.", []),
        ("Audits on 14/10/2026 and 2026-10-04; 4% below good.", []),
        ("A 2-year-old's one-to-one work.", []),
    ],
)
def test_the_numbers_a_published_narrative_may_not_give(text: str, numbers: list[str]) -> None:
    from qaimpact.reports.narrative import small_numbers

    assert [m.group() for m in small_numbers(text)] == numbers


#: The digit 3 in scripts other than ASCII (each a Unicode decimal digit, category Nd).
DIGITS_3 = {
    "full-width": "\uff13",
    "arabic-indic": "\u0663",
    "extended-arabic-indic": "\u06f3",
    "devanagari": "\u0969",
    "bengali": "\u09e9",
    "thai": "\u0e53",
    "mathematical-bold": "\U0001d7d1",
}


@pytest.mark.parametrize("three", DIGITS_3.values(), ids=DIGITS_3.keys())
@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # Counts: refused as "3 complaints" is, and quoted as written.
        ("3 complaints were upheld.", ["3"]),
        ("Only 3 children were seen alone; 2 were not.", ["3", "2"]),
        ("Between 3-4 children a month waited.", ["3"]),
        ("Only 3/40 children had a plan.", ["3"]),
        # Not counts, as in ASCII digits: a name, a unit, a decimal, a bigger number, a percentage.
        ("Standards 2, 3 and 4 improved.", []),
        ("Visits within 3 weeks, against 3.5 days; 13 children; 3% late.", []),
    ],
)
def test_a_count_in_another_script_s_digits_is_a_count(text: str, numbers: list[str], three: str) -> None:
    """A count written in full-width or another script's digits ("３ complaints", "٣ complaints")
    was published: only ASCII 1-4 were looked for."""
    from qaimpact.reports.narrative import small_numbers

    written = text.replace("3", three)
    assert [m.group() for m in small_numbers(written)] == [n.replace("3", three) for n in numbers]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # Full-width signs and letters read as their ASCII: "３．５" is a decimal, "３％" a
        # percentage, "ｏｎｅ child" a count, as "one child" is.
        ("\uff13\uff0e\uff15 days; \uff13\uff05 late; \u0663\u066b\u0665 days; \u0663\u066a late.", []),
        ("\uff4f\uff4e\uff45 child was not seen alone.", ["\uff4f\uff4e\uff45"]),
        # A digit of another script beside an ASCII one is one bigger number, not a count of 1-4.
        ("1\u0663 children were seen.", []),
    ],
)
def test_full_width_signs_read_as_ascii(text: str, numbers: list[str]) -> None:
    from qaimpact.reports.narrative import small_numbers

    assert [m.group() for m in small_numbers(text)] == numbers


def test_a_published_quarterly_refuses_small_counts_in_other_scripts(cli: Any, tmp_path: Path) -> None:
    path = NARRATIVES / "QA803-other-scripts.yaml"
    out = tmp_path / "q.md"
    args = ("--quarter", "2026-Q3", "--narrative", path, "-o", out)
    result = cli(*COMMON, *args, "--publish", expect=2)
    assert result.stderr.splitlines() == [
        f"error: The narrative {path} has 2 problems; fix them and run again:",
        f"  {path}:6:5: QA803 The section 'compliments_and_complaints' gives the numbers '\uff13' and "
        "'\u0663' ('\uff13 complaints were upheld, and \u0663 compliments named the worker.'): a "
        f"published report shows no count from 1 to 4. {QA803_HINT}",
        f"  {path}:7:11: QA803 The section 'analysis' gives the number '\u0967' ('Only \u0967 child was "
        f"not seen alone.'): a published report shows no count from 1 to 4. {QA803_HINT}",
    ]
    assert not out.exists()
    cli(*COMMON, *args)  # the team's own report shows it as written
    assert "\uff13 complaints were upheld" in out.read_text(encoding="utf-8")


def test_each_item_with_small_counts_is_one_finding_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "n.narrative.yaml"
    path.write_text("strengths:\n  - Fine.\n  - 2 were late and 3 were early.\n", encoding="utf-8")
    assert read_narrative(path)[1] == []  # the team's own report shows it as written
    narrative, (found,) = read_narrative(path, publish=True)
    assert narrative is None
    assert (str(found.location), found.code, found.hint) == (f"{path}:3:5", "QA803", QA803_HINT)
    assert found.message == (
        "The section 'strengths' gives the numbers '2' and '3' ('2 were late and 3 were early.'): a "
        "published report shows no count from 1 to 4."
    )


def test_a_published_quarterly_refuses_a_narrative_with_small_counts(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "q.md"
    args = ("--quarter", "2026-Q3", "--narrative", SMALL, "-o", out)
    result = cli(*COMMON, *args, "--publish", expect=2)
    assert result.stderr.splitlines() == [
        f"error: The narrative {SMALL} has 3 problems; fix them and run again:",
        f"  {SMALL}:7:5: QA803 The section 'workshops_and_events' gives the number '2' ('…size "
        "workshop, 12 August: 2 children's views were shared.'): a published report shows no count "
        f"from 1 to 4. {QA803_HINT}",
        f"  {SMALL}:8:11: QA803 The section 'research' gives the number 'Three' ('Three compliments "
        f"named the social…'): a published report shows no count from 1 to 4. {QA803_HINT}",
        f"  {SMALL}:9:11: QA803 The section 'analysis' gives the numbers 'one' and '1' ('Only one "
        "child was not seen alone, and 1 in 12 plans lacked a…'): a published report shows no count "
        f"from 1 to 4. {QA803_HINT}",
    ]
    assert not out.exists()
    # A command stopped after reading the audits hands them back to the collector.
    assert gc.get_freeze_count() == 0
    # The team's own report shows the narrative as written.
    cli(*COMMON, *args)
    assert "Only one child was not seen alone" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_says_as_of_in_one_wording(cli: Any, fmt: str) -> None:
    """It said "As of" in some places and "As at" in others for the same thing (issue 17)."""
    out = cli(*COMMON, "--quarter", "2026-Q3", "--plans", PLAN, "--format", fmt).stdout
    assert re.findall(r"\bas (?:of|at)\b", out, flags=re.IGNORECASE) == ["As of", "As of", "as of", "As of"]


# -- the actions then and now, published (issue 17, section 2) --------------------------------

#: What a hidden count's text tells a reader: its least and most (None: no most).
_READS = {"<5": (1, 4), "*": (5, None), "–": (0, None)}


def _actions_a_reader_can_pin(shown: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """The counts from 1 to 4 that a reader of a published quarterly report can work out from its
    two tables of actions (as they stand today, and at the quarter's end) and from what anyone
    knows of them: an action closed by the quarter's end is done today, and one open today was
    open at its end. Read independently of the ledger, by integer programming."""
    from disclosure_check import Model

    model = Model()
    today, end = truth["cycle"]["actions"], truth["actions_at_end"]
    closed_new = end["agreed"]["n"] - end["open_agreed"]["n"]
    true = {
        "open today": today["open"]["n"],
        "done today": today["done"]["n"],
        "closed by the end, agreed in it": closed_new,
        "closed by the end, agreed before": end["closed"]["n"] - closed_new,
        "open at the end, agreed in it": end["open_agreed"]["n"],
        "open at the end, agreed before": end["open_carried"]["n"],
    }
    var = {name: model.var() for name in true}
    done_later = model.var()  # done today, not closed by the end: both relations' difference
    true["done since the end"] = true["done today"] - closed_new
    var["done since the end"] = done_later
    model.equal([var["done today"]], [var["closed by the end, agreed in it"], done_later])
    model.equal([var["open at the end, agreed in it"]], [var["open today"], done_later])
    sums = {
        ("cycle", "actions", "open"): ["open today"],
        ("cycle", "actions", "done"): ["done today"],
        ("cycle", "actions", "actions"): ["open today", "done today"],
        ("actions_at_end", "agreed"): ["closed by the end, agreed in it", "open at the end, agreed in it"],
        ("actions_at_end", "closed"): ["closed by the end, agreed in it", "closed by the end, agreed before"],
        ("actions_at_end", "open"): ["open at the end, agreed in it", "open at the end, agreed before"],
        ("actions_at_end", "open_agreed"): ["open at the end, agreed in it"],
        ("actions_at_end", "open_carried"): ["open at the end, agreed before"],
        ("actions_at_end", "carried_in"): [
            "closed by the end, agreed before",
            "open at the end, agreed before",
        ],
    }
    for path, names in sums.items():
        cell: Any = shown
        for part in path:
            cell = cell[part]
        low, high = (cell["n"], cell["n"]) if cell["n"] is not None else _READS[cell["text"]]
        model.add({var[n]: 1 for n in names}, low, float("inf") if high is None else high)
    return [name for name, value in true.items() if 1 <= value <= 4 and model.pinned([var[name]], value)]


@pytest.mark.parametrize(
    ("folder", "quarter"),
    [
        # 15 actions agreed in the quarter: 5 closed by its end, 3 after it, 7 open. Before the
        # ledger was told how the tables relate, all of 15, 10 open at the end and 8 done today
        # were shown: 3 done since the end, worked out.
        (HERE / "actions-then-and-now", "2026-Q3"),
        *((ROOT / "examples" / "service", q) for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")),
    ],
)
def test_no_small_count_of_actions_is_pinned_between_then_and_now(
    folder: Path, quarter: str, registry: Registry
) -> None:
    """The ledger is told how the two tables of actions relate (issue 17)."""
    _, last = Quarters().dates(quarter)
    dataset = load_dataset(
        [folder],
        registry,
        CheckOptions(today=TODAY, keep_data=True),
        date_to=last,
    )

    def view(publish: bool) -> dict[str, Any]:
        return quarterly.quarterly_view(
            dataset, quarters=Quarters(), quarter=quarter, today=TODAY, publish=publish
        )

    assert _actions_a_reader_can_pin(view(True), view(False)) == []


def test_a_plan_given_twice_is_counted_once(cli: Any) -> None:
    # Regression: the same plan given twice doubled every planned audit and every missing one.
    args = (*COMMON, "--quarter", "2026-Q3", "--format", "json")
    once = json.loads(cli(*args, "--plans", PLAN).stdout)
    twice = json.loads(cli(*args, "--plans", PLAN, "--plans", PLAN).stdout)
    assert twice == once


def test_a_published_page_claims_no_list_of_files(cli: Any) -> None:
    # Regression: every HTML page ended "Made by ... from the audit files listed above.", and a
    # published page lists none.
    html = cli(*COMMON, "--quarter", "2026-Q3", "--publish", "--format", "html").stdout
    footer = html.split("<footer>", 1)[1]
    assert "listed above" not in footer
    assert "<p>Made by qaimpact " in footer


def test_the_workbook_says_which_quarter_and_dates_it_covers(cli: Any, tmp_path: Path) -> None:
    # Regression: no cell of the quarterly workbook said its quarter or dates; passed on without
    # its page, a board could not tell which quarter its figures were of.
    import openpyxl

    out = tmp_path / "q2.xlsx"
    cli(
        "quarterly", "--audits", EXAMPLES / "service", "--today", TODAY.isoformat(), "--year-start",
        "april", "--quarter", "2026-27-Q2", "--publish", "--format", "xlsx", "-o", out,
    )  # fmt: skip
    contents = list(openpyxl.load_workbook(out)["Contents"].iter_rows(values_only=True))
    assert contents[:5] == [
        ("Sheet", "Table"),
        ("Report", "Quarterly quality assurance report, 2026-27 Q2 (Jul-Sep 2026)"),
        ("Period", "2026-07-01 to 2026-09-30"),
        ("Quarters", "of the year starting in April"),
        ("As of", "2026-09-30"),
    ]


def test_a_team_spelled_otherwise_in_a_plan_is_one_row_of_completion(cli: Any, tmp_path: Path) -> None:
    # Regression: "FENLAND  child in need 1" in one plan made a second row beside the audits'
    # "Fenland Child in Need 1", each with part of the team's planned audits.
    text = PLAN.read_text(encoding="utf-8")
    team = text.splitlines()[1].split(",")[0]
    respelled = tmp_path / PLAN.name
    respelled.write_text(text.replace(f"\n{team},", f"\n{team.upper().replace(' ', '  ', 1)},", 1), "utf-8")
    args = (*COMMON, "--quarter", "2026-Q3", "--format", "json", "--plans")
    before = json.loads(cli(*args, PLAN).stdout)["programme"]["by_team"]
    after = json.loads(cli(*args, respelled).stdout)["programme"]["by_team"]
    assert after == before
