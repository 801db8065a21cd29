"""The quarterly QA summary (``qaimpact summary``): the whole report in one module.

:func:`summary` gives the figures per framework (grades, trends, groups, themes, added value,
escalations), with disclosure control for ``--publish``; :func:`quarterly_summary` adds what
happened next, one section from each step of the cycle (escalations, remedial actions, re-audit
impact, moderation: each step's ``summary_section``). :func:`group_rows` and :func:`audit_rows`
are its CSV forms. The ``summary`` templates render the view.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import (
    FACETS,
    NONE_LABEL,
    SETTLED_GRADE,
    AuditRecord,
    facet,
    learning_items,
    quarter_of,
)
from qaimpact.base.errors import UsageError
from qaimpact.cycle import actions, escalations, impact, moderation
from qaimpact.cycle.common import iso
from qaimpact.grading.escalation_lifecycle import STATE_LABELS, state
from qaimpact.models.audit import show_value
from qaimpact.models.standard import FieldSpec, Framework
from qaimpact.privacy.disclosure import SUPPRESSED, protect_parts, protect_sum
from qaimpact.privacy.disclosure import count as _count
from qaimpact.privacy.disclosure import hidden_share as _hidden_share
from qaimpact.privacy.disclosure import share as _share
from qaimpact.reports.records import records_summary
from qaimpact.reports.views import escalation_reasons, framework_view, grade_view


def quarterly_summary(
    dataset: Dataset, *, today: dt.date, by: str | None = None, publish: bool = False
) -> dict[str, Any]:
    """The summary view (``kind: summary``) with a ``cycle`` section for each step."""
    view = summary(dataset, by=by, publish=publish)
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


def summary(dataset: Dataset, *, by: str | None = None, publish: bool = False) -> dict[str, Any]:
    """The service's quality assurance summary: figures per framework, themes, escalations."""
    if by is not None and by not in FACETS:
        raise UsageError(f"--by '{by}' is not a grouping; use one of: {', '.join(FACETS)}.")
    first, last = dataset.period()
    frameworks = []
    for fw in dataset.frameworks:
        records = [r for r in dataset.records if r.framework.id == fw.id]
        frameworks.append(_framework_summary(fw, records, by, publish))
    return {
        "kind": "summary",
        "sources": dataset.sources,
        "period": {"from": first.isoformat() if first else None, "to": last.isoformat() if last else None},
        "audits": len(dataset.records),
        "audits_total": _count(len(dataset.records), publish),
        "by": by,
        "publish": publish,
        "grade_basis": SETTLED_GRADE,
        "frameworks": frameworks,
        # Records of other kinds (practice observations, ...): their own figures, by kind.
        "records": records_summary(dataset, publish=publish),
        "outside_period": dataset.outside_period,
        "invalid_count": len(dataset.invalid),
        "skipped_count": len(dataset.skipped),
        # A published report names no file: only the QA team's own report lists them.
        "invalid": []
        if publish
        else [{"file": c.path, "diagnostics": [d.to_dict() for d in c.diagnostics]} for c in dataset.invalid],
        "skipped": [] if publish else [{"file": s.path, "reason": s.reason} for s in dataset.skipped],
    }


def is_good_or_better(record: AuditRecord) -> bool:
    """Whether the audit's settled grade is at or above the framework's 'good or better' line."""
    return record.framework.is_good_or_better(record.settled_grade)


def _distribution(fw: Framework, records: Sequence[AuditRecord], publish: bool) -> list[dict[str, Any]]:
    counts = Counter(r.settled_grade for r in records)
    return [
        {
            "grade": g.id,
            "label": g.label,
            "count": _count(counts[g.id], publish),
            "share": _share(counts[g.id], len(records), publish),
        }
        for g in fw.spec.grades.scale
    ]


#: Which way a moderator moved an audit's grade from the grade its ratings give.
MODERATED_DIRECTIONS = ("up", "down", "same")


def _moderated_direction(record: AuditRecord) -> str:
    rank = record.framework.grade_rank
    assert record.moderated_grade is not None
    steps = rank[record.computed_grade] - rank[record.moderated_grade]
    return "up" if steps > 0 else "down" if steps < 0 else "same"


def _group_row(
    fw: Framework, key: str, records: Sequence[AuditRecord], publish: bool, label: str | None = None
) -> dict[str, Any]:
    good = sum(1 for r in records if is_good_or_better(r))
    return {
        "key": key,
        "label": key if label is None else label,
        "n": _count(len(records), publish),
        "distribution": _distribution(fw, records, publish),
        "good_or_better": _share(good, len(records), publish),
    }


