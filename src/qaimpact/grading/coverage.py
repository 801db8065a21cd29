"""Which threshold rules can decide a grade, and which audits no rule grades.

The rules count ratings: a rating condition asks how many of its standards have some ratings,
so standards that every rating condition treats alike (:meth:`Engine.roles`) are
interchangeable, and only how many of them have each rating matters. What the rules read of an
audit besides its ratings is a few fields, each compared with the values the rules name. So every
audit the rules can tell apart is one of a small number of kinds: for each field, one of the
values named (or none of them); for each set of interchangeable standards that apply, how many
have each rating. :func:`coverage` grades one audit of each kind with the engine itself and
says, exactly, which rules decide some grade and which kind of audit reaches no rule.

No I/O and no printing. Where there are more kinds than :data:`MAX_KINDS`, or grading them
would evaluate more than :data:`MAX_CONDITIONS` conditions, nothing is decided
(``Coverage.decided`` is false, and ``Coverage`` says how many there are) rather than guessed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from qaimpact.grading.engine import Engine, Facts, NoRuleMatched
from qaimpact.models.audit import field_holds, get_field, is_applicable, resolve_field, show_value
from qaimpact.models.listing import and_list
from qaimpact.models.standard import (
    Agreement,
    AllOf,
    AnyOf,
    Condition,
    FieldCondition,
    FieldSpec,
    Framework,
    Not,
    ThresholdRule,
)

#: The most kinds of audit graded to decide a framework's rules: each costs one evaluation of
#: every rule (a few microseconds for the bundled frameworks, which have about 500 kinds).
MAX_KINDS = 20_000
#: The most conditions evaluated to decide them (kinds, or ways of filling in the fields the
#: rules read, times the conditions of the rules): the bundled frameworks need about 4,000. The
#: standards are checked as they load, so without it rules naming 20,000 values of a field kept
#: every command busy for hours.
MAX_CONDITIONS = 1_000_000


class _Other:
    """A value of a field that is none of the values the rules name."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return "<other>"


@dataclass(frozen=True, slots=True)
class Value:
    """One value a field is given: ``value`` as an audit holds it (``None``: the field is left
    out), whether some audit that passes validation certainly can hold it (``real``), and whether
    one might (``possible``: false only where none can, as a required field left out; a field the
    framework does not declare might hold anything, but certainly holds nothing)."""

    value: Any
    real: bool
    possible: bool = True


@dataclass(frozen=True, slots=True)
class Example:
    """An audit of one kind: its fields' values, the ratings of the standards that apply, and the
    standards that do not apply."""

    fields: tuple[tuple[str, Any, tuple[Any, ...]], ...]
    ratings: Mapping[str, str]
    not_applicable: tuple[str, ...]


@dataclass(slots=True)
class Coverage:
    """What grading every kind of audit found.

    ``decided`` is false when there were too many ways of filling in the fields the rules read to
    find the kinds (``fillings`` of them, more than :data:`MAX_KINDS`; ``kinds`` is then 0), too
    many kinds to grade (``kinds`` of them, more than :data:`MAX_KINDS`), or either times the
    rules' ``conditions`` is more than :data:`MAX_CONDITIONS`: nothing else is then known.
    ``winners[i]`` holds ``i`` where rule ``i`` decides some audit's grade; for a rule that never
    does, the earlier rules that decide the audits it holds for (none: it holds for no audit).
    ``gap`` is an audit that passes validation and that no rule holds for.
    """

    decided: bool
    winners: list[set[int]] = field(default_factory=list)
    gap: Example | None = None
    kinds: int = 0
    fillings: int = 0
    conditions: int = 0

    def never_applies(self, index: int) -> bool:
        """Whether rule ``index`` decides no audit's grade (only meaningful when decided)."""
        return self.decided and index not in self.winners[index]


