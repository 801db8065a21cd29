"""Where an audit's escalation stands: who was told, acknowledgement, outcome, closure, and what is late.

An escalation is a process. The audit's ``escalation:`` record says who was told and when
(``recipients``), when it was acknowledged and by whom, the outcome for the child (what was done,
and the date the case was confirmed safe) and when it was closed and by whom. Its state is the
furthest step recorded:

    not raised -> raised, awaiting acknowledgement -> acknowledged, awaiting the outcome
               -> outcome recorded, awaiting closure -> closed

The earlier shape of the record, ``raised_to: ROLE`` with ``raised_on``, reads as one recipient
told on ``raised_on``, so old audit files mean what they always meant.

The rules that hold (:func:`~qaimpact.grading.escalation_triggers.triggers`) set the route (the
roles to tell) and when each step is due: telling every role ``within_days`` of the audit (or of
the moderation that called for it), acknowledgement and the outcome within their days of raising
it. :func:`lifecycle` works all of that out against a ``today`` the caller passes in; it never
reads the clock, so a report or a finding can be reproduced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.grading.escalation_triggers import Trigger
from qaimpact.models.audit import person_key

NOT_RAISED, RAISED, ACKNOWLEDGED, OUTCOME_RECORDED, CLOSED = (
    "not_raised",
    "raised",
    "acknowledged",
    "outcome_recorded",
    "closed",
)
#: The states, in the order an escalation goes through them.
STATES = (NOT_RAISED, RAISED, ACKNOWLEDGED, OUTCOME_RECORDED, CLOSED)
STATE_LABELS = {
    NOT_RAISED: "not raised",
    RAISED: "raised, awaiting acknowledgement",
    ACKNOWLEDGED: "acknowledged, awaiting the outcome",
    OUTCOME_RECORDED: "outcome recorded, awaiting closure",
    CLOSED: "closed",
}

#: What can be amiss with an escalation, as reports and ``--fail-on`` name it.
RAISE_OVERDUE = "raise_overdue"
RAISED_LATE = "raised_late"
OFF_ROUTE = "off_route"
NOT_TOLD = "not_told"
ACKNOWLEDGEMENT_OVERDUE = "acknowledgement_overdue"
ACKNOWLEDGED_LATE = "acknowledged_late"
OUTCOME_OVERDUE = "outcome_overdue"
OUTCOME_LATE = "outcome_late"
FLAGS = (
    RAISE_OVERDUE,
    RAISED_LATE,
    OFF_ROUTE,
    NOT_TOLD,
    ACKNOWLEDGEMENT_OVERDUE,
    ACKNOWLEDGED_LATE,
    OUTCOME_OVERDUE,
    OUTCOME_LATE,
)
#: The flags of a step that is due and not done: the ones a QA manager must chase today.
OVERDUE_FLAGS = (RAISE_OVERDUE, ACKNOWLEDGEMENT_OVERDUE, OUTCOME_OVERDUE)


def state(data: Mapping[str, Any]) -> str:
    """The state of an audit's escalation record: the furthest step it records."""
    entry = data.get("escalation") or {}
    if entry.get("closed_on"):
        return CLOSED
    if entry.get("outcome"):
        return OUTCOME_RECORDED
    if entry.get("acknowledged_on"):
        return ACKNOWLEDGED
    return RAISED if entry.get("raised_on") else NOT_RAISED


@dataclass(frozen=True, slots=True)
class Told:
    """One recipient of an escalation: the role they were told in, their name and the date."""

    role: str
    name: str | None
    told_on: dt.date
    #: Where the audit records them: ``("escalation", "recipients", i)``, or
    #: ``("escalation", "raised_to")`` in the earlier shape.
    path: tuple[Any, ...]

    @property
    def who(self) -> str:
        """The role, with the name in brackets when the record gives one."""
        return f"{self.role} ({self.name})" if self.name else self.role


def recipients(entry: Mapping[str, Any]) -> list[Told]:
    """Everyone an escalation record says was told, whichever shape it has."""
    listed = entry.get("recipients")
    if listed:
        return [
            Told(r["role"], r.get("name") or None, r["told_on"], ("escalation", "recipients", i))
            for i, r in enumerate(listed)
        ]
    if entry.get("raised_to") and entry.get("raised_on"):
        return [Told(entry["raised_to"], None, entry["raised_on"], ("escalation", "raised_to"))]
    return []


def on_route(role: str, route_role: str) -> bool:
    """Whether a role recorded is the route's role, ignoring case and spacing; a record may add
    to it, as in "Head of Service (North)"."""
    return person_key(route_role) in person_key(role)


def route_of(found: Sequence[Trigger]) -> tuple[str, ...]:
    """The roles every rule that holds says to tell, in order, each once."""
    return tuple(dict.fromkeys(role for t in found for role in t.rule.roles))