def _framework_summary(
    fw: Framework, records: list[AuditRecord], by: str | None, publish: bool
) -> dict[str, Any]:
    section = _figures(fw, records, by)
    if publish:
        _protect(section, fw)
    return section


#: An audit that names no type is a case file audit (:func:`qaimpact.audits.records.facet`).
CASE_FILE_LABEL = "Case file audit"


def group_label(fw: Framework, by: str, key: str) -> str:
    """What a report shows for a group: an audit type by its label in the standards data
    (``case_file`` is "Case file audit"), anything else as it was recorded."""
    if by == "audit_type":
        labels = {t.id: t.label for t in fw.spec.audit_types or ()}
        return labels.get(key, CASE_FILE_LABEL if key == "case_file" else key)
    return key


def _figures(fw: Framework, records: list[AuditRecord], by: str | None) -> dict[str, Any]:
    publish = False  # figures are computed exactly; _protect suppresses them for publication
    good = sum(1 for r in records if is_good_or_better(r))
    quarters: dict[str, list[AuditRecord]] = defaultdict(list)
    for r in records:
        quarters[quarter_of(r.review_date)].append(r)
    groups = None
    if by is not None:
        grouped: dict[str, list[AuditRecord]] = defaultdict(list)
        for r in records:
            grouped[facet(r, by)].append(r)
        groups = [
            _group_row(fw, key, grouped[key], publish, group_label(fw, by, key)) for key in sorted(grouped)
        ]
    characteristics = [
        {
            "field": name,
            "label": label,
            "rows": [_group_row(fw, key, rows[key], publish) for key in sorted(rows, key=order)],
        }
        for name, label, rows, order in _by_characteristic(fw, records)
    ]
    theme_counts: Counter[str] = Counter()
    theme_info: dict[str, tuple[str, str]] = {}
    for r in records:
        for key, group, label in learning_items(r):
            theme_counts[key] += 1
            theme_info[key] = (group, label)
    themes = [
        {
            "area": theme_info[k][0],
            "label": theme_info[k][1],
            "count": _count(n, publish),
            "share": _share(n, len(records), publish),
        }
        for k, n in sorted(theme_counts.items(), key=lambda kv: (-kv[1], theme_info[kv[0]][1]))
    ]
    added: list[dict[str, Any]] = []
    if fw.spec.added_value:
        counts = Counter(c for r in records for c in set(r.data.get("added_value") or []))
        added = [
            {
                "label": c.label,
                "count": _count(counts[c.id], publish),
                "share": _share(counts[c.id], len(records), publish),
            }
            for c in fw.spec.added_value.categories
        ]
    escalations = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "practitioner": r.data["practitioner"],
            "team": facet(r, "team"),
            "grade": grade_view(fw, r.settled_grade),
            "reasons": escalation_reasons(r),
            "state": STATE_LABELS[state(r.data)],
        }
        for r in records
        if escalation_reasons(r)
    ]
    differs = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "reviewer": r.data["reviewer"],
            "recorded": grade_view(fw, r.recorded_grade),
            "computed": grade_view(fw, r.computed_grade),
            "moderated": grade_view(fw, r.moderated_grade),
            "grade": grade_view(fw, r.settled_grade),
        }
        for r in records
        if r.result.differs
    ]
    moderated = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "moderator": r.data["moderation"]["moderator"],
            "on": iso(r.data["moderation"].get("moderated_on")),
            "computed": grade_view(fw, r.computed_grade),
            "recorded": grade_view(fw, r.recorded_grade),
            "moderated": grade_view(fw, r.moderated_grade),
            "direction": _moderated_direction(r),
        }
        for r in records
        if r.settled_by_moderation
    ]
    directions = Counter(m["direction"] for m in moderated)
    included = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "team": facet(r, "team"),
            "practitioner": r.data["practitioner"],
            "grade": grade_view(fw, r.settled_grade),
            "moderated": r.settled_by_moderation,
        }
        for r in records
    ]
    return {
        "framework": framework_view(fw),
        "n": len(records),
        "total": _count(len(records), publish),
        "escalation_count": _count(sum(1 for r in records if escalation_reasons(r)), publish),
        "differs_count": _count(sum(1 for r in records if r.result.differs), publish),
        "moderated_count": _count(len(moderated), publish),
        "moderated_directions": {d: _count(directions[d], publish) for d in MODERATED_DIRECTIONS},
        "included": included,
        "good_or_better_label": fw.grade_labels[fw.spec.grades.good_or_better].lower(),
        "distribution": _distribution(fw, records, publish),
        "good_or_better": _share(good, len(records), publish),
        "trend": [_group_row(fw, q, quarters[q], publish) for q in sorted(quarters)],
        "groups": groups,
        "characteristics": characteristics,
        "themes": themes,
        "themes_kind": "learning points" if fw.spec.learning else "standards rated below good",
        "added_value": added,
        "escalations": escalations,
        "differs": differs,
        "moderated": moderated,
    }


