"""The threshold engine's conditions, rationale wording and lift, on small frameworks made for them.

The frameworks are in tests/data/engine/standards/, each with a comment saying what it is for;
the conditions and what each must give are in tests/data/engine/cases/conditions.yaml. The
expected values are written from the rule language as documented (docs/standards-format.md), not
read back from the engine: `rated_at_most: X` matches X and every worse rating, `not:` holds when
its condition does not, a lift is the smallest set of changes, and so on.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, TODAY
from qaimpact.frameworks.check import check_file
from qaimpact.grading.engine import (
    Change,
    Engine,
    Facts,
    GradeResult,
    Lift,
    NoRuleMatched,
    applicable_ratings,
)
from qaimpact.models.standard import NOT_APPLICABLE, Framework, StandardsFile, ThresholdRule

ENGINE = DATA / "engine"
STANDARDS = ENGINE / "standards"
CASES = yaml.safe_load((ENGINE / "cases" / "conditions.yaml").read_text(encoding="utf-8"))
MINI = DATA / "standards" / "valid" / "mini.yaml"

#: The default audit of the condition cases: each rating held by exactly one standard.
DEFAULT_RATINGS = {"risk": "excellent", "visits": "strong", "plan": "adequate", "care": "weak"}


def load(path: Path) -> Framework:
    framework, diagnostics = check_file(path)
    assert diagnostics == [], [d.to_dict() for d in diagnostics]
    assert framework is not None
    return framework


def load_text(tmp_path: Path, text: str, name: str) -> Framework:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load(path)


def with_rules(framework: Framework, *rules: dict[str, Any]) -> Framework:
    """The framework with its threshold rules replaced."""
    thresholds = [ThresholdRule.model_validate(r) for r in rules]
    spec = framework.spec.model_copy(update={"thresholds": thresholds})
    return Framework(spec, framework.source)


def audit_data(framework: Framework, ratings: Mapping[str, str], case: Mapping[str, Any]) -> dict[str, Any]:
    """Audit data as the checker holds it after validation: each group's entries and the case."""
    data: dict[str, Any] = {"case": dict(case)}
    for group in framework.spec.groups:
        data[group.id] = {s.id: {"rating": ratings[s.id]} for s in group.standards if s.id in ratings}
    return data


def facts_of(framework: Framework, ratings: Mapping[str, str], **case: Any) -> Facts:
    data = audit_data(framework, ratings, case)
    return Facts(applicable_ratings(framework, data), data)


def as_sentence(line: str) -> str:
    """How the rationale quotes a reason: as a sentence, with a full stop."""
    return line if line.endswith(".") else line + "."


def changes_of(lift: Lift | None) -> list[tuple[str, str, str, tuple[str, ...]]]:
    assert lift is not None
    return [(c.standard, c.from_rating, c.to_rating, c.requires) for c in lift.changes]


@pytest.fixture(scope="module")
def scale() -> Framework:
    return load(STANDARDS / "scale.yaml")


@pytest.fixture(scope="module")
def not_rules() -> Framework:
    return load(STANDARDS / "not-rules.yaml")


@pytest.fixture(scope="module")
def lift_fw() -> Framework:
    return load(STANDARDS / "lift.yaml")


# -- Conditions, one case at a time ----------------------------------------------------------------


def condition_case_ids() -> list[str]:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return ids


CONDITION_CASES = [pytest.param(case, id=case["id"]) for case in CASES]


def case_facts(scale: Framework, case: dict[str, Any]) -> Facts:
    ratings = {**DEFAULT_RATINGS, **case.get("ratings", {})}
    # Not in care, `care` keeps its rating: applicability, not the rating, leaves it out.
    return facts_of(scale, ratings, in_care=case.get("in_care", True))


@pytest.mark.parametrize("case", CONDITION_CASES)
def test_condition_holds_and_explains_itself(scale: Framework, case: dict[str, Any]) -> None:
    rule = ThresholdRule.model_validate({"grade": "good", "when": case["when"]})
    assert rule.when is not None
    holds, lines = Engine(scale).explain(rule.when, case_facts(scale, case))
    assert (holds, list(lines)) == (case["holds"], case.get("lines", []))