def coverage(framework: Framework, engine: Engine | None = None) -> Coverage:
    """Grade one audit of every kind the rules can tell apart (see the module's docstring)."""
    engine = engine or Engine(framework)
    rules = engine.rules
    last = next((i for i, r in enumerate(rules) if r.otherwise), len(rules))
    checked = rules[:last]
    conditions = sum(_size(r.when) for r in checked if r.when is not None)
    fillings, total, kinds = _kinds(framework, engine, checked, conditions)
    if kinds is None:
        return Coverage(False, kinds=total, fillings=fillings, conditions=conditions)
    decides = [False] * len(rules)
    gap: Example | None = None
    for example, real, facts in kinds():
        try:
            decides[engine.decide(facts)[0]] = True
        except NoRuleMatched:
            if gap is None and real:
                gap = example
    winners: list[set[int]] = [{i} if decides[i] else set() for i in range(len(rules))]
    for index in range(last + 1, len(rules)):
        winners[index].add(last)
    lost = [i for i in range(last) if not decides[i]]
    if lost:
        # Which earlier rules take each rule's audits, for the message: a second pass, only for
        # a framework with a rule that never decides.
        for _, _, facts in kinds():
            holds = [i for i in lost if engine.explain(_when(rules[i]), facts)[0]]
            if holds:
                first = engine.decide(facts)[0]
                for index in holds:
                    winners[index].add(first)
    return Coverage(True, winners, gap, total)


def _when(rule: ThresholdRule) -> Condition:
    assert rule.when is not None
    return rule.when


def _kinds(
    framework: Framework, engine: Engine, checked: list[ThresholdRule], conditions: int
) -> tuple[int, int, Callable[[], Iterator[tuple[Example, bool, Facts]]] | None]:
    """How many ways there are of filling in the fields the rules read, how many kinds of audit
    there are (0 if the ways are too many to try), and one audit of every kind, as often as
    called: each as an example, whether an audit that passes validation can be of the kind, and
    its facts (``None`` if there are too many ways or kinds)."""
    paths, read = _fields(framework, [r.when for r in checked if r.when is not None])
    facts_read = [(f.field, f.equals) for r in checked if r.when is not None for f in _facts(r.when)]
    ratings = [r.id for r in framework.spec.ratings]
    # Values of the fields that give the same audits to the rules are tried once: the same
    # standards apply and the same conditions on fields hold (the first values that can be real).
    # Values no audit can hold (a required field left out, a value besides every choice, facts
    # that contradict an agreement) are never tried: a rule that decides only such audits
    # decides none.
    agreements = framework.spec.agreements
    scenarios: dict[Any, tuple[tuple[Value, ...], dict[str, Any], list[list[str]]]] = {}
    choices = [[v for v in values if v.possible] for values in paths.values()]
    fillings = math.prod(len(c) for c in choices)
    # Each filling is tried before the kinds are known: rules that read twenty yes/no fields
    # have a million of them, which would keep every command that loads the framework busy for
    # hours (the standards are checked as they load), so past the bound none is tried.
    if fillings > MAX_KINDS or fillings * conditions > MAX_CONDITIONS:
        return fillings, 0, None
    for values in itertools.product(*choices):
        data = _data(dict(zip(paths, (v.value for v in values), strict=True)))
        if any(_contradicts(rule, data) for rule in agreements):
            continue
        classes = list(_classes(framework, engine, data).values())
        key = (
            tuple(tuple(m) for m in classes),
            tuple(field_holds(get_field(data, f), e) for f, e in facts_read),
        )
        real = all(v.real for v in values)
        if key not in scenarios or (real and not all(v.real for v in scenarios[key][0])):
            scenarios[key] = (values, data, classes)
    total = sum(
        math.prod(math.comb(len(m) + len(ratings) - 1, len(m)) for m in classes)
        for _, _, classes in scenarios.values()
    )
    if total > MAX_KINDS or total * conditions > MAX_CONDITIONS:
        return fillings, total, None

    def kinds() -> Iterator[tuple[Example, bool, Facts]]:
        for values, data, classes in scenarios.values():
            real = all(v.real for v in values)
            applicable = {s for members in classes for s in members}
            # A field tried only for an agreement's sake is not named: any value of it that
            # agrees makes an audit of the kind.
            fields = tuple(
                (path, v.value, tuple(o.value for o in paths[path] if o.real and o is not v))
                for path, v in zip(paths, values, strict=True)
                if path in read
            )
            absent = tuple(s for s in framework.standards if s not in applicable)
            for combination in itertools.product(
                *(itertools.combinations_with_replacement(ratings, len(m)) for m in classes)
            ):
                given = {
                    s: r
                    for members, rated in zip(classes, combination, strict=True)
                    for s, r in zip(members, rated, strict=True)
                }
                yield Example(fields, given, absent), real, Facts(given, data)

    return fillings, total, kinds


