"""Impact: what changed for a case between its audit and its re-audits.

A re-audit names the audit it follows up with ``reaudit_of: AUDIT_ID``. Following those links
back from every re-audit gives each case's chain: the original audit, then its re-audits by date
(a re-audit of a re-audit belongs to the same chain). For each chain this module shows how the
grade moved, first to latest and at each step; how each standard's rating moved; which learning
points were resolved, persist or are new; and whether the remedial actions agreed at the earlier
audits were done.

Grades compare on their framework's own scale, in steps (``grade_rank``). When a re-audit uses
another framework, as after a migration, the two grades compare on the scale both frameworks
share (``comparison:`` in their standards files) or not at all: never by the grades' names.

A link that cannot be followed (an unknown audit_id, a re-audit dated before its audit or of
another case, an audit_id that two files share, a loop) is a :class:`~qaimpact.cycle.common.Problem`
located in the file; the audits beyond it are left out of the figures rather than guessed at.

- :mod:`.chains`: following the links into chains, and the links that cannot be followed;
- :mod:`.compare`: how a case moved (grades on a shared scale, standards, learning, actions);
- :mod:`.view`: the report, its CSV rows and the quarterly summary's section.

May import: :mod:`qaimpact.privacy` and below.
"""

from __future__ import annotations

from qaimpact.cycle.impact.chains import HOW_TO_RECORD, within
from qaimpact.cycle.impact.compare import (
    DECLINED,
    DIRECTIONS,
    DONE,
    IMPROVED,
    OPEN,
    OVERDUE,
    SAME,
    Scale,
    Show,
    compare,
    earlier_actions,
    learning_changes,
    movement,
    own_scale,
    scale_between,
    shared_scale,
    standard_changes,
    why_not_comparable,
)
from qaimpact.cycle.impact.view import (
    COLUMNS,
    case_view,
    headline,
    impact_view,
    rows,
    summary_section,
)

__all__ = [
    "COLUMNS",
    "DECLINED",
    "DIRECTIONS",
    "DONE",
    "HOW_TO_RECORD",
    "IMPROVED",
    "OPEN",
    "OVERDUE",
    "SAME",
    "Scale",
    "Show",
    "case_view",
    "compare",
    "earlier_actions",
    "headline",
    "impact_view",
    "learning_changes",
    "movement",
    "own_scale",
    "rows",
    "scale_between",
    "shared_scale",
    "standard_changes",
    "summary_section",
    "why_not_comparable",
    "within",
]