def characteristic_fields(fw: Framework) -> list[tuple[str, str, FieldSpec]]:
    """The case characteristics grades are broken down by: each declared characteristic, and each
    case field that is a choice or a yes/no answer (such as Cafcass's law type).

    Returns ``(where, name, spec)``, ``where`` being ``characteristics`` or ``case``.
    """
    found = [("characteristics", name, f) for name, f in fw.spec.characteristics.items()]
    found += [("case", name, f) for name, f in fw.spec.case_fields.items() if f.type in ("choice", "boolean")]
    return found


def _by_characteristic(
    fw: Framework, records: Sequence[AuditRecord]
) -> list[tuple[str, str, dict[str, list[AuditRecord]], Any]]:
    tables = []
    for where, name, spec in characteristic_fields(fw):
        values = [((r.data.get(where) or {}).get(name), r) for r in records]
        if all(v is None for v, _ in values):
            continue  # no audit records it: nothing to break down
        rows: dict[str, list[AuditRecord]] = defaultdict(list)
        for value, record in values:
            rows[_characteristic_value(value)].append(record)
        known = [c.replace("_", " ") for c in spec.choices or ()] or ["yes", "no"]

        def order(key: str, known: list[str] = known) -> tuple[int, str]:
            return (known.index(key) if key in known else len(known), key)

        tables.append((f"{where}.{name}", spec.label or name, rows, order))
    return tables


def _characteristic_value(value: Any) -> str:
    """How a row of a breakdown names a value: yes or no for an answer, choices in words."""
    if value is None:
        return NONE_LABEL
    if isinstance(value, bool):
        return "yes" if value else "no"
    return show_value(value).replace("_", " ")


def _cell(count: dict[str, Any], mark: str) -> None:
    count["n"] = None
    count["text"] = mark


def _protect(section: dict[str, Any], fw: Framework) -> None:
    """Suppress small counts for publication so that none can be worked out by subtraction.

    Counts from 1 to 4 are hidden (primary suppression, shown ``<5``). Then, in every table of
    grades (the overall distribution and each quarter or group), wherever a row or a column with
    a known total has exactly one hidden count, the smallest other non-zero count is hidden too
    (secondary suppression, shown ``*``), until no hidden count is alone. Shares built on a
    hidden count are suppressed. A published report lists no individual audit.
    """
    margin = [d["count"] for d in section["distribution"]]
    tables = [[[d["count"] for d in row["distribution"]] for row in section["trend"]]]
    totals = [[row["n"] for row in section["trend"]]]
    if section["groups"] is not None:
        tables.append([[d["count"] for d in row["distribution"]] for row in section["groups"]])
        totals.append([row["n"] for row in section["groups"]])
    for table in section["characteristics"]:
        tables.append([[d["count"] for d in row["distribution"]] for row in table["rows"]])
        totals.append([row["n"] for row in table["rows"]])
    hidden: set[int] = set()
    secondary: set[int] = set()

    def hide_primary(cells: list[dict[str, Any]]) -> None:
        hidden.update(id(c) for c in cells if 1 <= c["n"] <= 4)

    def settle(cells: list[dict[str, Any]], total: dict[str, Any]) -> bool:
        if id(total) in hidden:
            return False
        alone = [c for c in cells if id(c) in hidden]
        if len(alone) != 1:
            return False
        others = sorted((c for c in cells if id(c) not in hidden and c["n"] > 0), key=lambda c: c["n"])
        target = others[0] if others else total
        hidden.add(id(target))
        secondary.add(id(target))
        return True

    hide_primary(margin)
    for table, row_totals in zip(tables, totals, strict=True):
        for row, total in zip(table, row_totals, strict=True):
            hide_primary([*row, total])
    grand = section["total"]
    hide_primary([grand])
    changed = True
    while changed:
        changed = settle(margin, grand)
        for table, row_totals in zip(tables, totals, strict=True):
            for row, total in zip(table, row_totals, strict=True):
                changed = settle(row, total) or changed
            for j, column_total in enumerate(margin):
                changed = settle([row[j] for row in table], column_total) or changed
    everything = [
        grand,
        *margin,
        *(c for t in tables for row in t for c in row),
        *(n for ts in totals for n in ts),
    ]
    for count in everything:
        if id(count) in hidden:
            _cell(count, "*" if id(count) in secondary else SUPPRESSED)
    line = fw.grade_rank[fw.spec.grades.good_or_better]

    def reshare(rows: list[dict[str, Any]], total: dict[str, Any], good: dict[str, Any]) -> None:
        for d in rows:
            if d["count"]["n"] is None or total["n"] is None:
                d["share"] = _hidden_share(d["count"], total)
        if total["n"] is None or any(
            d["count"]["n"] is None for d in rows if fw.grade_rank[d["grade"]] <= line
        ):
            good.update(_hidden_share(good["count"], total))

    reshare(
        section["distribution"], {"n": section["n"], "text": str(section["n"])}, section["good_or_better"]
    )
    rows_by_characteristic = [row for table in section["characteristics"] for row in table["rows"]]
    for row in [*section["trend"], *(section["groups"] or []), *rows_by_characteristic]:
        reshare(row["distribution"], row["n"], row["good_or_better"])
    for item in [*section["themes"], *section["added_value"]]:
        if 1 <= item["count"]["n"] <= 4:
            _cell(item["count"], SUPPRESSED)
        if item["count"]["n"] is None or grand["n"] is None:
            item["share"] = _hidden_share(item["count"], grand)
    for key in ("escalation_count", "differs_count", "moderated_count"):
        if 1 <= section[key]["n"] <= 4:
            _cell(section[key], SUPPRESSED)
    directions = list(section["moderated_directions"].values())
    for cell in directions:
        if 1 <= cell["n"] <= 4:
            _cell(cell, SUPPRESSED)
    protect_parts(section["moderated_count"], directions)
    section["escalations"], section["differs"], section["moderated"], section["included"] = [], [], [], []


