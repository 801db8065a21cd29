"""Each case's chain of audits as the impact report shows it.

The ``reaudit_of`` links are followed in :mod:`qaimpact.audits.reaudits`, where ``validate``
finds the same links that cannot hold; :func:`within` keeps a chain as it stood at the end of a
period, and :data:`HOW_TO_RECORD` tells a reader with no re-audit how to record one.
"""

from __future__ import annotations

import datetime as dt

from qaimpact.audits.records import AuditRecord

__all__ = ["HOW_TO_RECORD", "within"]

HOW_TO_RECORD = (
    "To record a re-audit, add 'reaudit_of: AUDIT_ID' to it, naming the audit_id of the earlier "
    "audit of the same case."
)


def within(chain: list[AuditRecord], date_from: dt.date | None, date_to: dt.date | None) -> list[AuditRecord]:
    """A chain as it stood at ``date_to``, if it was re-audited in the period (else empty)."""
    kept = [r for r in chain if date_to is None or r.review_date <= date_to]
    if len(kept) < 2 or (date_from is not None and kept[-1].review_date < date_from):
        return []
    return kept
