"""The summary's figures for records of other kinds than the audit (practice observations, ...).

Nothing here is written per kind: the figures follow from each kind's declaration in the
standards file. For every kind a framework in use declares (one of the period's audits or
records is written against it), even one without records in the period: how many; for each ``choice`` field,
the records by value; for each ``ratings`` field, the standards rated by rating; for each date
besides the one that dates the record, how many record it and the median days after. Every
table is plain rows x columns with its totals, and every count goes through
:mod:`qaimpact.privacy.disclosure`, so ``--publish`` protects them as it does the audits' figures.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import NONE_LABEL, KindRecord
from qaimpact.models.kinds import rated_standards
from qaimpact.models.standard import Framework, RecordKind
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports.views import framework_view


def records_summary(dataset: Dataset, ledger: Figures) -> list[dict[str, Any]]:
    """One section per kind of record the frameworks in use declare, in framework id and kind
    order, every count in ``ledger`` (the summary's), so that publishing protects them with the
    rest. A kind without records in the period has its section, saying none was recorded: a board
    reads the absence of practice observations as a finding, and a missing section hides it."""
    in_use = {r.framework.id: r.framework for r in dataset.records}
    in_use.update((k.framework.id, k.framework) for k in dataset.kinds)
    grouped: dict[tuple[str, str], list[KindRecord]] = {
        (fw.id, kind): [] for fw in in_use.values() for kind in fw.spec.records
    }
    for record in dataset.kinds:
        grouped[(record.framework.id, record.kind)].append(record)
    sections = []
    for (framework_id, kind), records in sorted(grouped.items()):
        fw = in_use[framework_id]
        if not records:
            sections.append(_nothing_recorded(ledger, fw, kind, fw.spec.records[kind]))
            continue
        sections.append(_section(ledger, fw, kind, fw.spec.records[kind], records))
    return sections


def _nothing_recorded(ledger: Figures, fw: Framework, kind: str, declared: RecordKind) -> dict[str, Any]:
    # Tables of zeros would say nothing more than the total does.
    return {
        "framework": framework_view(fw),
        "kind": kind,
        "label": declared.label,
        "total": ledger.count(0),
        "choices": [],
        "ratings": [],
        "dates": [],
    }


def _section(
    ledger: Figures, fw: Framework, kind: str, declared: RecordKind, records: list[KindRecord]
) -> dict[str, Any]:
    # One count of the records, shared by every table that totals it: a total hidden to protect
    # one table is hidden everywhere it appears.
    total = ledger.count(len(records))
    choices = [
        _choice_table(ledger, name, field.label or name, field.choice_labels, field.required, records, total)
        for name, field in declared.fields.items()
        if field.type == "choice"
    ]
    ratings = [
        _ratings_table(ledger, fw, name, field.label or name, records)
        for name, field in declared.fields.items()
        if field.type == "ratings"
    ]
    dates = [
        _date_row(ledger, declared.date, name, field.label or name, records, total)
        for name, field in declared.fields.items()
        if field.type == "date" and name != declared.date
    ]
    return {
        "framework": framework_view(fw),
        "kind": kind,
        "label": declared.label,
        "total": total,
        "choices": choices,
        "ratings": ratings,
        "dates": dates,
    }


def _choice_table(
    ledger: Figures,
    name: str,
    label: str,
    choices: dict[str, str],
    required: bool,
    records: list[KindRecord],
    total: dict[str, Any],
) -> dict[str, Any]:
    values = Counter(r.data.get(name) for r in records)
    keys: list[str | None] = [*choices] if required else [*choices, None]
    rows: list[dict[str, Any]] = [
        {
            "key": NONE_LABEL if c is None else c,
            "label": NONE_LABEL if c is None else choices[c],
            "count": ledger.count(values[c]),
        }
        for c in keys
    ]
    cells = [r["count"] for r in rows]
    ledger.breakdown(total, cells)
    # Every record holds one of the values (or none, where the field is optional): the rows add
    # up to the records, which a reader knows as well as the report does.
    if sum(values[c] for c in keys) == len(records):
        ledger.same(cells, [total])
    return {"field": name, "label": label, "rows": rows, "total": total}


def _ratings_table(
    ledger: Figures, fw: Framework, name: str, label: str, records: list[KindRecord]
) -> dict[str, Any]:
    """Standards (rows) by rating (columns): how often each standard was rated each way."""
    cells: Counter[tuple[str, str]] = Counter()
    for record in records:
        for std, entry in rated_standards(record.data.get(name)).items():
            cells[std, str(entry["rating"])] += 1
    scale = list(fw.rating_rank)
    rows: list[dict[str, Any]] = []
    for std_id, standard in fw.standards.items():
        if not any(cells[std_id, r] for r in scale):
            continue
        row = [ledger.count(cells[std_id, r]) for r in scale]
        rows.append(
            {
                "standard": std_id,
                "title": standard.title.rstrip("."),
                "cells": row,
                "total": ledger.total(row, at_least=1),
            }
        )
    column_totals = [ledger.total([row["cells"][j] for row in rows]) for j in range(len(scale))]
    grand = ledger.total(column_totals)
    ledger.breakdown(grand, [row["total"] for row in rows])
    return {
        "field": name,
        "label": label,
        "columns": [{"id": r, "label": fw.rating_labels[r]} for r in scale],
        "rows": rows,
        "column_totals": column_totals,
        "total": grand,
    }


def _date_row(
    ledger: Figures,
    dated: str,
    name: str,
    label: str,
    records: list[KindRecord],
    total: dict[str, Any],
) -> dict[str, Any]:
    days = [(r.data[name] - r.data[dated]).days for r in records if r.data.get(name) is not None]
    recorded = ledger.count(len(days))
    ledger.within(recorded, total)
    row: dict[str, Any] = {
        "field": name,
        "label": label,
        "recorded": ledger.share(recorded, total),
        # A whole number of days is written as one ("55 days", not "55.0 days").
        "median_days": _whole(statistics.median(days)) if days else None,
    }

    def hide_median() -> None:
        # A median of fewer than 5 records, or of a count not shown, says too much.
        if recorded["n"] is None:
            row["median_days"] = None

    ledger.then(hide_median)
    return row


def _whole(value: float) -> float | int:
    """``value`` as an int when it is a whole number, as a median of days usually is."""
    return int(value) if float(value).is_integer() else value
