"""The threshold engine: pure functions from an audit's ratings and facts to a graded result.

No I/O and no printing. The rules come from the standards file (``thresholds:``); the first rule
whose condition holds decides the grade. The result explains itself: which rule decided, which
standards and facts triggered it, and the smallest set of rating changes that would lift the
grade to the next one on the scale.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qaimpact.models.audit import constraint_holds, get_field, is_applicable, show_value
from qaimpact.models.standard import (
    NOT_APPLICABLE,
    AllOf,
    AnyOf,
    Condition,
    FieldCondition,
    Framework,
    Not,
    RatingCondition,
    ThresholdRule,
)

#: Subset sizes searched exhaustively for the smallest lift; larger lifts are found greedily.
_EXACT_LIFT_SIZE = 3


@dataclass(frozen=True, slots=True)
class Facts:
    """What the threshold rules look at: each applicable standard's rating, and the audit data."""

    ratings: Mapping[str, str]
    data: Mapping[str, Any] = field(default_factory=dict)

    def with_ratings(self, changes: Mapping[str, str]) -> Facts:
        """A copy with some ratings changed."""
        return Facts({**self.ratings, **changes}, self.data)


@dataclass(frozen=True, slots=True)
class Change:
    """Raise one standard from one rating to another.

    ``requires`` lists what must also change on the file first, where one of the standard's
    constraints would not allow the new rating with the facts recorded now.
    """

    standard: str
    title: str
    from_rating: str
    to_rating: str
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lift:
    """What would lift the grade to the next grade on the scale."""

    grade: str
    changes: tuple[Change, ...] = ()
    blocked_by: tuple[str, ...] = ()

    @property
    def reachable(self) -> bool:
        """Whether rating changes alone can lift the grade."""
        return not self.blocked_by


@dataclass(frozen=True, slots=True)
class GradeResult:
    """The computed grade of one audit, with its explanation."""

    grade: str
    rule_index: int
    rationale: tuple[str, ...]
    deciding_standards: tuple[str, ...]
    deciding_facts: tuple[str, ...]
    recorded: str | None
    lift: Lift | None

    @property
    def differs(self) -> bool:
        """Whether the auditor recorded a different grade."""
        return self.recorded is not None and self.recorded != self.grade


class NoRuleMatched(Exception):
    """No threshold rule holds: the standards file leaves this combination ungraded."""


@dataclass(slots=True)
class _Outcome:
    holds: bool
    lines: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def applicable_ratings(framework: Framework, data: Mapping[str, Any]) -> dict[str, str]:
    """Each applicable standard's rating, read from validated audit data.

    A standard with ``applies_when`` that does not hold is left out, whatever it was rated.
    """
    ratings: dict[str, str] = {}
    for group in framework.spec.groups:
        entries = data.get(group.id) or {}
        for std in group.standards:
            entry = entries.get(std.id)
            if std.applies_when is not None and not is_applicable(
                std.applies_when.field, std.applies_when.equals, data
            ):
                continue
            if entry and entry.get("rating") not in (None, NOT_APPLICABLE):
                ratings[std.id] = entry["rating"]
    return ratings


