"""A standard rated inadequate although the case details say it does not apply still escalates.

An auditor who rated 'Children in care' inadequate on an audit whose case says ``child_in_care:
false`` got QA320 ("the rating would be left out of the grade") and, as the audit has an error,
only "whether it needs escalating is not known", in ``grade``, the audit form and every report's
list of the files left out. One of the two facts is wrong and the auditor says which; until then
the rating is the auditor's own judgement of the practice, the most severe evidence the audit
holds. It is now read as applying wherever that makes an escalation certain
(``audits/ahead.applicability_slips``), as a misspelt rating is read as the one choice it can mean
(tests/test_escalation_misspelt.py): escalating needlessly is the safe error, and the line says
how the standard was taken. A rating whose reading escalates nothing stays "not known".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, Run
from said_ahead import TODAY, assert_escalations_lists, assert_grade_says, decided_ahead, left_out

INAPPLICABLE = DATA / "ahead-inapplicable"
CASE = "Case escalation to Case responsible worker, Team manager and Head of Service: "
QA320 = (
    "48:13: QA320 'Children in care' is rated {rating}, but it only applies when 'case.child_in_care' "
    "(Child in care) is true, so the rating would be left out of the grade."
)

#: Each file, the escalations said before its errors are put right, and its one finding as the
#: list of files a report left out gives it.
CASES = [
    (
        "ccc-in-care-inadequate.yaml",
        [
            CASE + "the ratings give Inadequate; 'Children in care' is rated Inadequate, so it was taken "
            "as applying, although 'case.child_in_care' says it does not."
        ],
        QA320.format(rating="inadequate"),
    ),
    (
        "ccc-in-care-not-given.yaml",
        [
            CASE + "the ratings give Inadequate; 'Children in care' is rated Inadequate, so it was taken "
            "as applying, although 'case.child_in_care' is not given."
        ],
        "6:1: QA202 'case' is missing 'child_in_care' (Child in care).",
    ),
    # Read as applying, requires improvement escalates nothing in the council's framework.
    ("ccc-in-care-requires-improvement.yaml", [], QA320.format(rating="requires improvement to be good")),
]


@pytest.mark.parametrize(("name", "said", "finding"), CASES, ids=[c[0] for c in CASES])
def test_grade_and_the_decision_say_it(
    name: str, said: list[str], finding: str, cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert_grade_says(cli, INAPPLICABLE / name, said, tmp_path, unsaid=["taken as applying"])
    assert decided_ahead(INAPPLICABLE / name) == said


def test_the_escalations_report_lists_them_and_leaves_the_other_not_known(cli: Callable[..., Run]) -> None:
    run = assert_escalations_lists(cli, INAPPLICABLE, [(name, said) for name, said, _ in CASES])
    assert run.stderr == (
        "error: 3 audit files were left out of this report because they have errors; fix them and run the "
        "report again (`qaimpact validate` shows every problem):\n"
        + "".join(left_out(INAPPLICABLE / name, finding, said) for name, said, finding in CASES)
    )


def test_the_fixed_audit_escalates_as_the_reading_said(cli: Callable[..., Run], tmp_path: Path) -> None:
    # Put right by saying the child is in care, the audit is valid and graded Inadequate, which the
    # case escalation's rule names.
    text = (INAPPLICABLE / "ccc-in-care-inadequate.yaml").read_text(encoding="utf-8")
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(text.replace("child_in_care: false", "child_in_care: true"), encoding="utf-8")
    run = cli("grade", fixed, "--today", TODAY, "-f", "json")
    [graded] = json.loads(run.stdout)
    assert graded["grade"] == "inadequate"


ODD = DATA / "ahead-inapplicable-odd"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        # The case block in error: the applicability is one of many values in error, nothing sure.
        ("ccc-nocase.yaml", []),
        ("ccc-emptycase.yaml", []),
        ("ccc-textcase.yaml", []),
        ("ccc-listcase.yaml", []),
        # The answer written as a list: said as an audit writes it, not as Python's [False].
        (
            "ccc-listvalue.yaml",
            [
                CASE + "the ratings give Inadequate; 'Children in care' is rated Inadequate, so it was "
                "taken as applying, although 'case.child_in_care' is a list."
            ],
        ),
    ],
)
def test_a_case_block_in_error_is_no_internal_error(
    name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Regression (a review): writing the reading into a case block that is missing or not a block
    # raised KeyError, TypeError or ValueError: grade, and escalations and summary over a folder
    # holding the file, exited 4 and said nothing of any audit.
    assert_grade_says(cli, ODD / name, said, tmp_path, unsaid=["taken as applying"])
    assert decided_ahead(ODD / name) == said


def test_the_reports_read_past_a_case_block_in_error(cli: Callable[..., Run]) -> None:
    for command in ("escalations", "summary"):
        run = cli(command, "--audits", ODD, "--today", TODAY, "-f", "json", expect=1)
        assert "internal error" not in run.stderr
