"""Every framework-rule finding says how to fix it: the exact hint of each, per data file.

tests/test_diagnostics.py checks each file's findings (line, column, code and message); this checks
what it says to do about them, for the rules of src/qaimpact/rules.py (QA3xx, and the QA4xx
warnings they give).
"""

from __future__ import annotations

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry

INVALID = DATA / "invalid"
SCALE_CCC = "outstanding, good, requires_improvement, inadequate"
NOT_SEEN = (
    "Record the defensible decision for not seeing the child, or rate this standard requires_improvement."
)

HINTS = {
    "QA301-not-seen-empty-decision.yaml": [NOT_SEEN],
    "QA301-not-seen-rated-good.yaml": [NOT_SEEN],
    "QA301-not-seen-rated-met.yaml": [NOT_SEEN],
    "QA302-child-in-care-not-applicable.yaml": [
        f"Rate it on the scale ({SCALE_CCC}), or correct 'case.child_in_care'."
    ],
    "QA302-not-applicable-cafcass.yaml": ["Rate it on the scale: good, met, requires_improvement."],
    "QA302-not-applicable-ccc-planning.yaml": [f"Rate it on the scale: {SCALE_CCC}."],
    "QA303-not-in-care-rated.yaml": [
        "Rate it not_applicable, or correct 'case.child_in_care' if it does apply."
    ],
    "QA305-no-impact-combined.yaml": ["Keep either 'no_impact' or the other categories."],
    "QA306-other-without-comment.yaml": ["Add 'added_value_comment:' describing the added value."],
    "QA307-required-without-comment.yaml": [
        "Add 'comment:' under 'immediate_safeguarding_actions' listing the immediate actions required to "
        "ensure the child is safeguarded."
    ],
    "QA308-themed-without-theme.yaml": [
        "Add 'theme:' naming what the audit explores, for example 'neglect'."
    ],
    "QA309-period-reversed.yaml": ["Swap the dates or correct the one that is wrong."],
    "QA311-child-in-care-not-rated.yaml": [
        f"Add 'children_in_care:' under 'practice_standards' with a rating on the scale: {SCALE_CCC}."
    ],
    "QA313-reaudit-of-itself.yaml": [
        "Give the audit_id of the earlier audit of this case, or remove 'reaudit_of'."
    ],
    "QA313-reaudit-of-itself-spelled-otherwise.yaml": [
        "Give the audit_id of the earlier audit of this case, or remove 'reaudit_of'."
    ],
    "QA314-self-moderation.yaml": [
        "Moderation needs a second person: name the moderator who re-graded the audit.",
        "Write it as helen marsh: names are matched across audits, so write each the same way in "
        "all of them.",
    ],
    "QA401-four-learning-points.yaml": [
        "Keep the 3 points that would most improve practice and outcomes for the child."
    ],
    "QA317-blank-evidence.yaml": [
        "Add 'evidence:' under 'practice_standards.management_oversight' saying what on the file led to "
        "this rating."
    ],
    "QA403-met-without-evidence.yaml": [
        "Add 'evidence:' under 'compliance.case_planning' saying what on the file led to this rating."
    ],
    "QA405-duplicate-added-value.yaml": ["Remove the repeat."],
    "QA405-duplicate-indicator.yaml": ["Remove the repeat."],
    "QA405-duplicate-learning-point.yaml": ["Remove the repeat."],
}


@pytest.mark.parametrize(("name", "hints"), HINTS.items(), ids=list(HINTS))
def test_hint(name: str, hints: list[str], registry: Registry) -> None:
    result = check_audit(INVALID / name, registry, CheckOptions(today=TODAY), name)
    assert [d.hint for d in result.diagnostics] == hints
