"""The lift search within its budget (issue 12): exact where symmetry allows it, bounded, honest.

The search tries sets of standards smallest first, skipping sets that differ only by swapping
interchangeable standards (the same rating, the same part in every rule), and counts its work in
ratings looked at: past half of :data:`LIFT_BUDGET` it falls back to dropping standards greedily
from "all raised", and then says whether the lift may not be the smallest. These tests pin each
of those parts down on small inputs, so that a change to any of them is noticed (the mutation
benchmark runs them for ``grading/engine.py``).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import hostile
from qaimpact.frameworks.check import check_file
from qaimpact.grading import engine as engine_module
from qaimpact.grading.engine import Engine, Facts, Lift, _Budget, _canonical_combinations, engine_for
from qaimpact.models.standard import Framework, ThresholdRule


def framework(tmp_path: Path, text: str, name: str = "fw.yaml") -> Framework:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded, diagnostics = check_file(path)
    # The widest frameworks here tell more kinds of audit apart than the threshold analysis
    # grades: standards check says so (QA510), and they load all the same.
    assert [d for d in diagnostics if d.code != "QA510"] == [], [d.to_dict() for d in diagnostics]
    assert loaded is not None
    return loaded


def wide(tmp_path: Path, standards: int, at_least: int, *, distinct: bool = False) -> Framework:
    return framework(
        tmp_path, hostile.wide_framework(standards, at_least, distinct), f"wide-{standards}.yaml"
    )


def all_rated(standards: int, rating: str = "requires_improvement") -> Facts:
    return Facts({f"s{i}": rating for i in range(standards)})


def raised(lift: Lift | None) -> list[tuple[str, str]]:
    assert lift is not None
    return [(c.standard, c.to_rating) for c in lift.changes]


def reaches(fw: Framework, facts: Facts, lift: Lift | None) -> bool:
    assert lift is not None
    changed = facts.with_ratings({c.standard: c.to_rating for c in lift.changes})
    return fw.grade_rank[Engine(fw).grade_of(changed)] <= fw.grade_rank[lift.grade]


# -- The subsets tried -----------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "size"), [(n, size) for n in range(7) for size in range(1, n + 1)])
def test_without_interchangeable_standards_every_subset_is_tried_in_order(n: int, size: int) -> None:
    tried = list(_canonical_combinations(n, size, [-1] * n, _Budget(10**9), 10**9))
    assert tried == list(itertools.combinations(range(n), size))


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, [(0,), (3,)]),
        (2, [(0, 1), (0, 3)]),
        (3, [(0, 1, 2), (0, 1, 3)]),
        (4, [(0, 1, 2, 3)]),
    ],
)
def test_a_set_that_skips_an_interchangeable_standard_before_it_is_not_tried(
    size: int, expected: list[tuple[int, ...]]
) -> None:
    # 0, 1 and 2 are interchangeable (each names the one before it); 3 is on its own.
    assert list(_canonical_combinations(4, size, [-1, 0, 1, -1], _Budget(10**9), 10**9)) == expected


def test_the_subsets_stop_where_their_share_of_the_budget_is_spent() -> None:
    budget = _Budget(100)
    assert list(_canonical_combinations(5, 1, [-1] * 5, budget, 3)) == [(0,), (1,)]
    assert budget.spent == 3


@pytest.mark.parametrize(("spent", "exhausted"), [(0, False), (9, False), (10, True), (11, True)])
def test_the_budget_is_exhausted_once_all_of_it_is_spent(spent: int, exhausted: bool) -> None:
    budget = _Budget(10)
    budget.spend(spent)
    assert (budget.total, budget.spent, budget.exhausted) == (10, spent, exhausted)


# -- What a trial costs ----------------------------------------------------------------------------


def test_a_trial_costs_each_rating_condition_and_the_ratings_it_looks_at(tmp_path: Path) -> None:
    # One condition over 250 standards: 20 for the condition, 1 for each rating it reads.
    assert Engine(wide(tmp_path, 250, 4))._trial_cost == 20 + 250
    # With the rule that names each standard on its own: 250 more conditions of one standard each.
    assert Engine(wide(tmp_path, 250, 4, distinct=True))._trial_cost == 270 + 250 * 21


def test_a_trial_of_rules_without_rating_conditions_still_costs_one(tmp_path: Path) -> None:
    fw = wide(tmp_path, 3, 1)
    only = ThresholdRule.model_validate({"grade": "fair", "summary": "Anything", "otherwise": True})
    without = Framework(fw.spec.model_copy(update={"thresholds": [only]}), fw.source)
    assert Engine(without)._trial_cost == 1


# -- Which standards are interchangeable -----------------------------------------------------------

NESTED = """\
format: 1
id: nested
version: "1"
title: Nested rules
grades:
  key: overall_grade
  good_or_better: good
  scale:
    - {id: good, label: Good}
    - {id: fair, label: Fair}
ratings:
  - {id: good, label: Good}
  - {id: requires_improvement, label: Requires improvement}
groups:
  - id: practice
    title: Practice
    standards:
      - {id: a, title: Standard a}
      - {id: b, title: Standard b}
      - {id: c, title: Standard c}
      - {id: z, title: Standard z}
thresholds:
  - grade: good
    summary: Standard z is good
    when:
