"""The figures and views behind the reports: pure functions from graded audits to plain data.

Three views, one per reader: feedback on one audit for the practitioner, the practitioner's
learning log across their audits, and the service's quarterly summary. Each is a JSON-ready
dict; templates render them and ``--format json`` prints them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from qaimpact.audits.dataset import AuditRecord, Dataset
from qaimpact.base.errors import UsageError
from qaimpact.grading.escalation_triggers import STATE_LABELS, state, triggers
from qaimpact.models.audit import is_blank, person_key
from qaimpact.models.standard import NOT_APPLICABLE, Framework
from qaimpact.privacy.disclosure import SUPPRESSED
from qaimpact.privacy.disclosure import count as _count
from qaimpact.privacy.disclosure import hidden_share as _hidden_share
from qaimpact.privacy.disclosure import share as _share

FACETS = ("team", "reviewer", "practitioner", "law_type", "audit_type", "theme", "month", "quarter")
NONE_LABEL = "(not recorded)"


def quarter_of(day: dt.date) -> str:
    """``2026-Q1`` style."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def facet(record: AuditRecord, name: str) -> str:
    """The value of a grouping dimension for one audit."""
    data = record.data
    case = data.get("case") or {}
    if name == "quarter":
        return quarter_of(record.review_date)
    if name == "month":
        return record.review_date.strftime("%Y-%m")
    if name == "team":
        value = data.get("team") or case.get("team")
    elif name == "law_type":
        value = case.get("law_type")
    elif name == "audit_type":
        value = data.get("audit_type") or ("case_file" if "audit_type" not in data else None)
    else:
        value = data.get(name)
    return str(value) if value not in (None, "") else NONE_LABEL


# -- small helpers ---------------------------------------------------------------------------------


def _grade(fw: Framework, grade: str | None) -> dict[str, Any] | None:
    if grade is None:
        return None
    return {"id": grade, "label": fw.grade_labels[grade], "rank": fw.grade_rank[grade]}


def _rating_label(fw: Framework, rating: str) -> str:
    return fw.rating_labels.get(rating, rating)


def is_good_or_better(record: AuditRecord) -> bool:
    """Whether the audit's grade is at or above the framework's 'good or better' line."""
    return record.framework.is_good_or_better(record.result.grade)


def escalation_reasons(record: AuditRecord) -> list[str]:
    """Why an audit needs escalating, by the framework's escalation rules (none: it does not).

    Each line names the escalation, its route and why; the immediate safeguarding actions the
    auditor described follow, as the person receiving the escalation needs them.
    """
    fw, data = record.framework, record.data
    reasons = [t.describe() for t in triggers(fw, data, record.result.grade)]
    spec = fw.spec.immediate_actions
    entry = data.get(spec.key) if spec else None
    if reasons and spec and entry and entry.get("required") and not is_blank(entry.get("comment")):
        reasons.append(f"{spec.label}: {' '.join(str(entry['comment']).split())}")
    return reasons


def learning_items(record: AuditRecord) -> list[tuple[str, str, str]]:
    """``(key, group, label)`` of each learning item in an audit.

    Frameworks with learning areas use the learning points recorded; others (such as the
    council's) use the standards rated below the 'good or better' line.
    """
    fw, data = record.framework, record.data
    items: list[tuple[str, str, str]] = []
    if fw.spec.learning:
        areas = {a.id: a for a in fw.spec.learning.areas}
        for action in data.get("learning_actions") or []:
            area = areas[action["area"]]
            labels = {p.id: p.label for p in area.points}
            for point in action.get("points") or []:
                item = (f"{area.id}.{point}", area.title, labels.get(point, point))
                if item not in items:
                    items.append(item)
        return items
    limit = fw.development_rank
    for group in fw.spec.groups:
        for std in group.standards:
            rating = ((data.get(group.id) or {}).get(std.id) or {}).get("rating")
            if rating in fw.rating_rank and fw.rating_rank[rating] > limit:
                items.append((f"{group.id}.{std.id}", group.title, std.title.rstrip(".")))
    return items


def _descriptor(fw: Framework, standard: str, rating: str) -> str | None:
    return fw.standards[standard].descriptors.get(rating)


# -- feedback on one audit -----------------------------------------------------------------------


