"""The threshold engine against the documented grading rules.

The oracles below are written from the rules as documented in the project's issue, not from the
standards files or the engine, so that a mistake in either shows up as a mismatch:

Cafcass (QIAM 2017), per-standard ratings good | met | requires_improvement:

- requires_improvement when any impact or compliance standard is requires_improvement, or
  immediate safeguarding actions are required;
- met when none requires improvement and any impact standard is met;
- good when all impact standards are good and a compliance standard is met;
- outstanding when every impact and compliance standard is good.
- Learning actions never lower a grade.

Council (CCC practice standards), Ofsted ratings outstanding > good > requires_improvement >
inadequate; ``children_in_care`` applies only when ``case.child_in_care`` is true:

- inadequate if any applicable standard is inadequate; requires_improvement if any is; good if
  all applicable standards are good or better; outstanding if all are outstanding.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from qaimpact.frameworks.check import check_file
from qaimpact.grading.engine import Engine, Facts, GradeResult, applicable_ratings
from qaimpact.models.standard import NOT_APPLICABLE, Framework

# -- The documented rules, written independently of the engine ----------------------------------

CAFCASS_IMPACT = ("child_seen", "child_experience", "enabled_to_choose", "impact_analysis")
CAFCASS_COMPLIANCE = ("case_recording", "case_planning", "tools_uploaded", "report_quality")
CAFCASS_STANDARDS = CAFCASS_IMPACT + CAFCASS_COMPLIANCE
CAFCASS_RATINGS = ("good", "met", "requires_improvement")
CAFCASS_GRADES = ("outstanding", "good", "met", "requires_improvement")
SAFEGUARDING_LABEL = "Immediate safeguarding actions are required"

CCC_STANDARDS = (
    "risk_management",
    "assessment",
    "planning",
    "visits_and_direct_work",
    "lived_experience",
    "identity_and_relationships",
    "multi_agency_working",
    "children_in_care",
    "management_oversight",
    "case_recording",
)
CCC_RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
CCC_GRADES = ("outstanding", "good", "requires_improvement", "inadequate")


def cafcass_oracle(ratings: Mapping[str, str], safeguarding: bool) -> str:
    """The Cafcass grade, straight from the documented rules."""
    impact = [ratings[s] for s in CAFCASS_IMPACT]
    compliance = [ratings[s] for s in CAFCASS_COMPLIANCE]
    if safeguarding or "requires_improvement" in impact + compliance:
        return "requires_improvement"
    if "met" in impact:
        return "met"
    if all(r == "good" for r in impact) and "met" in compliance:
        return "good"
    assert all(r == "good" for r in impact + compliance)
    return "outstanding"


def cafcass_lift_oracle(ratings: Mapping[str, str], safeguarding: bool) -> dict[str, tuple[str, str]] | None:
    """The changes that lift a Cafcass grade to the next one, by the documented rules.

    ``None`` for the best grade; ``{}`` when safeguarding blocks the lift.
    """
    grade = cafcass_oracle(ratings, safeguarding)
    if grade == "outstanding":
        return None
    if grade == "requires_improvement":
        if safeguarding:
            return {}
        # Every standard rated requires improvement must reach at least met; met is enough.
        return {s: (r, "met") for s, r in ratings.items() if r == "requires_improvement"}
    if grade == "met":
        # Every impact standard rated met must become good; compliance may stay met.
        return {s: ("met", "good") for s in CAFCASS_IMPACT if ratings[s] == "met"}
    # good: every compliance standard rated met must become good.
    return {s: ("met", "good") for s in CAFCASS_COMPLIANCE if ratings[s] == "met"}


def ccc_applicable(ratings: Mapping[str, str], child_in_care: bool) -> dict[str, str]:
    """The standards that count: children_in_care only for a child in care."""
    return {
        s: r for s, r in ratings.items() if r != NOT_APPLICABLE and (s != "children_in_care" or child_in_care)
    }


def ccc_oracle(ratings: Mapping[str, str], child_in_care: bool) -> str:
    """The council grade, straight from the documented rules."""
    counted = list(ccc_applicable(ratings, child_in_care).values())
    if "inadequate" in counted:
        return "inadequate"
    if "requires_improvement" in counted:
        return "requires_improvement"
    if all(r == "outstanding" for r in counted):
        return "outstanding"
    assert all(r in ("outstanding", "good") for r in counted)
    return "good"


def ccc_lift_oracle(ratings: Mapping[str, str], child_in_care: bool) -> dict[str, tuple[str, str]] | None:
    """The changes that lift a council grade to the next one, by the documented rules."""
    counted = ccc_applicable(ratings, child_in_care)
    grade = ccc_oracle(ratings, child_in_care)
    if grade == "outstanding":
        return None
    if grade == "inadequate":
        return {s: (r, "requires_improvement") for s, r in counted.items() if r == "inadequate"}
    if grade == "requires_improvement":
        return {s: (r, "good") for s, r in counted.items() if r == "requires_improvement"}
    return {s: (r, "outstanding") for s, r in counted.items() if r == "good"}


# -- Helpers ---------------------------------------------------------------------------------------


def cafcass_data(safeguarding: bool) -> dict[str, Any]:
    return {
        "immediate_safeguarding_actions": {"required": safeguarding, "comment": "x" if safeguarding else None}
    }


def cafcass_ratings(**changes: str) -> dict[str, str]:
    """Every Cafcass standard good, except those named."""
    unknown = set(changes) - set(CAFCASS_STANDARDS)
    assert not unknown, unknown
    return {s: changes.get(s, "good") for s in CAFCASS_STANDARDS}


def ccc_facts(ccc: Framework, ratings: Mapping[str, str], child_in_care: bool) -> Facts:
    """Facts the way the checker builds them: applicability is applied to the audit data."""
    data: dict[str, Any] = {
        "case": {"child_in_care": child_in_care},
        "practice_standards": {s: {"rating": r} for s, r in ratings.items()},
    }
    return Facts(applicable_ratings(ccc, data), data)


def ccc_ratings(default: str = "outstanding", **changes: str) -> dict[str, str]:
    unknown = set(changes) - set(CCC_STANDARDS)
    assert not unknown, unknown
    return {s: changes.get(s, default) for s in CCC_STANDARDS}


def lift_changes(result: GradeResult) -> dict[str, tuple[str, str]] | None:
    """The lift as {standard: (from, to)}; None when there is no lift."""
    if result.lift is None:
        return None
    return {c.standard: (c.from_rating, c.to_rating) for c in result.lift.changes}


def title(fw: Framework, standard: str) -> str:
    """A standard as the rationale quotes it: its short name where its file gives one, else its
    title (without a final full stop)."""
    return fw.standards[standard].short_name


@pytest.fixture(scope="module")
def cafcass_engine(cafcass: Framework) -> Engine:
    return Engine(cafcass)


@pytest.fixture(scope="module")
def ccc_engine(ccc: Framework) -> Engine:
    return Engine(ccc)


# -- The oracles describe the bundled files ------------------------------------------------------


def test_oracle_constants_match_bundled_frameworks(cafcass: Framework, ccc: Framework) -> None:
    groups = {g.id: tuple(s.id for s in g.standards) for g in cafcass.spec.groups}
    assert groups == {"impact": CAFCASS_IMPACT, "compliance": CAFCASS_COMPLIANCE}
    assert tuple(cafcass.rating_rank) == CAFCASS_RATINGS
    assert tuple(cafcass.grade_rank) == CAFCASS_GRADES
    assert tuple(ccc.standards) == CCC_STANDARDS
    assert tuple(ccc.rating_rank) == CCC_RATINGS
    assert tuple(ccc.grade_rank) == CCC_GRADES


# -- Exhaustive sweeps against the oracles -------------------------------------------------------


@pytest.mark.parametrize("safeguarding", [False, True], ids=["no-safeguarding", "safeguarding"])
def test_cafcass_every_combination_matches_documented_rules(
    cafcass_engine: Engine, safeguarding: bool
) -> None:
    data = cafcass_data(safeguarding)
    checked = 0
    for combo in itertools.product(CAFCASS_RATINGS, repeat=len(CAFCASS_STANDARDS)):
        ratings = dict(zip(CAFCASS_STANDARDS, combo, strict=True))
        result = cafcass_engine.grade(Facts(ratings, data))
        expected = cafcass_oracle(ratings, safeguarding)
        if result.grade != expected:
            pytest.fail(
                f"first mismatch: ratings {ratings}, safeguarding={safeguarding}: engine gives "
                f"{result.grade!r}, the documented rules give {expected!r}\n" + "\n".join(result.rationale)
            )
        want_lift = cafcass_lift_oracle(ratings, safeguarding)
        got_lift = lift_changes(result)
        if got_lift != want_lift:
            pytest.fail(
                f"first lift mismatch: ratings {ratings}, safeguarding={safeguarding} "
                f"({result.grade}): engine lift {result.lift}, expected changes {want_lift}"
            )
        checked += 1
    assert checked == 3**8


CCC_VARIED = ("risk_management", "planning", "lived_experience", "management_oversight")


@pytest.mark.parametrize("rest", ["good", "outstanding"], ids=lambda r: f"rest-{r}")
@pytest.mark.parametrize("child_in_care", [True, False], ids=["in-care", "not-in-care"])
def test_ccc_every_combination_of_a_subset_matches_documented_rules(
    ccc: Framework, ccc_engine: Engine, rest: str, child_in_care: bool
) -> None:
    care_ratings = CCC_RATINGS if child_in_care else (*CCC_RATINGS, NOT_APPLICABLE)
    checked = 0
    for care_rating in care_ratings:
        for combo in itertools.product(CCC_RATINGS, repeat=len(CCC_VARIED)):
            ratings = ccc_ratings(
                rest, children_in_care=care_rating, **dict(zip(CCC_VARIED, combo, strict=True))
            )
            result = ccc_engine.grade(ccc_facts(ccc, ratings, child_in_care))
            expected = ccc_oracle(ratings, child_in_care)
            if result.grade != expected:
                pytest.fail(
                    f"first mismatch: ratings {ratings}, child_in_care={child_in_care}: engine "
                    f"gives {result.grade!r}, the documented rules give {expected!r}\n"
                    + "\n".join(result.rationale)
                )
            want_lift = ccc_lift_oracle(ratings, child_in_care)
            if lift_changes(result) != want_lift:
                pytest.fail(
                    f"first lift mismatch: ratings {ratings}, child_in_care={child_in_care} "
                    f"({result.grade}): engine lift {result.lift}, expected changes {want_lift}"
                )
            checked += 1
    assert checked == len(care_ratings) * 4**4


# -- Hand-written cases, one or more per rule ---------------------------------------------------

CAFCASS_CASES = [
    pytest.param({}, False, "outstanding", id="all-good-is-outstanding"),
    pytest.param({"case_planning": "met"}, False, "good", id="one-compliance-met-is-good"),
    pytest.param(
        dict.fromkeys(CAFCASS_COMPLIANCE, "met"), False, "good", id="all-compliance-met-impact-good-is-good"
    ),
    pytest.param({"child_seen": "met"}, False, "met", id="one-impact-met-is-met"),
    pytest.param(
        {"impact_analysis": "met", "report_quality": "met"},
        False,
        "met",
        id="impact-and-compliance-met-is-met",
    ),
    pytest.param(dict.fromkeys(CAFCASS_STANDARDS, "met"), False, "met", id="everything-met-is-met"),
    pytest.param(
        {"child_seen": "met", "case_recording": "requires_improvement"},
        False,
        "requires_improvement",
        id="impact-met-plus-compliance-ri-is-ri",
    ),
    pytest.param(
        {"enabled_to_choose": "requires_improvement"}, False, "requires_improvement", id="one-impact-ri-is-ri"
    ),
    pytest.param(
        {"tools_uploaded": "requires_improvement"},
        False,
        "requires_improvement",
        id="one-compliance-ri-is-ri",
    ),
    pytest.param({}, True, "requires_improvement", id="all-good-plus-safeguarding-is-ri"),
    pytest.param({"case_planning": "met"}, True, "requires_improvement", id="good-plus-safeguarding-is-ri"),
]


@pytest.mark.parametrize(("changes", "safeguarding", "expected"), CAFCASS_CASES)
def test_cafcass_rules(
    cafcass_engine: Engine, changes: dict[str, str], safeguarding: bool, expected: str
) -> None:
    ratings = cafcass_ratings(**changes)
    assert cafcass_oracle(ratings, safeguarding) == expected  # the oracle agrees with the case
    assert cafcass_engine.grade(Facts(ratings, cafcass_data(safeguarding))).grade == expected


def test_cafcass_learning_actions_never_lower_the_grade(cafcass_engine: Engine) -> None:
    learning = {
        "learning_actions": [
            {"area": "compliance_with_policy", "points": ["case_planning", "case_recording"]},
            {"area": "child_engagement", "points": ["ineffective_child_engagement"]},
        ]
    }
    for ratings, grade in (
        (cafcass_ratings(), "outstanding"),
        (cafcass_ratings(case_planning="met"), "good"),
        (cafcass_ratings(child_seen="met"), "met"),
    ):
        plain = cafcass_engine.grade(Facts(ratings, cafcass_data(False)))
        with_learning = cafcass_engine.grade(Facts(ratings, {**cafcass_data(False), **learning}))
        assert plain.grade == with_learning.grade == grade


def test_cafcass_safeguarding_not_required_does_not_lower_the_grade(cafcass_engine: Engine) -> None:
    for data in ({}, {"immediate_safeguarding_actions": {"required": False}}):
        assert cafcass_engine.grade(Facts(cafcass_ratings(), data)).grade == "outstanding"


CCC_CASES = [
    pytest.param({}, False, "outstanding", id="all-outstanding-is-outstanding"),
    pytest.param({"planning": "inadequate"}, False, "inadequate", id="one-inadequate-among-outstanding"),
    pytest.param(
        {"planning": "inadequate", "assessment": "requires_improvement"},
        False,
        "inadequate",
        id="inadequate-beats-requires-improvement",
    ),
    pytest.param(
        {"case_recording": "requires_improvement"},
        False,
        "requires_improvement",
        id="one-ri-among-outstanding",
    ),
    pytest.param({"assessment": "good"}, False, "good", id="one-good-rest-outstanding-is-good"),
    pytest.param(dict.fromkeys(CCC_STANDARDS, "good"), True, "good", id="all-good-in-care-is-good"),
    pytest.param(
        {"children_in_care": NOT_APPLICABLE},
        False,
        "outstanding",
        id="all-outstanding-children-in-care-not-applicable",
    ),
    pytest.param(
        {"children_in_care": "inadequate"},
        False,
        "outstanding",
        id="not-in-care-children-in-care-rating-left-out",
    ),
    pytest.param(
        {"children_in_care": "good"},
        True,
        "good",
        id="in-care-children-in-care-good-rest-outstanding-is-good",
    ),
    pytest.param(
        {"children_in_care": "inadequate"}, True, "inadequate", id="in-care-children-in-care-inadequate"
    ),
    pytest.param(
        {"children_in_care": "requires_improvement"},
        True,
        "requires_improvement",
        id="in-care-children-in-care-ri",
    ),
]


@pytest.mark.parametrize(("changes", "child_in_care", "expected"), CCC_CASES)
def test_ccc_rules(
    ccc: Framework, ccc_engine: Engine, changes: dict[str, str], child_in_care: bool, expected: str
) -> None:
    ratings = ccc_ratings(**changes)
    assert ccc_oracle(ratings, child_in_care) == expected
    assert ccc_engine.grade(ccc_facts(ccc, ratings, child_in_care)).grade == expected


def test_ccc_children_in_care_left_out_of_the_ratings_when_not_in_care(ccc: Framework) -> None:
    facts = ccc_facts(ccc, ccc_ratings(children_in_care="inadequate"), child_in_care=False)
    assert "children_in_care" not in facts.ratings
    facts = ccc_facts(ccc, ccc_ratings(children_in_care="inadequate"), child_in_care=True)
    assert facts.ratings["children_in_care"] == "inadequate"


# -- Rationale -----------------------------------------------------------------------------------

RATIONALE_CASES = [
    # (framework, changes, flag, grade, standards the rationale must name)
    pytest.param("cafcass", {}, False, "outstanding", CAFCASS_STANDARDS, id="cafcass-outstanding"),
    pytest.param(
        "cafcass",
        {"case_planning": "met"},
        False,
        "good",
        (*CAFCASS_IMPACT, "case_planning"),
        id="cafcass-good",
    ),
    pytest.param(
        "cafcass",
        {"child_seen": "met", "report_quality": "met"},
        False,
        "met",
        ("child_seen",),
        id="cafcass-met",
    ),
    pytest.param(
        "cafcass",
        {"child_seen": "met", "case_recording": "requires_improvement"},
        False,
        "requires_improvement",
        ("case_recording",),
        id="cafcass-ri-by-rating",
    ),
    pytest.param(
        "ccc",
        {"planning": "inadequate", "assessment": "requires_improvement"},
        False,
        "inadequate",
        ("planning",),
        id="ccc-inadequate",
    ),
    pytest.param(
        "ccc",
        {"planning": "requires_improvement", "management_oversight": "requires_improvement"},
        False,
        "requires_improvement",
        ("planning", "management_oversight"),
        id="ccc-ri",
    ),
    pytest.param(
        "ccc",
        {"children_in_care": "good"},
        True,
        "good",
        CCC_STANDARDS,
        id="ccc-good-in-care",
    ),
    pytest.param(
        "ccc",
        {"children_in_care": NOT_APPLICABLE},
        False,
        "outstanding",
        tuple(s for s in CCC_STANDARDS if s != "children_in_care"),
        id="ccc-outstanding-not-in-care",
    ),
]


@pytest.mark.parametrize(("which", "changes", "flag", "grade", "named"), RATIONALE_CASES)
def test_rationale_names_grade_and_deciding_standards(
    request: pytest.FixtureRequest,
    which: str,
    changes: dict[str, str],
    flag: bool,
    grade: str,
    named: tuple[str, ...],
) -> None:
    fw: Framework = request.getfixturevalue(which)
    engine = Engine(fw)
    if which == "cafcass":
        facts = Facts(cafcass_ratings(**changes), cafcass_data(flag))
    else:
        facts = ccc_facts(fw, ccc_ratings(**changes), flag)
    result = engine.grade(facts)
    assert result.grade == grade
    assert result.rationale[0].startswith(fw.grade_labels[grade] + ":")
    text = "\n".join(result.rationale)
    assert set(result.deciding_standards) == set(named)
    for standard in named:
        assert title(fw, standard) in text, standard
    # Standards that did not decide the grade are not named as if they did.
    for standard in set(fw.standards) - set(named):
        assert f"'{title(fw, standard)}'" not in text, standard
    assert result.deciding_facts == ()


def test_rationale_for_safeguarding_names_the_fact(cafcass: Framework, cafcass_engine: Engine) -> None:
    result = cafcass_engine.grade(Facts(cafcass_ratings(), cafcass_data(True)))
    assert result.grade == "requires_improvement"
    assert result.rationale[0].startswith("Requires improvement:")
    assert any(SAFEGUARDING_LABEL in line for line in result.rationale[1:])
    assert result.deciding_facts == (SAFEGUARDING_LABEL,)
    assert result.deciding_standards == ()


def test_rationale_for_safeguarding_and_rating_names_both(cafcass: Framework, cafcass_engine: Engine) -> None:
    facts = Facts(cafcass_ratings(impact_analysis="requires_improvement"), cafcass_data(True))
    result = cafcass_engine.grade(facts)
    text = "\n".join(result.rationale)
    assert SAFEGUARDING_LABEL in text
    assert title(cafcass, "impact_analysis") in text
    assert result.deciding_standards == ("impact_analysis",)
    assert result.deciding_facts == (SAFEGUARDING_LABEL,)


# -- Lift ----------------------------------------------------------------------------------------


def test_lift_cafcass_example_raises_case_planning(cafcass: Framework, cafcass_engine: Engine) -> None:
    result = cafcass_engine.grade(Facts(cafcass_ratings(case_planning="met"), cafcass_data(False)))
    assert result.grade == "good"
    lift = result.lift
    assert lift is not None
    assert lift.grade == "outstanding"
    assert lift.reachable
    assert lift.blocked_by == ()
    assert [(c.standard, c.from_rating, c.to_rating) for c in lift.changes] == [
        ("case_planning", "met", "good")
    ]
    assert lift.changes[0].title == cafcass.standards["case_planning"].title


@pytest.mark.parametrize(
    ("changes", "target", "expected"),
    [
        pytest.param(
            {"child_seen": "met", "child_experience": "met", "case_recording": "met"},
            "good",
            {"child_seen": ("met", "good"), "child_experience": ("met", "good")},
            id="met-to-good-raises-impact-only",
        ),
        pytest.param(
            {"child_seen": "requires_improvement", "case_recording": "requires_improvement"},
            "met",
            {
                "child_seen": ("requires_improvement", "met"),
                "case_recording": ("requires_improvement", "met"),
            },
            id="ri-to-met-raises-each-ri-one-step",
        ),
        pytest.param(
            dict.fromkeys(CAFCASS_COMPLIANCE, "met"),
            "outstanding",
            dict.fromkeys(CAFCASS_COMPLIANCE, ("met", "good")),
            id="good-to-outstanding-needs-four-changes",
        ),
    ],
)
def test_lift_cafcass_exact_changes(
    cafcass_engine: Engine, changes: dict[str, str], target: str, expected: dict[str, tuple[str, str]]
) -> None:
    result = cafcass_engine.grade(Facts(cafcass_ratings(**changes), cafcass_data(False)))
    assert result.lift is not None
    assert result.lift.grade == target
    assert result.lift.reachable
    assert lift_changes(result) == expected


@pytest.mark.parametrize(
    "changes",
    [{}, {"case_planning": "met"}, {"child_seen": "requires_improvement"}],
    ids=["good", "met", "ri"],
)
def test_lift_blocked_by_safeguarding(cafcass_engine: Engine, changes: dict[str, str]) -> None:
    result = cafcass_engine.grade(Facts(cafcass_ratings(**changes), cafcass_data(True)))
    assert result.grade == "requires_improvement"
    lift = result.lift
    assert lift is not None
    assert lift.grade == "met"
    assert not lift.reachable
    assert lift.changes == ()
    assert lift.blocked_by == (SAFEGUARDING_LABEL,)


def test_lift_ccc_example_raises_planning_and_oversight(ccc: Framework, ccc_engine: Engine) -> None:
    ratings = ccc_ratings(
        "good",
        planning="requires_improvement",
        management_oversight="requires_improvement",
        children_in_care=NOT_APPLICABLE,
    )
    result = ccc_engine.grade(ccc_facts(ccc, ratings, child_in_care=False))
    assert result.grade == "requires_improvement"
    assert result.lift is not None
    assert result.lift.grade == "good"
    assert result.lift.reachable
    assert lift_changes(result) == {
        "planning": ("requires_improvement", "good"),
        "management_oversight": ("requires_improvement", "good"),
    }


@pytest.mark.parametrize(
    ("changes", "child_in_care", "target", "expected"),
    [
        pytest.param(
            {"planning": "inadequate", "assessment": "inadequate", "case_recording": "requires_improvement"},
            False,
            "requires_improvement",
            {
                "planning": ("inadequate", "requires_improvement"),
                "assessment": ("inadequate", "requires_improvement"),
            },
            id="inadequate-to-ri-one-step-each",
        ),
        pytest.param(
            {"children_in_care": "good"},
            True,
            "outstanding",
            {"children_in_care": ("good", "outstanding")},
            id="good-in-care-to-outstanding",
        ),
        pytest.param(
            dict.fromkeys(CCC_STANDARDS[:5], "requires_improvement"),
            False,
            "good",
            dict.fromkeys(CCC_STANDARDS[:5], ("requires_improvement", "good")),
            id="five-ri-beyond-exact-search",
        ),
    ],
)
def test_lift_ccc_exact_changes(
    ccc: Framework,
    ccc_engine: Engine,
    changes: dict[str, str],
    child_in_care: bool,
    target: str,
    expected: dict[str, tuple[str, str]],
) -> None:
    result = ccc_engine.grade(ccc_facts(ccc, ccc_ratings(**changes), child_in_care))
    assert result.lift is not None
    assert result.lift.grade == target
    assert lift_changes(result) == expected


def test_lift_ccc_not_in_care_never_asks_to_raise_children_in_care(
    ccc: Framework, ccc_engine: Engine
) -> None:
    ratings = ccc_ratings("good", children_in_care="inadequate")
    result = ccc_engine.grade(ccc_facts(ccc, ratings, child_in_care=False))
    assert result.grade == "good"
    changes = lift_changes(result)
    assert changes is not None
    assert "children_in_care" not in changes
    assert set(changes) == set(CCC_STANDARDS) - {"children_in_care"}


def test_lift_none_for_the_best_grade(ccc: Framework, cafcass_engine: Engine, ccc_engine: Engine) -> None:
    assert cafcass_engine.grade(Facts(cafcass_ratings(), cafcass_data(False))).lift is None
    assert ccc_engine.grade(ccc_facts(ccc, ccc_ratings(), child_in_care=True)).lift is None
    not_in_care = ccc_ratings(children_in_care=NOT_APPLICABLE)
    assert ccc_engine.grade(ccc_facts(ccc, not_in_care, child_in_care=False)).lift is None


def test_without_lift_gives_none(cafcass_engine: Engine) -> None:
    result = cafcass_engine.grade(Facts(cafcass_ratings(case_planning="met"), {}), with_lift=False)
    assert result.grade == "good"
    assert result.lift is None


def test_recorded_grade_and_differs(cafcass_engine: Engine) -> None:
    facts = Facts(cafcass_ratings(case_planning="met"), {})
    assert not cafcass_engine.grade(facts, "good").differs
    assert cafcass_engine.grade(facts, "outstanding").differs
    assert not cafcass_engine.grade(facts, None).differs


# -- A framework with counted rules --------------------------------------------------------------

COUNTS_YAML = """\
format: 1
id: counts-test
version: "1"
title: A service reading that counts compliance standards
grades:
  key: overall_grade
  good_or_better: good
  scale:
    - {id: outstanding, label: Outstanding}
    - {id: good, label: Good}
    - {id: met, label: Met}
    - {id: requires_improvement, label: Requires improvement}
