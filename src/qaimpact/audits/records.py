"""What reports and the cycle read from one audit: the record, its grades, facets and learning.

An :class:`AuditRecord` is a valid, graded audit. Its :attr:`~AuditRecord.settled_grade` is the
one grade every report counts (:data:`SETTLED_GRADE`, the definition, says which);
:func:`facet` gives the value of a grouping dimension (team, reviewer, quarter, ...) and
:func:`learning_items` the learning an audit records. Feedback, the learning log, the summary
and the cycle all read them here, so a new record field or facet is added in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from qaimpact.grading.engine import GradeResult
from qaimpact.grading.escalation_triggers import Trigger, triggers
from qaimpact.models.audit import ident_key
from qaimpact.models.findings import Diagnostic
from qaimpact.models.standard import Framework

#: What every report says, in one line, about the grades it counts (see ``settled_grade``).
SETTLED_GRADE = (
    "Grades are the moderated grade where an audit was moderated, otherwise the grade the ratings give."
)

FACETS = ("team", "reviewer", "practitioner", "law_type", "audit_type", "theme", "month", "quarter")
NONE_LABEL = "(not recorded)"


@dataclass(frozen=True, slots=True)
class KindRecord:
    """A valid record of another kind than the audit (``kind:``), such as a practice observation."""

    path: str
    framework: Framework
    kind: str
    data: dict[str, Any]
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def date(self) -> dt.date:
        """The date that dates the record (the field its kind names in ``date``)."""
        value = self.data[self.framework.spec.records[self.kind].date]
        assert isinstance(value, dt.date)
        return value

    @property
    def record_id(self) -> str:
        """The record's id."""
        return str(self.data["record_id"])

    @property
    def label(self) -> str:
        """How reports name the kind (``Practice observation``)."""
        return self.framework.spec.records[self.kind].label


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A valid, graded audit.

    Its id, date and moderated grade, and the grade that counts, are read from its data once, as
    it is made: a summary of 10,000 audits asks for them hundreds of thousands of times. None of
    them changes after: reading settles only the spelling of names in the data
    (:func:`~qaimpact.audits.dataset.settle_names`), and a redacted audit is a copy
    (``dataclasses.replace``), which reads its own.
    """

    path: str
    framework: Framework
    data: dict[str, Any]
    result: GradeResult
    warnings: tuple[Diagnostic, ...] = ()
    # Not an init field, so a copy made with dataclasses.replace (a redacted audit) works its
    # escalations out again from its own data instead of carrying the original's reasons.
    _triggers: tuple[Trigger, ...] | None = field(default=None, init=False, repr=False, compare=False)
    #: The date of the audit.
    review_date: dt.date = field(init=False, repr=False, compare=False)
    #: The audit's id.
    audit_id: str = field(init=False, repr=False, compare=False)
    #: The moderator's grade (``None`` where the audit was not moderated).
    moderated_grade: str | None = field(init=False, repr=False, compare=False)
    #: The grade that counts, in every report: the moderator's where the audit was moderated,
    #: otherwise the grade computed from the threshold rules.
    #:
    #: A moderator's grade is the service's second, considered look at the audit, so it settles
    #: the grade; the auditor's recorded grade never does (the rules decide, and QA402 warns
    #: where the two differ). Moderation alone compares the recorded grade, since agreement
    #: with the auditor is what it measures (:attr:`auditor_grade`).
    settled_grade: str = field(init=False, repr=False, compare=False)
    #: The case the audit is of, by the framework's ``case_id`` field, as
    #: :func:`~qaimpact.models.audit.ident_key` compares identifiers (``lcs-001``, ``LCS 001``
    #: and ``LCS001`` are one case); ``None`` where the framework or the audit names none.
    case_ident: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        data = self.data
        day = data["review_date"]
        assert isinstance(day, dt.date)
        moderated = (data.get("moderation") or {}).get("moderated_grade")
        moderated = str(moderated) if moderated else None
        set_value = object.__setattr__  # the dataclass is frozen
        set_value(self, "review_date", day)
        set_value(self, "audit_id", str(data["audit_id"]))
        set_value(self, "moderated_grade", moderated)
        set_value(self, "settled_grade", moderated or self.result.grade)
        # Worked out as the audit is read (while the workers read the rest), not each time one
        # of the reports that match audits by case asks for it, twice and more an audit.
        case_field = self.framework.spec.case_id
        case = (data.get("case") or {}).get(case_field) if case_field else None
        set_value(self, "case_ident", None if case is None or not str(case).strip() else ident_key(case))

    def escalations(self) -> tuple[Trigger, ...]:
        """The escalation rules that hold for the audit, and why
        (:func:`~qaimpact.grading.escalation_triggers.triggers`, the one place that decides).

        Worked out once: a summary asks for each audit's twice (its framework's section and the
        cycle's escalations), and over 10,000 audits that was a tenth of its report's time.
        """
        found = self._triggers
        if found is None:
            found = tuple(triggers(self.framework, self.data, self.result.grade))
            object.__setattr__(self, "_triggers", found)
        return found

    # -- the grades of an audit: the one place that says which grade counts ----------------------

    @property
    def computed_grade(self) -> str:
        """The grade the framework's threshold rules give for the ratings."""
        return self.result.grade

    @property
    def recorded_grade(self) -> str | None:
        """The grade the auditor recorded in the audit (``None`` where they recorded none)."""
        return self.result.recorded

    @property
    def settled_by_moderation(self) -> bool:
        """Whether the settled grade is the moderator's."""
        return self.moderated_grade is not None

    @property
    def auditor_grade(self) -> str:
        """The grade the auditor gave: the one recorded, else the one their ratings give.

        Moderation compares it with the second mark; no other report counts it.
        """
        return self.recorded_grade or self.computed_grade