def audit_feedback(record: AuditRecord) -> dict[str, Any]:
    """Everything the practitioner's feedback on one audit shows."""
    fw, data, result = record.framework, record.data, record.result
    spec = fw.spec
    top = spec.ratings[0].id
    line = fw.development_rank
    ratings = []
    development = []
    for group in spec.groups:
        rows = []
        for std in group.standards:
            entry = (data.get(group.id) or {}).get(std.id) or {}
            rating = entry.get("rating") or NOT_APPLICABLE
            rows.append(
                {
                    "id": std.id,
                    "title": std.title.rstrip("."),
                    "rating": rating,
                    "rating_label": _rating_label(fw, rating),
                    "evidence": entry.get("evidence") or "",
                    "is_top": rating == top,
                }
            )
            if rating in fw.rating_rank and fw.rating_rank[rating] > line:
                development.append(
                    {
                        "title": std.title.rstrip("."),
                        "rating_label": _rating_label(fw, rating),
                        "good_looks_like": _descriptor(fw, std.id, top) or std.text or "",
                        "considerations": list(std.considerations),
                    }
                )
        ratings.append({"group": group.title, "standards": rows})
    strengths = []
    for dom in spec.domains or []:
        entry = (data.get("domains") or {}).get(dom.id) or {}
        labels = {i.id: i.label for i in dom.indicators}
        ticked = [labels[i] for i in entry.get("indicators") or []]
        if ticked or entry.get("comment"):
            strengths.append(
                {"domain": dom.title, "indicators": ticked, "comment": entry.get("comment") or ""}
            )
    learning = []
    if spec.learning:
        areas = {a.id: a for a in spec.learning.areas}
        for action in data.get("learning_actions") or []:
            area = areas[action["area"]]
            points = {p.id: p for p in area.points}
            learning.append(
                {
                    "area": area.title,
                    "comment": action.get("comment") or "",
                    "points": [
                        {
                            "label": points[p].label,
                            "standards": [
                                {
                                    "title": fw.standards[s].title.rstrip("."),
                                    "good_looks_like": _descriptor(fw, s, top) or "",
                                }
                                for s in points[p].standards
                            ],
                        }
                        for p in action.get("points") or []
                    ],
                }
            )
    added = []
    if spec.added_value:
        labels = {c.id: c.label for c in spec.added_value.categories}
        added = [labels[c] for c in data.get("added_value") or []]
    lift = None
    if result.lift is not None:
        lift = {
            "grade": fw.grade_labels[result.lift.grade],
            "reachable": result.lift.reachable,
            "blocked_by": list(result.lift.blocked_by),
            "changes": [
                {
                    "title": c.title.rstrip("."),
                    "from": _rating_label(fw, c.from_rating),
                    "to": _rating_label(fw, c.to_rating),
                    "descriptor": _descriptor(fw, c.standard, c.to_rating) or "",
                    "requires": list(c.requires),
                }
                for c in result.lift.changes
            ],
        }
    return {
        "kind": "audit",
        "file": record.path,
        "audit_id": record.audit_id,
        "framework": _framework_info(fw),
        "practitioner": data["practitioner"],
        "reviewer": data["reviewer"],
        "review_date": record.review_date.isoformat(),
        "details": _details(record),
        "grade": _grade(fw, result.grade),
        "recorded": _grade(fw, result.recorded),
        "differs": result.differs,
        "rationale": list(result.rationale),
        "escalation": escalation_reasons(record),
        "escalation_record": _escalation_record(record),
        "moderation": _moderation(record),
        "reaudit_of": data.get("reaudit_of"),
        "ratings": ratings,
        "strengths": strengths,
        "learning": learning,
        "development": development,
        "added_value": added,
        "added_value_comment": data.get("added_value_comment") or "",
        "remedial_actions": [
            {**a, "due": _iso(a.get("due")), "closed_on": _iso(a.get("closed_on"))}
            for a in data.get("remedial_actions") or []
        ],
        "feedback": [
            {"who": k.replace("_", " ").capitalize(), "text": v}
            for k, v in (data.get("feedback") or {}).items()
            if v
        ],
        "auditor_rationale": data.get("rationale") or "",
        "lift": lift,
        "warnings": [d.to_dict() for d in record.warnings],
    }


def _escalation_record(record: AuditRecord) -> dict[str, Any]:
    entry = record.data.get("escalation") or {}
    current = state(record.data)
    return {
        "state": current,
        "state_label": STATE_LABELS[current],
        "raised_to": entry.get("raised_to"),
        "raised_on": _iso(entry.get("raised_on")),
        "acknowledged_on": _iso(entry.get("acknowledged_on")),
        "note": entry.get("note") or "",
    }


