"""Escalations: every audit that must be escalated, whether it was, and how long it has waited.

Which audits need escalating is the frameworks' data
(:mod:`qaimpact.grading.escalation_triggers`); whether it happened is the audit's ``escalation:``
record. An escalation is *not raised* (no record),
*raised* (awaiting acknowledgement) or *acknowledged*. Ages are counted in days from a ``today``
the caller passes in, so a report can be reproduced; a rule's ``within_days`` sets when raising
it is due.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import SETTLED_GRADE, AuditRecord, facet
from qaimpact.cycle.common import days, iso, left_out
from qaimpact.grading.escalation_triggers import (
    ACKNOWLEDGED,
    NOT_RAISED,
    RAISED,
    STATE_LABELS,
    Trigger,
    state,
    triggers,
)
from qaimpact.models.audit import person_key
from qaimpact.privacy.disclosure import count, hidden_share, share

STATES = (NOT_RAISED, RAISED, ACKNOWLEDGED)
COLUMNS = [
    "state",
    "audit_id",
    "file",
    "framework",
    "review_date",
    "practitioner",
    "team",
    "grade",
    "escalation",
    "raise_to",
    "due",
    "raised_to",
    "raised_on",
    "acknowledged_on",
    "age_days",
    "waiting_days",
    "overdue_days",
    "raised_late_days",
    "reasons",
]


def _grade(record: AuditRecord) -> dict[str, Any]:
    """The settled grade, as every report shows it; where a moderator changed the grade the
    ratings give, that one too (either can call for escalation)."""
    fw, grade, computed = record.framework, record.settled_grade, record.computed_grade
    label = fw.grade_labels[grade]
    if grade != computed:
        label += f" (moderated; the ratings give {fw.grade_labels[computed].lower()})"
    return {"id": grade, "label": label, "computed": computed, "moderated": record.moderated_grade}


def _route_matches(recorded: str, required: str) -> bool:
    # "Head of Service (Sam Okoro)" names the route; "Team manager" does not.
    return person_key(required) in person_key(recorded)


def escalation_item(record: AuditRecord, found: Sequence[Trigger], today: dt.date) -> dict[str, Any]:
    """One audit that needs escalating: the rules, its record's state, ages and anything amiss."""
    review = record.review_date
    start = review
    if all(t.from_moderation for t in found):
        # The audit's own grade did not call for it; the moderator's did, on the moderation date.
        start = record.data["moderation"]["moderated_on"]
    due = start + dt.timedelta(days=min(t.rule.within_days for t in found))
    entry = record.data.get("escalation") or {}
    raised_on, acknowledged_on = entry.get("raised_on"), entry.get("acknowledged_on")
    current = state(record.data)
    routes = list(dict.fromkeys(t.rule.raise_to for t in found))
    notes: list[str] = []
    raised_to = entry.get("raised_to")
    if raised_to:
        missed = [r for r in routes if not _route_matches(raised_to, r)]
        if missed:
            notes.append(f"Raised to {raised_to}; the rules say {' and '.join(missed)}.")
    waiting = None
    if current == NOT_RAISED:
        waiting = days(start, today)
    elif raised_on is not None and current == RAISED:
        waiting = days(raised_on, today)
    overdue = days(due, today) if current == NOT_RAISED and today > due else 0
    late = days(due, raised_on) if raised_on and raised_on > due else 0
    if late:
        notes.append(f"Raised {late} day{'s' if late != 1 else ''} after it was due ({due.isoformat()}).")
    return {
        "audit_id": record.audit_id,
        "file": record.path,
        "framework": record.framework.id,
        "review_date": review.isoformat(),
        "practitioner": record.data["practitioner"],
        "reviewer": record.data["reviewer"],
        "team": facet(record, "team"),
        "grade": _grade(record),
        "rules": [
            {
                "id": t.rule.id,
                "title": t.rule.title,
                "raise_to": t.rule.raise_to,
                "within_days": t.rule.within_days,
                "reasons": list(t.reasons),
            }
            for t in found
        ],
        "raise_to": routes,
        "due": due.isoformat(),
        "state": current,
        "state_label": STATE_LABELS[current],
        "raised_to": raised_to,
        "raised_on": iso(raised_on),
        "acknowledged_on": iso(acknowledged_on),
        "note": entry.get("note"),
        "age_days": days(review, today),
        "waiting_days": waiting,
        "overdue_days": overdue,
        "raised_late_days": late,
        "days_to_raise": days(start, raised_on) if raised_on else None,
        "days_to_acknowledge": days(raised_on, acknowledged_on) if raised_on and acknowledged_on else None,
        "notes": notes,
    }


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    # Most urgent first: not raised (most overdue, then oldest), then awaiting acknowledgement
    # (longest waiting), then acknowledged (most recent audit first).
    rank = STATES.index(item["state"])
    if item["state"] == ACKNOWLEDGED:
        return (rank, -dt.date.fromisoformat(item["review_date"]).toordinal(), item["audit_id"])
    return (rank, -item["overdue_days"], -(item["waiting_days"] or 0), item["audit_id"])


def collect(records: Sequence[AuditRecord], today: dt.date) -> list[dict[str, Any]]:
    """Every audit that needs escalating, most urgent first."""
    items = []
    for record in records:
        found = triggers(record.framework, record.data, record.result.grade)
        if found:
            items.append(escalation_item(record, found, today))
    return sorted(items, key=_order)


