"""The quarterly summary with the quality assurance cycle's sections.

:func:`qaimpact.reports.analysis.summary` gives the grades, trends and themes; this adds what happened
next: escalations and their state, remedial actions, re-audits and their impact, and the
moderation of grades, each from its step's ``summary_section``. With ``publish`` every section
hides small counts and names no one, as the rest of a published summary does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.cycle import actions, escalations, impact, moderation
from qaimpact.privacy.disclosure import protect_sum
from qaimpact.reports import analysis


def quarterly_summary(
    dataset: Dataset, *, today: dt.date, by: str | None = None, publish: bool = False
) -> dict[str, Any]:
    """The summary view (``kind: summary``) with a ``cycle`` section for each step."""
    view = analysis.summary(dataset, by=by, publish=publish)
    records = dataset.records
    view["cycle"] = {
        "today": today.isoformat(),
        "escalations": escalations.summary_section(records, today=today, publish=publish),
        "actions": actions.summary_section(records, today=today, publish=publish),
        "impact": impact.summary_section(records, today=today, publish=publish),
        "moderation": moderation.summary_section(records, today=today, publish=publish),
    }
    if publish:
        _protect_across_tables(view)
    return view


def _protect_across_tables(view: dict[str, Any]) -> None:
    # Each section protects its own counts; these totals also appear split in another table.
    cycle = view["cycle"]
    protect_sum([s["escalation_count"] for s in view["frameworks"]], cycle["escalations"]["needed"])
    overall = cycle["impact"]["overall"]
    if overall is not None:
        protect_sum([g["compared"] for g in cycle["impact"]["groups"]], overall["compared"])