@pytest.mark.parametrize("case", CONDITION_CASES)
def test_condition_as_a_threshold_rule(scale: Framework, case: dict[str, Any]) -> None:
    """As the first of two rules: it decides the grade, and the rationale quotes its reasons."""
    rules = ({"grade": "good", "when": case["when"]}, {"grade": "fair", "otherwise": True})
    framework = with_rules(scale, *rules)
    result = Engine(framework).grade(case_facts(scale, case), with_lift=False)
    if case["holds"]:
        assert result.grade == "good"
        assert result.rule_index == 0
        assert result.rationale == (
            "Good: threshold rule 1 holds.",
            *(as_sentence(line) for line in case.get("lines", [])),
        )
        assert result.deciding_standards == tuple(case.get("standards", []))
        assert result.deciding_facts == tuple(case.get("facts", []))
    else:
        assert (result.grade, result.rule_index) == ("fair", 1)
        assert result.rationale == ("Fair: no earlier threshold rule holds.",)
        assert (result.deciding_standards, result.deciding_facts) == ((), ())


def test_condition_cases_are_unique_and_cover_every_kind() -> None:
    assert condition_case_ids()
    text = json.dumps([case["when"] for case in CASES])
    for key in ("rated", "rated_at_least", "rated_at_most", "rated_in", "count", "at_least", "at_most"):
        assert f'"{key}"' in text, key
    for key in ("field", "label", "not", "all_of", "any_of"):
        assert f'"{key}"' in text, key


# -- rated_at_most in threshold rules: every audit of the mini framework ---------------------------


def mini_oracle(ratings: Mapping[str, str]) -> str:
    """mini.yaml: poor with two or more weak; good with none weak and at most one below strong."""
    values = list(ratings.values())
    if values.count("weak") >= 2:
        return "poor"
    if "weak" not in values and sum(r != "strong" for r in values) <= 1:
        return "good"
    return "fair"


def test_rated_at_most_rule_every_combination() -> None:
    mini = load(MINI)
    engine = Engine(mini)
    standards = list(mini.standards)
    for combo in itertools.product(mini.rating_rank, repeat=len(standards)):
        ratings = dict(zip(standards, combo, strict=True))
        assert engine.grade_of(Facts(ratings)) == mini_oracle(ratings), ratings


@pytest.mark.parametrize(
    ("ratings", "grade", "rationale"),
    [
        pytest.param(
            {"risk": "strong", "visits": "adequate", "plan": "strong", "records": "strong"},
            "good",
            (
                "Good: No standard is weak and at most one is below strong.",
                "None of the applicable standards is rated weak: 'Risk is assessed', 'The child is "
                "visited', 'The plan is clear' and 'Records are up to date'.",
                "Only 1 of the applicable standards (at most 1) is rated adequate or worse: 'The child "
                "is visited' is rated adequate.",
            ),
            id="one-adequate-is-good",
        ),
        pytest.param(
            {"risk": "adequate", "visits": "adequate", "plan": "strong", "records": "strong"},
            "fair",
            ("Fair: no earlier threshold rule holds. Anything else.",),
            id="two-adequate-is-fair",
        ),
        pytest.param(
            {"risk": "weak", "visits": "strong", "plan": "weak", "records": "adequate"},
            "poor",
            (
                "Poor: Two or more standards are rated weak.",
                "'Risk is assessed' is rated weak and 'The plan is clear' is rated weak.",
            ),
            id="two-weak-is-poor",
        ),
    ],
)
def test_rated_at_most_rule_rationale(
    ratings: dict[str, str], grade: str, rationale: tuple[str, ...]
) -> None:
    result = Engine(load(MINI)).grade(Facts(ratings))
    assert (result.grade, result.rationale) == (grade, rationale)


# -- not: in threshold rules -----------------------------------------------------------------------


def not_oracle(ratings: Mapping[str, str], reviewed: bool) -> str:
    """not-rules.yaml, from its comment."""
    values = list(ratings.values())
    if not reviewed:
        return "poor"
    if "weak" not in values and any(r != "adequate" for r in values):
        return "good"
    return "fair"


@pytest.mark.parametrize("reviewed", [True, False], ids=["reviewed", "not-reviewed"])
def test_not_rules_every_combination(not_rules: Framework, reviewed: bool) -> None:
    engine = Engine(not_rules)
    standards = list(not_rules.standards)
    for combo in itertools.product(not_rules.rating_rank, repeat=len(standards)):
        ratings = dict(zip(standards, combo, strict=True))
        result = engine.grade(facts_of(not_rules, ratings, reviewed=reviewed))
        assert result.grade == not_oracle(ratings, reviewed), (ratings, reviewed)