WHEN
  - grade: fair
    summary: Anything else
    otherwise: true
"""
Z_GOOD = "{standards: [z], rated: good, at_least: 1}"


@pytest.mark.parametrize(
    "when",
    [
        f"      all_of:\n        - {Z_GOOD}\n",
        f"      any_of:\n        - {Z_GOOD}\n",
        "      not: {standards: [z], rated: requires_improvement, at_least: 1}\n",
        f"      all_of:\n        - any_of:\n            - not:\n                not: {Z_GOOD}\n",
    ],
    ids=["all_of", "any_of", "not", "deeply-nested"],
)
def test_a_standard_named_only_inside_a_nested_rule_is_not_interchangeable(tmp_path: Path, when: str) -> None:
    """The last standard is the only one that matters: a search that read no nested condition
    would think all four interchangeable and try only the first of each size."""
    fw = framework(tmp_path, NESTED.replace("WHEN\n", when))
    lift = Engine(fw).lift(Facts(dict.fromkeys("abcz", "requires_improvement")), "fair")
    assert raised(lift) == [("z", "good")]
    assert lift is not None
    assert lift.smallest


# -- The search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("standards", [12, 250])
def test_interchangeable_standards_give_the_exact_lift_at_any_width(tmp_path: Path, standards: int) -> None:
    fw = wide(tmp_path, standards, 4)
    lift = Engine(fw).lift(all_rated(standards), "fair")
    assert raised(lift) == [(f"s{i}", "good") for i in range(4)]
    assert lift is not None
    assert lift.smallest


def test_distinct_standards_within_the_budget_give_the_exact_lift(tmp_path: Path) -> None:
    fw = wide(tmp_path, 12, 3, distinct=True)
    lift = Engine(fw).lift(all_rated(12), "fair")
    assert raised(lift) == [("s0", "good"), ("s1", "good"), ("s2", "good")]
    assert lift is not None
    assert lift.smallest


def test_past_its_budget_the_search_drops_standards_greedily_and_says_so(tmp_path: Path) -> None:
    fw = wide(tmp_path, 250, 6, distinct=True)
    facts = all_rated(250)
    lift = Engine(fw).lift(facts, "fair")
    # Greedy from "all raised", dropping halves, then quarters, down to single standards, until the
    # budget is spent: six are left, not the first six a complete search would give.
    assert raised(lift) == [(f"s{i}", "good") for i in range(240, 246)]
    assert lift is not None
    assert not lift.smallest
    assert reaches(fw, facts, lift)


#: Budgets around each point where the search of 10 distinct standards (3 needed to lift) stops.
#: A trial grading costs 240 (one condition over 10 standards and 10 of one: 20 + 10 + 10 x 21),
#: each index the subsets look at costs 1, and the subsets by size get half of the budget:
#: - "all raised" is tried first, whatever the budget: 240;
#: - the 10 sets of one cost 10 x 241, so 2,650 spent after them;
#: - the 45 sets of two cost 54 + 45 x 240, so 13,504 after them: with half the budget above
#:   that (27,010 and up), every set of up to two was tried, and a greedy three is the smallest;
#: - the first set of three is reached after 3 more: half at least 13,508 (27,016 and up).
#: The greedy fallback tries "drop the first half" (s5-s9), then, in quarters, "drop two" (s7-s9).
TEN = [f"s{i}" for i in range(10)]
BUDGETS = [
    (241, TEN, False),  # "all raised" and one index looked at: nothing left for greedy
    (242, TEN[5:], False),  # one greedy trial
    (722, TEN[5:], False),  # one set of one tried (half is 361), then one greedy trial
    (723, TEN[7:], False),  # and a second greedy trial
    (27_009, TEN[7:], False),  # the sets of two not all tried
    (27_010, TEN[7:], True),  # every set of up to two tried: three is the smallest
    (27_015, TEN[7:], True),
    (27_016, TEN[:3], True),  # the first set of three tried, and it lifts
    (engine_module.LIFT_BUDGET, TEN[:3], True),
]


@pytest.mark.parametrize(("budget", "standards", "smallest"), BUDGETS)
def test_the_budget_decides_how_far_the_search_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int, standards: list[str], smallest: bool
) -> None:
    fw = wide(tmp_path, 10, 3, distinct=True)
    facts = all_rated(10)
    monkeypatch.setattr(engine_module, "LIFT_BUDGET", budget)
    lift = Engine(fw).lift(facts, "fair")
    assert lift is not None
    assert [c.standard for c in lift.changes] == standards
    assert lift.smallest is smallest
    assert reaches(fw, facts, lift)


# -- One engine per framework ----------------------------------------------------------------------


def test_one_engine_serves_every_audit_of_a_framework(tmp_path: Path) -> None:
    fw = wide(tmp_path, 5, 2)
    first = engine_for(fw)
    assert first.fw is fw
    assert engine_for(fw) is first


def test_an_engine_left_by_another_framework_at_the_same_id_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python reuses the id of a framework that was freed: the engine must be for this one."""
    fw, other = wide(tmp_path, 5, 2), wide(tmp_path, 6, 2)
    monkeypatch.setitem(engine_module._ENGINES, id(fw), Engine(other))
    assert engine_for(fw).fw is fw
