"""Escalations certain before every rating is given, against brute force.

The audit form says an escalation before the audit can be graded when it is certain whatever the
ratings still to be given turn out to be
(:func:`~qaimpact.grading.escalation_triggers.certain_triggers`, built on the engine's
:meth:`~qaimpact.grading.engine.Engine.possible_grades` and ``settled``). "Certain" is checked
here the slow way: every way of rating the open standards (each rating of the scale, or none) is
graded by the engine and its escalations found by ``triggers``, the one place that decides for a
graded audit. The frameworks are the two bundled ones and ``tests/data/certain/tangled-rules.yaml``,
whose rules use every form of the rules language in an order where an earlier rule hides a later.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.grading.engine import Facts, NoRuleMatched, applicable_ratings, engine_for
from qaimpact.grading.escalation_triggers import certain_in_every, certain_triggers, triggers
from qaimpact.models.standard import NOT_APPLICABLE, Framework

FRAMEWORKS = ("ccc-practice-standards", "cafcass-qiam-2017", "tangled-rules")
REGISTRY = Registry([bundled_dir(), DATA / "certain"])


def _framework(framework_id: str) -> Framework:
    found = REGISTRY.get(framework_id)
    assert found is not None, REGISTRY.broken()
    return found


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def _rate(framework: Framework, data: dict[str, Any], ratings: dict[str, str | None]) -> dict[str, Any]:
    """A copy of ``data`` with these standards rated (``None``: not rated)."""
    rated = copy.deepcopy(data)
    for group in framework.spec.groups:
        entries = rated.setdefault(group.id, {})
        for std in group.standards:
            if std.id not in ratings:
                continue
            if ratings[std.id] is None:
                entries.pop(std.id, None)
            else:
                entries[std.id] = {"rating": ratings[std.id]}
    return rated


@st.composite
def partial_audits(draw: st.DrawFn) -> tuple[Framework, dict[str, Any], set[str]]:
    """A framework, an audit's data with every standard rated or not, and up to three standards
    whose ratings are still open."""
    framework = _framework(draw(st.sampled_from(FRAMEWORKS)))
    data: dict[str, Any] = {}
    for std in framework.standards.values():
        if std.applies_when is not None:
            _put(data, std.applies_when.field, draw(st.sampled_from([std.applies_when.equals, "other"])))
    choices = [*framework.rating_rank, NOT_APPLICABLE, None]
    data = _rate(framework, data, {s: draw(st.sampled_from(choices)) for s in framework.standards})
    grades = [None, *framework.grade_rank]
    data[framework.spec.grades.key] = draw(st.sampled_from(grades))
    moderated = draw(st.sampled_from(grades))
    if moderated is not None:
        data["moderation"] = {"moderated_grade": moderated}
    if framework.spec.immediate_actions is not None:
        data[framework.spec.immediate_actions.key] = {"required": draw(st.booleans())}
    unknown = draw(st.sets(st.sampled_from(sorted(framework.standards)), max_size=3))
    return framework, data, unknown


def _every_way(framework: Framework, data: dict[str, Any], unknown: set[str]) -> list[dict[str, Any]]:
    """The audit rated in every way the open standards can be: each rating of the scale, or none."""
    order = sorted(unknown)
    choices = [*framework.rating_rank, None]
    return [
        _rate(framework, data, dict(zip(order, combo, strict=True)))
        for combo in itertools.product(choices, repeat=len(order))
    ]


def _graded(framework: Framework, data: dict[str, Any]) -> str | None:
    try:
        return engine_for(framework).grade_of(Facts(applicable_ratings(framework, data), data))
    except NoRuleMatched:
        return None


@settings(max_examples=300)
@given(partial_audits())
def test_what_is_said_to_be_certain_holds_however_the_open_standards_are_rated(case):
    framework, data, unknown = case
    known = {s: r for s, r in applicable_ratings(framework, data).items() if s not in unknown}
    possible = engine_for(framework).possible_grades(Facts(known, data), unknown)
    certain = certain_triggers(framework, data, unknown)
    assert (possible is None) == (certain is None)
    for rated in _every_way(framework, data, unknown):
        grade = _graded(framework, rated)
        if possible is None or certain is None:
            continue
        # Every grade a way of rating them gives is among the possible ones ...
        assert grade in possible
        # ... and every escalation said to be certain is one that way calls for, said to be due
        # from the moderation only where that way's is.
        called = {t.rule.id: t.from_moderation for t in triggers(framework, rated, grade)}
        assert {t.rule.id for t in certain} <= set(called)
        assert all(called[t.rule.id] for t in certain if t.from_moderation)


@settings(max_examples=200)
@given(partial_audits())
def test_with_every_rating_given_it_is_what_a_graded_audit_is_told(case):
    framework, data, _ = case
    grade = _graded(framework, data)
    possible = engine_for(framework).possible_grades(Facts(applicable_ratings(framework, data), data), ())
    if grade is None:
        assert possible is None
        return
    assert possible == {grade}
    certain = certain_triggers(framework, data, ())
    assert certain is not None
    assert [(t.describe(), t.from_moderation) for t in certain] == [
        (t.describe(), t.from_moderation) for t in triggers(framework, data, grade)
    ]


@settings(max_examples=200)
@given(partial_audits(), st.data())
def test_what_is_certain_in_every_way_is_what_each_way_makes_certain(case, draw):
    # A rating written under a key that could be more than one standard's is one way of reading
    # the audit for each (audits/ahead.py): a rule is said only where each way makes it certain.
    framework, data, unknown = case
    std = draw.draw(st.sampled_from(sorted(framework.standards)))
    other = _rate(framework, data, {std: draw.draw(st.sampled_from([*framework.rating_rank, None]))})
    ways = [(data, unknown), (other, unknown - {std})]
    each = [certain_triggers(framework, d, u) for d, u in ways]
    together = certain_in_every(framework, ways)
    if any(found is None for found in each):
        assert together is None
        return
    assert together is not None
    assert [t.rule.id for t in together] == [
        t.rule.id for t in each[0] if all(t.rule.id in {o.rule.id for o in found} for found in each[1:])
    ]


TANGLED = {"case": {"case_reference": "TR-1", "looked_after": False}, "urgent_actions": {"required": False}}

CERTAIN = [
    # Safety rated inadequate decides the grade whatever the rest are rated.
    (
        {"safety": "inadequate"},
        {"voice", "planning", "recording"},
        [
            "Serious concern to Head of Service: the ratings give Inadequate.",
        ],
    ),
    # Voice and recording weak: the grade is weak, or inadequate if safety is rated weak or worse.
    (
        {"voice": "weak", "recording": "weak", "planning": "good"},
        {"safety"},
        [
            "Serious concern to Head of Service: the ratings give Weak or worse, whatever the ratings "
            "still to be given.",
            "Many weak standards to Team manager: 'Voice of the child' is rated weak and 'Recording' "
            "is rated weak.",
        ],
    ),
    # Voice weak alone: with safety still open, the grade may be good (rule 4 needs a weak
    # standard of "more"), weak or inadequate, so no escalation is certain.
    ({"voice": "weak", "planning": "good", "recording": "good"}, {"safety"}, []),
    # The recorded grade is certain whatever the ratings: the auditor's own inadequate escalates.
    ({"overall": "inadequate"}, {"safety", "voice", "planning"}, None),
]


@pytest.mark.parametrize(
    ("ratings", "unknown", "expected"), CERTAIN, ids=["safety", "or-worse", "not-certain", "recorded"]
)
def test_the_certain_escalations_of_a_tangled_framework(ratings, unknown, expected):
    framework = _framework("tangled-rules")
    data = _rate(framework, TANGLED, {k: v for k, v in ratings.items() if k != "overall"})
    if "overall" in ratings:
        data["overall"] = ratings["overall"]
        expected = [
            "Serious concern to Head of Service: the auditor recorded Inadequate; the ratings are not "
            "all given yet.",
        ]
    certain = certain_triggers(framework, data, unknown)
    assert certain is not None
    assert [t.describe() for t in certain] == expected


POSSIBLE = [
    # Core all outstanding, recording open: outstanding (rated outstanding or not at all), weak
    # (rated weak: rule 4) or good (anything else).
    (
        {"safety": "outstanding", "voice": "outstanding", "planning": "outstanding"},
        {"recording"},
        {"outstanding", "weak", "good"},
    ),
    ({"safety": "inadequate"}, {"voice", "planning", "recording"}, {"inadequate"}),
    ({"voice": "weak", "recording": "weak", "planning": "good"}, {"safety"}, {"weak", "inadequate"}),
    ({}, {"safety", "voice", "planning", "recording"}, {"outstanding", "good", "weak", "inadequate"}),
    # Placement does not apply (not looked after): however it is rated, it changes nothing.
    ({"safety": "good", "voice": "good", "planning": "good", "recording": "good"}, {"placement"}, {"good"}),
]


@pytest.mark.parametrize(
    ("ratings", "unknown", "expected"), POSSIBLE, ids=["all", "safety", "weak", "open", "not-applicable"]
)
def test_the_grades_a_tangled_audit_could_still_get(ratings, unknown, expected):
    framework = _framework("tangled-rules")
    data = _rate(framework, TANGLED, ratings)
    facts = Facts(applicable_ratings(framework, data), data)
    assert engine_for(framework).possible_grades(facts, unknown) == expected
    # As brute force finds them.
    assert {_graded(framework, rated) for rated in _every_way(framework, data, unknown)} == expected


def _condition(framework: Framework, rule: int, *parts: str | int) -> Any:
    """A condition of a threshold rule, by the rule's index and the path inside its ``when``."""
    found: Any = framework.spec.thresholds[rule].when
    for part in parts:
        found = found[part] if isinstance(part, int) else getattr(found, part)
    return found


