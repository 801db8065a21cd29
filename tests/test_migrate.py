"""Migrating audits between framework versions: the rewritten file, what changes and what is lost."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.authoring.migrate import apply_migration, plan_file, plan_migration, validate_text
from qaimpact.base.errors import QaImpactError, StandardsError, UsageError
from qaimpact.base.loader import load_bytes
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.models.standard import Framework

VERSIONS = DATA / "standards" / "versions"
EXAMPLE = EXAMPLES / "ccc-cfa-2026-0311.yaml"
CCC = "ccc-practice-standards"


@pytest.fixture(scope="module")
def versions() -> Registry:
    return Registry([VERSIONS, bundled_dir()])


def framework(registry: Registry, ident: str) -> Framework:
    found = registry.get(ident)
    assert found is not None, ident
    return found


@pytest.fixture
def audit(tmp_path: Path) -> Path:
    path = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, path)
    return path


def comments(text: str) -> list[str]:
    """Every '#' comment of a file (the example audits have no '#' inside values)."""
    return [line[line.index("#") :].strip() for line in text.splitlines() if "#" in line]


def plan(registry: Registry, path: Path, target: str, source: str = CCC, text: str | None = None):
    body = path.read_text(encoding="utf-8") if text is None else text
    return plan_migration(body, str(path), framework(registry, source), framework(registry, target))


def data(text: str) -> dict:
    return load_bytes(text.encode("utf-8"), "migrated.yaml").data


OPTIONS = CheckOptions(today=TODAY)

# target id, the placeholders the result is expected to hold, the comments expected to go
CASES = [
    pytest.param("ccc-practice-standards-2026", [], [], id="rename-and-merge"),
    pytest.param("ccc-practice-standards-r", [], [], id="renames-only"),
    pytest.param("ccc-practice-standards-nc", [], ["# only for children in care"], id="retire"),
    pytest.param(
        "ccc-practice-standards-sp",
        ["practice_standards.plan_quality.rating", "practice_standards.plan_review.rating"],
        [],
        id="split",
    ),
    pytest.param(
        "ccc-practice-standards-d",
        ["case.locality", "practice_standards.early_help.rating"],
        [],
        id="drop-move-new",
    ),
]


@pytest.mark.parametrize(("target", "placeholders", "lost_comments"), CASES)
def test_the_result_validates_and_keeps_every_comment(versions, audit, target, placeholders, lost_comments):
    before = audit.read_text(encoding="utf-8")
    result = plan(versions, audit, target)
    check = validate_text(result.new_text, str(audit), versions, OPTIONS)
    assert check.framework is not None
    assert check.framework.id == target
    assert [d for d in check.diagnostics if d.is_error and d.code != "QA210"] == []
    holes = [d.message.split("'")[1] for d in check.diagnostics if d.code == "QA210"]
    assert holes == placeholders
    assert [c for c in comments(before) if c not in lost_comments] == comments(result.new_text)
    for comment in lost_comments:
        assert any(comment in loss.message for loss in result.losses)


def test_a_rename_keeps_order_ratings_and_evidence(versions, audit):
    result = plan(versions, audit, "ccc-practice-standards-r")
    old, new = data(audit.read_text(encoding="utf-8")), data(result.new_text)
    assert list(new["practice"]) == [
        "risk_management",
        "assessment",
        "planning",
        "direct_work",
        "child_voice",
        "identity_and_relationships",
        "multi_agency_working",
        "children_in_care",
        "management_oversight",
        "case_recording",
    ]
    assert new["practice"]["direct_work"] == old["practice_standards"]["visits_and_direct_work"]
    assert new["practice"]["planning"]["rating"] == "requires_improvement_to_be_good"
    assert new["practice"]["risk_management"]["rating"] == "good"
    assert new["overall_grade"] == "requires_improvement_to_be_good"
    assert "overall_judgement" not in new
    assert new["case"]["lcs_reference"] == old["case"]["case_reference"]
    assert new["manager"] == old["team_manager"]
    # Top-level keys stay where they were: renamed ones take the old one's place.
    assert list(new) == [
        {
            "team_manager": "manager",
            "practice_standards": "practice",
            "overall_judgement": "overall_grade",
        }.get(k, k)
        for k in old
    ]
    assert result.losses == []
    assert result.changes == [
        "standards: ccc-practice-standards -> ccc-practice-standards-r",
        "case.case_reference -> case.lcs_reference",
        "team_manager -> manager",
        "overall_judgement -> overall_grade",
        "overall_grade: requires_improvement -> requires_improvement_to_be_good",
        "practice_standards -> practice",
        "practice.planning.rating: requires_improvement -> requires_improvement_to_be_good",
        "practice_standards.visits_and_direct_work -> practice.direct_work",
        "practice_standards.lived_experience -> practice.child_voice",
        "practice.management_oversight.rating: requires_improvement -> requires_improvement_to_be_good",
    ]


def test_the_merge_and_rename_of_the_second_edition(versions, audit):
    result = plan(versions, audit, "ccc-practice-standards-2026")
    entries = data(result.new_text)["practice_standards"]
    assert entries["child_identity_and_voice"] == {
        "rating": "good",
        "evidence": "Records show what the child would like to be different. / "
        "Father and paternal grandmother included in planning.",
    }
    assert "lived_experience" not in entries
    assert "identity_and_relationships" not in entries
    assert list(entries).index("child_identity_and_voice") == 4
    assert result.losses == []
    assert result.changes == [
        "standards: ccc-practice-standards -> ccc-practice-standards-2026",
        "practice_standards.visits_and_direct_work -> practice_standards.direct_work",
        "practice_standards.lived_experience + practice_standards.identity_and_relationships -> "
        "practice_standards.child_identity_and_voice (worst rating: good)",
    ]
    assert not result.derived
    assert result.declared_in == "ccc-practice-standards-2026"


def rated(text: str, lived: str, identity: str) -> str:
    text = text.replace(
        "  lived_experience:\n    rating: good\n", f"  lived_experience:\n    rating: {lived}\n"
    )
    return text.replace(
        "  identity_and_relationships:\n    rating: good\n",
        f"  identity_and_relationships:\n    rating: {identity}\n",
    )


@pytest.fixture(scope="module")
def with_best(tmp_path_factory) -> Registry:
    """The second edition, but a merge keeps the better rating."""
    folder = tmp_path_factory.mktemp("best")
    text = (VERSIONS / "ccc-practice-standards-2026.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards-2026\n", "id: ccc-practice-standards-best\n")
    (folder / "best.yaml").write_text(text.replace("combine: worst", "combine: best"), encoding="utf-8")
    return Registry([folder, VERSIONS, bundled_dir()])


@pytest.mark.parametrize(
    ("lived", "identity", "worst", "best"),
    [
        ("good", "requires_improvement", "requires_improvement", "good"),
        ("inadequate", "outstanding", "inadequate", "outstanding"),
        ("outstanding", "good", "good", "outstanding"),
        ("good", "good", "good", "good"),
    ],
)
def test_a_merge_combines_the_ratings_as_declared(with_best, audit, lived, identity, worst, best):
    text = rated(audit.read_text(encoding="utf-8"), lived, identity)
    for target, expected in (("ccc-practice-standards-2026", worst), ("ccc-practice-standards-best", best)):
        result = plan(with_best, audit, target, text=text)
        assert data(result.new_text)["practice_standards"]["child_identity_and_voice"]["rating"] == expected
        assert result.losses == []


def test_a_merge_moves_the_comments_of_the_entry_that_goes(versions, audit):
    text = audit.read_text(encoding="utf-8").replace(
        "  identity_and_relationships:\n    rating: good\n",
        "  identity_and_relationships:   # checked with the family\n"
        "    rating: requires_improvement  # no life story work\n",
    )
    result = plan(versions, audit, "ccc-practice-standards-2026", text=text)
    assert (
        "  child_identity_and_voice:     # checked with the family\n"
        "    rating: requires_improvement  # no life story work\n"
    ) in result.new_text
    assert comments(result.new_text) == comments(text)


def at(path: Path, line: int, column: int, message: str) -> str:
    return f"{path}:{line}:{column}: {message}"


IN_CARE = (
    ("  child_in_care: false\n", "  child_in_care: true\n"),
    (
        "    rating: not_applicable     # only for children in care\n",
        "    rating: good               # only for children in care\n"
        "    evidence: Stable placement with her aunt.\n",
    ),
)

LOSSY = [
    pytest.param(
        "ccc-practice-standards-nc",
        (),
        [
            (
                38,
                3,
                "'practice_standards.children_in_care' (Children in care) is retired in "
                "'ccc-practice-standards-nc': its rating (not_applicable) and comment "
                "'# only for children in care' would be lost.",
            )
        ],
        id="retire-not-applicable",
    ),
    pytest.param(
        "ccc-practice-standards-nc",
        IN_CARE,
        [
            (
                38,
                3,
                "'practice_standards.children_in_care' (Children in care) is retired in "
                "'ccc-practice-standards-nc': its rating (good), evidence ('Stable placement with her "
                "aunt.') and comment '# only for children in care' would be lost.",
            )
        ],
        id="retire-rated",
    ),
    pytest.param(
        "ccc-practice-standards-sp",
        (),
        [
            (
                23,
                3,
                "'practice_standards.planning' (Planning) is split into "
                "'practice_standards.plan_quality' and 'practice_standards.plan_review' in "
                "'ccc-practice-standards-sp': each needs a rating of its own, so its rating "
                "(requires_improvement) would be lost.",
            )
        ],
        id="split",
    ),
    pytest.param(
        "ccc-practice-standards-d",
        (),
        [
            (6, 1, "'case.locality' is required in 'ccc-practice-standards-d' audits: it needs a value."),
            (
                11,
                1,
                "'team_manager' is dropped in 'ccc-practice-standards-d': its value 'Gareth Lloyd' "
                "would be lost.",
            ),
            (
                16,
                1,
                "'practice_standards.early_help' (Early help) needs a rating: it is new in "
                "'ccc-practice-standards-d' and no old standard maps to it.",
            ),
        ],
        id="drop-and-new",
    ),
]


@pytest.mark.parametrize(("target", "edits", "expected"), LOSSY)
def test_a_lossy_migration_is_refused_unless_forced(versions, audit, target, edits, expected):
    text = audit.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    audit.write_text(text, encoding="utf-8")
    result = plan(versions, audit, target)
    wanted = [at(audit, *loss) for loss in expected]
    assert [str(loss) for loss in result.losses] == wanted
    with pytest.raises(QaImpactError) as refused:
        apply_migration(result, force=False)
    assert str(refused.value).splitlines()[1:] == wanted
    assert audit.read_text(encoding="utf-8") == text
    apply_migration(result, force=True)
    assert audit.read_text(encoding="utf-8") == result.new_text


def test_the_split_keeps_the_evidence_for_the_new_judgements(versions, audit):
    result = plan(versions, audit, "ccc-practice-standards-sp")
    entries = data(result.new_text)["practice_standards"]
    evidence = "Plan is not SMART; actions have no owners or dates."
    assert entries["plan_quality"] == {"rating": "TODO", "evidence": evidence}
    assert entries["plan_review"] == {"rating": "TODO", "evidence": evidence}
    assert list(entries)[2:4] == ["plan_quality", "plan_review"]


def test_a_split_with_copy_rating_loses_nothing(tmp_path, audit):
    text = (VERSIONS / "ccc-practice-standards-2026-split.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards-sp\n", "id: ccc-practice-standards-copy\n")
    text = text.replace(
        "planning: {split_into: [plan_quality, plan_review]}",
        "planning: {split_into: [plan_quality, plan_review], copy_rating: true}",
    )
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "copy.yaml").write_text(text, encoding="utf-8")
    registry = Registry([folder, bundled_dir()])
    result = plan(registry, audit, "ccc-practice-standards-copy")
    assert result.losses == []
    entries = data(result.new_text)["practice_standards"]
    assert entries["plan_quality"]["rating"] == entries["plan_review"]["rating"] == "requires_improvement"
    assert validate_text(result.new_text, "x.yaml", registry, OPTIONS).valid


def test_a_group_move_creates_the_new_group_in_order(versions, audit):
    result = plan(versions, audit, "ccc-practice-standards-d")
    new = data(result.new_text)
    keys = list(new)
    assert keys.index("leadership") == keys.index("practice_standards") + 1
    assert list(new["leadership"]) == ["management_oversight", "case_recording"]
    assert next(iter(new["practice_standards"])) == "early_help"
    assert "\n\nleadership:\n" in result.new_text
    assert "    evidence: Recording timely and reflective.\n\nremedial_actions:" in result.new_text


def test_a_pure_rename_goes_there_and_back_byte_for_byte(versions, audit):
    original = audit.read_bytes()
    there = plan(versions, audit, "ccc-practice-standards-r")
    apply_migration(there, force=False)
    back = plan(versions, audit, CCC, source="ccc-practice-standards-r")
    assert back.derived
    assert back.declared_in == "ccc-practice-standards-r"
    assert back.losses == []
    apply_migration(back, force=False)
    assert audit.read_bytes() == original


def test_line_endings_are_kept(versions, audit):
    text = audit.read_text(encoding="utf-8").replace("\n", "\r\n")
    audit.write_bytes(text.encode("utf-8"))
    there = plan(versions, audit, "ccc-practice-standards-r", text=text)
    assert "\r\n" in there.new_text
    assert "\n" not in there.new_text.replace("\r\n", "")
    back = plan(versions, audit, CCC, source="ccc-practice-standards-r", text=there.new_text)
    assert back.new_text == text


def test_plan_file_reads_the_source_framework_from_the_audit(versions, audit):
    found = plan_file(audit, versions, "ccc-practice-standards-2026")
    assert found.source_id == CCC
    assert found.new_text == plan(versions, audit, "ccc-practice-standards-2026").new_text


def test_plan_file_names_an_unknown_framework(versions, audit):
    with pytest.raises(UsageError, match="Did you mean 'ccc-practice-standards-2026'"):
        plan_file(audit, versions, "ccc-practice-standards-2025")


def test_a_byte_order_mark_and_line_endings_are_kept(versions, audit):
    original = "\ufeff" + audit.read_text(encoding="utf-8").replace("\n", "\r\n")
    audit.write_bytes(original.encode("utf-8"))
    apply_migration(plan_file(audit, versions, "ccc-practice-standards-r"), force=False)
    migrated = audit.read_bytes().decode("utf-8")
    assert migrated.startswith("\ufeff# A monthly case file audit")
    assert "manager: Gareth Lloyd\r\n" in migrated
    apply_migration(plan_file(audit, versions, CCC), force=False)
    assert audit.read_bytes().decode("utf-8") == original


def test_newlines_translated_by_the_caller_are_not_a_change(versions, audit):
    audit.write_bytes(audit.read_bytes().replace(b"\n", b"\r\n"))
    with audit.open(encoding="utf-8") as handle:  # universal newlines: the CRs are gone
        text = handle.read()
    apply_migration(plan(versions, audit, "ccc-practice-standards-2026", text=text), force=False)
    assert b"standards: ccc-practice-standards-2026\n" in audit.read_bytes()


def test_a_crash_while_writing_leaves_the_original(versions, audit, monkeypatch):
    original = audit.read_bytes()
    result = plan(versions, audit, "ccc-practice-standards-2026")

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        apply_migration(result, force=False)
    assert audit.read_bytes() == original
    assert sorted(p.name for p in audit.parent.iterdir()) == [audit.name]


def test_the_file_keeps_its_permissions(versions, audit):
    audit.chmod(0o640)
    apply_migration(plan(versions, audit, "ccc-practice-standards-2026"), force=False)
    assert stat.S_IMODE(audit.stat().st_mode) == 0o640


def test_a_file_changed_since_it_was_read_is_not_overwritten(versions, audit):
    result = plan(versions, audit, "ccc-practice-standards-2026")
    audit.write_text(audit.read_text(encoding="utf-8") + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(QaImpactError, match="changed since it was read"):
        apply_migration(result, force=True)
    assert audit.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (CCC, "cafcass-qiam-2017"),
        ("cafcass-qiam-2017", CCC),
        # The second edition merges, so its migration cannot be reversed.
        ("ccc-practice-standards-2026", CCC),
        ("ccc-practice-standards-2026", "ccc-practice-standards-r"),
    ],
)
def test_no_migration_is_a_usage_error_naming_both(versions, audit, source, target):
    with pytest.raises(UsageError) as refused:
        plan_migration(
            audit.read_text(encoding="utf-8"),
            str(audit),
            framework(versions, source),
            framework(versions, target),
        )
    assert f"'{source}'" in str(refused.value)
    assert f"'{target}'" in str(refused.value)


def test_an_audit_of_another_framework_is_refused(versions, audit):
    with pytest.raises(UsageError, match="uses 'ccc-practice-standards', not 'ccc-practice-standards-r'"):
        plan(versions, audit, CCC, source="ccc-practice-standards-r")


def test_a_broken_file_is_refused_with_its_position(versions, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("standards: ccc-practice-standards\ncase: [\n", encoding="utf-8")
    with pytest.raises(QaImpactError, match=rf"^{path}:3:1: "):
        plan(versions, path, "ccc-practice-standards-2026")


MIGRATIONS = """
migrations:
  - from: ccc-practice-standards
    standards:
      visits_and_direct_work: direct_visits
      lived_experience: {merge_into: voice}
      planning: assessment
      assessment: assessment
      risk_management: {split_into: [risk_management, risks]}
    ratings: {requires_improvement: needs_work}
    grades: {good: fine}
    keys: {team_manager: case.manager}
  - from: ccc-practice-standards
  - from: ccc-practice-standards-mig
