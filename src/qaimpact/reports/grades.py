"""Render graded audits as JSON-ready data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qaimpact.audits.checker import AuditCheck
from qaimpact.audits.records import AuditRecord
from qaimpact.base.escaping import to_json
from qaimpact.reports.views import escalation_lines


def settled(check: AuditCheck) -> AuditRecord | None:
    """The graded record of a valid audit checked with its data, whose settled grade reports count."""
    if check.result is None or check.framework is None or check.data is None:
        return None
    return AuditRecord(check.path, check.framework, check.data, check.result)


def escalation(check: AuditCheck) -> list[str]:
    """Why a graded audit needs escalating, one line per rule that holds (empty: it does not)."""
    if check.framework is None or check.result is None or check.data is None:
        return []
    return escalation_lines(check.framework, check.data, check.result.grade)


def grade_dict(check: AuditCheck) -> dict[str, Any]:
    """The documented JSON object for one graded (or invalid) audit.

    ``grade`` is the grade the ratings give, which the rationale explains; ``settled_grade`` is the
    one reports count (the moderator's where the audit was moderated). ``escalation_ahead``: for
    an audit with errors, the escalations certain before they are put right (empty otherwise).
    """
    result = check.result
    framework = check.framework
    record = settled(check)
    out: dict[str, Any] = {
        "file": check.path,
        "standards": framework.id if framework else None,
        "audit_id": (check.data or {}).get("audit_id"),
        "grade": result.grade if result else None,
        "grade_label": framework.grade_labels[result.grade] if result and framework else None,
        "recorded_grade": result.recorded if result else None,
        "grade_differs": result.differs if result else None,
        "moderated_grade": record.moderated_grade if record else None,
        "settled_grade": record.settled_grade if record else None,
        "rationale": list(result.rationale) if result else [],
        "deciding_standards": list(result.deciding_standards) if result else [],
        "escalation": escalation(check),
        # An audit with errors has no grade, but may already call for an escalation whatever its
        # errors turn out to be (audits/ahead.py): said here as the panel of `grade` says it.
        "escalation_ahead": list(check.ahead),
        "to_next_grade": None,
        "diagnostics": [d.to_dict() for d in check.diagnostics],
    }
    if result and result.lift:
        lift = result.lift
        out["to_next_grade"] = {
            "grade": lift.grade,
            "reachable": lift.reachable,
            "changes": [
                {
                    "standard": c.standard,
                    "title": c.title,
                    "from": c.from_rating,
                    "to": c.to_rating,
                    "requires": list(c.requires),
                }
                for c in lift.changes
            ],
            "blocked_by": list(lift.blocked_by),
            "smallest": lift.smallest,
        }
    return out


def render_json(checks: Sequence[AuditCheck]) -> str:
    """A JSON list with one object per file."""
    return to_json([grade_dict(c) for c in checks], indent=2) + "\n"
