"""Which escalation rules of a framework an audit triggers, and why: the one place that decides.

The rules are data (``escalations:`` in the standards file): a rule holds when the audit's grade
is one of its ``grades`` and its ``when`` condition holds (either or both). Safety signals act on
the most severe evidence held, so "the audit's grade" is the most severe of three grades: the
one the ratings give, the one the auditor recorded and the moderator's. A rule's ``when``
condition reads the audit itself, such as an immediate safeguarding flag. Every report, the
``escalations`` command and its exit code, feedback and ``grade`` ask :func:`triggers`.
Nothing here reads the clock or the file system.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.grading.engine import Facts, applicable_ratings, engine_for, reads_ratings
from qaimpact.models.listing import and_list
from qaimpact.models.standard import EscalationRule, Framework

#: Where a grade came from, as :class:`Signals` names them.
COMPUTED, RECORDED, MODERATED = "computed", "recorded", "moderated"


@dataclass(frozen=True, slots=True)
class Signals:
    """The three grades an audit holds: computed from the ratings, recorded, and moderated."""

    computed: str
    recorded: str | None = None
    moderated: str | None = None

    @classmethod
    def of(cls, framework: Framework, data: Mapping[str, Any], computed: str) -> Signals:
        """The grades of validated audit ``data`` whose ratings give ``computed``."""
        recorded = data.get(framework.spec.grades.key)
        moderated = (data.get("moderation") or {}).get("moderated_grade")
        return cls(computed, recorded or None, moderated or None)

    def grades(self) -> dict[str, str]:
        """Each grade held, by where it came from (computed first)."""
        found = {COMPUTED: self.computed, RECORDED: self.recorded, MODERATED: self.moderated}
        return {source: grade for source, grade in found.items() if grade is not None}

    def most_severe(self, framework: Framework) -> str:
        """The worst of the grades held, on the framework's scale (the computed one on a tie)."""
        rank = framework.grade_rank
        worst = self.computed
        for grade in (self.recorded, self.moderated):
            if grade is not None and rank[grade] > rank[worst]:
                worst = grade
        return worst

    def sources(self, framework: Framework) -> tuple[str, ...]:
        """Where the most severe grade came from (``computed``, ``recorded``, ``moderated``)."""
        worst = self.most_severe(framework)
        return tuple(source for source, grade in self.grades().items() if grade == worst)

    def evidence(self, framework: Framework, *, or_worse: bool = False) -> str:
        """Which evidence gives the most severe grade, in words: "the auditor recorded Inadequate;
        the ratings give Requires improvement to be good".

        ``or_worse``: the ratings are not all given yet, and ``computed`` is the least severe grade
        they could give (:func:`certain_triggers`): "the ratings give Weak or worse, whatever the
        ratings still to be given".
        """
        labels = framework.grade_labels
        worst = self.most_severe(framework)
        sources = self.sources(framework)
        ratings = f"the ratings give {labels[self.computed]}"
        if or_worse:
            # The least severe grade the ratings could give: the best of the scale says nothing.
            if framework.grade_rank[self.computed] == 0:
                ratings = "the ratings are not all given yet"
            else:
                ratings += " or worse, whatever the ratings still to be given"
        if COMPUTED in sources:
            return ratings
        parts = []
        if RECORDED in sources:
            parts.append(f"the auditor recorded {labels[worst]}")
        if MODERATED in sources:
            parts.append(
                "the moderator agreed" if RECORDED in sources else f"the moderator graded it {labels[worst]}"
            )
        return " and ".join(parts) + f"; {ratings}"


@dataclass(frozen=True, slots=True)
class Trigger:
    """An escalation rule that holds for an audit, with the reasons it holds."""

    rule: EscalationRule
    reasons: tuple[str, ...]
    #: Whether only the moderator's grade calls for it (it is then due from the moderation).
    from_moderation: bool = False

    def describe(self) -> str:
        """One line: the escalation, its route and why."""
        return f"{self.rule.title} to {and_list(self.rule.roles)}: " + "; ".join(self.reasons) + "."


def triggers(framework: Framework, data: Mapping[str, Any], computed: str) -> list[Trigger]:
    """The escalation rules that hold for validated audit ``data``, in file order.

    ``computed`` is the grade its ratings give; the grade the auditor recorded and the
    moderator's are read from ``data``, and a rule's ``grades`` are met by the most severe of the
    three (see :class:`Signals`).
    """
    signals = Signals.of(framework, data, computed)
    worst = signals.most_severe(framework)
    facts: Facts | None = None
    found: list[Trigger] = []
    for rule in framework.spec.escalations:
        reasons: list[str] = []
        from_moderation = False
        if rule.grades is not None:
            if worst not in rule.grades:
                continue
            reasons.append(signals.evidence(framework))
            from_moderation = signals.moderated == worst and worst not in (computed, signals.recorded)
        if rule.when is not None:
            if facts is None:
                # The ratings only where a rule reads them: most read a field of the audit alone.
                ratings = applicable_ratings(framework, data) if _when_reads_ratings(framework) else {}
                facts = Facts(ratings, data)
            holds, lines = engine_for(framework).explain(rule.when, facts)
            if not holds:
                continue
            reasons.extend(line.rstrip(".") for line in lines)
        found.append(Trigger(rule, tuple(reasons), from_moderation))
    return found


