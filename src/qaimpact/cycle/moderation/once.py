"""Each case counted once: a second reviewer's audit of a case (double-marking) is not a second case.

Double-marking (:func:`~qaimpact.cycle.moderation.pairs.double_marked`) is a check of the first
reviewer's grade, for moderation: two reviewers audit one case at most
:data:`~qaimpact.cycle.moderation.pairs.DEFAULT_WINDOW` days apart, neither re-auditing the other.
Neither framework counts the second look as more practice: the council's case file audits give
"a judgment about the quality of work" of a case, and Cafcass's tool one "overall grade" of the
work reviewed. So the figures of grades (a summary's audits, grades, shares, learning themes,
added value, ratings) count each such case once, as one of its audits (:func:`count_once` says
which), and the report says how many second audits it counted once and where to see them (the
moderation report, which compares the two grades). Escalations never do: every audit is the
evidence for its child, and the most severe is never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from qaimpact.audits.records import AuditRecord
from qaimpact.cycle.moderation.pairs import DEFAULT_WINDOW, Pair, double_marked

#: What the figures count, in one line, for every report that counts audits once per case.
COUNTED_ONCE = (
    "A case audited by a second reviewer within {window} days, for moderation (double-marking), counts "
    "once in the figures: as the audit a moderator settled, if one was moderated, otherwise the "
    "first. Escalations count every audit. The moderation report compares "
    "the two grades."
)


def counted_once_basis(window: int = DEFAULT_WINDOW) -> str:
    """:data:`COUNTED_ONCE` for ``window`` days."""
    return COUNTED_ONCE.format(window=window)


@dataclass(frozen=True, slots=True)
class SecondAudit:
    """An audit counted once with its case: ``audit`` is not counted, ``counted`` is, in its place."""

    audit: AuditRecord
    counted: AuditRecord


@dataclass(frozen=True, slots=True)
class CountedOnce:
    """The audits a report's figures count, one per double-marked case, and the others."""

    #: The audits counted, in the order given.
    counted: list[AuditRecord]
    #: The second audits of a case, counted once with it, in the order given.
    seconds: list[SecondAudit]
    #: The double-marking pairs of every audit given (:func:`double_marked`, in its order), of
    #: every period: the moderation figures beside the counts compare them, without pairing the
    #: audits again.
    marked: list[Pair] = field(default_factory=list)
    #: The identities of the second audits' records: asked of every audit a report counts.
    _second_ids: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_second_ids", frozenset(id(s.audit) for s in self.seconds))

    def is_counted(self, record: AuditRecord) -> bool:
        """Whether ``record`` is one the figures count (by identity: two files can share an id)."""
        return id(record) not in self._second_ids


def _order(record: AuditRecord) -> tuple[dt.date, str, str]:
    return (record.review_date, record.audit_id, record.path)


def _moderated_on(record: AuditRecord) -> dt.date:
    moderated_on = (record.data.get("moderation") or {}).get("moderated_on")
    return moderated_on if isinstance(moderated_on, dt.date) else record.review_date


def _chosen(audits: Sequence[AuditRecord]) -> AuditRecord:
    """The audit that counts for a double-marked case: the one a moderator settled (the latest
    moderation, where more than one was moderated: the service's last word on the case), else the
    first reviewed, whose grade the second reviewer checked."""
    moderated = [r for r in audits if r.settled_by_moderation]
    if moderated:
        latest = max(_moderated_on(r) for r in moderated)
        return min((r for r in moderated if _moderated_on(r) == latest), key=_order)
    return min(audits, key=_order)


def count_once(
    records: Sequence[AuditRecord],
    window: int = DEFAULT_WINDOW,
    *,
    period: Callable[[AuditRecord], Hashable] | None = None,
) -> CountedOnce:
    """The audits to count, each double-marked case once, and the second audits left out.

    The cases are those :func:`~qaimpact.cycle.moderation.pairs.double_marked` pairs: audits of
    one case by different reviewers at most ``window`` days apart, neither a re-audit of the
    other. Each case is its first audit and the audits within ``window`` days of it: never a
    chain, in which monthly audits by reviewers in turn, each within the window of the one before,
    would be one case for months. Where ``period`` is given (a summary's quarter), two audits are
    one case only within one period, so that each period's figures are those its own report
    counts. A re-audit is never counted once with the audit it re-audits: it measures change.
    """
    first_of: dict[int, AuditRecord] = {}
    marked = double_marked(records, window)
    pairs = sorted(
        marked,
        key=lambda p: (_order(p.first), _order(p.second) if p.second is not None else _order(p.first)),
    )
    for pair in pairs:
        first, second = pair.first, pair.second
        assert second is not None
        if period is not None and period(first) != period(second):
            continue
        # The first audit of a case only: one joined to an earlier audit starts none of its own.
        if first_of.get(id(first), first) is not first or id(second) in first_of:
            continue
        first_of[id(first)] = first
        first_of[id(second)] = first
    groups: dict[int, list[AuditRecord]] = {}
    for r in records:
        groups.setdefault(id(first_of.get(id(r), r)), []).append(r)
    counted_for: dict[int, AuditRecord] = {}
    for audits in groups.values():
        if len(audits) > 1:
            chosen = _chosen(audits)
            for r in audits:
                counted_for[id(r)] = chosen
    counted = [r for r in records if counted_for.get(id(r), r) is r]
    seconds = [SecondAudit(r, counted_for[id(r)]) for r in records if counted_for.get(id(r), r) is not r]
    return CountedOnce(counted, seconds, marked)
