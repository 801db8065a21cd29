"""The quarterly QA summary (``qaimpact summary``): the whole report in one module.

:func:`summary` gives the figures per framework (grades, trends, groups, themes, added value,
escalations), with disclosure control for ``--publish``; :func:`quarterly_summary` adds what
happened next, one section from each step of the cycle (escalations, remedial actions, re-audit
impact, moderation: each step's ``summary_section``). :func:`group_rows` and :func:`audit_rows`
are its CSV forms. The ``summary`` templates render the view.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import (
    FACETS,
    NONE_LABEL,
    SETTLED_GRADE,
    AuditRecord,
    facet,
    learning_items,
)
from qaimpact.base.errors import UsageError
from qaimpact.cycle import actions, escalations, impact, moderation
from qaimpact.cycle.common import iso
from qaimpact.grading.escalation_lifecycle import STATE_LABELS, state
from qaimpact.models.audit import show_value
from qaimpact.models.standard import FieldSpec, Framework
from qaimpact.privacy.disclosure import THRESHOLD, Figures
from qaimpact.reports.records import records_summary
from qaimpact.reports.views import escalation_reasons, framework_view, grade_view


def quarterly_summary(
    dataset: Dataset,
    *,
    today: dt.date,
    by: str | None = None,
    publish: bool = False,
    figures: Figures | None = None,
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The summary view (``kind: summary``) with a ``cycle`` section for each step.

    ``quarters`` says which year the quarters follow (``--year-start``; the calendar year by
    default); ``quarter``, the quarter (as ``quarters`` names it) the dataset was read for.

    Every count goes through one :class:`~qaimpact.privacy.disclosure.Figures` ledger, so that a
    published summary protects the counts of every section together: a framework's audits
    needing escalation add up to the escalations of the cycle, its audits to the moderation's.
    ``figures``, when given, is that ledger (its ``publish`` wins), for a check of what it hid.
    """
    figures = figures if figures is not None else Figures(publish)
    view = summary_with_cycle(
        dataset, today=today, by=by, figures=figures, quarters=quarters, quarter=quarter
    )
    figures.protect()
    return view


