"""What changed between two frameworks: exactly the changes, nothing for a framework and itself."""

from __future__ import annotations

import itertools
import json

import pytest

from conftest import DATA
from qaimpact.frameworks.diff import (
    Change,
    FrameworkDiff,
    IdChanges,
    Merge,
    Rename,
    Split,
    StandardChanges,
    diff_frameworks,
)
from qaimpact.frameworks.registry import Registry, bundled_dir

CCC = "ccc-practice-standards"


@pytest.fixture(scope="module")
def versions() -> Registry:
    return Registry([DATA / "standards" / "versions", bundled_dir()])


def new_version(ident: str) -> list[Change]:
    return [Change("id", CCC, ident), Change("version", "2019-01", "2026-01")]


def renumbered(*pairs: tuple[str, int, int]) -> list[StandardChanges]:
    return [StandardChanges(ident, ident, [Change("number", old, new)]) for ident, old, new in pairs]


EXPECTED = {
    "ccc-practice-standards-2026": FrameworkDiff(
        CCC,
        "ccc-practice-standards-2026",
        migration="b from a",
        metadata=[
            *new_version("ccc-practice-standards-2026"),
            Change(
                "title",
                "Children's Services Practice Standards",
                "Children's Services Practice Standards (2026)",
            ),
        ],
        standards=IdChanges(renamed=[Rename("visits_and_direct_work", "direct_work")]),
        merged=[
            Merge(["lived_experience", "identity_and_relationships"], "child_identity_and_voice", "worst")
        ],
        changed_standards=[
            StandardChanges(
                "direct_work",
                "visits_and_direct_work",
                [Change("title", "Visits and direct work", "Visits and direct work with children")],
            ),
            *renumbered(
                ("multi_agency_working", 7, 6),
                ("children_in_care", 8, 7),
                ("management_oversight", 9, 8),
                ("case_recording", 10, 9),
            ),
        ],
    ),
    "ccc-practice-standards-r": FrameworkDiff(
        CCC,
        "ccc-practice-standards-r",
        migration="b from a",
        metadata=new_version("ccc-practice-standards-r"),
        grades=IdChanges(
            renamed=[Rename("requires_improvement", "requires_improvement_to_be_good")],
            changed=[Change("key", "overall_judgement", "overall_grade")],
        ),
        ratings=IdChanges(renamed=[Rename("requires_improvement", "requires_improvement_to_be_good")]),
        groups=IdChanges(renamed=[Rename("practice_standards", "practice")]),
        standards=IdChanges(
            renamed=[
                Rename("visits_and_direct_work", "direct_work"),
                Rename("lived_experience", "child_voice"),
            ]
        ),
        case_fields=IdChanges(renamed=[Rename("case_reference", "lcs_reference")]),
        extra_fields=IdChanges(renamed=[Rename("team_manager", "manager")]),
    ),
    "ccc-practice-standards-nc": FrameworkDiff(
        CCC,
        "ccc-practice-standards-nc",
        migration="b from a",
        metadata=new_version("ccc-practice-standards-nc"),
        standards=IdChanges(removed=["children_in_care"]),
    ),
    "ccc-practice-standards-sp": FrameworkDiff(
        CCC,
        "ccc-practice-standards-sp",
        migration="b from a",
        metadata=new_version("ccc-practice-standards-sp"),
        split=[Split("planning", ["plan_quality", "plan_review"], copy_rating=False)],
    ),
    "ccc-practice-standards-d": FrameworkDiff(
        CCC,
        "ccc-practice-standards-d",
        migration="b from a",
        metadata=new_version("ccc-practice-standards-d"),
        groups=IdChanges(added=["leadership"]),
        standards=IdChanges(added=["early_help"]),
        changed_standards=[
            StandardChanges(ident, ident, [Change("group", "practice_standards", "leadership")])
            for ident in ("management_oversight", "case_recording")
        ],
        case_fields=IdChanges(added=["locality"], renamed=[Rename("team", "team_name")]),
        extra_fields=IdChanges(removed=["team_manager"]),
    ),
}


