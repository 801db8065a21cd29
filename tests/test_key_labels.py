"""A key written as its label, and a learning point's choices: one finding each, in plain words.

An auditor who writes a standard by the name reports show (``Risk management:``) in place of its
id (``risk_management:``), or misspells it (``Planing:``), made one mistake: it is reported once,
as QA203 at the key written, naming the id to write, and not again as the standard missing
(QA202). A standard genuinely missing is still reported. A learning point that is not allowed
gets the points of its own action's area as choices (QA205), not every area's.

Each audit is in tests/data/key-labels/; every finding is asserted exactly, message and hint,
through the checker and through ``qaimpact validate``; ``qaimpact fmt`` refuses the same files
with the same findings and leaves them as they were.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry

KEY_LABELS = DATA / "key-labels"

#: One finding: line, column, code, message, hint.
Finding = tuple[int, int, str, str, str]

SAFEGUARDING = (
    "the learning points of the area 'safeguarding' (Safeguarding): insufficient_risk_analysis, "
    "unsafe_recommendations, limited_analysis, insufficient_use_of_tools."
)

STANDARDS = (
    "risk_management, assessment, planning, visits_and_direct_work, lived_experience, "
    "identity_and_relationships, multi_agency_working, children_in_care, management_oversight, "
    "case_recording."
)

CASES: dict[str, list[Finding]] = {
    "ccc-label.yaml": [
        (
            17,
            3,
            "QA203",
            "The key 'Risk management' in 'practice_standards' is the label of 'risk_management', "
            "not the key.",
            "Did you mean 'risk_management'? Reports show it as 'Risk management', but the file uses its id: "
            "write 'risk_management:' in place of 'Risk management:'.",
        ),
    ],
    "ccc-title-and-missing.yaml": [
        (
            16,
            1,
            "QA202",
            "'practice_standards' (Practice Standards) is missing 'assessment' (Assessment).",
            "Add 'assessment:' under 'practice_standards'.",
        ),
        (
            26,
            3,
            "QA203",
            "The key 'Child\u2019s lived experience and views' in 'practice_standards' is the label of "
            "'lived_experience', not the key.",
            "Did you mean 'lived_experience'? Reports show it as 'Child's lived experience and views', "
            "but the file uses its id: write 'lived_experience:' in place of "
            "'Child\u2019s lived experience and views:'.",
        ),
    ],
    "ccc-label-and-id.yaml": [
        (
            17,
            3,
            "QA203",
            "Unknown key 'Risk management' in 'practice_standards'.",
            "Did you mean 'risk_management'? The file uses its id, written exactly: risk_management.",
        ),
    ],
    "cafcass-id-written-another-way.yaml": [
        (
            10,
            1,
            "QA203",
            "The key 'Review date' at the top level is 'review_date' written another way.",
            "Did you mean 'review_date'? Write the key exactly as 'review_date:', in place of "
            "'Review date:'.",
        ),
        (
            34,
            3,
            "QA203",
            # 'Case planning' is the standard's short name (its `short:`), as messages name it.
            "The key 'Case planning' in 'compliance' is the label of 'case_planning', not the key.",
            "Did you mean 'case_planning'? Reports show it as 'Case planning', but the file uses its "
            "id: write 'case_planning:' in place of 'Case planning:'.",
        ),
    ],
    "ccc-observation-labels.yaml": [
        (
            11,
            3,
            "QA203",
            "The key 'Planning' in 'observed' is the label of 'planning', not the key.",
            "Did you mean 'planning'? Reports show it as 'Planning', but the file uses its id: write "
            "'planning:' in place of 'Planning:'.",
        ),
        (
            13,
            3,
            "QA203",
            "The key 'Management oversight and supervision' in 'observed' is the label of "
            "'management_oversight', not the key.",
            "Did you mean 'management_oversight'? Reports show it as 'Management oversight and supervision', "
            "but the file uses its id: write 'management_oversight:' in place of 'Management oversight and "
            "supervision:'.",
        ),
    ],
    # Misspelt, with the key meant missing: one mistake, one finding at the key written (it was
    # QA202 at the block and QA203 at the key, both for one slip).
    "ccc-misspelt.yaml": [
        (
            23,
            3,
            "QA203",
            "Unknown key 'Planing' in 'practice_standards', which is missing 'planning' (Planning).",
            "Did you mean 'planning'? Write 'planning:' in place of 'Planing:'.",
        ),
    ],
    # The second key like it is not taken for it as well: it is an unknown key.
    "ccc-misspelt-twice.yaml": [
        (
            23,
            3,
            "QA203",
            "Unknown key 'Planing' in 'practice_standards', which is missing 'planning' (Planning).",
            "Did you mean 'planning'? Write 'planning:' in place of 'Planing:'.",
        ),
        (
            26,
            3,
            "QA203",
            "Unknown key 'Plannig' in 'practice_standards'.",
            f"Did you mean 'planning'? The keys allowed here are: {STANDARDS}",
        ),
    ],
    # An optional key is not missing: the unknown key suggests it, as before.
    "ccc-misspelt-optional.yaml": [
        (
            5,
            1,
            "QA203",
            "Unknown key 'theem' at the top level.",
            "Did you mean 'theme'? The keys allowed here are: standards, audit_id, audit_type, theme, "
            "reaudit_of, case, characteristics, practitioner, team_manager, reviewer, review_date, "
            "period_reviewed, practice_standards, remedial_actions, feedback, overall_judgement, rationale, "
            "escalation, moderation.",
        ),
    ],
    "cafcass-point-misspelt.yaml": [
        (
            60,
            14,
            "QA205",
            "'case_planing' is not an allowed value for point 1 of learning action 1.",
            "Did you mean 'case_planning'? Use one of the learning points of the area "
            "'compliance_with_policy' (Compliance with policy): case_recording, case_planning, "
            "missing_or_incorrect_evidence, policy_not_followed, manager_oversight.",
        ),
    ],
    "cafcass-point-other-area.yaml": [
        (
            60,
            14,
            "QA205",
            "'case_planing' is not an allowed value for point 1 of learning action 1.",
            "Did you mean 'case_planning'? It is not one of the learning points of the area 'safeguarding' "
            "(Safeguarding). Use one of them: insufficient_risk_analysis, unsafe_recommendations, "
            "limited_analysis, insufficient_use_of_tools.",
        ),
        (
            60,
            28,
            "QA205",
            "'Unsafe recommendations' is not an allowed value for point 2 of learning action 1.",
            "Did you mean 'unsafe_recommendations'? Reports show it as 'Unsafe recommendations', but the "
            f"file uses its id: unsafe_recommendations. Use one of {SAFEGUARDING}",
        ),
    ],
    "cafcass-point-unknown-area.yaml": [
        (
            59,
            11,
            "QA205",
            "'policy' is not an allowed value for 'area' of learning action 1.",
            "Use one of: safeguarding, child_engagement, compliance_with_policy, service_user_feedback.",
        ),
        (
            60,
            14,
            "QA205",
            "'planning' is not an allowed value for point 1 of learning action 1.",
            # The area is not known, so neither are its points: every point is a choice.
            "Did you mean 'case_planning'? Use one of: insufficient_risk_analysis, unsafe_recommendations, "
            "limited_analysis, insufficient_use_of_tools, ineffective_child_engagement, "
            "ineffective_diversity_analysis, quality_of_recommendations, ineffective_agency_engagement, "
            "case_recording, case_planning, missing_or_incorrect_evidence, policy_not_followed, "
            "manager_oversight, identifies_learning, limited_service_user_engagement.",
        ),
    ],
}


def _shown(path: Path, findings: list[Finding]) -> list[str]:
    """The findings as ``validate`` prints them, two lines each."""
    lines = []
    for line, column, code, message, hint in findings:
        lines += [f"{path}:{line}:{column}: error {code} {message}", f"    hint: {hint}"]
    return lines


def test_every_file_is_a_case() -> None:
    assert sorted(p.name for p in KEY_LABELS.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize(("name", "expected"), CASES.items(), ids=list(CASES))
def test_findings(name: str, expected: list[Finding], registry: Registry) -> None:
    result = check_audit(KEY_LABELS / name, registry, CheckOptions(today=TODAY), name)
    found = [(d.location.line, d.location.column, d.code, d.message, d.hint) for d in result.diagnostics]
    assert found == expected


@pytest.mark.parametrize(("name", "expected"), CASES.items(), ids=list(CASES))
def test_validate_says_each_mistake_once(name: str, expected: list[Finding], cli: Callable[..., Any]) -> None:
    path = KEY_LABELS / name
    out = cli("validate", "--today", TODAY.isoformat(), path, expect=1)
    errors = f"{len(expected)} error" + ("s" if len(expected) != 1 else "")
    assert out.stdout.splitlines() == [
        *_shown(path, expected),
        f"Checked 1 file: {errors} and 0 warnings in 1 file.",
    ]
    assert out.stderr == ""


@pytest.mark.parametrize("check", [False, True], ids=["fmt", "fmt --check"])
@pytest.mark.parametrize(("name", "expected"), CASES.items(), ids=list(CASES))
def test_fmt_agrees_and_keeps_the_file(
    name: str, expected: list[Finding], check: bool, cli: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / name
    shutil.copy(KEY_LABELS / name, path)
    before = path.read_bytes()
    out = cli("fmt", *(["--check"] if check else []), "--today", TODAY.isoformat(), path, expect=1)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert out.stderr.splitlines() == [
        f"error: {path} has errors, so it was not formatted:",
        *_shown(path, expected),
    ]


#: Standards files are checked by the same machinery: a key written another way is said once.
STANDARDS_CASES: dict[str, list[Finding]] = {
    "mini-title.yaml": [
        (
            7,
            1,
            "QA203",
            "The key 'Title' at the top level is 'title' written another way.",
            "Did you mean 'title'? Write the key exactly as 'title:', in place of 'Title:'.",
        ),
    ],
}


@pytest.mark.parametrize(("name", "expected"), STANDARDS_CASES.items(), ids=list(STANDARDS_CASES))
def test_standards_file_key_written_another_way(
    name: str, expected: list[Finding], cli: Callable[..., Any]
) -> None:
    path = KEY_LABELS / "standards" / name
    framework, diagnostics = check_file(path)
    assert framework is None
    found = [(d.location.line, d.location.column, d.code, d.message, d.hint) for d in diagnostics]
    assert found == expected
    out = cli("standards", "check", path, expect=3)
    assert out.stdout.splitlines() == _shown(path, expected)


def test_past_the_findings_shown_each_mistake_is_still_counted_once(
    registry: Registry, tmp_path: Path
) -> None:
    """150 remedial actions each with 'Action:' for 'action:': 150 errors (100 shown, the rest
    counted by QA113), none of them 'action' missing."""
    text = (KEY_LABELS / "ccc-label.yaml").read_text(encoding="utf-8")
    actions = "".join(
        f"  - Action: Action {n}.\n    owner: Gareth Lloyd\n    status: open\n" for n in range(150)
    )
    path = tmp_path / "many.yaml"
    path.write_text(text.replace("remedial_actions:\n", "remedial_actions:\n" + actions, 1), encoding="utf-8")
    result = check_audit(path, registry, CheckOptions(today=TODAY), "many.yaml")
    assert result.errors == 151
    assert {d.code for d in result.diagnostics} == {"QA203", "QA113"}
    assert (
        result.diagnostics[1].message
        == "The key 'Action' in remedial action 1 is 'action' written another way."
    )