def unprompted(records: Sequence[AuditRecord]) -> list[dict[str, Any]]:
    """Audits with an escalation recorded although no rule calls for one (worth knowing, not wrong)."""
    return [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "review_date": r.review_date.isoformat(),
            "grade": _grade(r),
            "raised_to": (r.data.get("escalation") or {}).get("raised_to"),
        }
        for r in records
        if r.data.get("escalation") and not triggers(r.framework, r.data, r.result.grade)
    ]


def _median(values: list[int]) -> float | int | None:
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else middle


def _protect(total: dict[str, Any], parts: dict[str, dict[str, Any]], values: dict[str, int]) -> None:
    """In a published summary no hidden state count may be worked out from the shown total and
    the shown others: not when it is the only one hidden, nor when the hidden ones add up to
    what forces each (two hidden counts of 1 to 4 adding up to 2 are 1 and 1). Hide the
    smallest other count (or the total) too, shown ``*``, until none can be."""
    while total["n"] is not None:
        hidden = [p for p, c in parts.items() if c["n"] is None]
        if not hidden:
            return
        rest = sum(values[p] for p in hidden)
        small = all(parts[p]["text"] != "*" for p in hidden)
        if len(hidden) > 1 and not (small and rest in (len(hidden), 4 * len(hidden))):
            return
        others = sorted((p for p, c in parts.items() if c["n"]), key=lambda p: values[p])
        if others:
            parts[others[0]] = {"n": None, "text": "*"}
        else:
            total.update({"n": None, "text": "*"})


def _totals(items: list[dict[str, Any]], publish: bool) -> dict[str, Any]:
    states = {s: sum(1 for i in items if i["state"] == s) for s in STATES}
    overdue = sum(1 for i in items if i["overdue_days"])
    late = sum(1 for i in items if i["raised_late_days"])
    raised = [i["days_to_raise"] for i in items if i["days_to_raise"] is not None]
    acknowledged = [i["days_to_acknowledge"] for i in items if i["days_to_acknowledge"] is not None]
    needed = count(len(items), publish)
    counts = {s: count(n, publish) for s, n in states.items()}
    _protect(needed, counts, states)
    return {
        "needed": needed,
        "states": [
            {
                "state": s,
                "label": STATE_LABELS[s],
                "count": counts[s],
                "share": share(n, len(items), publish)
                if counts[s]["n"] is not None
                else hidden_share(counts[s], needed),
            }
            for s, n in states.items()
        ],
        "not_raised": counts[NOT_RAISED],
        "overdue": count(overdue, publish),
        "raised_late": count(late, publish),
        "median_days_to_raise": _median(raised),
        "median_days_to_acknowledge": _median(acknowledged),
    }


def escalations_view(
    dataset: Dataset, today: dt.date, *, states: Sequence[str] | None = None, redact: bool = False
) -> dict[str, Any]:
    """The escalations report: every audit needing escalation, with its state and age.

    ``states`` limits the list (not the totals, which always cover every escalation). ``redact``
    says the dataset was redacted, so the names of invalid files are withheld too.
    """
    items = collect(dataset.records, today)
    shown = [i for i in items if states is None or i["state"] in states]
    rules = []
    for fw in dataset.frameworks:
        for rule in fw.spec.escalations:
            rules.append(
                {
                    "framework": fw.spec.title,
                    "title": rule.title,
                    "raise_to": rule.raise_to,
                    "grades": [fw.grade_labels[g] for g in rule.grades or []],
                    "within_days": rule.within_days,
                    "summary": rule.summary or "",
                }
            )
    return {
        "kind": "escalations",
        "today": today.isoformat(),
        "grade_basis": SETTLED_GRADE,
        "sources": dataset.sources,
        "audits": len(dataset.records),
        "invalid_count": len(dataset.invalid),
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "filter": list(states) if states is not None else None,
        "totals": _totals(items, publish=False),
        "rules": rules,
        "escalations": shown,
        "unprompted": unprompted(dataset.records),
    }


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The escalations as flat CSV rows (columns :data:`COLUMNS`)."""
    return [
        {
            "state": i["state"],
            "audit_id": i["audit_id"],
            "file": i["file"],
            "framework": i["framework"],
            "review_date": i["review_date"],
            "practitioner": i["practitioner"],
            "team": i["team"],
            "grade": i["grade"]["id"],
            "escalation": "; ".join(r["title"] for r in i["rules"]),
            "raise_to": "; ".join(i["raise_to"]),
            "due": i["due"],
            "raised_to": i["raised_to"],
            "raised_on": i["raised_on"],
            "acknowledged_on": i["acknowledged_on"],
            "age_days": i["age_days"],
            "waiting_days": i["waiting_days"],
            "overdue_days": i["overdue_days"],
            "raised_late_days": i["raised_late_days"],
            "reasons": "; ".join(reason for r in i["rules"] for reason in r["reasons"]),
        }
        for i in view["escalations"]
    ]


def summary_section(records: Sequence[AuditRecord], *, today: dt.date, publish: bool) -> dict[str, Any]:
    """The escalation figures for the quarterly summary (no names or ids when ``publish``)."""
    items = collect(records, today)
    section = _totals(items, publish)
    section["open"] = (
        []
        if publish
        else [
            {k: i[k] for k in ("audit_id", "file", "review_date", "team", "state_label", "waiting_days")}
            | {"overdue_days": i["overdue_days"], "raise_to": "; ".join(i["raise_to"])}
            for i in items
            if i["state"] != ACKNOWLEDGED
        ]
    )
    return section
