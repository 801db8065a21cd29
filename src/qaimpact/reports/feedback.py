"""Feedback on one audit for the practitioner (``qaimpact report AUDIT``).

A pure function from a graded record to a JSON-ready view; the ``audit`` templates render it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qaimpact.audits.records import SETTLED_GRADE, AuditRecord
from qaimpact.cycle.actions import action_item
from qaimpact.cycle.escalations import notes
from qaimpact.grading.engine import NOT_SMALLEST
from qaimpact.grading.escalation_lifecycle import (
    ACKNOWLEDGED,
    NOT_RAISED,
    RAISED,
    STATE_LABELS,
    lifecycle,
    state,
)
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.models.listing import and_list
from qaimpact.models.standard import NOT_APPLICABLE, FieldSpec, Framework
from qaimpact.reports.views import escalation_reasons, framework_view, grade_view


def _rating_label(fw: Framework, rating: str) -> str:
    return fw.rating_labels.get(rating, rating)


def _descriptor(fw: Framework, standard: str, rating: str) -> str | None:
    return fw.standards[standard].descriptors.get(rating)


def audit_feedback(record: AuditRecord, *, today: dt.date) -> dict[str, Any]:
    """Everything the practitioner's feedback on one audit shows (escalation ages as of ``today``)."""
    fw, data, result = record.framework, record.data, record.result
    spec = fw.spec
    top = spec.ratings[0].id
    line = fw.development_rank
    ratings = []
    development = []
    for group in spec.groups:
        rows = []
        for std in group.standards:
            entry = (data.get(group.id) or {}).get(std.id) or {}
            rating = entry.get("rating") or NOT_APPLICABLE
            rows.append(
                {
                    "id": std.id,
                    "title": std.title.rstrip("."),
                    "rating": rating,
                    "rating_label": _rating_label(fw, rating),
                    "evidence": entry.get("evidence") or "",
                    "is_top": rating == top,
                }
            )
            if rating in fw.rating_rank and fw.rating_rank[rating] > line:
                development.append(
                    {
                        "title": std.title.rstrip("."),
                        "rating_label": _rating_label(fw, rating),
                        "good_looks_like": _descriptor(fw, std.id, top) or std.text or "",
                        "considerations": list(std.considerations),
                    }
                )
        ratings.append({"group": group.title, "standards": rows})
    strengths = []
    for dom in spec.domains or []:
        entry = (data.get("domains") or {}).get(dom.id) or {}
        labels = {i.id: i.label for i in dom.indicators}
        ticked = [labels[i] for i in entry.get("indicators") or []]
        if ticked or entry.get("comment"):
            strengths.append(
                {"domain": dom.title, "indicators": ticked, "comment": entry.get("comment") or ""}
            )
    learning = []
    if spec.learning:
        areas = {a.id: a for a in spec.learning.areas}
        for action in data.get("learning_actions") or []:
            area = areas[action["area"]]
            points = {p.id: p for p in area.points}
            learning.append(
                {
                    "area": area.title,
                    "comment": action.get("comment") or "",
                    "points": [
                        {
                            "label": points[p].label,
                            "standards": [
                                {
                                    "title": fw.standards[s].title.rstrip("."),
                                    "good_looks_like": _descriptor(fw, s, top) or "",
                                }
                                for s in points[p].standards
                            ],
                        }
                        for p in action.get("points") or []
                    ],
                }
            )
    added = []
    if spec.added_value:
        labels = {c.id: c.label for c in spec.added_value.categories}
        added = [labels[c] for c in data.get("added_value") or []]
    lift = None
    if result.lift is not None:
        lift = {
            "grade": fw.grade_labels[result.lift.grade],
            "reachable": result.lift.reachable,
            "blocked_by": list(result.lift.blocked_by),
            "smallest": result.lift.smallest,
            "not_smallest": "" if result.lift.smallest else NOT_SMALLEST,
            "changes": [
                {
                    "title": c.title.rstrip("."),
                    "from": _rating_label(fw, c.from_rating),
                    "to": _rating_label(fw, c.to_rating),
                    "descriptor": _descriptor(fw, c.standard, c.to_rating) or "",
                    "requires": list(c.requires),
                }
                for c in result.lift.changes
            ],
        }
    return {
        "kind": "audit",
        "file": record.path,
        "audit_id": record.audit_id,
        "framework": framework_view(fw),
        "practitioner": data["practitioner"],
        "reviewer": data["reviewer"],
        "review_date": record.review_date.isoformat(),
        "details": _details(record),
        "grade": grade_view(fw, record.settled_grade),
        "grade_basis": SETTLED_GRADE,
        "computed": grade_view(fw, record.computed_grade),
        "recorded": grade_view(fw, record.recorded_grade),
        "differs": result.differs,
        # Show the three grades side by side wherever they are not all the same.
        "grades_differ": result.differs or record.settled_grade != record.computed_grade,
        "rationale": list(result.rationale),
        "escalation": escalation_reasons(record),
        "escalation_record": _escalation_record(record, today),
        "moderation": _moderation(record),
        "reaudit_of": data.get("reaudit_of"),
        "ratings": ratings,
        "strengths": strengths,
        "learning": learning,
        "development": development,
        "added_value": added,
        "added_value_comment": data.get("added_value_comment") or "",
        "remedial_actions": [
            _remedial_action(record, number, a, today)
            for number, a in enumerate(data.get("remedial_actions") or [], 1)
        ],
        "feedback": [
            {"who": k.replace("_", " ").capitalize(), "text": v}
            for k, v in (data.get("feedback") or {}).items()
            if v
        ],
        "auditor_rationale": data.get("rationale") or "",
        "lift": lift,
        "warnings": [d.to_dict() for d in record.warnings],
    }