def _classes(framework: Framework, engine: Engine, data: dict[str, Any]) -> dict[int, list[str]]:
    """The standards that apply to an audit with these data, in sets of interchangeable ones."""
    found: dict[int, list[str]] = {}
    for ident, std in framework.standards.items():
        when = std.applies_when
        if when is not None and not is_applicable(when.field, when.equals, data):
            continue
        found.setdefault(engine.roles(ident), []).append(ident)
    return found


def _fields(
    framework: Framework, conditions: list[Condition]
) -> tuple[dict[str, tuple[Value, ...]], set[str]]:
    """Every field the rules or an ``applies_when`` read, with the values worth trying: each value
    named, then one that is none of them (where the field can hold one), then absent; and the
    fields they read. An agreement that names a field tried adds its other field, and both of its
    values, so that the audits that contradict it can be told apart (and left out)."""
    named: dict[str, list[Any]] = {}
    for cond in conditions:
        for fact in _facts(cond):
            named.setdefault(fact.field, []).append(fact.equals)
    for std in framework.standards.values():
        if std.applies_when is not None:
            named.setdefault(std.applies_when.field, []).append(std.applies_when.equals)
    read = set(named)
    pending = list(framework.spec.agreements)
    while any(rule.when.field in named or rule.then.field in named for rule in pending):
        for rule in [r for r in pending if r.when.field in named or r.then.field in named]:
            pending.remove(rule)
            for side in (rule.when, rule.then):
                named.setdefault(side.field, []).append(side.equals)
    found: dict[str, tuple[Value, ...]] = {}
    for path, values in named.items():
        distinct = _distinct(values)
        spec = resolve_field(framework.spec, path)
        known = spec is not None
        tried = [Value(v, known) for v in distinct]
        other = _has_other(spec, distinct)
        tried.append(Value(_other(spec, distinct), other, other or not known))
        absent = _may_be_absent(spec, path)
        tried.append(Value(None, absent, absent or not known))
        found[path] = tuple(tried)
    return found, read


def _contradicts(rule: Agreement, data: dict[str, Any]) -> bool:
    """Whether audit data contradict an agreement (QA319): the ``when`` fact holds, and the
    ``then`` field holds another value (left out, it contradicts nothing)."""
    if not field_holds(get_field(data, rule.when.field), rule.when.equals):
        return False
    value = get_field(data, rule.then.field)
    return value is not None and not field_holds(value, rule.then.equals)


def _may_be_absent(spec: FieldSpec | None, path: str) -> bool:
    """Whether an audit that passes validation can leave the field out: an optional field, or a
    characteristic (audits need record none of them)."""
    return spec is not None and (not spec.required or path.startswith("characteristics."))


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


def _distinct(values: list[Any]) -> list[Any]:
    """The values, each once (as :func:`_same` tells them apart), in the order first named."""
    # Found in a set, not compared with each value kept: rules naming 20,000 values of one field
    # took four minutes to load.
    distinct: list[Any] = []
    seen: set[tuple[type, Any]] = set()
    for value in values:
        try:
            key = (type(value), value)
            if key in seen:
                continue
            seen.add(key)
        except TypeError:  # an unhashable value, compared with each kept
            if any(_same(value, kept) for kept in distinct):
                continue
        distinct.append(value)
    return distinct


