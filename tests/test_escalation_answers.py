"""A yes/no question a rule reads, answered in words, is the auditor's answer: its escalation is said.

A first-time auditor answered "Immediate safeguarding actions required" with ``Y``, or with
``Yes – strategy meeting with the local authority today``. validate rightly asks for yes or no
(QA206), but the escalation the answer calls for (the Cafcass immediate safeguarding escalation,
due on the day of the audit) was "not known until it is fixed": the answer was taken as either.
An answer whose first word is y, yes or true (n, no or false) is now read as yes (no) when working
out the escalations an audit with errors certainly needs (``audits.ahead.as_meant``). Text that
names no answer (``not sure``) and numbers (``1``) are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, Run
from said_ahead import assert_escalations_lists, assert_grade_says, left_out

ANSWERS = DATA / "ahead-answers"
IMMEDIATE = (
    "Immediate safeguarding escalation to Service manager: immediate safeguarding actions are required."
)
REVIEW = "Practice review to Practice supervisor: the ratings give Requires improvement."

CASES = [
    ("required-y.yaml", [IMMEDIATE, REVIEW]),
    ("required-yes-today.yaml", [IMMEDIATE, REVIEW]),
    ("required-n.yaml", []),
    ("required-not-sure.yaml", []),
]


@pytest.mark.parametrize(("name", "said"), CASES)
def test_grade_says_the_escalation_the_answer_calls_for(
    name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert_grade_says(cli, ANSWERS / name, said, tmp_path)


def test_the_escalations_report_lists_them(cli: Callable[..., Run]) -> None:
    run = assert_escalations_lists(cli, ANSWERS, CASES)
    assert (
        left_out(
            ANSWERS / "required-y.yaml",
            "64:13: QA206 'immediate_safeguarding_actions.required' should be true or false, not 'Y'.",
            [IMMEDIATE, REVIEW],
        )
        in run.stderr
    )
