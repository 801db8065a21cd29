"""Words a practitioner or a board reads, on the reports of examples/service (today 2026-11-22).

Choices are shown by their labels in the standards data (a bare id in words, a yes/no answer as
Yes or No), ids kept in JSON beside them; a framework without remedial actions (Cafcass's) says
nothing of them; the open items of a theme are "Open" on every page and workbook; the feedback
says who must be told of an escalation and by when, not which audit keys record it; and the
median days to raise an escalation say that the clock starts at the moderation where the
moderator's grade called for it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.cycle import impact
from qaimpact.frameworks.registry import Registry
from qaimpact.reports.feedback import audit_feedback
from qaimpact.reports.summary import audit_rows, summary

SERVICE = EXAMPLES / "service"
DAY = ["--today", TODAY.isoformat()]


@pytest.fixture(scope="module")
def service_md(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The summary, escalations, actions and impact pages of the examples, in Markdown."""
    from typer.testing import CliRunner

    from qaimpact.cli.app import app

    out = tmp_path_factory.mktemp("pages")
    pages = {}
    for command in ("summary", "escalations", "actions", "impact"):
        target = out / f"{command}.md"
        result = CliRunner().invoke(app, [command, "--audits", str(SERVICE), *DAY, "-o", str(target)])
        assert result.exit_code in (0, 1), result.stderr
        pages[command] = target.read_text(encoding="utf-8")
    return pages


# -- 1. choices by their labels ------------------------------------------------------------------

LABELLED_ROWS = [
    "| Yes | 1 | 1 | 0 | 0 | 0 | 100% (1 of 1) |",
    "| No | 41 | 6 | 21 | 9 | 5 | 66% (27 of 41) |",
    "| Private | 31 | 7 | 15 | 7 | 2 | 71% (22 of 31) |",
    "| Public | 12 | 0 | 7 | 2 | 3 | 58% (7 of 12) |",
    "| Child in need | 12 | 1 | 5 | 5 | 1 | 50% (6 of 12) |",
    "| Age 16 plus | 2 | 0 | 2 | 0 | 0 | 100% (2 of 2) |",
    "| Female | 17 | 2 | 10 | 4 | 1 | 71% (12 of 17) |",
    "| Not known | 1 | 1 | 0 | 0 | 0 | 100% (1 of 1) |",
    "| (not recorded) | 8 | 2 | 2 | 4 | 0 | 50% (4 of 8) |",
]


@pytest.mark.parametrize("row", LABELLED_ROWS)
def test_the_summary_shows_each_choice_by_its_label(service_md: dict[str, str], row: str) -> None:
    assert row in service_md["summary"].splitlines()


@pytest.mark.parametrize("old", ["| private |", "| child in need |", "| no |", "| age 16 plus |"])
def test_the_summary_shows_no_choice_as_its_id(service_md: dict[str, str], old: str) -> None:
    assert not any(line.startswith(old) for line in service_md["summary"].splitlines())


@pytest.mark.parametrize(
    ("framework", "field", "expected"),
    [
        (0, "case.law_type", [("private", "Private"), ("public", "Public"), ("adoption", "Adoption")]),
        (
            0,
            "characteristics.work_to_first_hearing",
            [("yes", "Yes"), ("no", "No"), *[("(not recorded)",) * 2]],
        ),
        (
            1,
            "characteristics.legal_status",
            [
                ("child_in_need", "Child in need"),
                ("child_protection", "Child protection"),
                ("child_in_care", "Child in care"),
                ("(not recorded)", "(not recorded)"),
            ],
        ),
        (1, "case.child_in_care", [("yes", "Yes"), ("no", "No")]),
    ],
)
def test_the_json_keys_rows_by_id_and_labels_them(
    registry: Registry, framework: int, field: str, expected: list[tuple[str, str]]
) -> None:
    view = summary(load_dataset([SERVICE], registry, CheckOptions(today=TODAY)))
    [table] = [c for c in view["frameworks"][framework]["characteristics"] if c["field"] == field]
    assert [(r["key"], r["label"]) for r in table["rows"]] == expected