ratings:
  - {id: good, label: Good}
  - {id: met, label: Met}
  - {id: requires_improvement, label: Requires improvement}
groups:
  - id: impact
    title: Impact outcomes
    standards:
      - {id: seen, title: Child seen}
      - {id: heard, title: Child heard}
  - id: compliance
    title: Compliance outcomes
    standards:
      - {id: recording, title: Case recording}
      - {id: planning, title: Case planning}
      - {id: tools, title: Tools uploaded.}
      - {id: report, title: Report quality}
      - {id: review, title: Case review}
thresholds:
  - grade: requires_improvement
    summary: Any standard requires improvement
    when: {standards: all, rated: requires_improvement, count: any}
  - grade: met
    summary: An impact standard is met, or three or more compliance standards are met
    when:
      any_of:
        - {standards: [impact], rated: met, count: any}
        - {standards: [compliance], rated: met, at_least: 3}
  - grade: outstanding
    summary: Every standard is good
    when: {standards: all, rated: good, count: all}
  - grade: good
    summary: Impact all good, at most two compliance standards met
    when:
      all_of:
        - {standards: [impact], rated: good, count: all}
        - {standards: [compliance], rated: met, at_most: 2}
"""
COUNT_IMPACT = ("seen", "heard")
COUNT_COMPLIANCE = ("recording", "planning", "tools", "report", "review")


def counts_oracle(ratings: Mapping[str, str]) -> str:
    """Good allows at most two compliance standards met; three or more met is met."""
    values = list(ratings.values())
    if "requires_improvement" in values:
        return "requires_improvement"
    met_compliance = sum(ratings[s] == "met" for s in COUNT_COMPLIANCE)
    if any(ratings[s] == "met" for s in COUNT_IMPACT) or met_compliance >= 3:
        return "met"
    if met_compliance == 0:
        return "outstanding"
    return "good"


def load_framework(tmp_path: Path, text: str, name: str = "counts.yaml") -> Framework:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    framework, diagnostics = check_file(path)
    assert diagnostics == [], [d.to_dict() for d in diagnostics]
    assert framework is not None
    return framework


@pytest.fixture
def counts(tmp_path: Path) -> Framework:
    return load_framework(tmp_path, COUNTS_YAML)


def test_counted_rules_every_combination(counts: Framework) -> None:
    engine = Engine(counts)
    standards = COUNT_IMPACT + COUNT_COMPLIANCE
    assert tuple(counts.standards) == standards
    for combo in itertools.product(("good", "met", "requires_improvement"), repeat=len(standards)):
        ratings = dict(zip(standards, combo, strict=True))
        result = engine.grade(Facts(ratings, {}))
        expected = counts_oracle(ratings)
        if result.grade != expected:
            pytest.fail(f"first mismatch: {ratings}: engine {result.grade!r}, expected {expected!r}")


@pytest.mark.parametrize(
    ("met", "grade", "lift"),
    [
        pytest.param((), "outstanding", None, id="none-met-outstanding"),
        pytest.param(("planning",), "good", {"planning": ("met", "good")}, id="one-met-good"),
        pytest.param(
            ("planning", "tools"),
            "good",
            {"planning": ("met", "good"), "tools": ("met", "good")},
            id="two-met-good",
        ),
        pytest.param(("planning", "tools", "report"), "met", 1, id="three-met-is-met"),
        pytest.param(("recording", "planning", "tools", "report"), "met", 2, id="four-met-is-met"),
        pytest.param(COUNT_COMPLIANCE, "met", 3, id="five-met-is-met"),
    ],
)
def test_counted_rules_grade_and_lift(
    counts: Framework, met: tuple[str, ...], grade: str, lift: dict[str, tuple[str, str]] | int | None
) -> None:
    engine = Engine(counts)
    ratings = {s: "met" if s in met else "good" for s in counts.standards}
    result = engine.grade(Facts(ratings, {}))
    assert result.grade == grade
    assert result.rationale[0].startswith(counts.grade_labels[grade] + ":")
    text = "\n".join(result.rationale)
    for standard in result.deciding_standards:
        assert title(counts, standard) in text
    changes = lift_changes(result)
    if isinstance(lift, int):
        # From n met to good: any n - 2 of them, each met -> good.
        assert changes is not None
        assert len(changes) == lift
        assert set(changes) <= set(met)
        assert set(changes.values()) == {("met", "good")}
    else:
        assert changes == lift
    if grade == "met":
        # Every compliance standard rated met is named as deciding.
        assert set(result.deciding_standards) == set(met)


AT_MOST_ZERO_YAML = COUNTS_YAML.replace(
    "    when: {standards: all, rated: good, count: all}",
    "    when: {standards: all, rated_in: [met, requires_improvement], at_most: 0}",
)


def test_at_most_zero_grades_like_count_all(tmp_path: Path) -> None:
    framework = load_framework(tmp_path, AT_MOST_ZERO_YAML, "at-most-zero.yaml")
    engine = Engine(framework)
    standards = list(framework.standards)
    for combo in itertools.product(("good", "met", "requires_improvement"), repeat=len(standards)):
        ratings = dict(zip(standards, combo, strict=True))
        assert engine.grade(Facts(ratings, {})).grade == counts_oracle(ratings), ratings


def test_at_most_zero_rationale_names_the_standards(tmp_path: Path) -> None:
    framework = load_framework(tmp_path, AT_MOST_ZERO_YAML, "at-most-zero.yaml")
    result = Engine(framework).grade(Facts(dict.fromkeys(framework.standards, "good"), {}))
    assert result.grade == "outstanding"
    assert all(line.strip(" .") for line in result.rationale), result.rationale
    assert result.deciding_standards
    text = "\n".join(result.rationale)
    for standard in framework.standards:
        assert title(framework, standard) in text
