"""Sampling: choose next month's cases to audit, and propose an auditor for each.

A QA manager's monthly round. From the service's list of cases (a CSV exported from the case
management system), take a quota of cases from each team, leaving out cases audited recently;
spread each team's cases across its practitioners, so that nobody's work is audited twice before
a colleague's once; and propose for each case an auditor from another team, sharing the work out
evenly within each auditor's capacity.

The draw is random but seeded: the same seed and the same inputs give the same plan, byte for
byte, however the rows of the CSV are ordered. Each team draws from its own stream of the seed,
so adding or fixing one team's cases never changes another team's choice.

- :mod:`.lists`: reading the case list and the auditors list (CSV);
- :mod:`.plan`: the draw and the proposed auditors;
- :mod:`.view`: the plan as a report and CSV, and the blank audits it writes.

May import: :mod:`qaimpact.authoring` (the scaffold), :mod:`qaimpact.privacy` and below.
"""

from __future__ import annotations

from qaimpact.cycle.sampling.lists import (
    MAX_CSV_BYTES,
    MAX_LISTED,
    Auditor,
    Case,
    check_list_path,
    read_auditors,
    read_cases,
)
from qaimpact.cycle.sampling.plan import (
    LastAudit,
    Pick,
    Plan,
    TeamQuota,
    last_audits,
    make_plan,
)
from qaimpact.cycle.sampling.view import (
    COLUMNS,
    audit_ids,
    round_of,
    rows,
    sample_view,
    write_audits,
)
from qaimpact.models.audit import ident_key

__all__ = [
    "COLUMNS",
    "MAX_CSV_BYTES",
    "MAX_LISTED",
    "Auditor",
    "Case",
    "LastAudit",
    "Pick",
    "Plan",
    "TeamQuota",
    "audit_ids",
    "check_list_path",
    "ident_key",
    "last_audits",
    "make_plan",
    "read_auditors",
    "read_cases",
    "round_of",
    "rows",
    "sample_view",
    "write_audits",
]