OUT, GOOD, WEAK = "outstanding", "good", "weak"
SETTLED = [
    # count: all (every rated standard outstanding)
    ((2, "all_of", 0), {"voice": OUT, "planning": OUT, "recording": OUT}, {"safety"}, None),
    ((2, "all_of", 0), {"voice": GOOD}, {"safety"}, False),
    ((2, "all_of", 0), {"voice": OUT, "planning": OUT, "safety": OUT}, set(), True),
    # count: none (no standard good or worse)
    ((2, "all_of", 1), {"voice": OUT, "planning": OUT}, {"safety"}, None),
    ((2, "all_of", 1), {"voice": GOOD}, {"safety"}, False),
    ((2, "all_of", 1), {"voice": OUT}, set(), True),
    # at_least: 3 (three standards weak or worse)
    ((0, "any_of", 1), {"voice": WEAK, "planning": WEAK}, {"safety"}, None),
    ((0, "any_of", 1), {"voice": WEAK, "planning": WEAK, "recording": "inadequate"}, {"safety"}, True),
    ((0, "any_of", 1), {"voice": WEAK}, {"safety"}, False),
    # at_most: 1 (one standard weak or worse at most)
    ((3, "all_of", 0), {"voice": WEAK}, {"safety"}, None),
    ((3, "all_of", 0), {"voice": WEAK, "planning": WEAK}, {"safety"}, False),
    ((3, "all_of", 0), {"voice": GOOD}, {"safety"}, True),
    # count: any (safety inadequate)
    ((0, "any_of", 0), {"voice": WEAK}, {"safety"}, None),
    ((0, "any_of", 0), {"safety": "inadequate"}, {"voice"}, True),
    ((0, "any_of", 0), {"safety": GOOD}, {"voice"}, False),
    # not, and rated_in through all_of
    ((1, "all_of", 1), {"recording": GOOD}, {"safety"}, False),
    ((1, "all_of", 1), {"recording": WEAK}, {"safety"}, True),
    ((1, "all_of", 1), {}, {"recording"}, None),
    ((1,), {"voice": WEAK, "recording": WEAK}, {"safety"}, True),
    ((1,), {"voice": GOOD, "recording": WEAK}, {"safety"}, None),
    ((1,), {"voice": GOOD, "planning": GOOD, "safety": GOOD}, {"recording"}, False),
]


