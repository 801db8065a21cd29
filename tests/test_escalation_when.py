"""An escalation rule's ``when`` reads the audit's fields, its ratings, or both
(:func:`qaimpact.grading.escalation_triggers.triggers`): each holds exactly where it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qaimpact.base.loader import load_bytes
from qaimpact.grading import escalation_triggers
from qaimpact.grading.engine import Facts, applicable_ratings, engine_for
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.models.standard import Framework, StandardsFile

#: Escalation rules with no grades, whose ``when`` alone decides: a rating, a field, both.
RULES = """
  - id: risk_inadequate
    title: Risk rated inadequate
    route: [Head of Service]
    within_days: 0
    when: {standards: [risk_management], rated: inadequate, count: any}
  - id: in_care
    title: Child in care
    route: [Head of Service]
    within_days: 0
    when: {field: case.child_in_care, equals: true}
  - id: in_care_and_risk
    title: Child in care with risk not good
    route: [Head of Service]
    within_days: 0
    when:
      all_of:
        - {field: case.child_in_care, equals: true}
        - {standards: [risk_management], rated_in: [requires_improvement, inadequate], count: any}
"""


@pytest.fixture(scope="module")
def framework(ccc: Framework) -> Framework:
    """The council's bundled framework with the escalation rules of :data:`RULES` in place of its own."""
    text = Path(ccc.source).read_text(encoding="utf-8")
    head, _, _ = text.partition("\nescalations:\n")
    spec = StandardsFile.model_validate(
        load_bytes(f"{head}\nescalations:\n{RULES}".encode(), "when.yaml").data
    )
    return Framework(spec, "when.yaml")


def _audit(framework: Framework, risk: str, in_care: bool) -> dict[str, Any]:
    ratings = {s: {"rating": "good", "evidence": "Seen."} for s in framework.standards}
    ratings["risk_management"] = {"rating": risk, "evidence": "Seen."}
    return {"case": {"child_in_care": in_care}, "practice_standards": ratings}


@pytest.mark.parametrize(
    ("risk", "in_care", "held"),
    [
        ("good", False, []),
        ("inadequate", False, ["risk_inadequate"]),
        ("good", True, ["in_care"]),
        ("requires_improvement", True, ["in_care", "in_care_and_risk"]),
        ("inadequate", True, ["risk_inadequate", "in_care", "in_care_and_risk"]),
    ],
)
def test_each_rule_holds_where_its_condition_does(
    framework: Framework, risk: str, in_care: bool, held: list[str]
) -> None:
    data = _audit(framework, risk, in_care)
    grade = engine_for(framework).grade_of(Facts(applicable_ratings(framework, data), data))
    assert [t.rule.id for t in triggers(framework, data, grade) if t.rule.grades is None] == held


def test_ratings_are_gathered_only_where_a_rule_reads_them(
    framework: Framework, cafcass: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cafcass's rules read a grade and a field alone: its audits' ratings are never gathered for
    # them, and the immediate safeguarding rule still holds where the field says so.
    gathered: list[str] = []

    def counted(fw: Framework, data: dict[str, Any]) -> dict[str, str]:
        gathered.append(fw.id)
        return applicable_ratings(fw, data)

    monkeypatch.setattr(escalation_triggers, "applicable_ratings", counted)
    data: dict[str, Any] = {"immediate_safeguarding_actions": {"required": True, "comment": "Police told."}}
    assert [t.rule.id for t in triggers(cafcass, data, "good")] == ["immediate_safeguarding"]
    assert gathered == []
    data = _audit(framework, "inadequate", False)
    assert [t.rule.id for t in triggers(framework, data, "good") if t.rule.grades is None] == [
        "risk_inadequate"
    ]
    assert gathered == [framework.id]
