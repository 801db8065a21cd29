"""``qaimpact grade`` end to end, on copies of the examples with ratings changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, TODAY

CAFCASS_EXAMPLE = EXAMPLES / "cafcass-qa-2026-0142.yaml"
CCC_EXAMPLE = EXAMPLES / "ccc-cfa-2026-0311.yaml"


def audit_copy(
    tmp_path: Path,
    example: Path,
    ratings: dict[str, str],
    *,
    recorded: str | None = None,
    name: str = "audit.yaml",
    edit: Callable[[dict[str, Any]], None] | None = None,
) -> Path:
    """A copy of an example with some ratings (``group.standard``) and the recorded grade changed."""
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    for dotted, rating in ratings.items():
        group, standard = dotted.split(".")
        entry = data[group].setdefault(standard, {})
        entry["rating"] = rating
        if rating != "not_applicable":
            entry.setdefault("evidence", f"Evidence for {standard}.")
    if recorded is not None:
        key = "overall_grade" if "overall_grade" in data else "overall_judgement"
        data[key] = recorded
    if edit is not None:
        edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def grade_json(cli: Callable[..., Any], path: Path) -> dict[str, Any]:
    out = cli("grade", "--format", "json", "--today", TODAY.isoformat(), path)
    items = json.loads(out.stdout)
    assert len(items) == 1
    item: dict[str, Any] = items[0]
    assert item["diagnostics"] == [] or all(d["severity"] != "error" for d in item["diagnostics"])
    return item


def changes(item: dict[str, Any]) -> list[tuple[str, str, str]]:
    lift = item["to_next_grade"]
    assert lift is not None
    return [(c["standard"], c["from"], c["to"]) for c in lift["changes"]]


def codes(item: dict[str, Any]) -> set[str]:
    return {d["code"] for d in item["diagnostics"]}


# -- Cafcass -------------------------------------------------------------------------------------


def test_cafcass_example_as_written(cli: Callable[..., Any], tmp_path: Path) -> None:
    item = grade_json(cli, audit_copy(tmp_path, CAFCASS_EXAMPLE, {}))
    assert item["grade"] == "good"
    assert item["grade_label"] == "Good"
    assert item["recorded_grade"] == "good"
    assert item["grade_differs"] is False
    assert item["to_next_grade"] == {
        "grade": "outstanding",
        "reachable": True,
        "changes": [
            {
                "standard": "case_planning",
                "title": "Case planning records plans in child-centred way. Includes how, when and why "
                "to see the child. Tools and techniques to be used identified.",
                "from": "met",
                "to": "good",
                "requires": [],
            }
        ],
        "blocked_by": [],
        "smallest": True,
    }
    assert "case_planning" in item["deciding_standards"]


def test_cafcass_all_good_with_learning_actions_is_outstanding(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    path = audit_copy(tmp_path, CAFCASS_EXAMPLE, {"compliance.case_planning": "good"}, recorded="outstanding")
    assert "learning_actions" in yaml.safe_load(path.read_text(encoding="utf-8"))
    item = grade_json(cli, path)
    assert item["grade"] == "outstanding"
    assert item["recorded_grade"] == "outstanding"
    assert item["grade_differs"] is False
    assert item["to_next_grade"] is None


def test_cafcass_impact_met_is_met_and_differs_from_recorded(cli: Callable[..., Any], tmp_path: Path) -> None:
    path = audit_copy(tmp_path, CAFCASS_EXAMPLE, {"impact.child_experience": "met"})
    item = grade_json(cli, path)
    assert item["grade"] == "met"
    assert item["recorded_grade"] == "good"
    assert item["grade_differs"] is True
    assert "QA402" in codes(item)
    assert item["to_next_grade"]["grade"] == "good"
    assert changes(item) == [("child_experience", "met", "good")]


def test_cafcass_compliance_ri_lifts_to_met_first(cli: Callable[..., Any], tmp_path: Path) -> None:
    path = audit_copy(
        tmp_path,
        CAFCASS_EXAMPLE,
        {"impact.child_seen": "met", "compliance.report_quality": "requires_improvement"},
        recorded="requires_improvement",
    )
    item = grade_json(cli, path)
    assert item["grade"] == "requires_improvement"
    assert item["recorded_grade"] == "requires_improvement"
    assert item["deciding_standards"] == ["report_quality"]
    assert item["to_next_grade"]["grade"] == "met"
    assert changes(item) == [("report_quality", "requires_improvement", "met")]


def test_cafcass_safeguarding_blocks_the_lift(cli: Callable[..., Any], tmp_path: Path) -> None:
    def safeguarding(data: dict[str, Any]) -> None:
        data["immediate_safeguarding_actions"] = {
            "required": True,
            "comment": "Refer the unsafe handovers to the local authority today.",
        }

    path = audit_copy(tmp_path, CAFCASS_EXAMPLE, {}, recorded="requires_improvement", edit=safeguarding)
    item = grade_json(cli, path)
    assert item["grade"] == "requires_improvement"
    assert item["recorded_grade"] == "requires_improvement"
    assert item["to_next_grade"] == {
        "grade": "met",
        "reachable": False,
        "changes": [],
        "blocked_by": ["Immediate safeguarding actions are required"],
        "smallest": True,
    }
    assert any("Immediate safeguarding actions are required" in line for line in item["rationale"])


# -- Council ---------------------------------------------------------------------------------------

ALL_OUTSTANDING = {
    f"practice_standards.{s}": "outstanding"
    for s in (
        "risk_management",
        "assessment",
        "planning",
        "visits_and_direct_work",
        "lived_experience",
        "identity_and_relationships",
        "multi_agency_working",
        "management_oversight",
        "case_recording",
    )
}


def in_care(data: dict[str, Any]) -> None:
    data["case"]["child_in_care"] = True


def test_ccc_example_as_written(cli: Callable[..., Any], tmp_path: Path) -> None:
    item = grade_json(cli, audit_copy(tmp_path, CCC_EXAMPLE, {}))
    assert item["grade"] == "requires_improvement"
    assert item["recorded_grade"] == "requires_improvement"
    assert item["to_next_grade"]["grade"] == "good"
    assert item["to_next_grade"]["reachable"] is True
    assert changes(item) == [
        ("planning", "requires_improvement", "good"),
        ("management_oversight", "requires_improvement", "good"),
    ]


def test_ccc_inadequate(cli: Callable[..., Any], tmp_path: Path) -> None:
    path = audit_copy(tmp_path, CCC_EXAMPLE, {"practice_standards.risk_management": "inadequate"})
    item = grade_json(cli, path)
    assert item["grade"] == "inadequate"
    assert item["recorded_grade"] == "requires_improvement"
    assert item["grade_differs"] is True
    assert changes(item) == [("risk_management", "inadequate", "requires_improvement")]


def test_ccc_all_outstanding_not_in_care_is_outstanding(cli: Callable[..., Any], tmp_path: Path) -> None:
    path = audit_copy(tmp_path, CCC_EXAMPLE, ALL_OUTSTANDING, recorded="outstanding")
    item = grade_json(cli, path)
    assert item["grade"] == "outstanding"
    assert item["recorded_grade"] == "outstanding"
    assert item["to_next_grade"] is None
    assert "children_in_care" not in item["deciding_standards"]


def test_ccc_in_care_children_in_care_good_is_good(cli: Callable[..., Any], tmp_path: Path) -> None:
    ratings = {**ALL_OUTSTANDING, "practice_standards.children_in_care": "good"}
    path = audit_copy(tmp_path, CCC_EXAMPLE, ratings, recorded="good", edit=in_care)
    item = grade_json(cli, path)
    assert item["grade"] == "good"
    assert item["recorded_grade"] == "good"
    assert item["grade_differs"] is False
    assert item["to_next_grade"] == {
        "grade": "outstanding",
        "reachable": True,
        "changes": [
            {
                "standard": "children_in_care",
                "title": "Children in care",
                "from": "good",
                "to": "outstanding",
                "requires": [],
            }
        ],
        "blocked_by": [],
        "smallest": True,
    }


def test_ccc_not_in_care_children_in_care_rating_is_left_out(cli: Callable[..., Any], tmp_path: Path) -> None:
    ratings = {**ALL_OUTSTANDING, "practice_standards.children_in_care": "good"}
    item = grade_json(cli, audit_copy(tmp_path, CCC_EXAMPLE, ratings, recorded="outstanding"))
    assert item["grade"] == "outstanding"
    assert "QA303" in codes(item)


@pytest.mark.parametrize("rating", ["requires_improvement", "inadequate"])
def test_ccc_not_in_care_children_in_care_rated_below_good_is_not_graded(
    cli: Callable[..., Any], tmp_path: Path, rating: str
) -> None:
    # Left out of the grade, a rating below good let the audit pass as outstanding (QA320).
    ratings = {**ALL_OUTSTANDING, "practice_standards.children_in_care": rating}
    path = audit_copy(tmp_path, CCC_EXAMPLE, ratings, recorded="outstanding")
    (item,) = json.loads(
        cli("grade", "--format", "json", "--today", TODAY.isoformat(), path, expect=1).stdout
    )
    assert item["grade"] is None
    assert codes(item) == {"QA320"}


# -- Text output ---------------------------------------------------------------------------------


# The panel layout is not pinned here, only what it must say.


@pytest.mark.parametrize(
    ("example", "ratings", "grade_label", "next_label", "raised"),
    [
        pytest.param(
            CAFCASS_EXAMPLE,
            {},
            "Good",
            "Outstanding",
            ["raise case_planning ('Case planning')"],
            id="cafcass",
        ),
        pytest.param(
            CCC_EXAMPLE,
            {},
            "Requires improvement to be good",
            "Good",
            ["Planning", "Management oversight"],
            id="ccc",
        ),
        pytest.param(
            CAFCASS_EXAMPLE,
            {"impact.enabled_to_choose": "met"},
            "Met",
            "Good",
            ["raise enabled_to_choose ('Child enabled to make choices')"],
            id="cafcass-met",
        ),
    ],
)
def test_text_output(
    cli: Callable[..., Any],
    tmp_path: Path,
    example: Path,
    ratings: dict[str, str],
    grade_label: str,
    next_label: str,
    raised: list[str],
) -> None:
    path = audit_copy(tmp_path, example, ratings)
    out = cli("grade", "--today", TODAY.isoformat(), path)
    assert "Grade:" in out.stdout
    assert f"Grade: {grade_label}" in out.stdout
    assert f"To reach {next_label}:" in out.stdout
    after = out.stdout.split(f"To reach {next_label}:", 1)[1]
    for words in raised:
        assert words in after, words


def test_text_output_best_grade(cli: Callable[..., Any], tmp_path: Path) -> None:
    path = audit_copy(tmp_path, CAFCASS_EXAMPLE, {"compliance.case_planning": "good"}, recorded="outstanding")
    out = cli("grade", "--today", TODAY.isoformat(), path)
    assert "Grade: Outstanding" in out.stdout
    assert "To reach" not in out.stdout
    assert "best grade" in out.stdout


def test_text_output_blocked_lift(cli: Callable[..., Any], tmp_path: Path) -> None:
    def safeguarding(data: dict[str, Any]) -> None:
        data["immediate_safeguarding_actions"] = {"required": True, "comment": "Refer today."}

    path = audit_copy(tmp_path, CAFCASS_EXAMPLE, {}, recorded="requires_improvement", edit=safeguarding)
    out = cli("grade", "--today", TODAY.isoformat(), path)
    assert "Grade: Requires improvement" in out.stdout
    assert "To reach Met:" in out.stdout
    assert "Immediate safeguarding actions are required" in out.stdout.split("To reach Met:", 1)[1]