@pytest.mark.parametrize(("where", "ratings", "unknown", "expected"), SETTLED)
def test_whether_a_condition_holds_however_the_open_standards_are_rated(where, ratings, unknown, expected):
    framework = _framework("tangled-rules")
    condition = _condition(framework, *where)
    data = _rate(framework, TANGLED, ratings)
    facts = Facts(applicable_ratings(framework, data), data)
    assert engine_for(framework).settled(condition, facts, unknown) is expected
    # As brute force finds it.
    found = {
        engine_for(framework).explain(condition, Facts(applicable_ratings(framework, rated), rated))[0]
        for rated in _every_way(framework, data, unknown)
    }
    assert found == ({expected} if expected is not None else {True, False})


TWO_REASONS = {
    "case": {"case_reference": "TR-1", "looked_after": False},
    "urgent_actions": {"required": True},
}
#: Two ways of reading one audit (a rating under a key that could be Recording's or Planning's):
#: the escalation's reasons are a line both give and a line naming the standards rated weak.
WEAK_RECORDING = {"safety": "good", "voice": "weak", "planning": "good", "recording": "weak"}
WEAK_PLANNING = {"safety": "good", "voice": "weak", "planning": "weak", "recording": "good"}
URGENT = "Weak and urgent to Head of Service: urgent actions are needed for Child X"


