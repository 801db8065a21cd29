"""The summary's figures for records of other kinds than the audit (practice observations, ...).

Nothing here is written per kind: the figures follow from each kind's declaration in the
standards file. For every kind with records in the period: how many; for each ``choice`` field,
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
from qaimpact.privacy.disclosure import count, hidden_share, protect_parts, share
from qaimpact.reports.views import framework_view


def records_summary(dataset: Dataset, *, publish: bool = False) -> list[dict[str, Any]]:
    """One section per framework and kind that has records, in framework id and kind order."""
    grouped: dict[tuple[str, str], list[KindRecord]] = {}
    for record in dataset.kinds:
        grouped.setdefault((record.framework.id, record.kind), []).append(record)
    sections = []
    for (_, kind), records in sorted(grouped.items()):
        fw = records[0].framework
        sections.append(_section(fw, kind, fw.spec.records[kind], records, publish))
    return sections


def _section(
    fw: Framework, kind: str, declared: RecordKind, records: list[KindRecord], publish: bool
) -> dict[str, Any]:
    # One count of the records, shared by every table that totals it: a total hidden to protect
    # one table is hidden everywhere it appears.
    total = count(len(records), publish)
    choices = [
        _choice_table(name, field.label or name, field.choices or [], field.required, records, publish, total)
        for name, field in declared.fields.items()
        if field.type == "choice"
    ]
    ratings = [
        _ratings_table(fw, name, field.label or name, records, publish)
        for name, field in declared.fields.items()
        if field.type == "ratings"
    ]
    dates = [
        _date_row(declared.date, name, field.label or name, records, publish, total)
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
    name: str,
    label: str,
    choices: list[str],
    required: bool,
    records: list[KindRecord],
    publish: bool,
    total: dict[str, Any],
) -> dict[str, Any]:
    values = Counter(r.data.get(name) for r in records)
    rows: list[dict[str, Any]] = [{"key": c, "count": count(values[c], publish)} for c in choices]
    if not required:
        rows.append({"key": NONE_LABEL, "count": count(values[None], publish)})
    if publish:
        protect_parts(total, [r["count"] for r in rows])
    return {"field": name, "label": label, "rows": rows, "total": total}


def _ratings_table(
    fw: Framework, name: str, label: str, records: list[KindRecord], publish: bool
) -> dict[str, Any]:
    """Standards (rows) by rating (columns): how often each standard was rated each way."""
    cells: Counter[tuple[str, str]] = Counter()
    for record in records:
        for std, entry in rated_standards(record.data.get(name)).items():
            cells[std, str(entry["rating"])] += 1
    scale = list(fw.rating_rank)
    rows: list[dict[str, Any]] = []
    for std_id, standard in fw.standards.items():
        row_total = sum(cells[std_id, r] for r in scale)
        if row_total == 0:
            continue
        rows.append(
            {
                "standard": std_id,
                "title": standard.title.rstrip("."),
                "cells": [count(cells[std_id, r], publish) for r in scale],
                "total": count(row_total, publish),
            }
        )
    column_totals = [count(sum(cells[s["standard"], r] for s in rows), publish) for r in scale]
    grand = count(sum(cells.values()), publish)
    if publish:
        _protect_table([r["cells"] for r in rows], [r["total"] for r in rows], column_totals, grand)
    return {
        "field": name,
        "label": label,
        "columns": [{"id": r, "label": fw.rating_labels[r]} for r in scale],
        "rows": rows,
        "column_totals": column_totals,
        "total": grand,
    }


def _protect_table(
    rows: list[list[dict[str, Any]]],
    row_totals: list[dict[str, Any]],
    column_totals: list[dict[str, Any]],
    grand: dict[str, Any],
) -> None:
    """Protect every row and column of a table (and its margins) until no hidden count is exposed."""
    while True:
        before = [c["text"] for row in rows for c in row] + [c["text"] for c in (*row_totals, *column_totals)]
        for row, total in zip(rows, row_totals, strict=True):
            protect_parts(total, row)
        for j, total in enumerate(column_totals):
            protect_parts(total, [row[j] for row in rows])
        protect_parts(grand, column_totals)
        protect_parts(grand, row_totals)
        after = [c["text"] for row in rows for c in row] + [c["text"] for c in (*row_totals, *column_totals)]
        if after == before:
            return


def _date_row(
    dated: str, name: str, label: str, records: list[KindRecord], publish: bool, total: dict[str, Any]
) -> dict[str, Any]:
    days = [(r.data[name] - r.data[dated]).days for r in records if r.data.get(name) is not None]
    recorded = share(len(days), len(records), publish)
    if total["n"] is None:
        # The number of records is hidden (to protect a table): a share would give it away.
        recorded = hidden_share(recorded["count"], total)
    hidden = recorded["count"]["n"] is None
    return {
        "field": name,
        "label": label,
        "recorded": recorded,
        "median_days": None if hidden or not days else statistics.median(days),
    }