def _other(spec: Any, named: list[Any]) -> Any:
    """A value of the field that is none of those named: a real one where there is one to name."""
    if spec is not None and spec.type == "boolean":
        rest = [b for b in (True, False) if not any(_same(b, n) for n in named)]
        if rest:
            return rest[0]
    if spec is not None and spec.type == "choice":
        rest = [c for c in spec.choice_ids if c not in named]
        if rest:
            return rest[0]
    return _Other()


def _has_other(spec: Any, named: list[Any]) -> bool:
    """Whether an audit can hold a value of the field that is none of those named."""
    if spec is None:
        return False
    if spec.type == "boolean":
        return any(not any(_same(b, n) for n in named) for b in (True, False))
    if spec.type == "choice":
        return any(c not in named for c in spec.choice_ids)
    return spec.type in ("text", "integer", "date")


def _size(cond: Condition) -> int:
    """How many conditions ``cond`` is made of, itself included: what evaluating it costs."""
    if isinstance(cond, AllOf | AnyOf):
        return 1 + sum(_size(sub) for sub in (cond.all_of if isinstance(cond, AllOf) else cond.any_of))
    if isinstance(cond, Not):
        return 1 + _size(cond.not_)
    return 1


def _facts(cond: Condition) -> Iterator[FieldCondition]:
    if isinstance(cond, FieldCondition):
        yield cond
    elif isinstance(cond, AllOf | AnyOf):
        for sub in cond.all_of if isinstance(cond, AllOf) else cond.any_of:
            yield from _facts(sub)
    elif isinstance(cond, Not):
        yield from _facts(cond.not_)


def _data(values: Mapping[str, Any]) -> dict[str, Any]:
    """Audit data holding each dotted path's value (an absent field is left out)."""
    data: dict[str, Any] = {}
    for path, value in values.items():
        if value is None:
            continue
        *parents, name = path.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[name] = value
    return data


def describe(framework: Framework, example: Example) -> str:
    """An audit of this kind in words: ``an audit with 'Planning' rated requires improvement and
    every other standard rated outstanding``."""
    labels = {r: label.lower() for r, label in framework.rating_labels.items()}
    titles = {s: std.short_name for s, std in framework.standards.items()}
    by_rating: dict[str, list[str]] = {}
    for ident in framework.standards:
        if ident in example.ratings:
            by_rating.setdefault(example.ratings[ident], []).append(ident)
    parts: list[str] = []
    if by_rating:
        common = max(by_rating, key=lambda r: (len(by_rating[r]), -framework.rating_rank[r]))
        rest = [(r, ids) for r, ids in by_rating.items() if r != common]
        rest.sort(key=lambda item: framework.rating_rank[item[0]])
        for rating, ids in rest:
            names = and_list([f"'{titles[s]}'" for s in ids])
            parts.append(f"{names} rated {labels[rating]}")
        every = "every other standard" if rest else "every standard"
        if not rest and len(by_rating[common]) == 1:
            every = f"'{titles[by_rating[common][0]]}'"
        parts.append(f"{every} rated {labels[common]}")
    if example.not_applicable:
        names = and_list([f"'{titles[s]}'" for s in example.not_applicable])
        parts.append(f"{names} not applicable")
    facts = []
    for path, value, named in example.fields:
        if isinstance(value, _Other):
            facts.append(f"{path} is not " + " or ".join(show_value(v) for v in named))
        elif value is None:
            facts.append(f"{path} is not filled in")
        else:
            facts.append(f"{path} is {show_value(value)}")
    where = f" where {and_list(facts)}," if facts else ""
    return f"an audit{where} with {and_list(parts)}"
