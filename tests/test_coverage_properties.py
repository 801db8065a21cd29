"""The threshold analysis (:mod:`qaimpact.grading.coverage`) against brute force.

Small random frameworks: a scale of 2-4 grades, 2-3 ratings, 1-4 standards (some applying only
when a yes/no, a choice or a whole-number field holds a value), optional and required fields (and
a characteristic, which audits may always leave out), perhaps an agreement between two fields,
and threshold rules built from every condition form the engine reads. Every audit that passes
validation is one of a few thousand combinations (each field's values, each applicable
standard's rating), so each is graded with the engine itself, and what ``qaimpact standards
check`` says (QA503, QA508, QA509) must be exactly what that finds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from qaimpact.base.loader import load_bytes
from qaimpact.frameworks.check import check_document, check_file
from qaimpact.grading.coverage import Example, coverage
from qaimpact.grading.engine import Engine, Facts, NoRuleMatched, applicable_ratings
from qaimpact.models.standard import Agreement, FieldSpec, Framework, StandardsFile

#: A framework the agreement between its fields leaves without a gap.
NO_GAP = "coverage/agreed-facts-leave-no-gap.yaml"

#: The frameworks the property found defects with: each a standards file whose findings
#: tests/test_diagnostics.py also checks word for word (those under invalid/).
FOUND = [
    DATA / "standards" / name
    for name in (
        # A rule that holds only where a required field is left out was taken to decide a grade.
        "invalid/QA508-rule-holds-only-without-required-field.yaml",
        # An audit that leaves an optional field out was never taken for one no rule grades.
        "invalid/QA503-gap-where-optional-field-left-out.yaml",
        # ...nor one that leaves out a characteristic marked required (audits need record none).
        "invalid/QA503-gap-where-characteristic-left-out.yaml",
        # A grade only a never-reached `otherwise: true` rule gives went unreported.
        "invalid/QA509-grade-only-otherwise-never-reached.yaml",
        # A rule that decides only audits that contradict an agreement (QA319) was taken to
        # decide a grade...
        "invalid/QA508-rule-holds-only-against-an-agreement.yaml",
        # ...and such an audit, graded by no rule, was reported as a gap (QA503), refusing a
        # framework that grades every audit.
        NO_GAP,
    )
]

RATINGS = ["r_top", "r_mid", "r_low"]
GRADES = ["g_best", "g_next", "g_third", "g_worst"]
STANDARDS = ["s_one", "s_two", "s_three", "s_four"]
KINDS = ["k_a", "k_b", "k_c"]
#: The numbers of visits the rules may name: an audit may hold any whole number, and every one
#: past these is alike to the rules.
VISITS = [0, 1, 2]
#: A number of visits none of the rules name.
OTHER_VISITS = 3


# -- Random frameworks ----------------------------------------------------------------------------


@st.composite
def frameworks(draw: st.DrawFn) -> dict[str, Any]:
    """A small standards file, as the data its YAML holds."""
    ratings = RATINGS[: draw(st.integers(2, 3))]
    grades = GRADES[: draw(st.integers(2, 4))]
    standards = STANDARDS[: draw(st.integers(1, 4))]
    # Two groups where there are two standards or more, so that a rule can name a group.
    split = draw(st.integers(1, len(standards))) if len(standards) > 1 else 1
    groups = [("g_first", standards[:split]), ("g_second", standards[split:])]
    groups = [(g, members) for g, members in groups if members]
    flag_required = draw(st.booleans())
    kinds = KINDS[: draw(st.integers(2, 3))]
    kind_required = draw(st.booleans())
    # The kind is a case field, or a characteristic (which an audit may always leave out).
    kind_path = draw(st.sampled_from(["case.kind", "characteristics.kind"]))
    visits_required = draw(st.booleans())
    paths = {"flag": "case.flag", "kind": kind_path, "visits": "case.visits"}
    fields = {"flag": [True, False], "kind": kinds, "visits": VISITS}

    applies: dict[str, dict[str, Any]] = {}
    for standard in standards:
        which = draw(st.sampled_from(["always", "always", "flag", "kind", "visits"]))
        if which != "always":
            applies[standard] = {
                "field": paths[which],
                "equals": draw(st.sampled_from(fields[which])),
            }

    scopes = st.one_of(
        st.just("all"),
        st.lists(st.sampled_from([g for g, _ in groups] + standards), min_size=1, max_size=2, unique=True),
    )

    def rating_conditions() -> st.SearchStrategy[dict[str, Any]]:
        which = st.sampled_from(["rated", "rated_at_least", "rated_at_most", "rated_in"])
        counts = st.one_of(
            st.sampled_from([{"count": "any"}, {"count": "all"}, {"count": "none"}]),
            st.integers(0, 4).map(lambda n: {"at_least": n}),
            st.integers(0, 4).map(lambda n: {"at_most": n}),
        )

        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            kind = draw(which)
            value: Any = (
                draw(st.lists(st.sampled_from(ratings), min_size=1, max_size=2, unique=True))
                if kind == "rated_in"
                else draw(st.sampled_from(ratings))
            )
            return {"standards": draw(scopes), kind: value, **draw(counts)}

        return build()

    field_conditions = st.one_of(
        st.sampled_from([True, False]).map(lambda v: {"field": "case.flag", "equals": v}),
        st.sampled_from(kinds).map(lambda v: {"field": kind_path, "equals": v}),
        st.sampled_from(VISITS).map(lambda v: {"field": "case.visits", "equals": v}),
    )
    conditions = st.recursive(
        st.one_of(rating_conditions(), rating_conditions(), field_conditions),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=2).map(lambda c: {"all_of": c}),
            st.lists(inner, min_size=1, max_size=2).map(lambda c: {"any_of": c}),
            inner.map(lambda c: {"not": c}),
        ),
        max_leaves=3,
    )
    count = draw(st.integers(1, 4))
    rules: list[dict[str, Any]] = [
        {"grade": draw(st.sampled_from(grades)), "when": draw(conditions)} for _ in range(count)
    ]
    # Mostly a last rule that catches everything; sometimes one in the middle, or none.
    where = draw(st.sampled_from(["end", "end", "middle", "none"]))
    if where != "none":
        at = len(rules) if where == "end" else draw(st.integers(0, len(rules) - 1))
        rules.insert(at, {"grade": draw(st.sampled_from(grades)), "otherwise": True})

    kind = {"type": "choice", "choices": kinds, "required": kind_required, "label": "Kind"}
    case_fields = {
        "flag": {"type": "boolean", "required": flag_required, "label": "Flag"},
        **({"kind": kind} if kind_path == "case.kind" else {}),
        "visits": {"type": "integer", "required": visits_required, "label": "Visits"},
    }
    # Sometimes an agreement: where the kind is one value, the flag must be another (an audit
    # that says otherwise does not pass validation).
    agreements = [
        {
            "when": {"field": kind_path, "equals": draw(st.sampled_from(kinds))},
            "then": {"field": "case.flag", "equals": draw(st.booleans())},
        }
        for _ in range(draw(st.integers(0, 1)))
    ]
    return {
        "format": 1,
        "id": "random-rules",
        "version": "1",
        "title": "Random rules",
        "case_fields": case_fields,
        **({"characteristics": {"kind": kind}} if kind_path != "case.kind" else {}),
        "grades": {
            "key": "overall_grade",
            "good_or_better": grades[0],
            "scale": [{"id": g, "label": g.replace("_", " ").capitalize()} for g in grades],
        },
        "ratings": [{"id": r, "label": r.replace("_", " ").capitalize()} for r in ratings],
        "groups": [
            {
                "id": g,
                "title": g.replace("_", " ").capitalize(),
                "standards": [
                    {
                        "id": s,
                        "title": s.replace("_", " ").capitalize(),
                        **({"applies_when": applies[s]} if s in applies else {}),
                    }
                    for s in members
                ],
            }
            for g, members in groups
        ],
        "thresholds": rules,
        **({"agreements": agreements} if agreements else {}),
    }


# -- Brute force ----------------------------------------------------------------------------------


@dataclass
class Truth:
    """What grading every audit that passes validation finds."""

    deciding: set[int]
    grades: set[str]
    gap: bool
    #: For each rule that decides no audit, the rules that decide the audits it holds for.
    takers: dict[int, set[int]]


def fields(framework: Framework) -> dict[str, FieldSpec]:
    """The fields the rules may read, by dotted path."""
    spec = framework.spec
    return {
        **{f"case.{name}": field for name, field in spec.case_fields.items()},
        **{f"characteristics.{name}": field for name, field in spec.characteristics.items()},
    }


def field_values(path: str, spec: FieldSpec) -> list[Any]:
    """Every value an audit that passes validation holds in the field (None: left out, as an
    optional field may be, and any characteristic)."""
    if spec.type == "integer":
        values: list[Any] = [*VISITS, OTHER_VISITS]  # any number past those named is alike
    else:
        values = [True, False] if spec.type == "boolean" else list(spec.choice_ids)
    optional = not spec.required or path.startswith("characteristics.")
    return [*values, None] if optional else values


def nested(held: dict[str, Any], ratings: dict[str, str], framework: Framework) -> dict[str, Any]:
    """Audit data: each field's value (one left out is not there), and each standard's rating."""
    data: dict[str, Any] = {"case": {}}
    for path, value in held.items():
        section, name = path.split(".")
        if value is not None:
            data.setdefault(section, {})[name] = value
    for group in framework.spec.groups:
        data[group.id] = {s.id: {"rating": ratings.get(s.id, "not_applicable")} for s in group.standards}
    return data


def audits(framework: Framework) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """Every audit that passes validation, as far as the rules can see it: its fields' values by
    path, and the ratings of the standards that apply."""
    known = fields(framework)
    ratings = list(framework.rating_rank)
    for values in itertools.product(*(field_values(p, f) for p, f in known.items())):
        held = dict(zip(known, values, strict=True))
        if any(contradicts(agreement, held) for agreement in framework.spec.agreements):
            continue
        applicable = [
            s
            for s, std in framework.standards.items()
            if std.applies_when is None or held[std.applies_when.field] == std.applies_when.equals
        ]
        for rated in itertools.product(ratings, repeat=len(applicable)):
            yield held, dict(zip(applicable, rated, strict=True))


def contradicts(agreement: Agreement, held: dict[str, Any]) -> bool:
    """Whether the fields' values contradict an agreement (QA319): the ``when`` field holds its
    value, and the ``then`` field is filled in with another."""
    then = held[agreement.then.field]
    return held[agreement.when.field] == agreement.when.equals and then not in (None, agreement.then.equals)


def brute_force(framework: Framework) -> Truth:
    engine = Engine(framework)
    truth = Truth(set(), set(), False, {i: set() for i in range(len(engine.rules))})
    graded = []
    for held, ratings in audits(framework):
        data = nested(held, ratings, framework)
        facts = Facts(applicable_ratings(framework, data), data)
        try:
            index = engine.decide(facts)[0]
        except NoRuleMatched:
            truth.gap = True
            continue
        truth.deciding.add(index)
        truth.grades.add(engine.rules[index].grade)
        graded.append((facts, index))
    # Which rules take the audits of each rule that decides none.
    for k, rule in enumerate(engine.rules):
        if k not in truth.deciding:
            for facts, index in graded:
                if rule.otherwise or engine.explain(rule.when, facts)[0]:  # type: ignore[arg-type]
                    truth.takers[k].add(index)
    return truth


def example_fields(example: Example) -> dict[str, Any]:
    """The fields' values an example of :func:`coverage` names (a field it leaves out, the
    rules do not read: it may hold anything)."""
    held = {}
    for path, value, _ in example.fields:
        if path == "case.visits" and value is not None and value not in VISITS:
            value = OTHER_VISITS  # the example says "case.visits is not 0, 1 or 2"
        held[path] = value
    return held


def is_valid(framework: Framework, example: Example) -> bool:
    """Whether some audit that passes validation is of the example's kind."""
    named = example_fields(example)
    return any(
        ratings == dict(example.ratings) and all(held[p] == v for p, v in named.items())
        for held, ratings in audits(framework)
    )


