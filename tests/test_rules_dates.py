"""The framework rules about dates, at their boundaries: one-day ranges, same-day and next-day dates.

tests/data/rules/audits/dated.yaml is a valid audit of tests/data/rules/standards/dated.yaml, a
framework with a date range under `case:` as well as at the top level. Each case changes some of
its dates and lists every finding the audit must then get, exactly (today is 2026-11-22):

- QA309: a date range may last one day (from == to), but may not end before it starts;
- QA404: the review date may be today, not tomorrow;
- QA312: a later date may fall on the review date (or, for an acknowledgement, on the day the
  escalation was raised) and on today, but not the day before nor tomorrow;
- QA310: a remedial action marked done needs the date it closed and the evidence.
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

PLACEMENT = "placement: {from: 2026-03-01, to: 2026-09-30}"
PERIOD = "period_reviewed: {from: 2026-04-01, to: 2026-09-30}"
REVIEW = "review_date: 2026-10-05"
PLAN = "plan: {rating: weak, evidence: No plan on file.}"
RAISED = "raised_on: 2026-10-06"
ACKNOWLEDGED = "acknowledged_on: 2026-10-08"
CLOSED = "closed_on: 2026-10-15"
MODERATED = "moderated_on: 2026-10-20"
FIX_RANGE = "Swap the dates or correct the one that is wrong."


def range_error(line: int, column: int, name: str, start: str, end: str) -> tuple[str, str, str]:
    return (f"{line}:{column} error QA309", f"{name} ends on {end} before it starts on {start}.", FIX_RANGE)


def before(line: int, column: int, name: str, when: str, after: str, earliest: str) -> tuple[str, str, str]:
    return (
        f"{line}:{column} error QA312",
        f"'{name}' is {when}, before {after} ({earliest}).",
        f"Correct '{name}': it cannot come before {after}.",
    )


def future(line: int, column: int, name: str, when: str) -> tuple[str, str, str]:
    return (
        f"{line}:{column} error QA312",
        f"'{name}' is {when}, after today (2026-11-22).",
        f"Record '{name}' once it has happened, with the date it happened.",
    )


#: What the hint of QA310 asks to add for each key missing: only what is missing is asked for.
ADD = {
    "closed_on": "'closed_on:' (the date it was completed)",
    "evidence": "'evidence:' (how completion was checked)",
}


def missing(*keys: str) -> tuple[str, str, str]:
    return (
        "18:13 error QA310",
        f"Remedial action 1 is marked done without {' or '.join(keys)}.",
        f"Add {' and '.join(ADD[k] for k in keys)}, or set 'status: open'.",
    )


CASES: list[Any] = [
    pytest.param({}, [], id="as-written"),
    # -- QA309, under case: and at the top level ---------------------------------------------------
    pytest.param(
        {PLACEMENT: "placement: {from: 2026-09-30, to: 2026-03-01}"},
        [range_error(7, 37, "'case.placement' (Placement)", "2026-09-30", "2026-03-01")],
        id="case-range-reversed",
    ),
    pytest.param(
        {PLACEMENT: "placement: {from: 2026-03-02, to: 2026-03-01}"},
        [range_error(7, 37, "'case.placement' (Placement)", "2026-03-02", "2026-03-01")],
        id="case-range-ends-the-day-before",
    ),
    pytest.param({PLACEMENT: "placement: {from: 2026-03-01, to: 2026-03-01}"}, [], id="case-range-one-day"),
    pytest.param({PLACEMENT: "placement: null"}, [], id="case-range-absent"),
    pytest.param(
        {PERIOD: "period_reviewed: {from: 2026-09-30, to: 2026-09-29}"},
        [range_error(11, 41, "'period_reviewed' (Period reviewed)", "2026-09-30", "2026-09-29")],
        id="range-ends-the-day-before",
    ),
    pytest.param({PERIOD: "period_reviewed: {from: 2026-09-30, to: 2026-09-30}"}, [], id="range-one-day"),
    # A standard's own date range, in the block of its group.
    pytest.param(
        {PLAN: PLAN[:-1] + ", covers: {from: 2026-09-30, to: 2026-09-01}}"},
        [range_error(13, 83, "'practice.plan.covers' (Period the plan covers)", "2026-09-30", "2026-09-01")],
        id="standard-range-ends-before-it-starts",
    ),
    pytest.param(
        {PLAN: PLAN[:-1] + ", covers: {from: 2026-09-30, to: 2026-09-30}}"}, [], id="standard-range-one-day"
    ),
    pytest.param(
        {
            PLACEMENT: "placement: {from: 2026-12-01, to: 2026-01-01}",
            PERIOD: "period_reviewed: {from: 2026-09-30, to: 2026-04-01}",
        },
        [
            range_error(7, 37, "'case.placement' (Placement)", "2026-12-01", "2026-01-01"),
            range_error(11, 41, "'period_reviewed' (Period reviewed)", "2026-09-30", "2026-04-01"),
        ],
        id="both-ranges-reversed",
    ),
    # -- QA404 -----------------------------------------------------------------------------------
    pytest.param(
        {
            REVIEW: "review_date: 2026-11-22",
            RAISED: "raised_on: 2026-11-22",
            ACKNOWLEDGED: "acknowledged_on: 2026-11-22",
            CLOSED: "closed_on: 2026-11-22",
            MODERATED: "moderated_on: 2026-11-22",
        },
        [],
        id="everything-today",
    ),
    pytest.param(
        {
            REVIEW: "review_date: 2026-11-23",
            RAISED: "raised_on: 2026-11-23",
            ACKNOWLEDGED: "acknowledged_on: 2026-11-23",
            CLOSED: "closed_on: 2026-11-23",
            MODERATED: "moderated_on: 2026-11-23",
        },
        [
            (
                "10:14 warning QA404",
                "The review date 2026-11-23 is in the future (today is 2026-11-22).",
                "Check the year and month of the review date.",
            ),
            future(19, 16, "closed_on", "2026-11-23"),
            future(23, 14, "raised_on", "2026-11-23"),
            future(24, 20, "acknowledged_on", "2026-11-23"),
            future(28, 17, "moderated_on", "2026-11-23"),
        ],
        id="everything-tomorrow",
    ),
    # -- QA312 -----------------------------------------------------------------------------------
    pytest.param(
        {
            RAISED: "raised_on: 2026-10-05",
            ACKNOWLEDGED: "acknowledged_on: 2026-10-05",
            CLOSED: "closed_on: 2026-10-05",
            MODERATED: "moderated_on: 2026-10-05",
        },
        [],
        id="everything-on-the-review-date",
    ),
    pytest.param(
        {
            RAISED: "raised_on: 2026-10-04",
            ACKNOWLEDGED: "acknowledged_on: 2026-10-04",
            CLOSED: "closed_on: 2026-10-04",
            MODERATED: "moderated_on: 2026-10-04",
        },
        [
            before(19, 16, "closed_on", "2026-10-04", "the review date", "2026-10-05"),
            before(23, 14, "raised_on", "2026-10-04", "the review date", "2026-10-05"),
            before(28, 17, "moderated_on", "2026-10-04", "the review date", "2026-10-05"),
        ],
        id="everything-the-day-before-the-review",
    ),
    pytest.param(
        {ACKNOWLEDGED: "acknowledged_on: 2026-10-05"},
        [before(24, 20, "acknowledged_on", "2026-10-05", "the date it was raised", "2026-10-06")],
        id="acknowledged-the-day-before-raised",
    ),
    pytest.param({ACKNOWLEDGED: "acknowledged_on: 2026-10-06"}, [], id="acknowledged-the-day-raised"),
    pytest.param({ACKNOWLEDGED: "acknowledged_on: null"}, [], id="not-acknowledged"),
    pytest.param(
        {RAISED: "raised_on: 2026-11-23", ACKNOWLEDGED: "acknowledged_on: 2026-11-24"},
        [future(23, 14, "raised_on", "2026-11-23"), future(24, 20, "acknowledged_on", "2026-11-24")],
        id="raised-and-acknowledged-after-today",
    ),
    pytest.param(
        {RAISED: "raised_on: 2026-11-23", ACKNOWLEDGED: "acknowledged_on: 2026-11-22"},
        [
            future(23, 14, "raised_on", "2026-11-23"),
            before(24, 20, "acknowledged_on", "2026-11-22", "the date it was raised", "2026-11-23"),
        ],
        id="acknowledged-before-a-raising-after-today",
    ),
    # -- QA310 -----------------------------------------------------------------------------------
    pytest.param({CLOSED: "closed_on: null"}, [missing("closed_on")], id="done-without-closed-on"),
    pytest.param(
        {"evidence: Plan seen on file.": "evidence: ''"}, [missing("evidence")], id="done-without-evidence"
    ),
    pytest.param(
        {CLOSED: "closed_on: null", "evidence: Plan seen on file.": "evidence: null"},
        [missing("closed_on", "evidence")],
        id="done-without-either",
    ),
    pytest.param(
        {
            "status: done": "status: open",
            CLOSED: "closed_on: null",
            "evidence: Plan seen on file.": "evidence: null",
        },
        [],
        id="open-without-either",
    ),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry([RULES / "standards", bundled_dir()])


def check(registry: Registry, tmp_path: Path, changes: dict[str, str]) -> list[tuple[str, str, str]]:
    text = AUDIT.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / AUDIT.name
    path.write_text(text, encoding="utf-8")
    result = check_audit(path, registry, CheckOptions(today=TODAY), AUDIT.name)
    return [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code}", d.message, d.hint)
        for d in result.diagnostics
    ]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_date_rules(
    registry: Registry, tmp_path: Path, changes: dict[str, str], expected: list[tuple[str, str, str]]
) -> None:
    assert check(registry, tmp_path, changes) == expected


def test_cli_reports_a_reversed_range_under_case(cli: Callable[..., Any], tmp_path: Path) -> None:
    reversed_range = "placement: {from: 2026-09-30, to: 2026-03-01}"
    text = AUDIT.read_text(encoding="utf-8").replace(PLACEMENT, reversed_range)
    path = tmp_path / "dated.yaml"
    path.write_text(text, encoding="utf-8")
    run = cli("validate", path, "--standards", RULES / "standards", "--today", TODAY.isoformat(), expect=1)
    message = "'case.placement' (Placement) ends on 2026-03-01 before it starts on 2026-09-30."
    assert f"{path}:7:37: error QA309 {message}" in run.stdout
    assert f"hint: {FIX_RANGE}" in run.stdout


def test_the_audit_form_names_a_reversed_period_by_its_label(registry: Registry) -> None:
    # Regression (a review): the form said "'period_reviewed' ends on ...", a key of the file.
    from qaimpact.web.form import form_for
    from qaimpact.web.pages import field_labels, plain_message

    path = DATA / "invalid" / "QA309-period-reversed.yaml"
    check = check_audit(path, registry, CheckOptions(today=TODAY))
    (found,) = [d for d in check.diagnostics if d.code == "QA309"]
    labels = field_labels(form_for(registry.get("ccc-practice-standards")))
    assert plain_message(found.message, labels) == (
        '"Period reviewed" ends on 2026-05-01 before it starts on 2026-10-31.'
    )


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        # Regression: the hint asked for 'closed_on:' that the action already had.
        (
            "QA310-done-without-evidence.yaml",
            "Add 'evidence:' (how completion was checked), or set 'status: open'.",
        ),
        (
            "QA310-done-without-closure.yaml",
            "Add 'closed_on:' (the date it was completed) and 'evidence:' (how completion was checked), or "
            "set 'status: open'.",
        ),
    ],
)
def test_cli_asks_only_for_what_a_done_action_is_missing(
    cli: Callable[..., Any], name: str, hint: str
) -> None:
    run = cli("validate", DATA / "invalid" / name, "--today", TODAY.isoformat(), expect=1)
    assert f"\n    hint: {hint}\n" in run.stdout