def _remedial_action(
    record: AuditRecord, number: int, action: dict[str, Any], today: dt.date
) -> dict[str, Any]:
    """One action as the audit records it, with its state as of ``today`` as the actions report
    counts it (open, overdue or done) and its days overdue or late: the practitioner reads
    "Open, overdue 40 days" where the tracker says so, not the status word the audit stores."""
    item = action_item(record, number, action, today)
    return {
        **action,
        "due": _iso(action.get("due")),
        "closed_on": _iso(action.get("closed_on")),
        "state": item["state"],
        "overdue_days": item["overdue_days"],
        "closed_late_days": item["closed_late_days"],
    }


def _escalation_record(record: AuditRecord, today: dt.date) -> dict[str, Any]:
    """How far the escalation has gone: "action required now" until the case is confirmed safe."""
    found = triggers(record.framework, record.data, record.result.grade)
    current = state(record.data)
    view: dict[str, Any] = {
        "state": current,
        "state_label": STATE_LABELS[current],
        "action_required": bool(found) and current in (NOT_RAISED, RAISED, ACKNOWLEDGED),
        "note": (record.data.get("escalation") or {}).get("note") or "",
    }
    if not found:
        return view
    life = lifecycle(found, record.data, today)
    outcome = life.outcome
    view.update(
        {
            "route": and_list(life.route),
            "due": life.due.isoformat(),
            # Days past the day it was due while no one is told: said beside the due date.
            "raise_overdue_days": life.raise_overdue_days,
            "recipients": [{"who": t.who, "told_on": t.told_on.isoformat()} for t in life.recipients],
            "raised_on": _iso(life.raised_on),
            "acknowledge_due": _iso(life.acknowledge_due),
            "acknowledged_on": _iso(life.acknowledged_on),
            "acknowledged_by": life.acknowledged_by or "",
            "outcome_due": _iso(life.outcome_due),
            "outcome": {"action_taken": outcome["action_taken"], "safe_on": _iso(outcome["safe_on"])}
            if outcome
            else None,
            "closed_on": _iso(life.closed_on),
            "closed_by": life.closed_by or "",
            "notes": notes(life),
        }
    )
    return view


def _moderation(record: AuditRecord) -> dict[str, Any] | None:
    entry = record.data.get("moderation")
    if not entry:
        return None
    fw = record.framework
    # The moderator's grade against the grade the ratings give, which it replaces.
    steps = fw.grade_rank[record.computed_grade] - fw.grade_rank[entry["moderated_grade"]]
    return {
        "moderator": entry["moderator"],
        "grade": grade_view(fw, entry["moderated_grade"]),
        "on": _iso(entry["moderated_on"]),
        "notes": entry.get("notes") or "",
        "direction": "agrees" if steps == 0 else "higher" if steps > 0 else "lower",
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _details(record: AuditRecord) -> list[dict[str, str]]:
    fw, data = record.framework, record.data
    out: list[dict[str, str]] = []
    fields = [
        *(((data.get("case") or {}).get(name), name, spec) for name, spec in fw.spec.case_fields.items()),
        *((data.get(name), name, spec) for name, spec in fw.spec.extra_fields.items()),
    ]
    for value, name, spec in fields:
        if value not in (None, ""):
            out.append(
                {
                    "label": spec.label or name.replace("_", " ").capitalize(),
                    "value": _text(value),
                    "value_label": _shown(spec, value),
                }
            )
    if fw.spec.audit_types:
        labels = {t.id: t.label for t in fw.spec.audit_types}
        kind = data.get("audit_type")
        if kind:
            out.append({"label": "Audit type", "value": kind, "value_label": labels[kind]})
        if data.get("theme"):
            out.append({"label": "Theme", "value": str(data["theme"]), "value_label": str(data["theme"])})
    return out


def _shown(spec: FieldSpec, value: Any) -> str:
    """How the page shows a field's value: a choice by its label in the standards data (a bare
    id in words), a yes/no answer as "Yes" or "No", anything else as :func:`_text` gives it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if spec.type == "choice" and isinstance(value, str):
        return spec.choice_label(value)
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and {"from", "to"} <= set(value):
        return f"{_iso(value['from'])} to {_iso(value['to'])}"
    return str(_iso(value))