NOT_GRADES = [
    pytest.param(
        {"risk": "strong", "plan": "strong", "records": "strong"},
        False,
        "poor",
        (
            "Poor: The case has not been reviewed by a manager.",
            "it is not the case that the opposite rule holds.",
        ),
        Lift("fair", (), ("the threshold rules give no better grade",)),
        id="not-reviewed-is-poor-and-blocked",
    ),
    pytest.param(
        {"risk": "strong", "plan": "adequate", "records": "adequate"},
        True,
        "good",
        (
            "Good: No standard is weak, and not every standard is merely adequate.",
            "None of the applicable standards is rated weak: 'Risk is assessed', 'The plan is clear' "
            "and 'Records are kept on form X'.",
            "it is not the case that the opposite rule holds.",
        ),
        None,
        id="one-strong-is-good",
    ),
    pytest.param(
        {"risk": "adequate", "plan": "adequate", "records": "adequate"},
        True,
        "fair",
        ("Fair: no earlier threshold rule holds. Anything else.",),
        Lift("good", (Change("risk", "Risk is assessed", "adequate", "strong"),)),
        id="all-adequate-is-fair",
    ),
    pytest.param(
        {"risk": "weak", "plan": "adequate", "records": "adequate"},
        True,
        "fair",
        ("Fair: no earlier threshold rule holds. Anything else.",),
        Lift("good", (Change("risk", "Risk is assessed", "weak", "strong"),)),
        id="weak-and-adequate-is-fair",
    ),
    pytest.param(
        {"risk": "weak", "plan": "weak", "records": "strong"},
        True,
        "fair",
        ("Fair: no earlier threshold rule holds. Anything else.",),
        Lift(
            "good",
            (
                Change("risk", "Risk is assessed", "weak", "adequate"),
                Change("plan", "The plan is clear", "weak", "adequate"),
            ),
        ),
        id="two-weak-rise-to-adequate",
    ),
]


@pytest.mark.parametrize(("ratings", "reviewed", "grade", "rationale", "lift"), NOT_GRADES)
def test_not_rules_grade_rationale_and_lift(
    not_rules: Framework,
    ratings: dict[str, str],
    reviewed: bool,
    grade: str,
    rationale: tuple[str, ...],
    lift: Lift | None,
) -> None:
    result = Engine(not_rules).grade(facts_of(not_rules, ratings, reviewed=reviewed))
    assert (result.grade, result.rationale, result.lift) == (grade, rationale, lift)


# -- Rationale wording -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "head"),
    [
        pytest.param(None, "Good: threshold rule 2 holds.", id="no-summary"),
        pytest.param("All is well", "Good: All is well.", id="full-stop-added"),
        pytest.param("All is   well\n  today.", "Good: All is well today.", id="spaces-collapsed"),
        pytest.param("Is all well?", "Good: Is all well?", id="question"),
        pytest.param("All is well!", "Good: All is well!", id="exclamation"),
        pytest.param('Rated "good."', 'Good: Rated "good."', id="stop-inside-quotes"),
        pytest.param("(All is well.)", "Good: (All is well.)", id="stop-inside-brackets"),
        pytest.param("All is 'well'", "Good: All is 'well'.", id="quote-without-stop"),
        pytest.param("As in section 4.X)", "Good: As in section 4.X).", id="bracket-after-a-letter"),
    ],
)
def test_rationale_head_quotes_the_rule(scale: Framework, summary: str | None, head: str) -> None:
    framework = with_rules(
        scale,
        {"grade": "poor", "when": {"standards": "all", "rated": "weak", "at_least": 2}},
        {"grade": "good", "summary": summary, "when": {"field": "case.in_care", "equals": True}},
        {"grade": "fair", "otherwise": True},
    )
    result = Engine(framework).grade(facts_of(scale, DEFAULT_RATINGS, in_care=True), with_lift=False)
    assert result.rationale == (head, "case.in_care is true.")
    assert result.rule_index == 1


@pytest.mark.parametrize(
    ("summary", "head"),
    [
        pytest.param(None, "Fair: no earlier threshold rule holds.", id="no-summary"),
        pytest.param("Anything else", "Fair: no earlier threshold rule holds. Anything else.", id="summary"),
    ],
)
def test_rationale_of_the_last_rule(scale: Framework, summary: str | None, head: str) -> None:
    framework = with_rules(
        scale,
        {"grade": "good", "when": {"field": "case.in_care", "equals": False}},
        {"grade": "fair", "summary": summary, "otherwise": True},
    )
    result = Engine(framework).grade(facts_of(scale, DEFAULT_RATINGS, in_care=True), with_lift=False)
    assert (result.grade, result.rule_index, result.rationale) == ("fair", 1, (head,))