"""


def test_standards_check_checks_the_new_side_of_migrations(tmp_path):
    text = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards\n", "id: ccc-practice-standards-mig\n") + MIGRATIONS
    path = tmp_path / "mig.yaml"
    path.write_text(text, encoding="utf-8")
    first = text[: text.index("  - from: ccc-practice-standards\n")].count("\n") + 1

    def unknown(where: str, what: str, value: str) -> tuple[str, str]:
        return ("QA502", f"{where} names the {what} '{value}', which this file does not define.")

    framework_, found = check_file(path)
    assert framework_ is None
    assert sorted((d.code, d.message) for d in found) == sorted(
        [
            unknown("'standards.visits_and_direct_work' of migration 1", "standard", "direct_visits"),
            unknown("'standards.lived_experience.merge_into' of migration 1", "standard", "voice"),
            unknown("Standard 2 of 'standards.risk_management' of migration 1", "standard", "risks"),
            ("QA501", "'assessment' and 'planning' are both renamed to 'assessment'."),
            unknown("'ratings.requires_improvement' of migration 1", "rating", "needs_work"),
            unknown("'grades.good' of migration 1", "grade", "fine"),
            (
                "QA502",
                "'keys.team_manager' of migration 1 renames to 'case.manager', which audits of this "
                "framework do not have.",
            ),
            ("QA501", f"Two migrations start from 'ccc-practice-standards' (the first at line {first})."),
            ("QA209", "A migration cannot start from this framework itself ('ccc-practice-standards-mig')."),
        ]
    )


def test_the_old_side_is_checked_when_the_older_framework_is_loaded(tmp_path, audit):
    text = (VERSIONS / "ccc-practice-standards-2026-retired.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards-nc\n", "id: ccc-practice-standards-old\n")
    text = text.replace(
        "      children_in_care: {retire: true}\n",
        "      children_in_care: {retire: true}\n      child_in_care: {retire: true}\n"
        "    ratings: {met: good}\n    drop: [team_leader]\n",
    )
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "old.yaml").write_text(text, encoding="utf-8")
    registry = Registry([folder, bundled_dir()])
    assert registry.get("ccc-practice-standards-old") is not None  # the new side is fine
    with pytest.raises(StandardsError) as broken:
        plan(registry, audit, "ccc-practice-standards-old")
    found = [(d.code, d.location.line, d.message) for d in broken.value.diagnostics]
    base = text.index("      child_in_care: {retire: true}")
    line = text[:base].count("\n") + 1
    assert found == [
        (
            "QA502",
            line,
            "'standards.child_in_care' of migration 1 names the standard 'child_in_care', which "
            "'ccc-practice-standards' does not define.",
        ),
        (
            "QA502",
            line + 1,
            "'ratings.met' of migration 1 names the rating 'met', which 'ccc-practice-standards' does "
            "not define.",
        ),
        (
            "QA502",
            line + 2,
            "Item 1 of 'drop' of migration 1 names the audit key 'team_leader', which audits of "
            "'ccc-practice-standards' do not have.",
        ),
    ]


def test_keys_the_target_does_not_have_are_losses(tmp_path, audit):
    text = (VERSIONS / "ccc-practice-standards-2026-retired.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards-nc\n", "id: ccc-practice-standards-np\n")
    period = text[text.index("  period_reviewed:") : text.index("# The source says only")]
    text = text.replace(period, "\n")
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "np.yaml").write_text(text, encoding="utf-8")
    registry = Registry([folder, bundled_dir()])
    result = plan(registry, audit, "ccc-practice-standards-np")
    assert [str(loss) for loss in result.losses] == [
        at(
            audit,
            14,
            1,
            "'period_reviewed' is not a key of 'ccc-practice-standards-np' audits and the migration "
            'does not map it: its value {"from": "2026-05-01", "to": "2026-10-31"} would be lost.',
        ),
        at(
            audit,
            38,
            3,
            "'practice_standards.children_in_care' (Children in care) is retired in "
            "'ccc-practice-standards-np': its rating (not_applicable) and comment "
            "'# only for children in care' would be lost.",
        ),
    ]
    assert "period_reviewed" not in data(result.new_text)
    # The blank line before the group stays.
    assert "review_date: 2026-11-03\n\npractice_standards:\n" in result.new_text
    assert validate_text(result.new_text, "x.yaml", registry, OPTIONS).valid


def test_a_merge_into_a_standard_that_keeps_its_id(tmp_path, audit):
    text = (VERSIONS / "ccc-practice-standards-2026-retired.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ccc-practice-standards-nc\n", "id: ccc-practice-standards-into\n")
    lived = text[
        text.index("      - id: lived_experience\n") : text.index("      - id: identity_and_relationships\n")
    ]
    text = text.replace(lived, "").replace(
        "      children_in_care: {retire: true}\n",
        "      children_in_care: {retire: true}\n"
        "      lived_experience: {merge_into: identity_and_relationships}\n",
    )
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "into.yaml").write_text(text, encoding="utf-8")
    registry = Registry([folder, bundled_dir()])
    body = rated(audit.read_text(encoding="utf-8"), "requires_improvement", "good")
    result = plan(registry, audit, "ccc-practice-standards-into", text=body)
    entries = data(result.new_text)["practice_standards"]
    assert "lived_experience" not in entries
    assert list(entries).index("identity_and_relationships") == 4
    assert entries["identity_and_relationships"]["rating"] == "requires_improvement"
    assert [loss.location.line for loss in result.losses] == [38]  # only the retired standard
    assert "(worst rating: requires_improvement)" in result.changes[-2]


SERVICE = sorted((EXAMPLES / "service" / "ccc").glob("*.yaml"))


@pytest.mark.parametrize("path", SERVICE, ids=lambda p: p.stem)
def test_every_council_example_migrates_to_every_version(versions, path):
    text = path.read_bytes().decode("utf-8")
    for target in (
        "ccc-practice-standards-2026",
        "ccc-practice-standards-r",
        "ccc-practice-standards-nc",
        "ccc-practice-standards-sp",
        "ccc-practice-standards-d",
    ):
        result = plan(versions, path, target, text=text)
        check = validate_text(result.new_text, str(path), versions, OPTIONS)
        assert [d for d in check.diagnostics if d.is_error and d.code != "QA210"] == [], target
        kept = comments(result.new_text)
        lost = [c for c in comments(text) if c not in kept]
        assert all(any(c in loss.message for loss in result.losses) for c in lost), target
    there = plan(versions, path, "ccc-practice-standards-r", text=text)
    back = plan(versions, path, CCC, source="ccc-practice-standards-r", text=there.new_text)
    assert back.new_text == text


MINI_V2 = """
format: 1
id: mini-practice-2
version: "2"
title: Mini practice standards, second edition
case_fields:
  ref: {type: text, required: true, label: Case reference}
  looked_after: {type: boolean, required: true, label: Looked after}
