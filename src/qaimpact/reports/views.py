"""The parts every report view is made of: a grade, a framework's header, escalation reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from qaimpact.audits.records import AuditRecord
from qaimpact.grading.escalation_triggers import Trigger, triggers
from qaimpact.models.audit import is_blank
from qaimpact.models.standard import Framework


def grade_view(fw: Framework, grade: str | None) -> dict[str, Any] | None:
    """A grade as views show it: id, label and rank (``None`` stays ``None``)."""
    if grade is None:
        return None
    return {"id": grade, "label": fw.grade_labels[grade], "rank": fw.grade_rank[grade]}


def framework_view(fw: Framework) -> dict[str, Any]:
    """The header of a framework's section: id, title, short title, version, publisher."""
    return {
        "id": fw.id,
        "title": fw.spec.title,
        "short_title": fw.short_title,
        "version": fw.spec.version,
        "publisher": fw.spec.publisher,
    }


def escalation_lines(fw: Framework, data: Mapping[str, Any], computed: str) -> list[str]:
    """Why an audit needs escalating, by the framework's escalation rules (none: it does not).

    ``computed`` is the grade the ratings give; the rules act on the most severe of it, the
    recorded and the moderated grade (:func:`~qaimpact.grading.escalation_triggers.triggers`,
    the one place that decides). Each line names the escalation, its route and the evidence
    that calls for it; the immediate safeguarding actions the auditor described follow, as the
    people receiving the escalation need them.
    """
    return escalation_lines_of(fw, data, triggers(fw, data, computed))


def escalation_lines_of(fw: Framework, data: Mapping[str, Any], found: Sequence[Trigger]) -> list[str]:
    """:func:`escalation_lines` of the escalation rules ``found`` to hold for the audit."""
    reasons = [t.describe() for t in found]
    spec = fw.spec.immediate_actions
    entry = data.get(spec.key) if spec else None
    if reasons and spec and entry and entry.get("required") and not is_blank(entry.get("comment")):
        reasons.append(f"{spec.label}: {' '.join(str(entry['comment']).split())}")
    return reasons


def escalation_reasons(record: AuditRecord) -> list[str]:
    """Why a graded audit needs escalating (see :func:`escalation_lines`); empty: it does not."""
    return escalation_lines_of(record.framework, record.data, record.escalations())