# -- Lift -------------------------------------------------------------------------------------------


def lift_ratings(default: str, **changes: str) -> dict[str, str]:
    return {s: changes.get(s, default) for s in "abcdefgh"}


def test_smallest_lift_of_three_changes(lift_fw: Framework) -> None:
    """From poor, raising a, b and c is enough; the four of the second group are not the smallest."""
    result = Engine(lift_fw).grade(facts_of(lift_fw, lift_ratings("weak"), reference="R"))
    assert result.grade == "poor"
    assert result.lift == Lift(
        "fair",
        (
            Change("a", "The child is seen", "weak", "adequate"),
            Change("b", "Standard b", "weak", "adequate"),
            Change("c", "Standard c", "weak", "adequate"),
        ),
    )


def test_no_smaller_lift_than_three_changes_exists(lift_fw: Framework) -> None:
    """The oracle: no one or two changes reach fair, even raised to strong."""
    engine = Engine(lift_fw)
    facts = facts_of(lift_fw, lift_ratings("weak"), reference="R")
    for size in (1, 2):
        for subset in itertools.combinations("abcdefgh", size):
            assert engine.grade_of(facts.with_ratings(dict.fromkeys(subset, "strong"))) == "poor", subset


def test_lift_beyond_three_changes_is_still_the_smallest(lift_fw: Framework) -> None:
    """The search tries sets of every size, smallest first and in file order, within its budget:
    four changes are found as surely as three, and said to be the smallest.

    (Both groups of four are smallest lifts here; the first in file order is kept.)"""
    result = Engine(lift_fw).grade(facts_of(lift_fw, lift_ratings("adequate"), reference="R"))
    assert result.grade == "fair"
    assert result.lift is not None
    assert result.lift.smallest
    assert changes_of(result.lift) == [(s, "adequate", "strong", ()) for s in "abcd"]


def test_lift_raises_only_as_far_as_needed(lift_fw: Framework) -> None:
    ratings = lift_ratings("adequate", a="strong", b="strong", c="strong", d="weak")
    result = Engine(lift_fw).grade(facts_of(lift_fw, ratings, reference="R"))
    assert result.grade == "fair"
    assert changes_of(result.lift) == [("d", "weak", "strong", ())]


def test_no_lift_from_the_best_grade(lift_fw: Framework) -> None:
    result = Engine(lift_fw).grade(facts_of(lift_fw, lift_ratings("strong", e="weak"), reference="R"))
    assert (result.grade, result.lift) == ("good", None)


def seen_data(lift_fw: Framework, ratings: Mapping[str, str], **entry: Any) -> Facts:
    data = audit_data(lift_fw, ratings, {"reference": "R"})
    data["first"]["a"].update(entry)
    return Facts(applicable_ratings(lift_fw, data), data)


@pytest.mark.parametrize(
    ("ratings", "entry", "expected"),
    [
        pytest.param(
            lift_ratings("weak"),
            {"seen": False},
            [
                ("a", "weak", "adequate", ("record the reason the child was not seen",)),
                ("b", "weak", "adequate", ()),
                ("c", "weak", "adequate", ()),
            ],
            id="not-seen-no-reason-to-adequate",
        ),
        pytest.param(
            lift_ratings("weak"),
            {"seen": False, "reason": "In hospital"},
            [("a", "weak", "adequate", ()), ("b", "weak", "adequate", ()), ("c", "weak", "adequate", ())],
            id="not-seen-with-reason-to-adequate",
        ),
        pytest.param(
            lift_ratings("weak"),
            {"seen": True},
            [("a", "weak", "adequate", ()), ("b", "weak", "adequate", ()), ("c", "weak", "adequate", ())],
            id="seen-to-adequate",
        ),
        pytest.param(
            lift_ratings("strong", a="weak", b="weak", e="adequate"),
            {"seen": False},
            [("e", "adequate", "strong", ())],
            id="not-seen-but-not-raised",
        ),
        pytest.param(
            lift_ratings("strong", a="weak", e="adequate"),
            {"seen": False, "reason": ""},
            [("a", "weak", "strong", ("record the reason the child was not seen", "see the child"))],
            id="not-seen-blank-reason-to-strong",
        ),
        pytest.param(
            lift_ratings("strong", a="weak", e="adequate"),
            {"seen": False, "reason": "In hospital"},
            [("a", "weak", "strong", ("see the child",))],
            id="not-seen-with-reason-to-strong",
        ),
        pytest.param(
            lift_ratings("strong", a="weak", e="adequate"),
            {"seen": True},
            [("a", "weak", "strong", ())],
            id="seen-to-strong",
        ),
    ],
)
def test_lift_says_what_must_change_on_the_file_first(
    lift_fw: Framework, ratings: dict[str, str], entry: dict[str, Any], expected: list[tuple[Any, ...]]
) -> None:
    result = Engine(lift_fw).grade(seen_data(lift_fw, ratings, **entry))
    assert changes_of(result.lift) == expected