grades:
  key: overall_grade
  good_or_better: good
  scale:
    - {id: good, label: Good}
    - {id: fair, label: Fair}
    - {id: poor, label: Poor}
ratings:
  - {id: good, label: Good}
  - {id: ok, label: OK}
  - {id: poor, label: Poor}
groups:
  - id: safety
    title: Safety
    standards:
      - {id: risk, title: Risk is assessed}
  - id: direct_work
    title: Direct work
    standards:
      - id: visits
        title: The child is visited
        fields:
          visited: {type: boolean}
          reason: {type: text}
      - {id: voice, title: The child's voice is heard}
  - id: quality
    title: Quality
    standards:
      - {id: plan_and_records, title: The plan and records are clear}
thresholds:
  - {grade: poor, when: {standards: all, rated: poor, at_least: 2}}
  - {grade: good, when: {standards: all, rated_at_least: good, count: all}}
  - {grade: fair, otherwise: true}
migrations:
  - from: mini-practice
    standards:
      plan: {merge_into: plan_and_records, combine: best}
      records: {merge_into: plan_and_records, combine: best}
    ratings: {strong: good, adequate: ok, weak: poor}
    keys: {case.reference: case.ref}
"""


def test_standards_move_between_groups_in_a_flow_style_audit(tmp_path):
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "mini-2.yaml").write_text(MINI_V2, encoding="utf-8")
    registry = Registry([folder, DATA / "standards" / "valid", bundled_dir()])
    path = tmp_path / "mini-fair.yaml"
    shutil.copy(DATA / "standards" / "audits" / "mini-fair.yaml", path)
    result = plan(registry, path, "mini-practice-2", source="mini-practice")
    new = data(result.new_text)
    assert [k for k in new if k in ("safety", "direct_work", "quality")] == [
        "safety",
        "direct_work",
        "quality",
    ]
    assert new["safety"] == {"risk": {"rating": "good"}}
    assert new["direct_work"] == {
        "visits": {"rating": "poor", "visited": False, "evidence": "Not visited for three months."},
        "voice": {"rating": "TODO"},
    }
    assert new["quality"] == {"plan_and_records": {"rating": "good", "evidence": "Plan has no dates."}}
    assert new["case"] == {"ref": "REF-2", "looked_after": True}
    assert "  visits: {rating: poor, visited: false, evidence: Not visited for three months.}\n" in (
        result.new_text
    )
    assert [str(loss) for loss in result.losses] == [
        # A new group has no old key: the loss points at 'standards:'.
        at(
            path,
            3,
            1,
            "'direct_work.voice' (The child's voice is heard) needs a rating: it is new in "
            "'mini-practice-2' and no old standard maps to it.",
        )
    ]
    check = validate_text(result.new_text, str(path), registry, OPTIONS)
    assert [d.code for d in check.diagnostics] == ["QA210"]
    assert comments(result.new_text) == comments(path.read_text(encoding="utf-8"))


# -- records (kind: observation, feedback, follow_through) are migrated as records

RECORDS = DATA / "migrate-records"
WITH_RECORDS = DATA / "standards" / "versions-records"


@pytest.fixture(scope="module")
def with_records() -> Registry:
    return Registry([WITH_RECORDS, bundled_dir()])


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("observation.yaml", "observation"),
        ("follow-through.yaml", "follow_through"),
        ("feedback.yaml", "feedback"),
    ],
)
def test_a_record_is_migrated_as_a_record(with_records, tmp_path, name, kind):
    """Its standards, the standards it rates and the points it links move by the audits' mapping;
    every other field and comment stays (regression: records were rewritten as blank audits)."""
    path = tmp_path / name
    shutil.copy(RECORDS / name, path)
    result = plan_file(path, with_records, "ccc-practice-standards-2026")
    assert (result.kind, result.losses) == (kind, [])
    apply_migration(result, force=False)
    assert path.read_text(encoding="utf-8") == (RECORDS / "expected" / name).read_text(encoding="utf-8")
    assert validate_text(result.new_text, str(path), with_records, OPTIONS).diagnostics == []


def test_merged_ratings_of_an_observation_take_the_worst_and_join_the_evidence(with_records, tmp_path):
    path = tmp_path / "observation.yaml"
    shutil.copy(RECORDS / "observation.yaml", path)
    result = plan_file(path, with_records, "ccc-practice-standards-2026")
    assert result.changes == [
        "standards: ccc-practice-standards -> ccc-practice-standards-2026",
        "observed.visits_and_direct_work -> observed.direct_work",
        "observed.lived_experience + observed.identity_and_relationships -> "
        "observed.child_identity_and_voice (worst rating: requires_improvement)",
    ]
    assert data(result.new_text)["observed"]["child_identity_and_voice"] == {
        "rating": "requires_improvement",
        "evidence": "Felix Oduya recorded the child's words as she said them. / The visit did not ask about "
        "the child's contact with her grandmother.",
    }


@pytest.mark.parametrize(
    ("name", "registry", "where", "message"),
    [
        (
            "feedback-channel.yaml",
            "with_records",
            "8:1",
            "'channel' is not a field of 'ccc-practice-standards-2026' feedback records: its value 'survey' "
            "and comment '# the annual survey' would be lost.",
        ),
        (
            "observation.yaml",
            "versions",
            "2:1",
            "'ccc-practice-standards-2026' has no records of kind 'observation' (it declares no records): "
            "the whole record would be lost. Declare the kind under 'records:' in the target framework, or "
            "keep this record with 'ccc-practice-standards'.",
        ),
        (
            "follow-through.yaml",
            "versions",
            "2:1",
            "'ccc-practice-standards-2026' has no records of kind 'follow_through' (it declares no records): "
            "the whole record would be lost. Declare the kind under 'records:' in the target framework, or "
            "keep this record with 'ccc-practice-standards'.",
        ),
    ],
)
def test_a_record_the_target_cannot_hold_is_refused_even_forced(
    request, tmp_path, name, registry, where, message
):
    """Never blanked, never cut down: --force does not accept a record's loss."""
    path = tmp_path / name
    shutil.copy(RECORDS / name, path)
    result = plan_file(path, request.getfixturevalue(registry), "ccc-practice-standards-2026")
    assert [str(loss) for loss in result.refused] == [f"{path}:{where}: {message}"]
    with pytest.raises(QaImpactError) as caught:
        apply_migration(result, force=True)
    assert caught.value.details == [f"{path}:{where}: {message}"]
    assert path.read_bytes() == (RECORDS / name).read_bytes()


# -- a migration's keys and drop name record fields as records.KIND.FIELD, and records follow them

RECORD_KEYS = DATA / "standards" / "versions-record-keys"


@pytest.fixture(scope="module")
def record_keys() -> Registry:
    return Registry([RECORD_KEYS, bundled_dir()])


def test_a_migrations_keys_rename_a_records_fields_with_their_comments(record_keys, tmp_path):
    """Regression: keys renamed an audit's keys only, so an observation's observer stayed and the
    record was refused as holding a field the target lacks."""
    path = tmp_path / "observation.yaml"
    shutil.copy(RECORDS / "observation.yaml", path)
    result = plan_file(path, record_keys, "ccc-practice-standards-2026")
    assert result.losses == []
    assert result.changes[:3] == [
        "standards: ccc-practice-standards -> ccc-practice-standards-2026",
        "observer -> observed_by",
        "learning -> to_develop",
    ]
    apply_migration(result, force=False)
    text = path.read_text(encoding="utf-8")
    assert text == (RECORDS / "expected-keys" / "observation.yaml").read_text(encoding="utf-8")
    assert comments(text) == comments((RECORDS / "observation.yaml").read_text(encoding="utf-8"))
    assert list(data(text))[3:5] == ["observed_by", "practitioner"]  # renamed where it stood
    assert validate_text(text, str(path), record_keys, OPTIONS).diagnostics == []


def test_a_dropped_record_field_is_a_loss_that_force_accepts_as_for_an_audit(record_keys, tmp_path):
    """Regression: drop left a record's field, and the record was refused even forced."""
    path = tmp_path / "feedback-channel.yaml"
    shutil.copy(RECORDS / "feedback-channel.yaml", path)
    result = plan_file(path, record_keys, "ccc-practice-standards-2026")
    message = (
        f"{path}:8:1: 'records.feedback.channel' is dropped in 'ccc-practice-standards-2026': its value "
        "'survey' and comment '# the annual survey' would be lost."
    )
    assert [(str(loss), loss.forceable) for loss in result.losses] == [(message, True)]
    assert result.refused == []
    with pytest.raises(QaImpactError):
        apply_migration(result, force=False)
    assert path.read_bytes() == (RECORDS / "feedback-channel.yaml").read_bytes()
    apply_migration(result, force=True)
    text = path.read_text(encoding="utf-8")
    assert text == (RECORDS / "expected-keys" / "feedback-channel.yaml").read_text(encoding="utf-8")
    assert validate_text(text, str(path), record_keys, OPTIONS).diagnostics == []


def test_a_dropped_record_field_left_empty_goes_without_loss(record_keys, tmp_path):
    path = tmp_path / "feedback.yaml"
    path.write_text(
        (RECORDS / "feedback-channel.yaml")
        .read_text(encoding="utf-8")
        .replace("channel: survey  # the annual survey\n", "channel:\n"),
        encoding="utf-8",
    )
    result = plan_file(path, record_keys, "ccc-practice-standards-2026")
    assert (result.losses, result.changes[1:]) == ([], ["channel: dropped"])
    assert "channel" not in data(result.new_text)


def test_a_rename_onto_a_field_the_record_has_is_refused_even_forced(record_keys, tmp_path):
    path = tmp_path / "observation.yaml"
    original = (
        (RECORDS / "observation.yaml")
        .read_text(encoding="utf-8")
        .replace("learning: Ask", "to_develop: Keep asking.\nlearning: Ask")
    )
    path.write_text(original, encoding="utf-8")
    result = plan_file(path, record_keys, "ccc-practice-standards-2026")
    message = (
        f"{path}:23:1: 'learning' becomes 'to_develop' in 'ccc-practice-standards-2026' observation "
        "records, which the record already has: its value 'Ask about the people who matter to the child.' "
        "would be lost. Keep one of the two and run again."
    )
    assert [str(loss) for loss in result.refused] == [message]
    with pytest.raises(QaImpactError):
        apply_migration(result, force=True)
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            "{records.observation.observer: records.feedback.said}",
            "'keys.records.observation.observer' of migration 1 renames 'records.observation.observer' to "
            "'records.feedback.said': a record's field can only be renamed to another field of the same kind "
            "of record.",
        ),
        (
            "{records.observation.observer: records.observation.watcher}",
            "'keys.records.observation.observer' of migration 1 renames to 'records.observation.watcher', "
            "which records of this framework do not have.",
        ),
        (
            "{case.team: records.observation.team}",
            "'keys.case.team' of migration 1 renames 'case.team' to 'records.observation.team': a record's "
            "field can only be renamed to another field of the same kind of record.",
        ),
    ],
)
def test_standards_check_checks_the_record_fields_a_migration_renames_to(tmp_path, keys, message):
    text = (RECORD_KEYS / "ccc-practice-standards-2026.yaml").read_text(encoding="utf-8")
    old = (
        "    keys:\n      records.observation.observer: records.observation.observed_by\n"
        "      records.observation.learning: records.observation.to_develop\n"
    )
    assert old in text
    path = tmp_path / "keys.yaml"
    path.write_text(text.replace(old, f"    keys: {keys}\n"), encoding="utf-8")
    framework_, found = check_file(path)
    assert framework_ is None
    assert [(d.code, d.message) for d in found] == [("QA502", message)]


def test_the_record_fields_a_migration_takes_are_checked_against_the_older_framework(tmp_path):
    text = (RECORD_KEYS / "ccc-practice-standards-2026.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "new.yaml").write_text(
        text.replace("drop: [records.feedback.channel]", "drop: [records.feedback.mood]"), encoding="utf-8"
    )
    registry = Registry([folder, bundled_dir()])
    path = tmp_path / "feedback.yaml"
    shutil.copy(RECORDS / "feedback.yaml", path)
    with pytest.raises(StandardsError) as broken:
        plan_file(path, registry, "ccc-practice-standards-2026")
    assert [(d.code, d.message) for d in broken.value.diagnostics] == [
        (
            "QA502",
            "Item 1 of 'drop' of migration 1 names the record field 'records.feedback.mood', which records "
            "of 'ccc-practice-standards' do not have.",
        )
    ]