@functools.lru_cache(maxsize=16)
def _when_reads_ratings(framework: Framework) -> bool:
    """Whether the ``when`` of any escalation rule of ``framework`` reads a standard's rating."""
    return any(rule.when is not None and reads_ratings(rule.when) for rule in framework.spec.escalations)


def certain_triggers(
    framework: Framework, data: Mapping[str, Any], unknown: Collection[str]
) -> list[Trigger] | None:
    """The escalation rules that hold for audit ``data`` whatever the standards ``unknown`` are
    rated once their ratings are given: for a form whose only problems are ratings still to be
    given or put right, the escalations already certain. ``None`` when some way of rating them
    would leave the audit with no grade (then nothing about the ratings is sure).

    With no standard unknown, this is :func:`triggers`. Otherwise a rule's ``grades`` must hold
    for every grade the ratings could give (:meth:`~qaimpact.grading.engine.Engine.possible_grades`),
    each combined with the recorded and moderated grade as :class:`Signals` combines them, and its
    ``when`` condition must hold however they are rated
    (:meth:`~qaimpact.grading.engine.Engine.settled`). The data's other fields are taken as they
    are: the caller knows that none of them has a problem.
    """
    return certain_in_every(framework, [(data, unknown)])


def certain_in_every(
    framework: Framework, cases: Sequence[tuple[Mapping[str, Any], Collection[str]]]
) -> list[Trigger] | None:
    """The escalation rules certain (as :func:`certain_triggers` says) in every one of ``cases``:
    the ways an audit may turn out to be rated, each its data and the standards still open in it,
    with the same recorded and moderated grade. A rating written under a mistyped key that could
    be the key of more than one standard is one case for each (``audits/ahead.py``): a rule is
    said only where it holds whichever standard the rating is meant for. ``None`` when some case
    could leave the audit with no grade.

    The grades the ratings could give are those of every case together, so the evidence said is
    true of each ("the ratings give Requires improvement or worse"); a ``when`` condition must hold
    in every case, and its reasons are those every case gives (the first case's where they
    differ in every line, as a standard's name can).
    """
    engine = engine_for(framework)
    possible: set[str] = set()
    facts: list[tuple[Facts, Collection[str]]] = []
    for data, unknown in cases:
        ratings = {s: r for s, r in applicable_ratings(framework, data).items() if s not in unknown}
        found = engine.possible_grades(Facts(ratings, data), unknown)
        if found is None:
            return None
        possible |= found
        facts.append((Facts(ratings, data), unknown))
    if not facts:
        return None
    rank = framework.grade_rank
    least = min(possible, key=rank.__getitem__)
    held = Signals.of(framework, facts[0][0].data, least)
    signals = [Signals(grade, held.recorded, held.moderated) for grade in possible]
    result: list[Trigger] = []
    for rule in framework.spec.escalations:
        reasons: list[str] = []
        from_moderation = False
        if rule.grades is not None:
            if any(s.most_severe(framework) not in rule.grades for s in signals):
                continue
            reasons.append(held.evidence(framework, or_worse=len(possible) > 1))
            from_moderation = all(
                s.moderated == s.most_severe(framework)
                and s.most_severe(framework) not in (s.computed, s.recorded)
                for s in signals
            )
        if rule.when is not None:
            if any(engine.settled(rule.when, case, unknown) is not True for case, unknown in facts):
                continue
            # Holding whatever the open standards are rated, it holds with them not rated: the
            # reasons are those of the ratings given.
            lines = [[line.rstrip(".") for line in engine.explain(rule.when, case)[1]] for case, _ in facts]
            shared = [line for line in lines[0] if all(line in other for other in lines[1:])]
            reasons.extend(shared or lines[0])
        result.append(Trigger(rule, tuple(reasons), from_moderation))
    return result


def whatever_the_ratings_give(
    framework: Framework, recorded: str | None, moderated: str | None = None
) -> list[Trigger]:
    """The escalation rules that hold whatever grade the ratings give, on the grades an audit
    records and its moderator gave: for an audit not yet graded (a form with problems still to
    put right), the escalations already certain.

    A rule holds on the most severe of the three grades (:class:`Signals`), which is at least as
    severe as the recorded and the moderated grade: a rule certainly holds when it has no
    ``when`` condition and every grade at least as severe as those is one of its ``grades``.
    Grades not on the framework's scale are left out (nothing is sure of them).
    """
    rank, labels = framework.grade_rank, framework.grade_labels
    held = {RECORDED: recorded, MODERATED: moderated}
    known = {source: grade for source, grade in held.items() if grade is not None and grade in rank}
    if not known:
        return []
    worst = max(known.values(), key=lambda grade: rank[grade])
    at_least = {grade for grade in rank if rank[grade] >= rank[worst]}
    words = {
        RECORDED: f"the auditor recorded {labels[worst]}",
        MODERATED: f"the moderator graded it {labels[worst]}",
    }
    reason = " and ".join(words[source] for source, grade in known.items() if grade == worst)
    return [
        Trigger(rule, (reason,), from_moderation=RECORDED not in known or known[RECORDED] != worst)
        for rule in framework.spec.escalations
        if rule.when is None and rule.grades is not None and at_least <= set(rule.grades)
    ]
