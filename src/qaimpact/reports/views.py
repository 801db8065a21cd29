"""The parts every report view is made of: a grade, a framework's header, escalation reasons."""

from __future__ import annotations

from typing import Any

from qaimpact.audits.records import AuditRecord
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.models.audit import is_blank
from qaimpact.models.standard import Framework


def grade_view(fw: Framework, grade: str | None) -> dict[str, Any] | None:
    """A grade as views show it: id, label and rank (``None`` stays ``None``)."""
    if grade is None:
        return None
    return {"id": grade, "label": fw.grade_labels[grade], "rank": fw.grade_rank[grade]}


def framework_view(fw: Framework) -> dict[str, Any]:
    """The header of a framework's section: id, title, version, publisher."""
    return {"id": fw.id, "title": fw.spec.title, "version": fw.spec.version, "publisher": fw.spec.publisher}


def escalation_reasons(record: AuditRecord) -> list[str]:
    """Why an audit needs escalating, by the framework's escalation rules (none: it does not).

    Each line names the escalation, its route and why; the immediate safeguarding actions the
    auditor described follow, as the person receiving the escalation needs them.
    """
    fw, data = record.framework, record.data
    reasons = [t.describe() for t in triggers(fw, data, record.result.grade)]
    spec = fw.spec.immediate_actions
    entry = data.get(spec.key) if spec else None
    if reasons and spec and entry and entry.get("required") and not is_blank(entry.get("comment")):
        reasons.append(f"{spec.label}: {' '.join(str(entry['comment']).split())}")
    return reasons
