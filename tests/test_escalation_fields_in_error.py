"""An error in a field a rule reads no longer hides the escalation the ratings make certain.

An auditor answered "Immediate safeguarding actions required" with ``1`` (QA206: only true or
false, yes or no, are answers). The ratings gave Requires improvement, which the Cafcass
practice review escalation is for whatever the answer, but ``grade`` and the escalations report
said only "whether it needs escalating is not known until it is fixed": an error on any value a
rule reads, other than a rating, left only the recorded grade sure. Likewise an unanswered "Child
in care" hid the case escalation of a council audit whose Risk management is rated inadequate.

The rules are now applied every way the values in error could be put right (``audits.ahead``):
a field a rule reads takes each value a rule compares it with, or any other; a recorded or
moderated grade each grade or none; a standard whose applicability or fact is in error any rating.
An escalation that holds every way is said; one that turns on the answer is not, unless the
standard whose applicability turns on it is rated below good: that rating is then read as applying
(tests/test_escalation_inapplicable.py), and the line says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, Run
from said_ahead import assert_escalations_lists, assert_grade_says, left_out

FIELDS = DATA / "ahead-fields"
REVIEW = "Practice review to Practice supervisor: the ratings give Requires improvement."
CASE = (
    "Case escalation to Case responsible worker, Team manager and Head of Service: "
    "the ratings give Inadequate."
)

CASES = [
    ("cafcass-required-as-1.yaml", [REVIEW]),
    ("cafcass-required-as-1-rated-good.yaml", []),
    ("ccc-in-care-unanswered.yaml", [CASE]),
    # Only Children in care is rated inadequate: read as applying, as the auditor rated it.
    (
        "ccc-in-care-unanswered-only-cic.yaml",
        [
            CASE[:-1] + "; 'Children in care' is rated Inadequate, so it was taken as applying, although "
            "'case.child_in_care' is not given."
        ],
    ),
]


@pytest.mark.parametrize(("name", "said"), CASES)
def test_grade_says_the_escalation_the_ratings_make_certain(
    name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert_grade_says(cli, FIELDS / name, said, tmp_path)


def test_the_escalations_report_lists_them(cli: Callable[..., Run]) -> None:
    run = assert_escalations_lists(cli, FIELDS, CASES)
    assert (
        left_out(
            FIELDS / "cafcass-required-as-1.yaml",
            "65:13: QA206 'immediate_safeguarding_actions.required' should be true or false, not '1'.",
            [REVIEW],
        )
        in run.stderr
    )
    assert (
        left_out(
            FIELDS / "ccc-in-care-unanswered.yaml",
            "10:17: QA208 'case.child_in_care' (Child in care) is empty.",
            [CASE],
        )
        in run.stderr
    )


def test_values_compared_lists_what_each_rule_tells_apart() -> None:
    from qaimpact.frameworks.registry import Registry, bundled_dir

    registry = Registry([bundled_dir()])
    council, cafcass = registry.get("ccc-practice-standards"), registry.get("cafcass-qiam-2017")
    assert council is not None
    assert cafcass is not None
    assert council.values_compared == {
        "case.child_in_care": (True, False),
        "characteristics.legal_status": ("child_in_care", "care_leaver"),
    }
    assert cafcass.values_compared == {"immediate_safeguarding_actions.required": (True,)}