def summary_with_cycle(
    dataset: Dataset,
    *,
    today: dt.date,
    figures: Figures,
    by: str | None = None,
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The view of :func:`quarterly_summary` with its counts not yet protected: for a report that
    adds sections of its own to the same ledger (``qaimpact quarterly``) and then protects them
    all together with ``figures.protect()``."""
    publish = figures.publish
    # The summary's figures and its moderation section count the same cases once: paired once.
    once = cases_counted(dataset.records, quarters or Quarters())
    view = summary(dataset, by=by, figures=figures, quarters=quarters, quarter=quarter, once=once)
    records = dataset.records
    start = dataset.date_from
    # What earlier audits carry into a period that has a first day, counted as the escalations
    # report and the tracker count them, so that the summary's figures are theirs.
    carried_escalations = None if start is None else escalations.carried_in(dataset.outside, start, today)
    carried_actions = None if start is None else actions.carried_in(dataset.outside, start, today)
    # In this order, as each section's counts join the ledger after those before it.
    # The invalid audits too: one whose escalation is certain whatever its errors is counted
    # beside the escalations needed, so that the summary's escalations never leave a child out.
    cycle_escalations = escalations.summary_section(
        records,
        today=today,
        publish=publish,
        figures=figures,
        carried=carried_escalations,
        invalid=dataset.invalid,
    )
    cycle_actions = actions.summary_section(
        records,
        today=today,
        publish=publish,
        figures=figures,
        carried=carried_actions,
        earlier=dataset.outside,
    )
    view["cycle"] = {
        "today": today.isoformat(),
        "escalations": cycle_escalations,
        "actions": cycle_actions,
        "impact": impact.summary_section(
            records,
            today=today,
            publish=publish,
            figures=figures,
            outside=dataset.outside,
            date_from=dataset.date_from,
            date_to=dataset.date_to,
            cycle_actions=cycle_actions,
        ),
        # Its audits are the cases the figures count; its pairs are of every audit.
        "moderation": moderation.summary_section(
            records,
            today=today,
            publish=publish,
            figures=figures,
            counted=once.counted,
            double_marking=once.marked,
        ),
    }
    return view


def cases_counted(records: Sequence[AuditRecord], quarters: Quarters) -> moderation.CountedOnce:
    """The audits a summary's figures count, a double-marked case once within each of its
    ``quarters``: two audits in different quarters are both counted, so each quarter's figures are
    those its quarterly report gives (:func:`~qaimpact.cycle.moderation.count_once`)."""
    return moderation.count_once(records, period=lambda r: quarters.key(r.review_date))


def summary(
    dataset: Dataset,
    *,
    by: str | None = None,
    publish: bool = False,
    figures: Figures | None = None,
    quarters: Quarters | None = None,
    quarter: str | None = None,
    once: moderation.CountedOnce | None = None,
) -> dict[str, Any]:
    """The service's quality assurance summary: figures per framework, themes, escalations.

    With ``figures`` (a ledger shared with the cycle's sections) the counts are protected when the
    caller calls ``figures.protect()``; without, here. ``quarters`` is the year the quarters
    follow (the calendar year by default) and ``quarter`` the quarter the dataset was read for,
    if it was read for one: the view states it beside the period's dates. ``once`` is
    :func:`cases_counted` of the dataset's audits in ``quarters``, where the caller has it.
    """
    if by is not None and by not in FACETS:
        raise UsageError(f"--by '{by}' is not a grouping; use one of: {', '.join(FACETS)}.")
    ledger = figures if figures is not None else Figures(publish)
    publish = ledger.publish
    quarters = quarters or Quarters()
    first, last = dataset.period(records=True)
    # A double-marked case is one case: its second audit checks the first's grade (moderation).
    if once is None:
        once = cases_counted(dataset.records, quarters)
    frameworks = []
    for fw in dataset.frameworks:
        records = [r for r in dataset.records if r.framework.id == fw.id]
        frameworks.append(_framework_summary(fw, records, by, ledger, quarters, once))
    # The report's headline count of audits is never hidden to protect another count where it is
    # safe itself, as a framework's headline: 5 or more audits, and no framework's from 1 to 4.
    safe = len(once.counted) >= THRESHOLD and all(not 0 < section["n"] < THRESHOLD for section in frameworks)
    # The audits the figures count (a double-marked case once), as the frameworks' headlines do.
    audits_total = ledger.total([section["total"] for section in frameworks], keep=safe)
    ledger.names[("audits",)] = audits_total
    # The second audits counted once: said beside the headline, protected like any other count.
    counted_once = ledger.total([section["counted_once_count"] for section in frameworks])
    # Every valid audit read: never shown, but a reader can add it up.
    ledger.total([audits_total, counted_once], shown=False, breakdown=False)
    view: dict[str, Any] = {
        "kind": "summary",
        # The folders and files read (``--audits``), redacted under ``--redact``. A published
        # report names none: a folder's name can name a child or a family (``smith-family/``)
        # in words no redaction knows, and the count of audits says what a reader needs.
        "sources": [] if publish else dataset.sources,
        "period": {
            "from": first.isoformat() if first else None,
            "to": last.isoformat() if last else None,
            "quarter": quarters.label(quarter) if quarter else None,
        },
        # The month the year of the quarters starts in: every quarter's dates follow from it.
        "year_start": quarters.start_name,
        "audits": len(once.counted),
        "audits_total": audits_total,
        # Of those, the second audits of a double-marked case, each counted once with its case.
        "counted_once": counted_once,
        "counted_once_basis": moderation.counted_once_basis(),
        "by": by,
        "publish": publish,
        "grade_basis": SETTLED_GRADE,
        "frameworks": frameworks,
        # Records of other kinds (practice observations, ...): their own figures, by kind.
        "records": records_summary(dataset, ledger),
        # Files and audits left out are counted in the QA team's own report only: published,
        # "3 outside the period" beside a year's total would give the quarter's hidden count.
        # A published report still says that some were left out.
        "outside_period": None if publish else dataset.outside_period,
        "invalid_count": None if publish else len(dataset.invalid),
        # Of those, the audits: a practice record left out is not an audit, and never escalated.
        "invalid_audits": None if publish else dataset.invalid_audits,
        # Files with errors dated outside the period: not in its figures, valid or not.
        "invalid_outside_period": None if publish else len(dataset.set_aside),
        "invalid_audits_outside_period": None if publish else dataset.set_aside_audits,
        "skipped_count": None if publish else len(dataset.skipped),
        "left_out": {
            "invalid": bool(dataset.invalid),
            # Which kind of file: a published report says whether audits, practice records or
            # both were left out (only audits can need escalating), never how many.
            "invalid_audits": dataset.invalid_audits > 0,
            "invalid_records": any(c.kind is not None for c in dataset.invalid),
            "skipped": bool(dataset.skipped),
            "outside_period": bool(dataset.outside_period),
        },
        # A published report names no file: only the QA team's own report lists them.
        "invalid": []
        if publish
        else [{"file": c.path, "diagnostics": [d.to_dict() for d in c.diagnostics]} for c in dataset.invalid],
        "skipped": [] if publish else [{"file": s.path, "reason": s.reason} for s in dataset.skipped],
        # The headlines a published report could not show after all ("audits" for the report's
        # count, a framework's id for its count and share good or better): the page says why.
        "hidden_headlines": [],
    }
    if publish:
        # What a published report holds is only what it shows: no raw count beside a hidden one.
        ledger.then(lambda: _published(view, ledger))
    if figures is None:
        ledger.protect()
    return view


def _published(view: dict[str, Any], ledger: Figures) -> None:
    hidden = {id(cell) for cell in ledger.hidden_headlines()}
    if id(view["audits_total"]) in hidden:
        view["hidden_headlines"].append("audits")
    for section in view["frameworks"]:
        if hidden.intersection({id(section["total"]), id(section["good_or_better"]["count"])}):
            view["hidden_headlines"].append(section["framework"]["id"])
    view["audits"] = view["audits_total"]["n"]
    for section in view["frameworks"]:
        section["n"] = section["total"]["n"]


def is_good_or_better(record: AuditRecord) -> bool:
    """Whether the audit's settled grade is at or above the framework's 'good or better' line."""
    return record.framework.is_good_or_better(record.settled_grade)


#: Which way a moderator moved an audit's grade from the grade its ratings give.
MODERATED_DIRECTIONS = ("up", "down", "same")


def _moderated_direction(record: AuditRecord) -> str:
    rank = record.framework.grade_rank
    assert record.moderated_grade is not None
    steps = rank[record.computed_grade] - rank[record.moderated_grade]
    return "up" if steps > 0 else "down" if steps < 0 else "same"


def _row(
    ledger: Figures,
    fw: Framework,
    key: str,
    cells: list[dict[str, Any]],
    good: dict[str, Any],
    label: str | None = None,
) -> dict[str, Any]:
    """One row of a table of grades: its audits (a listed row has at least one), each grade's
    count and share, and the share good or better; ``label`` is how it is shown (its key)."""
    n = ledger.total(cells, at_least=1)
    return {
        "key": key,
        "label": key if label is None else label,
        "n": n,
        "distribution": [
            {"grade": g.id, "label": g.label, "count": c, "share": ledger.share(c, n)}
            for g, c in zip(fw.spec.grades.scale, cells, strict=True)
        ],
        "good_or_better": ledger.share(good, n),
    }


def _table(
    ledger: Figures,
    fw: Framework,
    groups: dict[str, list[AuditRecord]],
    order: Callable[[str], Any] | None = None,
    label: Callable[[str], str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """A table of grades, one row per group (in key order, or ``order``; each shown as
    ``label`` says, or as its key), and its cells by key."""
    line = fw.grade_rank[fw.spec.grades.good_or_better]
    rows, cells = [], {}
    for key in sorted(groups, key=order):
        counts = Counter(r.settled_grade for r in groups[key])
        cells[key] = [ledger.count(counts[g.id]) for g in fw.spec.grades.scale]
        good = ledger.total(cells[key][: line + 1], breakdown=False)
        rows.append(_row(ledger, fw, key, cells[key], good, label(key) if label else None))
    return rows, cells


def _cross_table(
    ledger: Figures,
    fw: Framework,
    groups: dict[str, list[AuditRecord]],
    total: dict[str, Any],
    margin: list[dict[str, Any]],
    *,
    order: Callable[[str], Any] | None = None,
    same: bool = True,
    label: Callable[[str], str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """A second table of grades of the same audits (by team, by a case characteristic): its rows
    break the framework's audits down and its columns each grade, so a published report protects
    each cell against the trend's. ``same`` says the columns add up to the grades (not where the
    caller links the cells to the trend's own)."""
    rows, cells = _table(ledger, fw, groups, order, label)
    for row in rows:
        ledger.breakdown(total, [row["n"]])
    if len(rows) == 1:
        # The only row holds every audit: its count is the framework's, shown again.
        ledger.same([rows[0]["n"]], [total])
    for j, grade in enumerate(margin):
        column = [cells[key][j] for key in cells]
        ledger.breakdown(grade, column)
        if same:
            ledger.same(column, [grade])
    return rows, cells


#: The groups (``--by``) whose keys are ids the standards data gives labels: a CSV of the
#: grouped figures gives the label in a column of its own beside the id.
LABELLED_GROUPS = ("law_type", "audit_type")

#: An audit that names no type is a case file audit (:func:`qaimpact.audits.records.facet`).
CASE_FILE_LABEL = "Case file audit"


def group_label(fw: Framework, by: str, key: str) -> str:
    """What a report shows for a group: an audit type by its label in the standards data
    (``case_file`` is "Case file audit"), a case field's choice (the law type) by its label or
    its id in words, anything else as it was recorded."""
    if by == "audit_type":
        labels = {t.id: t.label for t in fw.spec.audit_types or ()}
        return labels.get(key, CASE_FILE_LABEL if key == "case_file" else key)
    field = fw.spec.case_fields.get(by)
    if field is not None and field.type in ("choice", "boolean"):
        return characteristic_label(field, key)
    return key


def _framework_summary(
    fw: Framework,
    read: list[AuditRecord],
    by: str | None,
    ledger: Figures,
    quarters: Quarters,
    once: moderation.CountedOnce,
) -> dict[str, Any]:
    """A framework's figures, every count in ``ledger`` with the sums it belongs to.

    The grades by quarter are the table the framework's counts are sums of: its grades, its
    audits, the share good or better. The grades by ``by`` are a second table of the same
    audits, whose columns add up to the same grades (and, by month, whose months add up to the
    quarters). Themes, added value and moderated grades count some of the audits.

    The audits counted are those ``once`` counts: a double-marked case once. Escalations and the
    recorded grades that differ from the computed ones are of every audit ``read``: a second
    audit's evidence of risk, or its grade to moderate, is never left out.
    """
    records = [r for r in read if once.is_counted(r)]
    seconds = [s for s in once.seconds if s.audit.framework.id == fw.id]
    scale = fw.spec.grades.scale
    line = fw.grade_rank[fw.spec.grades.good_or_better]
    by_key: dict[str, list[AuditRecord]] = defaultdict(list)
    for r in records:
        by_key[quarters.key(r.review_date)].append(r)
    trend, by_quarter = _table(ledger, fw, by_key, label=quarters.label)
    margin = [ledger.total([by_quarter[q][j] for q in sorted(by_quarter)]) for j in range(len(scale))]
    good_n = sum(1 for r in records if is_good_or_better(r))
    # The headline, "69% (33 of 48) graded good or better", is never hidden to protect another
    # count where it is safe itself: its audits where there are 5 or more, and its share good or
    # better where, besides, neither side of the line is from 1 to 4.
    safe = len(records) >= THRESHOLD and all(not 0 < k < THRESHOLD for k in (good_n, len(records) - good_n))
    total = ledger.total(margin, keep=len(records) >= THRESHOLD)
    for row in trend:
        ledger.breakdown(total, [row["n"]])
    good = ledger.total(margin[: line + 1], breakdown=False, keep=safe)
    ledger.names[("audits", fw.id)] = total
    counted_once_count = ledger.count(len(seconds))
    # Every audit read, of which escalations and differing grades are counted (never shown: a
    # reader can add it up).
    read_total = ledger.total([total, counted_once_count], shown=False)

    groups = None
    if by is not None:
        grouped: dict[str, list[AuditRecord]] = defaultdict(list)
        for r in records:
            grouped[quarters.key(r.review_date) if by == "quarter" else facet(r, by)].append(r)
        # By quarter or month, the table is the trend's again (or its months): its cells are the
        # quarters' own, linked below; by any other group, its columns add up to the grades.
        periods = by in ("quarter", "month")
        groups, by_group = _cross_table(
            ledger,
            fw,
            grouped,
            total,
            margin,
            same=not periods,
            label=quarters.label if by == "quarter" else lambda key: group_label(fw, by, key),
        )
        for j in range(len(scale)):
            if by == "quarter":  # the same table twice: each cell is the quarter's
                for key in by_group:
                    ledger.same([by_group[key][j]], [by_quarter[key][j]])
            elif by == "month":  # the months of a quarter add up to it
                for q in by_quarter:
                    ledger.same(
                        [by_group[k][j] for k in by_group if quarters.of_month(k) == q], [by_quarter[q][j]]
                    )

    characteristics = []
    for name, label, rows, order, shown in _by_characteristic(fw, records):
        table, _ = _cross_table(ledger, fw, rows, total, margin, order=order, label=shown)
        characteristics.append({"field": name, "label": label, "rows": table})
    theme_counts: Counter[str] = Counter()
    theme_info: dict[str, tuple[str, str]] = {}
    for r in records:
        for key, group, label in learning_items(r):
            theme_counts[key] += 1
            theme_info[key] = (group, label)
    themes = []
    for k, n in sorted(theme_counts.items(), key=lambda kv: (-kv[1], theme_info[kv[0]][1])):
        cell = ledger.count(n)
        ledger.within(cell, total)
        # By name, for a table that breaks the same audits down further (the quarterly report's
        # ratings of each standard by team add up to the standards rated below good).
        ledger.names[("theme", fw.id, k)] = cell
        themes.append(
            {
                "area": theme_info[k][0],
                "label": theme_info[k][1],
                "count": cell,
                "share": ledger.share(cell, total),
            }
        )
    added: list[dict[str, Any]] = []
    if fw.spec.added_value:
        counts = Counter(c for r in records for c in set(r.data.get("added_value") or []))
        for c in fw.spec.added_value.categories:
            cell = ledger.count(counts[c.id])
            ledger.within(cell, total)
            added.append({"label": c.label, "count": cell, "share": ledger.share(cell, total)})

    escalations = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "practitioner": r.data["practitioner"],
            "team": facet(r, "team"),
            "grade": grade_view(fw, r.settled_grade),
            "reasons": reasons,
            "state": STATE_LABELS[state(r.data)],
        }
        for r, reasons in ((r, escalation_reasons(r)) for r in read)
        if reasons
    ]
    escalation_count = ledger.count(len(escalations))
    ledger.within(escalation_count, read_total, protect_rest=False)
    ledger.names[("escalations", fw.id)] = escalation_count
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
        for r in read
        if r.result.differs
    ]
    differs_count = ledger.count(len(differs))
    ledger.within(differs_count, read_total, protect_rest=False)
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
    moderated_directions = {d: ledger.count(directions[d]) for d in MODERATED_DIRECTIONS}
    moderated_count = ledger.total(list(moderated_directions.values()))
    ledger.within(moderated_count, total, protect_rest=False)
    ledger.names[("moderated", fw.id)] = moderated_count
    counted_once_list = [
        {
            "audit_id": s.audit.audit_id,
            "file": s.audit.path,
            "date": s.audit.review_date.isoformat(),
            "reviewer": s.audit.data["reviewer"],
            "grade": grade_view(fw, s.audit.settled_grade),
            "counted_as": {
                "audit_id": s.counted.audit_id,
                "file": s.counted.path,
                "date": s.counted.review_date.isoformat(),
                "reviewer": s.counted.data["reviewer"],
                "grade": grade_view(fw, s.counted.settled_grade),
            },
        }
        for s in seconds
    ]
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
    publish = ledger.publish
    return {
        "framework": framework_view(fw),
        "n": len(records),
        "total": total,
        "escalation_count": escalation_count,
        "differs_count": differs_count,
        "moderated_count": moderated_count,
        "moderated_directions": moderated_directions,
        "counted_once_count": counted_once_count,
        # A published report lists no individual audit.
        "included": [] if publish else included,
        "good_or_better_label": fw.grade_labels[fw.spec.grades.good_or_better],
        "distribution": [
            {"grade": g.id, "label": g.label, "count": c, "share": ledger.share(c, total)}
            for g, c in zip(scale, margin, strict=True)
        ],
        "good_or_better": ledger.share(good, total),
        "trend": trend,
        "groups": groups,
        "characteristics": characteristics,
        "themes": themes,
        "themes_kind": "learning points" if fw.spec.learning else "standards rated below good",
        "added_value": added,
        "escalations": [] if publish else escalations,
        "differs": [] if publish else differs,
        "moderated": [] if publish else moderated,
        "counted_once": [] if publish else counted_once_list,
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
) -> list[tuple[str, str, dict[str, list[AuditRecord]], Any, Callable[[str], str]]]:
    tables: list[tuple[str, str, dict[str, list[AuditRecord]], Any, Callable[[str], str]]] = []
    for where, name, spec in characteristic_fields(fw):
        rows: dict[str, list[AuditRecord]] = defaultdict(list)
        # Each text's key worked out once: a field holds a few choices, over 10,000 audits.
        keys: dict[str, str] = {}
        recorded = False
        for record in records:
            value = (record.data.get(where) or {}).get(name)
            if value is None:
                key = NONE_LABEL
            elif value.__class__ is str:
                recorded = True
                key = keys.get(value) or keys.setdefault(value, characteristic_key(value))
            else:
                recorded = True
                key = characteristic_key(value)
            rows[key].append(record)
        if not recorded:
            continue  # no audit records it: nothing to break down
        known = spec.choice_ids or ["yes", "no"]

        def order(key: str, known: list[str] = known) -> tuple[int, str]:
            return (known.index(key) if key in known else len(known), key)

        label = functools.partial(characteristic_label, spec)
        tables.append((f"{where}.{name}", spec.label or name, rows, order, label))
    return tables


