"""Properties of the threshold engine, over random audits of each bundled framework.

Each example is a rating for every standard of the framework, plus the flag that changes the
grade outside the ratings: immediate safeguarding actions for Cafcass, whether the child is in
care for the council framework (which decides whether ``children_in_care`` applies). The facts
are built the way the checker builds them, with :func:`applicable_ratings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.grading.engine import Engine, Facts, GradeResult, applicable_ratings
from qaimpact.models.standard import Framework

_REGISTRY = Registry([bundled_dir()])
FRAMEWORKS: dict[str, Framework] = {}
for _ident in ("cafcass-qiam-2017", "ccc-practice-standards"):
    _fw = _REGISTRY.get(_ident)
    assert _fw is not None, _ident
    FRAMEWORKS[_ident] = _fw
ENGINES = {ident: Engine(fw) for ident, fw in FRAMEWORKS.items()}


@dataclass(frozen=True)
class Case:
    """One random audit: its framework, every standard's rating and the flag."""

    framework: str
    ratings: dict[str, str]
    flag: bool

    @property
    def fw(self) -> Framework:
        return FRAMEWORKS[self.framework]

    @property
    def engine(self) -> Engine:
        return ENGINES[self.framework]

    def data(self, ratings: dict[str, str] | None = None) -> dict[str, Any]:
        """The audit data, as the checker would see it after validation."""
        ratings = self.ratings if ratings is None else ratings
        data: dict[str, Any] = {
            g.id: {s.id: {"rating": ratings[s.id]} for s in g.standards} for g in self.fw.spec.groups
        }
        if self.framework == "cafcass-qiam-2017":
            data["immediate_safeguarding_actions"] = {"required": self.flag}
        else:
            data["case"] = {"child_in_care": self.flag}
        return data

    def facts(self) -> Facts:
        data = self.data()
        return Facts(applicable_ratings(self.fw, data), data)


def cases(ident: str) -> st.SearchStrategy[Case]:
    """Random audits of one framework, spread over every grade.

    Uniform ratings would almost always give the worst grade, so half the audits are rated no
    worse than a random floor for each group, and half are rated at one of the two best ratings with a few
    standards changed to anything.
    """
    fw = FRAMEWORKS[ident]
    ratings = [r.id for r in fw.spec.ratings]
    standards = list(fw.standards)

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        if draw(st.booleans()):
            chosen = {}
            for group in fw.spec.groups:
                floor = draw(st.integers(0, len(ratings) - 1))
                allowed = st.sampled_from(ratings[: floor + 1])
                chosen.update({s.id: draw(allowed) for s in group.standards})
        else:
            base = draw(st.sampled_from(ratings[:2]))
            changed = draw(st.dictionaries(st.sampled_from(standards), st.sampled_from(ratings), max_size=3))
            chosen = {s: changed.get(s, base) for s in standards}
        # Safeguarding decides the grade on its own, so it is drawn one time in four.
        flag = draw(st.booleans()) if ident != "cafcass-qiam-2017" else draw(st.integers(0, 3)) == 0
        return Case(ident, chosen, flag)

    return build()


CASES = {ident: cases(ident) for ident in FRAMEWORKS}
PROPERTY = settings(max_examples=300, deadline=None)
BY_FRAMEWORK = pytest.mark.parametrize("ident", sorted(FRAMEWORKS))


def rank(fw: Framework, grade: str) -> int:
    return fw.grade_rank[grade]


def better_rating(fw: Framework, rating: str) -> str | None:
    """The rating one step better, or None for the best."""
    scale = [r.id for r in fw.spec.ratings]
    position = scale.index(rating)
    return scale[position - 1] if position else None


def grade_with(engine: Engine, facts: Facts, changes: dict[str, str]) -> str:
    return engine.grade_of(facts.with_ratings(changes))


# -- Monotonicity --------------------------------------------------------------------------------


@BY_FRAMEWORK
@PROPERTY
@given(data=st.data())
def test_raising_one_rating_never_lowers_the_grade(ident: str, data: st.DataObject) -> None:
    case = data.draw(CASES[ident])
    fw, engine, facts = case.fw, case.engine, case.facts()
    before = rank(fw, engine.grade_of(facts))
    for standard, rating in facts.ratings.items():
        raised = better_rating(fw, rating)
        if raised is None:
            continue
        after = rank(fw, grade_with(engine, facts, {standard: raised}))
        assert after <= before, (
            f"raising {standard} from {rating} to {raised} lowers the grade "
            f"from {engine.grade_of(facts)} to {grade_with(engine, facts, {standard: raised})}"
        )


# -- Rationale -----------------------------------------------------------------------------------


@BY_FRAMEWORK
@PROPERTY
@given(data=st.data())
def test_rationale_names_the_grade_and_what_decided_it(ident: str, data: st.DataObject) -> None:
    case = data.draw(CASES[ident])
    fw = case.fw
    result = case.engine.grade(case.facts())
    assert result.rationale[0].startswith(fw.grade_labels[result.grade] + ":")
    assert all(line.strip(" .") for line in result.rationale), result.rationale
    text = "\n".join(result.rationale)
    for standard in result.deciding_standards:
        assert standard in case.facts().ratings, f"{standard} does not apply but decided the grade"
        # By the name messages give it: its short name where the standards data has one.
        assert fw.standards[standard].short_name in text, standard
    for fact in result.deciding_facts:
        assert fact in text
    # Only a field fact (safeguarding) can decide a grade without naming a standard.
    assert result.deciding_standards or result.deciding_facts
    if not result.deciding_standards:
        assert ident == "cafcass-qiam-2017"
        assert case.flag
        assert result.grade == "requires_improvement"


