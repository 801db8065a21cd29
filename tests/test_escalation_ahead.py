"""An audit with errors that certainly needs escalating is said to, wherever it is left out.

An audit recorded Inadequate whose only problem was an empty team was left out of the
escalations report with "whether it needs escalating is not known until it is fixed", exit 1
and no more: the child's case waited on a missing team name. What an audit with errors already
says is now applied (``audits/ahead.py``): where no error is on a value the rules read, or the
only such errors are ratings still to be given, the escalations every way of putting them right
calls for are said by ``grade``, by every report's list of the files it left out, and by the
escalations report (md, html, json), under ``--redact`` too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, Run
from said_ahead import (
    TODAY,
    assert_escalations_lists,
    assert_grade_says,
    decided_ahead,
    escalated_all_the_same,
    left_out,
)

AHEAD = DATA / "ahead"
CASE = "Case escalation to Case responsible worker, Team manager and Head of Service: "
RATED = CASE + "the ratings give Inadequate."
RECORDED = CASE + "the auditor recorded Inadequate; the ratings give Requires improvement to be good."
#: The audits of AHEAD, each with the escalations said ahead of its errors.
GRADED = [
    ("recorded-inadequate.yaml", [RECORDED]),
    ("rated-inadequate-rating-missing.yaml", [RATED]),
    ("not-sure.yaml", []),
]


def test_the_escalations_report_lists_the_invalid_audits_that_must_be_escalated(
    cli: Callable[..., Run],
) -> None:
    run = cli("escalations", "--audits", AHEAD, "--today", TODAY, expect=1)
    assert (
        "No valid audit was read. 3 invalid audit files were left out: 2 must be escalated all the "
        "same (below), and whether the others need escalating is not known until they are fixed.\n\n"
        "## Invalid audits that must be escalated all the same (2)\n\n"
        "These audits have errors, so they are left out of the figures, but what each already says "
        "calls for an escalation whatever the errors turn out to be. Escalate now, and put the errors "
        "right.\n\n"
        f"- `{AHEAD / 'rated-inadequate-rating-missing.yaml'}`: {RATED}\n"
        f"- `{AHEAD / 'recorded-inadequate.yaml'}`: {RECORDED}\n"
    ) in run.stdout
    assert (
        "**3 audit files are invalid: 2 must be escalated all the same (above), and whether the "
        "others need escalating is not known.** Validating them says what to fix."
    ) in run.stdout


def test_the_json_names_them(cli: Callable[..., Run]) -> None:
    assert_escalations_lists(cli, AHEAD, GRADED)


def test_the_html_names_them(cli: Callable[..., Run]) -> None:
    run = cli("escalations", "--audits", AHEAD, "--today", TODAY, "-f", "html", expect=1)
    assert "<h2>Invalid audits that must be escalated all the same (2)</h2>" in run.stdout
    assert f"<li><code>{AHEAD / 'recorded-inadequate.yaml'}</code>: {RECORDED}</li>" in run.stdout


@pytest.mark.parametrize(
    "command", [["escalations"], ["summary"], ["actions"], ["quarterly", "--quarter", "2026-Q4"]], ids=str
)
def test_every_report_says_so_where_it_lists_what_it_left_out(
    command: list[str], cli: Callable[..., Run]
) -> None:
    run = cli(*command, "--audits", AHEAD, "--today", TODAY, "-f", "json", expect=1)
    rating = "23:12: QA208 'practice_standards.assessment.rating' is empty."
    assert run.stderr.endswith(
        left_out(AHEAD / "not-sure.yaml", rating)
        + left_out(AHEAD / "rated-inadequate-rating-missing.yaml", rating, [RATED])
        + left_out(AHEAD / "recorded-inadequate.yaml", "9:8: QA208 'case.team' (Team) is empty.", [RECORDED])
    )


def test_redacted_the_files_are_withheld_and_the_escalations_still_said(cli: Callable[..., Run]) -> None:
    run = cli("escalations", "--audits", AHEAD, "--today", TODAY, "-f", "json", "--redact", expect=1)
    shown = json.loads(run.stdout)["invalid_escalations"]
    assert shown == [
        {"file": "invalid file 2 (name withheld)", "escalations": [RATED]},
        {"file": "invalid file 3 (name withheld)", "escalations": [RECORDED]},
    ]
    assert "recorded-inadequate" not in run.stderr
    assert escalated_all_the_same([RECORDED]) in run.stderr


@pytest.mark.parametrize(("name", "said"), GRADED)
def test_grade_says_so(name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path) -> None:
    assert_grade_says(cli, AHEAD / name, said, tmp_path, today=None)


def test_report_of_one_audit_says_so(cli: Callable[..., Run]) -> None:
    run = cli("report", AHEAD / "recorded-inadequate.yaml", "--today", TODAY, expect=1)
    assert run.stderr.endswith(escalated_all_the_same([RECORDED]))


@pytest.mark.parametrize(("omitted", "said"), [(0, [RATED]), (1, [])])
def test_errors_past_the_cap_leave_only_the_recorded_grades_sure(omitted: int, said: list[str]) -> None:
    # An error not shown (past the cap of findings) could be on any value the rules read: the audit
    # form passes how many there are, as reports do.
    assert decided_ahead(AHEAD / "rated-inadequate-rating-missing.yaml", omitted_errors=omitted) == said


# -- a standard's key mistyped: the other standards' ratings still count --------------------------

KEYS = DATA / "ahead-keys"


MISTYPED = [
    # Regression: the missing standard's finding is placed at the block of standards, and was
    # taken to be about every standard in it, so the certain escalation was not said.
    ("standard-key-misspelt.yaml", [RATED]),
    ("standard-key-typo.yaml", [RATED]),
    ("standard-key-as-label.yaml", [RATED]),
    ("not-sure-key-misspelt.yaml", []),
]


@pytest.mark.parametrize(("name", "said"), MISTYPED)
def test_a_mistyped_standard_key_leaves_the_other_ratings_sure(
    name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert_grade_says(cli, KEYS / name, said, tmp_path)


def test_the_escalations_report_lists_audits_with_a_mistyped_standard_key(cli: Callable[..., Run]) -> None:
    assert_escalations_lists(cli, KEYS, MISTYPED)


@pytest.mark.parametrize(
    ("name", "about"),
    [
        # One finding, QA203 at 'Planing', about the standard it is taken for (no QA202 besides).
        ("standard-key-misspelt.yaml", {("practice_standards", "planning")}),
        ("standard-key-as-label.yaml", {("practice_standards", "assessment")}),
    ],
)
def test_a_finding_of_the_audit_model_names_the_value_it_is_about(
    name: str, about: set[tuple[str, ...]]
) -> None:
    from qaimpact.audits.checker import CheckOptions, check_audit
    from qaimpact.frameworks.registry import Registry, bundled_dir

    check = check_audit(KEYS / name, Registry([bundled_dir()]), CheckOptions())
    assert {d.data_path for d in check.diagnostics if d.is_error} == about


#: Planning rated inadequate without the evidence the framework requires below good (QA317).
EVIDENCE_MISSING = DATA / "ahead-evidence" / "rated-inadequate-evidence-missing.yaml"


def test_a_rating_without_the_evidence_it_requires_still_escalates(cli: Callable[..., Run]) -> None:
    # QA317 is placed at the rating but is about the evidence (its data path): the rating stands,
    # so the escalation it calls for is said now, not once the evidence is added.
    assert decided_ahead(EVIDENCE_MISSING) == [RATED]
    run = cli("escalations", "--audits", EVIDENCE_MISSING.parent, "--today", TODAY, expect=1)
    assert f"- `{EVIDENCE_MISSING}`: {RATED}\n" in run.stdout
    finding = "26:13: QA317 'Planning' is rated inadequate but has no evidence."
    assert run.stderr.endswith(left_out(EVIDENCE_MISSING, finding, [RATED]))