def _protect_across_tables(view: dict[str, Any]) -> None:
    # Each section protects its own counts; these totals also appear split in another table.
    cycle = view["cycle"]
    protect_sum([s["escalation_count"] for s in view["frameworks"]], cycle["escalations"]["needed"])
    overall = cycle["impact"]["overall"]
    if overall is not None:
        protect_sum([g["compared"] for g in cycle["impact"]["groups"]], overall["compared"])


def audit_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """One flat row per valid audit: the tidy table for spreadsheets and BI tools.

    ``grade`` is the settled grade and ``grade_source`` says whether it is the moderator's or the
    computed one; ``grade_differs`` says whether the recorded grade differs from the computed one.
    """
    rows = []
    for r in dataset.records:
        fw = r.framework
        rows.append(
            {
                "file": r.path,
                "framework": fw.id,
                "audit_id": r.audit_id,
                "review_date": r.review_date.isoformat(),
                "quarter": quarter_of(r.review_date),
                "month": facet(r, "month"),
                "team": facet(r, "team"),
                "practitioner": r.data["practitioner"],
                "reviewer": r.data["reviewer"],
                "law_type": facet(r, "law_type"),
                "audit_type": facet(r, "audit_type"),
                "theme": facet(r, "theme"),
                # The settled grade (SETTLED_GRADE); grade_source says which grade it is.
                "grade": r.settled_grade,
                "grade_label": fw.grade_labels[r.settled_grade],
                "grade_source": "moderated" if r.settled_by_moderation else "computed",
                "good_or_better": is_good_or_better(r),
                "computed_grade": r.computed_grade,
                "recorded_grade": r.recorded_grade or "",
                "moderated_grade": r.moderated_grade or "",
                "grade_differs": r.result.differs,
                "escalation": "; ".join(escalation_reasons(r)),
                "escalation_state": state(r.data) if escalation_reasons(r) else "",
                "learning": "; ".join(label for _, _, label in learning_items(r)),
            }
        )
    return rows


def group_columns(view: dict[str, Any]) -> list[str]:
    """The header of :func:`group_rows`: the grade columns in scale order, best first.

    Frameworks' scales are merged: a grade one framework adds (Cafcass's `met`) goes after the
    grade it follows on its own scale, not after the last column.
    """
    grades: list[str] = []
    for section in view["frameworks"]:
        previous: str | None = None
        for d in section["distribution"]:
            grade = d["grade"]
            if grade not in grades:
                grades.insert(grades.index(previous) + 1 if previous is not None else 0, grade)
            previous = grade
    return ["framework", view["by"] or "quarter", "audits", *grades, "pct_good_or_better"]


def group_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary's grouped figures (``--by``, else by quarter) as flat rows."""
    rows: list[dict[str, Any]] = []
    for section in view["frameworks"]:
        groups = section["groups"] if section["groups"] is not None else section["trend"]
        for group in groups:
            row: dict[str, Any] = {
                "framework": section["framework"]["id"],
                view["by"] or "quarter": group["key"],
                "audits": group["n"]["text"],
            }
            for d in group["distribution"]:
                row[d["grade"]] = d["count"]["text"]
            share = group["good_or_better"]
            row["pct_good_or_better"] = "" if share["pct"] is None else share["pct"]
            rows.append(row)
    return rows