def _soonest(values: Sequence[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _after(day: dt.date | None, limit: int | None) -> dt.date | None:
    return None if day is None or limit is None else day + dt.timedelta(days=limit)


def days_late(done: dt.date | None, due: dt.date | None) -> int:
    """Whole days a step done on ``done`` came after ``due`` (0: on time, not done, or no due date)."""
    return (done - due).days if done is not None and due is not None and done > due else 0


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """An escalation an audit needs, as it stands on ``today``: its steps, due dates and flags.

    Day counts are whole days; a ``..._overdue_days`` is how long a step that is not done has
    been past its due date, and a ``..._late_days`` how long after its due date a step was done.
    Both are 0 when nothing is late.
    """

    triggers: tuple[Trigger, ...]
    today: dt.date
    #: The day raising it became due: the review date, or the moderation's where only the
    #: moderator's grade calls for it.
    start: dt.date
    route: tuple[str, ...]
    state: str
    raised_on: dt.date | None
    recipients: tuple[Told, ...]
    acknowledged_on: dt.date | None
    acknowledged_by: str | None
    outcome: Mapping[str, Any] | None
    closed_on: dt.date | None
    closed_by: str | None
    note: str | None
    #: Every role on the route must be told by this date.
    due: dt.date
    acknowledge_due: dt.date | None
    outcome_due: dt.date | None
    #: Recipients whose role is not on the route.
    off_route: tuple[Told, ...]
    #: Roles on the route no one was told in, once telling them is past due.
    not_told: tuple[str, ...]
    raise_overdue_days: int
    #: How long after ``due`` the escalation was raised: the later of ``raised_on`` and the day
    #: the last role on the route was first told, as every role must be told by ``due``.
    raised_late_days: int
    acknowledgement_overdue_days: int
    acknowledged_late_days: int
    outcome_overdue_days: int
    outcome_late_days: int

    #: Roles on the route first told after ``due`` and after ``raised_on``, with how many days
    #: after ``due``: raising it on time to some does not make it on time to all.
    told_late: tuple[tuple[str, int], ...] = ()

    @property
    def safe_on(self) -> dt.date | None:
        """The date the case was confirmed safe, once the outcome is recorded."""
        return self.outcome["safe_on"] if self.outcome else None

    @property
    def flags(self) -> tuple[str, ...]:
        """What is amiss (see :data:`FLAGS`), in that order."""
        found = {
            RAISE_OVERDUE: self.raise_overdue_days > 0,
            RAISED_LATE: self.raised_late_days > 0,
            OFF_ROUTE: bool(self.off_route),
            NOT_TOLD: bool(self.not_told),
            ACKNOWLEDGEMENT_OVERDUE: self.acknowledgement_overdue_days > 0,
            ACKNOWLEDGED_LATE: self.acknowledged_late_days > 0,
            OUTCOME_OVERDUE: self.outcome_overdue_days > 0,
            OUTCOME_LATE: self.outcome_late_days > 0,
        }
        return tuple(flag for flag, holds in found.items() if holds)

    @property
    def overdue(self) -> bool:
        """Whether a step is due and not done."""
        return any(flag in OVERDUE_FLAGS for flag in self.flags)

    @property
    def waiting_days(self) -> int | None:
        """Days since the last step, waiting for the next (``None`` once closed)."""
        since = {
            NOT_RAISED: self.start,
            RAISED: self.raised_on,
            ACKNOWLEDGED: self.acknowledged_on,
            OUTCOME_RECORDED: self.safe_on,
        }.get(self.state)
        return None if since is None else (self.today - since).days

    def days_to(self, step: dt.date | None) -> int | None:
        """Days from raising it to a later step (``None`` until both happened)."""
        if self.raised_on is None or step is None:
            return None
        return (step - self.raised_on).days


def lifecycle(found: Sequence[Trigger], data: Mapping[str, Any], today: dt.date) -> Lifecycle:
    """Where the escalation of validated audit ``data`` stands on ``today``.

    ``found`` are the rules that hold for it (not empty).
    """
    review: dt.date = data["review_date"]
    start = review
    if all(t.from_moderation for t in found):
        # The audit's own grades did not call for it; the moderator's did, on the moderation date.
        start = data["moderation"]["moderated_on"]
    rules = [t.rule for t in found]
    route = route_of(found)
    due = start + dt.timedelta(days=min(r.within_days for r in rules))
    entry: Mapping[str, Any] = data.get("escalation") or {}
    current = state(data)
    raised_on: dt.date | None = entry.get("raised_on")
    acknowledged_on: dt.date | None = entry.get("acknowledged_on")
    outcome: Mapping[str, Any] | None = entry.get("outcome") or None
    told = tuple(recipients(entry))
    acknowledge_due = _after(raised_on, _soonest([r.acknowledge_within_days for r in rules]))
    outcome_due = _after(raised_on, _soonest([r.outcome_within_days for r in rules]))
    open_without_outcome = current in (RAISED, ACKNOWLEDGED)
    # The day each role on the route was first told: every role is due to be told by ``due``.
    first_told = {
        role: min(days) for role in route if (days := [t.told_on for t in told if on_route(t.role, role)])
    }
    told_late = tuple(
        (role, days_late(day, due))
        for role, day in first_told.items()
        if days_late(day, due) and (raised_on is None or day > raised_on)
    )
    not_told: tuple[str, ...] = ()
    if told and today > due:
        not_told = tuple(role for role in route if not any(on_route(t.role, role) for t in told))
    return Lifecycle(
        triggers=tuple(found),
        today=today,
        start=start,
        route=route,
        state=current,
        raised_on=raised_on,
        recipients=told,
        acknowledged_on=acknowledged_on,
        acknowledged_by=entry.get("acknowledged_by") or None,
        outcome=outcome,
        closed_on=entry.get("closed_on"),
        closed_by=entry.get("closed_by") or None,
        note=entry.get("note") or None,
        due=due,
        acknowledge_due=acknowledge_due,
        outcome_due=outcome_due,
        off_route=tuple(t for t in told if not any(on_route(t.role, role) for role in route)),
        not_told=not_told,
        raise_overdue_days=days_late(today, due) if current == NOT_RAISED else 0,
        raised_late_days=max(
            [days_late(raised_on, due), *(days_late(day, due) for day in first_told.values())]
        ),
        told_late=told_late,
        acknowledgement_overdue_days=days_late(today, acknowledge_due) if current == RAISED else 0,
        acknowledged_late_days=days_late(acknowledged_on, acknowledge_due),
        outcome_overdue_days=days_late(today, outcome_due) if open_without_outcome else 0,
        outcome_late_days=days_late(outcome["safe_on"] if outcome else None, outcome_due),
    )