def test_lift_without_the_audit_data_has_no_requirements(lift_fw: Framework) -> None:
    lift = Engine(lift_fw).lift(Facts(lift_ratings("weak")), "poor")
    assert changes_of(lift) == [(s, "weak", "adequate", ()) for s in "abc"]


def test_cli_shows_what_must_change_first(cli: Callable[..., Any]) -> None:
    audit = ENGINE / "audits" / "lift-not-seen.yaml"
    args = ("grade", audit, "--standards", STANDARDS / "lift.yaml", "--today", TODAY.isoformat())
    (graded,) = json.loads(cli(*args, "--format", "json").stdout)
    assert graded["to_next_grade"] == {
        "grade": "fair",
        "reachable": True,
        "changes": [
            {
                "standard": "a",
                "title": "The child is seen",
                "from": "weak",
                "to": "adequate",
                "requires": ["record the reason the child was not seen"],
            },
            {"standard": "b", "title": "Standard b", "from": "weak", "to": "adequate", "requires": []},
            {"standard": "c", "title": "Standard c", "from": "weak", "to": "adequate", "requires": []},
        ],
        "blocked_by": [],
        "smallest": True,
    }
    text = " ".join(cli(*args).stdout.replace("│", " ").split())
    assert (
        "To reach Fair: - raise a ('The child is seen') from weak to adequate (first: record the reason "
        "the child was not seen) - raise b ('Standard b') from weak to adequate - raise c ('Standard c') "
        "from weak to adequate"
    ) in text


GAP = "  - grade: poor\n    otherwise: true\n"


def test_a_combination_no_rule_grades_is_not_a_lift(tmp_path: Path) -> None:
    """Without the last rule, raising fewer than a, b and c leaves the audit ungraded, not lifted."""
    text = (STANDARDS / "lift.yaml").read_text(encoding="utf-8")
    assert GAP in text
    # standards check refuses a framework with a gap (QA503): built without it, as an older
    # framework or one with too many kinds of audit to decide would be.
    spec = StandardsFile.model_validate(yaml.safe_load(text.replace(GAP, "")))
    framework = Framework(spec, str(tmp_path / "lift-gap.yaml"))
    engine = Engine(framework)
    facts = Facts(lift_ratings("weak"))
    with pytest.raises(NoRuleMatched):
        engine.grade(facts)
    assert changes_of(engine.lift(facts, "poor")) == [(s, "weak", "adequate", ()) for s in "abc"]


def test_no_lift_when_even_the_best_ratings_match_no_rule(scale: Framework) -> None:
    framework = with_rules(
        scale,
        {"grade": "poor", "when": {"standards": "all", "rated": "weak", "count": "any"}},
        {"grade": "fair", "when": {"standards": "all", "rated": "adequate", "count": "any"}},
    )
    lift = Engine(framework).lift(facts_of(scale, DEFAULT_RATINGS, in_care=True), "poor")
    assert lift == Lift("fair", (), ("the threshold rules give no better grade",))
    assert not lift.reachable


def test_lift_blocked_by_a_fact_names_it(scale: Framework) -> None:
    framework = with_rules(
        scale,
        {"grade": "poor", "when": {"field": "case.in_care", "equals": True, "label": "The child is in care"}},
        {"grade": "good", "otherwise": True},
    )
    result = Engine(framework).grade(facts_of(scale, DEFAULT_RATINGS, in_care=True))
    assert result.lift == Lift("fair", (), ("The child is in care",))
    assert result.deciding_facts == ("The child is in care",)


def test_lift_blocked_by_a_fact_after_a_rating_rule(scale: Framework) -> None:
    """The blocking fact is found with every rating raised, so the rating rule before it passes."""
    framework = with_rules(
        scale,
        {"grade": "poor", "when": {"standards": "all", "rated_at_most": "adequate", "count": "any"}},
        {"grade": "poor", "when": {"field": "case.in_care", "equals": True, "label": "The child is in care"}},
        {"grade": "good", "otherwise": True},
    )
    result = Engine(framework).grade(facts_of(scale, DEFAULT_RATINGS, in_care=True))
    assert (result.grade, result.rule_index) == ("poor", 0)
    assert result.lift == Lift("fair", (), ("The child is in care",))