def test_the_summary_by_law_type_shows_labels(cli: Any) -> None:
    out = cli("summary", "--audits", SERVICE, *DAY, "--by", "law_type").stdout
    assert "| Private | 31 | 7 | 15 | 7 | 2 | 71% (22 of 31) |" in out.splitlines()
    text = cli("summary", "--audits", SERVICE, *DAY, "--by", "law_type", "-f", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["framework", "law_type", "law_type_label", "audits"]
    assert rows[2][:4] == ["cafcass-qiam-2017", "private", "Private", "31"]


def test_the_audit_rows_give_the_law_type_id_and_label(registry: Registry, cli: Any) -> None:
    rows = audit_rows(load_dataset([SERVICE / "cafcass"], registry, CheckOptions(today=TODAY)))
    first = rows[0]
    assert (first["audit_id"], first["law_type"], first["law_type_label"]) == (
        "QA-2025-0139",
        "private",
        "Private",
    )
    assert (first["audit_type"], first["audit_type_label"]) == ("case_file", "Case file audit")
    text = cli("summary", "--audits", SERVICE / "cafcass", *DAY, "-f", "csv").stdout
    [header, row, *_] = list(csv.reader(io.StringIO(text)))
    assert dict(zip(header, row, strict=True))["law_type_label"] == "Private"


def test_the_workbook_shows_labels(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "summary.xlsx"
    cli("summary", "--audits", SERVICE, *DAY, "-f", "xlsx", "-o", target)
    book = openpyxl.load_workbook(target)
    law = [[c.value for c in r] for r in book["Cafcass by law type"].iter_rows(min_row=2, max_row=4)]
    assert [r[0] for r in law] == ["Private", "Public", "Adoption"]
    status = [r[0].value for r in book["CCC by legal status"].iter_rows(min_row=2, max_row=4)]
    assert status == ["Child in need", "Child protection", "Child in care"]


@pytest.mark.parametrize(
    ("audit", "line", "detail"),
    [
        (
            "ccc/CFA-2026-0222.yaml",
            "| Child in care | No |",
            {"label": "Child in care", "value": "no", "value_label": "No"},
        ),
        (
            "cafcass/QA-2026-0006.yaml",
            "| Law type | Public |",
            {"label": "Law type", "value": "public", "value_label": "Public"},
        ),
    ],
)
def test_the_feedback_shows_case_details_by_label(
    cli: Any, registry: Registry, audit: str, line: str, detail: dict[str, str]
) -> None:
    assert line in cli("report", SERVICE / audit, *DAY).stdout.splitlines()
    details = json.loads(cli("report", SERVICE / audit, *DAY, "-f", "json").stdout)["details"]
    assert detail in details
    [record] = load_dataset([SERVICE / audit], registry, CheckOptions(today=TODAY)).records
    assert detail in audit_feedback(record, today=TODAY)["details"]


# -- 2. no remedial actions where the framework has none -----------------------------------------


def _case_block(page: str, case: str) -> str:
    start = page.index(f"### Case {case}:")
    end = page.find("\n### ", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_impact_says_nothing_of_actions_where_the_framework_has_none(
    service_md: dict[str, str], registry: Registry
) -> None:
    page = service_md["impact"]
    dataset = load_dataset([SERVICE], registry, CheckOptions(today=TODAY))
    cases = impact.impact_view(dataset, TODAY)["cases"]
    assert {c["actions"]["declared"] for c in cases} == {True, False}
    for case in cases:
        # Cafcass's framework records no remedial actions; the council's does.
        assert case["actions"]["declared"] is (case["frameworks"] != ["cafcass-qiam-2017"])
        block = _case_block(page, case["case"])
        assert ("#### Remedial actions agreed at the earlier audits" in block) is case["actions"]["declared"]
        # "None recorded." only where the framework records actions and the audits agreed none.
        assert ("None recorded." in block) is (case["actions"]["declared"] and not case["actions"]["items"])


# -- 3. one word for the open items of a theme ---------------------------------------------------


@pytest.mark.parametrize(
    ("command", "header"),
    [
        ("summary", "| Framework | Theme | Escalations | Open | Overdue | Recurring |"),
        ("summary", "| Framework | Theme | Actions | Open | Overdue | Recurring |"),
        ("escalations", "| Framework | Theme | Escalations | Audits | Recurring | Open | Overdue |"),
        ("actions", "| Framework | Theme | Actions | Audits | Recurring | Open | Overdue |"),
    ],
)
def test_the_open_column_has_one_name(service_md: dict[str, str], command: str, header: str) -> None:
    assert header in service_md[command].splitlines()
    assert "Not closed" not in service_md[command]
    assert "Unresolved" not in service_md[command]


@pytest.mark.parametrize(
    ("command", "sheet", "header"),
    [
        ("summary", "Escalation themes", ["Framework", "Theme", "Escalations", "Open", "Overdue"]),
        ("summary", "Action themes", ["Framework", "Theme", "Actions", "Open", "Overdue"]),
        (
            "escalations",
            "Themes",
            ["Framework", "Theme", "Escalations", "Audits", "Recurring", "Open", "Overdue"],
        ),
        ("actions", "Themes", ["Framework", "Theme", "Actions", "Audits", "Recurring", "Open", "Overdue"]),
    ],
)
def test_the_workbooks_name_it_open(
    cli: Any, tmp_path: Path, command: str, sheet: str, header: list[str]
) -> None:
    target = tmp_path / f"{command}.xlsx"
    cli(command, "--audits", SERVICE, *DAY, "-f", "xlsx", "-o", target, expect=None)
    row = next(openpyxl.load_workbook(target)[sheet].iter_rows(max_row=1))
    assert [c.value for c in row] == header


# -- 4. the feedback says who must be told, not how to record it ---------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_feedback_says_who_must_be_told_and_by_when(cli: Any, fmt: str) -> None:
    out = cli("report", SERVICE / "ccc" / "CFA-2026-0222.yaml", *DAY, "-f", fmt).stdout
    if fmt == "md":
        assert (
            "Escalation: **not raised yet**: the Case responsible worker, Team manager and Head of "
            "Service must be told by 2026-09-29 (**54 days overdue**: tell them today)."
        ) in out.splitlines()
    else:
        assert (
            "<p>Escalation: <strong>not raised yet</strong>: the Case responsible worker, Team manager and "
            'Head of Service must be told by <span class="nowrap">2026-09-29</span> (<strong>54 days '
            "overdue</strong>: tell them "
            "today).</p>"
        ) in out
    for key in ("escalation:", "recipients:", "told_on"):
        assert key not in out


# -- 5. the median days to raise say when the clock starts ---------------------------------------

MEDIAN = (
    "Median days to raise the escalation, counted from the audit (or from its moderation, where the "
    "moderator's grade called for it): 0.5; from raising it to acknowledgement: 1; to the case "
    "confirmed safe: 2; to closure: 9."
)


def test_the_median_days_to_raise_say_when_the_clock_starts(service_md: dict[str, str], cli: Any) -> None:
    assert f"- {MEDIAN}" in service_md["escalations"].splitlines()
    html = cli("escalations", "--audits", SERVICE, *DAY, "-f", "html", expect=1).stdout
    assert f"<p>{MEDIAN}" in html
    view = json.loads(cli("escalations", "--audits", SERVICE, *DAY, "-f", "json", expect=1).stdout)
    # QA-2026-0006 was escalated by its moderation (2026-01-26), raised a day later: 1 day, not 21.
    [moderated] = [e for e in view["escalations"] if e["audit_id"] == "QA-2026-0006"]
    assert moderated["days_to_raise"] == 1


def test_the_workbook_names_the_median_the_same_way(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "escalations.xlsx"
    cli("escalations", "--audits", SERVICE, *DAY, "-f", "xlsx", "-o", target, expect=1)
    figures = [r[0].value for r in openpyxl.load_workbook(target)["Figures"].iter_rows()]
    assert (
        "Median days to raise it, counted from the audit (or from its moderation, where the moderator's "
        "grade called for it)"
    ) in figures
