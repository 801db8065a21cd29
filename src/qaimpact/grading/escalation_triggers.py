"""Which escalation rules of a framework an audit triggers, and why.

The rules are data (``escalations:`` in the standards file): a rule holds when the audit's grade
is one of its ``grades`` and its ``when`` condition holds (either or both). A moderator's grade
counts too: an audit moderated down to a grade that calls for escalation needs escalating even
though its own grade did not. Nothing here reads the clock or the file system.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qaimpact.grading.engine import Facts, applicable_ratings, engine_for
from qaimpact.models.standard import EscalationRule, Framework


@dataclass(frozen=True, slots=True)
class Trigger:
    """An escalation rule that holds for an audit, with the reasons it holds."""

    rule: EscalationRule
    reasons: tuple[str, ...]
    #: Whether only the moderator's grade calls for it (it is then due from the moderation).
    from_moderation: bool = False

    def describe(self) -> str:
        """One line: the escalation, its route and why."""
        return f"{self.rule.title} to {self.rule.raise_to}: " + "; ".join(self.reasons) + "."


def triggers(framework: Framework, data: Mapping[str, Any], grade: str) -> list[Trigger]:
    """The escalation rules that hold for validated audit ``data`` graded ``grade``, in file order."""
    moderated = (data.get("moderation") or {}).get("moderated_grade")
    facts: Facts | None = None
    found: list[Trigger] = []
    for rule in framework.spec.escalations:
        reasons: list[str] = []
        from_moderation = False
        if rule.grades is not None:
            if grade in rule.grades:
                reasons.append(f"graded {framework.grade_labels[grade].lower()}")
            elif moderated in rule.grades:
                reasons.append(f"moderated to {framework.grade_labels[moderated].lower()}")
                from_moderation = True
            else:
                continue
        if rule.when is not None:
            if facts is None:
                facts = Facts(applicable_ratings(framework, data), data)
            holds, lines = engine_for(framework).explain(rule.when, facts)
            if not holds:
                continue
            reasons.extend(line.rstrip(".") for line in lines)
        found.append(Trigger(rule, tuple(reasons), from_moderation))
    return found


NOT_RAISED, RAISED, ACKNOWLEDGED = "not_raised", "raised", "acknowledged"
STATE_LABELS = {
    NOT_RAISED: "not raised",
    RAISED: "raised, awaiting acknowledgement",
    ACKNOWLEDGED: "acknowledged",
}


def state(data: Mapping[str, Any]) -> str:
    """The state of an audit's escalation record: not raised, raised or acknowledged."""
    entry = data.get("escalation") or {}
    if entry.get("acknowledged_on"):
        return ACKNOWLEDGED
    return RAISED if entry.get("raised_on") else NOT_RAISED