# -- Lift ----------------------------------------------------------------------------------------


def assert_lift_sound(case: Case, result: GradeResult) -> None:
    fw, engine, facts = case.fw, case.engine, case.facts()
    scale = list(fw.grade_rank)
    current = rank(fw, result.grade)
    lift = result.lift
    if lift is None:
        assert current == 0, f"no lift for {result.grade}, which is not the best grade"
        return
    assert current > 0
    assert lift.grade == scale[current - 1]
    goal = rank(fw, lift.grade)
    top = fw.spec.ratings[0].id
    if not lift.reachable:
        assert lift.changes == ()
        assert lift.blocked_by
        # The claim holds: even every rating at the top does not reach the next grade.
        everything = dict.fromkeys(facts.ratings, top)
        assert rank(fw, grade_with(engine, facts, everything)) > goal
        return
    assert lift.changes, "a reachable lift with no changes"
    standards = [c.standard for c in lift.changes]
    assert len(set(standards)) == len(standards), "a standard is changed twice"
    changes = {}
    for change in lift.changes:
        assert change.standard in facts.ratings, f"{change.standard} does not apply"
        assert change.from_rating == facts.ratings[change.standard]
        assert fw.rating_rank[change.to_rating] < fw.rating_rank[change.from_rating], (
            f"{change.standard}: {change.from_rating} -> {change.to_rating} is not a raise"
        )
        assert change.title == fw.standards[change.standard].title
        changes[change.standard] = change.to_rating
    # Applied as listed, the lift reaches at least the next grade.
    assert rank(fw, grade_with(engine, facts, changes)) <= goal
    # Minimal by inclusion: without any one change it no longer does.
    for standard in changes:
        rest = {s: r for s, r in changes.items() if s != standard}
        assert rank(fw, grade_with(engine, facts, rest)) > goal, f"{standard} is not needed"


@BY_FRAMEWORK
@PROPERTY
@given(data=st.data())
def test_lift_reaches_the_next_grade_and_is_minimal(ident: str, data: st.DataObject) -> None:
    case = data.draw(CASES[ident])
    result = case.engine.grade(case.facts())
    assert_lift_sound(case, result)


@BY_FRAMEWORK
@PROPERTY
@given(data=st.data())
def test_lift_raises_no_further_than_needed(ident: str, data: st.DataObject) -> None:
    case = data.draw(CASES[ident])
    fw, engine, facts = case.fw, case.engine, case.facts()
    result = engine.grade(facts)
    if result.lift is None or not result.lift.reachable:
        return
    goal = rank(fw, result.lift.grade)
    changes = {c.standard: c.to_rating for c in result.lift.changes}
    for change in result.lift.changes:
        lower = [r.id for r in fw.spec.ratings][fw.rating_rank[change.to_rating] + 1]
        if lower == change.from_rating:
            continue
        trial = {**changes, change.standard: lower}
        assert rank(fw, grade_with(engine, facts, trial)) > goal, (
            f"{change.standard} could stop at {lower} instead of {change.to_rating}"
        )


def test_lift_none_exactly_for_the_best_grade() -> None:
    for ident, engine in ENGINES.items():
        fw = FRAMEWORKS[ident]
        best = dict.fromkeys(fw.standards, fw.spec.ratings[0].id)
        result = engine.grade(Case(ident, best, ident != "cafcass-qiam-2017").facts())
        assert result.grade == fw.spec.grades.scale[0].id
        assert result.lift is None


# -- Determinism ---------------------------------------------------------------------------------


def comparable(result: GradeResult) -> tuple[Any, ...]:
    """The result with the lift's changes as a set: their order follows the input order."""
    lift = result.lift
    return (
        result.grade,
        result.rule_index,
        result.rationale,
        result.deciding_standards,
        result.deciding_facts,
        None if lift is None else (lift.grade, frozenset(lift.changes), lift.blocked_by),
    )


@BY_FRAMEWORK
@PROPERTY
@given(data=st.data())
def test_grading_is_deterministic_and_ignores_insertion_order(ident: str, data: st.DataObject) -> None:
    case = data.draw(CASES[ident])
    engine, facts = case.engine, case.facts()
    first = engine.grade(facts)
    assert engine.grade(facts) == first
    assert Engine(case.fw).grade(facts) == first
    order = data.draw(st.permutations(list(facts.ratings)))
    shuffled = Facts({s: facts.ratings[s] for s in order}, dict(reversed(list(facts.data.items()))))
    assert comparable(engine.grade(shuffled)) == comparable(first)


@pytest.mark.parametrize(
    ("ident", "grade"), [(ident, g) for ident, fw in sorted(FRAMEWORKS.items()) for g in fw.grade_rank]
)
def test_random_audits_reach_every_grade(ident: str, grade: str) -> None:
    """The strategies above are worth something only if they produce every grade."""
    found = find(
        CASES[ident],
        lambda case: case.engine.grade_of(case.facts()) == grade,
        settings=settings(max_examples=300, database=None),
    )
    assert found.engine.grade_of(found.facts()) == grade
