"""The threshold engine: pure functions from an audit's ratings and facts to a graded result.

No I/O and no printing. The rules come from the standards file (``thresholds:``); the first rule
whose condition holds decides the grade. The result explains itself: which rule decided, which
standards and facts triggered it, and the smallest set of rating changes that would lift the
grade to the next one on the scale.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from qaimpact.models.audit import constraint_holds, field_holds, get_field, is_applicable, show_value
from qaimpact.models.listing import and_list
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

#: The work the lift search may do, counted as ratings looked at: each trial grading costs the
#: number of ratings its rules look at, and the search stops when the budget is spent (a count,
#: never a clock, so the same audit always gets the same answer). Half of it goes to the search
#: for the smallest set of standards, the rest to the greedy fallback and the lowest targets.
LIFT_BUDGET = 2_000_000
#: A rating condition costs about as much to evaluate as looking at this many ratings.
_CONDITION_COST = 20
#: What every output of a lift says when the search stopped at its budget.
NOT_SMALLEST = (
    "This may not be the smallest change: the search for one stopped at its limit, so fewer "
    "changes might be enough."
)


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
    """What would lift the grade to the next grade on the scale.

    ``smallest`` is false when the search stopped at its budget (:data:`LIFT_BUDGET`) before it
    could rule out a smaller set of changes: the changes shown lift the grade, but fewer might
    (every output then says :data:`NOT_SMALLEST`).
    """

    grade: str
    changes: tuple[Change, ...] = ()
    blocked_by: tuple[str, ...] = ()
    smallest: bool = True

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
        #: Whether each rating of the scale meets a condition that compares ranks, by condition.
        self._verdicts: dict[int, dict[str, bool]] = {}
        #: How a rationale words each rating condition: its ratings and its standards.
        self._words: dict[int, tuple[str, str]] = {}
        #: Each standard as a rationale quotes it: its short name (:meth:`_title`).
        self._titles = {s: std.short_name for s, std in framework.standards.items()}
        #: Every rating condition of the threshold rules, and what one trial grading costs.
        self._rating_conditions = [
            c for rule in self.rules if rule.when for c in _rating_conditions(rule.when)
        ]
        self._trial_cost = sum(_CONDITION_COST + len(self._members(c)) for c in self._rating_conditions) or 1
        self._roles: dict[str, int] | None = None

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

    # -- what is sure while some ratings are not given yet ---------------------------------------

    def possible_grades(self, facts: Facts, unknown: Collection[str]) -> set[str] | None:
        """Every grade the rules could give once the standards ``unknown`` are rated, whatever
        each is rated (anything on the scale, or not rated at all), the other ratings and the data
        being those of ``facts``; ``None`` if some way of rating them leaves no rule holding.

        Sound, not exact: a grade is left out only where no way of rating the standards gives it
        (see :meth:`settled`), so what holds for every grade returned holds for the audit.
        """
        unknown = self._open(facts, unknown)
        found: set[str] = set()
        for rule in self.rules:
            if rule.otherwise:
                found.add(rule.grade)
                return found
            assert rule.when is not None
            state = self._settled(rule.when, facts, unknown)
            if state is False:
                continue
            found.add(rule.grade)
            if state is True:
                return found
        return None

    def settled(self, cond: Condition, facts: Facts, unknown: Collection[str]) -> bool | None:
        """Whether ``cond`` holds whatever the standards ``unknown`` are rated: ``True`` if it holds
        however they are rated, ``False`` if it holds for no rating of them, ``None`` if it depends.

        The ratings of ``unknown`` in ``facts`` are not read. Each of those standards may be given
        any rating on the scale or none, so an answer is sure even where a standard must be rated
        (its rating required).
        """
        return self._settled(cond, facts, self._open(facts, unknown))

    def _open(self, facts: Facts, unknown: Collection[str]) -> frozenset[str]:
        """The standards of ``unknown`` that apply to the audit: one that does not is never rated."""
        standards = self.fw.standards
        return frozenset(
            s
            for s in unknown
            if (when := standards[s].applies_when) is None
            or is_applicable(when.field, when.equals, facts.data)
        )

    def _settled(self, cond: Condition, facts: Facts, unknown: frozenset[str]) -> bool | None:
        if isinstance(cond, RatingCondition):
            return self._settled_rating(cond, facts, unknown)
        if isinstance(cond, FieldCondition):
            return self._eval(cond, facts).holds
        if isinstance(cond, AllOf):
            states = [self._settled(c, facts, unknown) for c in cond.all_of]
            return False if False in states else (True if all(states) else None)
        if isinstance(cond, AnyOf):
            states = [self._settled(c, facts, unknown) for c in cond.any_of]
            return True if True in states else (False if all(s is False for s in states) else None)
        assert isinstance(cond, Not)
        inner = self._settled(cond.not_, facts, unknown)
        return None if inner is None else not inner

    def _settled_rating(self, cond: RatingCondition, facts: Facts, unknown: frozenset[str]) -> bool | None:
        ratings = facts.ratings
        members = self._members(cond)
        known = [ratings[s] for s in members if s in ratings and s not in unknown]
        open_ = sum(1 for s in members if s in unknown)
        pred = self._predicate(cond)
        scale = self.fw.rating_rank
        # A rating off the scale (which the checker refuses) is taken as meeting nothing.
        n = sum(1 for r in known if r in scale and pred(r))
        # Each open standard may meet the condition, be rated so as not to, or not be rated at all.
        can_meet = open_ if any(pred(r) for r in scale) else 0
        can_fail = open_ > 0 and not all(pred(r) for r in scale)
        if cond.count == "any":
            return True if n >= 1 else (False if can_meet == 0 else None)
        if cond.count == "none":
            return False if n >= 1 else (True if can_meet == 0 else None)
        if cond.count == "all":
            return False if n < len(known) else (None if can_fail else True)
        if cond.at_least is not None:
            return True if n >= cond.at_least else (False if n + can_meet < cond.at_least else None)
        limit = cond.at_most or 0
        return False if n > limit else (True if n + can_meet <= limit else None)

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

    def roles(self, standard: str) -> int:
        """Whether the standard is one of those each rating condition of the rules looks at: bit
        ``i`` is set where it is one of the ``i``-th condition's.

        Standards with the same roles are interchangeable: the rules count ratings, so swapping
        two such standards' ratings never changes the grade (the lift search and
        :mod:`qaimpact.grading.coverage` rely on it).
        """
        if self._roles is None:
            # Worked out for every standard at once, from each condition's members: asked of
            # each standard, condition by condition, a framework of 2,000 standards each named
            # by a rule took seconds to load.
            roles = dict.fromkeys(self.fw.standards, 0)
            for i, cond in enumerate(self._rating_conditions):
                for member in set(self._members(cond)):
                    roles[member] |= 1 << i
            self._roles = roles
        return self._roles.get(standard, 0)

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
            data = facts.data
            value = get_field(data if type(data) is dict else dict(data), cond.field)
            label = cond.label or f"{cond.field} is {show_value(cond.equals)}"
            holds = field_holds(value, cond.equals)
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
        ratings = facts.ratings
        key = id(cond)
        expanded = self._expanded.get(key)
        if expanded is None:
            expanded = self._members(cond)
        members = [s for s in expanded if s in ratings]
        # The members whose rating meets the condition, as _predicate judges, without a call for
        # each (a rating off the scale fails a comparison of ranks as it always did).
        if cond.rated is not None:
            target = cond.rated
            matches = [s for s in members if ratings[s] == target]
        elif cond.rated_at_least is not None or cond.rated_at_most is not None:
            verdict = self._verdicts.get(key)
            if verdict is None:
                pred = self._predicate(cond)
                verdict = self._verdicts[key] = {r: pred(r) for r in self.fw.rating_rank}
            matches = [s for s in members if verdict[ratings[s]]]
        else:
            allowed = set(cond.rated_in or ())
            matches = [s for s in members if ratings[s] in allowed]
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
        words = self._words.get(id(cond))
        if words is None:
            # What a condition says of itself depends on it and the framework alone: said once.
            words = self._words[id(cond)] = (self._rating_words(cond), self._scope(cond))
        what, scope = words
        titles = self._titles
        if not matches:
            names = and_list([f"'{titles[s]}'" for s in members])
            return f"None of {scope} is {what}: {names}." if members else f"No standard is {what}."
        if cond.at_most is not None:
            items = [f"'{titles[s]}' is rated {self._label(facts.ratings[s])}" for s in matches]
            verb = "is" if len(matches) == 1 else "are"
            return (
                f"Only {len(matches)} of {scope} (at most {cond.at_most}) {verb} {what}: "
                + and_list(items)
                + "."
            )
        if cond.count == "all":
            names = and_list([f"'{titles[s]}'" for s in members])
            return f"All {len(members)} of {scope} are {what}: {names}."
        items = [f"'{titles[s]}' is rated {self._label(facts.ratings[s])}" for s in matches]
        return and_list(items) + "."

    def _scope(self, cond: RatingCondition) -> str:
        if cond.standards == "all":
            return "the applicable standards"
        titles = {g.id: g.title for g in self.fw.spec.groups}
        names = [
            titles.get(i, self.fw.standards[i].short_name if i in self.fw.standards else i)
            for i in cond.standards
        ]
        return "the standards of " + and_list([n.lower() if n in titles.values() else n for n in names])

    def _rating_words(self, cond: RatingCondition) -> str:
        if cond.rated is not None:
            return f"rated {self._label(cond.rated)}"
        if cond.rated_at_least is not None:
            return f"rated {self._label(cond.rated_at_least)} or better"
        if cond.rated_at_most is not None:
            return f"rated {self._label(cond.rated_at_most)} or worse"
        return "rated " + " or ".join(self._label(r) for r in cond.rated_in or ())

    def _title(self, standard: str) -> str:
        return self.fw.standards[standard].short_name

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
        """The smallest set of rating changes that lifts ``current`` to at least the next grade.

        Sets of standards are tried smallest first; standards that play the same part in every
        rule and have the same rating are interchangeable, so only one of each such set is tried.
        The work is bounded by :data:`LIFT_BUDGET`: past it, the set is found greedily and the
        lift says it may not be the smallest.
        """
        scale = list(self.fw.grade_rank)
        position = self.fw.grade_rank[current]
        if position == 0:
            return None
        target = scale[position - 1]
        goal = position - 1
        top = self.fw.spec.ratings[0].id
        candidates = [s for s in self.fw.standards if s in facts.ratings and facts.ratings[s] != top]
        budget = _Budget(LIFT_BUDGET)
        cost = self._trial_cost

        def reaches(changes: Mapping[str, str]) -> bool:
            budget.spend(cost)
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
        found, smallest = self._smallest(candidates, facts, top, reaches, budget)
        chosen = sorted(found, key=order.__getitem__)
        targets = self._lowest_targets(chosen, facts, reaches, budget)
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
        return Lift(target, changes, smallest=smallest)

    def _blocking_constraints(self, standard: str, rating: str, facts: Facts) -> tuple[str, ...]:
        group = self.fw.group_of[standard]
        entry = (facts.data.get(group) or {}).get(standard) or {}
        return tuple(
            rule.hint
            for rule in self.fw.standards[standard].constraints
            if constraint_holds(rule.when, entry) and rating not in rule.ratings
        )

    def _smallest(
        self,
        candidates: list[str],
        facts: Facts,
        top: str,
        reaches: Callable[[Mapping[str, str]], bool],
        budget: _Budget,
    ) -> tuple[list[str], bool]:
        """The standards to raise, and whether no smaller set would do.

        Sets are tried by size, each size in the order of ``itertools.combinations``, but a set
        that takes a standard and leaves out an interchangeable one before it is skipped: the set
        with the earlier one was tried first and grades the same.
        """
        # Interchangeable: the same rating now and a member of exactly the same rating conditions.
        signature = {s: (facts.ratings[s], self.roles(s)) for s in candidates}
        previous: list[int] = []
        last_of: dict[Any, int] = {}
        for index, standard in enumerate(candidates):
            previous.append(last_of.get(signature[standard], -1))
            last_of[signature[standard]] = index
        searched = 0  # every set of up to this many standards has been tried
        half = budget.total // 2
        for size in range(1, len(candidates) + 1):
            for subset in _canonical_combinations(len(candidates), size, previous, budget, half):
                if reaches(dict.fromkeys((candidates[i] for i in subset), top)):
                    return [candidates[i] for i in subset], True
            if budget.spent >= half:
                break
            searched = size
        # Greedy: start from every candidate raised and drop what is not needed, in halves, then
        # quarters, down to one standard at a time. Stopped by the budget, what is left still
        # lifts the grade, only with more changes than needed.
        chosen = list(candidates)
        chunk = max(1, len(chosen) // 2)
        while not budget.exhausted:
            start = 0
            while start < len(chosen) and not budget.exhausted:
                trial = chosen[:start] + chosen[start + chunk :]
                if trial and reaches(dict.fromkeys(trial, top)):
                    chosen = trial
                else:
                    start += chunk
            if chunk == 1:
                break
            chunk = max(1, chunk // 2)
        return chosen, len(chosen) <= searched + 1

    def _lowest_targets(
        self,
        chosen: list[str],
        facts: Facts,
        reaches: Callable[[Mapping[str, str]], bool],
        budget: _Budget,
    ) -> dict[str, str]:
        ratings = [r.id for r in self.fw.spec.ratings]
        targets = dict.fromkeys(chosen, ratings[0])
        for standard in chosen:
            current = self.fw.rating_rank[facts.ratings[standard]]
            # From just above the current rating upwards: the first that still reaches wins.
            for rank in range(current - 1, -1, -1):
                if budget.exhausted:
                    return targets
                trial = {**targets, standard: ratings[rank]}
                if reaches(trial):
                    targets = trial
                    break
        return targets


class _Budget:
    """Work the lift search may still do, in ratings looked at."""

    __slots__ = ("spent", "total")

    def __init__(self, total: int) -> None:
        self.total = total
        self.spent = 0

    def spend(self, amount: int) -> None:
        self.spent += amount

    @property
    def exhausted(self) -> bool:
        return self.spent >= self.total


def _canonical_combinations(
    n: int, size: int, previous: list[int], budget: _Budget, limit: int
) -> Iterator[tuple[int, ...]]:
    """The ``size``-subsets of ``range(n)`` in lexicographic order, leaving out every subset that
    holds an index without the index ``previous`` names (the interchangeable one before it).

    Each index looked at costs one unit of the budget; the subsets stop once ``limit`` is spent.
    """
    chosen: list[int] = []
    taken = [False] * n

    def extend(start: int, remaining: int) -> Iterator[tuple[int, ...]]:
        if remaining == 0:
            yield tuple(chosen)
            return
        for index in range(start, n - remaining + 1):
            budget.spend(1)
            if budget.spent >= limit:
                return
            before = previous[index]
            if before != -1 and not taken[before]:
                continue
            chosen.append(index)
            taken[index] = True
            yield from extend(index + 1, remaining - 1)
            taken[index] = False
            chosen.pop()

    return extend(0, size)


def reads_ratings(cond: Condition) -> bool:
    """Whether evaluating ``cond`` reads any standard's rating (it holds a rating condition)."""
    return next(_rating_conditions(cond), None) is not None


def _rating_conditions(cond: Condition) -> Iterator[RatingCondition]:
    if isinstance(cond, RatingCondition):
        yield cond
    elif isinstance(cond, AllOf):
        for sub in cond.all_of:
            yield from _rating_conditions(sub)
    elif isinstance(cond, AnyOf):
        for sub in cond.any_of:
            yield from _rating_conditions(sub)
    elif isinstance(cond, Not):
        yield from _rating_conditions(cond.not_)


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


_ENGINES: dict[int, Engine] = {}


def engine_for(framework: Framework) -> Engine:
    """One engine per framework, reused across audits."""
    engine = _ENGINES.get(id(framework))
    if engine is None or engine.fw is not framework:
        engine = _ENGINES[id(framework)] = Engine(framework)
    return engine
