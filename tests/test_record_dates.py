"""A practice record's dates besides its own are not after today, but for its due date (QA312).

Feedback given, a response sent and evidence seen each record what happened, as an escalation's
dates or an action's ``closed_on`` do in an audit: one dated after today is the same error, in
the same words. tests/data/record-dates/ holds a record of each kind with such a date (today is
2026-11-22), and a follow-through due after today, which is valid: a due date looks ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import DATA, TODAY

RECORD_DATES = DATA / "record-dates"


def after_today(where: str, name: str, when: str) -> list[str]:
    return [
        f"{RECORD_DATES}/{where}: error QA312 '{name}' is {when}, after today (2026-11-22).",
        f"    hint: Record '{name}' once it has happened, with the date it happened.",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "observation-feedback-tomorrow.yaml",
            after_today("observation-feedback-tomorrow.yaml:18:20", "feedback_given_on", "2026-11-23"),
        ),
        (
            # After today, and more than five years after the observation: said once, as after today.
            "observation-feedback-2062.yaml",
            after_today("observation-feedback-2062.yaml:18:20", "feedback_given_on", "2062-10-07"),
        ),
        (
            "feedback-responded-next-week.yaml",
            after_today("feedback-responded-next-week.yaml:12:15", "responded_on", "2026-12-01"),
        ),
        (
            "follow-through-evidence-next-week.yaml",
            after_today("follow-through-evidence-next-week.yaml:15:19", "evidence_seen_on", "2026-11-30"),
        ),
    ],
)
def test_a_record_date_after_today_is_an_error(
    cli: Callable[..., Any], name: str, expected: list[str]
) -> None:
    # Only the date that dates the record was checked against today: the others passed.
    run = cli("validate", RECORD_DATES / name, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines() == [*expected, "Checked 1 file: 1 error and 0 warnings in 1 file."]


def test_a_due_date_after_today_is_not(cli: Callable[..., Any]) -> None:
    path = RECORD_DATES / "follow-through-due-ahead.yaml"
    run = cli("validate", path, "--today", TODAY.isoformat())
    assert run.stdout.splitlines() == ["Checked 1 file: no problems found."]


def test_a_record_date_of_today_is_not(cli: Callable[..., Any], tmp_path: Any) -> None:
    # The boundary: what happened today may be recorded today.
    text = (RECORD_DATES / "observation-feedback-tomorrow.yaml").read_text(encoding="utf-8")
    path = tmp_path / "observation.yaml"
    path.write_text(text.replace("feedback_given_on: 2026-11-23", "feedback_given_on: 2026-11-22"), "utf-8")
    run = cli("validate", path, "--today", TODAY.isoformat())
    assert run.stdout.splitlines() == ["Checked 1 file: no problems found."]
