"""A key written as a standard's name: the name messages use wins over another standard's title.

The data: tests/data/title-precedence/, a framework whose standard 'plan' (short name "Plan") has
the title "The plan is clear", which is also the title, and so the name in messages, of the
standard 'records' (no short name); and an audit that writes "The plan is clear:" as a key, rated
weak. Every message has named 'records' so: the key is read as 'records', and its escalation is
said ahead of the error, as before short names were read as keys (a review of 9b0bddc found the
rating read under 'plan', the escalation of 'records' missed, and with the rule on 'plan' one
invented).
"""

from __future__ import annotations

import json
from typing import Any

from conftest import DATA

HERE = DATA / "title-precedence"


def test_the_name_in_messages_wins_over_another_standards_title(cli: Any) -> None:
    run = cli(
        "validate", HERE / "TM-3.yaml", "--standards", HERE / "standards", "--today", "2026-07-01", expect=1
    )
    assert run.stdout.splitlines() == [
        f"{HERE}/TM-3.yaml:13:1: error QA202 'quality' (Quality) is missing 'plan' (Plan).",
        "    hint: Add 'plan:' under 'quality'.",
        f"{HERE}/TM-3.yaml:14:3: error QA203 The key 'The plan is clear' in 'quality' is the label of "
        "'records', not the key.",
        "    hint: Did you mean 'records'? Reports show it as 'The plan is clear', but the file uses its "
        "id: write 'records:' in place of 'The plan is clear:'.",
        "Checked 1 file: 2 errors and 0 warnings in 1 file.",
    ]


def test_its_escalation_is_said_ahead_of_the_errors(cli: Any) -> None:
    run = cli(
        "grade",
        HERE / "TM-3.yaml",
        "--standards",
        HERE / "standards",
        "--today",
        "2026-07-01",
        "-f",
        "json",
        expect=None,
    )
    [graded] = json.loads(run.stdout)
    assert graded["escalation_ahead"] == [
        "Records escalation to Team manager: 'The plan is clear' is rated weak."
    ]