def _moderation(record: AuditRecord) -> dict[str, Any] | None:
    entry = record.data.get("moderation")
    if not entry:
        return None
    fw = record.framework
    steps = fw.grade_rank[record.result.grade] - fw.grade_rank[entry["moderated_grade"]]
    return {
        "moderator": entry["moderator"],
        "grade": _grade(fw, entry["moderated_grade"]),
        "on": _iso(entry["moderated_on"]),
        "notes": entry.get("notes") or "",
        "direction": "agrees" if steps == 0 else "higher" if steps > 0 else "lower",
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _framework_info(fw: Framework) -> dict[str, Any]:
    return {"id": fw.id, "title": fw.spec.title, "version": fw.spec.version, "publisher": fw.spec.publisher}


def _details(record: AuditRecord) -> list[dict[str, str]]:
    fw, data = record.framework, record.data
    out: list[dict[str, str]] = []
    for name, spec in fw.spec.case_fields.items():
        value = (data.get("case") or {}).get(name)
        if value not in (None, ""):
            out.append({"label": spec.label or name.replace("_", " ").capitalize(), "value": _text(value)})
    for name, spec in fw.spec.extra_fields.items():
        value = data.get(name)
        if value not in (None, ""):
            out.append({"label": spec.label or name.replace("_", " ").capitalize(), "value": _text(value)})
    if fw.spec.audit_types:
        labels = {t.id: t.label for t in fw.spec.audit_types}
        kind = data.get("audit_type")
        if kind:
            out.append({"label": "Audit type", "value": labels[kind]})
        if data.get("theme"):
            out.append({"label": "Theme", "value": str(data["theme"])})
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and {"from", "to"} <= set(value):
        return f"{_iso(value['from'])} to {_iso(value['to'])}"
    return str(_iso(value))


# -- the practitioner's learning log -------------------------------------------------------------


def practitioner_names(records: Iterable[AuditRecord]) -> list[str]:
    """Every practitioner name, as first written, sorted."""
    seen: dict[str, str] = {}
    for record in records:
        seen.setdefault(
            person_key(record.data["practitioner"]), " ".join(record.data["practitioner"].split())
        )
    return sorted(seen.values())


def select_practitioner(records: Sequence[AuditRecord], name: str) -> list[AuditRecord]:
    """The audits of one practitioner; a clear error listing the closest names when none match."""
    wanted = person_key(name)
    if not wanted:
        raise UsageError("--fca needs a practitioner's name.")
    chosen = [r for r in records if person_key(r.data["practitioner"]) == wanted]
    if chosen:
        return chosen
    names = practitioner_names(records)
    close = difflib.get_close_matches(name.strip(), names, n=3, cutoff=0.6)
    if not close:
        close = [n for n in names if wanted.split()[0] in person_key(n)][:3]
    hint = f" The closest names found: {', '.join(close)}." if close else ""
    raise UsageError(
        f"No audit of a practitioner named '{name.strip()}' was found among the {len(records)} valid "
        f"audits read.{hint} Check the name, or point --audits at the folder that holds their audits."
    )


def learning_log(records: Sequence[AuditRecord], name: str) -> dict[str, Any]:
    """The learning log of one practitioner across their audits, in date order."""
    mine = sorted(select_practitioner(records, name), key=lambda r: (r.review_date, r.audit_id))
    by_framework: dict[str, list[AuditRecord]] = defaultdict(list)
    for record in mine:
        by_framework[record.framework.id].append(record)
    sections = [_log_section(group) for _, group in sorted(by_framework.items())]
    return {
        "kind": "learning_log",
        "practitioner": " ".join(mine[0].data["practitioner"].split()),
        "audits": len(mine),
        "first": mine[0].review_date.isoformat(),
        "latest": mine[-1].review_date.isoformat(),
        "frameworks": sections,
    }


def _log_section(records: list[AuditRecord]) -> dict[str, Any]:
    fw = records[0].framework
    audits = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "quarter": quarter_of(r.review_date),
            "grade": _grade(fw, r.result.grade),
            "recorded": _grade(fw, r.result.recorded),
            "learning": [label for _, _, label in learning_items(r)],
        }
        for r in records
    ]
    first, latest = records[0].result.grade, records[-1].result.grade
    steps = fw.grade_rank[first] - fw.grade_rank[latest]
    movement = {
        "first": _grade(fw, first),
        "latest": _grade(fw, latest),
        "steps": steps,
        "direction": "improved" if steps > 0 else "declined" if steps < 0 else "no change",
        "audits": len(records),
    }
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        for key, group, label in learning_items(record):
            entry = seen.setdefault(
                key, {"key": key, "area": group, "label": label, "audits": [], "dates": []}
            )
            entry["audits"].append(record.audit_id)
            entry["dates"].append(record.review_date.isoformat())
    latest_items = {key for key, _, _ in learning_items(records[-1])}
    themes = []
    for entry in seen.values():
        count = len(entry["audits"])
        themes.append(
            {
                **entry,
                "count": count,
                "recurring": count >= 2,
                "in_latest": entry["key"] in latest_items,
                "stopped": len(records) > 1 and entry["key"] not in latest_items,
            }
        )
    themes.sort(key=lambda t: (t["area"], -t["count"], t["label"]))
    added: Counter[str] = Counter()
    labels = {c.id: c.label for c in fw.spec.added_value.categories} if fw.spec.added_value else {}
    for record in records:
        added.update(record.data.get("added_value") or [])
    return {
        "framework": _framework_info(fw),
        "grades": [{"id": g.id, "label": g.label} for g in fw.spec.grades.scale],
        "audits": audits,
        "movement": movement,
        "themes": themes,
        "recurring": [t for t in themes if t["recurring"]],
        "stopped_recurring": [t for t in themes if t["stopped"]],
        "added_value": [{"label": labels[k], "count": added[k]} for k in labels if added[k]],
        "learning_kind": "learning points" if fw.spec.learning else "standards rated below good",
    }


