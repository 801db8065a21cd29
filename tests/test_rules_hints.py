"""Every framework-rule finding says how to fix it: the exact hint of each, per data file.

tests/test_diagnostics.py checks each file's findings (line, column, code and message); this checks
what it says to do about them, for the rules of src/qaimpact/rules.py (QA3xx, and the QA4xx
warnings they give).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run
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
    "QA301-not-seen-decision-stand-in.yaml": [f"'N/A' in defensible_decision records nothing. {NOT_SEEN}"],
    "QA302-child-in-care-not-applicable.yaml": [
        f"Rate it on the scale ({SCALE_CCC}), or correct 'case.child_in_care'."
    ],
    "QA302-not-applicable-cafcass.yaml": ["Rate it on the scale: good, met, requires_improvement."],
    "QA302-not-applicable-ccc-planning.yaml": [f"Rate it on the scale: {SCALE_CCC}."],
    "QA303-not-in-care-rated.yaml": [
        "Rate it not_applicable, or correct 'case.child_in_care' if it does apply."
    ],
    "QA320-not-in-care-rated-inadequate.yaml": [
        "If the standard applies, correct 'case.child_in_care'; if it does not, rate it not_applicable."
    ],
    "QA320-not-in-care-rated-requires-improvement.yaml": [
        "If the standard applies, correct 'case.child_in_care'; if it does not, rate it not_applicable."
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


STAND_IN_DECISION = INVALID / "QA301-not-seen-decision-stand-in.yaml"


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("N/A", True),
        ("TBC", True),
        ("'-'", True),
        ("none", True),
        ("To be confirmed.", True),
        ("'?'", True),
        ("Child is 2 and was seen by the social worker the week before: agreed with the manager.", False),
        ("Not applicable as the child was seen by the guardian", False),
    ],
)
def test_a_stand_in_is_no_defensible_decision(
    registry: Registry, tmp_path: Path, written: str, found: bool
) -> None:
    # Regression: "defensible_decision: N/A" for a child not seen passed as a decision, so the
    # standard could be rated good (and the audit outstanding) where a blank one could not.
    text = STAND_IN_DECISION.read_text(encoding="utf-8").replace(
        "defensible_decision: N/A", f"defensible_decision: {written}"
    )
    path = tmp_path / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    check = check_audit(path, registry, CheckOptions(today=TODAY))
    assert [d.code for d in check.diagnostics if d.code == "QA301"] == (["QA301"] if found else [])


def test_an_inadequate_standard_that_does_not_apply_is_not_dropped_from_the_escalations(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Regression: rated inadequate under `child_in_care: false`, 'Children in care' was left out
    # of the grade with a warning (QA303), so the audit passed as good and was never escalated.
    # It is now an error (QA320): the reports leave the audit out, say so, and exit 1; and as the
    # rating is the auditor's own judgement, the escalation it calls for when read as applying is
    # said all the same (tests/test_escalation_inapplicable.py).
    text = (INVALID / "QA320-not-in-care-rated-inadequate.yaml").read_text(encoding="utf-8")
    text = text.replace("rating: requires_improvement", "rating: good")
    (tmp_path / "audit.yaml").write_text(text, encoding="utf-8")
    run = cli("escalations", "--audits", tmp_path, "--today", TODAY.isoformat(), expect=1)
    assert "**1 audit file is invalid: 1 must be escalated all the same (above).**" in run.stdout
    assert run.stderr.splitlines()[-1] == (
        "    It must be escalated all the same: Case escalation to Case responsible worker, Team manager "
        "and Head of Service: the ratings give Inadequate; 'Children in care' is rated Inadequate, so it "
        "was taken as applying, although 'case.child_in_care' says it does not."
    )


MINI = DATA / "agreements"


@pytest.mark.parametrize(
    ("reason", "note", "hint"),
    [
        ("N/A", "TBC", "'N/A' in reason records nothing. 'TBC' in note records nothing. "),
        ("N/A", "null", "'N/A' in reason records nothing. "),
        ("null", "TBC", "'TBC' in note records nothing. "),
        ("null", "null", ""),
    ],
)
def test_a_constraint_on_two_empty_fields_names_each_stand_in(
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reason: str,
    note: str,
    hint: str,
) -> None:
    # A rule that asks for two fields left empty, each holding a stand-in or nothing: the hint
    # names every stand-in, one sentence each, before the rule's own hint.
    framework = (MINI / "standards" / "mini-dated.yaml").read_text(encoding="utf-8")
    framework = framework.replace(
        "          reason: {type: text, label: Reason the child was not visited}\n",
        "          reason: {type: text, label: Reason the child was not visited}\n"
        "          note: {type: text, label: Note}\n",
    ).replace("- when: {visited: false, reason: null}", "- when: {visited: false, reason: null, note: null}")
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "mini-dated.yaml").write_text(framework, encoding="utf-8")
    text = (MINI / "next-visit-agreed.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "visits: {rating: adequate, visited: true, evidence: Visits were late twice.}",
        f"visits: {{rating: adequate, visited: false, reason: {reason}, note: {note}, evidence: Late.}}",
    )
    (tmp_path / "visits.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "visits.yaml", "--today", TODAY.isoformat(), "--standards", "standards", expect=1)
    assert run.stdout.splitlines()[:2] == [
        "visits.yaml:13:20: error QA301 'The child is visited' is rated adequate: A child who was not "
        "visited, with no reason recorded, can only be rated weak.",
        f"    hint: {hint}Record the reason the child was not visited, or rate this standard weak.",
    ]