def characteristic_key(value: Any) -> str:
    """The key of a breakdown's row for a value: the choice's id, ``yes`` or ``no`` for an
    answer. A value left out and a choice that says it is not recorded (``not_recorded``) are one
    row, ``(not recorded)``."""
    if value is None:
        return NONE_LABEL
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = show_value(value)
    return NONE_LABEL if text.replace("_", " ") == _NOT_RECORDED else text


#: :data:`~qaimpact.audits.records.NONE_LABEL` as a choice's id reads in words.
_NOT_RECORDED = NONE_LABEL.strip("()")


def characteristic_label(spec: FieldSpec, key: str) -> str:
    """How a page shows a breakdown's row: a choice by its label in the standards data (a bare
    id in words: ``child_in_need`` is "Child in need"), an answer as "Yes" or "No"."""
    if key == NONE_LABEL:
        return key
    if spec.type == "boolean" and key in ("yes", "no"):
        return key.capitalize()
    return spec.choice_label(key)


def audit_rows(dataset: Dataset, quarters: Quarters | None = None) -> list[dict[str, Any]]:
    """One flat row per valid audit: the tidy table for spreadsheets and BI tools.

    ``quarter`` is the quarter of ``quarters`` (the calendar year's by default) it falls in.

    ``grade`` is the settled grade and ``grade_source`` says whether it is the moderator's or the
    computed one; ``grade_differs`` says whether the recorded grade differs from the computed one.
    ``counted_once_with`` is empty for an audit the figures count; for the second audit of a
    double-marked case, counted once, it is the id of the audit they count for the case.
    """
    quarters = quarters or Quarters()
    counted_for = {id(s.audit): s.counted for s in cases_counted(dataset.records, quarters).seconds}
    rows = []
    for r in dataset.records:
        fw = r.framework
        counted = counted_for.get(id(r))
        rows.append(
            {
                "file": r.path,
                "framework": fw.id,
                "audit_id": r.audit_id,
                "review_date": r.review_date.isoformat(),
                "quarter": quarters.key(r.review_date),
                "month": facet(r, "month"),
                "team": facet(r, "team"),
                "practitioner": r.data["practitioner"],
                "reviewer": r.data["reviewer"],
                # Ids for tools to match on, labels (the standards data's) for people to read.
                "law_type": facet(r, "law_type"),
                "law_type_label": group_label(fw, "law_type", facet(r, "law_type")),
                "audit_type": facet(r, "audit_type"),
                "audit_type_label": group_label(fw, "audit_type", facet(r, "audit_type")),
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
                "counted_once_with": "" if counted is None else counted.audit_id,
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
    by = view["by"] or "quarter"
    labelled = [f"{by}_label"] if by in LABELLED_GROUPS else []
    return ["framework", by, *labelled, "audits", *grades, "pct_good_or_better"]


def group_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary's grouped figures (``--by``, else by quarter) as flat rows."""
    rows: list[dict[str, Any]] = []
    for section in view["frameworks"]:
        groups = section["groups"] if section["groups"] is not None else section["trend"]
        for group in groups:
            row: dict[str, Any] = {
                "framework": section["framework"]["id"],
                view["by"] or "quarter": group["key"],
            }
            if view["by"] in LABELLED_GROUPS:
                row[f"{view['by']}_label"] = group["label"]
            row["audits"] = group["n"]["text"]
            for d in group["distribution"]:
                row[d["grade"]] = d["count"]["text"]
            share = group["good_or_better"]
            row["pct_good_or_better"] = "" if share["pct"] is None else share["pct"]
            rows.append(row)
    return rows