def test_lift_raises_to_the_lowest_rating_that_is_enough(scale: Framework) -> None:
    """From weak, strong is enough: not adequate (too low), nor excellent (higher than needed)."""
    framework = with_rules(
        scale,
        {"grade": "good", "when": {"standards": "all", "rated_at_least": "strong", "count": "all"}},
        {"grade": "fair", "otherwise": True},
    )
    ratings = {"risk": "excellent", "visits": "strong", "plan": "weak", "care": "adequate"}
    lift = Engine(framework).lift(facts_of(scale, ratings, in_care=True), "fair")
    assert changes_of(lift) == [("plan", "weak", "strong", ()), ("care", "adequate", "strong", ())]


def test_no_lift_needs_no_rating_change_of_a_top_rating(scale: Framework) -> None:
    """Standards already at the top rating are never in a lift."""
    framework = with_rules(
        scale,
        {"grade": "good", "when": {"standards": "all", "rated": "excellent", "count": "all"}},
        {"grade": "fair", "otherwise": True},
    )
    ratings = {"risk": "excellent", "visits": "excellent", "plan": "adequate", "care": "excellent"}
    lift = Engine(framework).lift(facts_of(scale, ratings, in_care=True), "fair")
    assert changes_of(lift) == [("plan", "adequate", "excellent", ())]


# -- Facts, results and applicability ----------------------------------------------------------


def test_with_ratings_changes_only_the_named_ratings() -> None:
    facts = Facts({"a": "weak", "b": "weak"}, {"case": {}})
    changed = facts.with_ratings({"b": "strong"})
    assert changed == Facts({"a": "weak", "b": "strong"}, {"case": {}})
    assert facts.ratings == {"a": "weak", "b": "weak"}
    assert Facts({}).data == {}


@pytest.mark.parametrize(
    ("entries", "in_care", "expected"),
    [
        pytest.param(
            {"risk": "strong", "visits": "weak", "plan": "adequate", "care": "weak"},
            True,
            {"risk": "strong", "visits": "weak", "plan": "adequate", "care": "weak"},
            id="in-care-every-standard",
        ),
        pytest.param(
            {"risk": "strong", "visits": "weak", "plan": "adequate", "care": "weak"},
            False,
            {"risk": "strong", "visits": "weak", "plan": "adequate"},
            id="not-in-care-rating-left-out",
        ),
        pytest.param(
            {"risk": "strong", "visits": NOT_APPLICABLE, "plan": None},
            True,
            {"risk": "strong"},
            id="not-applicable-and-unrated-left-out",
        ),
    ],
)
def test_applicable_ratings(
    scale: Framework, entries: dict[str, str | None], in_care: bool, expected: dict[str, str]
) -> None:
    data = audit_data(scale, entries, {"in_care": in_care})  # type: ignore[arg-type]
    assert applicable_ratings(scale, data) == expected


def test_applicable_ratings_of_missing_groups_and_entries(scale: Framework) -> None:
    assert applicable_ratings(scale, {"case": {"in_care": True}}) == {}
    data = {"case": {"in_care": True}, "safety": None, "quality": {"plan": None}}
    assert applicable_ratings(scale, data) == {}


def test_no_rule_matched_is_raised_not_guessed(scale: Framework) -> None:
    framework = with_rules(scale, {"grade": "good", "when": {"field": "case.in_care", "equals": False}})
    engine = Engine(framework)
    with pytest.raises(NoRuleMatched):
        engine.grade(facts_of(scale, DEFAULT_RATINGS, in_care=True))
    assert engine.grade_of(facts_of(scale, DEFAULT_RATINGS, in_care=False)) == "good"


def test_result_records_the_rule_and_the_recorded_grade(scale: Framework) -> None:
    framework = with_rules(
        scale,
        {"grade": "poor", "when": {"field": "case.in_care", "equals": False}},
        {"grade": "good", "when": {"standards": "all", "rated": "excellent", "count": "any"}},
        {"grade": "fair", "otherwise": True},
    )
    result: GradeResult = Engine(framework).grade(
        facts_of(scale, DEFAULT_RATINGS, in_care=True), "fair", with_lift=False
    )
    assert (result.grade, result.rule_index, result.recorded, result.lift) == ("good", 1, "fair", None)
    assert result.differs
