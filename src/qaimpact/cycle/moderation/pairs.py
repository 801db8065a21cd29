"""The pairs of first and second marks: moderation blocks and double-marking within a window."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qaimpact.audits.records import AuditRecord
from qaimpact.cycle.common import case_key, days
from qaimpact.models.audit import ident_key, person_key
from qaimpact.models.standard import Framework

MODERATION, DOUBLE_MARKING = "moderation", "double_marking"

KINDS = (MODERATION, DOUBLE_MARKING)

KIND_LABELS = {MODERATION: "moderation", DOUBLE_MARKING: "double-marking"}

DOWN, SAME, UP = "down", "same", "up"

DIRECTIONS = (DOWN, SAME, UP)

DIRECTION_LABELS = {DOWN: "moderated down", SAME: "same grade", UP: "moderated up"}

#: What moderation compares, in one line: the auditor's grade, not the settled grade.
GRADE_BASIS = (
    "Moderation compares the grade each auditor recorded (or, where they recorded none, the grade "
    "the ratings give) with the moderator's or second reviewer's grade."
)

#: Days apart within which two reviewers' audits of one case count as double-marking.
DEFAULT_WINDOW = 30


def auditor_grade(record: AuditRecord) -> str:
    """The grade the auditor gave: the one recorded in the audit, else the one its ratings give.

    Moderation measures agreement with the auditor, so it compares this grade, not the settled
    grade every other report counts (:attr:`~qaimpact.audits.records.AuditRecord.auditor_grade`).
    """
    return record.auditor_grade


@dataclass(frozen=True, slots=True)
class Pair:
    """Two marks of one grade: an audit and its moderation, or two reviewers' audits of one case."""

    kind: str
    first: AuditRecord
    #: The second reviewer's audit, for double-marking; ``None`` for a moderation.
    second: AuditRecord | None = None

    @property
    def framework(self) -> Framework:
        """The framework both marks are on."""
        return self.first.framework

    @property
    def first_grade(self) -> str:
        """The auditor's own grade (see :func:`auditor_grade`)."""
        return auditor_grade(self.first)

    @property
    def second_grade(self) -> str:
        """The moderator's grade, or the second reviewer's own grade."""
        if self.second is not None:
            return auditor_grade(self.second)
        return str(self.first.data["moderation"]["moderated_grade"])

    @property
    def second_marker(self) -> str:
        """The moderator, or the second reviewer."""
        if self.second is not None:
            return str(self.second.data["reviewer"])
        return str(self.first.data["moderation"]["moderator"])

    @property
    def second_date(self) -> dt.date:
        """When the second mark was given."""
        if self.second is not None:
            return self.second.review_date
        moderated_on = self.first.data["moderation"]["moderated_on"]
        assert isinstance(moderated_on, dt.date)
        return moderated_on

    @property
    def direction(self) -> str:
        """``down`` when the second grade is worse than the first, ``up`` when better, else ``same``."""
        rank = self.framework.grade_rank
        first, second = rank[self.first_grade], rank[self.second_grade]
        return DOWN if second > first else UP if second < first else SAME


def _earlier_audits(records: Sequence[AuditRecord]) -> Callable[[AuditRecord], set[str]]:
    """For each audit, the ids of every audit it re-audits, directly or along a chain."""
    parent: dict[str, str] = {}
    for record in records:
        target = record.data.get("reaudit_of")
        if target:
            parent.setdefault(ident_key(record.audit_id), ident_key(target))

    def earlier(record: AuditRecord) -> set[str]:
        """As :func:`~qaimpact.models.audit.ident_key` gives them."""
        found: set[str] = set()
        ident = parent.get(ident_key(record.audit_id))
        # A chain that loops back (two audits naming each other) ends where it repeats.
        while ident is not None and ident not in found:
            found.add(ident)
            ident = parent.get(ident)
        return found

    return earlier


def double_marked(records: Sequence[AuditRecord], window: int) -> list[Pair]:
    """Pairs of audits of one case by different reviewers at most ``window`` days apart.

    Neither audit may be a re-audit of the other. A case audited three times within the window
    by three reviewers gives three pairs.
    """
    earlier = _earlier_audits(records)
    cases: dict[str, list[AuditRecord]] = defaultdict(list)
    for record in records:
        key = case_key(record)
        if key is not None:
            cases[key].append(record)
    pairs = []
    for audits in cases.values():
        audits.sort(key=lambda r: (r.review_date, r.audit_id, r.path))
        for i, first in enumerate(audits):
            for second in audits[i + 1 :]:
                if days(first.review_date, second.review_date) > window:
                    break  # in date order: every later audit is further away still
                if person_key(first.data["reviewer"]) == person_key(second.data["reviewer"]):
                    continue
                if ident_key(first.audit_id) in earlier(second) or ident_key(second.audit_id) in earlier(
                    first
                ):
                    continue
                pairs.append(Pair(DOUBLE_MARKING, first, second))
    return pairs


def find_pairs(
    records: Sequence[AuditRecord], window: int = DEFAULT_WINDOW, *, marked: Sequence[Pair] | None = None
) -> list[Pair]:
    """Every second mark among the audits: moderations and double-marking, in date order.

    ``marked``: the double-marking pairs of ``records`` in ``window``, where the caller already
    has them (:attr:`~qaimpact.cycle.moderation.once.CountedOnce.marked`): pairing 10,000 audits
    by case is a tenth of a summary's report.
    """
    pairs = [Pair(MODERATION, r) for r in records if r.data.get("moderation")]
    pairs += double_marked(records, window) if marked is None else marked
    return sorted(
        pairs,
        key=lambda p: (
            p.first.review_date,
            p.first.audit_id,
            p.first.path,
            KINDS.index(p.kind),
            p.second_date,
        ),
    )