@pytest.mark.parametrize(
    ("ways", "expected"),
    [
        ([WEAK_RECORDING], f"{URGENT}; 'Voice of the child' is rated weak and 'Recording' is rated weak."),
        ([WEAK_PLANNING], f"{URGENT}; 'Voice of the child' is rated weak and 'Planning' is rated weak."),
        # Read either way, only what both say is said: the standards named differ.
        ([WEAK_RECORDING, WEAK_PLANNING], f"{URGENT}."),
        ([WEAK_PLANNING, WEAK_RECORDING], f"{URGENT}."),
        ([WEAK_PLANNING, WEAK_PLANNING, WEAK_RECORDING], f"{URGENT}."),
    ],
    ids=["recording", "planning", "both", "both-reversed", "three"],
)
def test_the_reasons_of_a_certain_escalation_are_those_every_way_gives(ways, expected):
    framework = _framework("two-reasons")
    found = certain_in_every(framework, [(_rate(framework, TWO_REASONS, way), set()) for way in ways])
    assert found is not None
    assert [t.describe() for t in found] == [expected]
    # The label's own full stop is not doubled, and what it ends with is kept ("Child X").
    (graded,) = triggers(framework, _rate(framework, TWO_REASONS, ways[0]), "weak")
    assert graded.reasons[0] == "urgent actions are needed for Child X"


@pytest.mark.parametrize(
    ("ways", "expected"),
    [
        # No line is the same in both: the first way's reasons are said, whole.
        (
            [{"voice": "weak", "recording": "weak"}, {"voice": "weak", "planning": "weak"}],
            "Many weak standards to Team manager: 'Voice of the child' is rated weak and 'Recording' "
            "is rated weak.",
        ),
        (
            [{"voice": "weak", "planning": "weak"}, {"voice": "weak", "recording": "weak"}],
            "Many weak standards to Team manager: 'Voice of the child' is rated weak and 'Planning' "
            "is rated weak.",
        ),
    ],
    ids=["recording-first", "planning-first"],
)
def test_where_every_line_differs_the_first_way_s_reasons_are_said(ways, expected):
    framework = _framework("tangled-rules")
    rest = {"safety": "good", "voice": "good", "planning": "good", "recording": "good"}
    found = certain_in_every(framework, [(_rate(framework, TANGLED, {**rest, **way}), set()) for way in ways])
    assert found is not None
    assert [t.describe() for t in found if t.rule.id == "many_weak"] == [expected]


@pytest.mark.parametrize(
    ("unknown", "from_moderation"),
    [
        # Every rating given, and good: only the moderator's Inadequate calls for it.
        (set(), True),
        # Voice still open: the ratings give Good or Weak whichever way, never Inadequate.
        ({"voice"}, True),
        # Safety still open: rated inadequate, the ratings would call for it themselves.
        ({"safety"}, False),
    ],
    ids=["all-given", "voice-open", "safety-open"],
)
def test_a_certain_escalation_only_the_moderator_s_grade_calls_for_is_due_from_the_moderation(
    unknown, from_moderation
):
    framework = _framework("tangled-rules")
    rated = {"safety": "good", "voice": "good", "planning": "good", "recording": "good"}
    data = _rate(framework, TANGLED, rated)
    data["overall"] = "good"
    data["moderation"] = {"moderated_grade": "inadequate"}
    certain = certain_triggers(framework, data, unknown)
    assert certain is not None
    assert [(t.rule.id, t.from_moderation) for t in certain] == [("serious", from_moderation)]