@pytest.mark.parametrize("ident", sorted(EXPECTED))
def test_the_diff_lists_exactly_the_changes(versions, ident):
    ccc, other = versions.get(CCC), versions.get(ident)
    assert ccc is not None
    assert other is not None
    found = diff_frameworks(ccc, other)
    assert found == EXPECTED[ident]
    assert not found.empty


def test_a_diff_read_backwards_reverses_the_migration(versions):
    ccc, renamed = versions.get(CCC), versions.get("ccc-practice-standards-r")
    assert ccc is not None
    assert renamed is not None
    back = diff_frameworks(renamed, ccc)
    assert back.migration == "a from b"
    assert back.standards == IdChanges(
        renamed=[Rename("direct_work", "visits_and_direct_work"), Rename("child_voice", "lived_experience")]
    )
    assert back.groups == IdChanges(renamed=[Rename("practice", "practice_standards")])
    assert back.case_fields == IdChanges(renamed=[Rename("lcs_reference", "case_reference")])
    assert back.thresholds == []


def test_a_merge_read_backwards_is_a_split(versions):
    ccc, second = versions.get(CCC), versions.get("ccc-practice-standards-2026")
    assert ccc is not None
    assert second is not None
    back = diff_frameworks(second, ccc)
    assert back.split == [
        Split("child_identity_and_voice", ["lived_experience", "identity_and_relationships"], False)
    ]
    assert back.standards.added == []
    assert back.standards.removed == []


def test_frameworks_without_a_migration_differ_by_ids(versions):
    ccc, cafcass = versions.get(CCC), versions.get("cafcass-qiam-2017")
    assert ccc is not None
    assert cafcass is not None
    found = diff_frameworks(ccc, cafcass)
    assert found.migration == ""
    assert found.standards.removed == [s for s in ccc.standards if s not in cafcass.standards]
    assert found.standards.renamed == []
    assert "case_recording" not in found.standards.added
    assert found.groups.added == ["impact", "compliance"]
    assert found.domains.added == [d.id for d in cafcass.spec.domains or []]
    assert found.ratings.removed == ["outstanding", "inadequate"]
    assert found.ratings.added == ["met"]


def test_threshold_changes_are_listed_by_grade(tmp_path, versions):
    text = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards\n", "id: ccc-practice-standards-t\n")
    text = text.replace(
        "    summary: Every practice standard rated outstanding.\n",
        "    summary: Every standard outstanding.\n",
    )
    text = text.replace(
        "when: {standards: all, rated_at_least: good, count: all}",
        "when: {standards: all, rated_at_least: good, at_least: 9}",
    )
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    registry = Registry([tmp_path, bundled_dir()])
    ccc, changed = registry.get(CCC), registry.get("ccc-practice-standards-t")
    assert ccc is not None
    assert changed is not None
    assert diff_frameworks(ccc, changed).thresholds == [
        Change(
            "outstanding.summary",
            "Every practice standard rated outstanding.",
            "Every standard outstanding.",
        ),
        Change(
            "good.when",
            {"standards": "all", "rated_at_least": "good", "count": "all"},
            {"standards": "all", "rated_at_least": "good", "at_least": 9},
        ),
    ]


def test_a_framework_and_itself_differ_in_nothing(versions):
    for framework in versions.frameworks():
        found = diff_frameworks(framework, framework)
        assert found.empty, framework.id
        assert found == FrameworkDiff(framework.id, framework.id)


def test_the_json_round_trips(versions):
    frameworks = versions.frameworks()
    assert len(frameworks) == 7
    for a, b in itertools.product(frameworks, repeat=2):
        found = diff_frameworks(a, b)
        data = found.to_dict()
        again = json.loads(json.dumps(data))
        assert again == data
        assert FrameworkDiff.from_dict(again) == found