class Engine:
    """Applies one framework's threshold rules."""

    def __init__(self, framework: Framework) -> None:
        self.fw = framework
        self.rules: list[ThresholdRule] = list(framework.spec.thresholds)
        self._expanded: dict[int, list[str]] = {}

    # -- evaluation --------------------------------------------------------------------------

    def decide(self, facts: Facts) -> tuple[int, _Outcome]:
        """The index of the first rule that holds, and why it holds."""
        for index, rule in enumerate(self.rules):
            if rule.otherwise:
                return index, _Outcome(True)
            assert rule.when is not None
            outcome = self._eval(rule.when, facts)
            if outcome.holds:
                return index, outcome
        raise NoRuleMatched

    def explain(self, cond: Condition, facts: Facts) -> tuple[bool, tuple[str, ...]]:
        """Whether a condition holds for the facts, and why (the lines a rationale quotes)."""
        outcome = self._eval(cond, facts)
        return outcome.holds, tuple(outcome.lines)

    def grade_of(self, facts: Facts) -> str:
        """Just the grade."""
        return self.rules[self.decide(facts)[0]].grade

    def _members(self, cond: RatingCondition) -> list[str]:
        key = id(cond)
        found = self._expanded.get(key)
        if found is None:
            found = self._expanded[key] = self.fw.expand(cond.standards)
        return found

    def _predicate(self, cond: RatingCondition) -> Callable[[str], bool]:
        rank = self.fw.rating_rank
        if cond.rated is not None:
            target = cond.rated
            return lambda r: r == target
        if cond.rated_at_least is not None:
            limit = rank[cond.rated_at_least]
            return lambda r: rank[r] <= limit
        if cond.rated_at_most is not None:
            limit = rank[cond.rated_at_most]
            return lambda r: rank[r] >= limit
        allowed = set(cond.rated_in or ())
        return lambda r: r in allowed

    def _eval(self, cond: Condition, facts: Facts) -> _Outcome:
        if isinstance(cond, RatingCondition):
            return self._eval_rating(cond, facts)
        if isinstance(cond, FieldCondition):
            value = get_field(dict(facts.data), cond.field)
            label = cond.label or f"{cond.field} is {show_value(cond.equals)}"
            holds = value == cond.equals
            return _Outcome(holds, [label] if holds else [], [], [label] if holds else [])
        if isinstance(cond, AllOf):
            parts = [self._eval(c, facts) for c in cond.all_of]
            if all(p.holds for p in parts):
                return _merge(True, parts)
            return _Outcome(False)
        if isinstance(cond, AnyOf):
            parts = [p for p in (self._eval(c, facts) for c in cond.any_of) if p.holds]
            return _merge(True, parts) if parts else _Outcome(False)
        assert isinstance(cond, Not)
        inner = self._eval(cond.not_, facts)
        return _Outcome(
            not inner.holds,
            [] if inner.holds else ["it is not the case that the opposite rule holds"],
        )

    def _eval_rating(self, cond: RatingCondition, facts: Facts) -> _Outcome:
        members = [s for s in self._members(cond) if s in facts.ratings]
        pred = self._predicate(cond)
        matches = [s for s in members if pred(facts.ratings[s])]
        n, total = len(matches), len(members)
        if cond.count == "any":
            holds = n >= 1
        elif cond.count == "all":
            holds = n == total
        elif cond.count == "none":
            holds = n == 0
        elif cond.at_least is not None:
            holds = n >= cond.at_least
        else:
            holds = n <= (cond.at_most or 0)
        if not holds:
            return _Outcome(False)
        # A rule that holds because few standards match ("none", "at most") is explained by the
        # standards it looked at; one that holds because some match, by those that match.
        shown = matches if matches else members
        return _Outcome(True, [self._describe(cond, matches, members, facts)], list(shown))

    def _describe(self, cond: RatingCondition, matches: list[str], members: list[str], facts: Facts) -> str:
        what = self._rating_words(cond)
        if not matches:
            names = _join([f"'{self._title(s)}'" for s in members])
            return (
                f"None of {self._scope(cond)} is {what}: {names}." if members else f"No standard is {what}."
            )
        if cond.at_most is not None:
            items = [f"'{self._title(s)}' is rated {self._label(facts.ratings[s])}" for s in matches]
            verb = "is" if len(matches) == 1 else "are"
            return (
                f"Only {len(matches)} of {self._scope(cond)} (at most {cond.at_most}) {verb} {what}: "
                + _join(items)
                + "."
            )
        if cond.count == "all":
            names = _join([f"'{self._title(s)}'" for s in members])
            return f"All {len(members)} of {self._scope(cond)} are {what}: {names}."
        items = [f"'{self._title(s)}' is rated {self._label(facts.ratings[s])}" for s in matches]
        return _join(items) + "."

    def _scope(self, cond: RatingCondition) -> str:
        if cond.standards == "all":
            return "the applicable standards"
        titles = {g.id: g.title for g in self.fw.spec.groups}
        names = [
            titles.get(i, self.fw.standards[i].title if i in self.fw.standards else i) for i in cond.standards
        ]
        return "the standards of " + _join([n.lower() if n in titles.values() else n for n in names])

    def _rating_words(self, cond: RatingCondition) -> str:
        if cond.rated is not None:
            return f"rated {self._label(cond.rated)}"
        if cond.rated_at_least is not None:
            return f"rated {self._label(cond.rated_at_least)} or better"
        if cond.rated_at_most is not None:
            return f"rated {self._label(cond.rated_at_most)} or worse"
        return "rated " + " or ".join(self._label(r) for r in cond.rated_in or ())

    def _title(self, standard: str) -> str:
        return self.fw.standards[standard].title.rstrip(".")

    def _label(self, rating: str) -> str:
        return self.fw.rating_labels.get(rating, rating).lower()

    # -- results -------------------------------------------------------------------------------

    def grade(self, facts: Facts, recorded: str | None = None, *, with_lift: bool = True) -> GradeResult:
        """Grade an audit and explain the grade."""
        index, outcome = self.decide(facts)
        rule = self.rules[index]
        label = self.fw.grade_labels[rule.grade]
        summary = _sentence(rule.summary) if rule.summary else ""
        if rule.otherwise:
            head = f"{label}: no earlier threshold rule holds." + (f" {summary}" if summary else "")
        else:
            head = f"{label}: {summary}" if summary else f"{label}: threshold rule {index + 1} holds."
        rationale = (head, *(_sentence(line) for line in outcome.lines))
        return GradeResult(
            grade=rule.grade,
            rule_index=index,
            rationale=rationale,
            deciding_standards=tuple(dict.fromkeys(outcome.standards)),
            deciding_facts=tuple(outcome.facts),
            recorded=recorded,
            lift=self.lift(facts, rule.grade) if with_lift else None,
        )

    def lift(self, facts: Facts, current: str) -> Lift | None:
        """The smallest set of rating changes that lifts ``current`` to at least the next grade."""
        scale = list(self.fw.grade_rank)
        position = self.fw.grade_rank[current]
        if position == 0:
            return None
        target = scale[position - 1]
        goal = position - 1
        top = self.fw.spec.ratings[0].id
        candidates = [s for s in self.fw.standards if s in facts.ratings and facts.ratings[s] != top]

        def reaches(changes: Mapping[str, str]) -> bool:
            try:
                return self.fw.grade_rank[self.grade_of(facts.with_ratings(changes))] <= goal
            except NoRuleMatched:
                return False

        if not reaches(dict.fromkeys(candidates, top)):
            try:
                _, outcome = self.decide(facts.with_ratings(dict.fromkeys(candidates, top)))
                blockers = tuple(outcome.facts)
            except NoRuleMatched:
                blockers = ()
            return Lift(target, (), blockers or ("the threshold rules give no better grade",))
        # File order, so that the same audit always gets the same advice in the same order.
        order = {s: i for i, s in enumerate(self.fw.standards)}
        chosen = sorted(self._smallest(candidates, top, reaches), key=order.__getitem__)
        targets = self._lowest_targets(chosen, facts, reaches)
        changes = tuple(
            Change(
                s,
                self.fw.standards[s].title,
                facts.ratings[s],
                targets[s],
                self._blocking_constraints(s, targets[s], facts),
            )
            for s in chosen
        )
        return Lift(target, changes)

    def _blocking_constraints(self, standard: str, rating: str, facts: Facts) -> tuple[str, ...]:
        group = self.fw.group_of[standard]
        entry = (facts.data.get(group) or {}).get(standard) or {}
        return tuple(
            rule.hint
            for rule in self.fw.standards[standard].constraints
            if constraint_holds(rule.when, entry) and rating not in rule.ratings
        )

    def _smallest(
        self, candidates: list[str], top: str, reaches: Callable[[Mapping[str, str]], bool]
    ) -> list[str]:
        for size in range(1, min(_EXACT_LIFT_SIZE, len(candidates)) + 1):
            for subset in itertools.combinations(candidates, size):
                if reaches(dict.fromkeys(subset, top)):
                    return list(subset)
        # Greedy: start from every candidate raised and drop those that are not needed.
        chosen = list(candidates)
        for standard in list(candidates):
            trial = [s for s in chosen if s != standard]
            if reaches(dict.fromkeys(trial, top)):
                chosen = trial
        return chosen

    def _lowest_targets(
        self, chosen: list[str], facts: Facts, reaches: Callable[[Mapping[str, str]], bool]
    ) -> dict[str, str]:
        ratings = [r.id for r in self.fw.spec.ratings]
        targets = dict.fromkeys(chosen, ratings[0])
        for standard in chosen:
            current = self.fw.rating_rank[facts.ratings[standard]]
            # From just above the current rating upwards: the first that still reaches wins.
            for rank in range(current - 1, -1, -1):
                trial = {**targets, standard: ratings[rank]}
                if reaches(trial):
                    targets = trial
                    break
        return targets


def _merge(holds: bool, parts: Iterable[_Outcome]) -> _Outcome:
    merged = _Outcome(holds)
    for part in parts:
        merged.lines.extend(part.lines)
        merged.standards.extend(part.standards)
        merged.facts.extend(part.facts)
    return merged


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.rstrip("\"'”’)").endswith((".", "!", "?")) else text + "."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_ENGINES: dict[int, Engine] = {}


def engine_for(framework: Framework) -> Engine:
    """One engine per framework, reused across audits."""
    engine = _ENGINES.get(id(framework))
    if engine is None or engine.fw is not framework:
        engine = _ENGINES[id(framework)] = Engine(framework)
    return engine
