"""A year no audit could mean, in any date of an audit or a record (QA414; QA410 and QA404 for the
review date), found by one check at the boundaries: 2000-01-01 and five years after the review date
(a record's, after the date that dates it).

tests/data/rules/audits/dated.yaml (review date 2026-10-05), tests/data/dates/follow-through-ccc.yaml
and tests/data/records/observation-ccc.yaml are valid files with plausible dates; each case changes
some of their dates and lists every finding the file must then get, exactly (today is 2026-11-22).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry, bundled_dir

RULES = DATA / "rules"
AUDIT = RULES / "audits" / "dated.yaml"
FOLLOW = DATA / "dates" / "follow-through-ccc.yaml"
OBSERVATION = DATA / "records" / "observation-ccc.yaml"

PLACEMENT = "placement: {from: 2026-03-01, to: 2026-09-30}"
PERIOD = "period_reviewed: {from: 2026-04-01, to: 2026-09-30}"
DUE = "due: 2026-10-19"
REVIEW = "review_date: 2026-10-05"
PLAN = "plan: {rating: weak, evidence: No plan on file.}"
COVERS = "{from: 1999-04-01, to: 2031-10-06}}"
AFTER = "more than 5 years after the review date (2026-10-05)"


def warn(where: str, noun: str, when: str, of: str, how: str) -> tuple[str, str, str]:
    return (f"{where} warning QA414", f"The {noun} {when}{of} is {how}.", f"Check the year of the {noun}.")


def after_today(where: str, name: str, when: str) -> tuple[str, str, str]:
    return (
        f"{where} error QA312",
        f"'{name}' is {when}, after today (2026-11-22).",
        f"Record '{name}' once it has happened, with the date it happened.",
    )


def due(when: str, how: str = AFTER) -> tuple[str, str, str]:
    return warn("17:10", "due date", when, " of remedial action 1", how)


def period(where: str, noun: str, when: str, how: str = AFTER) -> tuple[str, str, str]:
    return warn(where, noun, when, " of 'period_reviewed' (Period reviewed)", how)


def placement(where: str, noun: str, when: str, how: str = AFTER) -> tuple[str, str, str]:
    return warn(where, noun, when, " of 'case.placement' (Placement)", how)


AUDIT_CASES: list[Any] = [
    pytest.param({}, [], id="as-written"),
    # -- a remedial action's due date ------------------------------------------------------------
    pytest.param({DUE: "due: 2062-10-19"}, [due("2062-10-19")], id="due-2062-for-2026"),
    pytest.param({DUE: "due: 9999-12-31"}, [due("9999-12-31")], id="due-9999-12-31"),
    pytest.param({DUE: "due: 2031-10-05"}, [], id="due-five-years-on"),
    pytest.param({DUE: "due: 2031-10-06"}, [due("2031-10-06")], id="due-five-years-and-a-day-on"),
    pytest.param({DUE: "due: 0026-10-19"}, [due("0026-10-19", "before 2000")], id="due-0026"),
    pytest.param({DUE: "due: 0001-01-01"}, [due("0001-01-01", "before 2000")], id="due-0001-01-01"),
    pytest.param({DUE: "due: 1999-12-31"}, [due("1999-12-31", "before 2000")], id="due-1999-12-31"),
    pytest.param({DUE: "due: 2000-01-01"}, [], id="due-2000-01-01"),
    pytest.param({DUE: "due: null"}, [], id="no-due-date"),
    # -- a period, at the top level and under case: --------------------------------------------------
    pytest.param(
        {PERIOD: "period_reviewed: {from: 0026-04-01, to: 2026-09-30}"},
        [period("11:25", "start date", "0026-04-01", "before 2000")],
        id="period-starts-0026",
    ),
    pytest.param(
        {PERIOD: "period_reviewed: {from: 2026-04-01, to: 2062-09-30}"},
        [period("11:41", "end date", "2062-09-30")],
        id="period-ends-2062",
    ),
    pytest.param(
        {PERIOD: "period_reviewed: {from: 0001-01-01, to: 9999-12-31}"},
        [
            period("11:25", "start date", "0001-01-01", "before 2000"),
            period("11:41", "end date", "9999-12-31"),
        ],
        id="period-from-0001-to-9999",
    ),
    pytest.param(
        {PLACEMENT: "placement: {from: 1999-12-31, to: 2031-10-06}"},
        [
            placement("7:21", "start date", "1999-12-31", "before 2000"),
            placement("7:37", "end date", "2031-10-06"),
        ],
        id="case-period-just-outside",
    ),
    pytest.param(
        {PLACEMENT: "placement: {from: 2000-01-01, to: 2031-10-05}"}, [], id="case-period-just-inside"
    ),
    # -- a standard's own fields: named by their labels, as a case field is ------------------------
    pytest.param(
        {PLAN: "plan: {rating: weak, evidence: No plan on file., agreed_on: 2062-10-01}"},
        [
            warn(
                "13:63",
                "date",
                "2062-10-01",
                " in 'practice.plan.agreed_on' (Date the plan was agreed)",
                AFTER,
            )
        ],
        id="standard-field-2062",
    ),
    pytest.param(
        {PLAN: "plan: {rating: weak, evidence: No plan on file., covers: " + COVERS},
        [
            warn(
                "13:67",
                "start date",
                "1999-04-01",
                " of 'practice.plan.covers' (Period the plan covers)",
                "before 2000",
            ),
            warn(
                "13:83",
                "end date",
                "2031-10-06",
                " of 'practice.plan.covers' (Period the plan covers)",
                AFTER,
            ),
        ],
        id="standard-period-just-outside",
    ),
    # -- the review date: its own codes, through the same check --------------------------------------
    pytest.param(
        {REVIEW: "review_date: 1999-12-31"},
        [
            (
                "10:14 warning QA410",
                "The review date 1999-12-31 is before 2000.",
                "Check the year of the review date.",
            )
        ],
        id="review-1999-12-31",
    ),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry([RULES / "standards", bundled_dir()])


def edited(source: Path, tmp_path: Path, changes: dict[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("changes", "expected"), AUDIT_CASES)
def test_audit_dates(
    registry: Registry, tmp_path: Path, changes: dict[str, str], expected: list[tuple[str, str, str]]
) -> None:
    path = edited(AUDIT, tmp_path, changes)
    result = check_audit(path, registry, CheckOptions(today=TODAY), path.name)
    assert [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code}", d.message, d.hint)
        for d in result.diagnostics
    ] == expected


def test_dates_put_in_order_by_qa312_get_no_second_finding(registry: Registry, tmp_path: Path) -> None:
    # An escalation's, a moderation's and an action's closing dates lie between the review date and
    # today, or QA312 says so: a year typed wrong there is an error already, not also a warning.
    path = edited(
        AUDIT,
        tmp_path,
        {
            "raised_on: 2026-10-06": "raised_on: 0001-01-01",
            "acknowledged_on: 2026-10-08": "acknowledged_on: 9999-12-31",
            "moderated_on: 2026-10-20": "moderated_on: 2062-10-20",
            "closed_on: 2026-10-15": "closed_on: 0026-10-15",
        },
    )
    assert [d.code for d in check_audit(path, registry, CheckOptions(today=TODAY)).diagnostics] == [
        "QA312",
        "QA312",
        "QA312",
        "QA312",
    ]


FOLLOW_AFTER = "more than 5 years after 'discussed_on' (2026-02-12)"

RECORD_CASES: list[Any] = [
    pytest.param(FOLLOW, {}, [], id="follow-through-as-written"),
    pytest.param(
        FOLLOW,
        {"due_on: 2026-04-13": "due_on: 2062-04-13"},
        [warn("13:9", "due date", "2062-04-13", " in 'due_on' (Due)", FOLLOW_AFTER)],
        id="follow-through-due-2062",
    ),
    pytest.param(
        FOLLOW, {"due_on: 2026-04-13": "due_on: 2031-02-12"}, [], id="follow-through-due-five-years-on"
    ),
    pytest.param(
        FOLLOW,
        {"evidence_seen_on: 2026-04-08": "evidence_seen_on: 9999-12-31"},
        # After today as well: evidence not seen yet is the error, in QA312's words alone.
        [after_today("15:19", "evidence_seen_on", "9999-12-31")],
        id="follow-through-evidence-seen-9999",
    ),
    pytest.param(
        FOLLOW,
        {"discussed_on: 2026-02-12": "discussed_on: 0026-02-12"},
        [warn("7:15", "date", "0026-02-12", " in 'discussed_on' (Date discussed)", "before 2000")],
        id="follow-through-discussed-0026",
    ),
    pytest.param(
        OBSERVATION,
        {"feedback_given_on: 2026-10-07": "feedback_given_on: 2062-10-07"},
        [after_today("18:20", "feedback_given_on", "2062-10-07")],
        id="observation-feedback-2062",
    ),
    pytest.param(
        OBSERVATION,
        {
            "observed_on: 2026-10-05": "observed_on: 2015-10-05",
            "feedback_given_on: 2026-10-07": "feedback_given_on: 2021-10-07",
        },
        [
            warn(
                "18:20",
                "date",
                "2021-10-07",
                " in 'feedback_given_on' (Feedback given)",
                "more than 5 years after 'observed_on' (2015-10-05)",
            )
        ],
        id="observation-feedback-six-years-on",
    ),
    pytest.param(
        OBSERVATION,
        {"observed_on: 2026-10-05": "observed_on: 1999-12-31"},
        [warn("8:14", "date", "1999-12-31", " in 'observed_on' (Date observed)", "before 2000")],
        id="observation-1999",
    ),
]


@pytest.mark.parametrize(("source", "changes", "expected"), RECORD_CASES)
def test_record_dates(
    registry: Registry,
    tmp_path: Path,
    source: Path,
    changes: dict[str, str],
    expected: list[tuple[str, str, str]],
) -> None:
    path = edited(source, tmp_path, changes)
    result = check_audit(path, registry, CheckOptions(today=TODAY), path.name)
    assert [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code}", d.message, d.hint)
        for d in result.diagnostics
    ] == expected


@pytest.mark.parametrize(
    ("source", "changes", "standards", "line"),
    [
        pytest.param(
            AUDIT,
            {DUE: "due: 2062-10-19"},
            RULES / "standards",
            ":17:10: warning QA414 The due date 2062-10-19 of remedial action 1 is more than 5 years "
            "after the review date (2026-10-05).\n    hint: Check the year of the due date.\n",
            id="audit-due",
        ),
        pytest.param(
            AUDIT,
            {PLAN: "plan: {rating: weak, evidence: No plan on file., agreed_on: 2062-10-01}"},
            RULES / "standards",
            ":13:63: warning QA414 The date 2062-10-01 in 'practice.plan.agreed_on' (Date the plan was "
            "agreed) is more than 5 years after the review date (2026-10-05).\n    hint: Check the year of "
            "the date.\n",
            id="audit-standard-field",
        ),
        pytest.param(
            FOLLOW,
            {"due_on: 2026-04-13": "due_on: 2062-04-13"},
            None,
            ":13:9: warning QA414 The due date 2062-04-13 in 'due_on' (Due) is more than 5 years after "
            "'discussed_on' (2026-02-12).\n    hint: Check the year of the due date.\n",
            id="record-due",
        ),
    ],
)
def test_validate_warns_of_an_implausible_year(
    cli: Callable[..., Any],
    tmp_path: Path,
    source: Path,
    changes: dict[str, str],
    standards: Path | None,
    line: str,
) -> None:
    path = edited(source, tmp_path, changes)
    extra = ("--standards", standards) if standards else ()
    run = cli("validate", path, *extra, "--today", TODAY.isoformat(), expect=0)
    assert f"{path}{line}" in run.stdout
    assert "Checked 1 file: 0 errors and 1 warning in 1 file." in run.stdout