# -- the quarterly summary -----------------------------------------------------------------------


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
        "frameworks": frameworks,
        "outside_period": dataset.outside_period,
        "invalid_count": len(dataset.invalid),
        "skipped_count": len(dataset.skipped),
        # A published report names no file: only the QA team's own report lists them.
        "invalid": []
        if publish
        else [{"file": c.path, "diagnostics": [d.to_dict() for d in c.diagnostics]} for c in dataset.invalid],
        "skipped": [] if publish else [{"file": s.path, "reason": s.reason} for s in dataset.skipped],
    }


def _distribution(fw: Framework, records: Sequence[AuditRecord], publish: bool) -> list[dict[str, Any]]:
    counts = Counter(r.result.grade for r in records)
    return [
        {
            "grade": g.id,
            "label": g.label,
            "count": _count(counts[g.id], publish),
            "share": _share(counts[g.id], len(records), publish),
        }
        for g in fw.spec.grades.scale
    ]


def _group_row(fw: Framework, key: str, records: Sequence[AuditRecord], publish: bool) -> dict[str, Any]:
    good = sum(1 for r in records if is_good_or_better(r))
    return {
        "key": key,
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
        groups = [_group_row(fw, key, grouped[key], publish) for key in sorted(grouped)]
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
            "grade": _grade(fw, r.result.grade),
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
            "recorded": _grade(fw, r.result.recorded),
            "computed": _grade(fw, r.result.grade),
        }
        for r in records
        if r.result.differs
    ]
    included = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "team": facet(r, "team"),
            "practitioner": r.data["practitioner"],
            "grade": _grade(fw, r.result.grade),
        }
        for r in records
    ]
    return {
        "framework": _framework_info(fw),
        "n": len(records),
        "total": _count(len(records), publish),
        "escalation_count": _count(sum(1 for r in records if escalation_reasons(r)), publish),
        "differs_count": _count(sum(1 for r in records if r.result.differs), publish),
        "included": included,
        "good_or_better_label": fw.grade_labels[fw.spec.grades.good_or_better].lower(),
        "distribution": _distribution(fw, records, publish),
        "good_or_better": _share(good, len(records), publish),
        "trend": [_group_row(fw, q, quarters[q], publish) for q in sorted(quarters)],
        "groups": groups,
        "themes": themes,
        "themes_kind": "learning points" if fw.spec.learning else "standards rated below good",
        "added_value": added,
        "escalations": escalations,
        "differs": differs,
    }


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
    for row in [*section["trend"], *(section["groups"] or [])]:
        reshare(row["distribution"], row["n"], row["good_or_better"])
    for item in [*section["themes"], *section["added_value"]]:
        if 1 <= item["count"]["n"] <= 4:
            _cell(item["count"], SUPPRESSED)
        if item["count"]["n"] is None or grand["n"] is None:
            item["share"] = _hidden_share(item["count"], grand)
    for key in ("escalation_count", "differs_count"):
        if 1 <= section[key]["n"] <= 4:
            _cell(section[key], SUPPRESSED)
    section["escalations"], section["differs"], section["included"] = [], [], []


def audit_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """One flat row per valid audit: the tidy table for spreadsheets and BI tools."""
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
                "grade": r.result.grade,
                "grade_label": fw.grade_labels[r.result.grade],
                "good_or_better": is_good_or_better(r),
                "recorded_grade": r.result.recorded or "",
                "grade_differs": r.result.differs,
                "escalation": "; ".join(escalation_reasons(r)),
                "escalation_state": state(r.data) if escalation_reasons(r) else "",
                "learning": "; ".join(label for _, _, label in learning_items(r)),
            }
        )
    return rows
