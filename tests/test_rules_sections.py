"""Framework rules on standards and sections, in the cases the data files of test_diagnostics miss.

Each case changes one thing in an audit of tests/data/rules/audits/ and lists every finding the
audit must then get, exactly: position, code, message and hint.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry

AUDITS = DATA / "rules" / "audits"
CCC_SCALE = "outstanding, good, requires_improvement, inadequate"

CARE_ENTRY = (
    "  children_in_care:\n"
    "    rating: good\n"
    "    evidence: Placement stable for two years; pathway plan started.\n"
)
CARE_EVIDENCE = "    evidence: Placement stable for two years; pathway plan started.\n"
RECORDING_EVIDENCE = "    evidence: Recording timely and reflective.\n"
NOT_IN_CARE = {
    "  child_in_care: true": "  child_in_care: false",
    CARE_ENTRY: "  children_in_care:\n    rating: not_applicable\n",
}


def no_evidence(line: int, title: str, where: str, rating: str = "good") -> tuple[str, str, str]:
    # The council's framework requires evidence for every rating below outstanding (QA317).
    return (
        f"{line}:13 error QA317",
        f"'{title}' is rated {rating} but has no evidence.",
        f"Add 'evidence:' under '{where}' saying what on the file led to this rating.",
    )


CASES = [
    pytest.param("ccc-in-care.yaml", {}, [], id="ccc-as-written"),
    pytest.param(
        "ccc-in-care.yaml",
        {CARE_EVIDENCE: ""},
        [no_evidence(40, "Children in care", "practice_standards.children_in_care")],
        id="applicable-standard-needs-evidence",
    ),
    pytest.param(
        "ccc-in-care.yaml",
        {CARE_ENTRY: "  children_in_care:\n"},
        [
            (
                "39:3 error QA311",
                "'Children in care' applies because 'case.child_in_care' (Child in care) is true, but it "
                "is not rated.",
                "Add 'children_in_care:' under 'practice_standards' with a rating on the scale: "
                f"{CCC_SCALE}.",
            )
        ],
        id="applicable-standard-left-empty",
    ),
    pytest.param("ccc-in-care.yaml", NOT_IN_CARE, [], id="not-in-care-not-applicable"),
    pytest.param(
        "ccc-in-care.yaml",
        {**NOT_IN_CARE, RECORDING_EVIDENCE: ""},
        [no_evidence(45, "Case recording", "practice_standards.case_recording")],
        id="standards-after-a-not-applicable-one-are-checked",
    ),
    pytest.param(
        "ccc-in-care.yaml",
        {"  child_in_care: true": "  child_in_care: false", CARE_ENTRY: "", RECORDING_EVIDENCE: ""},
        [no_evidence(43, "Case recording", "practice_standards.case_recording")],
        id="standards-after-an-omitted-one-are-checked",
    ),
    pytest.param("cafcass.yaml", {}, [], id="cafcass-as-written-three-learning-points"),
    pytest.param(
        "cafcass.yaml",
        {"  - area: child_engagement\n": "  - area: compliance_with_policy\n"},
        [
            (
                "64:14 error QA304",
                "The learning point 'insufficient_use_of_tools' is not in the area 'compliance_with_policy' "
                "(Compliance with policy).",
                "It belongs to 'safeguarding' (Safeguarding) and 'child_engagement' (Child engagement and "
                "achieving best outcomes): move it to a learning action with that area.",
            )
        ],
        id="point-of-two-areas-in-a-third",
    ),
    pytest.param(
        "cafcass.yaml",
        {"added_value: [safeguard, other]": "added_value: [no_impact, safeguard, confirm_evidence, other]"},
        [
            (
                "69:15 error QA305",
                "'no_impact' (No impact) cannot be combined with other added value (safeguard, "
                "confirm_evidence, other).",
                "Keep either 'no_impact' or the other categories.",
            )
        ],
        id="exclusive-added-value-lists-the-others-in-order",
    ),
    pytest.param(
        "cafcass.yaml",
        {"immediate_safeguarding_actions:\n  required: false\n\n": ""},
        [],
        id="immediate-actions-not-recorded",
    ),
]


@pytest.mark.parametrize(("name", "changes", "expected"), CASES)
def test_rules(
    registry: Registry,
    tmp_path: Path,
    name: str,
    changes: dict[str, str],
    expected: list[tuple[str, str, str]],
) -> None:
    text = (AUDITS / name).read_text(encoding="utf-8")
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = check_audit(path, registry, CheckOptions(today=TODAY), name)
    found = [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code}", d.message, d.hint)
        for d in result.diagnostics
    ]
    assert found == expected