# -- The property ---------------------------------------------------------------------------------


def load(spec: dict[str, Any]) -> tuple[Framework, list[Any]]:
    """The framework, and what ``standards check`` says of it (its threshold findings)."""
    text = yaml.safe_dump(spec, sort_keys=False)
    framework = Framework(StandardsFile.model_validate(spec), "random.yaml")
    _, diagnostics = check_document(load_bytes(text.encode(), "random.yaml"))
    return framework, diagnostics


def assert_agrees(spec: dict[str, Any]) -> None:
    framework, diagnostics = load(spec)
    others = [d for d in diagnostics if d.code not in {"QA503", "QA508", "QA509"}]
    assert others == [], [f"{d.code} {d.message}" for d in others]
    truth = brute_force(framework)
    result = coverage(framework)
    assert result.decided
    rules = framework.spec.thresholds

    # QA508: every rule (but one with `otherwise: true`) that decides no audit, and no other.
    never = {i for i, rule in enumerate(rules) if not rule.otherwise and i not in truth.deciding}
    reported = {int(d.message.split()[2]) - 1 for d in diagnostics if d.code == "QA508"}
    assert reported == never
    # ...and for each, the rules that take its audits are those named: below a rule with
    # `otherwise: true`, that rule alone.
    last = next((i for i, rule in enumerate(rules) if rule.otherwise), len(rules))
    for index in never:
        assert result.winners[index] == (truth.takers[index] if index < last else {last}), index

    # QA509, or QA508's "so no audit can be graded": every grade no audit is given, and no other.
    labels = framework.grade_labels
    said = {
        g
        for g in framework.grade_rank
        if any(d.code == "QA509" and f"'{g}'" in d.message for d in diagnostics)
    }
    said |= {
        g
        for g in framework.grade_rank
        if any(
            d.code == "QA508" and d.message.endswith(f"so no audit can be graded {labels[g]}.")
            for d in diagnostics
        )
    }
    assert said == set(framework.grade_rank) - truth.grades

    # QA503: said where some audit that passes validation is graded by no rule, and the audit
    # it describes is one.
    gaps = [d for d in diagnostics if d.code == "QA503"]
    assert bool(gaps) == truth.gap
    assert (result.gap is not None) == truth.gap
    if result.gap is not None:
        assert is_valid(framework, result.gap), result.gap
        data = nested(example_fields(result.gap), dict(result.gap.ratings), framework)
        with pytest.raises(NoRuleMatched):
            Engine(framework).decide(Facts(applicable_ratings(framework, data), data))


