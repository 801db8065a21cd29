"""Words a board reads (a review of the reports of examples/service before sign-off).

1. The summary's framework sections count the audits whose moderated grade counts in place of the
   computed one; its moderation section, the audits with a second mark (moderation or
   double-marking) against the auditor's grade. Each figure's label says which, so that "9" and
   "10 of 48" do not read as a contradiction.
2. The programme and sample workbooks and pages name a framework by its title, not its id.
3. A workbook's states, changes and directions are labels ("Overdue"), not the JSON's words
   ("overdue"), which the JSON keeps; the impact page's changes too.
4. A published quarterly report says that the actions it counts at the quarter's end are the ones
   the remedial actions section counts as they stand today, so "5 or more actions (*)" there and
   "12 agreed" here read as the same actions, without a hidden count given away.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.cycle import programme
from qaimpact.cycle.common import Window
from qaimpact.cycle.sampling import lists, plan, view
from qaimpact.frameworks.registry import Registry
from qaimpact.reports import cycle_tables, tables
from qaimpact.reports.render import render

SERVICE = EXAMPLES / "service"
PLANS = sorted((SERVICE / "plans").glob("*.csv"))
DAY = ("--today", TODAY.isoformat())
SAMPLE = ("sample", "--cases", SERVICE / "cases.csv", "--auditors", SERVICE / "auditors.csv")
SAMPLE += ("--audits", SERVICE, "--seed", "7", *DAY)
PROGRAMME = ("programme", *PLANS, "--audits", SERVICE, *DAY)
TITLES = {"Quality and Impact Assurance Model", "Children's Services Practice Standards"}
IDS = {"cafcass-qiam-2017", "ccc-practice-standards"}

# 1. Two moderation figures, each saying what it counts.
FRAMEWORK_LINE = (
    "- A moderator's grade counted in place of the grade the ratings give: **9 audits** (2 higher than "
    "that grade, 2 lower, 5 the same).\n"
)
FRAMEWORK_HTML = (
    "<li>A moderator's grade counted in place of the grade the ratings give: <strong>9 audits</strong> "
    "(2 higher than that grade, 2 lower, 5 the same).</li>"
)
MODERATION_LINE = (
    "Audits with a second mark (moderated or double-marked within 30 days), compared with the auditor's "
    "grade: 22% (20 of 93); 21 pairs of grades, exact agreement 57% (12 of 21).\n"
)
MODERATION_HTML = (
    "<p>Audits with a second mark (moderated or double-marked within 30 days), compared with the "
    'auditor\'s grade: <span class="nowrap">22% (20 of 93)</span>; 21 pairs of grades, exact agreement '
    '<span class="nowrap">57% (12 of 21)</span>.</p>'
)
SECOND_MARKED = "With a second mark (moderated or double-marked)"


def _book(cli: Any, tmp_path: Path, *args: Any) -> Any:
    out = tmp_path / "book.xlsx"
    # escalations exits 1 while an escalation is not raised: the workbook is written all the same
    cli(*args, "--format", "xlsx", "-o", out, expect=1 if args[0] == "escalations" else 0)
    return openpyxl.load_workbook(out)


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _column(sheet: Any, heading: str) -> list[Any]:
    rows = _rows(sheet)
    at = rows[0].index(heading)
    return [r[at] for r in rows[1:]]


@pytest.fixture(scope="module")
def summary_json() -> dict[str, Any]:
    from typer.testing import CliRunner

    from qaimpact.cli import app

    run = CliRunner().invoke(app, ["summary", "--audits", str(SERVICE), *DAY, "--format", "json"])
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("fmt", "lines"), [("md", [FRAMEWORK_LINE, MODERATION_LINE]), ("html", [FRAMEWORK_HTML, MODERATION_HTML])]
)
def test_the_summary_s_two_moderation_figures_say_what_each_counts(
    cli: Any, summary_json: dict[str, Any], fmt: str, lines: list[str]
) -> None:
    shown = cli("summary", "--audits", SERVICE, *DAY, "--format", fmt).stdout
    rendered = render(summary_json, fmt, today=TODAY)
    for line in lines:
        assert line in shown
        assert line in rendered
    assert "moderated: 2 moderated up" not in shown
    assert "of audits moderated or double-marked" not in shown


def test_the_published_summary_says_the_same_in_words(cli: Any) -> None:
    out = cli("summary", "--audits", SERVICE, *DAY, "--publish").stdout
    assert (
        "- A moderator's grade counted in place of the grade the ratings give: **5 or more audits (\\*)** "
        "(\\<5 higher than that grade, \\<5 lower, \\* the same).\n"
    ) in out


def test_the_summary_workbook_heads_the_second_marked_share_as_such(
    cli: Any, tmp_path: Path, summary_json: dict[str, Any]
) -> None:
    book = _book(cli, tmp_path, "summary", "--audits", SERVICE, *DAY)
    assert _rows(book["Moderation"])[0] == [
        "Framework",
        "Audits",
        SECOND_MARKED,
        "Pairs",
        "Agreement",
        "Kappa",
        "Kappa, 95% CI from",
        "to",
        "Strength",
    ]
    contents = dict(_rows(book["Contents"])[1:])
    assert contents["Moderation"] == (
        "Moderation: the audits with a second mark (moderated or double-marked), and its agreement with "
        "the auditor's grade (linear weights)"
    )
    assert contents["Moderation direction"] == (
        "Second marks against the auditor's grade: moderated down, the same grade or moderated up"
    )
    sheet = next(s for s in tables.summary_sheets(summary_json) if s.title == "Moderation")
    assert sheet.columns[2] == tables.SECOND_MARKED == SECOND_MARKED


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_moderation_report_names_its_share_as_the_summary_does(cli: Any, fmt: str) -> None:
    out = cli("moderation", "--audits", SERVICE, *DAY, "--format", fmt).stdout
    wanted = {
        "md": "- Audits with a second mark (moderated or double-marked): **21% (10 of 48)**; 11 pairs",
        "html": (
            "<li>Audits with a second mark (moderated or double-marked): <strong>"
            '<span class="nowrap">21% (10 of 48)</span></strong>; 11 pairs'
        ),
    }[fmt]
    assert wanted in out
    assert "Audits moderated:" not in out


def test_the_moderation_workbook_heads_the_share_as_such(cli: Any, tmp_path: Path) -> None:
    book = _book(cli, tmp_path, "moderation", "--audits", SERVICE, *DAY)
    assert _rows(book["Agreement"])[0][:3] == ["Framework", "Audits", SECOND_MARKED]


# 2. A framework by its title in the programme and the sample.


@pytest.fixture(scope="module")
def registry_and_dataset() -> tuple[Registry, Any]:
    registry = Registry.default([])
    return registry, load_dataset([SERVICE], registry, CheckOptions(today=TODAY))


@pytest.mark.parametrize(("args", "sheet"), [(PROGRAMME, "Programme"), (SAMPLE, "Sample")])
def test_the_programme_and_sample_workbooks_name_a_framework_by_its_title(
    cli: Any, tmp_path: Path, args: tuple[Any, ...], sheet: str
) -> None:
    book = _book(cli, tmp_path, *args)
    assert set(_column(book[sheet], "Framework")) == TITLES
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not IDS & set(row), (ws.title, row)


def test_the_sample_page_names_a_framework_by_its_title(cli: Any) -> None:
    md = cli(*SAMPLE, "--format", "md").stdout
    assert (
        "| East Midlands Private Law | ECMS-0064524 | Rachel Whitfield | "
        "Quality and Impact Assurance Model | Margaret Oyelaran | Quality and Impact |  |\n"
    ) in md
    html = cli(*SAMPLE, "--format", "html").stdout
    assert "<td>Children&#39;s Services Practice Standards</td>" in html or (
        "<td>Children's Services Practice Standards</td>" in html
    )
    for out in (md, html):
        assert not any(ident in out for ident in IDS)


def test_the_csv_and_json_keep_the_framework_s_id(cli: Any) -> None:
    csv = cli(*PROGRAMME, "--format", "csv").stdout
    assert ",cafcass-qiam-2017," in csv
    assert "Quality and Impact" not in csv
    planned = json.loads(cli(*PROGRAMME, "--format", "json").stdout)["planned"]
    assert {(p["framework"], p["framework_title"]) for p in planned} == {
        ("cafcass-qiam-2017", "Quality and Impact Assurance Model"),
        ("ccc-practice-standards", "Children's Services Practice Standards"),
    }


def test_the_views_carry_the_title_from_the_registry(registry_and_dataset: tuple[Registry, Any]) -> None:
    registry, dataset = registry_and_dataset
    planned = programme.read_plans(PLANS, registry.ids())
    seen = programme.programme_view(planned, dataset, TODAY, plans=[], frameworks=registry.frameworks())
    first = seen["planned"][0]
    assert (first["framework"], first["framework_title"]) == (
        "cafcass-qiam-2017",
        "Quality and Impact Assurance Model",
    )
    sheet = next(s for s in cycle_tables.cycle_sheets(seen) if s.title == "Programme")
    assert sheet.rows[0][sheet.columns.index("Framework")] == "Quality and Impact Assurance Model"

    cases = lists.read_cases(SERVICE / "cases.csv", registry.ids())
    last = plan.last_audits(dataset.records, TODAY)
    chosen = plan.make_plan(
        cases, last, auditors=None, today=TODAY, per_team=2, window=Window.parse("12m"), seed=7
    )
    sample = view.sample_view(chosen, dataset, cases_file="cases.csv", frameworks=registry.frameworks())
    assert {p["framework_title"] for p in sample["plan"]} == TITLES


def test_a_framework_no_standards_file_names_is_shown_by_its_id(
    registry_and_dataset: tuple[Registry, Any], tmp_path: Path
) -> None:
    _, dataset = registry_and_dataset
    plan_file = tmp_path / "plan.csv"
    plan_file.write_text(
        "team,case_id,practitioner,framework,round,selected_on\n"
        "East Midlands Private Law,ECMS-0051386,Yusuf Demir,old-framework,2026-07,2026-06-22\n",
        encoding="utf-8",
    )
    planned = programme.read_plans([plan_file])  # no registry: any framework id is taken
    seen = programme.programme_view(planned, dataset, TODAY, plans=[str(plan_file)])
    assert [(p["framework"], p["framework_title"]) for p in seen["planned"]] == [
        ("old-framework", "old-framework")
    ]


# 3. Labels where a person reads them, the JSON's words in the JSON.


@pytest.mark.parametrize(
    ("args", "sheet", "heading", "labels"),
    [
        (("actions", "--audits", SERVICE, *DAY), "Open actions", "State", {"Overdue", "Open"}),
        (("actions", "--audits", SERVICE, *DAY), "Actions", "Status", {"Done", "Open"}),
        (
            ("impact", "--audits", SERVICE, *DAY),
            "Standards",
            "Change",
            {"Improved", "Same", "Declined", None},
        ),
        (("impact", "--audits", SERVICE, *DAY), "Learning", "Change", {"New", "Persisting", "Resolved"}),
        (("impact", "--audits", SERVICE, *DAY), "Earlier actions", "State", {"Done", "Overdue"}),
        (("moderation", "--audits", SERVICE, *DAY), "Agreement", "Strength", {"Fair", None}),
        (("moderation", "--audits", SERVICE, *DAY), "Moderation", "Kind", {"Moderation", "Double-marking"}),
        (
            ("moderation", "--audits", SERVICE, *DAY),
            "Moderation",
            "Direction",
            {"Moderated down", "Same grade", "Moderated up"},
        ),
        (
            ("escalations", "--audits", SERVICE, *DAY),
            "By state",
            "State",
            {
                "Not raised",
                "Raised, awaiting acknowledgement",
                "Acknowledged, awaiting the outcome",
                "Outcome recorded, awaiting closure",
                "Closed",
            },
        ),
        (
            ("summary", "--audits", SERVICE, *DAY),
            "Moderation direction",
            "Direction",
            {"Moderated down", "Same grade", "Moderated up"},
        ),
        (
            ("summary", "--audits", SERVICE, *DAY),
            "Open escalations",
            "State",
            {
                "Not raised",
                "Raised, awaiting acknowledgement",
                "Acknowledged, awaiting the outcome",
                "Outcome recorded, awaiting closure",
            },
        ),
    ],
)
def test_a_workbook_shows_labels_where_a_person_reads_them(
    cli: Any, tmp_path: Path, args: tuple[Any, ...], sheet: str, heading: str, labels: set[str]
) -> None:
    book = _book(cli, tmp_path, *args)
    assert set(_column(book[sheet], heading)) == labels


def test_the_json_keeps_its_words(cli: Any) -> None:
    view_ = json.loads(cli("actions", "--audits", SERVICE, *DAY, "--format", "json").stdout)
    assert {a["state"] for a in view_["actions"]} == {"done", "open", "overdue"}
    sheets = cycle_tables.cycle_sheets(view_)
    listed = next(s for s in sheets if s.title == "Actions")
    states = {row[listed.columns.index("State")] for row in listed.rows}
    assert states == {"Done", "Open", "Overdue"}
    assert isinstance(listed.sources[0][listed.columns.index("State")], tables.Label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("overdue", "Overdue"),
        ("moderated down", "Moderated down"),
        ("Good", "Good"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_a_label_is_the_word_with_a_capital(text: Any, label: Any) -> None:
    assert tables.as_label(text) == label


@pytest.mark.parametrize(
    ("fmt", "lines"),
    [
        (
            "md",
            [
                "| QA-2025-0139 | 2025-10-06 | Quality and Impact Assurance Model | Tunde Adeyemi | "
                "Olumide Bakare | Requires improvement | Original audit |\n",
                "| QA-2026-0022 | 2026-02-17 | Quality and Impact Assurance Model | Tunde Adeyemi | "
                "Olumide Bakare | Met (moderated) | Improved by 1 step |\n",
                "| Child seen and wishes and feelings used to inform recommendations | Met | Good | "
                "**Improved** (1 step) |\n",
                "| Evidence of understanding the child's experiences | Good | Good | Same |\n",
            ],
        ),
        (
            "html",
            [
                "<td>Requires improvement</td><td>Original audit</td></tr>",
                "<td>Met (moderated)</td><td>Improved by 1 step</td></tr>",
                '<td><span class="flag">Improved</span> (1 step)</td></tr>',
                "<td>Good</td><td>Good</td><td>Same</td></tr>",
            ],
        ),
    ],
)
def test_the_impact_page_shows_changes_as_labels(cli: Any, fmt: str, lines: list[str]) -> None:
    out = cli("impact", "--audits", SERVICE, *DAY, "--format", fmt).stdout
    for line in lines:
        assert line in out
    assert "| same |" not in out
    assert ">same<" not in out


# 4. The quarter's actions, at its end and as they stand today, read as the same actions.

QUARTER = ("quarterly", "--quarter", "2026-Q3", "--audits", SERVICE, *DAY)
QUARTER += tuple(a for p in PLANS for a in ("--plans", p))


def test_a_published_quarter_says_its_actions_agreed_are_those_counted_above(cli: Any) -> None:
    out = cli(*QUARTER, "--publish").stdout
    # The actions agreed are one number in both places: shown in both (it was hidden above, "5 or
    # more actions (*)", and shown below, where it is the same number). The 7 overdue, hidden to
    # protect another count, is shown again: its group of counts no longer shares its checks.
    above = (
        "12 actions agreed at the period's audits: \\* open, of which **7 overdue**; "
        "\\<5 done (– on time, – late)."
    )
    at_end = (
        "As of 2026-09-30: 12 actions open (\\<5 agreed before the quarter, \\* in it), of which "
        "**6 overdue**: 50% (6 of 12). In the quarter 12 agreed, at the quarter's audits (the remedial "
        "actions above, there counted as they stand today), and 5 closed; 5 carried in, open when it "
        "began."
    )
    assert above in out
    assert at_end in out
    assert out.index(above) < out.index(at_end)


def test_the_quarter_s_own_report_words_it_the_same(cli: Any) -> None:
    out = cli(*QUARTER, "--format", "html").stdout
    assert (
        "In the quarter 12 agreed, at the quarter's audits (the remedial actions above, there counted as "
        "they stand today), and 5 closed; 5 carried in, open when it began."
    ) in out