def quarter_of(day: dt.date) -> str:
    """``2026-Q1`` style."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def facet(record: AuditRecord, name: str) -> str:
    """The value of a grouping dimension for one audit."""
    data = record.data
    case = data.get("case") or {}
    if name == "quarter":
        return quarter_of(record.review_date)
    if name == "month":
        return record.review_date.strftime("%Y-%m")
    if name == "team":
        value = data.get("team") or case.get("team")
    elif name == "law_type":
        value = case.get("law_type")
    elif name == "audit_type":
        value = data.get("audit_type") or ("case_file" if "audit_type" not in data else None)
    else:
        value = data.get(name)
    return str(value) if value not in (None, "") else NONE_LABEL


def learning_items(record: AuditRecord) -> list[tuple[str, str, str]]:
    """``(key, group, label)`` of each learning item in an audit.

    Frameworks with learning areas use the learning points recorded; others (such as the
    council's) use the standards rated below the 'good or better' line.
    """
    fw, data = record.framework, record.data
    items: list[tuple[str, str, str]] = []
    if fw.spec.learning:
        areas = _learning_points(fw)
        for action in data.get("learning_actions") or []:
            area_id = action["area"]
            title, labels = areas[area_id]
            for point in action.get("points") or []:
                item = (f"{area_id}.{point}", title, labels.get(point, point))
                if item not in items:
                    items.append(item)
        return items
    limit = fw.development_rank
    rank = fw.rating_rank
    for group_id, standards in _rated_items(fw):
        entries = data.get(group_id)
        if not entries:
            continue
        for std_id, item in standards:
            entry = entries.get(std_id)
            if entry:
                found = rank.get(entry.get("rating"))
                if found is not None and found > limit:
                    items.append(item)
    return items


# Reports ask for the learning of every audit, 10,000 times and more: what it is read against is
# worked out once for each framework.
@functools.lru_cache(maxsize=16)
def _learning_points(fw: Framework) -> dict[str, tuple[str, dict[str, str]]]:
    """Each learning area's title and its points' labels, by the area's id."""
    assert fw.spec.learning is not None
    return {a.id: (a.title, {p.id: p.label for p in a.points}) for a in fw.spec.learning.areas}


@functools.lru_cache(maxsize=16)
def _rated_items(fw: Framework) -> tuple[tuple[str, tuple[tuple[str, tuple[str, str, str]], ...]], ...]:
    """Each group's id with its standards: each standard's id, and its learning item."""
    return tuple(
        (
            group.id,
            tuple(
                (std.id, (f"{group.id}.{std.id}", group.title, std.title.rstrip(".")))
                for std in group.standards
            ),
        )
        for group in fw.spec.groups
    )