@settings(max_examples=100, deadline=None)
@given(spec=frameworks())
def test_the_analysis_says_what_grading_every_audit_finds(spec: dict[str, Any]) -> None:
    assert_agrees(spec)


@pytest.mark.parametrize("path", FOUND, ids=lambda p: p.name)
def test_found_by_the_property(path: Path) -> None:
    assert_agrees(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_a_framework_whose_agreement_leaves_no_gap_is_valid() -> None:
    framework, diagnostics = check_file(DATA / "standards" / NO_GAP)
    assert diagnostics == []
    assert framework is not None


_VALUES = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-3, 3, allow_nan=False),
    st.sampled_from(["a", "b", "yes", "1"]),
    st.lists(st.integers(0, 2), max_size=2),
)


@given(st.lists(_VALUES, max_size=12))
def test_each_value_named_is_tried_once_in_the_order_named(values: list[Any]) -> None:
    # The values of a field are told apart with a set (rules naming 20,000 values took minutes
    # when each was compared with every one kept); the set must tell them apart as comparing
    # does: True, 1 and 1.0 are three values, and a list (unhashable) is compared.
    from qaimpact.grading.coverage import _distinct, _same

    expected: list[Any] = []
    for value in values:
        if not any(_same(value, kept) for kept in expected):
            expected.append(value)
    assert [(type(v), v) for v in _distinct(values)] == [(type(v), v) for v in expected]
